"""Every error the library raises on purpose lives in bilingual.errors and ends with a named status."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

from conftest import ROOT

import bilingual
from bilingual import errors
from bilingual.errors import BilingualError, ExitStatus, InputsSkipped


def _modules():
    for info in pkgutil.walk_packages(bilingual.__path__, "bilingual."):
        if info.name.endswith("__main__"):
            continue
        yield importlib.import_module(info.name)


def test_every_library_error_is_defined_in_errors():
    for module in _modules():
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, BilingualError):
                assert value.__module__ == "bilingual.errors", f"{module.__name__}.{name}"


def test_every_error_ends_with_a_named_exit_status():
    classes = [
        c for c in vars(errors).values() if inspect.isclass(c) and issubclass(c, BilingualError)
    ]
    assert len(classes) > 20
    for cls in classes:
        assert cls.exit_code in set(ExitStatus) - {ExitStatus.SUCCESS}, cls.__name__
    assert InputsSkipped("x", done=1).exit_code == ExitStatus.ERROR
    assert InputsSkipped("x", done=0).exit_code == ExitStatus.USAGE


def test_the_readme_lists_every_exit_status():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## CLI reference") :]
    for status in set(ExitStatus) - {ExitStatus.SUCCESS}:
        assert re.search(rf"\b{int(status)}\b", section), status.name


def test_no_command_exits_with_a_bare_number():
    for path in (ROOT / "bilingual").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found = re.findall(r"(?:exit\(|Exit\(|exit_code\s*=\s*)\d+", text)
        assert not found, f"{path}: {found}"
