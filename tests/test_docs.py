"""The README documents every command, and every command has help."""

from __future__ import annotations

import click
import pytest
from conftest import ROOT

from bilingual.cli import cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "bilingual") -> list[tuple[str, click.Command]]:
    out = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, f"{prefix} {name} cannot be loaded"
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


def test_docs_parse_imports_only_its_own_command():
    """Commands load when run: `bilingual parse` pays for no writer, memory or review code."""
    import subprocess
    import sys

    code = (
        "import sys; from bilingual.cli import cli\n"
        "try:\n    cli(['parse', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('bilingual.cli.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "['bilingual.cli.parse']"


def test_docs_readme_test_command_matches_ci():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest -q" in README and "python -m pytest -q" in ci
