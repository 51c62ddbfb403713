"""Model management: where packages live, installing (from a file or an index), listing, removing."""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import socket
import stat
import sys
import threading
import time
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import ctranslate2
import pytest
import sentencepiece as spm
import tinyargos
from click.testing import CliRunner
from conftest import reload_argos_settings

from bilingual import models
from bilingual.cli import cli
from bilingual.errors import (
    BilingualError,
    ModelAlreadyInstalled,
    ModelError,
    ModelNotInstalled,
    NetworkError,
    PackageInvalid,
)

TOP = tinyargos.package_dir_name()  # translate-zh_en-1_0


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Genuine tiny packages, built once: zh→en 1.0 and 1.1, and the unpacked 1.0."""
    root = tmp_path_factory.mktemp("built")
    return {
        "1.0": tinyargos.build_package(root, version="1.0", name="tiny-1.0"),
        "1.1": tinyargos.build_package(root, version="1.1", name="tiny-1.1"),
        "unpacked": tinyargos.build_unpacked(root / "unpacked"),
    }


@pytest.fixture
def mdir() -> Path:
    """The models directory the autouse fixture points $BILINGUAL_MODELS_DIR at."""
    return Path(os.environ["BILINGUAL_MODELS_DIR"])


def argos_dir() -> Path:
    """argostranslate's package folder under the test's $XDG_DATA_HOME."""
    return Path(os.environ["XDG_DATA_HOME"]) / "argos-translate" / "packages"


def user_dir() -> Path:
    """bilingual's own user folder under the test's $XDG_DATA_HOME."""
    return Path(os.environ["XDG_DATA_HOME"]) / "bilingual" / "models"


def looked_in(mdir: Path) -> str:
    """The folders a lookup reads, as messages list them (no checkout: tests run outside one)."""
    return f"{mdir}, {argos_dir()}, {user_dir()}"


def snapshot(directory: Path) -> dict[str, int] | None:
    """Every file and folder under `directory` (hidden ones too) with sizes; None if missing."""
    if not directory.exists():
        return None
    return {
        p.relative_to(directory).as_posix(): p.stat().st_size if p.is_file() else -1
        for p in directory.rglob("*")
    }


def make_zip(
    path: Path,
    unpacked: Path,
    *,
    top: str = TOP,
    skip: tuple[str, ...] = (),
    extra: dict[str, bytes] | None = None,
    metadata: dict[str, object] | bytes | None = None,
) -> Path:
    """Zip an unpacked package under `top`, leaving out `skip`, adding `extra` members."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for file in sorted(unpacked.rglob("*")):
            rel = file.relative_to(unpacked).as_posix()
            if file.is_dir() or rel in skip:
                continue
            if rel == "metadata.json" and metadata is not None:
                data = metadata if isinstance(metadata, bytes) else json.dumps(metadata).encode()
                zf.writestr(f"{top}/{rel}", data)
            else:
                zf.write(file, f"{top}/{rel}")
        for name, data in (extra or {}).items():
            # A ZipInfo keeps names as given (a bare name would lose a leading "/").
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return path


def install_tiny(built: dict[str, Path], version: str = "1.0") -> models.InstalledPackage:
    return models.install_from_file(built[version])


# ---------------------------------------------------------------- install from a file


def test_install_from_file_unpacks_a_loadable_package(built: dict[str, Path], mdir: Path) -> None:
    package = install_tiny(built)
    assert package.path == mdir / TOP
    assert (package.from_code, package.to_code, package.package_version) == ("zh", "en", "1.0")
    assert package.name == TOP and package.pair == "zh→en" and package.target_prefix == ""
    assert package.metadata["from_name"] == "Chinese"
    assert package.size_bytes == sum(
        p.stat().st_size for p in package.path.rglob("*") if p.is_file()
    )
    # The same layout argostranslate unpacks to, and nothing else (no temporary leftovers).
    assert sorted(p.name for p in mdir.iterdir()) == [TOP]
    assert {p.name for p in package.path.iterdir()} == {
        "metadata.json",
        "model",
        "sentencepiece.model",
        "README.md",
        ".bilingual-content-hash",  # what the model is, computed once at install
    }
    translator = ctranslate2.Translator(str(package.model_path), device="cpu", compute_type="int8")
    sp = spm.SentencePieceProcessor(model_file=str(package.sentencepiece_path))
    result = translator.translate_batch([sp.encode("你好，世界。", out_type=str)], beam_size=2)
    assert sp.decode(result[0].hypotheses[0]) == "hello world"


