"""The tiny Argos package built by tests/tinyargos.py is genuine and behaves as promised."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import ctranslate2
import pytest
import sentencepiece as spm
import tinyargos

SOURCES = [
    "哈萨克斯坦示威危机持续，总统授权无预警开枪。",
    "中国国家主席习近平周五向哈萨克斯坦总统托卡耶夫致口信。",
]


def _unzip(archive: Path, dest: Path) -> Path:
    with zipfile.ZipFile(archive) as zf:
        tops = {name.split("/", 1)[0] for name in zf.namelist()}
        assert tops == {tinyargos.package_dir_name()}
        zf.extractall(dest)
    return dest / tinyargos.package_dir_name()


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("tinyargos")
    start = time.perf_counter()
    det = tinyargos.build_package(root / "det", deterministic=True)
    rnd = tinyargos.build_package(root / "rnd", deterministic=False, name="random")
    elapsed = time.perf_counter() - start
    assert elapsed < 5, f"building two packages took {elapsed:.2f}s"
    assert det.name == "tiny.argosmodel"
    assert rnd.name == "random.argosmodel"
    return {
        "det": _unzip(det, root / "det-x"),
        "rnd": _unzip(rnd, root / "rnd-x"),
    }


def _load(pkg: Path) -> tuple[ctranslate2.Translator, spm.SentencePieceProcessor]:
    translator = ctranslate2.Translator(str(pkg / "model"), device="cpu", compute_type="int8")
    sp = spm.SentencePieceProcessor(model_file=str(pkg / "sentencepiece.model"))
    return translator, sp


def _translate(pkg: Path, sources: list[str], **kwargs: object) -> list[str]:
    translator, sp = _load(pkg)
    tokens = [sp.encode(text, out_type=str) for text in sources]
    results = translator.translate_batch(
        tokens, max_decoding_length=20, return_scores=True, **kwargs
    )
    assert all(len(r.scores) == len(r.hypotheses) for r in results)
    return [sp.decode(r.hypotheses[0]) for r in results]


def test_layout(packages: dict[str, Path]) -> None:
    pkg = packages["det"]
    assert {p.name for p in pkg.iterdir()} == {
        "metadata.json",
        "model",
        "sentencepiece.model",
        "README.md",
    }
    assert {"model.bin", "config.json", "shared_vocabulary.json"} <= {
        p.name for p in (pkg / "model").iterdir()
    }
    meta = json.loads((pkg / "metadata.json").read_text(encoding="utf-8"))
    assert meta["from_code"] == "zh" and meta["to_code"] == "en"
    assert meta["package_version"] == "1.0"
    assert "target_prefix" not in meta
    vocab = json.loads((pkg / "model" / "shared_vocabulary.json").read_text(encoding="utf-8"))
    sp = spm.SentencePieceProcessor(model_file=str(pkg / "sentencepiece.model"))
    assert vocab == [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    assert 900 <= len(vocab) <= 1100
    assert sp.encode("hello world", out_type=str) == ["▁hello", "▁world"]


def test_any_chinese_tokenizes_without_unk(packages: dict[str, Path]) -> None:
    sp = spm.SentencePieceProcessor(model_file=str(packages["det"] / "sentencepiece.model"))
    text = "龘靐齉爩 — 𠀀 emoji 🙂"  # rare/astral characters: byte fallback
    ids = sp.encode(text)
    assert sp.unk_id() not in ids
    assert sp.decode(ids) == text


@pytest.mark.parametrize(
    "kwargs",
    [
        {"beam_size": 4},
        {"beam_size": 1},
        {"beam_size": 4, "batch_type": "tokens", "max_batch_size": 16},
        # What argostranslate.translate passes:
        {
            "beam_size": 4,
            "num_hypotheses": 4,
            "batch_type": "tokens",
            "max_batch_size": 32,
            "length_penalty": 0.2,
            "replace_unknowns": True,
        },
    ],
)
def test_deterministic_says_hello_world(
    packages: dict[str, Path], kwargs: dict[str, object]
) -> None:
    outputs = _translate(packages["det"], [*SOURCES, "hello", ""], **kwargs)
    # CTranslate2 short-circuits an empty source to an empty translation.
    assert outputs == ["hello world"] * 3 + [""]


def test_random_gives_gibberish(packages: dict[str, Path]) -> None:
    outputs = _translate(packages["rnd"], SOURCES, beam_size=4)
    assert all(out.strip() for out in outputs)
    assert all(out != "hello world" for out in outputs)
    # Never emits </s>: always runs to max_decoding_length.
    translator, sp = _load(packages["rnd"])
    results = translator.translate_batch(
        [sp.encode(s, out_type=str) for s in SOURCES], beam_size=1, max_decoding_length=7
    )
    assert [len(r.hypotheses[0]) for r in results] == [7, 7]


def test_target_prefix(tmp_path: Path) -> None:
    pkg = tinyargos.build_unpacked(tmp_path, target_prefix="__en__")
    meta = json.loads((pkg / "metadata.json").read_text(encoding="utf-8"))
    assert meta["target_prefix"] == "__en__"
    translator, sp = _load(pkg)
    assert sp.piece_to_id("__en__") != sp.unk_id()
    tokens = [sp.encode(s, out_type=str) for s in SOURCES]
    results = translator.translate_batch(
        tokens, target_prefix=[["__en__"]] * len(tokens), beam_size=4, max_decoding_length=20
    )
    assert [r.hypotheses[0] for r in results] == [["__en__", "▁hello", "▁world"]] * 2
    # Without the prefix the model still answers hello world.
    results = translator.translate_batch(tokens, beam_size=4, max_decoding_length=20)
    assert [r.hypotheses[0] for r in results] == [["▁hello", "▁world"]] * 2


def test_build_unpacked_refuses_to_overwrite(tmp_path: Path) -> None:
    tinyargos.build_unpacked(tmp_path)
    with pytest.raises(FileExistsError):
        tinyargos.build_unpacked(tmp_path)


def test_argostranslate_reads_metadata(
    packages: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # argostranslate.settings creates data/config/cache dirs under $HOME on import.
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    from argostranslate.package import Package

    pkg = Package(packages["det"])
    assert (pkg.from_code, pkg.to_code) == ("zh", "en")
    assert (pkg.from_name, pkg.to_name) == ("Chinese", "English")
    assert pkg.package_version == "1.0"
    assert pkg.target_prefix == ""
    assert pkg.get_readme()
    assert pkg.tokenizer.encode("hello world") == ["▁hello", "▁world"]
    assert pkg.tokenizer.decode(["▁hello", "▁world"]).strip() == "hello world"
