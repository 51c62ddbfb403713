"""What an HTML page says about its article besides its text: the canonical URL, the dates, the
outlet, the author and the headline, from <meta> tags, JSON-LD, <title> and the comments that
saving tools leave (`saved from url=`, a capture time)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from lxml import etree

from bilingual.readers.draft import Draft, epoch_to_iso


def comments_metadata(root: Any, draft: Draft) -> None:
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


def page_metadata(root: Any, draft: Draft) -> None:
    """What the page says about its article (canonical URL, dates, outlet, author, headline), from
    its <meta> tags, JSON-LD and <title>: each field the draft does not have yet, from the first
    source that gives it."""
    ld = _json_ld(root)
    for name, find in _FIELDS:
        if getattr(draft, name) is None:
            setattr(draft, name, find(root, ld, draft))
    og_title = _without_site_name(_meta(root, "og:title"))
    page_title = _without_site_name(_document_title(root))
    hints = (og_title, page_title, _meta(root, "og:title"), _document_title(root))
    draft.title_hints = [t for t in hints if t]
    if draft.fallback_title is None:
        draft.fallback_title = _str(ld.get("headline")) or og_title or page_title


def _source_url(root: Any, ld: dict[str, Any], draft: Draft) -> str | None:
    href = None
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            href = (link.get("href") or "").strip() or None
            break
    url = href or _meta(root, "og:url") or _str(ld.get("url"))
    return url if url and re.match(r"https?://", url, re.I) else None


_PUBLISHED_META = (
    "article:published_time", "pubdate", "publishdate", "publish-date", "datepublished", "date",
    "dc.date", "og:release_date", "published_time",
)  # fmt: skip


def _published(root: Any, ld: dict[str, Any], draft: Draft) -> str | None:
    raw = _meta(root, *_PUBLISHED_META) or _str(ld.get("datePublished"))
    if raw is None:
        raw = next((_str(t.get("datetime")) for t in root.iter("time") if t.get("datetime")), None)
    return raw.strip() if raw else None


def _outlet(root: Any, ld: dict[str, Any], draft: Draft) -> str | None:
    publisher = ld.get("publisher")
    return (
        _meta(root, "og:site_name", "application-name", "site_name")
        or (_str(publisher.get("name")) if isinstance(publisher, dict) else None)
        or _site_name(_document_title(root))
    )


def _author(root: Any, ld: dict[str, Any], draft: Draft) -> str | None:
    author = ld.get("author")
    if isinstance(author, list) and author:
        author = author[0]
    if isinstance(author, dict) and "Organization" in str(author.get("@type", "")):
        author = None  # the publisher named as author: that is the outlet
    name = _author_meta(
        _str(author.get("name")) if isinstance(author, dict) else _str(author)
    ) or _author_meta(_meta(root, "author", "article:author", "byl", "dc.creator"))
    if name and draft.outlet and _norm(name) in _norm(draft.outlet):
        return None  # the site naming itself, not a byline
    return name


# The draft's fields that the page's metadata fills, in order (the author is checked against the
# outlet found before it).
_FIELDS: tuple[tuple[str, Callable[[Any, dict[str, Any], Draft], str | None]], ...] = (
    ("source_url", _source_url),
    ("published", _published),
    ("outlet", _outlet),
    ("author", _author),
)


def _norm(text: str) -> str:
    return re.sub(r"[\s\u3000\u00a0]+", "", text)


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


__all__ = ["comments_metadata", "page_metadata"]
