"""`bilingual check PROJECT.json`: rerun the per-paragraph checks, for instance after an edit.

The library (`bilingual.translation.checks`) is imported inside the command, so `bilingual --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path

import click

from bilingual.cli.options import glossary_option
from bilingual.errors import ExitStatus


@click.command(short_help="Rerun the checks on the English of a project.")
@click.argument("project", type=click.Path(path_type=Path, dir_okay=True))
@glossary_option("CSV/TSV glossary the translation used: Chinese term, English rendering[, note].")
@click.option(
    "--write/--no-write",
    default=False,
    show_default=True,
    help="Save the new flags into PROJECT (atomically).",
)
def check(project: Path, glossary_path: Path | None, write: bool) -> None:
    """Rerun the checks on every translated paragraph of PROJECT.

    Prints each flagged paragraph (§N, id, and its flags) and a summary line such as
    "22 paragraphs, 2 flagged". Exit status: 0 when nothing is flagged, 1 when something is,
    2 when PROJECT or the glossary cannot be read.
    """
    from bilingual.document import Article
    from bilingual.names.glossary import load_glossary
    from bilingual.projectfile import save_project
    from bilingual.textutil import visible
    from bilingual.translation.pipeline import check_article

    article = Article.load(project)
    glossary = load_glossary(glossary_path) if glossary_path else None
    summary = check_article(article, glossary)
    for label, block in summary.flagged_blocks:
        click.echo(visible(f"[{label}] {block.id}"))
        for flag in block.flags:
            click.echo(visible(f"  {flag.code}: {flag.message}"))
    click.echo(visible(summary.line()))
    if write:
        for note in save_project(article, project):  # keeps PROJECT~, as every project write
            click.echo(visible(f"Warning: {note}"), err=True)
    if summary.flagged or summary.title_flagged:
        raise click.exceptions.Exit(ExitStatus.ERROR)
