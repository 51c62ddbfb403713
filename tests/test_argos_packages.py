"""One set of packages with every Argos tool: what argostranslate installs, bilingual uses;
what bilingual installs, argostranslate lists. Genuine tiny packages, argostranslate's own API.

The autouse fixture points $XDG_DATA_HOME (argostranslate's data folder) at a temporary home
and reloads argostranslate's settings, so these tests never touch the real package folders.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import tinyargos
from click.testing import CliRunner
from conftest import SEED, sample

from bilingual.cli import cli
from bilingual.document import Article
from bilingual.memory import Memory


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


@pytest.fixture
def argos_only(monkeypatch: pytest.MonkeyPatch) -> Path:
    """No $BILINGUAL_MODELS_DIR, not in a checkout: argostranslate's package folder is where
    packages are installed and found. Returns that folder."""
    monkeypatch.delenv("BILINGUAL_MODELS_DIR")
    from argostranslate import settings

    return Path(settings.package_data_dir)


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("archives")
    return {
        "zh": tinyargos.build_package(root, name="zh"),
        "zt": tinyargos.build_package(root, name="zt", from_code="zt"),
    }


def test_package_installed_by_argostranslate_is_used_by_translate(
    argos_only: Path, archives: dict[str, Path], tmp_path: Path
) -> None:
    from argostranslate import package as argos_package

    argos_package.install_from_path(archives["zh"])  # as `argospm install` does
    assert (argos_only / tinyargos.package_dir_name()).is_dir()

    out = tmp_path / "seed.json"
    code, output = run("translate", SEED, "-o", out, "--no-memory")
    assert code == 0, output
    project = Article.load(out)
    assert project.provenance["model"]["package"] == "translate-zh_en"
    assert project.provenance["route"].startswith("zh→en translate-zh_en 1.0")
    assert project.blocks[0].en == "hello world"
    # bilingual installed nothing and made no models folder of its own.
    data = Path(os.environ["XDG_DATA_HOME"])
    assert not (data / "bilingual" / "models").exists()
    assert sorted(p.name for p in argos_only.iterdir()) == [tinyargos.package_dir_name()]

    code, output = run("models", "list")
    assert code == 0
    assert f"*  zh→en  {tinyargos.package_dir_name()}" in output


def test_package_installed_by_bilingual_is_listed_by_argostranslate(
    argos_only: Path, archives: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from argostranslate import package as argos_package

    from bilingual.models import archive

    seen_mid_install: list[list[str]] = []
    extract = archive._extract

    def extract_and_look(*args: object, **kwargs: object) -> None:
        extract(*args, **kwargs)  # type: ignore[arg-type]
        # An Argos tool listing packages meanwhile: argostranslate reads every folder in its
        # package folder as a package, so bilingual's unpacking must happen elsewhere.
        seen_mid_install.append([p.from_code for p in argos_package.get_installed_packages()])

    monkeypatch.setattr(archive, "_extract", extract_and_look)
    code, output = run("models", "install", "--file", archives["zh"])
    assert code == 0, output
    assert output.endswith(f"in {argos_only}\n")
    assert seen_mid_install == [[]]

    installed = argos_package.get_installed_packages()
    assert [(p.from_code, p.to_code, p.package_version) for p in installed] == [("zh", "en", "1.0")]
    assert installed[0].package_path == argos_only / tinyargos.package_dir_name()
    # Nothing else was left beside or inside argostranslate's folder.
    assert sorted(p.name for p in argos_only.parent.iterdir() if p.name.startswith(".")) == []

    # And bilingual's removal is argostranslate's too.
    code, output = run("models", "remove", "zh", "en")
    assert code == 0, output
    assert argos_package.get_installed_packages() == []


def test_traditional_article_uses_an_installed_zt_package(
    argos_only: Path, archives: dict[str, Path], tmp_path: Path
) -> None:
    from argostranslate import package as argos_package

    for archive in archives.values():
        argos_package.install_from_path(archive)
    memory = tmp_path / "memory.sqlite3"
    out = tmp_path / "traditional.json"
    code, output = run("translate", sample("traditional.txt"), "-o", out, "--memory", memory)
    assert code == 0, output
    project = Article.load(out)
    assert project.provenance["route"] == "zh-Hant with the zt→en package translate-zt_en 1.0"
    assert project.provenance["model"]["from_code"] == "zt"
    # The model was given the Traditional text itself: no OpenCC conversion on the way.
    with Memory(memory) as mem:
        sources = [source for _sig, source, *_rest in mem.all_segments()]
    assert sources and any("國" in s or "區" in s for s in sources)
    assert not any(
        "国" in s or "区" in s for s in sources
    )  # the Simplified forms would show conversion


def test_commands_that_need_no_package_leave_argostranslate_alone(tmp_path: Path) -> None:
    """Importing argostranslate creates its folders: only the commands that look for packages
    import it. `--help`, `parse` and `export` create nothing of argostranslate's."""
    import subprocess
    import sys

    from conftest import ROOT

    home = tmp_path / "home"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "PYTHONPATH": str(ROOT),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }
    project = tmp_path / "p.json"
    for args in (["--help"], ["parse", str(SEED)], ["parse", "--json", str(SEED)]):
        done = subprocess.run(
            [sys.executable, "-m", "bilingual", *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        if args[-2:] == ["--json", str(SEED)]:
            project.write_text(done.stdout, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "bilingual", "export", str(project), "-o", str(tmp_path / "h.html")],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    made = sorted(p.relative_to(home).as_posix() for p in home.rglob("*")) if home.exists() else []
    assert not any("argos" in p for p in made), made
    # While `models path` does create them, as argospm would.
    done = subprocess.run(
        [sys.executable, "-m", "bilingual", "models", "path"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{home / 'data' / 'argos-translate' / 'packages'}\n"
    assert (home / "data" / "argos-translate" / "packages").is_dir()


def test_converted_models_never_go_into_argostranslates_folder(
    argos_only: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """argostranslate reads every folder of its package folder as an Argos package (and fails on
    any other): converted NLLB/OPUS-MT/LLM models live in bilingual's own folders."""
    from bilingual.models.store import converted_dir, models_dir

    data = Path(os.environ["XDG_DATA_HOME"])
    assert models_dir()[0] == argos_only
    assert converted_dir() == (
        data / "bilingual" / "models",
        "bilingual's user folder (argostranslate's package folder holds Argos packages only)",
    )
    monkeypatch.setenv("BILINGUAL_MODELS_DIR", str(argos_only))  # even when pointed there
    assert converted_dir()[0] == data / "bilingual" / "models"
    monkeypatch.setenv("BILINGUAL_MODELS_DIR", str(tmp_path / "mine"))
    assert converted_dir() == (tmp_path / "mine", "$BILINGUAL_MODELS_DIR is set")


def test_a_broken_argostranslate_settings_file_is_said_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """argostranslate prints a broken settings.json's error to stdout for every setting it
    reads: bilingual keeps stdout clean and says it once, where the places are listed."""
    import sys

    import argostranslate

    from bilingual.models import store

    monkeypatch.delenv("BILINGUAL_MODELS_DIR")
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "argos-translate"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.json").write_text("{oops", encoding="utf-8")
    monkeypatch.delitem(sys.modules, "argostranslate.settings", raising=False)
    monkeypatch.delattr(argostranslate, "settings", raising=False)
    monkeypatch.setattr(store, "_argos_said", [])
    result = CliRunner().invoke(cli, ["models", "path"])
    assert result.exit_code == 0
    data = Path(os.environ["XDG_DATA_HOME"])
    assert result.stdout == f"{data / 'argos-translate' / 'packages'}\n"  # its defaults, as argospm
    said = [line for line in result.stderr.splitlines() if "settings.json" in line]
    assert said == [
        f"     argostranslate said: Error decoding {config / 'settings.json'}: JSONDecodeError "
        "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
    ]


def test_a_removed_current_directory_is_not_a_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bilingual.models.store import places

    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    assert places()[1].note == "not inside one"
    code, output = run("models", "path")
    assert code == 0 and output.startswith(os.environ["BILINGUAL_MODELS_DIR"])
