from __future__ import annotations

import importlib
import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests check what holds, not how fast: no per-example deadline, which a loaded CI
# machine (or the other tests' browser and subprocesses) can overrun.
settings.register_profile("bilingual", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("bilingual")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED = SAMPLES / "rfi-kazakhstan-2022-01-07.txt"


def sample(name: str) -> Path:
    return SAMPLES / name


def on_ci() -> bool:
    """Under CI (`.ci/run` sets CI=1, as CI services do) every tool the tests drive must be
    installed: a missing one fails its tests instead of skipping them."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def needs(*commands: str, install: str) -> pytest.MarkDecorator:
    """Skip, saying why, when a command the test drives is not installed (except under CI)."""
    missing = [c for c in commands if shutil.which(c) is None]
    return pytest.mark.skipif(
        bool(missing) and not on_ci(),
        reason=f"{', '.join(missing)} not installed ({install}); CI runs this test",
    )


#: The real LibreOffice and poppler, for the PDF handout and the review DOCX's round trip.
needs_libreoffice = needs(
    "soffice", install="apt-get install libreoffice-writer poppler-utils fonts-noto-cjk"
)
needs_poppler = needs("pdftotext", "pdffonts", "pdfinfo", install="apt-get install poppler-utils")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Never touch the real user's models, memory, caches or Argos packages."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("BILINGUAL_MODELS_DIR", str(home / "models"))
    for name in list(os.environ):
        if name.startswith("ARGOS_") or name == "SNAP":
            monkeypatch.delenv(name)
    monkeypatch.delenv("BILINGUAL_DEBUG", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    # Not inside this checkout: its models/ folder is a place packages are looked for.
    monkeypatch.chdir(home)
    reload_argos_settings()


def reload_argos_settings() -> None:
    """argostranslate reads its folders from the environment once, on import (as every Argos
    tool does at start); a test that changes that environment reads it again with this."""
    module = sys.modules.get("argostranslate.settings")
    if module is not None:
        importlib.reload(module)


@pytest.fixture(scope="session")
def tiny_hello(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A genuine, unpacked Argos zh→en package that answers "hello world" to every sentence."""
    from tinyargos import build_unpacked

    return build_unpacked(tmp_path_factory.mktemp("tiny-hello"), deterministic=True)


@pytest.fixture(scope="session")
def tiny_random(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A genuine, unpacked Argos zh→en package with random weights (gibberish output)."""
    from tinyargos import build_unpacked

    return build_unpacked(tmp_path_factory.mktemp("tiny-random"), deterministic=False)


@pytest.fixture
def installed(tiny_hello: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The tiny "hello world" package installed in a fresh models directory."""
    import shutil

    models = tmp_path / "models"
    models.mkdir()
    shutil.copytree(tiny_hello, models / tiny_hello.name)
    monkeypatch.setenv("BILINGUAL_MODELS_DIR", str(models))
    return models
