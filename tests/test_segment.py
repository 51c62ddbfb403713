from __future__ import annotations

import pytest
from conftest import SEED
from hypothesis import given
from hypothesis import strategies as st
from scripted import ScriptedEngine, translate_block

from bilingual.readers import read_article
from bilingual.translation.segment import MAX_CHARS, segments, split_sentences


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


# --- names are protected before the text is split -------------------------------------------

ISSUE_SENTENCE = (
    "详情见https://example.com/a?b=1&c=2。雅虎（Yahoo!）公司和AT&T表示，C++与C#都很流行！"
    "他说：“Hello? World!”"
)
ISSUE_SPANS = ["https://example.com/a?b=1&c=2", "Yahoo!", "AT&T", "C++", "C#", "Hello? World!"]


def test_segment_never_cuts_the_issue_sentence_spans():
    found = [s.render for p in segments(ISSUE_SENTENCE) for s in p.spans]
    assert found == ISSUE_SPANS
    assert split_sentences(ISSUE_SENTENCE) == [
        "详情见https://example.com/a?b=1&c=2。",
        "雅虎（Yahoo!）公司和AT&T表示，C++与C#都很流行！",
        "他说：“Hello? World!”",
    ]


@pytest.mark.parametrize("mode", ["good", "drop", "swap", "garble"])
def test_issue_sentence_keeps_every_span_verbatim(mode):
    en, renders, _ = translate_block(ISSUE_SENTENCE, ScriptedEngine(mode))
    for span in ISSUE_SPANS:
        assert span in en
    assert renders == ISSUE_SPANS


def test_segment_dotted_and_numbered_spans_are_atomic():
    text = "美国官员U.S. Navy称；排名No. 1的球队！"
    assert [s.render for p in segments(text) for s in p.spans] == ["U.S. Navy", "No. 1"]


_PUNCT = "?!;。！？"
_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=6)
_latin = st.one_of(
    st.builds(lambda a, b, p: f"https://{a}.com/{b}{p}x={a}", _word, _word, st.sampled_from("?!;")),
    st.builds(lambda a, b: f"{a}.{b}@example.org", _word, _word),
    st.builds(lambda a, p, b: f"“{a.title()}{p} {b}”", _word, st.sampled_from("?!;"), _word),
    st.sampled_from(["C++", "C#", "Yahoo!", "U.S.", "No. 1", "AT&T", "F#"]),
    st.builds(lambda a, b: f"{a.title()} {b.title()}", _word, _word),
)
_zh = st.text(alphabet="中文字他说在了", min_size=1, max_size=5)


@given(st.lists(st.tuples(_zh, _latin, st.sampled_from(["", *_PUNCT])), min_size=1, max_size=6))
def test_segment_spans_survive_punctuation_inside_and_around(chunks):
    text = "".join(f"{zh}{latin}{punct}" for zh, latin, punct in chunks)
    protected = segments(text, max_chars=40)
    assert "".join(p.original for p in protected).replace(" ", "") == text.replace(" ", "")
    renders = [s.render for p in protected for s in p.spans]
    for _, latin, _ in chunks:
        core = latin.strip("“”")
        assert core in renders
    en, _, _ = translate_block(text, ScriptedEngine("drop"))
    for _, latin, _ in chunks:
        assert latin.strip("“”") in en


def test_segment_huge_unpunctuated_paragraph_comes_back_whole():
    """Issue 11: 200,000 characters without punctuation are cut at MAX_CHARS, never inside a
    Latin word or span, and the English holds a word for every character (nothing truncated)."""
    import random

    rng = random.Random(7)
    han = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工"
    pieces = []
    for i in range(4100):
        pieces.append("".join(rng.choice(han) for _ in range(rng.randint(20, 80))))
        if i % 50 == 0:
            pieces.append("Kassym-Jomart Tokayev")
    text = "".join(pieces)
    assert len(text) >= 200_000
    parts = segments(text)
    assert all(len(p.original) <= MAX_CHARS or p.spans for p in parts)
    assert "".join(p.original for p in parts) == text
    renders = [s.render for p in parts for s in p.spans]
    assert renders == ["Kassym-Jomart Tokayev"] * 82
    en, _, _ = translate_block(text, ScriptedEngine())
    han_count = sum(1 for ch in text if ch in han)
    assert len([w for w in en.split() if w.startswith("w") and len(w) == 3]) >= han_count
    assert en.count("Kassym-Jomart Tokayev") == 82
