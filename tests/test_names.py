"""Names as English news writes them: in full once, then the surname or the acronym."""

from __future__ import annotations

import re

import pytest
from conftest import SEED
from scripted import ScriptedEngine

from bilingual.document import Article, Block, Kind
from bilingual.names.find import short_form, spelling_variants
from bilingual.names.glossary import learn_glossary
from bilingual.readers import read_article
from bilingual.translation.pipeline import Route, check_article, prepare_article
from bilingual.translation.run import translate_articles


def _article(*paragraphs: str) -> Article:
    return Article(blocks=[Block(Kind.PARAGRAPH, zh) for zh in paragraphs])


def _renders(*paragraphs: str) -> list[list[str]]:
    return [p.renders for p in prepare_article(_article(*paragraphs))]


@pytest.mark.parametrize(
    "zh, render, short",
    [
        ("托卡叶夫", "Kassym-Jomart Tokayev", "Tokayev"),
        ("拜登", "Joe Biden", "Biden"),
        ("勒庞", "Marine Le Pen", "Le Pen"),
        ("冯德莱恩", "Ursula von der Leyen", "von der Leyen"),
        ("集体安全条约组织", "Collective Security Treaty Organization (CSTO)", "CSTO"),
        ("纽约", "New York", ""),  # a place, not Mr York
        ("斯里兰卡", "Sri Lanka", ""),
        ("赵立坚", "Zhao Lijian", ""),  # a Chinese name: the Chinese writes it in full again
        ("阿拉木图", "Almaty", ""),
        ("卡瑟姆-若马尔特·托卡耶夫", "Kassym-Jomart Tokayev", ""),  # the Chinese is the full name
    ],
)
def test_names_short_form(zh, render, short):
    assert short_form(zh, render) == short


def test_names_surname_after_the_first_mention():
    assert _renders(
        "总统托卡叶夫（Kassym-Jomart Tokayev）表示，托卡叶夫将留任。",
        "托卡叶夫说。",
    ) == [["Kassym-Jomart Tokayev", "Tokayev"], ["Tokayev"]]


def test_names_first_bare_mention_before_the_gloss_is_in_full():
    assert _renders("拜登周五说。", "美国总统拜登（Joe Biden）说，拜登") == [
        ["Joe Biden"],
        ["Joe Biden", "Biden"],
    ]


def test_names_dotted_name_surname_part_maps_to_the_last_token():
    assert _renders(
        "卡瑟姆-若马尔特·托卡耶夫（Kassym-Jomart Tokayev）发表讲话。",
        "托卡耶夫说，卡瑟姆-若马尔特·托卡耶夫",
    ) == [["Kassym-Jomart Tokayev"], ["Tokayev", "Kassym-Jomart Tokayev"]]


def test_names_acronym_after_an_organisation_was_introduced_with_one():
    assert _renders(
        "俄罗斯领导的集体安全条约组织（Collective Security Treaty Organization，CSTO）派兵。",
        "集体安全条约组织表示",
    ) == [["Collective Security Treaty Organization (CSTO)"], ["CSTO"]]


def test_names_places_and_chinese_names_stay_in_full():
    assert _renders("纽约（New York）市长说，纽约很安全。赵立坚（Zhao Lijian）说，赵立坚")[0] == [
        "New York",
        "New York",
        "Zhao Lijian",
        "Zhao Lijian",
    ]


def test_names_spelling_variants_are_linked():
    assert spelling_variants("托卡叶夫", "托卡耶夫说，托卡叶夫") == {"托卡耶夫"}
    assert spelling_variants("普莱斯", "普莱恩说") == set()  # 恩 is not 斯
    assert spelling_variants("托卡叶夫", "托卡叶夫") == set()
    g = learn_glossary(["托卡耶夫说。托卡叶夫（Kassym-Jomart Tokayev）表示"])
    assert g["托卡耶夫"].en == "Kassym-Jomart Tokayev" and g["托卡耶夫"].short == "Tokayev"


def test_names_user_glossary_is_never_shortened():
    from bilingual.names.glossary import Entry, Glossary

    g = Glossary([Entry("拜登", "President Joe Biden", origin="g.tsv:1")])
    prepared = prepare_article(_article("拜登（Joe Biden）说", "拜登说"), g)
    assert [p.renders for p in prepared][1] == ["President Joe Biden"]


def test_names_seed_later_bare_mentions_read_tokayev():
    article = read_article(SEED)
    translate_articles([article], lambda a: Route(ScriptedEngine(), {"engine": "scripted"}))
    later = [b for b in article.blocks if "托卡叶夫" in b.zh and "（Kassym" not in b.zh]
    assert len(later) == 2
    for block in later:
        assert "Tokayev" in block.en and "Kassym-Jomart" not in block.en
    # Every Latin name written in the Chinese is verbatim in its paragraph's English.
    mentions = 0
    for block in article.blocks:
        for latin in re.findall(r"（([A-Za-z][^）]*)）|(BBC)", block.zh):
            written = next(x for x in latin if x).replace("，", " (").strip()
            for name in re.split(r" \(", written):
                assert name.rstrip(")") in block.en
            mentions += 1
    assert mentions == 10  # + CSTO's second gloss holding two names: the README's 11
    assert not any(f.code == "name-missing" for b in article.blocks for f in b.flags)


def test_names_check_accepts_what_the_renderer_wrote_and_flags_a_missing_name():
    article = read_article(SEED)
    translate_articles([article], lambda a: Route(ScriptedEngine(), {"engine": "scripted"}))
    summary = check_article(article)
    assert not any(f.code == "name-missing" for _, b in summary.flagged_blocks for f in b.flags)
    block = next(b for b in article.blocks if b.zh.startswith("据BBC"))
    block.en = (block.en or "").replace("Tokayev", "the president")
    check_article(article)
    assert [f.message for f in block.flags if f.code == "name-missing"] == [
        "not in the English: Tokayev"
    ]
