"""benchmarks/quality.py: one table, a row per installed model, sacrebleu's signatures."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import ROOT
from tinymodels import build_model

sys.path.insert(0, str(ROOT / "benchmarks"))

import quality


@pytest.fixture(scope="module")
def two_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("quality-models")
    build_model("argos", root)
    build_model("nllb", root)
    return root


def test_a_row_per_installed_model_and_the_signatures(two_models: Path, capsys):
    quality.main([str(quality.DEFAULT), "--models-dir", str(two_models), "--limit", "6",
                  "--reference"])  # fmt: skip
    out = capsys.readouterr().out
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("engine"))
    assert header.split()[:4] == ["engine", "model", "chrF++", "BLEU"]
    rows = [line.split()[0] for line in lines[lines.index(header) + 2 :] if line.strip()][:3]
    assert rows == ["argos", "nllb", "reference"]
    reference = next(line for line in lines if line.startswith("reference"))
    assert "100.0" in reference and "100%" in reference  # the checks pass a person's English
    argos = next(line for line in lines if line.startswith("argos"))
    assert " 1.00 " in argos  # the baseline's speed ratio
    # Random weights write gibberish, but every name of the Chinese is in it verbatim.
    for line in (argos, next(line for line in lines if line.startswith("nllb"))):
        kept, total = line.split()[4].split("/")
        assert kept == total
    assert "chrF++: nrefs:1|case:mixed|eff:yes|nc:6|nw:2" in out
    assert "BLEU:   nrefs:1|case:mixed|eff:no|tok:13a" in out


def test_flores_devtest_files_and_a_bad_tsv(tmp_path: Path):
    dev = tmp_path / "flores200_dataset" / "devtest"
    dev.mkdir(parents=True)
    (dev / "zho_Hans.devtest").write_text("你好。\n再见。\n", encoding="utf-8")
    (dev / "eng_Latn.devtest").write_text("Hello.\nGoodbye.\n", encoding="utf-8")
    expected = [("你好。", "Hello."), ("再见。", "Goodbye.")]
    assert quality.read_parallel(dev / "zho_Hans.devtest") == expected
    assert quality.read_parallel(tmp_path / "flores200_dataset") == expected
    (dev / "eng_Latn.devtest").write_text("Hello.\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"2 lines but eng_Latn\.devtest has 1"):
        quality.read_parallel(dev / "zho_Hans.devtest")
    bad = tmp_path / "bad.tsv"
    bad.write_text("zh\ten\n你好。\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="line 1 is not"):
        quality.read_parallel(bad)
    assert len(quality.read_parallel(quality.DEFAULT)) == 30


def test_no_model_installed_is_one_line(tmp_path: Path):
    with pytest.raises(SystemExit, match="no installed model to measure"):
        quality.main([str(quality.DEFAULT), "--models-dir", str(tmp_path)])
