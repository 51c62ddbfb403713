"""How English writes a name: `check` accepts it; a name that is gone is still missing."""

from __future__ import annotations

import pytest

from bilingual.names.written import acronyms_of, written_at, written_in
from bilingual.translation.checks import check_block

WRITTEN = [
    ("WHO", "The World Health Organization said", "World Health Organization"),
    ("MOH", "the Ministry of Health said", "Ministry of Health"),
    ("CSTO", "the Collective Security Treaty Organization", "Collective Security Treaty Organization"),
    ("UNESCO", "the United Nations Educational, Scientific and Cultural Organization", "United Nations Educational, Scientific and Cultural Organization"),
    ("World Health Organization", "WHO said", "WHO"),
    ("PADEL", "four padel courts", "padel"),
    ("3D", "a 3-D printer", "3-D"),
    ("COVID-19", "120 Covid 19 cases", "Covid 19"),
    ("U.S.", "the US said", "US"),
    ("Kassym-Jomart Tokayev", "Kassym-Jomart Tokayev said", "Kassym-Jomart Tokayev"),
]  # fmt: skip
NOT_WRITTEN = [
    ("WHO", "The ministry said"),
    ("WHO", "who said so"),  # a short acronym keeps its case
    ("US", "let us go"),
    ("IT", "it is"),
    ("PADEL", "tennis courts"),
    ("CSTO", "the Collective Treaty"),
    ("NATO", "the North Atlantic Alliance"),
    ("Tokayev", "Tokaev said"),
    ("3D", "3 dimensions"),
    ("Ned Price", "ned price said"),  # a person's name keeps its case
]


@pytest.mark.parametrize(("render", "en", "found"), WRITTEN)
def test_names_as_english_writes_them(render: str, en: str, found: str):
    at = written_at(render, en)
    assert at is not None and en[at[0] : at[1]] == found


@pytest.mark.parametrize(("render", "en"), NOT_WRITTEN)
def test_names_that_are_not_there(render: str, en: str):
    assert not written_in(render, en)


def test_acronyms_with_and_without_the_small_words():
    assert acronyms_of(["Ministry", "of", "Health"]) == {"MH", "MOH"}


def test_check_no_longer_cries_wolf_but_still_sees_a_lost_name():
    zh = "世界卫生组织（WHO）周三发布报告。"
    assert check_block(zh, "The World Health Organization issued a report on Wednesday.",
                       renders=["WHO"]) == []  # fmt: skip
    flags = check_block(zh, "The organization issued a report on Wednesday.", renders=["WHO"])
    assert [f.code for f in flags] == ["name-missing"]
