"""The typed provenance reads every project file's dict and writes the same shape back."""

from __future__ import annotations

from click.testing import CliRunner
from conftest import SEED
from scripted import ScriptedEngine

from bilingual.cli import cli
from bilingual.provenance import ModelInfo, NameStrategies, Provenance
from bilingual.readers import read_article
from bilingual.translation.pipeline import Route
from bilingual.translation.run import translate_articles

SIG = {
    "engine": "argos",
    "package": "translate-zh_en",
    "package_version": "1.9",
    "from_code": "zh",
    "to_code": "en",
    "beam": 4,
    "compute_type": "int8",
}


def test_provenance_round_trips_through_its_dict():
    record = Provenance.of_run(
        SIG,
        version="0.1.0",
        route="zh→en translate-zh_en 1.9",
        translated_at="2026-12-01T00:00:00Z",
        glossary_entries=3,
        names=NameStrategies(("placeholders", "pieces"), {"placeholders": 37, "pieces": 1}),
    )
    d = record.to_dict()
    assert d["model"] == {"package": "translate-zh_en", "version": "1.9", "from_code": "zh",
                          "to_code": "en", "engine": "argos"}  # fmt: skip
    assert d["settings"] == {"engine": "argos", "beam": 4, "compute_type": "int8"}
    assert Provenance.from_dict(d) == record
    assert (record.beam, record.compute_type) == ("4", "int8")


def test_provenance_reads_old_and_odd_dicts():
    assert Provenance.from_dict({}) == Provenance()
    assert Provenance.from_dict(None) == Provenance()
    old = Provenance.from_dict({"model": "translate-zh_en", "settings": [], "input": {"x": 1}})
    assert old.model == ModelInfo("translate-zh_en") and old.settings == {}
    named = Provenance.from_dict({"model": {"name": "m", "version": 2}, "glossary_entries": "x"})
    assert named.model == ModelInfo("m", "2") and named.glossary_entries is None


def test_provenance_records_the_name_strategies_of_a_run():
    article = read_article(SEED)
    engine = ScriptedEngine("good")
    report = translate_articles([article], lambda a: Route(engine, engine.signature()))
    record = Provenance.from_dict(article.provenance)
    assert record.names is not None
    assert record.names.order == ("placeholders", "pieces")
    assert sum(record.names.segments.values()) == report.segments
    assert article.provenance["input"]  # the reader's part is kept


def test_translate_cli_rejects_an_unknown_name_strategy(tmp_path):
    result = CliRunner().invoke(cli, ["translate", str(SEED), "--names", "inline,bogus"])
    assert result.exit_code == 2
    assert "unknown name strategy 'bogus'" in result.output
