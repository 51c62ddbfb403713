"""Placeholders: protected spans out of the engine's way, and back in its English.

`protect` finds every span of a Chinese segment that must come out of the engine verbatim --
Latin-script names, acronyms, brands, handles, URLs and e-mail addresses, glosses
`中文名（Latin Name）`, and glossary terms -- and replaces each with a placeholder. The engine
translates the text with placeholders; `restore` puts the renders back and says whether every
placeholder came back exactly once. When one did not, the caller translates `pieces` (the
Chinese between the spans) on their own and `join_pieces` puts the renders back in place, so a
name is never lost, only flagged.

Placeholders: ``QZ0``, ``QZ1``, ... (``QZ`` + the span's index, digits only after it).

* What the model copies. A zh→en Argos model is a Transformer over SentencePiece pieces trained
  on web and OPUS data, where Chinese text is full of short Latin codes that the English repeats
  as they are: acronyms and model numbers (``BBC``, ``G20``, ``MH370``, ``F-16``). An uppercase
  letters-and-digits code is the shape it has learned to copy through. Markup-like tokens
  (``<x1>``, ``[[1]]``, ``__0__``) are split into punctuation pieces and come back mangled or
  dropped; private-use or rare characters become ``<unk>``; bare numbers get reformatted and
  would collide with the article's own numbers, which the checks compare.
* No collision. Every Latin letter of the segment is inside a protected span, so the only Latin
  the engine sees is the placeholders; ``qz`` followed by a digit occurs in no English word, so
  the model cannot produce one by accident either. A placeholder never touches an ASCII letter or
  digit in the text sent to the engine (a space is put in between), so ``QZ1`` next to ``2000``
  stays two tokens.
* Easy to find again. The pattern is matched case-insensitively and tolerates a space, hyphen
  or underscore between ``Q``, ``Z`` and the index (``qz0``, ``Q Z 1``, ``QZ-2``) and any
  punctuation around it. A ``QZ`` left over without a usable index counts as garbled.
* The translation memory caches the engine's output by the placeholder text, which does not
  depend on what the spans are: ``总统QZ0今天表示`` is the same sentence whoever QZ0 is.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bilingual.names.spans import Found, Span
from bilingual.textutil import has_han

__all__ = [
    "PLACEHOLDER_RE",
    "Protected",
    "Restored",
    "build",
    "join_pieces",
    "pieces",
    "placeholder",
    "restore",
]

_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True)
class Protected:
    original: str
    text: str  # with placeholders: what the engine sees
    spans: tuple[Span, ...]  # placeholder i <-> spans[i]
    # The source text around the spans: parts[i] comes before spans[i]; len(spans) + 1 items.
    parts: tuple[str, ...] = ()

    @property
    def renders(self) -> list[str]:
        return [s.render for s in self.spans]


@dataclass
class Restored:
    text: str
    ok: bool
    problems: list[str] = field(default_factory=list)
    # Renders whose placeholder was missing, repeated or garbled (all of them if it is unclear).
    broken: list[str] = field(default_factory=list)


def placeholder(i: int) -> str:
    return f"QZ{i}"


PLACEHOLDER_RE = re.compile(r"[Qq][ \-_]?[Zz][ \-_]?(\d{1,3})(?!\d)")
# A "QZ" that is not followed by a usable index: the model garbled a placeholder.
_GARBLED_RE = re.compile(r"(?<![A-Za-z])[Qq][ \-_]?[Zz]")


def build(text: str, found: Sequence[Found], start: int = 0, end: int | None = None) -> Protected:
    """The Protected segment text[start:end], whose spans are `found` (placed in `text`)."""
    stop = len(text) if end is None else end
    segment = text[start:stop]
    out: list[str] = []
    parts: list[str] = []
    pos = 0
    for i, f in enumerate(found):
        s, e = f.start - start, f.end - start
        before = segment[pos:s]
        parts.append(before)
        out.append(before)
        ph = placeholder(i)
        prev = before[-1:] or (out[-2][-1:] if len(out) > 1 else "")
        if prev and _ASCII_ALNUM.match(prev):
            ph = " " + ph
        nxt = segment[e : e + 1]
        if nxt and _ASCII_ALNUM.match(nxt):
            ph += " "
        out.append(ph)
        pos = e
    parts.append(segment[pos:])
    out.append(segment[pos:])
    return Protected(segment, "".join(out), tuple(f.span for f in found), tuple(parts))


# --- restore -----------------------------------------------------------------------------------

_STRAY_BRACKETS_RE = re.compile(r"[\[<{«]\s*(\x00\d+\x00)\s*[\]>}»]")


def restore(output: str, p: Protected) -> Restored:
    """Put the renders back where the engine left the placeholders, and say if all came back."""
    n = len(p.spans)
    matches = list(PLACEHOLDER_RE.finditer(output))
    counts = Counter(int(m.group(1)) for m in matches)
    problems: list[str] = []
    broken: set[int] = set()
    for i in range(n):
        if counts[i] == 0:
            problems.append(f"{p.spans[i].render!r}: placeholder missing")
            broken.add(i)
        elif counts[i] > 1:
            problems.append(f"{p.spans[i].render!r}: placeholder repeated {counts[i]} times")
            broken.add(i)
    for i in sorted(k for k in counts if k >= n):
        problems.append(f"unknown placeholder {placeholder(i)}")
    # Mark kept placeholders with NUL-delimited indexes, drop repeats and unknown ones.
    seen: set[int] = set()
    pieces_out: list[str] = []
    pos = 0
    for m in matches:
        pieces_out.append(output[pos : m.start()])
        i = int(m.group(1))
        if i < n and i not in seen:
            seen.add(i)
            pieces_out.append(f"\x00{i}\x00")
        pos = m.end()
    pieces_out.append(output[pos:])
    marked = "".join(pieces_out)
    leftover = _GARBLED_RE.findall(marked)
    if leftover:
        problems.append(f"garbled placeholder {leftover[0]!r}")
    if (leftover or any(k >= n for k in counts)) and not broken:
        broken = set(range(n))
    marked = _STRAY_BRACKETS_RE.sub(r"\1", marked)
    marked = _drop_echoes(marked, p)

    def put(m: re.Match[str]) -> str:
        return p.spans[int(m.group(1))].render

    # Tidy the engine's spacing before the renders go in: a render is never touched.
    text = re.sub(r"\x00(\d+)\x00", put, _tidy(marked))
    return Restored(
        text=text,
        ok=not problems,
        problems=problems,
        broken=[p.spans[i].render for i in sorted(broken)],
    )


def _drop_echoes(marked: str, p: Protected) -> str:
    """Undo a model that wrapped a placeholder, or also translated the name it stands for.

    Parentheses the model put around a placeholder go, unless the text it saw had them there
    (a gloss's own parentheses are inside its span). Before a gloss placeholder, the model's
    own rendering of the name goes too: `Tokayev QZ0` with QZ0 = "Kassym-Jomart Tokayev".
    """
    for i, span in enumerate(p.spans):
        mark = re.escape(f"\x00{i}\x00")
        ph = placeholder(i)
        if not re.search(rf"[（(]\s*{ph}\s*[）)]", p.text):
            marked = re.sub(rf"\(\s*({mark})\s*\)", r"\1", marked)
        if span.kind != "gloss":
            continue
        words = re.findall(r"[^\W\d_][\w'’\-]*", span.render.split("(")[0])
        for k in range(len(words), 0, -1):
            echo = r"\s+".join(re.escape(w) for w in words[-k:])
            marked, n = re.subn(rf"(?i)(?<![\w'’-]){echo}\s*({mark})", r"\1", marked)
            if n:
                break
    return marked


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r" +([,.;:!?)\]])", r"\1", text)
    text = re.sub(r"([(\[]) +", r"\1", text)
    return text.strip()


# --- repair ------------------------------------------------------------------------------------


def _needs_translation(part: str) -> bool:
    return has_han(part)


def pieces(p: Protected) -> list[str]:
    """The Chinese between the spans that needs translating, in order (no placeholders).

    Parts without Han characters (punctuation, digits, spaces) are not sent: `join_pieces`
    keeps them as they are.
    """
    return [part.strip() for part in p.parts if _needs_translation(part)]


def join_pieces(p: Protected, translated: Sequence[str]) -> str:
    """Join the translated pieces with the renders in their original places.

    Every render appears exactly where its span was; anything in the translations that looks
    like a placeholder is dropped, so no span is ever invented.
    """
    wanted = pieces(p)
    if len(translated) != len(wanted):
        raise ValueError(f"join_pieces: {len(translated)} translations for {len(wanted)} pieces")
    it = iter(translated)
    out: list[str] = []
    for i, part in enumerate(p.parts):
        if _needs_translation(part):
            en = PLACEHOLDER_RE.sub("", next(it))
            out.append(_tidy(en))
        elif part.strip():
            out.append(part.strip())
        if i < len(p.spans):
            out.append(p.spans[i].render)
    return _join(out)


_NO_SPACE_BEFORE = set(",.;:!?)]}%”’") | set("，。、；：！？）】》」』")
_NO_SPACE_AFTER = set("([{“‘") | set("（【《「『，。、；：！？）】》」』")


def _join(parts: list[str]) -> str:
    text = ""
    for part in parts:
        if not part:
            continue
        if text and not (
            text[-1] in _NO_SPACE_AFTER or part[0] in _NO_SPACE_BEFORE or text[-1].isspace()
        ):
            text += " "
        text += part
    return text.strip()
