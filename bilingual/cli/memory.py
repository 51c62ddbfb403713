"""`bilingual memory ...`: the translation memory's statistics, and TMX export and import."""

from __future__ import annotations

from pathlib import Path

import click

from bilingual.cli.options import memory_path_option
from bilingual.memory import open_memory
from bilingual.textutil import plural


@click.group(short_help="See, export and import the translation memory.")
def memory() -> None:
    """The translation memory: reviewed paragraphs and machine-translated sentences.

    Human translations (reviewed in `bilingual review`, imported from XLIFF or TMX) always win
    over machine output.
    """


@memory.command(short_help="How much the memory holds, and from which engines.")
@memory_path_option
def stats(memory_path: Path | None) -> None:
    """How much the memory holds: human paragraphs, machine segments per engine, size."""
    from bilingual.models import human_size

    with open_memory(memory_path, must_exist=True) as m:
        info = m.stats()
        by_status = m.human_counts()
        engines = m.segment_counts()
    detail = ", ".join(f"{n} {status}" for status, n in sorted(by_status.items()))
    click.echo(f"memory:   {info['path']} ({human_size(info['bytes'])})")
    click.echo(
        f"human:    {plural(info['human'], 'paragraph')}" + (f" ({detail})" if detail else "")
    )
    click.echo(
        f"machine:  {plural(info['segments'], 'segment')} from {plural(info['engines'], 'engine')}"
    )
    for signature, count in engines:
        name = signature.get("package") or signature.get("engine") or "?"
        version = signature.get("package_version")
        settings = ", ".join(
            f"{k} {v}"
            for k, v in signature.items()
            if k in ("beam", "compute_type", "device") and v is not None
        )
        label = f"{name} {version}" if version else str(name)
        click.echo(f"  {count:>8}  {label}" + (f" ({settings})" if settings else ""))


@memory.command("export", short_help="Write the memory as a TMX file, for CAT tools.")
@click.option(
    "--tmx",
    "tmx_path",
    required=True,
    type=click.Path(path_type=Path),
    help="TMX 1.4 file to write (- for stdout).",
)
@click.option(
    "--human-only",
    is_flag=True,
    help="Only the human paragraphs (what other CAT tools can use), no machine segments.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@memory_path_option
def export_command(tmx_path: Path, human_only: bool, force: bool, memory_path: Path | None) -> None:
    """Write the memory as a TMX 1.4 file, for other machines and CAT tools."""
    from bilingual.exchange.tmx import export_tmx
    from bilingual.fsutil import check_writable

    check_writable(tmx_path, force=force)
    with open_memory(memory_path, must_exist=True) as m:
        report = export_tmx(m, tmx_path, machine=not human_only, force=force)
    click.echo(
        f"wrote {tmx_path}: {report.human} human paragraphs, {report.machine} machine segments",
        err=str(tmx_path) == "-",  # the TMX itself is on stdout
    )


@memory.command("import", short_help="Add a TMX file's Chinese/English pairs to the memory.")
@click.option(
    "--tmx",
    "tmx_path",
    required=True,
    type=click.Path(path_type=Path),
    help="TMX file to read (1.4; Chinese and English variants).",
)
@memory_path_option
def import_command(tmx_path: Path, memory_path: Path | None) -> None:
    """Add a TMX file's Chinese/English units to the memory.

    Units bilingual exported as machine output return to their engine's segments; every other
    unit becomes a human paragraph translation. A newer human translation already in the
    memory is never replaced by an older or undated unit.
    """
    from bilingual.exchange.tmx import import_tmx

    with open_memory(memory_path) as m:
        report = import_tmx(m, tmx_path)
    click.echo(f"{tmx_path}: {report.summary()}")
