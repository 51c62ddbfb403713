"""HTML pages (and Markdown rendered to HTML): find the article in the page, walk its blocks.

The page is parsed with lxml and walked once, iteratively (no recursion, linear in the page), into
a sequence of text blocks in reading order, each knowing its element, its ancestors, how much of
it is link text and whether the page marks it as furniture (class "share", "related", ...). The
article is the element whose blocks hold the most Chinese prose for the least of everything else;
prose just outside it is taken in too, as a lost paragraph is worse than an extra one.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from bilingual.document import Kind
from bilingual.readers.draft import Draft, epoch_to_iso, find_date
from bilingual.readers.furniture import is_sentence
from bilingual.textutil import han_count

# Elements that never hold article text: skipped with everything inside them.
_SKIP_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "iframe", "svg", "canvas", "button",
        "input", "select", "textarea", "audio", "video", "map", "head", "meta", "link", "title",
        "math", "option", "datalist", "dialog",
    }
)  # fmt: skip
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Elements that start a new block of text; all others (a, span, font, b, embed...) are inline.
_BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "figure",
        "figcaption", "blockquote", "ul", "ol", "li", "dl", "dd", "dt", "table", "thead", "tbody",
        "tfoot", "tr", "td", "th", "caption", "pre", "address", "center", "body", "html", "hr",
        "details", "summary", "fieldset", "legend", *_HEADINGS,
    }
)  # fmt: skip
_BOLD_TAGS = frozenset({"b", "strong"})

# What a class or id says about an element, and the reason given when its text is set apart.
# Hard furniture is dropped even when it reads as prose (comments, other stories, ads).
_HARD_CLASSES: list[tuple[re.Pattern[str], str]] = [
    # Chinese sites often name classes in pinyin: pinglun 评论, tuijian 推荐, xiangguan 相关...
    (re.compile(r"comment|reply|replies|discuss|gentie|pinglun|liuyan|跟帖", re.I), "comments"),
    (re.compile(r"related|recommend|read-?more|more-?stories|most-?read|trending|hot-?news"
                r"|popular|also-?like|you-?may|next-?article|prev-?article|jiaodian|xiangguan"
                r"|tuijian|remen|rebang|paihang|gengduo|xgxw|xgyd",
                re.I), "other stories"),
    # Whole words: Drupal's "node-promoted" is an article promoted to the front page, not an ad.
    (re.compile(r"(^|[\s_-])(ads?|advert|adverts|advertisement|advertising|sponsor|sponsored"
                r"|promo|promos|promotion|banner|adsbygoogle|gg|guanggao)($|[\s_-]|\d)", re.I),
     "advertisement"),
    (re.compile(r"cookie|consent|gdpr|privacy", re.I), "privacy or consent notice"),
    (re.compile(r"twitter-tweet|instagram-media|tiktok-embed|fb-post|embed-?social", re.I),
     "embedded social-media post"),
]  # fmt: skip
_SOFT_CLASSES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(^|[\s_-])(share|sharing|social|toolbar|tools|bdshare|jiathis|fontsize|fenxiang"
                r"|font-size|print)($|[\s_-])", re.I), "share bar or page tool"),
    (re.compile(r"(^|[\s_-])(nav|navbar|menu|breadcrumbs?|crumbs?|subnav|topbar|masthead|daohang"
                r"|pagination|pager|skip-?link)($|[\s_-])", re.I), "navigation"),
    (re.compile(r"(^|[\s_-])(tags?|keywords?|labels?|topics?|biaoqian|guanjianci)($|[\s_-])",
                re.I), "tag list"),
    (re.compile(r"(^|[\s_-])(subscribe|newsletter|signup|app-?download|download)($|[\s_-])",
                re.I), "subscribe or app prompt"),
    (re.compile(r"(^|[\s_-])(footer|copyright|disclaimer|statement|shengming|shenming|mianze"
                r"|banquan)($|[\s_-])", re.I),
     "page footer"),
    (re.compile(r"(^|[\s_-])(sidebar|side-?bar|aside|rail|widget)($|[\s_-])", re.I), "sidebar"),
    (re.compile(r"(^|[\s_-])(author-?(?:bio|info|card|intro|desc)|bio)($|[\s_-])", re.I),
     "about the author"),
    (re.compile(r"(^|[\s_-])(summary|abstract|key-?points|highlights?|digest|zhaiyao)"
                r"($|[\s_-])", re.I), "summary box"),
]  # fmt: skip
_ROLE_HINTS = {
    "navigation": "navigation",
    "banner": "navigation",
    "contentinfo": "page footer",
    "complementary": "sidebar",
    "search": "navigation",
}
_TAG_HINTS = {"nav": "navigation", "footer": "page footer", "aside": "sidebar"}
# Datelines and bylines set apart from the text: metadata, not paragraphs.
_META_RE = re.compile(
    r"(^|[\s_-])(meta|byline|author|authors|dateline|date|time|pubdate|pubtime|publish|info"
    r"|source|article-info|post-meta|timestamp|writer|reporter|submitted|posted-on|entry-meta"
    r"|article-meta)($|[\s_-])",
    re.IGNORECASE,
)
# Class names that hide an element, as whole class tokens ("field-label-hidden" hides a label
# only; the text of its element is shown).
_HIDDEN_CLASSES = frozenset(
    {
        "hidden", "hide", "is-hidden", "visually-hidden", "visuallyhidden", "sr-only",
        "screen-reader-text", "screenreader", "offscreen", "display-none", "d-none", "invisible",
        "u-hidden", "a11y-hidden", "hidden-text",
    }
)  # fmt: skip
# An element whose class says it is the headline ("title", "headline", "art-title"...).
_TITLE_CLASS = re.compile(r"(^|[\s_-])(title|headline|biaoti|heading|main-?title)($|[\s_-])", re.I)
_CAPTION_CLASS = re.compile(
    r"caption|figcaption|pic-?desc|img-?desc|image[_-]?desc|photo-?text|imgtxt|pic-?text|img-?text"
    r"|photo-?desc|pictext|img-?note",
    re.I,
)
_SUMMARY_LABEL = re.compile(
    r"^[\[【(（]?\s*(?:摘要|导读|導讀|内容提要|內容提要|核心提示|划重点|劃重點|重点|重點|要点|要點|key points"
    r"|highlights)\s*[:：]?\s*[\]】)）]?$",
    re.I,
)
_SPACES = re.compile(r"[ \t\n\r\f\v]+")
_XML_DECL = re.compile(r"\A\s*<\?xml[^>]*\?>", re.I)
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
# Nestable tags a page can pile up thousands deep; flattened when the parser gives up.
_NESTABLE = re.compile(
    r"</?(?:div|span|font|section|article|main|center|b|i|u|em|strong|small|big|a|ul|ol|li|dl"
    r"|dd|dt|table|tbody|thead|tfoot|tr|td|th|header|footer|aside|nav|blockquote|figure|sup|sub"
    r"|code|abbr|cite|q|s|strike|del|ins|mark|nobr|p|h[1-6])\b[^>]*>",
    re.I,
)


@dataclass
class _Block:
    kind: Kind
    text: str
    chain: tuple[int, ...]  # ids of the open elements, outermost first
    links: int  # characters inside <a>
    bold: bool
    hint: str | None  # what the page's markup says this is, if furniture
    hard: bool  # the hint holds even for prose
    meta: bool  # in a dateline/byline element
    list_id: int = 0  # the <ul>/<ol> it is an item of, if any
    after_image: bool = False  # the first text after a picture
    centered: bool = False
    titleish: bool = False  # inside an element whose class says "title"

    @property
    def link_density(self) -> float:
        size = len(self.text.strip())
        return self.links / size if size else 0.0


@dataclass
class _Frame:
    """What an open element passes on to the text inside it."""

    id: int
    block: bool = False
    meta: bool = False
    kind: Kind = Kind.PARAGRAPH
    link: bool = False
    bold: bool = False
    pre: bool = False
    list_id: int = 0
    centered: bool = False
    titleish: bool = False


def parse_html(markup: str, draft: Draft | None = None, *, page: bool = True) -> Draft:
    """Parse `markup` into `draft`. With page=True, read the page's metadata and find the article
    in it; without, every block is the article's (Markdown rendered to HTML)."""
    draft = draft or Draft()
    root = _parse(markup)
    if root is None:
        return draft
    _comments_metadata(root, draft)
    if page:
        _page_metadata(root, draft)
    walker = _Walker()
    blocks = walker.walk(root)
    _resolve_hints(blocks, walker.hints)
    if page:
        region = _article_region(blocks)
        _choose_title(blocks, region, draft)
    else:
        region = set(range(len(blocks)))
    header = _header_zone(blocks, region)
    page_titles = {_norm(t) for t in draft.title_hints}
    summary_lists = _summary_lists(blocks)
    for i, b in enumerate(blocks):
        if b.meta and draft.published is None and len(b.text.strip()) <= 80:
            draft.published = find_date(b.text)
        if i not in region and i not in header:
            if is_sentence(b.text) and b.kind is not Kind.TITLE:
                draft.add(b.kind, b.text, drop="outside the article")
            continue
        drop = None
        kind = b.kind
        meta = b.meta and len(b.text.strip()) <= 80
        if meta:
            pass  # the furniture rules say what it is, and read the date or author in it
        elif kind is not Kind.TITLE and _norm(b.text) in page_titles:
            drop = "the page's title repeated"
        elif b.list_id and b.list_id in summary_lists:
            drop = "summary box"
        elif b.hint and (b.hard or not _strong_prose(b)):
            drop = b.hint
        elif b.kind is not Kind.TITLE and _is_link_line(b):
            drop = "link to another page"
        if kind is Kind.PARAGRAPH and b.after_image and _caption_like(b):
            kind = Kind.CAPTION
        for text in _split_br(b.text) if kind is not Kind.TITLE else [b.text]:
            draft.add(kind, text, bold=b.bold, drop=drop, meta=meta)
    return draft


