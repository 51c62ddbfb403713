"""`bilingual export`: handouts from project files, without translating anything."""

from __future__ import annotations

import os
from pathlib import Path

import click

from bilingual.cli.options import handout_options
from bilingual.document import Article
from bilingual.errors import InputError, OutputExists
from bilingual.writers import WRITERS, format_for, write_handout
from bilingual.writers import formats as writer_formats

DEFAULT_DIR_FORMAT = "docx"


def _inputs(paths: tuple[Path, ...]) -> tuple[list[Path], bool]:
    """The project files to export, and whether they go into a directory (several or a folder)."""
    if len(paths) == 1 and paths[0].is_dir():
        found = sorted(p for p in paths[0].glob("*.json") if p.is_file())
        if not found:
            raise InputError(f"{paths[0]}: no project files (*.json) in this directory")
        return found, True
    for p in paths:
        if p.is_dir():
            raise InputError(f"{p}: is a directory; pass it alone to export every *.json in it")
    return list(paths), len(paths) > 1


def _targets(inputs: list[Path], out_dir: Path, fmt: str) -> list[Path]:
    """`DIR/<stem>.<ext>` per project; a repeated stem becomes `<stem>-2`, as translate does."""
    ext = WRITERS[fmt].extensions[0]
    targets: list[Path] = []
    used: set[str] = set()
    for src in inputs:
        name, n = src.stem, 1
        while name in used:
            n += 1
            name = f"{src.stem}-{n}"
        used.add(name)
        targets.append(out_dir / f"{name}{ext}")
    return targets


@click.command()
@click.argument(
    "projects", metavar="PROJECT...", nargs=-1, required=True, type=click.Path(path_type=Path)
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(),
    help="Output file (.docx, .html, .pdf or .xlf), or a directory for several projects.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(writer_formats()),
    help=f"Output format (default: from the -o extension; {DEFAULT_DIR_FORMAT} into a directory).",
)
@handout_options
@click.option("--force", is_flag=True, help="Overwrite existing output files.")
def export(
    projects: tuple[Path, ...],
    output: str,
    fmt: str | None,
    layout: str,
    audience: str,
    paper: str,
    landscape: bool,
    force: bool,
) -> None:
    """Write a handout (DOCX, HTML, PDF) or an XLIFF file from PROJECT files, without translating.

    One project and a file name for -o writes that file. Several projects, or a directory of
    project files (*.json), write one handout per project into the directory -o names.
    """
    inputs, into_dir = _inputs(projects)
    into_dir = into_dir or output.endswith(("/", os.sep)) or Path(output).is_dir()
    out = Path(output)
    # Read every project before writing anything, so a bad file leaves no half-done batch.
    articles = [Article.load(p) for p in inputs]
    if into_dir:
        if out.exists() and not out.is_dir():
            raise OutputExists(f"{out}: not a directory (several handouts need -o DIR)")
        name = fmt or DEFAULT_DIR_FORMAT
        targets = _targets(inputs, out, name)
        if not force:
            for t in targets:
                if t.exists():
                    raise OutputExists(f"{t}: already exists (use --force to overwrite)")
        if not out.exists():
            if not out.parent.is_dir():
                raise OutputExists(f"{out.parent}: no such directory")
            out.mkdir()
    else:
        name = format_for(out, fmt)
        targets = [out]
    for article, target in zip(articles, targets, strict=True):
        written = write_handout(
            article,
            target,
            fmt=name,
            layout=layout,
            paper=paper,
            landscape=landscape,
            audience=audience,
            force=force,
        )
        click.echo(f"wrote {written}", err=str(written) == "-")  # -o -: the handout is on stdout
