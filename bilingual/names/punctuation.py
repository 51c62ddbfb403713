"""English punctuation for English text: the Chinese marks an engine leaves become English ones."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

__all__ = ["english_punctuation"]

# --- English punctuation -----------------------------------------------------------------------

_STOPS = {"，": ",", "、": ",", "。": ".", "．": ".", "；": ";", "：": ":", "！": "!", "？": "?"}
_OPENERS = {"（": "(", "【": "[", "〔": "[", "〖": "["}
_CLOSERS = {"）": ")", "】": "]", "〕": "]", "〗": "]"}
_OPEN_QUOTE = set("“《〈「『")
_CLOSE_QUOTE = set("”》〉」』")


def english_punctuation(en: str, renders: Sequence[str] = ()) -> str:
    """No Chinese punctuation in English text: 。，、“”《》（）：；！？【】… become English forms.

    Only the converted marks get new spacing (none before , . ; : ! ? and closing brackets and
    quotes, one after them before a word); the rest of the English is left as it is, curly
    apostrophes included. Strings passed in `renders` are not touched at all: pass the block's
    renders, since a glossary rendering may hold “curly quotes” of its own.
    """
    masks: dict[str, str] = {}
    for i, r in enumerate(sorted(set(filter(None, renders)), key=len, reverse=True)):
        key = chr(0xE000 + i)
        if r in en:
            en = en.replace(r, key)
            masks[key] = r
    en = en.replace("……", "...").replace("…", "...").replace("——", "—")
    en = re.sub(r"(?<=\d)[～〜](?=\d)", "-", en)
    en = re.sub(r"(?<=\d)：(?=\d)", ":", en)
    out: list[str] = []
    space_next = False  # a converted mark wants a space before the next word
    skip_space = False  # a converted opening mark wants no space after it

    def trim() -> None:
        while out and out[-1] == " ":
            out.pop()

    for ch in en:
        if ch in _STOPS:
            trim()
            out.append(_STOPS[ch])
            space_next, skip_space = True, False
        elif ch in _OPENERS or ch in _OPEN_QUOTE:
            if out and out[-1] not in " ([":
                out.append(" ")
            out.append(_OPENERS.get(ch, '"'))
            space_next, skip_space = False, True
        elif ch in _CLOSERS or ch in _CLOSE_QUOTE:
            trim()
            out.append(_CLOSERS.get(ch, '"'))
            space_next, skip_space = True, False
        elif ch in " \u3000\t":
            if not skip_space:
                out.append(" ")
            space_next = False
        else:
            if "\uff01" <= ch <= "\uff5e":
                ch = unicodedata.normalize("NFKC", ch)
            elif ch == "～" or ch == "〜":
                ch = "~"
            if space_next and (ch.isalnum() or ch in '("' or "\ue000" <= ch <= "\uf8ff"):
                out.append(" ")
            out.append(ch)
            space_next = skip_space = False
    en = "".join(out)
    en = re.sub(r",(?:\s*,)+", ",", en)
    en = re.sub(r",\s*(?=[.;:!?])", "", en)
    en = re.sub(r"(?<![.\d])\.\s*\.(?!\.)", ".", en)
    en = re.sub(r"[ \t]{2,}", " ", en).strip()
    for key, r in masks.items():
        en = en.replace(key, r)
    return en