def _caption_like(b: _Block) -> bool:
    """Text right under a picture that reads as its caption: short, centred or not a sentence."""
    text = b.text.strip()
    return len(text) <= 100 and (b.centered or not is_sentence(text) or text[0] in "（(▲")


def _summary_lists(blocks: list[_Block]) -> set[int]:
    """Lists announced by a "划重点：" / "摘要：" label: a summary of the article, not its text."""
    found = set()
    for b, nxt in itertools.pairwise(blocks):
        if nxt.list_id and nxt.list_id != b.list_id and _SUMMARY_LABEL.match(b.text.strip()):
            found.add(nxt.list_id)
    return found


def _parse(markup: str) -> Any:
    markup = _BAD_CHARS.sub("", _XML_DECL.sub("", markup, count=1))
    if not markup.strip():
        return None
    parser = lxml_html.HTMLParser(
        remove_comments=False, remove_pis=True, no_network=True, huge_tree=True
    )
    try:
        root = lxml_html.document_fromstring(markup, parser=parser)
        if any("depth" in str(e.message).lower() for e in parser.error_log):
            # Nested beyond what the parser follows: text past that depth would be lost.
            flat = _NESTABLE.sub(lambda m: "<br><br>" if m.group(0)[1] != "/" else "", markup)
            root = lxml_html.document_fromstring(flat, parser=lxml_html.HTMLParser(
                remove_comments=False, remove_pis=True, no_network=True, huge_tree=True
            ))  # fmt: skip
    except (etree.ParserError, ValueError):
        return None
    return root


