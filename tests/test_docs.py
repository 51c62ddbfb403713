"""The README documents every command, and every command has help."""

from __future__ import annotations

import click
import pytest
from conftest import ROOT

from bilingual.cli import cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "bilingual") -> list[tuple[str, click.Command]]:
    out = []
    for name, command in group.commands.items():
        out.append((f"{prefix} {name}", command))
        if isinstance(command, click.Group):
            out.extend(_commands(command, f"{prefix} {name}"))
    return out


@pytest.mark.parametrize("path, command", _commands(cli), ids=lambda x: str(x))
def test_docs_every_command_has_help_and_readme_entry(path, command):
    assert command.help, f"{path} has no help"
    words = path.split()
    # "bilingual models install" is documented under "bilingual models path|list|install|remove".
    assert f"### `{' '.join(words[:2])}" in README, f"README has no section for {path}"
    if len(words) > 2:
        assert words[2] in README


def test_docs_readme_test_command_matches_ci():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest -q" in README and "python -m pytest -q" in ci
