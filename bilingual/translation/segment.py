"""Split a Chinese block into segments, the unit the engine and the memory work on.

Names are protected first and only the text *between* the protected spans is split, so a URL,
an e-mail address, ``C++``, ``Yahoo!``, ``U.S.``, ``No. 1`` or a quoted English phrase is never
cut, whatever punctuation it holds.

Sentences end at 。！？；… (and ! ? ;), together with any closing quotes or brackets right after
them. A sentence longer than `max_chars` is split further at ，；、 outside brackets and quotes;
a stretch with no such break is cut at `max_chars`, between two characters that are neither
inside a span nor inside a Latin word, so the model never sees an input longer than it can take
and the English of a huge unpunctuated paragraph comes back whole. Joining the segments gives
back the block's text minus the whitespace between them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from bilingual.names.protect import Found, Protected, build, find_spans
from bilingual.textutil import english_sentence_ranges

if TYPE_CHECKING:
    from bilingual.names.find import Mentions
    from bilingual.names.glossary import Glossary

_END = "。！？；!?;…"
_CLOSERS = "”’」』）)】》〉\"'"
_OPENERS = {
    "（": "）",
    "(": ")",
    "“": "”",
    "「": "」",
    "『": "』",
    "《": "》",
    "【": "】",
    "〈": "〉",
}
_SENTENCE_RE = re.compile(f"[^{_END}]*(?:[{_END}]+[{_CLOSERS}]*|$)")
_SOFT_BREAKS = "，；、,"
_MASK = "\ue000"  # stands for a protected character while looking for sentence ends
_ASCII_ALNUM_RE = re.compile(r"[A-Za-z0-9]")

MAX_CHARS = 120
#: The longest input a paragraph-unit engine (an LLM) is given: a longer paragraph goes as
#: several runs of whole sentences.
PARAGRAPH_MAX_CHARS = 600


def segments(
    text: str,
    glossary: Glossary | None = None,
    *,
    mentions: Mentions | None = None,
    max_chars: int = MAX_CHARS,
    unit: str = "sentence",
) -> list[Protected]:
    """Protect `text`, then split it into sentences between the protected spans (`unit`
    "paragraph": into runs of whole sentences of at most PARAGRAPH_MAX_CHARS, usually one)."""
    found = find_spans(text, glossary, mentions)
    return split_protected(text, found, max_chars, unit=unit)


def split_protected(
    text: str, found: Sequence[Found], max_chars: int = MAX_CHARS, *, unit: str = "sentence"
) -> list[Protected]:
    """Split `text` into sentences (or paragraph runs), never inside one of the `found` spans."""
    chars = list(text)
    inside = bytearray(len(text) + 1)  # 1 where a cut would fall inside a span
    for f in found:
        chars[f.start : f.end] = _MASK * (f.end - f.start)
        inside[f.start + 1 : f.end] = b"\x01" * max(0, f.end - f.start - 1)
    masked = "".join(chars)
    out: list[Protected] = []
    k = 0
    bounds = _bounds(masked, inside, max_chars)
    if unit == "paragraph":
        bounds = _runs(bounds, PARAGRAPH_MAX_CHARS)
    for start, end in bounds:
        while k < len(found) and found[k].start < start:
            k += 1
        first = k
        while k < len(found) and found[k].start < end:
            k += 1
        out.append(build(text, found[first:k], start, end))
    return out


def split_sentences(text: str, max_chars: int = MAX_CHARS) -> list[str]:
    """The sentences of `text` (names protected while splitting, so never cut)."""
    return [p.original for p in segments(text, max_chars=max_chars)]


def _runs(bounds: list[tuple[int, int]], limit: int) -> list[tuple[int, int]]:
    """Consecutive sentences joined while the run stays within `limit` characters."""
    runs: list[tuple[int, int]] = []
    for start, end in bounds:
        if runs and end - runs[-1][0] <= limit:
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    return runs


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _bounds(masked: str, inside: bytearray, max_chars: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for m in _SENTENCE_RE.finditer(masked):
        start, end = _strip(masked, m.start(), m.end())
        if start >= end:
            continue
        if end - start > max_chars:
            out.extend(_split_long(masked, inside, start, end, max_chars))
        else:
            out.append((start, end))
    return out


def _split_long(
    text: str, inside: bytearray, start: int, end: int, max_chars: int
) -> list[tuple[int, int]]:
    """Split at soft breaks outside brackets, else anywhere a cut is allowed, into pieces of
    at most about max_chars."""
    breaks: list[int] = []  # positions just after a usable comma
    closing: list[str] = []
    for i in range(start, end):
        ch = text[i]
        if ch in _OPENERS:
            closing.append(_OPENERS[ch])
        elif closing and ch == closing[-1]:
            closing.pop()
        elif ch in _SOFT_BREAKS and not closing:
            breaks.append(i + 1)
    pieces: list[tuple[int, int]] = []
    b = 0
    pos = start
    while end - pos > max_chars:
        while b < len(breaks) and breaks[b] <= pos:
            b += 1
        cut = None
        j = b
        while j < len(breaks) and breaks[j] <= pos + max_chars:
            cut = breaks[j]
            j += 1
        if cut is None:
            cut = _hard_cut(text, inside, pos, end, max_chars)
        if cut is None or cut >= end:
            break
        pieces.append(_strip(text, pos, cut))
        pos = cut
    pieces.append(_strip(text, pos, end))
    return [(s, e) for s, e in pieces if s < e]


def _hard_cut(text: str, inside: bytearray, pos: int, end: int, max_chars: int) -> int | None:
    """The last place within max_chars of `pos` where the text may be cut: not inside a span,
    not between two letters or digits of a Latin word (the first such place further on when a
    span is longer than max_chars)."""

    def allowed(i: int) -> bool:
        return not inside[i] and not (
            _ASCII_ALNUM_RE.match(text[i - 1]) and _ASCII_ALNUM_RE.match(text[i])
        )

    for i in range(min(pos + max_chars, end - 1), pos, -1):
        if allowed(i):
            return i
    for i in range(pos + max_chars + 1, end):
        if allowed(i):
            return i
    return None


@lru_cache(maxsize=4096)
def sentence_pairs(zh: str, en: str | None) -> tuple[tuple[int, int, int, int], ...]:
    """Which sentence of the English renders which sentence of the Chinese, as
    (zh_start, zh_end, en_start, en_end) character ranges; none when it cannot be told.

    The pipeline translates sentence by sentence (`split_sentences`), so the machine English
    has one sentence per Chinese sentence. When the English has as many sentences as the
    Chinese, they are paired in order; otherwise (a person merged or split sentences) no pairs
    are claimed. Cached: a page load asks for every paragraph's pairs.
    """
    if not en:
        return ()
    zh_sentences = split_sentences(zh)
    if len(zh_sentences) < 2:
        return ()
    zh_ranges: list[tuple[int, int]] = []
    at = 0
    for sentence in zh_sentences:
        start = zh.find(sentence, at)
        if start < 0:
            return ()
        zh_ranges.append((start, start + len(sentence)))
        at = start + len(sentence)
    en_ranges = english_sentence_ranges(en)
    if len(en_ranges) != len(zh_ranges):
        return ()
    return tuple((a, b, c, d) for (a, b), (c, d) in zip(zh_ranges, en_ranges, strict=True))
