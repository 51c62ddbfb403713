"""`bilingual translate`: articles in, project file or handout out."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bilingual.cli.options import glossary_option, handout_options, memory_options, names_option
from bilingual.cli.parse import keep_all_option
from bilingual.engines import DEFAULT_ENGINE, ENGINES
from bilingual.errors import BilingualError, ExitStatus
from bilingual.textutil import plural
from bilingual.writers import formats as writer_formats

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from bilingual.document import Article
    from bilingual.memory import Memory
    from bilingual.readers import Inputs, Loaded
    from bilingual.translation.pipeline import NameOrder
    from bilingual.writers.outputs import Target

COMPUTE_TYPES = [
    "int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16", "bfloat16",
    "float32", "auto", "default",
]  # fmt: skip
OUTPUT_FORMATS = writer_formats()


@click.command(short_help="Translate articles into a project file or a handout.")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="Output file (.json project, .docx/.html/.pdf handout, .xlf) or, for several inputs, a "
    "directory (DIR/ names one for a single input too); - for stdout (DOCX and PDF not to a "
    "terminal). "
    "Default: the project file on stdout.",
)
@click.option("--format", "fmt", type=click.Choice(OUTPUT_FORMATS), help="Output format.")
@click.option(
    "--from",
    "input_format",
    type=click.Choice(["scraped", "html", "markdown", "text", "docx"]),
    help="Input format (default: detected).",
)
@click.option("--encoding", help="Input text encoding (default: detected).")
@keep_all_option
@glossary_option("CSV/TSV glossary: Chinese term, English rendering[, note].")
@click.option(
    "--show-glossary",
    is_flag=True,
    help="Print the glossary learned from the input(s) as TSV; without -o, only that.",
)
@memory_options("Neither read nor write the translation memory.")
@click.option(
    "--engine",
    type=click.Choice(list(ENGINES)),
    default=DEFAULT_ENGINE,
    show_default=True,
    help="Translation engine: the Argos zh→en package, or an installed NLLB-200/M2M-100, "
    "OPUS-MT or instruction-LLM model (README: Better English).",
)
@click.option(
    "--model",
    "model_name",
    metavar="NAME",
    help="Which installed model of the engine, when several are (`bilingual models list`).",
)
@click.option(
    "--beam",
    type=click.IntRange(1, 16),
    default=None,
    help="Beam size (default: 4; 1, greedy, for --engine llm).",
)
@click.option(
    "--threads", type=click.IntRange(0, 256), default=0, help="CPU threads (default: one per core)."
)
@click.option(
    "--compute-type",
    type=click.Choice(COMPUTE_TYPES),
    default="int8",
    show_default=True,
    help="CTranslate2 compute type.",
)
@click.option(
    "--device",
    type=click.Choice(["cpu", "cuda", "auto"]),
    default="cpu",
    show_default=True,
    help="Where the model runs: auto takes a CUDA GPU when CTranslate2 finds one.",
)
@names_option
@handout_options
@click.option(
    "--cluster",
    metavar="ADDRESS",
    help="Translate on a Dask cluster: its scheduler's address (tcp://host:8786), or `local` "
    "to start one on this machine's cores. Outputs that exist are skipped (a run started again "
    "continues). Needs the extra: pip install 'bilingual[cluster]'.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 1024),
    help="Worker processes of --cluster local (default: one per core).",
)
@click.option("--force", is_flag=True, help="Overwrite existing output files.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
def translate(
    inputs: tuple[str, ...],
    output: str | None,
    fmt: str | None,
    input_format: str | None,
    encoding: str | None,
    keep_all: bool,
    glossary_path: Path | None,
    show_glossary: bool,
    memory_path: Path | None,
    no_memory: bool,
    engine: str,
    model_name: str | None,
    beam: int | None,
    threads: int,
    compute_type: str,
    device: str,
    strategies: NameOrder | None,
    layout: str,
    audience: str,
    paper: str,
    landscape: bool,
    cluster: str | None,
    workers: int | None,
    force: bool,
    quiet: bool,
) -> None:
    """Translate INPUT (article files, directories of them, project files, or - for stdin).

    Every paragraph is translated with the installed zh→en Argos model, or the --engine chosen
    (see `bilingual models`), through the translation memory, so a sentence is never translated twice. Blocks a human has
    edited or approved are never replaced. Ends with a one-line summary on stderr.
    """
    from bilingual.engines.argos import ArgosSettings
    from bilingual.fsutil import is_terminal
    from bilingual.memory import open_memory
    from bilingual.names.glossary import dump_glossary, learn_glossary, load_glossary
    from bilingual.readers import expand_inputs
    from bilingual.textutil import visible
    from bilingual.translation.run import plan_routes, translate_articles
    from bilingual.writers.outputs import output_path, plan_outputs

    if workers is not None and cluster != "local":
        raise click.UsageError("--workers sets the size of --cluster local")
    out, named_dir = output_path(output)
    if cluster is not None:
        from bilingual.translation.cluster import require_distributed

        require_distributed()  # before anything else: without it, nothing below can run
    found = expand_inputs(inputs)
    batch = len(found.sources) > 1 or bool(found.dirs)
    for path in found.ignored:
        click.echo(
            f"Not read: {path} (not an article file: {path.suffix or 'no extension'})", err=True
        )
    if beam is None:
        beam = 1 if engine == "llm" else 4
    settings = ArgosSettings(
        beam=beam, threads=threads, compute_type=compute_type, device=device
    ).on_device()
    handout: dict[str, Any] = {
        "layout": layout,
        "audience": audience,
        "paper": paper,
        "landscape": landscape,
    }
    if cluster is not None:
        from bilingual.translation.cluster import ReadOptions

        _translate_on_cluster(
            cluster,
            workers,
            found.sources,
            found.dirs,
            out,
            named_dir=named_dir,
            fmt=fmt,
            read=ReadOptions(input_format, encoding, keep_all),
            glossary=load_glossary(glossary_path) if glossary_path else None,
            show_glossary=show_glossary,
            memory_path=None if no_memory else (memory_path or ""),
            settings=settings,
            engine=engine,
            model_name=model_name,
            strategies=strategies,
            handout=handout,
            force=force,
            quiet=quiet,
        )
        return
    loaded = _load(found, batch, input_format=input_format, encoding=encoding, keep_all=keep_all)
    sources = [source for source, _ in loaded.articles]
    articles = [article for _, article in loaded.articles]
    glossary = load_glossary(glossary_path) if glossary_path else None
    if show_glossary:
        learned = learn_glossary([b.zh for a in articles for b in a.blocks], glossary)
        click.echo(visible(dump_glossary(learned)), nl=False)  # TSV kept: tabs, newlines
        if out is None:
            _end(loaded.skipped, len(articles))
            return
    into = batch or named_dir or (out is not None and out.is_dir())
    targets = plan_outputs(
        sources,
        out,
        fmt=fmt,
        force=force,
        into_dir=batch,
        named_dir=named_dir,
        input_dirs=found.dirs,
        terminal=is_terminal(sys.stdout),
    )

    memory = None if no_memory else open_memory(memory_path)
    with _closing(memory), _progress(quiet) as progress:
        report = translate_articles(
            articles,
            plan_routes(settings, memory=memory, engine=engine, model=model_name),
            memory=memory,
            glossary=glossary,
            progress=progress,
            strategies=strategies,
        )

    outputs = zip(sources, articles, targets, strict=True)
    failed, unchanged = _write_outputs(outputs, into=into, quiet=quiet, force=force, **handout)
    if not quiet:
        paragraphs = sum(len(a.body) for a in articles)
        click.echo(
            f"{plural(paragraphs, 'paragraph')}, {report.flagged} flagged "
            f"({plural(report.segments, 'segment')}: {report.from_memory} from memory, "
            f"{report.translated} translated, {report.repaired} repaired; "
            f"{report.seconds:.2f} s)" + _dropped_note(articles) + _unchanged_note(unchanged),
            err=True,
        )
    if failed:
        raise _not_written(failed, len(targets), kept=memory is not None)
    _end(loaded.skipped, len(articles))


def _load(
    found: Inputs, batch: bool, *, input_format: str | None, encoding: str | None, keep_all: bool
) -> Loaded:
    """Read the inputs found, naming on stderr the ones skipped (exit when none was read)."""
    from bilingual.readers import load_inputs
    from bilingual.textutil import visible

    loaded = load_inputs(
        found.sources,
        fmt=input_format,
        encoding=encoding,
        stdin=sys.stdin.buffer,
        keep_all=keep_all,
        skip_unreadable=batch,
    )
    for source, reason in loaded.skipped:
        click.echo(visible(f"Skipped {source}: {reason}"), err=True)
    if not loaded.articles:
        _end(loaded.skipped, 0)
    return loaded


def _write_outputs(
    outputs: Iterable[tuple[str, Article, Target]],
    *,
    into: bool,
    quiet: bool,
    force: bool,
    **handout: Any,
) -> tuple[list[BilingualError], int]:
    """Make every (source, article, target) output, then write them; in a batch (`into`), one
    that cannot be made or written is named and costs no other. Returns those errors and how
    many outputs were left as they were."""
    from bilingual.textutil import visible
    from bilingual.writers.outputs import check_conflicts, make_output, write_made

    failed: list[BilingualError] = []

    def failing(exc: BilingualError) -> None:
        if not into:
            raise exc
        # One output that cannot be made or written does not cost the others of the batch.
        click.echo(visible(f"Error: {exc}"), err=True)
        failed.append(exc)

    # Every output made first: an existing file that holds other content is refused before
    # anything is written, and one that holds the same content is left (a rerun completes an
    # interrupted output phase).
    made = []
    for source, article, target in outputs:
        try:
            made.append((source, make_output(article, target, **handout)))
        except BilingualError as exc:
            failing(exc)
    check_conflicts([item for _, item in made], force=force)
    unchanged = 0
    for source, item in made:
        if item.unchanged:
            unchanged += 1
            if into and not quiet:
                click.echo(f"left {item.target.path} (from {source}): already as it is", err=True)
            continue
        try:
            notes = write_made(item)
        except BilingualError as exc:
            failing(exc)
            continue
        for note in notes:
            click.echo(visible(f"Warning: {note}"), err=True)
        if into and not quiet:
            click.echo(f"wrote {item.target.path} (from {source})", err=True)
    return failed, unchanged


@contextlib.contextmanager
def _closing(memory: Memory | None) -> Iterator[None]:
    """The translation memory closed when the run ends, however it ends."""
    try:
        yield
    finally:
        if memory:
            memory.close()


@contextlib.contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[int, int], None] | None]:
    """The progress bar's update function (None when quiet or not on a terminal)."""
    bar = _progress_bar(quiet)
    try:
        yield bar.update if bar else None
    finally:
        if bar:
            bar.close()


