"""Character classes and text normalisation shared by readers, segmentation and checks."""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import datetime
from functools import lru_cache
from typing import Any

# Han ideographs, including the supplementary-plane extensions (B to H) and compatibility blocks.
# Written as real ranges of code points, never as "\u20000" (which Python reads as two characters).
HAN_RANGES = (
    "\u3400-\u4dbf"  # Extension A
    "\u4e00-\u9fff"  # CJK Unified Ideographs
    "\uf900-\ufaff"  # Compatibility Ideographs
    "\U00020000-\U0002a6df"  # Extension B
    "\U0002a700-\U0002ebef"  # Extensions C-F, I
    "\U0002f800-\U0002fa1f"  # Compatibility Supplement
    "\U00030000-\U0003134f"  # Extension G
    "\U00031350-\U000323af"  # Extension H
)
HAN = f"[{HAN_RANGES}]"
HAN_RE = re.compile(HAN)
# Chinese (full-width) punctuation that sits inside Chinese text.
CJK_PUNCT = "\u3000-\u303f\uff00-\uffef\u2018\u2019\u201c\u201d\u2014\u2026\u00b7"
CJK_CHAR = f"[{HAN_RANGES}{CJK_PUNCT}]"
_CJK_CHAR_RE = re.compile(CJK_CHAR)

# Zero-width characters and BOMs; soft hyphen.
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e]")
# C0/C1 controls except tab and newline.
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Every space-like character except the ideographic space, which is handled apart.
_SPACE_RE = re.compile("[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f]+")
_ENTITY_RE = re.compile(r"&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def has_han(text: str) -> bool:
    return HAN_RE.search(text) is not None


HAN_RUN_RE = re.compile(HAN + "+")


def han_count(text: str) -> int:
    # Runs, not single characters: one match object per run is ten times faster on Chinese.
    return sum(map(len, HAN_RUN_RE.findall(text)))


def join_lines(lines: list[str]) -> str:
    """Join hard-wrapped lines: no space between Chinese characters, one space otherwise."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        # A line ending in a hyphen continues the word (Kassym-/Jomart): no space either.
        if out and not (
            _CJK_CHAR_RE.match(out[-1]) or _CJK_CHAR_RE.match(line[0]) or out[-1] == "-"
        ):
            out += " "
        out += line
    return out


def clean_text(text: str, *, decode_entities: bool = True) -> str:
    """Normalise one block of text: entities, invisible and control characters, spacing.

    Newlines are treated as hard wraps and joined; call once per block.
    """
    if decode_entities and "&" in text:
        text = _ENTITY_RE.sub(lambda m: html.unescape(m.group(0)), text)
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE_RE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n")
    text = _CONTROL_RE.sub("", text)
    text = _SPACE_RE.sub(" ", text)
    lines = [ln.strip(" \u3000") for ln in text.split("\n")]
    text = join_lines(lines)
    # Inside a line an ideographic space is a deliberate separator (本报杭州5月18日电　...): keep one.
    text = re.sub("[ \u3000]{2,}", lambda m: m.group(0)[0], text)
    return text.strip()


# Texts that scrapers leave behind from templates: never article content.
SCRAPER_ARTIFACTS = frozenset(
    {"array", "undefined", "null", "none", "nan", "[object object]", "object object"}
)


def is_artifact(text: str) -> bool:
    """Nothing a reader could read: empty, or no letter or digit at all."""
    t = text.strip()
    return not t or not any(ch.isalnum() for ch in t)


# [[zh:托卡耶夫]], [[托卡耶夫]], [[托卡耶夫|托氏]]: wiki links, whose text is the part shown.
_WIKI_LINK = re.compile(
    r"\[\[(?:[a-z]{2,3}(?:-[a-z]{2,4})?:)?([^\[\]|]{1,200}?)(?:\|([^\[\]]{1,200}?))?\]\]", re.I
)


def unwrap_wiki_links(text: str) -> str:
    """Wiki markup left in scraped text: a link's shown part stays, the brackets go."""
    return _WIKI_LINK.sub(lambda m: m.group(2) or m.group(1), text) if "[[" in text else text


def format_date(value: str | None) -> str | None:
    """ISO dates as people read them: '2022-01-07 12:45 UTC'; anything else as it is."""
    if not value:
        return None
    text = value.strip()
    try:
        dt = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        return text
    if "T" not in text and " " not in text:
        return dt.strftime("%Y-%m-%d")
    out = dt.strftime("%Y-%m-%d %H:%M")
    if dt.tzinfo is not None:
        offset = dt.utcoffset()
        out += " UTC" if offset is not None and not offset else dt.strftime(" UTC%z")
    return out


def plural(count: int, singular: str, plural: str | None = None) -> str:
    """`1 block`, `2 blocks`, `0 blocks`: a count with its noun in the right number."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


_EN_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=\S)")
_ZH_SENTENCE_RE = re.compile("[^。！？…]*(?:[。！？…]+[”’」』）)】》]*|$)")


def english_sentence_ranges(en: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of an English text, spaces between them left out."""
    ranges: list[tuple[int, int]] = []
    start = len(en) - len(en.lstrip())
    for m in _EN_SENTENCE_END.finditer(en):
        end = m.start() + len(m.group(0).rstrip())
        ranges.append((start, end))
        start = m.end()
    ranges.append((start, len(en.rstrip())))
    return ranges


def paired_sentences(zh: str, en: str) -> list[tuple[str, str]]:
    """The sentences of a Chinese paragraph and of its English, paired in order when both have
    the same number (two or more); else none. A plain split at 。！？…, for the memory's
    sentence units (the pipeline's own split, which keeps names whole, lives above this layer)."""
    zh_parts = [m.group(0).strip() for m in _ZH_SENTENCE_RE.finditer(zh) if m.group(0).strip()]
    if len(zh_parts) < 2:
        return []
    en_parts = [en[a:b] for a, b in english_sentence_ranges(en)]
    if len(en_parts) != len(zh_parts):
        return []
    return list(zip(zh_parts, en_parts, strict=True))


# What a terminal would act on rather than show: C0 controls but tab and newline (ESC starts
# every escape sequence: OSC 52 writes the clipboard, OSC 0 retitles the window, CSI moves the
# cursor and clears the screen), DEL, C1 controls (0x9b is a one-byte CSI on some terminals),
# the bidi controls that reorder what follows (U+202E shows "txt.exe" as "exe.txt"), the line
# and paragraph separators, and lone surrogates (not printable at all).
_TERMINAL_UNSAFE_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _shown(m: re.Match[str]) -> str:
    code = ord(m.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the control pictures: ␛ for ESC, ␇ for BEL, ...
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def visible(text: str) -> str:
    """`text` as a terminal may print it: every control, escape and bidi-override character
    shown as a visible stand-in (ESC as ␛, U+202E as <U+202E>) instead of acted on. For all
    text that comes from an article, a project, a memory or a glossary on its way to a
    terminal: `check`, `parse`, `review`, `memory stats`, errors and warnings."""
    if _TERMINAL_UNSAFE_RE.search(text) is None:
        return text
    return _TERMINAL_UNSAFE_RE.sub(_shown, text)


# --- Simplified vs Traditional Chinese: detection and conversion through OpenCC -------------

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