def _header_zone(blocks: list[_Block], region: set[int]) -> set[int]:
    """The lines between the headline and the article (byline, dateline, source): read for the
    metadata they give, and set apart by the furniture rules."""
    if not region:
        return set()
    start = min(region)
    titles = [i for i, b in enumerate(blocks[:start]) if b.kind is Kind.TITLE]
    if not titles or start - titles[-1] > 12:
        return set()
    return {i for i in range(titles[-1] + 1, start) if not blocks[i].hint}


def _classes(el: Any) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".strip()


def _is_hidden(el: Any, names: str) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    if any(str(attr).startswith("data-selfpromo") for attr in el.attrib):
        return True
    style = (el.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    classes = (el.get("class") or "").lower().split()
    return any(c in _HIDDEN_CLASSES for c in classes)


class _Walker:
    """One pass over the tree with lxml's iterwalk: blocks in reading order."""

    def __init__(self) -> None:
        self.blocks: list[_Block] = []
        self.parts: list[str] = []
        self.links = 0
        self.bold_chars = 0
        self.chars = 0
        self.after_image = False
        self.titleish = False
        self.line_chars = self.line_bold = 0  # the current <br>-separated line
        self.stack: list[_Frame] = []
        # What class, role or tag says an element is furniture: (reason, hard), by element id.
        self.hints: dict[int, tuple[str, bool]] = {}
        # lxml makes element proxies on demand and id() is only unique while one lives: keep them.
        self.alive: list[Any] = []

    def walk(self, root: Any) -> list[_Block]:
        walker = etree.iterwalk(root, events=("start", "end", "comment"))
        for event, el in walker:
            if event == "comment":
                self._text(el.tail)
                continue
            tag = el.tag.lower() if isinstance(el.tag, str) else ""
            if event == "start":
                self.alive.append(el)
                names = _classes(el)
                if tag in _SKIP_TAGS or _is_hidden(el, names):
                    walker.skip_subtree()
                    self.stack.append(_Frame(id(el)))
                    continue
                if tag == "table" and _is_data_table(el):
                    self._flush()
                    self._table(el)
                    walker.skip_subtree()
                    self.stack.append(_Frame(id(el)))
                    continue
                if tag == "img":
                    self._flush()
                    self.after_image = True
                self._open(el, tag, names)
            else:
                frame = self.stack.pop()
                if tag == "br":
                    # A short line all in bold, then <br>: a subheading, not the next paragraph.
                    heading = 0 < self.line_chars <= 40 and self.line_bold >= self.line_chars
                    self.parts.append("\n\n" if heading else "\n")
                    self.line_chars = self.line_bold = 0
                elif frame.block:
                    self._flush(frame)
                self._text(el.tail)
        self._flush()
        return self.blocks

    def _open(self, el: Any, tag: str, names: str) -> None:
        parent = self.stack[-1] if self.stack else _Frame(0)
        frame = _Frame(
            id(el),
            block=tag in _BLOCK_TAGS,
            meta=parent.meta,
            kind=parent.kind,
            link=parent.link or tag == "a",
            bold=parent.bold or tag in _BOLD_TAGS,
            pre=parent.pre or tag == "pre",
            list_id=id(el) if tag in ("ul", "ol") else parent.list_id,
            centered=parent.centered or tag == "center" or _centered(el),
            titleish=parent.titleish or bool(names and _TITLE_CLASS.search(names)),
        )
        if frame.block:
            self._flush()
            found = _hint(el, tag, names)
            if found:
                self.hints[id(el)] = found
            if not frame.meta and names and _META_RE.search(names) and el.find(".//p") is None:
                frame.meta = True
            if tag in _HEADINGS:
                frame.kind = Kind.TITLE if tag == "h1" else Kind.HEADING
            elif tag == "blockquote":
                frame.kind = Kind.QUOTE
            elif tag == "figcaption" or (names and _CAPTION_CLASS.search(names)):
                frame.kind = Kind.CAPTION
        self.stack.append(frame)
        self._text(el.text)

    def _text(self, text: str | None) -> None:
        if not text:
            return
        frame = self.stack[-1] if self.stack else _Frame(0)
        if text != "\n" and not frame.pre:
            # A line break in the source is a wrap, not a paragraph (<br> is): cleaning joins
            # wrapped lines, without a space between Chinese characters.
            text = _SPACES.sub(lambda m: "\u2028" if "\n" in m.group() else " ", text)
        self.parts.append(text)
        size = len(text.strip())
        self.chars += size
        self.line_chars += size
        if frame.link:
            self.links += size
        if frame.bold:
            self.bold_chars += size
            self.line_bold += size
        if frame.titleish and size:
            self.titleish = True

    def _flush(self, closing: _Frame | None = None) -> None:
        text = "".join(self.parts)
        if text.strip():
            ctx = closing or self._block_frame()
            chain = tuple(f.id for f in self.stack) + ((closing.id,) if closing else ())
            self.blocks.append(
                _Block(
                    kind=ctx.kind,
                    text=text,
                    chain=chain,
                    links=self.links,
                    bold=self.chars > 0 and self.bold_chars >= self.chars,
                    hint=None,
                    hard=False,
                    meta=ctx.meta,
                    list_id=ctx.list_id,
                    after_image=self.after_image,
                    centered=ctx.centered,
                    titleish=self.titleish,
                )
            )
            self.after_image = False
        self.parts.clear()
        self.links = self.bold_chars = self.chars = self.line_chars = self.line_bold = 0
        self.titleish = False

    def _block_frame(self) -> _Frame:
        for frame in reversed(self.stack):
            if frame.block:
                return frame
        return self.stack[-1] if self.stack else _Frame(0)

    def _table(self, table: Any) -> None:
        """Figures in a table: one block per row, cells joined, as the DOCX reader does."""
        chain = (*(f.id for f in self.stack), id(table))
        for row in table.iter("tr"):
            cells = [
                _SPACES.sub(" ", c.text_content()).strip() for c in row if c.tag in ("td", "th")
            ]
            if any(cells):
                text = " | ".join(c for c in cells if c)
                self.blocks.append(
                    _Block(Kind.PARAGRAPH, text, chain, 0, False, None, False, False)
                )


def _resolve_hints(blocks: list[_Block], hints: dict[int, tuple[str, bool]]) -> None:
    """Give each block the furniture hint of its nearest marked ancestor (a "hard" one anywhere
    above wins), except marks on the element that holds most of the page's prose: that is the
    article, whatever its class says ("field-label-hidden", "node-promoted")."""
    if not hints:
        return
    prose: dict[int, int] = {}
    total = 0
    for b in blocks:
        weight = han_count(b.text) if is_sentence(b.text) else 0
        total += weight
        if weight:
            for el in b.chain:
                if el in hints:
                    prose[el] = prose.get(el, 0) + weight
    void = {el for el, weight in prose.items() if total and weight >= 0.6 * total}
    for b in blocks:
        found: tuple[str, bool] | None = None
        for el in reversed(b.chain):
            mark = hints.get(el)
            if mark is None or el in void:
                continue
            if found is None or (mark[1] and not found[1]):
                found = mark
        if found:
            b.hint, b.hard = found


def _centered(el: Any) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return (el.get("align") or "").lower() == "center" or "text-align:center" in style


def _hint(el: Any, tag: str, names: str) -> tuple[str, bool] | None:
    if tag in _TAG_HINTS:
        return _TAG_HINTS[tag], False
    role = el.get("role")
    if role in _ROLE_HINTS:
        return _ROLE_HINTS[role], False
    if not names:
        return None
    for pattern, reason in _HARD_CLASSES:
        if pattern.search(names):
            return reason, True
    for pattern, reason in _SOFT_CLASSES:
        if pattern.search(names):
            return reason, False
    return None


def _is_data_table(table: Any) -> bool:
    """A table of figures, not a page laid out with a table: short cells, no blocks inside."""
    cells = 0
    for el in table.iterdescendants():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in ("table", "p", "div", "blockquote", "h1", "h2", "h3", "ul", "ol", "img"):
            return False
        if tag in ("td", "th"):
            cells += 1
            if len(el.text_content().strip()) > 80:
                return False
    return cells > 0


def _strong_prose(b: _Block) -> bool:
    return han_count(b.text) >= 50 and is_sentence(b.text) and b.link_density < 0.3


def _is_link_line(b: _Block) -> bool:
    """A block that is a link to elsewhere (menus, story lists): mostly link text."""
    text = b.text.strip()
    return bool(text) and b.link_density > 0.7 and not (han_count(text) >= 60 and "。" in text)


def _prose_weight(b: _Block) -> int:
    if b.hint or b.meta or b.kind in (Kind.TITLE, Kind.CAPTION) or b.link_density >= 0.5:
        return 0
    return han_count(b.text) if is_sentence(b.text) else 0


# How much the text that is not prose counts against a container, per character.
_NOISE_COST = 0.5


def _article_region(blocks: list[_Block]) -> set[int]:
    """Indices of the blocks that make up the article."""
    weights = [_prose_weight(b) for b in blocks]
    if not any(weights):
        return set(range(len(blocks)))
    score: dict[int, float] = {}
    depth: dict[int, int] = {}
    for b, w in zip(blocks, weights, strict=True):
        if w:
            gain = float(w)
        elif b.kind in (Kind.TITLE, Kind.CAPTION) or b.meta:
            gain = 0.0  # the article's own headline, byline and captions are not noise
        else:
            gain = -_NOISE_COST * min(len(b.text.strip()), 300)
        for level, el in enumerate(b.chain):
            score[el] = score.get(el, 0.0) + gain
            depth[el] = level
    best = max(score, key=lambda el: (score[el], depth[el]))
    region = {i for i, b in enumerate(blocks) if best in b.chain}
    _rescue(blocks, weights, region)
    return region


def _rescue(blocks: list[_Block], weights: list[int], region: set[int]) -> None:
    """Prose that sits just outside the chosen element (a last paragraph after an ad box)."""
    if not region:
        return
    for direction, start in ((1, max(region) + 1), (-1, min(region) - 1)):
        i, gap = start, 0
        while 0 <= i < len(blocks) and gap <= 4:
            b = blocks[i]
            if weights[i] >= 20 and b.link_density < 0.2 and not b.hint:
                region.add(i)
                gap = 0
            elif b.kind is Kind.TITLE:
                break
            else:
                gap += 1  # an ad box or a share bar between two paragraphs
            i += direction


def _norm(text: str) -> str:
    return re.sub(r"[\s\u3000\u00a0]+", "", text)


def _choose_title(blocks: list[_Block], region: set[int], draft: Draft) -> None:
    """The headline: a heading that the page's <title>/og:title names, else the h1 nearest the
    article, else what the metadata says."""
    if draft.title:
        return
    names = [_norm(t) for t in (draft.fallback_title, *draft.title_hints) if t]
    first = min(region) if region else 0
    headings = [
        (i, b)
        for i, b in enumerate(blocks)
        if (b.kind in (Kind.TITLE, Kind.HEADING) or b.titleish)
        and not b.hint
        and 4 <= len(_norm(b.text)) <= 120
        and i <= (max(region) if region else len(blocks))
    ]
    named = [
        (i, b) for i, b in headings if any(_norm(b.text) and _norm(b.text) in n for n in names)
    ]
    if named:
        chosen = max(named, key=lambda ib: (len(_norm(ib[1].text)), -abs(ib[0] - first)))
    else:
        h1s = [(i, b) for i, b in headings if b.kind is Kind.TITLE]
        # No <h1>, and the page's <title> names only the section ("新闻动态--某学会官网"):
        # the heading just above the article is its headline.
        above = [
            (i, b)
            for i, b in headings
            if first - 5 <= i <= first and len(_norm(b.text)) >= 6 and "。" not in b.text
        ]
        if h1s:
            chosen = min(h1s, key=lambda ib: abs(ib[0] - first))
        elif above:
            chosen = above[-1]
        else:
            return
    draft.title = chosen[1].text
    region.discard(chosen[0])


def _comments_metadata(root: Any, draft: Draft) -> None:
    # A comment before <html> is the root's sibling, not its descendant.
    before = reversed(list(root.itersiblings(etree.Comment, preceding=True)))
    after = root.itersiblings(etree.Comment)
    for c in (*before, *root.iter(etree.Comment), *after):
        text = (c.text or "").strip()
        if draft.captured_at is None and (iso := epoch_to_iso(text)):
            draft.captured_at = iso
        m = re.match(r"saved from url=\(\d+\)(\S+)", text)
        if m and draft.source_url is None:
            draft.source_url = m.group(1)


def _meta(root: Any, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            for tag in root.iter("meta"):
                if (tag.get(attr) or "").lower() == name:
                    content = (tag.get("content") or "").strip()
                    if content:
                        return content
    return None


def _page_metadata(root: Any, draft: Draft) -> None:
    ld = _json_ld(root)
    if draft.source_url is None:
        href = None
        for link in root.iter("link"):
            if "canonical" in (link.get("rel") or "").lower().split():
                href = (link.get("href") or "").strip() or None
                break
        url = href or _meta(root, "og:url") or _str(ld.get("url"))
        draft.source_url = url if url and re.match(r"https?://", url, re.I) else None
    if draft.published is None:
        raw = _meta(
            root, "article:published_time", "pubdate", "publishdate", "publish-date",
            "datepublished", "date", "dc.date", "og:release_date", "published_time",
        ) or _str(ld.get("datePublished"))  # fmt: skip
        if raw is None:
            for time_tag in root.iter("time"):
                if time_tag.get("datetime"):
                    raw = _str(time_tag.get("datetime"))
                    break
        draft.published = raw.strip() if raw else None
    if draft.outlet is None:
        publisher = ld.get("publisher")
        draft.outlet = (
            _meta(root, "og:site_name", "application-name", "site_name")
            or (_str(publisher.get("name")) if isinstance(publisher, dict) else None)
            or _site_name(_document_title(root))
        )
    if draft.author is None:
        author = ld.get("author")
        if isinstance(author, list) and author:
            author = author[0]
        if isinstance(author, dict) and "Organization" in str(author.get("@type", "")):
            author = None  # the publisher named as author: that is the outlet
        draft.author = _author_meta(
            _str(author.get("name")) if isinstance(author, dict) else _str(author)
        ) or _author_meta(_meta(root, "author", "article:author", "byl", "dc.creator"))
        if draft.author and draft.outlet and _norm(draft.author) in _norm(draft.outlet):
            draft.author = None  # the site naming itself, not a byline
    headline = _str(ld.get("headline"))
    og_title = _without_site_name(_meta(root, "og:title"))
    page_title = _without_site_name(_document_title(root))
    hints = (og_title, page_title, _meta(root, "og:title"), _document_title(root))
    draft.title_hints = [t for t in hints if t]
    if draft.fallback_title is None:
        draft.fallback_title = headline or og_title or page_title


_ORGANISATION = re.compile(
    r"(?:通讯社|通訊社|新闻社|新聞社|社|网|網|台|报|報|新闻|新聞|日报|日報|电视|電視|media|news|agency"
    r"|corporation|times|press|broadcasting|network)\s*\)?$",
    re.I,
)


def _author_meta(value: str | None) -> str | None:
    """A `<meta name="author">` that names a person, not the site or a URL."""
    if not value or re.match(r"https?://", value) or len(value) > 60:
        return None
    if not any(ch.isalpha() for ch in value):  # "105092": an id, not a name
        return None
    if _ORGANISATION.search(value):  # "中央通訊社", "NHK (Japan Broadcasting Corporation)"
        return None
    return value


def _str(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _json_ld(root: Any) -> dict[str, Any]:
    for tag in root.iter("script"):
        if (tag.get("type") or "").lower() != "application/ld+json":
            continue
        try:
            data = json.loads(tag.text or "")
        except (ValueError, RecursionError):
            continue
        if isinstance(data, dict):
            graph = data.get("@graph")
            items = graph if isinstance(graph, list) else [data]
        elif isinstance(data, list):
            items = data
        else:
            continue
        for item in items:
            if isinstance(item, dict) and "Article" in str(item.get("@type", "")):
                return item
    return {}


def _split_br(text: str) -> list[str]:
    """Chinese sites often separate paragraphs by <br><br> or by indented lines after <br>."""
    if "\n" not in text.strip():
        return [text]
    text = re.sub("[\u2028 \t]*\n[\u2028 \t]*", "\n", text)  # source wraps around a <br>
    chunks = re.split(r"\n\s*\n", text)
    out: list[str] = []
    for chunk in chunks:
        lines = chunk.split("\n")
        indented = [ln for ln in lines if re.match("^[\u3000\u00a0 ]{2,}|^\u3000", ln)]
        if len(indented) >= 2:
            current: list[str] = []
            for ln in lines:
                if re.match("^[\u3000\u00a0 ]{2,}|^\u3000", ln) and current:
                    out.append("\n".join(current))
                    current = []
                current.append(ln)
            out.append("\n".join(current))
        else:
            out.append(chunk)
    return out


def _document_title(root: Any) -> str | None:
    for tag in root.iter("title"):
        return _str(tag.text_content())
    return None


_SITE_SUFFIX = re.compile(r"(\s*)[-|｜_–—](\s*)([^-|｜_–—]{1,16})$")


def _without_site_name(title: str | None) -> str | None:
    """ "Headline - Site", "Headline_新闻中心_某某网", "Headline-新华网": the headline."""
    while title:
        m = _SITE_SUFFIX.search(title)
        # A short tail with letters (not "COVID-19"'s digits) after a longer headline.
        if not m or not re.search(r"[^\W\d_]", m.group(3)):
            break
        spaced = bool(m.group(1) and m.group(2))
        # "COVID-19", "Kassym-Jomart": a hyphen between Latin letters or digits joins a word.
        joined = title[m.start() - 1 : m.start()].isascii() and (
            title[m.start() - 1 : m.start()].isalnum() and m.group(3)[:1].isalnum()
        )
        if not spaced and (m.start() < 6 or joined):
            break
        title = title[: m.start()].strip()
    return title or None


def _site_name(title: str | None) -> str | None:
    """The last part of "Headline - Site": the outlet's name."""
    if not title:
        return None
    headline = _without_site_name(title)
    if not headline or headline == title:
        return None
    tail = re.split(r"\s*[-|｜_–—]\s*", title[len(headline) :].strip(" -|｜_–—"))
    return tail[-1].strip() or None if tail else None


__all__ = ["parse_html"]
