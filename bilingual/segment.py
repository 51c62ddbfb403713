"""Split a Chinese block into sentence segments, the unit the engine and the memory work on.

Sentences end at 。！？；… (and ! ? ;), together with any closing quotes or brackets right after
them. A sentence longer than `max_chars` is split further at ，；、 outside brackets and quotes,
so the model never sees an overlong input. Joining the segments gives back the block's text
minus the whitespace between them.
"""

from __future__ import annotations

import re

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

MAX_CHARS = 120


def split_sentences(text: str, max_chars: int = MAX_CHARS) -> list[str]:
    out: list[str] = []
    for m in _SENTENCE_RE.finditer(text):
        sentence = m.group(0).strip()
        if not sentence:
            continue
        if len(sentence) > max_chars:
            out.extend(_split_long(sentence, max_chars))
        else:
            out.append(sentence)
    return out


def _split_long(sentence: str, max_chars: int) -> list[str]:
    """Split at soft breaks outside brackets, into pieces of at most about max_chars."""
    breaks: list[int] = []  # positions just after a usable comma
    closing: list[str] = []
    for i, ch in enumerate(sentence):
        if ch in _OPENERS:
            closing.append(_OPENERS[ch])
        elif closing and ch == closing[-1]:
            closing.pop()
        elif ch in _SOFT_BREAKS and not closing:
            breaks.append(i + 1)
    pieces: list[str] = []
    start = 0
    while len(sentence) - start > max_chars:
        candidates = [b for b in breaks if start < b <= start + max_chars]
        if not candidates:
            later = [b for b in breaks if b > start]
            if not later:
                break
            cut = later[0]
        else:
            cut = candidates[-1]
        if cut >= len(sentence):
            break
        pieces.append(sentence[start:cut].strip())
        start = cut
    pieces.append(sentence[start:].strip())
    return [p for p in pieces if p]
