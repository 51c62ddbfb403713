"""HTML pages (and Markdown rendered to HTML): find the article body, walk its blocks."""

from __future__ import annotations

import json
import re
import warnings
from typing import Any

from bs4 import BeautifulSoup, Comment, MarkupResemblesLocatorWarning, NavigableString, Tag

from bilingual.document import Kind
from bilingual.readers.build import Draft, epoch_to_iso, find_date, parse_dateline
from bilingual.textutil import han_count

# Elements that never hold article text.
_DROP_TAGS = (
    "script", "style", "noscript", "template", "nav", "form", "iframe", "svg", "canvas",
    "button", "input", "select", "textarea", "object", "embed", "audio", "video", "map",
    "head", "meta", "link",
)  # fmt: skip
# Page furniture outside (or, for share bars and related lists, inside) the article.
_FURNITURE_TAGS = ("header", "footer", "aside")
_FURNITURE_RE = re.compile(
    r"(^|[\s_-])(share|sharing|social|related|recommend|comment|comments|footer|nav|navbar|menu"
    r"|breadcrumbs?|cookie|consent|banner|promo|advert|ads?|sponsor|subscribe|newsletter|sidebar"
    r"|toolbar|tags|pagination|popup|modal|copyright|hot|most-read|trending|masthead|topbar"
    r"|keywords)($|[\s_-])",
    re.IGNORECASE,
)
# Datelines and bylines set apart from the text: metadata, not paragraphs.
_META_RE = re.compile(
    r"(^|[\s_-])(meta|byline|author|authors|dateline|date|time|pubdate|publish|info|source"
    r"|article-info|post-meta|timestamp)($|[\s_-])",
    re.IGNORECASE,
)
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCK_TAGS = _HEADINGS | {"p", "blockquote", "figcaption", "li", "pre", "dd", "dt", "td", "th"}
_CONTAINERS = {
    "div", "section", "article", "main", "figure", "ul", "ol", "dl", "body", "html", "center",
    "table", "tbody", "thead", "tr", "header", "footer", "aside", "span", "font",
}  # fmt: skip
_BLOCKISH = _BLOCK_TAGS | _CONTAINERS - {"span", "font"} | {"br", "hr"}


def parse_html(markup: str, draft: Draft | None = None, *, page: bool = True) -> Draft:
    """Parse `markup` into `draft`. With page=True, look for metadata and the article body."""
    draft = draft or Draft()
    with warnings.catch_warnings():
        # A short text that looks like a file name or URL is still the text we were given.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(markup, "lxml")
    _comments_metadata(soup, draft)
    if page:
        _page_metadata(soup, draft)
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(_is_promo):
        tag.decompose()
    root = _article_root(soup) if page else soup
    _strip_furniture(root)
    _walk(root, draft)
    return draft


def _comments_metadata(soup: BeautifulSoup, draft: Draft) -> None:
    for c in soup.find_all(string=lambda s: isinstance(s, Comment)):
        text = str(c).strip()
        if draft.captured_at is None and (iso := epoch_to_iso(text)):
            draft.captured_at = iso
        m = re.match(r"saved from url=\(\d+\)(\S+)", text)
        if m and draft.source_url is None:
            draft.source_url = m.group(1)
        c.extract()


def _meta(soup: BeautifulSoup, *names: str) -> str | None:
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if isinstance(tag, Tag):
            content = tag.get("content")
            if isinstance(content, str) and content.strip():
                return content.strip()
    return None


def _page_metadata(soup: BeautifulSoup, draft: Draft) -> None:
    ld = _json_ld(soup)
    if draft.source_url is None:
        canonical = soup.find("link", rel="canonical")
        href = canonical.get("href") if isinstance(canonical, Tag) else None
        draft.source_url = (
            (href if isinstance(href, str) and href.strip() else None)
            or _meta(soup, "og:url")
            or _str(ld.get("url"))
        )
    if draft.published is None:
        raw = _meta(soup, "article:published_time", "pubdate", "publishdate", "date") or _str(
            ld.get("datePublished")
        )
        if raw is None:
            time_tag = soup.find("time", attrs={"datetime": True})
            if isinstance(time_tag, Tag):
                raw = _str(time_tag.get("datetime"))
        if raw:
            draft.published = raw.strip()
        else:
            draft.published = _date_element(soup)
    if draft.fallback_title is None:
        draft.fallback_title = (
            _str(ld.get("headline"))
            or _without_site_name(_meta(soup, "og:title"))
            or _only_h1(soup)
            or _without_site_name(_document_title(soup))
        )


