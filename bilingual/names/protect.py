"""Names stay as written: protect Latin-script spans and glossary terms around the engine.

`find_spans` finds every span of a Chinese text that must come out of the engine verbatim --
Latin-script names and the like (`bilingual.names.find`), glosses ``中文名（Latin Name）``, and glossary
terms -- and `protect` replaces each with a placeholder (`bilingual.names.placeholders`, which also
puts them back). The modules are re-exported here, the one place callers import them from.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bilingual.names.find import EMAIL, URL, Gloss, find_glosses, latin_spans
from bilingual.names.placeholders import (
    PLACEHOLDER_RE,
    Protected,
    Restored,
    build,
    join_pieces,
    pieces,
    placeholder,
    restore,
)
from bilingual.names.punctuation import english_punctuation
from bilingual.names.spans import Found, Span

if TYPE_CHECKING:
    from bilingual.names.find import Mentions
    from bilingual.names.glossary import Entry, Glossary

__all__ = [
    "PLACEHOLDER_RE",
    "Found",
    "Gloss",
    "Protected",
    "Restored",
    "Span",
    "build",
    "english_punctuation",
    "find_glosses",
    "find_spans",
    "join_pieces",
    "pieces",
    "placeholder",
    "protect",
    "restore",
]


def _glossary_spans(
    text: str, start: int, end: int, glossary: Glossary
) -> tuple[list[tuple[Found, Entry]], list[tuple[int, int]]]:
    found: list[tuple[Found, Entry]] = []
    gaps: list[tuple[int, int]] = []
    pos = start
    for s, e, entry in glossary.find(text, start, end):
        found.append((Found(s, e, Span(text[s:e], entry.en, "glossary")), entry))
        gaps.append((pos, s))
        pos = e
    gaps.append((pos, end))
    return found, gaps


def _find_spans(
    segment: str, glossary: Glossary | None, mentions: Mentions | None = None
) -> list[Found]:
    found: list[Found] = []
    gaps: list[tuple[int, int]] = []
    glossed: dict[int, str] = {}
    pos = 0
    for g in find_glosses(segment, glossary):
        if g.start < pos:
            continue
        kind = "gloss" if g.zh else "latin"
        if not g.zh and re.fullmatch(URL, g.latin):
            kind = "url"
        elif not g.zh and re.fullmatch(EMAIL, g.latin):
            kind = "email"
        found.append(Found(g.start, g.end, Span(segment[g.start : g.end], g.render, kind)))
        if g.zh and glossary and g.zh in glossary:
            glossed[g.start] = glossary[g.zh].en
        gaps.append((pos, g.start))
        pos = g.end
    gaps.append((pos, len(segment)))
    entries: dict[int, Entry] = {}
    if glossary:
        latin_gaps: list[tuple[int, int]] = []
        for s, e in gaps:
            more, sub = _glossary_spans(segment, s, e, glossary)
            found.extend(f for f, _ in more)
            entries.update((f.start, entry) for f, entry in more)
            latin_gaps.extend(sub)
        gaps = latin_gaps
    for s, e in gaps:
        if s < e:
            found.extend(latin_spans(segment, s, e))
    found.sort(key=lambda f: f.start)
    if mentions is not None and glossary:
        found = [
            _mention(f, entries.get(f.start), glossed.get(f.start, ""), mentions) for f in found
        ]
    return found


def _mention(f: Found, entry: Entry | None, glossed: str, mentions: Mentions) -> Found:
    """A glossed name in full at its first mention in the document, short after that.

    `entry` is the glossary entry a glossary span stands for; `glossed` the glossary entry's
    render for the Chinese name of a gloss span (a gloss is always written as it is)."""
    if entry is not None and entry.short:
        render = mentions.mention(entry.en, entry.short)
        also = entry.short if render == entry.en else ""
        return Found(f.start, f.end, Span(f.span.source, render, f.span.kind, also))
    if glossed:
        mentions.mention(glossed)
    return f


def protect(segment: str, glossary: Glossary | None = None) -> Protected:
    """Replace every span that must survive translation verbatim by a placeholder."""
    return build(segment, _find_spans(segment, glossary))


def find_spans(
    text: str, glossary: Glossary | None = None, mentions: Mentions | None = None
) -> list[Found]:
    """Every protected span of `text`, in order, with its place; with `mentions`, glossed
    names are rendered as this mention in the document calls for."""
    return _find_spans(text, glossary, mentions)
