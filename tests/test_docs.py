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


@pytest.mark.parametrize("path, command", _commands(cli), ids=lambda x: str(x))
def test_docs_every_command_summary_is_whole(path, command):
    """Click cuts a summary it has to make from the help mid-phrase ("Manage the Argos
    Translate model packages bilingual..."): every command says its own, short enough for a
    listing at 80 columns."""
    assert command.short_help, f"{path} has no short_help"
    assert len(command.short_help) <= 64 and command.short_help.endswith("."), path
    assert "..." not in command.get_short_help_str(limit=45)


@pytest.mark.parametrize(
    "args", [["--help"], ["models", "--help"], ["memory", "--help"]], ids=lambda a: a[0]
)
def test_docs_command_listings_cut_nothing(args):
    from click.testing import CliRunner

    r = CliRunner().invoke(cli, args, terminal_width=80)
    assert r.exit_code == 0
    assert "..." not in r.output.split("Commands:")[1]


def test_docs_readme_commands_set_up_without_torch():
    """The two commands of the README do all the set-up, and neither they nor CI install torch."""
    import re

    blocks = re.findall(r"```sh\n(.*?)\n```", README, re.S)
    assert blocks[0].startswith("python3 -m venv .venv && . .venv/bin/activate && pip install -e .")
    assert "bilingual models install zh en && bilingual translate samples/" in blocks[0]
    assert blocks[1] == (
        "python3 -m venv .venv && . .venv/bin/activate && pip install -e '.[test]' "
        "&& python -m pytest -q"
    )
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install -q -e ".[test]"' in ci
    for text in (blocks[0], blocks[1], ci):
        assert not re.search(r"pip install[^\n]*\btorch\b", text)
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"argos-translate-lt' in pyproject and '"argostranslate' not in pyproject
