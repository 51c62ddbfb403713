"""What scrapers write above an article's text: `Title:` / `Time:` / `Source:` lines (misspelt as
often as not: `Titile:`), and navigation links."""

from __future__ import annotations

import re

from bilingual.readers.draft import Draft, find_date

# The header keys scrapers write, and the metadata each one is.
_KEYS = {
    "title": "title", "标题": "title", "標題": "title", "题目": "title", "題目": "title",
    "headline": "title",
    "time": "published", "date": "published", "datetime": "published", "published": "published",
    "pubdate": "published", "时间": "published", "時間": "published", "日期": "published",
    "发布时间": "published", "發佈時間": "published", "發布時間": "published",
    "source": "source", "来源": "source", "來源": "source", "出处": "source", "出處": "source",
    "url": "url", "link": "url", "链接": "url", "連結": "url", "网址": "url", "網址": "url",
    "author": "author", "作者": "author", "by": "author", "记者": "author", "記者": "author",
    "content": "content", "text": "content", "body": "content", "正文": "content",
    "内容": "content", "內容": "content",
}  # fmt: skip
_HEADER_LINE = re.compile(
    r"^\s*[*_]*(?P<key>[A-Za-z]{2,12}|[\u4e00-\u9fff]{2,4})[*_]*\s*[:：]\s*(?P<value>.*)$"
)
_URL = re.compile(r"^<?(https?://\S+?)>?$", re.I)
# Links back to an index or a home page, above a scraped article: ":house:返回", "← Back".
_NAV_TEXT = re.compile(
    r"^(?::[a-z_]+:|[←↩⬅«<]|\s)*(?:返回|返回首页|返回首頁|返回目录|返回目錄|返回列表|首页|首頁|目录|目錄|主页|主頁"
    r"|上一篇|下一篇|上一页|下一页|back|home|index|top|prev(?:ious)?|next)(?:\s|[→»>])*$",
    re.I,
)


def _key(word: str) -> str | None:
    """The header key a word stands for, forgiving one typo in a Latin key ("Titile")."""
    low = word.lower()
    if low in _KEYS:
        return _KEYS[low]
    if not low.isascii() or len(low) < 4:
        return None
    for key, what in _KEYS.items():
        if key.isascii() and len(key) >= 4 and _one_edit(low, key):
            return what
    return None


def _one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        # One changed letter, or two neighbours swapped.
        return len(diffs) <= 1 or (
            len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def read_header_lines(lines: list[str], draft: Draft) -> list[str]:
    """Take `Key: value` lines at the top (before the text starts) into `draft`; return the rest.
    A `Content:` line ends the header, its value (if any) being the first line of the text."""
    out: list[str] = []
    in_header = True
    seen = 0
    for index, line in enumerate(lines):
        if not in_header:
            out.append(line)
            continue
        if not line.strip():
            if seen:
                continue
            out.append(line)
            continue
        m = _HEADER_LINE.match(line)
        what = _key(m["key"]) if m else None
        if m is None or what is None:
            in_header = False
            out.append(line)
            continue
        seen += 1
        value = m["value"].strip()
        if what == "content":
            in_header = False
            if value:
                out.append(value)
            out.extend(lines[index + 1 :])
            break
        if not value:
            continue
        _apply(what, value, draft)
    return out


def _apply(what: str, value: str, draft: Draft) -> None:
    url = _URL.match(value)
    if what == "title" and draft.title is None:
        draft.title = value
    elif what == "published" and draft.published is None:
        draft.published = find_date(value) or value
    elif what in ("url", "source") and url and draft.source_url is None:
        draft.source_url = url.group(1)
    elif what == "source" and not url and draft.outlet is None:
        draft.outlet = value
    elif what == "author" and draft.author is None:
        draft.author = value


def is_navigation(text: str) -> bool:
    """A link back to an index or home page ("返回", ":house:返回"), not article text."""
    return bool(_NAV_TEXT.match(text.strip()))


def is_absolute_url(url: str) -> bool:
    """Only a web address can be the article's source: not README.md, ../index.html, #top."""
    return bool(re.match(r"https?://[^\s/]+\.[^\s/]+", url, re.I))


__all__ = ["is_absolute_url", "is_navigation", "read_header_lines"]
