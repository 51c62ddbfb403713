"""An HTML page walked once into blocks of text in reading order.

The page is parsed with lxml and walked iteratively (no recursion, linear in the page). Each block
knows its element and ancestors, how much of it is link text, and what the page's markup says it
is: a heading, a caption, a quote, a byline, or furniture (class "share", "related", role
"navigation"...), with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from bilingual.document import Kind

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
class Block:
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


def parse_markup(markup: str) -> Any:
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


def _classes(el: Any) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".strip()


def _is_hidden(el: Any, names: str) -> bool:
    attrs = el.attrib
    if not attrs:
        return False
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    if any(str(attr).startswith("data-selfpromo") for attr in attrs):
        return True
    style = (attrs.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    classes = (attrs.get("class") or "").lower().split()
    return any(c in _HIDDEN_CLASSES for c in classes)


def _wrap_or_space(m: re.Match[str]) -> str:
    return "\u2028" if "\n" in m.group() else " "


class Walker:
    """One pass over the tree with lxml's iterwalk: blocks in reading order."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
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

    def walk(self, root: Any) -> list[Block]:
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
            text = _SPACES.sub(_wrap_or_space if "\n" in text else " ", text)
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
                Block(
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
                self.blocks.append(Block(Kind.PARAGRAPH, text, chain, 0, False, None, False, False))


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


__all__ = ["Block", "Walker", "parse_markup"]
