"""Per-paragraph checks: what a reviewer should look at, as flags on the block.

Each check compares a block's Chinese with its English and returns `Flag`s (a machine-readable
code and a short message):

``name-repaired``        the engine lost or mangled a name (or its placeholder); the names were put back by
                         translating the text around them apart (word order may suffer)
``name-missing``         a protected rendering is not in the English (after a human edit), not even
                         as English writes it (case, hyphens, acronym and expansion:
                         `bilingual.names.written`)
``number-mismatch``      an Arabic number of the source is not in the English with its value
``leftover-chinese``     Han characters in the English, outside protected renderings
``chinese-punctuation``  Chinese punctuation in the English
``repetition``           a phrase of 1-4 words repeated 3+ times in a row (a decoding loop)
``length-ratio``         English far too short or too long for the Chinese
``low-score``            the engine was unsure of its output

Thresholds, from what zh→en news translation looks like:

* Length: English news runs at about 2.5-4 characters (spaces included) per Chinese character
  (1,000 characters of Chinese make some 600-700 English words). Outside renders, a block with at
  least `MIN_RATIO_CHARS` Chinese characters is flagged below `LOW_RATIO` (content dropped:
  half a paragraph missing lands near 1.5) or above `HIGH_RATIO` (a loop or hallucination).
  Shorter blocks vary too much (a 6-character headline can need 30 English characters).
* Score: the engine's mean log-probability per token. Below `LOW_SCORE` (-1.5: a geometric-mean
  token probability under 22%) the output is usually garbled; fluent output sits around -0.1 to
  -0.8.
* Numbers: only Arabic digits are checked (两人 and 数十人 are not), each value must appear
  somewhere in the English, by value as English news writes it (`bilingual.translation.numbers`): 2000人
  as 2,000; 1.2亿 as 120 million; 100多万 as more than one million; 20世纪80年代 as the 1980s;
  60年 as six decades; 35% as 35 percent; 1月 as January. Extra numbers are not flagged.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from typing import Any

from bilingual.document import Article, Block, Flag, section_label
from bilingual.names.protect import Span, protect
from bilingual.names.written import written_in
from bilingual.textutil import HAN_RANGES, HAN_RE, plural
from bilingual.translation.numbers import english_values, source_numbers

__all__ = [
    "CHECK_CODES",
    "HIGH_RATIO",
    "LOW_RATIO",
    "LOW_SCORE",
    "MIN_RATIO_CHARS",
    "WORDING",
    "CheckSummary",
    "FlagCode",
    "Wording",
    "check_block",
    "flag_detail",
    "flag_explanation",
    "flag_sentence",
    "flag_title",
    "flag_words",
]


class FlagCode(str, Enum):
    """What a check found; the value is the code stored in `Flag.code` and the project file."""

    NAME_REPAIRED = "name-repaired"
    NAME_MISSING = "name-missing"
    NUMBER_MISMATCH = "number-mismatch"
    LEFTOVER_CHINESE = "leftover-chinese"
    CHINESE_PUNCTUATION = "chinese-punctuation"
    REPETITION = "repetition"
    LENGTH_RATIO = "length-ratio"
    LOW_SCORE = "low-score"

    def __str__(self) -> str:
        return self.value

    def flag(self, **fields: Any) -> Flag:
        """The flag, its message made from `fields` by the code's `Wording.message`."""
        return Flag(self.value, WORDING[self].message.format(**fields))


# How much of a finding a reviewer is shown: they have the paragraph beside it (a loop of
# leftover Chinese can run for lines).
BRIEF_DETAIL = 24  # characters of one item (a name, a number, a repeated phrase)
BRIEF_CHINESE = 8  # characters of a leftover Chinese phrase (each as wide as two letters)
BRIEF_ITEMS = 2  # items listed before "and N more"


