"""The package's layers (ARCHITECTURE.md) hold: imports point down, and nothing imports in a circle."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_architecture_imports_point_down_the_layers(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlinter.cli import lint_imports

    monkeypatch.chdir(ROOT)
    monkeypatch.syspath_prepend(str(ROOT))
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def test_architecture_no_import_circles() -> None:
    """A circle inside one layer is not a layer violation, so the graph is asked directly."""
    import grimp

    graph = grimp.build_graph("bilingual", cache_dir=None)
    modules = sorted(graph.modules)
    circles = []
    for m in modules:
        for other in graph.find_modules_directly_imported_by(m):
            if graph.chain_exists(importer=other, imported=m):
                circles.append((m, other))
    assert circles == []
