"""Numbers by value: what a Chinese number means, and every value an English number can stand for.

The checks compare values, not strings, the way English news writes Chinese numbers:

* ``万``/``亿`` scaling: 2万 = 20,000 = "20 thousand"; 1.2亿 = "120 million" = "0.12 billion";
  100多万 = "more than 1 million" / "more than one million".
* Decades and centuries: 20世纪80年代 = "the 1980s"; 80年代 = "the '80s" or "1980s"; 20世纪 =
  "the 20th century"; 60年 may be "six decades".
* Number words up to twenty, round tens and hundreds, compounds (twenty-five), "a million",
  "half a million", "a dozen", "twice"; ordinals (third, 21st); fractions (2/3 = "two-thirds",
  1/4 = "a quarter"); percentage points as basis points (0.25个百分点 = "25 basis points").
* Dates and times: months by name (1月 = January), a day of the month may be given as a weekday
  instead (6日 = "on Thursday"), 15时 = "3 p.m.", 9秒83 = "9.83 seconds".

Only Arabic digits in the Chinese are checked (两人 and 数十人 are not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["SourceNumber", "english_values", "source_numbers"]

_Q = Decimal("0.0001")


def _norm(v: Decimal) -> Decimal:
    """One form per value: 2000 = 2E+3 = 2000.0, and 2/3 to four places."""
    if v != v.to_integral_value():
        v = v.quantize(_Q)
    return v.normalize()


def _dec(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class SourceNumber:
    written: str  # as in the Chinese
    values: frozenset[Decimal]  # any of these in the English will do
    day: bool = False  # a day of the month: a weekday in the English will do too


# --- Chinese -----------------------------------------------------------------------------------

_ZH_SCALES = {
    "百": 100,
    "千": 1000,
    "万": 10_000,
    "萬": 10_000,
    "亿": 100_000_000,
    "億": 100_000_000,
    "万亿": 10**12,
    "萬億": 10**12,
}
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_ZH_RE = re.compile(
    r"(?P<century>\d{1,2})\s*世纪\s*(?P<decade>\d{1,2})\s*年代"
    r"|(?P<decades>\d{2,4})\s*年代"
    r"|(?P<centuries>\d{1,2})\s*世纪"
    r"|(?P<sec>\d+)\s*秒\s*(?P<hundredths>\d{1,2})(?!\d)"
    r"|(?P<num>\d+)\s*/\s*(?P<den>\d{1,3})(?!\d)"
    rf"|(?P<points>{_NUM})\s*个百分点"
    rf"|(?P<value>{_NUM})\s*(?:多|余|餘)?\s*(?P<scale>万亿|萬億|亿|億|万|萬|千|百)?"
    r"(?P<unit>\s*(?:时|時|点|點|日|号|號))?"
)


def source_numbers(zh: str) -> list[SourceNumber]:
    """The Arabic numbers of a Chinese text, each with the values it may have in English."""
    out: list[SourceNumber] = []
    for m in _ZH_RE.finditer(zh):
        written = m.group(0).strip()
        values: set[Decimal] = set()
        day = False
        if m.group("century"):
            values.add(Decimal((int(m.group("century")) - 1) * 100 + int(m.group("decade"))))
        elif m.group("decades"):
            d = int(m.group("decades"))
            values.update({Decimal(d), Decimal(1900 + d)} if d < 100 else {Decimal(d)})
        elif m.group("centuries"):
            values.add(Decimal(m.group("centuries")))
        elif m.group("sec"):
            values.add(Decimal(f"{m.group('sec')}.{m.group('hundredths'):0>2}"))
        elif m.group("num"):
            num, den = int(m.group("num")), int(m.group("den"))
            if den == 0:
                continue
            values.add(Decimal(num) / Decimal(den))
        elif m.group("points"):
            v = _dec(m.group("points"))
            if v is None:
                continue
            values.update({v, v * 100})  # 0.25个百分点 = 25 basis points
        else:
            v = _dec(m.group("value"))
            if v is None:
                continue
            if m.group("scale"):
                v *= _ZH_SCALES[m.group("scale")]
            values.add(v)
            unit = (m.group("unit") or "").strip()
            if unit in ("时", "時", "点", "點") and 13 <= v <= 23:
                values.add(v - 12)  # 15时 = 3 p.m.
            day = unit in ("日", "号", "號") and 1 <= v <= 31
        out.append(SourceNumber(written, frozenset(_norm(v) for v in values), day))
    return out


# --- English -----------------------------------------------------------------------------------

_EN_NUMBER_RE = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"
    r"(?:\s*(hundred|thousand|million|billion|trillion)\b|(k|m|bn|tn)\b)?"
    r"(?:\s+(decades?|centuries|century|basis\s+points?)\b)?",
    re.IGNORECASE,
)
_EN_SCALES = {
    "hundred": 100,
    "thousand": 1000,
    "k": 1000,
    "million": 10**6,
    "m": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
}
_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]
_ORDINALS = [
    "zeroth",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
]
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_TENTHS = {
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
    "seventieth": 70,
    "eightieth": 80,
    "ninetieth": 90,
    "hundredth": 100,
}
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_WORD_VALUES: dict[str, int] = {w: i for i, w in enumerate(_WORDS)}
_WORD_VALUES.update({w: i for i, w in enumerate(_ORDINALS)})
_WORD_VALUES.update(_TENS)
_WORD_VALUES.update(_TENTHS)
_WORD_VALUES.update(
    {"dozen": 12, "hundred": 100, "thousand": 1000, "twice": 2, "double": 2, "doubled": 2,
     "triple": 3, "tripled": 3, "quadrupled": 4, "a": 1, "an": 1}
)  # fmt: skip
_UNITS = "|".join(_WORDS[1:10])
_WORD_NUMBER_RE = re.compile(
    rf"\b(?P<word>(?P<tens>{'|'.join(_TENS)})[\s-](?P<unit>{_UNITS})|"
    + "|".join(sorted(_WORD_VALUES, key=len, reverse=True))
    + r")\b"
    r"(?:\s+(?P<scale>hundred|thousand|million|billion|trillion)\b)?"
    r"(?:\s+(?P<times>decades?|centuries|century)\b)?",
    re.IGNORECASE,
)
_FRACTIONS = {"half": 2, "halves": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5}
_FRACTION_RE = re.compile(
    rf"\b(?P<n>a|one|two|three|four)[\s-]+(?P<d>{'|'.join(_FRACTIONS)}|thirds|quarters|fourths"
    r"|fifths)\b",
    re.IGNORECASE,
)
_HALF_RE = re.compile(r"\bhalf\s+an?\s+(hundred|thousand|million|billion|trillion)\b", re.I)
_MONTH_RE = re.compile(
    r"\b(" + "|".join(_MONTHS) + r"|sept?|jan|feb|mar|apr|jun|jul|aug|oct|nov|dec)\b\.?",
    re.IGNORECASE,
)
_WEEKDAY_RE = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tomorrow)\b",
    re.IGNORECASE,
)
_TIMES = {"decade": 10, "decades": 10, "century": 100, "centuries": 100}


def english_values(en: str) -> tuple[set[Decimal], bool]:
    """Every value a number in the English can stand for, and whether it names a weekday."""
    values: set[Decimal] = set()
    for m in _EN_NUMBER_RE.finditer(en):
        base = _dec(m.group(1) + (m.group(2) or ""))
        if base is None:
            continue
        values.add(base)
        scale = m.group(3) or m.group(4)
        if scale:
            base *= _EN_SCALES[scale.lower()]
            values.add(base)
        after = (m.group(5) or "").lower()
        if after.startswith("basis"):
            values.add(base / 100)
        elif after:
            values.add(base * _TIMES[after])
    for m in _WORD_NUMBER_RE.finditer(en):
        word = m.group("word").lower()
        if m.group("tens"):
            base = Decimal(_TENS[m.group("tens").lower()] + _WORD_VALUES[m.group("unit").lower()])
        else:
            base = Decimal(_WORD_VALUES[word])
        if word in ("a", "an") and not (m.group("scale") or m.group("times")):
            continue  # the article on its own is no number
        if m.group("scale"):
            base *= _EN_SCALES[m.group("scale").lower()]
        values.add(base)
        if m.group("times"):
            values.add(base * _TIMES[m.group("times").lower()])
    for m in _HALF_RE.finditer(en):
        values.add(Decimal(_EN_SCALES[m.group(1).lower()]) / 2)
    for m in _FRACTION_RE.finditer(en):
        n = 1 if m.group("n").lower() in ("a", "one") else _WORD_VALUES[m.group("n").lower()]
        d = m.group("d").lower().rstrip("s")
        values.add(Decimal(n) / Decimal(_FRACTIONS.get(d, _FRACTIONS.get(d + "s", 1))))
    for m in _MONTH_RE.finditer(en):
        name = m.group(1).lower()[:3]
        values.add(Decimal([x[:3] for x in _MONTHS].index(name) + 1))
    return {_norm(v) for v in values}, bool(_WEEKDAY_RE.search(en))