def _clip(text: str, limit: int = BRIEF_DETAIL) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Wording:
    """Everything one flag code says, to each audience.

    `message` is the flag's own message (kept in the project file: the detail a developer reads,
    scores included); its fields are filled by `FlagCode.flag`. `detail` says which of them a
    reviewer reads, as a format over the same fields (None: nothing of the message is for a
    reviewer), quoted briefly: when it is a list, its `items` are separated so and each is clipped
    (to `clip` characters, in quotes when `quoted`), the first `BRIEF_ITEMS` shown. `title` is a
    few words (the review page, the terminal, a list of verdicts); `explain` what it means and
    what to look at; `handout` the review handout's and the XLIFF note's sentence, followed by the
    detail in parentheses unless it ends with a full stop.
    """

    title: str
    explain: str
    handout: str
    message: str
    detail: str | None = None
    items: str | None = None
    clip: int = BRIEF_DETAIL
    quoted: bool = False

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        # The message's template as a pattern that reads the fields back from a stored message.
        parts = []
        for literal, name, _spec, _conv in string.Formatter().parse(self.message):
            parts.append(re.escape(literal))
            if name:
                parts.append(f"(?P<{name}>.+?)")
        return re.compile("".join(parts) + r"\Z", re.DOTALL)

    def detail_of(self, message: str) -> str | None:
        """What a reviewer reads of `message` (None when nothing, or when it is not this code's)."""
        if self.detail is None:
            return None
        match = self._pattern.match(message)
        return self._brief(self.detail.format(**match.groupdict())) if match else None

    def _brief(self, detail: str) -> str:
        if self.items is None:
            return _clip(detail, 2 * BRIEF_DETAIL)
        items = [_clip(x, self.clip) for x in detail.removesuffix(" ...").split(self.items) if x]
        if self.quoted:
            items = [f"“{x}”" for x in items]
        more = len(items) - BRIEF_ITEMS
        return ", ".join(items[:BRIEF_ITEMS]) + (f" and {more} more" if more > 0 else "")


WORDING: dict[FlagCode, Wording] = {
    FlagCode.NAME_REPAIRED: Wording(
        "A name was put back by the tool",
        "The machine lost a name, so the tool translated the words around it separately and put "
        "the name back: check the word order around it.",
        "A name was put back into the English by the program: check the word order around it.",
        "the engine lost a name; translated around {names} apart: check the word order",
        "{names}",
        items=", ",
    ),
    FlagCode.NAME_MISSING: Wording(
        "A name is missing",
        "A name or glossary term of the Chinese is not in the English: put it in, spelled as in "
        "the glossary.",
        "A name in the Chinese is missing from the English",
        "not in the English: {names}",
        "{names}",
        items=", ",
    ),
    FlagCode.NUMBER_MISMATCH: Wording(
        "A number differs",
        "A number of the Chinese is not in the English with the same value (2000 is 2,000; "
        "1.2亿 is 120 million): check it.",
        "A number differs between the Chinese and the English",
        "not in the English with the same value: {numbers}",
        "{numbers}",
        items=", ",
    ),
    FlagCode.LEFTOVER_CHINESE: Wording(
        "Chinese left in the English",
        "Some Chinese was not translated: translate it or leave it out.",
        "Some Chinese was left untranslated",
        "Chinese left in the English: {chinese}",
        "{chinese}",
        items=" ",
        clip=BRIEF_CHINESE,
        quoted=True,
    ),
    FlagCode.CHINESE_PUNCTUATION: Wording(
        "Chinese punctuation in the English",
        "The English holds Chinese punctuation marks: use English ones.",
        "Chinese punctuation is left in the English",
        "Chinese punctuation in the English: {marks}",
        "{marks}",
    ),
    FlagCode.REPETITION: Wording(
        "Words repeat",
        "A phrase repeats several times in a row, as machine translation does when it gets "
        "stuck: cut the repeats and check that nothing is missing.",
        "The English repeats itself",
        "a phrase repeats: {phrase}",
        "{phrase}",
    ),
    FlagCode.LENGTH_RATIO: Wording(
        "Length looks wrong",
        "The English is much shorter or longer than the Chinese usually needs: something may be "
        "missing or added.",
        "The English is much shorter or longer than usual: something may be missing or added.",
        "English is {ratio:.1f}x the Chinese length (usual {low}-{high}): too {what}?",
        "too {what}",
    ),
    FlagCode.LOW_SCORE: Wording(
        "The model was unsure",
        "The machine was unsure of this translation: read it closely against the Chinese.",
        "The machine was unsure of this translation.",
        "engine score {score:.2f} is below {limit}",
    ),
}


