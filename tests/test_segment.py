from __future__ import annotations

from conftest import SEED
from hypothesis import given
from hypothesis import strategies as st

from bilingual.readers import read_article
from bilingual.segment import split_sentences


def test_segment_sentence_ends_with_closers():
    text = "他说：“执法部队正在努力工作。各地宪法秩序已大致恢复。”他补充表示……好！真的？是；否"
    assert split_sentences(text) == [
        "他说：“执法部队正在努力工作。",
        "各地宪法秩序已大致恢复。”",
        "他补充表示……",
        "好！",
        "真的？",
        "是；",
        "否",
    ]


def test_segment_long_sentence_split_at_commas_outside_brackets():
    clause = "对于哈萨克邀俄罗斯领导的组织（Collective Security Treaty Organisation，CSTO）派兵维和"
    text = "，".join([clause] * 4) + "。"
    parts = split_sentences(text, max_chars=120)
    assert len(parts) > 1
    assert "".join(parts) == text
    assert all(p.count("（") == p.count("）") for p in parts)
    assert all(len(p) <= 120 for p in parts)


def test_segment_seed_covers_every_character():
    for block in read_article(SEED).blocks:
        parts = split_sentences(block.zh)
        assert parts
        assert "".join(parts).replace(" ", "") == block.zh.replace(" ", "")


@given(st.text(alphabet="中文字，。！？；“”（）ab 12", max_size=400))
def test_segment_never_loses_text(text):
    parts = split_sentences(text, max_chars=30)
    assert "".join(parts).replace(" ", "") == text.replace(" ", "")
    assert all(p and p == p.strip() for p in parts)
