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


def test_architecture_few_top_level_modules() -> None:
    """What every layer shares stays at the top; everything else lives in a folder by its job."""
    top = sorted(p.name for p in (ROOT / "bilingual").glob("*.py"))
    assert len(top) <= 10, top


def test_architecture_no_function_too_complex_to_hold_in_mind() -> None:
    """radon's ranks: no function E or F (cyclomatic complexity above 30), no module whose
    maintainability index ranks C. Rules that grow go into tables (see readers/furniture.py)."""
    from radon.complexity import cc_rank, cc_visit
    from radon.metrics import mi_rank, mi_visit

    too_complex, hard_to_maintain = [], []
    for path in sorted((ROOT / "bilingual").rglob("*.py")):
        code = path.read_text(encoding="utf-8")
        name = str(path.relative_to(ROOT))
        too_complex += [
            f"{name}:{block.name} {cc_rank(block.complexity)} ({block.complexity})"
            for block in cc_visit(code)
            if cc_rank(block.complexity) in ("E", "F")
        ]
        if mi_rank(mi_visit(code, multi=True)) == "C":
            hard_to_maintain.append(name)
    assert too_complex == []
    assert hard_to_maintain == []