def _wording(code: str) -> Wording | None:
    try:
        return WORDING[FlagCode(code)]
    except ValueError:  # a code this version does not know (a newer project file)
        return None


def flag_title(code: str) -> str:
    """A flag's title, e.g. "A number differs"."""
    wording = _wording(code)
    return wording.title if wording else code


def flag_detail(flag: Flag) -> str | None:
    """What a flag is about, as a reviewer reads it (the names, numbers or characters concerned),
    or None; a code this version does not know shows its whole message."""
    wording = _wording(flag.code)
    if wording is None:
        return flag.message or None
    return wording.detail_of(flag.message)


def flag_words(flag: Flag) -> str:
    """A flag as a reviewer reads it: its title and what it is about, e.g. "A number differs: 2000"."""
    detail = flag_detail(flag)
    return f"{flag_title(flag.code)}: {detail}" if detail else flag_title(flag.code)


def flag_explanation(code: str) -> str:
    """What a flag means and what to look at, in a sentence."""
    wording = _wording(code)
    return wording.explain if wording else code


def flag_sentence(flag: Flag) -> str:
    """A flag as the review handouts and XLIFF notes say it: one sentence, its detail in
    parentheses, e.g. "A number differs between the Chinese and the English (2000)."."""
    wording = _wording(flag.code)
    if wording is None:
        text = flag.message or flag.code
        return text if text.endswith(".") else text + "."
    if wording.handout.endswith("."):
        return wording.handout
    detail = wording.detail_of(flag.message)
    return f"{wording.handout} ({detail})." if detail else wording.handout + "."


CHECK_CODES = tuple(code.value for code in FlagCode)
# Codes recomputed from the text alone (name-repaired records what happened at translation).
RECHECKED = frozenset(CHECK_CODES) - {FlagCode.NAME_REPAIRED.value}

LOW_RATIO = 1.3
HIGH_RATIO = 7.0
MIN_RATIO_CHARS = 20
LOW_SCORE = -1.5

# --- numbers -----------------------------------------------------------------------------------


def _number_flag(zh: str, en: str, spans: Sequence[Span]) -> Flag | None:
    text = zh
    for span in spans:
        if span.kind != "glossary":
            text = text.replace(span.source, " ")
    have, weekday = english_values(en)
    missing: list[str] = []
    for number in source_numbers(unicodedata.normalize("NFKC", text)):
        if number.values & have or (number.day and weekday):
            continue
        if number.written not in missing:
            missing.append(number.written)
    if not missing:
        return None
    listed = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
    return FlagCode.NUMBER_MISMATCH.flag(numbers=listed)


# --- text checks -------------------------------------------------------------------------------

_CHINESE_PUNCT_RE = re.compile("[\u3000-\u303f\uff01-\uff65]|……")
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _core(render: str) -> str:
    if render.startswith("(") and render.endswith(")"):
        return render[1:-1].strip()
    return render


def _without(text: str, renders: Iterable[str]) -> str:
    for r in sorted(set(filter(None, renders)), key=len, reverse=True):
        text = text.replace(r, " ")
    return text


def _repetition(en: str) -> str | None:
    words = [w.lower() for w in _WORD_RE.findall(en)]
    for size in range(1, 5):
        for i in range(len(words) - 3 * size + 1):
            unit = words[i : i + size]
            times = 1
            while words[i + times * size : i + (times + 1) * size] == unit:
                times += 1
            if times >= 3:
                return f'"{" ".join(unit)}" {times} times in a row'
    return None


def _source_length(zh: str, renders_free_zh: str) -> int:
    return sum(1 for ch in renders_free_zh if ch.isalnum() or HAN_RE.match(ch))


