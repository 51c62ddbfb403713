"""`bilingual export`: handouts from project files, without translating anything."""

from __future__ import annotations

import sys

import click

from bilingual.cli.options import handout_options
from bilingual.writers import formats as writer_formats

DEFAULT_DIR_FORMAT = "docx"


@click.command(short_help="Write handouts or XLIFF from project files.")
@click.argument("projects", metavar="PROJECT...", nargs=-1, required=True, type=click.Path())
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(),
    help="Output file (.docx, .html, .pdf or .xlf), a directory for several projects, or - "
    "for stdout (with --format).",
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
    projects: tuple[str, ...],
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
    from bilingual.document import Article
    from bilingual.errors import UsageError
    from bilingual.fsutil import is_terminal
    from bilingual.readers import expand_inputs
    from bilingual.textutil import visible
    from bilingual.writers.outputs import (
        check_conflicts,
        make_output,
        output_path,
        plan_outputs,
        write_made,
    )

    out, named_dir = output_path(output)
    if output == "-" and fmt is None:
        raise UsageError(f"-o - needs --format ({'|'.join(writer_formats())})")
    found = expand_inputs(projects, (".json",), "project files (*.json)")
    # Read every project before writing anything, so a bad file leaves no half-done batch.
    articles = [Article.load(p) for p in found.sources]
    targets = plan_outputs(
        found.sources,
        out,
        fmt=fmt,
        force=force,
        into_dir=bool(found.dirs),
        named_dir=named_dir,
        input_dirs=found.dirs,
        dir_format=DEFAULT_DIR_FORMAT,
        terminal=is_terminal(sys.stdout),
    )
    several = len(targets) > 1
    # Every output made before any is written; one that is there as it is already is left.
    # A project file written over a project keeps the one it replaces (the project-file rule);
    # it is a copy of PROJECT, so no reviews are carried over from the file it replaces.
    made = [
        make_output(
            article,
            target,
            carry_over=False,
            layout=layout,
            paper=paper,
            landscape=landscape,
            audience=audience,
        )
        for article, target in zip(articles, targets, strict=True)
    ]
    check_conflicts(made, force=force)
    for source, item in zip(found.sources, made, strict=True):
        for note in write_made(item):
            click.echo(visible(f"Warning: {note}"), err=True)
        written = item.target.path or "-"
        done = "left" if item.unchanged else "wrote"
        # -o -: the handout is on stdout, the note on stderr
        click.echo(
            f"{done} {written}" + (f" (from {source})" if several else ""),
            err=item.target.path is None,
        )
