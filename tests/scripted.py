"""A deterministic engine for tests, good or bad on purpose.

`ScriptedEngine` "translates" each Han character into a three-letter word (``w`` + two
letters, the same word for the same character, no digits) and carries everything else through
unchanged: placeholders, digits, Latin, punctuation (Chinese punctuation too, which the
pipeline's `english_punctuation` fixes); ``2万`` and ``1.2亿`` become ``20,000`` and ``120,000,000``. The English is about four characters per Han
character, inside the checks' usual length range.

`mode` makes it misbehave with placeholders the way real models do:

==============  =================================================================
``good``        placeholders come back as they went in
``drop``        the first placeholder is dropped
``drop-all``    every placeholder is dropped
``repeat``      the first placeholder comes back twice
``swap``        the first two placeholders trade places
``lower``       placeholders come back lowercased (``qz0``)
``space``       placeholders come back spaced and glued (``wabQ Z 0``)
``punct``       placeholders come back in brackets with a comma (``[QZ0],``)
``echo``        the name next to a placeholder is translated as well: ``wab (QZ0)``
``garble``      the first placeholder's index is mangled (``QZ0`` -> ``QZO``)
``untranslated``  Han characters are left in the output
``loop``        the output ends with a phrase repeated four times
``digits``      every digit 0-8 outside placeholders is bumped by one
``low-score``   good text with a very low score
==============  =================================================================

`table` maps exact inputs to outputs (used as they are, whatever the mode). Every input seen is
recorded in `calls`, batch by batch.
"""

from __future__ import annotations

import re
import zlib
from decimal import Decimal

from bilingual.engines.base import Engine, Result
from bilingual.glossary import Glossary
from bilingual.pipeline import DEFAULT_STRATEGIES, Route, prepare_block, render
from bilingual.protect import PLACEHOLDER_RE
from bilingual.textutil import HAN

MODES = (
    "good",
    "drop",
    "drop-all",
    "repeat",
    "swap",
    "lower",
    "space",
    "punct",
    "echo",
    "garble",
    "untranslated",
    "loop",
    "digits",
    "low-score",
)
# The modes that mistreat placeholders.
BAD_MODES = ("drop", "drop-all", "repeat", "swap", "lower", "space", "punct", "echo", "garble")

_PLACEHOLDER = r"[Qq][ \-_]?[Zz][ \-_]?\d{1,3}(?!\d)"
_TOKEN_RE = re.compile(f"({HAN}+|{_PLACEHOLDER})")
_LETTERS = "abcdefghijklmnoprstuvwxyz"  # no q: "wqz" would look like a placeholder
_SCALED_RE = re.compile(r"(\d+(?:\.\d+)?)(万|亿)")


def _scaled(m: re.Match[str]) -> str:
    """2万 -> 20,000 and 1.2亿 -> 120,000,000, as a model writes them."""
    value = Decimal(m.group(1)) * (10_000 if m.group(2) == "万" else 100_000_000)
    return f"{int(value):,}"


def word(ch: str) -> str:
    """The scripted 'translation' of one Han character."""
    n = zlib.crc32(ch.encode("utf-8"))
    return "w" + _LETTERS[n % 25] + _LETTERS[(n // 25) % 25]


def _bump(m: re.Match[str]) -> str:
    return str(int(m.group(0)) + 1)


class ScriptedEngine(Engine):
    name = "scripted"

    def __init__(self, mode: str = "good", table: dict[str, str] | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; one of {', '.join(MODES)}")
        self.mode = mode
        self.table = dict(table or {})
        self.calls: list[list[str]] = []

    def translate_batch(self, segments: list[str]) -> list[Result]:
        self.calls.append(list(segments))
        score = -4.0 if self.mode == "low-score" else -0.3
        return [Result(self.translate(s), score) for s in segments]

    def signature(self) -> dict[str, str]:
        return {"engine": self.name, "mode": self.mode}

    def translate(self, text: str) -> str:
        if text in self.table:
            return self.table[text]
        text = _SCALED_RE.sub(_scaled, text)
        out: list[str] = []
        for tok in _TOKEN_RE.split(text):
            if not tok:
                continue
            if PLACEHOLDER_RE.fullmatch(tok):
                out.append(f" {tok} ")
            elif re.fullmatch(f"{HAN}+", tok):
                if self.mode == "untranslated":
                    out.append(tok)
                else:
                    out.append(" " + " ".join(word(c) for c in tok) + " ")
            else:
                out.append(tok)
        en = re.sub(r" {2,}", " ", "".join(out)).strip()
        return self._misbehave(en)

    def _misbehave(self, en: str) -> str:
        mode = self.mode
        found = list(PLACEHOLDER_RE.finditer(en))
        if mode == "loop":
            return en + " and the talks" * 4
        if mode == "digits":
            bumped = [
                part if PLACEHOLDER_RE.fullmatch(part) else re.sub(r"[0-8]", _bump, part)
                for part in re.split(f"({_PLACEHOLDER})", en)
            ]
            return "".join(bumped)
        if not found:
            return en
        first = found[0]
        if mode == "drop":
            return en[: first.start()] + en[first.end() :]
        if mode == "drop-all":
            return PLACEHOLDER_RE.sub("", en)
        if mode == "repeat":
            return en[: first.end()] + " " + first.group(0) + en[first.end() :]
        if mode == "swap" and len(found) >= 2:
            a, b = found[0], found[1]
            return (
                en[: a.start()] + b.group(0) + en[a.end() : b.start()] + a.group(0) + en[b.end() :]
            )
        if mode == "lower":
            return PLACEHOLDER_RE.sub(lambda m: m.group(0).lower(), en)
        if mode == "space":
            spaced = PLACEHOLDER_RE.sub(lambda m: "Q Z " + m.group(1), en)
            return re.sub(r" (Q Z \d+)", r"\1", spaced)
        if mode == "punct":
            return PLACEHOLDER_RE.sub(lambda m: f"[{m.group(0)}],", en)
        if mode == "echo":
            return PLACEHOLDER_RE.sub(lambda m: f"({m.group(0)})", en)
        if mode == "garble":
            return en[: first.start()] + first.group(0)[:2] + "O" + en[first.end() :]
        return en


def translate_block(
    zh: str,
    engine: Engine,
    glossary: Glossary | None = None,
    strategies: tuple[str, ...] = DEFAULT_STRATEGIES,
) -> tuple[str, list[str], list[str]]:
    """One block through the segment pipeline on `engine`, without a memory.

    Returns the English, the renders it must hold, and the renders that had to be repaired.
    """
    route = Route(engine, engine.signature())
    (out,) = render([(prepare_block(zh, glossary), route)], strategies=strategies)
    return out.en, out.renders, out.repaired