def test_install_metadata_read_as_argostranslate_reads_it(
    tmp_path: Path, mdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unpacked = tinyargos.build_unpacked(tmp_path / "src", target_prefix="__en__")
    archive = make_zip(tmp_path / "prefixed.argosmodel", unpacked)
    package = models.install_from_file(archive)
    assert package.target_prefix == "__en__"

    # argostranslate.settings creates data/config/cache dirs under $HOME on import.
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    from argostranslate.package import Package

    theirs = Package(package.path)
    assert (theirs.from_code, theirs.to_code) == (package.from_code, package.to_code)
    assert theirs.package_version == package.package_version
    assert theirs.target_prefix == package.target_prefix
    assert theirs.type == package.type == "translate"


def test_install_same_version_needs_force(built: dict[str, Path], mdir: Path) -> None:
    install_tiny(built)
    before = snapshot(mdir)
    with pytest.raises(ModelAlreadyInstalled) as info:
        install_tiny(built)
    assert str(info.value) == (
        f"zh→en 1.0 is already installed ({mdir / TOP}); use --force to reinstall"
    )
    assert snapshot(mdir) == before
    (mdir / TOP / "stray.txt").write_text("from the old install")
    package = models.install_from_file(built["1.0"], force=True)
    assert not (package.path / "stray.txt").exists()
    assert sorted(p.name for p in mdir.iterdir()) == [TOP]


def test_install_force_replaces_same_version_under_another_name(
    built: dict[str, Path], mdir: Path
) -> None:
    mdir.mkdir(parents=True)
    shutil.copytree(built["unpacked"], mdir / "zh-en-renamed")
    with pytest.raises(ModelAlreadyInstalled):
        install_tiny(built)
    install_tiny_forced = models.install_from_file(built["1.0"], force=True)
    assert [p.name for p in mdir.iterdir()] == [install_tiny_forced.name]


def test_install_refuses_other_pair_when_expected(built: dict[str, Path], mdir: Path) -> None:
    with pytest.raises(PackageInvalid, match=r"translates zh→en, not zt→en$"):
        models.install_from_file(built["1.0"], expect_pair=("zt", "en"))
    assert snapshot(mdir) is None


def test_install_into_explicit_dir(built: dict[str, Path], tmp_path: Path, mdir: Path) -> None:
    package = models.install_from_file(built["1.0"], tmp_path / "elsewhere" / "models")
    assert package.path == tmp_path / "elsewhere" / "models" / TOP
    assert snapshot(mdir) is None


def _two_tops(tmp: Path, src: Path) -> Path:
    return make_zip(tmp / "p.argosmodel", src, extra={"other/readme.txt": b"x"})


def _file_at_top(tmp: Path, src: Path) -> Path:
    return make_zip(tmp / "p.argosmodel", src, extra={"metadata.json": b"{}"})


def _dotdot(tmp: Path, src: Path) -> Path:
    return make_zip(tmp / "p.argosmodel", src, extra={f"{TOP}/../../evil.txt": b"x"})


def _absolute(tmp: Path, src: Path) -> Path:
    return make_zip(tmp / "p.argosmodel", src, extra={f"/tmp/{TOP}/evil.txt": b"x"})


def _backslash(tmp: Path, src: Path) -> Path:
    return make_zip(tmp / "p.argosmodel", src, extra={f"{TOP}\\..\\evil.txt": b"x"})


def _symlink(tmp: Path, src: Path) -> Path:
    path = make_zip(tmp / "p.argosmodel", src)
    with zipfile.ZipFile(path, "a") as zf:
        info = zipfile.ZipInfo(f"{TOP}/link")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    return path


def _duplicate(tmp: Path, src: Path) -> Path:
    path = make_zip(tmp / "p.argosmodel", src)
    with zipfile.ZipFile(path, "a") as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        zf.writestr(f"{TOP}/README.md", "again")
    return path


def _bomb(tmp: Path, src: Path) -> Path:
    return make_zip(tmp / "p.argosmodel", src, extra={f"{TOP}/zeros.bin": bytes(8 * 1024**2)})


def _damaged(tmp: Path, src: Path) -> Path:
    path = make_zip(tmp / "p.argosmodel", src)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(f"{TOP}/model/model.bin")
    data = bytearray(path.read_bytes())
    # Local header: 30 bytes + name + extra field; then the compressed data.
    name_len = int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_len = int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    for offset in range(start + info.compress_size // 2, start + info.compress_size // 2 + 64):
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def _truncated(tmp: Path, src: Path) -> Path:
    path = make_zip(tmp / "p.argosmodel", src)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return path


BAD_PACKAGES: list[tuple[str, Callable[[Path, Path], Path], str | re.Pattern[str]]] = [
    ("missing", lambda t, s: t / "nope.argosmodel", "no such file"),
    ("directory", lambda t, s: t, "is a directory, not an .argosmodel file"),
    (
        "not a zip",
        lambda t, s: _write(t / "p.argosmodel", b"<html>404</html>"),
        "not a zip archive (an Argos package is a .argosmodel zip file)",
    ),
    ("empty zip", lambda t, s: _empty_zip(t / "p.argosmodel"), "empty archive"),
    (
        "two top-level folders",
        _two_tops,
        f"2 top-level folders (other, {TOP}); a package has exactly one",
    ),
    (
        "file at top level",
        _file_at_top,
        "file 'metadata.json' outside the package folder (expected one top-level folder)",
    ),
    (
        "no metadata",
        lambda t, s: make_zip(t / "p.argosmodel", s, skip=("metadata.json",)),
        f"no metadata.json in {TOP}/",
    ),
    (
        "metadata not JSON",
        lambda t, s: make_zip(t / "p.argosmodel", s, metadata=b"{from_code: zh"),
        f"{TOP}/metadata.json is not valid JSON (Expecting property name enclosed in double "
        "quotes: line 1 column 2 (char 1))",
    ),
    (
        "metadata without to_code",
        lambda t, s: make_zip(t / "p.argosmodel", s, metadata={"from_code": "zh"}),
        f"{TOP}/metadata.json has no to_code",
    ),
    (
        "no model",
        lambda t, s: make_zip(t / "p.argosmodel", s, skip=("model/model.bin",)),
        f"no CTranslate2 model (model/model.bin) in {TOP}/",
    ),
    (
        "no sentencepiece",
        lambda t, s: make_zip(t / "p.argosmodel", s, skip=("sentencepiece.model",)),
        f"no SentencePiece model (sentencepiece.model) in {TOP}/",
    ),
    ("dot-dot member", _dotdot, f"unsafe member path '{TOP}/../../evil.txt'"),
    ("absolute member", _absolute, f"unsafe member path '/tmp/{TOP}/evil.txt' (absolute)"),
    (
        "backslash member",
        _backslash,
        f"unsafe member path '{TOP}\\\\..\\\\evil.txt' (absolute)",
    ),
    ("symlink member", _symlink, f"symbolic link '{TOP}/link' (packages hold regular files only)"),
    ("duplicate member", _duplicate, f"duplicate member '{TOP}/README.md'"),
    (
        "compression bomb",
        _bomb,
        re.compile(
            rf"'{TOP}/zeros\.bin' expands more than 100 times \(the compression-ratio limit for "
            r"an Argos package; a compression bomb\?\)"
        ),
    ),
    ("damaged zip", _damaged, "damaged archive ("),
    ("truncated zip", _truncated, "damaged archive (truncated zip file?)"),
]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _empty_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w"):
        pass
    return path


@pytest.mark.parametrize(
    "make, message", [c[1:] for c in BAD_PACKAGES], ids=[c[0] for c in BAD_PACKAGES]
)
def test_install_bad_package_one_line_error_dir_unchanged(
    built: dict[str, Path],
    tmp_path: Path,
    mdir: Path,
    make: Callable[[Path, Path], Path],
    message: str | re.Pattern[str],
) -> None:
    # An existing install must survive; a models dir that did not exist must still not exist.
    keep = models.install_from_file(built["1.1"])
    before = snapshot(mdir)
    archive = make(tmp_path, built["unpacked"])
    with pytest.raises(PackageInvalid) as info:
        models.install_from_file(archive)
    text = str(info.value)
    assert "\n" not in text
    assert text.startswith(f"{archive}: ")
    if isinstance(message, re.Pattern):
        assert message.fullmatch(text.removeprefix(f"{archive}: "))
    elif message.endswith("("):
        assert text.startswith(f"{archive}: {message}")
    else:
        assert text == f"{archive}: {message}"
    assert snapshot(mdir) == before
    assert models.find_package("zh", "en") == keep

    shutil.rmtree(mdir)
    with pytest.raises(PackageInvalid):
        models.install_from_file(archive, force=True)
    assert snapshot(mdir) is None


def test_install_refuses_absurd_total_size(
    built: dict[str, Path], mdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(models.archive, "MAX_UNPACKED_BYTES", 100 * 1024)
    with pytest.raises(
        PackageInvalid,
        match=r"unpacks to more than 100\.0 KB \(the unpacked-size limit for an Argos package\)$",
    ):
        install_tiny(built)
    assert snapshot(mdir) is None


def test_install_lying_sizes_are_damaged(
    built: dict[str, Path], tmp_path: Path, mdir: Path
) -> None:
    """A member whose header understates its size is caught while unpacking."""
    archive = make_zip(tmp_path / "p.argosmodel", built["unpacked"])
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo(f"{TOP}/README.md")
    # Its central directory entry: 46 fixed bytes, then the name; file_size is at offset 24.
    entry = data.find(f"{TOP}/README.md".encode(), data.find(b"PK\x01\x02")) - 46
    assert data[entry : entry + 4] == b"PK\x01\x02"
    data[entry + 24 : entry + 28] = (info.file_size - 10).to_bytes(4, "little")
    archive.write_bytes(bytes(data))
    with pytest.raises(PackageInvalid, match="damaged archive"):
        models.install_from_file(archive)
    assert snapshot(mdir) is None


def test_install_interrupted_leaves_dir_unchanged(
    built: dict[str, Path], mdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_tiny(built)
    before = snapshot(mdir)
    original = models.archive._extract

    def extract_then_interrupt(*args: object, **kwargs: object) -> None:
        original(*args, **kwargs)  # type: ignore[arg-type]
        raise KeyboardInterrupt

    monkeypatch.setattr(models.archive, "_extract", extract_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        models.install_from_file(built["1.0"], force=True)
    assert snapshot(mdir) == before


def test_install_failed_rename_puts_old_version_back(
    built: dict[str, Path], mdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_tiny(built)
    before = snapshot(mdir)
    real_rename = os.rename

    def rename(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if Path(src).name == TOP and ".partial-" in Path(src).parent.name:
            raise OSError(28, "No space left on device")
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(ModelError, match=f"^cannot install into {mdir}: .*No space left"):
        models.install_from_file(built["1.0"], force=True)
    assert snapshot(mdir) == before


def test_install_sweeps_stale_leftovers(built: dict[str, Path], mdir: Path) -> None:
    # Inside the models folder (older versions staged there) and beside it (staging now).
    stale, fresh = mdir / ".partial-stale", mdir / ".partial-fresh"
    beside = mdir.parent / f".{mdir.name}.partial-stale"
    for leftover in (stale, fresh, beside):
        (leftover / "half").mkdir(parents=True)
    old = time.time() - 2 * 24 * 3600
    os.utime(stale, (old, old))
    os.utime(beside, (old, old))
    install_tiny(built)
    assert not stale.exists() and not beside.exists() and fresh.exists()
    assert [p.name for p in models.list_installed()] == [TOP]


# ---------------------------------------------------------------- list, find, remove


def _fake(mdir: Path, src: Path, folder: str, **metadata: str) -> None:
    """A copy of the unpacked package under another folder name, with metadata changed."""
    dest = mdir / folder
    shutil.copytree(src, dest)
    meta = json.loads((dest / "metadata.json").read_text(encoding="utf-8"))
    meta.update(metadata)
    (dest / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")


def test_list_and_find_newest_version_wins(built: dict[str, Path], mdir: Path) -> None:
    mdir.mkdir()
    src = built["unpacked"]
    _fake(mdir, src, "translate-zh_en-1_9", package_version="1.9")
    _fake(mdir, src, "translate-zh_en-1_10", package_version="1.10")
    _fake(mdir, src, "translate-zh_en-1_2", package_version="1.2")
    _fake(mdir, src, "translate-zt_en-1_0", from_code="zt")
    _fake(mdir, src, "translate-en_zh-1_0", from_code="en", to_code="zh")
    (mdir / "not-a-package").mkdir()
    (mdir / "broken").mkdir()
    (mdir / "broken" / "metadata.json").write_text("{oops")
    (mdir / "stray-file.txt").write_text("x")
    installed = models.list_installed()
    assert [(p.pair, p.package_version) for p in installed] == [
        ("en→zh", "1.0"),
        ("zh→en", "1.10"),
        ("zh→en", "1.9"),
        ("zh→en", "1.2"),
        ("zt→en", "1.0"),
    ]
    found = models.find_package("zh", "en")
    assert found is not None and found.name == "translate-zh_en-1_10"
    assert models.find_package("fr", "en") is None
    assert models.list_installed(mdir / "missing") == []


@pytest.mark.parametrize(
    "older, newer",
    [("1.0", "1.1"), ("1.9", "1.10"), ("1.9", "1.9.1"), ("1.9rc1", "1.9"), ("", "0.1"), ("x", "1")],
)
def test_version_ordering(older: str, newer: str) -> None:
    assert models.version_key(older) < models.version_key(newer)
    assert models.version_key("1.0") == models.version_key("1.0.0")


def test_require_package_says_what_to_run(mdir: Path) -> None:
    with pytest.raises(ModelNotInstalled) as info:
        models.require_package("zh", "en")
    assert str(info.value) == (
        f"no zh→en model installed in {looked_in(mdir)}; run `bilingual models install zh en` to download "
        "it, or `bilingual models install --file PACKAGE.argosmodel` to install a file offline "
        "(installed elsewhere? point $BILINGUAL_MODELS_DIR at that models folder)"
    )
    assert info.value.exit_code == 3


def test_remove_by_pair_and_by_name(built: dict[str, Path], mdir: Path) -> None:
    install_tiny(built, "1.0")
    install_tiny(built, "1.1")
    _fake(mdir, built["unpacked"], "translate-zt_en-1_0", from_code="zt")
    removed = models.remove("translate-zt_en-1_0")
    assert [p.name for p in removed] == ["translate-zt_en-1_0"]
    removed = models.remove("zh", "en")
    assert sorted(p.package_version for p in removed) == ["1.0", "1.1"]
    assert sorted(p.name for p in mdir.iterdir()) == []
    with pytest.raises(ModelNotInstalled) as info:
        models.remove("zh", "en")
    assert str(info.value) == f"no zh→en model installed in {looked_in(mdir)}"
    with pytest.raises(ModelNotInstalled, match="no package named 'nope'"):
        models.remove("nope")


# ---------------------------------------------------------------- where models live


def test_models_dir_from_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BILINGUAL_MODELS_DIR", str(tmp_path / "m"))
    assert models.models_dir() == (tmp_path / "m", "$BILINGUAL_MODELS_DIR is set")
    monkeypatch.setenv("BILINGUAL_MODELS_DIR", "~/my-models")
    assert models.models_dir()[0] == Path.home() / "my-models"


def _project(root: Path, name: str = "bilingual", with_models: bool = True) -> Path:
    root.mkdir(parents=True)
    (root / "pyproject.toml").write_text(f'[project]\nname = "{name}"\nversion = "0"\n')
    if with_models:
        (root / "models").mkdir()
    return root


def test_models_dir_inside_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BILINGUAL_MODELS_DIR")
    project = _project(tmp_path / "checkout")
    (project / "bilingual" / "deep").mkdir(parents=True)
    monkeypatch.chdir(project / "bilingual" / "deep")
    assert models.models_dir() == (
        project / "models",
        f"the models/ folder of the bilingual project at {project}",
    )


@pytest.mark.parametrize(
    "name, with_models", [("bilingual", False), ("something-else", True), (None, False)]
)
def test_models_dir_outside_a_checkout_is_argostranslates_package_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str | None, with_models: bool
) -> None:
    monkeypatch.setenv("BILINGUAL_MODELS_DIR", "")  # empty counts as unset
    cwd = _project(tmp_path / "p", name, with_models) if name else tmp_path
    monkeypatch.chdir(cwd)
    path, reason = models.models_dir()
    assert path == argos_dir()
    assert reason == (
        "argostranslate's package folder (in its data folder): argospm, LibreTranslate and "
        "other Argos tools find packages there"
    )
    from argostranslate import settings

    assert settings.package_data_dir == path


def test_models_dir_follows_argos_packages_dir_and_settings_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BILINGUAL_MODELS_DIR")
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "argos-translate"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.json").write_text(json.dumps({"ARGOS_PACKAGES_DIR": str(tmp_path / "j")}))
    reload_argos_settings()
    assert models.models_dir() == (
        tmp_path / "j",
        f"argostranslate's package folder (set in {config / 'settings.json'}): argospm, "
        "LibreTranslate and other Argos tools find packages there",
    )
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "e"))  # the variable wins
    reload_argos_settings()
    path, reason = models.models_dir()
    assert path == tmp_path / "e"
    assert reason.startswith("argostranslate's package folder ($ARGOS_PACKAGES_DIR): ")


def test_models_dir_when_argostranslate_is_unusable(monkeypatch: pytest.MonkeyPatch) -> None:
    """argostranslate reads ARGOS_* numbers on import; a bad one breaks every Argos tool, and
    bilingual falls back to its own user folder, saying why."""
    import argostranslate

    monkeypatch.delenv("BILINGUAL_MODELS_DIR")
    monkeypatch.setenv("ARGOS_INTER_THREADS", "many")
    monkeypatch.delitem(sys.modules, "argostranslate.settings", raising=False)
    monkeypatch.delattr(argostranslate, "settings", raising=False)
    path, reason = models.models_dir()
    assert path == user_dir()
    assert reason.startswith(
        "bilingual's user folder, as argostranslate's settings are unusable: invalid literal"
    )


def test_lookup_order_first_place_holding_a_pair_wins(
    built: dict[str, Path], tmp_path: Path, mdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """env var, checkout, argostranslate's folder, bilingual's user folder: the first place that
    holds a pair answers for it, whatever newer versions lie further down."""
    checkout = _project(tmp_path / "checkout")
    monkeypatch.chdir(checkout)
    src = built["unpacked"]
    mdir.mkdir()
    _fake(mdir, src, "translate-zt_en-1_0", from_code="zt")
    _fake(checkout / "models", src, "translate-zh_en-1_1", package_version="1.1")
    argos_dir().mkdir(parents=True, exist_ok=True)
    _fake(argos_dir(), src, "translate-zh_en-2_0", package_version="2.0")
    _fake(argos_dir(), src, "translate-zt_en-2_0", from_code="zt", package_version="2.0")
    user_dir().mkdir(parents=True)
    _fake(user_dir(), src, "translate-en_zh-1_0", from_code="en", to_code="zh")

    places = models.store.places()
    assert [(p.number, p.path) for p in places] == [
        (1, mdir),
        (2, checkout / "models"),
        (3, argos_dir()),
        (4, user_dir()),
    ]
    found = models.list_installed()
    assert [(p.name, p.found_in.number if p.found_in else 0) for p in found] == [
        ("translate-zt_en-1_0", 1),
        ("translate-zh_en-1_1", 2),
        ("translate-zh_en-2_0", 3),
        ("translate-zt_en-2_0", 3),
        ("translate-en_zh-1_0", 4),
    ]
    assert {p.name for p in found if p.path in models.store.used(found)} == {
        "translate-zt_en-1_0",
        "translate-zh_en-1_1",
        "translate-en_zh-1_0",
    }
    zh = models.find_package("zh", "en")
    assert zh is not None and zh.path == checkout / "models" / "translate-zh_en-1_1"
    # Installs go to $BILINGUAL_MODELS_DIR, else the checkout; a folder listed twice is read once.
    assert models.models_dir()[0] == mdir
    monkeypatch.delenv("BILINGUAL_MODELS_DIR")
    assert models.models_dir()[0] == checkout / "models"
    monkeypatch.setenv("BILINGUAL_MODELS_DIR", str(argos_dir()))
    places = models.store.places()
    assert places[2].path is None and places[2].note == f"the same folder as 1 ({argos_dir()})"
    assert [p.name for p in models.list_installed()][:2] == [
        "translate-zh_en-2_0",
        "translate-zt_en-2_0",
    ]


# ---------------------------------------------------------------- install from an index (network)


class _Server:
    """A package mirror on 127.0.0.1: serves `files` by path, 404 otherwise; logs requests."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.requests: list[str] = []
        self.stall = threading.Event()  # /slow answers nothing until the server closes
        files, requests, stall = self.files, self.requests, self.stall

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                requests.append(self.path)
                if self.path == "/slow":
                    stall.wait(5)
                    return
                body = files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.stall.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server()
    yield srv
    srv.close()


@pytest.fixture
def dead_url() -> str:
    """A URL on 127.0.0.1 where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def _index(*entries: dict[str, object]) -> bytes:
    return json.dumps(list(entries)).encode()


def _entry(version: str, *links: str, from_code: str = "zh", to_code: str = "en") -> dict:
    return {
        "package_version": version,
        "argos_version": "1.0",
        "from_code": from_code,
        "from_name": "Chinese",
        "to_code": to_code,
        "to_name": "English",
        "links": list(links),
    }


@pytest.fixture
def mirror(server: _Server, built: dict[str, Path]) -> _Server:
    """An index with zh→en 1.0 and 1.1 (1.1's first link is a 404) and other pairs."""
    server.files["/pkg/zh_en-1_0.argosmodel"] = built["1.0"].read_bytes()
    server.files["/pkg/zh_en-1_1.argosmodel"] = built["1.1"].read_bytes()
    server.files["/index.json"] = _index(
        _entry("1.0", f"{server.url}/pkg/zh_en-1_0.argosmodel"),
        _entry("1.1", f"{server.url}/gone/zh_en-1_1.argosmodel", "pkg/zh_en-1_1.argosmodel"),
        _entry("2.0", f"{server.url}/pkg/nope", from_code="en", to_code="zh"),
        {"type": "sbd", "from_code": "zh", "package_version": "9.0"},
        "not a dict",
    )
    return server


def test_install_from_index_picks_newest_and_falls_back(
    mirror: _Server, built: dict[str, Path], mdir: Path
) -> None:
    calls: list[tuple[int, int | None]] = []
    starts: list[str] = []
    package = models.install_from_index(
        "zh",
        "en",
        index_url=f"{mirror.url}/index.json",
        progress=lambda done, total: calls.append((done, total)),
        on_download=lambda entry, url: starts.append(url),
    )
    assert package.package_version == "1.1" and package.path == mdir / "translate-zh_en-1_1"
    assert mirror.requests == [
        "/index.json",
        "/gone/zh_en-1_1.argosmodel",
        "/pkg/zh_en-1_1.argosmodel",  # a relative link, resolved against the index URL
    ]
    assert starts == [
        f"{mirror.url}/gone/zh_en-1_1.argosmodel",
        f"{mirror.url}/pkg/zh_en-1_1.argosmodel",
    ]
    size = built["1.1"].stat().st_size
    assert calls[0] == (0, size) and calls[-1] == (size, size)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert sorted(p.name for p in mdir.iterdir()) == ["translate-zh_en-1_1"]


def test_install_from_index_already_installed_downloads_nothing(
    mirror: _Server, built: dict[str, Path], mdir: Path
) -> None:
    install_tiny(built, "1.1")
    with pytest.raises(ModelAlreadyInstalled, match=r"zh→en 1\.1 is already installed"):
        models.install_from_index("zh", "en", index_url=f"{mirror.url}/index.json")
    assert mirror.requests == ["/index.json"]
    package = models.install_from_index(
        "zh", "en", index_url=f"{mirror.url}/index.json", force=True
    )
    assert package.package_version == "1.1"


def test_install_from_local_index_file(built: dict[str, Path], tmp_path: Path, mdir: Path) -> None:
    shutil.copy(built["1.0"], tmp_path / "zh_en.argosmodel")
    (tmp_path / "index.json").write_bytes(_index(_entry("1.0", "zh_en.argosmodel")))
    package = models.install_from_index("zh", "en", index_url=str(tmp_path / "index.json"))
    assert package.path == mdir / TOP


def test_install_downloads_from_the_index_argostranslate_reads(
    built: dict[str, Path], tmp_path: Path, mdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mirror set up for argospm ($ARGOS_PACKAGE_INDEX) serves `bilingual models install`."""
    from bilingual.models.index import default_index

    assert default_index() == models.DEFAULT_INDEX
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    shutil.copy(built["1.0"], mirror / "zh_en.argosmodel")
    (mirror / "index.json").write_bytes(_index(_entry("1.0", "zh_en.argosmodel")))
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", mirror.as_uri() + "/")
    reload_argos_settings()
    assert default_index() == f"{mirror.as_uri()}/index.json"
    code, out, err = run(["models", "install", "zh", "en"])
    assert code == 0, err
    assert err == f"Downloading zh→en 1.0 from {mirror.as_uri()}/zh_en.argosmodel\n"
    assert out.startswith("Installed zh→en 1.0") and (mdir / TOP).is_dir()


def test_install_from_index_all_links_fail(mirror: _Server, mdir: Path) -> None:
    del mirror.files["/pkg/zh_en-1_1.argosmodel"]
    with pytest.raises(NetworkError) as info:
        models.install_from_index("zh", "en", index_url=f"{mirror.url}/index.json")
    assert str(info.value) == (
        f"could not download zh→en 1.1: tried 2 links: "
        f"{mirror.url}/gone/zh_en-1_1.argosmodel: HTTP 404 Not Found; "
        f"{mirror.url}/pkg/zh_en-1_1.argosmodel: HTTP 404 Not Found"
    )
    assert info.value.exit_code == 4
    assert snapshot(mdir) is None


def test_install_from_index_invalid_download(mirror: _Server, mdir: Path) -> None:
    mirror.files["/pkg/zh_en-1_1.argosmodel"] = b"<html>Sorry, we moved</html>"
    with pytest.raises(PackageInvalid) as info:
        models.install_from_index("zh", "en", index_url=f"{mirror.url}/index.json")
    assert str(info.value).endswith(
        f"{mirror.url}/pkg/zh_en-1_1.argosmodel: not a zip archive "
        "(an Argos package is a .argosmodel zip file)"
    )
    assert snapshot(mdir) is None


def test_fetch_index_dead_server(dead_url: str, mdir: Path) -> None:
    with pytest.raises(NetworkError) as info:
        models.install_from_index("zh", "en", index_url=f"{dead_url}/index.json")
    assert str(info.value) == f"{dead_url}/index.json: connection refused"
    assert snapshot(mdir) is None


def test_fetch_index_timeout(server: _Server) -> None:
    with pytest.raises(NetworkError, match=r"/slow: timed out after 0\.2s$"):
        models.fetch_index(f"{server.url}/slow", timeout=0.2)


@pytest.mark.parametrize(
    "body, message",
    [
        (b"<html>", "not a package index (Expecting value: line 1 column 1 (char 0))"),
        (b'{"a": 1}', "not a package index (expected a JSON list of packages)"),
    ],
)
def test_fetch_index_not_an_index(server: _Server, body: bytes, message: str) -> None:
    server.files["/index.json"] = body
    with pytest.raises(ModelError) as info:
        models.fetch_index(f"{server.url}/index.json")
    assert str(info.value) == f"{server.url}/index.json: {message}"


def test_install_from_index_no_such_pair(mirror: _Server) -> None:
    with pytest.raises(ModelError) as info:
        models.install_from_index("fr", "en", index_url=f"{mirror.url}/index.json")
    assert str(info.value) == f"the package index {mirror.url}/index.json has no fr→en package"


def test_fetch_index_refuses_other_schemes() -> None:
    with pytest.raises(NetworkError, match="unsupported URL scheme 'ftp'"):
        models.fetch_index("ftp://example.invalid/index.json")


def test_default_index_is_argostranslates() -> None:
    assert models.DEFAULT_INDEX == (
        "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
    )


# ---------------------------------------------------------------- the CLI


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def _places_lines(mdir: Path, counts: tuple[str, str, str] = ("", "", "")) -> list[str]:
    states = [
        c or ("no packages" if d.is_dir() else "does not exist")
        for c, d in zip(counts, (mdir, argos_dir(), user_dir()), strict=True)
    ]
    return [
        "Argos packages: looked in, in order (a run uses the first place that holds a language "
        "pair, and the newest version there):",
        f"  1. $BILINGUAL_MODELS_DIR: {mdir} ({states[0]})",
        "  2. the models/ folder of a bilingual checkout: not inside one",
        f"  3. argostranslate's package folder (in its data folder): {argos_dir()} ({states[1]})",
        f"  4. bilingual's user folder (where earlier versions installed): {user_dir()} "
        f"({states[2]})",
    ]  # fmt: skip


def test_cli_models_path(built: dict[str, Path], mdir: Path) -> None:
    code, out, err = run(["models", "path"])
    assert (code, out) == (0, f"{mdir}\n")
    assert err.splitlines() == [
        "Installs go here: $BILINGUAL_MODELS_DIR is set.",
        *_places_lines(mdir),
        f"Converted models (NLLB-200, OPUS-MT, LLMs): {mdir} ($BILINGUAL_MODELS_DIR is set).",
    ]
    install_tiny(built)
    code, out, err = run(["models", "path"])
    assert err.splitlines()[-3:-1] == [
        _places_lines(mdir, ("1 package", "", ""))[-1],
        f"A run uses: zh→en {TOP} from 1.",
    ]


def test_cli_models_install_list_remove(built: dict[str, Path], mdir: Path) -> None:
    assert run(["models", "list"]) == (
        0,
        "\n".join(
            [
                *_places_lines(mdir),
                "",
                "No models installed. Install one with: bilingual models install zh en",
                "",
            ]
        ),
        "",
    )
    code, out, err = run(["models", "install", "--file", str(built["1.0"])])
    size = models.human_size(models.list_installed()[0].size_bytes)
    assert (code, out, err) == (0, f"Installed zh→en 1.0 ({TOP}, {size}) in {mdir}\n", "")

    # An older version in argostranslate's folder (as argospm would put it) is listed, unused.
    argos_dir().mkdir(parents=True, exist_ok=True)
    _fake(argos_dir(), built["unpacked"], "translate-zh_en-0_9", package_version="0.9")
    code, out, err = run(["models", "list"])
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[:6] == [*_places_lines(mdir, ("1 package", "1 package", "")), ""]
    header, row, other, blank, legend = lines[6:]
    assert header.split() == ["PAIR", "NAME", "VERSION", "SIZE", "PLACE", "PATH"]
    assert row.split() == ["*", "zh→en", TOP, "1.0", *size.split(), "1", str(mdir / TOP)]
    assert other.split()[:3] == ["zh→en", "translate-zh_en-0_9", "0.9"]
    assert other.split()[-2:] == ["3", str(argos_dir() / "translate-zh_en-0_9")]
    assert (blank, legend) == ("", "* the package a run uses for its language pair")

    assert run(["models", "remove", "zh", "en"]) == (
        0,
        f"Removed zh→en 1.0 ({TOP}) from {mdir}\n"
        f"Removed zh→en 0.9 (translate-zh_en-0_9) from {argos_dir()}\n",
        "",
    )
    assert "No models installed" in run(["models", "list"])[1]
    assert sorted(os.listdir(argos_dir())) == [] and sorted(os.listdir(mdir)) == []


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["install", "--file", "{v10}"], 2,
         "Error: zh→en 1.0 is already installed ({mdir}/" + TOP + "); use --force to reinstall"),
        (["install", "--file", "{bad}"], 2,
         "Error: {bad}: not a zip archive (an Argos package is a .argosmodel zip file)"),
        (["install", "fr", "en", "--file", "{v11}"], 2,
         "Error: {v11}: translates zh→en, not fr→en"),
        (["install", "zh", "en", "--index", "{dead}/index.json"], 4,
         "Error: {dead}/index.json: connection refused. Offline: download the .argosmodel file "
         "elsewhere and run `bilingual models install --file PACKAGE.argosmodel`, or point "
         "--index at a mirror or a local index file"),
        (["remove", "zt", "en"], 3, "Error: no zt→en model installed in {looked}"),
        (["remove", "translate-zh_en-9_9"], 3,
         "Error: no package named 'translate-zh_en-9_9' in {looked} (see `bilingual models list`)"),
        (["install"], 2, "Error: give FROM and TO to download (e.g. `bilingual models install zh "
         "en`), or --file PACKAGE to install a file offline"),
        (["install", "zh"], 2, "Error: give both FROM and TO, e.g. `bilingual models install zh en`"),
        (["install", "--file", "{v10}", "--index", "x"], 2,
         "Error: --index is for downloads; it cannot be used with --file"),
        (["remove", "a", "b", "c"], 2, "Error: give FROM TO (e.g. `zh en`), or one package NAME"),
    ],
)  # fmt: skip
def test_cli_models_errors(
    built: dict[str, Path],
    tmp_path: Path,
    mdir: Path,
    dead_url: str,
    args: list[str],
    code: int,
    message: str,
) -> None:
    install_tiny(built)
    before = snapshot(mdir)
    values = {
        "v10": str(built["1.0"]),
        "v11": str(built["1.1"]),
        "bad": str(_write(tmp_path / "bad.argosmodel", b"nope")),
        "dead": dead_url,
        "mdir": str(mdir),
        "looked": looked_in(mdir),
    }
    args = [a.format(**values) if a.startswith("{") else a for a in args]
    result_code, out, err = run(["models", *args])
    assert result_code == code
    assert out == ""
    assert err.splitlines()[-1] == message.format(**values)
    assert snapshot(mdir) == before


def test_cli_models_install_from_index(mirror: _Server, mdir: Path) -> None:
    code, out, err = run(["models", "install", "zh", "en", "--index", f"{mirror.url}/index.json"])
    assert code == 0
    assert out.startswith("Installed zh→en 1.1 (translate-zh_en-1_1, ")
    # One line per attempted download; no progress bar, as stderr is not a terminal.
    assert err == (
        f"Downloading zh→en 1.1 from {mirror.url}/gone/zh_en-1_1.argosmodel\n"
        f"Downloading zh→en 1.1 from {mirror.url}/pkg/zh_en-1_1.argosmodel\n"
    )


def test_cli_models_install_help_mentions_network() -> None:
    code, out, _ = run(["models", "install", "--help"])
    assert code == 0
    assert "the only bilingual command that uses the network" in " ".join(out.split())
    assert "works offline" in out


def test_errors_are_bilingual_errors() -> None:
    for cls in (ModelError, ModelNotInstalled, ModelAlreadyInstalled, PackageInvalid, NetworkError):
        assert issubclass(cls, BilingualError)


def test_cli_download_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from bilingual.cli.models import _DownloadProgress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for stream, expect_bar in ((Terminal(), True), (io.StringIO(), False)):
        monkeypatch.setattr("sys.stderr", stream)
        with _DownloadProgress() as progress:
            progress.start({"from_code": "zh", "to_code": "en", "package_version": "1.9"}, "u")
            for done in (0, 512 * 1024, 1024 * 1024):
                progress.update(done, 1024 * 1024)
        text = stream.getvalue()
        assert text.startswith("Downloading zh→en 1.9 from u\n")
        assert ("100%" in text and "1.0 MB" in text) is expect_bar
