"""How far a reviewer can trust `check`: false alarms on faithful translations, planted errors caught.

    python benchmarks/checks_faithful.py [PAIRS.tsv ...]

Each pair (default: tests/data/faithful/*.tsv: news.tsv, sentences of real news with faithful
human translations written for this set, and natural-names.tsv, whose English writes names as
English news does: World Health Organization for WHO, padel for PADEL, 3-D for 3D) is checked as a one-paragraph project, as `bilingual check`
does: the share flagged is the false-alarm rate. Then three errors are planted in every pair
that can hold them -- a protected name removed, a number changed, Chinese left in -- and each
must be flagged with its code. Prints the rates and the pairs that went wrong.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bilingual.document import Article, Block, Kind  # noqa: E402
from bilingual.names.written import written_at  # noqa: E402
from bilingual.textutil import HAN  # noqa: E402
from bilingual.translation.checks import check_block  # noqa: E402
from bilingual.translation.pipeline import prepare_article  # noqa: E402

DEFAULT = ROOT / "tests" / "data" / "faithful" / "news.tsv"
DEFAULTS = sorted((ROOT / "tests" / "data" / "faithful").glob("*.tsv"))
_DIGITS = re.compile(r"\d+")
_WORDS = {"one": "two", "two": "three", "three": "four", "four": "five", "five": "six",
          "six": "seven", "seven": "eight", "eight": "nine", "nine": "ten", "ten": "eleven",
          "half": "third", "third": "fourth", "quarter": "fifth"}  # fmt: skip
_WORD_RE = re.compile(r"\b(" + "|".join(_WORDS) + r")\b")


@dataclass
class Outcome:
    pairs: int = 0
    flagged: int = 0
    codes: Counter[str] | None = None
    planted: Counter[str] | None = None
    caught: Counter[str] | None = None
    false_alarms: list[tuple[str, str, list[str]]] | None = None
    missed: list[tuple[str, str, str]] | None = None


def read_pairs(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [(zh, en) for zh, en in rows[1:] if zh and en]


def flags_for(zh: str, en: str) -> list[str]:
    (prep,) = prepare_article(Article(blocks=[Block(Kind.PARAGRAPH, zh, en=en)]))
    return [f.code for f in check_block(zh, en, renders=prep.renders, spans=prep.spans)]


def plant(zh: str, en: str) -> dict[str, str]:
    """The pair's English with one error each: a name removed, a number changed, Chinese left."""
    out: dict[str, str] = {}
    (prep,) = prepare_article(Article(blocks=[Block(Kind.PARAGRAPH, zh)]))
    if prep.spans:
        span = prep.spans[0]
        core = span.render.strip("()")
        # The name goes in whatever form the English wrote it (verbatim, or as English writes
        # it: 3-D, padel, World Health Organization), every time it is there.
        gone = en
        for name in filter(None, (core, span.also)):
            for _ in range(20):
                at = written_at(name, gone)
                if at is None:
                    break
                gone = gone[: at[0]] + "it" + gone[at[1] :]
        out["name-missing"] = gone
    changed = _change_a_number(zh, en)
    if changed:
        out["number-mismatch"] = changed
    han = re.findall(f"{HAN}{{2,}}", zh)
    if han:
        out["leftover-chinese"] = en + " " + han[0][:4]
    return out


def _change_a_number(zh: str, en: str) -> str | None:
    """The English with the first number that renders a source number changed by one digit or
    word (2,000 -> 3,000; six decades -> seven decades)."""
    from bilingual.translation.numbers import english_values, source_numbers

    wanted = {v for n in source_numbers(_unprotected(zh)) for v in n.values}
    for m in _DIGITS.finditer(en):
        here = en[m.start() : m.end() + 12]  # "1.2 million", "2,000", not the next number on
        if english_values(m.group(0))[0] & wanted or english_values(here)[0] & wanted:
            changed = str(int(m.group(0)[0]) % 9 + 1) + m.group(0)[1:]
            return en[: m.start()] + changed + en[m.end() :]
    for w in _WORD_RE.finditer(en):
        if english_values(en[w.start() : w.end() + 12])[0] & wanted:
            return en[: w.start()] + _WORDS[w.group(1)] + en[w.end() :]
    return None


def _unprotected(zh: str) -> str:
    (prep,) = prepare_article(Article(blocks=[Block(Kind.PARAGRAPH, zh)]))
    for span in prep.spans:
        zh = zh.replace(span.source, " ")
    return zh


def measure(pairs: list[tuple[str, str]]) -> Outcome:
    o = Outcome(codes=Counter(), planted=Counter(), caught=Counter(), false_alarms=[], missed=[])
    assert o.codes is not None and o.planted is not None and o.caught is not None
    assert o.false_alarms is not None and o.missed is not None
    for zh, en in pairs:
        o.pairs += 1
        codes = flags_for(zh, en)
        if codes:
            o.flagged += 1
            o.codes.update(codes)
            o.false_alarms.append((zh, en, codes))
        for code, bad in plant(zh, en).items():
            if code == "number-mismatch" and not _has_checked_number(zh):
                continue
            o.planted[code] += 1
            if code in flags_for(zh, bad):
                o.caught[code] += 1
            else:
                o.missed.append((code, zh, bad))
    return o


def _has_checked_number(zh: str) -> bool:
    from bilingual.translation.numbers import source_numbers

    return bool(source_numbers(_unprotected(zh)))


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or DEFAULTS
    pairs = [p for path in paths for p in read_pairs(path)]
    o = measure(pairs)
    assert o.codes is not None and o.planted is not None and o.caught is not None
    rate = o.flagged / o.pairs if o.pairs else 0.0
    print(f"faithful pairs: {o.pairs}, flagged: {o.flagged} ({rate:.1%})")
    for code, n in o.codes.most_common():
        print(f"  {code}: {n}")
    for code in ("name-missing", "number-mismatch", "leftover-chinese"):
        planted, caught = o.planted[code], o.caught[code]
        print(f"planted {code}: {caught}/{planted} caught")
    for zh, en, codes in o.false_alarms or []:
        print(f"FALSE ALARM {codes}: {zh} | {en}")
    for code, zh, bad in o.missed or []:
        print(f"MISSED {code}: {zh} | {bad}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
