"""How names reach the model: inline, placeholders, pieces; tried in order, recorded per segment."""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT, SEED
from scripted import BAD_MODES, ScriptedEngine

from bilingual.document import Article, Block, Kind
from bilingual.readers import read_article
from bilingual.review.session import ReviewSession
from bilingual.translation.pipeline import (
    Route,
    prepare_block,
    recorded_order,
    strategies_named,
    translate_blocks,
    translate_prepared,
)
from bilingual.translation.run import translate_articles

sys.path.insert(0, str(ROOT / "benchmarks"))

SENTENCE = "总统托卡叶夫（Kassym-Jomart Tokayev）说，BBC和C++都很好。"
RENDERS = ["Kassym-Jomart Tokayev", "BBC", "C++"]
ORDERS = [
    ("inline",),
    ("placeholders",),
    ("pieces",),
    ("inline", "placeholders"),
    ("placeholders", "inline"),
]


def _render(engine: ScriptedEngine, order: tuple[str, ...], zh: str = SENTENCE):
    route = Route(engine, engine.signature())
    (out,) = translate_prepared([(prepare_block(zh), route)], strategies=strategies_named(order))
    return out


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("mode", ["good", *BAD_MODES])
def test_strategies_every_span_verbatim_whatever_the_engine_does(order, mode):
    out = _render(ScriptedEngine(mode), order)
    for name in RENDERS:
        assert name in out.en
    assert out.strategies[0] in (*order, "pieces")
    # Only the pieces are a repair (word order may suffer): flagged.
    assert ("name-repaired" in {f.code for f in out.flags}) == (out.strategies == ["pieces"])


@pytest.mark.parametrize(
    "engine, order, used",
    [
        (ScriptedEngine("good"), ("inline", "placeholders"), "inline"),
        (ScriptedEngine("good"), ("placeholders", "inline"), "placeholders"),
        # A model that copies Latin but reorders it keeps every name: no fallback.
        (ScriptedEngine("swap"), ("inline",), "inline"),
        # One that drops Latin names but copies placeholders: the placeholders answer.
        (ScriptedEngine("drop", on="latin"), ("inline", "placeholders"), "placeholders"),
        (ScriptedEngine("lower", on="latin"), ("inline", "placeholders"), "placeholders"),
        (ScriptedEngine("garble", on="placeholders"), ("placeholders", "inline"), "inline"),
        # Mangled both ways: the pieces.
        (ScriptedEngine("drop"), ("inline", "placeholders"), "pieces"),
        (ScriptedEngine("garble"), ("placeholders",), "pieces"),
    ],
)
def test_strategies_fall_back_in_order_and_are_recorded(engine, order, used):
    out = _render(engine, order)
    assert out.strategies == [used]
    for name in RENDERS:
        assert name in out.en


def test_strategies_what_the_engine_is_sent():
    engine = ScriptedEngine("good")
    _render(engine, ("inline",))
    assert engine.calls == [["总统Kassym-Jomart Tokayev说，BBC和C++都很好。"]]
    engine = ScriptedEngine("good")
    _render(engine, ("placeholders",))
    assert engine.calls == [["总统QZ0说，QZ1和QZ2都很好。"]]


def test_strategies_pieces_always_last_and_names_checked():
    assert [s.name for s in strategies_named(["inline"])] == ["inline", "pieces"]
    assert [s.name for s in strategies_named(["pieces", "inline"])] == ["inline", "pieces"]
    with pytest.raises(ValueError, match="unknown name strategy"):
        strategies_named(["bogus"])


def test_strategies_counted_over_a_run():
    article = read_article(SEED)
    engine = ScriptedEngine("drop", on="latin")
    report = translate_articles(
        [article],
        lambda a: Route(engine, engine.signature()),
        strategies=strategies_named(("inline", "placeholders")),
    )
    assert sum(report.strategies.values()) == report.segments
    assert report.strategies["placeholders"] > 0 and report.strategies["pieces"] == 0
    assert report.repaired == 0


def test_names_benchmark_runs_on_an_installed_package(tiny_hello, capsys):
    from names import main

    assert main(["--model", str(tiny_hello), "--limit", "3", "--beam", "1"]) == 0
    out = capsys.readouterr().out
    # The tiny model answers "hello world" to everything: every segment is repaired.
    assert "inline,placeholders" in out and "100.0%" in out
    assert "fewest repairs: --names" in out


@pytest.mark.parametrize("mode", ["good", "drop", "garble", "swap"])
@pytest.mark.parametrize("order", [("placeholders",), ("inline", "placeholders")])
def test_held_out_sentences_keep_every_latin_name(mode, order):
    """Every Latin name written in the held-out news sentences is verbatim in the English."""
    import re

    from checks_faithful import DEFAULT, read_pairs

    engine = ScriptedEngine(mode)
    checked = 0
    for zh, _ in read_pairs(DEFAULT):
        out = _render(engine, order, zh)
        for latin in re.findall(r"[A-Za-z][A-Za-z.&+#!' -]*[A-Za-z.+#!]|[A-Z]", zh):
            assert latin.strip() in out.en, (zh, out.en)
            checked += 1
    assert checked >= 35


def test_review_sends_names_as_the_project_was_translated(tmp_path):
    """Alternatives and retranslations read `--names` back from the project's provenance."""
    article = Article(blocks=[Block(id="p1", kind=Kind.PARAGRAPH, zh=SENTENCE)])
    engine = ScriptedEngine("good")

    def routes(_article):
        return Route(engine, engine.signature())

    translate_articles([article], routes, strategies=strategies_named(["inline"]))
    assert article.provenance["names"]["order"] == ["inline", "pieces"]
    path = tmp_path / "p.json"
    path.write_text(article.to_json(), encoding="utf-8")
    session = ReviewSession(path, routes=routes)
    engine.calls.clear()
    assert session.alternatives(2)
    assert session.propose_retranslation().en
    sent = [s for batch in engine.calls for s in batch]
    assert len(sent) >= 2 and all("Kassym-Jomart Tokayev" in s and "QZ" not in s for s in sent)
    # A project without the record (or with a strategy this version lacks): the engine's own.
    assert recorded_order(Article(blocks=[])) is None
    odd = Article(blocks=[], provenance={"names": {"order": ["telepathy"], "segments": {}}})
    assert recorded_order(odd) is None


def test_translate_blocks_reads_as_the_whole_run_does():
    """Chosen blocks through the pipeline give what a run of the whole article gives them:
    the document's glossary, and names short after their first mention in reading order."""
    article = read_article(SEED)
    engine = ScriptedEngine("good")
    route = Route(engine, engine.signature())
    before = article.to_json()
    alone = {
        i: translate_blocks(article, [i], route)[0].en for i in range(1, len(article.blocks), 3)
    }
    assert article.to_json() == before  # nothing changed in place
    translate_articles([article], lambda a: route)
    assert alone == {i: article.blocks[i].en for i in alone}
    # Which the block alone would not give (the names glossed in other paragraphs).
    naive = {
        i: translate_prepared([(prepare_block(article.blocks[i].zh), route)])[0].en for i in alone
    }
    assert naive != alone
