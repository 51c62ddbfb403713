"""Markdown (CommonMark, with raw HTML as scrapers leave it), rendered to HTML and walked."""

from __future__ import annotations

import re

from bilingual.document import Kind
from bilingual.readers.draft import Draft
from bilingual.readers.headers import is_absolute_url, is_navigation, read_header_lines
from bilingual.readers.html import parse_html

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n(?:---|\.\.\.)\s*\n", re.DOTALL)
_LINK_TITLE = re.compile(r"^\s*(?:#{1,6}\s*)?\[(?P<title>[^\]\n]+)\]\((?P<url>[^)\s]+)\)\s*#*\s*$")
_SETEXT = re.compile(r"^\s*(?:-{2,}|={2,})\s*$")
_SOURCE_LINE = re.compile(
    r"^\s*[*_]*(?:来源|來源|原文|原文链接|原文連結|出处|出處|链接|連結|source|url)[*_]*\s*[:：]\s*"
    r"(?:\[[^\]]*\]\((?P<u1>[^)\s]+)\)|<?(?P<u2>https?://\S+?)>?)\s*$",
    re.IGNORECASE,
)
_EPOCH_COMMENT = re.compile(r"^\s*<!--\s*(\d{10}|\d{13})\s*-->\s*$")


def parse_markdown(text: str) -> Draft:
    draft = Draft()
    m = _FRONT_MATTER.match(text)
    if m:
        _front_matter(m.group(1), draft)
        text = text[m.end() :]
    lines = read_header_lines(text.split("\n"), draft)
    out: list[str] = []
    looking_for_title = True
    skip_rule = False
    for line in lines:
        if skip_rule:
            skip_rule = False
            if _SETEXT.match(line):
                continue
        if looking_for_title and line.strip() and not _EPOCH_COMMENT.match(line):
            lt = _LINK_TITLE.match(line)
            if lt and is_navigation(lt["title"]):
                # A link back to the scraper's index, above the article: not its title.
                draft.add(Kind.PARAGRAPH, lt["title"], drop="navigation")
                continue
            looking_for_title = False
            if lt and draft.title is None:
                draft.title = lt["title"]
                if is_absolute_url(lt["url"]):
                    draft.source_url = draft.source_url or lt["url"]
                skip_rule = True
                continue
        src = _SOURCE_LINE.match(line)
        if src and draft.source_url is None and is_absolute_url(src["u1"] or src["u2"]):
            draft.source_url = src["u1"] or src["u2"]
            continue
        out.append(line)

    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render("\n".join(out))
    return parse_html(rendered, draft, page=False)


def _front_matter(block: str, draft: Draft) -> None:
    for line in block.splitlines():
        key, sep, value = line.partition(":")
        if not sep:
            continue
        key, value = key.strip().lower(), value.strip().strip("\"'")
        if not value:
            continue
        if key == "title":
            draft.title = value
        elif key in ("url", "source", "source_url", "link", "canonical", "from", "original"):
            if is_absolute_url(value):
                draft.source_url = value
        elif key in ("author", "authors", "byline"):
            draft.author = value
        elif key in ("date", "published", "pubdate"):
            draft.published = value
