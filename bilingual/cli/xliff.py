"""`bilingual import`: merge a CAT tool's XLIFF, or an edited review DOCX, back into a project."""

from __future__ import annotations

from pathlib import Path

import click

from bilingual.cli.options import memory_options


@click.command("import", short_help="Bring reviewed XLIFF or a review DOCX back into a project.")
@click.argument("xliff_path", metavar="FILE.xlf|FILE.docx", type=click.Path(path_type=Path))
@click.argument("project", metavar="PROJECT.json", type=click.Path(path_type=Path))
@memory_options("Do not write the imported paragraphs to the memory.")
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
def import_command(
    xliff_path: Path, project: Path, memory_path: Path | None, no_memory: bool, dry_run: bool
) -> None:
    """Merge the translations of FILE.xlf (XLIFF 1.2), or of a review handout edited in Word
    (FILE.docx, from `export --for review`), back into PROJECT.json by paragraph id.

    Changed English becomes `edited`; English confirmed unchanged (in the CAT tool, or `approved`
    written in the handout's Status column) approves a machine paragraph; comments are taken. A
    paragraph whose Chinese no longer matches, or whose English changed both here and in the
    file, is a conflict and is left alone. Ends with a summary; the previous project is kept as
    PROJECT.json~. A malformed or foreign file, or a broken review table, changes nothing.
    """
    from bilingual.exchange.review_docx import import_review_docx
    from bilingual.exchange.xliff import import_xliff
    from bilingual.memory import open_memory
    from bilingual.textutil import visible

    merge = import_review_docx if xliff_path.suffix.lower() == ".docx" else import_xliff
    memory = None if (no_memory or dry_run) else open_memory(memory_path)
    try:
        report = merge(xliff_path, project, memory=memory, dry_run=dry_run)
    finally:
        if memory is not None:
            memory.close()
    for conflict in report.conflicts:
        click.echo(visible(f"conflict {conflict.id}: {conflict.reason}; left as it is"), err=True)
    for note in report.notes:
        click.echo(visible(f"Warning: {note}"), err=True)
    prefix = "dry run, nothing written: " if dry_run else ""
    click.echo(f"{prefix}{report.summary()}")
    if (report.updated or report.commented) and not dry_run:
        click.echo(f"saved {project} (previous version: {project}~)")
