"""`bilingual memory ...`: the translation memory's statistics, its human entries (list, remove by
project or time), and TMX export and import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from bilingual.cli.options import memory_path_option
from bilingual.memory import open_memory
from bilingual.textutil import plural


@click.group(short_help="See, clean, export and import the translation memory.")
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
    from bilingual.textutil import visible

    with open_memory(memory_path, must_exist=True) as m:
        info = m.stats()
        by_status = m.human_counts()
        engines = m.segment_counts()
    detail = ", ".join(f"{n} {status}" for status, n in sorted(by_status.items()))
    click.echo(visible(f"memory:   {info['path']} ({human_size(info['bytes'])})"))
    click.echo(
        visible(
            f"human:    {plural(info['human'], 'paragraph')}" + (f" ({detail})" if detail else "")
        )
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
        click.echo(visible(f"  {count:>8}  {label}" + (f" ({settings})" if settings else "")))


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
    from bilingual.textutil import visible

    check_writable(tmx_path, force=force)
    with open_memory(memory_path, must_exist=True) as m:
        report = export_tmx(m, tmx_path, machine=not human_only, force=force)
    if report.unreadable or report.damage:
        lost = (
            f"{plural(report.unreadable, 'entry', 'entries')} could not be read and "
            f"{'is' if report.unreadable == 1 else 'are'} not in {tmx_path}; "
            "everything else is"
            if report.unreadable
            else f"everything that could be read is in {tmx_path}, but entries may be missing"
        )
        click.echo(
            visible(f"Warning: {m.path}: the memory is damaged ({report.damage}): {lost}"),
            err=True,
        )
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
    from bilingual.exchange.tmx import import_tmx, read_tmx

    units = read_tmx(tmx_path)  # a file that is not TMX leaves no new memory behind
    with open_memory(memory_path) as m:
        report = import_tmx(m, units)
    click.echo(f"{tmx_path}: {report.summary()}")


def _when(value: str | None) -> str | None:
    """A time as the memory stores it (ISO 8601, UTC): "2024-05-01", "2024-05-01T14:30",
    "2024-05-01 14:30:00Z", or an age: "90m", "2h", "3d" ago."""
    import re
    from datetime import datetime, timedelta, timezone

    if value is None:
        return None
    text = value.strip()
    age = re.fullmatch(r"(\d+)\s*([mhd])", text)
    if age:
        unit = {"m": "minutes", "h": "hours", "d": "days"}[age.group(2)]
        moment = datetime.now(timezone.utc) - timedelta(**{unit: int(age.group(1))})
    else:
        try:
            moment = datetime.fromisoformat(text.removesuffix("Z").replace(" ", "T", 1))
        except ValueError:
            raise click.BadParameter(
                f"{value!r} is not a time: write 2024-05-01, 2024-05-01T14:30 (UTC), or an age "
                "such as 90m, 2h, 3d"
            ) from None
        if moment.tzinfo is not None:
            moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _project_key(project: Path | None) -> str | None:
    """The project as the memory records it: the project file's absolute path."""
    return None if project is None else str(project.resolve())


_FILTERS = [
    click.option(
        "--project",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Only entries confirmed in this project file (it need not exist any more).",
    ),
    click.option(
        "--since",
        metavar="WHEN",
        help="Only entries from WHEN on (2024-05-01T14:30 UTC, or 2h ago).",
    ),
    click.option("--before", metavar="WHEN", help="Only entries from before WHEN."),
]


def _filters(f: Any) -> Any:
    for option in reversed(_FILTERS):
        f = option(f)
    return f


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@memory.command("list", short_help="List the human translations, by project or time.")
@_filters
@click.option("--projects", "by_project", is_flag=True, help="One line per project instead.")
@memory_path_option
def list_command(
    project: Path | None,
    since: str | None,
    before: str | None,
    by_project: bool,
    memory_path: Path | None,
) -> None:
    """List the human translations: when each was confirmed, its status and project.

    Tab-separated: time (UTC), status, project, Chinese, English (the texts shortened). With
    --projects: entries, first and last time per project.
    """
    from bilingual.textutil import visible  # the memory's texts: escapes shown, not acted on

    with open_memory(memory_path, must_exist=True) as m:
        if by_project:
            for name, count, first, last in m.human_projects():
                click.echo(visible(f"{count}\t{first}\t{last}\t{name or '(unknown project)'}"))
            return
        entries = m.human_entries(
            project=_project_key(project), since=_when(since), before=_when(before)
        )
    for e in entries:
        click.echo(
            visible(
                f"{e.updated_at}\t{e.status}\t{e.project or '(unknown project)'}\t"
                f"{_short(e.source, 30)}\t{_short(e.target, 60)}"
            )
        )


@memory.command("remove", short_help="Remove human translations by project or time.")
@_filters
@click.option("--dry-run", is_flag=True, help="Say what would go; remove nothing.")
@click.option("--yes", is_flag=True, help="Do not ask (needed when not at a terminal).")
@memory_path_option
def remove_command(
    project: Path | None,
    since: str | None,
    before: str | None,
    dry_run: bool,
    yes: bool,
    memory_path: Path | None,
) -> None:
    """Remove human translations by project and/or time: undo a bad session.

    For example `bilingual memory remove --project article.json --since 2h` takes out what was
    confirmed in article.json in the last two hours. Machine segments are not touched. Export
    the memory first (`memory export --tmx`) to keep a copy.
    """
    import sys

    if project is None and since is None and before is None:
        raise click.UsageError("say which entries: --project, --since and/or --before")
    where = {"project": _project_key(project), "since": _when(since), "before": _when(before)}
    with open_memory(memory_path, must_exist=True) as m:
        count = len(m.human_entries(**where))
        what = f"{count} human translation{'s' if count != 1 else ''}"
        if dry_run or count == 0:
            click.echo(f"{what} would be removed" if dry_run else "no human translation matches")
            return
        if not yes:
            if not sys.stdin.isatty():
                raise click.UsageError(f"this removes {what}: add --yes to confirm")
            click.confirm(f"Remove {what}?", abort=True)
        removed = m.remove_human(**where)
    click.echo(f"removed {removed} human translation{'s' if removed != 1 else ''}")
