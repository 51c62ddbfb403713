"""Numbers compared by value, and the checks measured on faithful human translations."""

from __future__ import annotations

import sys
from decimal import Decimal

import pytest
from conftest import ROOT

from bilingual.translation.numbers import english_values, source_numbers

sys.path.insert(0, str(ROOT / "benchmarks"))


@pytest.mark.parametrize(
    "zh, en",
    [
        ("20世纪80年代", "in the 1980s"),
        ("80年代", "in the '80s"),
        ("100多万人", "more than one million people"),
        ("100多万人", "more than 1 million people"),
        ("60年", "six decades"),
        ("30多年", "more than three decades"),
        ("21世纪", "the 21st century"),
        ("2万名", "20 thousand"),
        ("1.2亿", "120 million"),
        ("3.18万亿美元", "$3.18 trillion"),
        ("0.25个百分点", "25 basis points"),
        ("2/3", "two-thirds"),
        ("1/4", "a quarter"),
        ("9秒83", "9.83 seconds"),
        ("15时30分", "3:30 p.m."),
        ("6日", "on Thursday"),
        ("25个", "twenty-five"),
        ("50万", "half a million"),
        ("200年", "two centuries"),
        ("3至5年", "three to five years"),
        ("1月7日", "Jan. 7"),
        ("35%", "35 percent"),
    ],
)
def test_numbers_match_by_value(zh, en):
    have, weekday = english_values(en)
    for number in source_numbers(zh):
        assert number.values & have or (number.day and weekday), (number, have)


@pytest.mark.parametrize(
    "zh, en",
    [
        ("20世纪80年代", "in the 1990s"),
        ("100多万人", "more than 2 million people"),
        ("60年", "seven decades"),
        ("1.2亿", "12 million"),
        ("2/3", "a third"),
        ("15时", "4 p.m."),
    ],
)
def test_numbers_catch_a_changed_value(zh, en):
    have, _ = english_values(en)
    assert not all(n.values & have for n in source_numbers(zh))


def test_numbers_decade_is_one_number():
    (n,) = source_numbers("20世纪80年代")
    assert n.values == {Decimal(1980)}


def test_checks_on_faithful_news_translations():
    """At most 1% false alarms on faithful human translations; every planted error caught."""
    from checks_faithful import DEFAULTS, measure, read_pairs

    pairs = [p for path in DEFAULTS for p in read_pairs(path)]
    assert len(pairs) >= 180  # news.tsv, and natural-names.tsv (names as English writes them)
    outcome = measure(pairs)
    assert outcome.flagged <= 0.01 * outcome.pairs, outcome.false_alarms
    assert outcome.planted and outcome.caught == outcome.planted, outcome.missed
    assert min(outcome.planted.values()) >= 25
