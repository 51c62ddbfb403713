"""Simplified vs Traditional Chinese: detection and conversion through OpenCC."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from bilingual.textutil import HAN_RUN_RE

HANS = "zh-Hans"
HANT = "zh-Hant"


@lru_cache(maxsize=4)
def _converter(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)


def detect_script(text: str) -> str:
    """Return zh-Hans or zh-Hant by counting characters only one script uses."""
    chars = set("".join(HAN_RUN_RE.findall(text)))
    if not chars:
        return HANS
    t2s = _converter("t2s")
    trad = sum(1 for c in chars if t2s.convert(c) != c)
    # Clear cases need only t2s: loading s2t (its phrase dictionary) costs ~5x more.
    if trad <= 0.01 * len(chars):
        return HANS
    if trad >= 0.08 * len(chars):
        return HANT
    s2t = _converter("s2t")
    simp = sum(1 for c in chars if s2t.convert(c) != c)
    return HANT if trad > simp else HANS


def to_simplified(text: str) -> str:
    return str(_converter("t2s").convert(text))


def to_traditional(text: str) -> str:
    return str(_converter("s2t").convert(text))
