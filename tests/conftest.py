from __future__ import annotations

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


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Never touch the real user's models, memory or caches."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("BILINGUAL_MODELS_DIR", str(home / "models"))
    monkeypatch.delenv("BILINGUAL_DEBUG", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)


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