def _strip_spans(zh: str, spans: Sequence[Span]) -> str:
    text = zh
    for span in spans:
        text = text.replace(span.source, " ")
    return text


def check_block(
    zh: str,
    en: str,
    *,
    renders: Sequence[str],
    score: float | None = None,
    repaired: Sequence[str] = (),
    spans: Sequence[Span] | None = None,
) -> list[Flag]:
    """The flags for one block: its Chinese, its English and the renders its English must hold.

    `score` is the engine's (lowest segment) score, None when there is none or a human wrote
    the English; `repaired` lists the renders whose placeholders had to be repaired; `spans`
    are the block's protected spans (protected again, without a glossary, when not given).
    """
    if spans is None:
        spans = protect(zh).spans
    flags: list[Flag] = []
    if repaired:
        names = ", ".join(dict.fromkeys(repaired))
        flags.append(FlagCode.NAME_REPAIRED.flag(names=names))
    # A gloss whose Chinese name could not be told renders as "(EUMETSAT)": the name matters,
    # not the parentheses a reviewer may well drop.
    alsos = {s.render: s.also for s in spans if s.also}
    # A name written as English writes it (case, hyphens, an acronym spelled out) is there.
    missing = [
        r
        for r in dict.fromkeys(renders)
        if not written_in(_core(r), en) and not (alsos.get(r) and written_in(alsos[r], en))
    ]
    if missing:
        flags.append(FlagCode.NAME_MISSING.flag(names=", ".join(missing)))
    number = _number_flag(zh, en, spans)
    if number:
        flags.append(number)
    outside = _without(en, renders)
    han = re.findall(f"[{HAN_RANGES}]+", outside)
    if han:
        flags.append(FlagCode.LEFTOVER_CHINESE.flag(chinese=" ".join(han[:5])))
    punct = _CHINESE_PUNCT_RE.findall(outside)
    if punct:
        marks = "".join(dict.fromkeys(punct))
        flags.append(FlagCode.CHINESE_PUNCTUATION.flag(marks=marks))
    loop = _repetition(en)
    if loop:
        flags.append(FlagCode.REPETITION.flag(phrase=loop))
    source_chars = _source_length(zh, _strip_spans(zh, spans))
    if source_chars >= MIN_RATIO_CHARS:
        target_chars = len(" ".join(outside.split()))
        ratio = target_chars / source_chars
        if ratio < LOW_RATIO or ratio > HIGH_RATIO:
            what = "short" if ratio < LOW_RATIO else "long"
            flags.append(
                FlagCode.LENGTH_RATIO.flag(ratio=ratio, low=LOW_RATIO, high=HIGH_RATIO, what=what)
            )
    if score is not None and score < LOW_SCORE:
        flags.append(FlagCode.LOW_SCORE.flag(score=score, limit=LOW_SCORE))
    return flags


# --- whole articles ----------------------------------------------------------------------------


@dataclass
class CheckSummary:
    paragraphs: int = 0  # body blocks (the title is not a paragraph)
    flagged: int = 0  # flagged body blocks
    title_flagged: bool = False
    untranslated: int = 0
    # (label, block) of every flagged block in order; label is "title" or "§N" (the handout number).
    flagged_blocks: list[tuple[str, Block]] = field(default_factory=list)

    def line(self) -> str:
        text = f"{plural(self.paragraphs, 'paragraph')}, {self.flagged} flagged"
        if self.title_flagged:
            text += " (and the title)"
        if self.untranslated:
            text += f", {self.untranslated} untranslated"
        return text

    def __str__(self) -> str:
        return self.line()


def summarize(article: Article) -> CheckSummary:
    """Count paragraphs and flagged blocks as they stand (no checks are run)."""
    summary = CheckSummary()
    for number, block in article.numbered():
        is_title = number == 0
        if not is_title:
            summary.paragraphs += 1
            if not block.en:
                summary.untranslated += 1
        if block.flags:
            summary.flagged_blocks.append((section_label(number), block))
            if is_title:
                summary.title_flagged = True
            else:
                summary.flagged += 1
    return summary