def _str(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _json_ld(soup: BeautifulSoup) -> dict[str, Any]:
    for tag in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(tag.get_text())
        except ValueError:
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data])
        for item in items:
            if isinstance(item, dict) and "Article" in str(item.get("@type", "")):
                return item
    return {}


def _is_promo(tag: Tag) -> bool:
    if any(str(attr).startswith("data-selfpromo") for attr in tag.attrs):
        return True
    if tag.get("hidden") is not None or tag.get("aria-hidden") == "true":
        return True
    style = str(tag.get("style", "")).replace(" ", "").lower()
    return "display:none" in style


def _furniture(tag: Tag) -> bool:
    if tag.name in _FURNITURE_TAGS:
        return True
    if tag.get("role") in ("navigation", "banner", "contentinfo", "complementary"):
        return True
    classes: Any = tag.get("class") or []
    names = " ".join([*classes, str(tag.get("id", ""))]) if isinstance(classes, list) else ""
    return bool(names and _FURNITURE_RE.search(names))


def _is_meta(tag: Tag) -> bool:
    """A short dateline/byline element (class "meta", "byline", ...), not body text."""
    classes: Any = tag.get("class") or []
    names = " ".join([*classes, str(tag.get("id", ""))]) if isinstance(classes, list) else ""
    if not names or not _META_RE.search(names) or tag.find(["p", "blockquote"]):
        return False
    return len(tag.get_text().strip()) <= 80


def _is_data_table(table: Tag) -> bool:
    """A table of figures, not a page laid out with a table: short cells, no paragraphs inside."""
    cells = table.find_all(["td", "th"])
    if not cells or table.find(["table", "p", "div", "blockquote", "h1", "h2", "h3"]):
        return False
    return max(len(c.get_text().strip()) for c in cells) <= 80


def _is_link_list(tag: Tag) -> bool:
    """Menus and story lists: several links and little text besides them."""
    links = tag.find_all("a")
    if len(links) < 2:
        return False
    text = tag.get_text().strip()
    linked = sum(len(a.get_text().strip()) for a in links)
    return bool(text) and linked / len(text) > 0.7


def _strip_furniture(root: Tag) -> None:
    for tag in root.find_all(_furniture):
        # Keep the article's own header (title, dateline) when it sits inside the body.
        if tag.name == "header" and tag.find_parent("article") is not None:
            continue
        if not tag.decomposed:
            tag.decompose()


def _article_root(soup: BeautifulSoup) -> Tag:
    """The element holding the article: <article>, articleBody, <main>, or the densest one."""
    for selector in ('[itemprop="articleBody"]', "article", '[role="main"]', "main"):
        found = [t for t in soup.select(selector) if han_count(t.get_text()) > 20]
        if found:
            return max(found, key=lambda t: han_count(t.get_text()))
    best: Tag | None = None
    best_score = 0
    for tag in soup.find_all(["div", "section", "td", "body"]):
        if _furniture(tag):
            continue
        score = sum(han_count(p.get_text()) for p in tag.find_all("p", recursive=False)) + sum(
            han_count(s) for s in tag.find_all(string=True, recursive=False)
        )
        if score > best_score:
            best, best_score = tag, score
    if best is not None and best_score >= 30:
        # The title usually sits just above the body: take the enclosing container.
        parent = best.parent
        if isinstance(parent, Tag) and parent.name not in ("body", "html", "[document]"):
            return parent
        return best
    body = soup.body
    return body if body is not None else soup


def _is_bold(tag: Tag) -> bool:
    """The block's whole text sits inside <strong>/<b>."""
    text = tag.get_text().strip()
    if not text:
        return False
    bold = "".join(
        t.get_text() for t in tag.find_all(["strong", "b"]) if not t.find_parent(["strong", "b"])
    )
    return bold.strip() == text