def _not_written(failed: list[BilingualError], outputs: int, *, kept: bool) -> BilingualError:
    """The error a batch ends with when some outputs could not be written (their exit status)."""
    where = "are kept in the translation memory" if kept else "were not kept (--no-memory)"
    error = BilingualError(
        f"{plural(len(failed), 'output')} of {outputs} not written (see above); their "
        f"translations {where}: run the same command again once that is fixed"
    )
    error.exit_code = failed[0].exit_code
    return error


def _end(skipped: list[tuple[str, str]], translated: int) -> None:
    """A batch that skipped inputs ends with exit 1, naming them once more after the summary."""
    from bilingual.errors import InputsSkipped

    if not skipped:
        return
    names = [source for source, _ in skipped]
    listed = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    if not translated:
        raise InputsSkipped(f"nothing to translate: no input was an article ({listed})", 0)
    raise InputsSkipped(
        f"{plural(len(names), 'input')} of {len(names) + translated} skipped "
        f"(not {'an article' if len(names) == 1 else 'articles'}): {listed}",
        translated,
    )


def _unchanged_note(unchanged: int) -> str:
    if not unchanged:
        return ""
    return f"; {plural(unchanged, 'output')} already there as they are (left)"


def _translate_on_cluster(
    address: str,
    workers: int | None,
    sources: list[str],
    input_dirs: tuple[Path, ...],
    out: Path | None,
    *,
    named_dir: bool,
    fmt: str | None,
    read: Any,
    glossary: Any,
    show_glossary: bool,
    memory_path: Path | str | None,
    settings: Any,
    engine: str,
    model_name: str | None,
    strategies: NameOrder | None,
    handout: dict[str, Any],
    force: bool,
    quiet: bool,
) -> None:
    """`translate --cluster`: the archive's articles on a Dask cluster, outputs written here as
    they complete, the ones that exist skipped (a run started again continues)."""
    import os
    from dataclasses import replace

    from bilingual.memory import open_memory
    from bilingual.textutil import visible
    from bilingual.translation.cluster import connect, translate_archive
    from bilingual.translation.run import plan_routes
    from bilingual.writers.outputs import plan_outputs, write_output

    if "-" in sources:
        raise click.UsageError("--cluster reads files: give paths, not - (standard input)")
    if out is None or str(out) == "-":
        raise click.UsageError("--cluster writes files: give -o DIR (or -o FILE for one input)")
    if show_glossary:
        raise click.UsageError("--show-glossary reads every input here: run it without --cluster")
    # Existing outputs are not replaced without --force: they are skipped, and said so.
    batch = len(sources) > 1 or bool(input_dirs)
    targets = plan_outputs(
        sources, out, fmt=fmt, force=True, into_dir=batch, named_dir=named_dir,
        input_dirs=input_dirs,
    )  # fmt: skip
    jobs = []
    done_before = 0
    for source, target in zip(sources, targets, strict=True):
        if not force and target.path is not None and target.path.exists():
            done_before += 1
            continue
        jobs.append((source, target))
    if address == "local" and not settings.threads:
        # The machine's cores shared between the local workers, not each taking them all.
        cores = os.cpu_count() or 1
        settings = replace(settings, threads=max(1, cores // (workers or cores)))

    def write(article: Any, target: Any) -> list[str]:
        return write_output(article, target, force=force, **handout)

    memory = None if memory_path is None else open_memory(memory_path or None)
    bar = _ArchiveBar() if not quiet and sys.stderr.isatty() else None
    try:
        with connect(address, workers=workers) as client:
            outcome = translate_archive(
                jobs,
                plan_routes(settings, memory=memory, engine=engine, model=model_name),
                write,
                client,
                memory=memory,
                glossary=glossary,
                strategies=strategies,
                read=read,
                progress=bar.update if bar else None,
            )
    finally:
        if bar:
            bar.close()
        if memory:
            memory.close()
    for note in outcome.notes:
        click.echo(visible(f"Warning: {note}"), err=True)
    for source, why in outcome.skipped:
        click.echo(visible(f"Skipped {source}: {why.removeprefix(f'{source}: ')}"), err=True)
    for source, why in outcome.failed:
        click.echo(visible(f"Failed {source}: {why.removeprefix(f'{source}: ')}"), err=True)
    if not quiet:
        r = outcome.report
        parts = [f"{plural(outcome.written, 'article')} translated"]
        if done_before:
            parts.append(
                f"{done_before} skipped as done (their output exists; --force redoes them)"
            )
        if outcome.skipped:
            parts.append(f"{len(outcome.skipped)} skipped as not articles")
        if outcome.failed:
            parts.append(f"{len(outcome.failed)} failed")
        click.echo(
            ", ".join(parts) + f" on {plural(outcome.workers, 'worker')} "
            f"({plural(r.segments, 'segment')}: {r.from_memory} from memory, "
            f"{r.translated} translated, {r.repaired} repaired; "
            f"{plural(r.flagged, 'paragraph')} flagged; {r.seconds:.1f} s)",
            err=True,
        )
    if outcome.failed:
        kept = "are kept in the translation memory" if memory else "were not kept (--no-memory)"
        error = BilingualError(
            f"{plural(len(outcome.failed), 'article')} of {len(jobs)} failed (see above); their "
            f"finished segments {kept}: run the same command again to retry them"
        )
        error.exit_code = ExitStatus.ERROR
        raise error
    _end(outcome.skipped, outcome.written + done_before)


class _ArchiveBar:
    """Articles done/total with rate and ETA on stderr (tqdm), the segments translated beside."""

    def __init__(self) -> None:
        self._bar: Any = None

    def update(self, done: int, total: int, translated: int) -> None:
        from tqdm import tqdm

        if self._bar is None:
            self._bar = tqdm(
                total=total, unit="article", desc="translating", file=sys.stderr, leave=False
            )
        self._bar.n = done
        self._bar.set_postfix_str(f"{translated} segments translated", refresh=False)
        self._bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _dropped_note(articles: list[Any]) -> str:
    dropped = sum(len(a.dropped) for a in articles)
    if not dropped:
        return ""
    return (
        f"; {plural(dropped, 'block')} of page furniture left out "
        "(`bilingual parse --show-dropped` lists them, --keep-all keeps them)"
    )


class _Bar:
    """Segments done/total, rate and ETA on stderr (tqdm), only on a terminal."""

    def __init__(self) -> None:
        self._bar: Any = None

    def update(self, done: int, total: int) -> None:
        from tqdm import tqdm

        if self._bar is None:
            self._bar = tqdm(
                total=total, unit="seg", desc="translating", file=sys.stderr, leave=False
            )
        self._bar.n = done
        self._bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _progress_bar(quiet: bool) -> _Bar | None:
    if quiet or not sys.stderr.isatty():
        return None
    return _Bar()
