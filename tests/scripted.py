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

Placeholders are mistreated when the input has them; otherwise the Latin the engine was sent
as it is (names inline). `on` limits the mistreatment to one of the two (``latin`` or
``placeholders``), to test how one name strategy falls back to the next.

`table` maps exact inputs to outputs (used as they are, whatever the mode). Every input seen is
recorded in `calls`, batch by batch.
"""

from __future__ import annotations

import re
import zlib
from decimal import Decimal

from bilingual.engines.base import Engine, Result
from bilingual.names.glossary import Glossary
from bilingual.names.protect import PLACEHOLDER_RE
from bilingual.textutil import HAN
from bilingual.translation.pipeline import (
    DEFAULT_STRATEGIES,
    Route,
    prepare_block,
    strategies_named,
    translate_prepared,
)

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
# A run of Latin the engine was sent as it is (a name inline): C++, Kassym-Jomart Tokayev, a URL.
_LATIN_RUN_RE = re.compile(
    r"[@#]?[A-Za-z][^\s，。、；：！？（）“”]*(?:[ ]+[A-Za-z][^\s，。、；：！？（）“”]*)*"
)
_MARKED_RE = re.compile("\x01([^\x02]*)\x02")
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

    def __init__(
        self, mode: str = "good", table: dict[str, str] | None = None, on: str = "any"
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; one of {', '.join(MODES)}")
        if on not in ("any", "latin", "placeholders"):
            raise ValueError(f"unknown target {on!r}; any, latin or placeholders")
        self.mode = mode
        self.on = on
        self.table = dict(table or {})
        self.calls: list[list[str]] = []

    def translate_batch(self, segments: list[str]) -> list[Result]:
        self.calls.append(list(segments))
        score = -4.0 if self.mode == "low-score" else -0.3
        return [Result(self.translate(s), score) for s in segments]

    def signature(self) -> dict[str, str]:
        return {"engine": self.name, "mode": self.mode, "on": self.on}

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
                # Latin carried through (names sent inline): marked, so modes can mistreat it.
                out.append(_LATIN_RUN_RE.sub(lambda m: f"\x01{m.group(0)}\x02", tok))
        en = re.sub(r" {2,}", " ", "".join(out)).strip()
        return self._misbehave(en).replace("\x01", "").replace("\x02", "")

    def _misbehave(self, en: str) -> str:
        mode = self.mode
        if mode == "loop":
            return en + " and the talks" * 4
        if mode == "digits":
            bumped = [
                part if PLACEHOLDER_RE.fullmatch(part) else re.sub(r"[0-8]", _bump, part)
                for part in re.split(f"({_PLACEHOLDER})", en)
            ]
            return "".join(bumped)
        spans = PLACEHOLDER_RE if PLACEHOLDER_RE.search(en) else _MARKED_RE
        if self.on != "any" and self.on != ("placeholders" if spans is PLACEHOLDER_RE else "latin"):
            return en
        found = list(spans.finditer(en))
        if not found:
            return en
        first = found[0]
        if mode == "drop":
            return en[: first.start()] + en[first.end() :]
        if mode == "drop-all":
            return spans.sub("", en)
        if mode == "repeat":
            return en[: first.end()] + " " + first.group(0) + en[first.end() :]
        if mode == "swap" and len(found) >= 2:
            a, b = found[0], found[1]
            return (
                en[: a.start()] + b.group(0) + en[a.end() : b.start()] + a.group(0) + en[b.end() :]
            )
        if mode == "lower":
            return spans.sub(lambda m: m.group(0).lower(), en)
        if mode == "space":
            if spans is _MARKED_RE:
                return spans.sub(lambda m: m.group(1)[:1] + " " + m.group(1)[1:], en)
            spaced = PLACEHOLDER_RE.sub(lambda m: "Q Z " + m.group(1), en)
            return re.sub(r" (Q Z \d+)", r"\1", spaced)
        if mode == "punct":
            return spans.sub(lambda m: f"[{m.group(0)}],", en)
        if mode == "echo":
            return spans.sub(lambda m: f"({m.group(0)})", en)
        if mode == "garble":
            if spans is _MARKED_RE:
                return en[: first.start()] + first.group(1)[:-1] + "O" + en[first.end() :]
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
    (out,) = translate_prepared(
        [(prepare_block(zh, glossary), route)], strategies=strategies_named(strategies)
    )
    return out.en, out.renders, out.repaired
