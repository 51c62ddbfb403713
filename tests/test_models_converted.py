"""`bilingual models install --dir/--file` for converted CTranslate2 models: validated, atomic."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from tinymodels import build_llm, build_nllb, build_opus_mt

from bilingual.cli import cli
from bilingual.models.converted import MANIFEST, detect_family, list_models


@pytest.fixture(scope="module")
def plain_nllb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An NLLB folder as the converter leaves it (no manifest), with a model card."""
    path = build_nllb(tmp_path_factory.mktemp("plain"), name="nllb-200-distilled-600M-ct2-int8",
                      manifest=False)  # fmt: skip
    (path / "README.md").write_text(
        "---\nlicense: cc-by-nc-4.0\nlanguage:\n- zh\n---\n# NLLB\n", encoding="utf-8"
    )
    return path


def _run(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(cli, list(args))
    return r.exit_code, r.output


def test_install_list_and_remove_a_converted_folder(plain_nllb: Path, tmp_path: Path):
    root = Path(os.environ["BILINGUAL_MODELS_DIR"])
    code, out = _run("models", "install", "--dir", str(plain_nllb))
    assert code == 0, out
    assert "Installed nllb model nllb-200-distilled-600M-ct2-int8" in out
    assert "licence: cc-by-nc-4.0" in out
    (model,) = list_models(root)
    installed = model.path
    assert sorted(p.name for p in installed.iterdir()) == sorted(
        [*(p.name for p in plain_nllb.iterdir()), MANIFEST, ".bilingual-content-hash"]
    )
    manifest = json.loads((installed / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["engine"] == "nllb" and manifest["licence"] == "cc-by-nc-4.0"
    assert not [p for p in root.iterdir() if p.name.startswith(".partial")]

    code, out = _run("models", "list")
    assert code == 0
    header, row = out.splitlines()[:2]
    assert header.split() == ["ENGINE", "FAMILY", "NAME", "SIZE", "LICENCE", "PATH"]
    assert row.split()[0] == "nllb" and "NLLB-200 / M2M-100" in row and "cc-by-nc-4.0" in row

    code, out = _run("models", "install", "--dir", str(plain_nllb))
    assert code == 2 and "already exists; use --force" in out
    code, out = _run("models", "install", "--dir", str(plain_nllb), "--force", "--name", "n2",
                     "--licence", "CC-BY-NC-4.0")  # fmt: skip
    assert code == 0 and "licence: CC-BY-NC-4.0" in out
    assert [m.name for m in list_models(root)] == ["n2", "nllb-200-distilled-600M-ct2-int8"]

    code, out = _run("models", "remove", "n2")
    assert code == 0 and "Removed nllb model n2" in out
    assert [m.name for m in list_models(root)] == ["nllb-200-distilled-600M-ct2-int8"]


def test_each_family_is_recognized_from_its_files(tmp_path: Path, plain_nllb: Path):
    assert detect_family(plain_nllb).engine == "nllb"  # type: ignore[union-attr]
    assert detect_family(build_opus_mt(tmp_path)).engine == "opus-mt"  # type: ignore[union-attr]
    assert detect_family(build_llm(tmp_path)).engine == "llm"  # type: ignore[union-attr]
    assert detect_family(tmp_path) is None


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda p: (p / "model.bin").unlink(), "no model.bin (a NLLB-200 / M2M-100 model needs it)"),
        (lambda p: (p / "model.bin").write_bytes(b""), "model.bin is empty"),
        (lambda p: (p / "config.json").write_text("{nope"), "config.json is not valid JSON"),
        (lambda p: (p / "config.json").write_text("[]"), "config.json is not a JSON object"),
        (lambda p: (p / "shared_vocabulary.json").unlink(), "no vocabulary"),
        (lambda p: (p / "shared_vocabulary.json").write_text("{}"), "vocabulary file is unreadable or empty"),
        (lambda p: os.mkfifo(p / "pipe"), "pipe is not a regular file"),
        (lambda p: (p / "dangling").symlink_to(p / "nowhere"), "a broken link?"),
        (lambda p: (p / "sentencepiece.bpe.model").unlink(), "not a converted CTranslate2 model"),
    ],
)  # fmt: skip
def test_a_bad_folder_is_refused_in_one_line(plain_nllb: Path, tmp_path: Path, spoil, message):
    root = Path(os.environ["BILINGUAL_MODELS_DIR"])
    folder = tmp_path / "m"
    shutil.copytree(plain_nllb, folder)
    spoil(folder)
    code, out = _run("models", "install", "--dir", str(folder))
    assert code == 2, out
    assert message in out and out.count("\n") == 1 and "Traceback" not in out
    assert not root.exists() or not list(root.iterdir())


def test_other_bad_requests(tmp_path: Path, plain_nllb: Path, tiny_random: Path):
    code, out = _run("models", "install", "--dir", str(tmp_path / "none"))
    assert code == 2 and "no such folder" in out
    code, out = _run("models", "install", "--dir", str(plain_nllb / "model.bin"))
    assert code == 2 and "not a folder" in out
    code, out = _run("models", "install", "--dir", str(tiny_random))
    assert code == 2 and "an unpacked Argos package" in out
    code, out = _run("models", "install", "--dir", str(plain_nllb), "--name", "../x")
    assert code == 2 and "cannot name a model folder" in out
    code, out = _run("models", "install", "--dir", str(plain_nllb), "--engine", "llm")
    assert code == 2 and "no tokenizer.json" in out
    code, out = _run("models", "install", "zh", "en", "--dir", str(plain_nllb))
    assert code == 2 and "not with --dir" in out


def _zip(folder: Path, dest: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(dest, "w") as zf:
        for path in sorted(folder.rglob("*")):
            zf.write(path, prefix + path.relative_to(folder.parent).as_posix())
    return dest


def test_install_a_zipped_converted_model(plain_nllb: Path, tmp_path: Path):
    root = Path(os.environ["BILINGUAL_MODELS_DIR"])
    archive = _zip(plain_nllb, tmp_path / "nllb.zip")
    code, out = _run("models", "install", "--file", str(archive))
    assert code == 0, out
    assert [m.engine for m in list_models(root)] == ["nllb"]
    assert not [p for p in root.iterdir() if p.name.startswith(".partial")]

    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("m/model.bin", b"x")
        zf.writestr("m/../../escape.txt", b"x")
    code, out = _run("models", "install", "--file", str(evil))
    assert code == 2 and "unsafe member path" in out
    assert not (tmp_path / "escape.txt").exists()