def _text(tag: Tag) -> str:
    """Text of a block; <br> becomes a line break (cleaning joins hard wraps)."""
    parts: list[str] = []
    for node in tag.descendants:
        if isinstance(node, NavigableString) and not isinstance(node, Comment):
            parts.append(str(node))
        elif isinstance(node, Tag) and node.name == "br":
            parts.append("\n")
    return "".join(parts)


def _split_br(tag: Tag) -> list[str]:
    """Chinese sites often separate paragraphs by <br><br> or by indented lines after <br>."""
    text = _text(tag)
    if "\n" not in text.strip():
        return [text]
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


def _walk(node: Tag, draft: Draft) -> None:
    loose: list[str] = []

    def flush() -> None:
        if loose:
            draft.add(Kind.PARAGRAPH, "".join(loose))
            loose.clear()

    for child in node.children:
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            loose.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name == "br":
            if loose:
                loose.append("\n")
            if loose and "".join(loose).endswith("\n\n"):
                flush()
            continue
        if name not in _BLOCKISH and not child.find(_BLOCKISH):
            loose.append(_text(child))  # inline element inside running text
            continue
        flush()
        if _is_meta(child):
            if draft.published is None:
                draft.published = find_date(child.get_text(" "))
            continue
        if _is_link_list(child):
            continue
        if name == "table" and _is_data_table(child):
            # Figures in a table: one block per row, cells joined, as the DOCX reader does.
            for row in child.find_all("tr"):
                cells = [_text(c).strip() for c in row.find_all(["td", "th"])]
                if any(cells):
                    draft.add(Kind.PARAGRAPH, " | ".join(c for c in cells if c))
            continue
        if name in _HEADINGS:
            level = int(name[1])
            kind = Kind.TITLE if level == 1 else Kind.HEADING
            draft.add(kind, _text(child))
        elif name == "blockquote":
            if child.find(["p", "div"]):
                inner = Draft()
                _walk(child, inner)
                for piece in inner.pieces:
                    draft.add(Kind.QUOTE, piece.text)
            else:
                draft.add(Kind.QUOTE, _text(child))
        elif name == "figcaption":
            draft.add(Kind.CAPTION, _text(child))
        elif name in ("p", "pre", "dd", "dt", "td", "th") or (
            name == "li" and not child.find(_BLOCK_TAGS)
        ):
            if child.find(_BLOCK_TAGS - {"td", "th"}):
                _walk(child, draft)
                continue
            bold = _is_bold(child)
            for text in _split_br(child):
                draft.add(Kind.PARAGRAPH, text, bold=bold)
        elif child.find(_BLOCKISH):
            _walk(child, draft)
        else:
            # A container holding only text (a dateline <div>, a text-only <div> paragraph).
            for text in _split_br(child):
                draft.add(Kind.PARAGRAPH, text, bold=_is_bold(child))
    flush()


def _document_title(soup: BeautifulSoup) -> str | None:
    tag = soup.find("title")
    return _str(tag.get_text()) if isinstance(tag, Tag) else None


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


def _only_h1(soup: BeautifulSoup) -> str | None:
    """The page's one <h1>, where the article body does not hold it."""
    headings = [h for h in soup.find_all("h1") if h.get_text().strip()]
    return _str(headings[0].get_text()) if len(headings) == 1 else None


_DATE_CLASS_RE = re.compile(r"time|date|pub|info|meta|source", re.IGNORECASE)


def _date_element(soup: BeautifulSoup) -> str | None:
    """A dateline in a short element whose class or id says so ("time", "pubtime", ...)."""
    for tag in soup.find_all(True):
        classes: Any = tag.get("class") or []
        names = " ".join([*classes, str(tag.get("id", ""))]) if isinstance(classes, list) else ""
        text = tag.get_text(" ").strip()
        if names and _DATE_CLASS_RE.search(names) and len(text) <= 80:
            found = find_date(text)
            if found:
                return found
    return None


__all__ = ["parse_dateline", "parse_html"]
