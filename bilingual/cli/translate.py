"""`bilingual translate`: articles in, project file or handout out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from bilingual.cli.options import glossary_option, handout_options, memory_options
from bilingual.cli.parse import keep_all_option
from bilingual.engines import DEFAULT_ENGINE, ENGINES
from bilingual.errors import BilingualError
from bilingual.textutil import plural
from bilingual.writers import formats as writer_formats

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
    "directory; - for stdout (any --format). "
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
@click.option(
    "--names",
    "name_order",
    default=None,
    metavar="ORDER",
    help="How names reach the model, tried in order until every name comes back verbatim: "
    "inline, placeholders (comma-separated); the pieces around the names are the last resort. "
    "Default: the engine's own (placeholders; inline for llm). "
    "`python benchmarks/names.py --model PACKAGE` measures which order suits a model.",
)
@handout_options
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
    name_order: str | None,
    layout: str,
    audience: str,
    paper: str,
    landscape: bool,
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
    from bilingual.readers import expand_inputs, load_inputs
    from bilingual.textutil import visible
    from bilingual.translation.pipeline import strategies_named
    from bilingual.translation.run import plan_routes, translate_articles
    from bilingual.writers.outputs import (
        check_conflicts,
        output_path,
        plan_outputs,
        render_output,
        write_rendered,
    )

    strategies = None
    if name_order is not None:
        strategies = tuple(x.strip() for x in name_order.split(",") if x.strip())
        try:
            strategies_named(strategies)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--names") from None
    out, named_dir = output_path(output)
    found = expand_inputs(inputs)
    batch = len(found.sources) > 1 or bool(found.dirs)
    for path in found.ignored:
        click.echo(
            f"Not read: {path} (not an article file: {path.suffix or 'no extension'})", err=True
        )
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

    if beam is None:
        beam = 1 if engine == "llm" else 4
    settings = ArgosSettings(
        beam=beam, threads=threads, compute_type=compute_type, device=device
    ).on_device()
    memory = None if no_memory else open_memory(memory_path)
    bar = _progress_bar(quiet)
    try:
        report = translate_articles(
            articles,
            plan_routes(settings, memory=memory, engine=engine, model=model_name),
            memory=memory,
            glossary=glossary,
            progress=bar.update if bar else None,
            strategies=strategies,
        )
    finally:
        if bar:
            bar.close()
        if memory:
            memory.close()

    failed: list[BilingualError] = []

    def failing(exc: BilingualError) -> None:
        if not into:
            raise exc
        # One output that cannot be made or written does not cost the others of the batch.
        click.echo(visible(f"Error: {exc}"), err=True)
        failed.append(exc)

    # Every output rendered first: an existing file that holds other content is refused before
    # anything is written, and one that holds the same content is left (a rerun completes an
    # interrupted output phase).
    handout: dict[str, Any] = {
        "layout": layout,
        "audience": audience,
        "paper": paper,
        "landscape": landscape,
    }
    rendered = []
    for source, article, target in zip(sources, articles, targets, strict=True):
        try:
            rendered.append((source, render_output(article, target, **handout)))
        except BilingualError as exc:
            failing(exc)
    check_conflicts([item for _, item in rendered], force=force)
    unchanged = 0
    for source, item in rendered:
        if item.unchanged:
            unchanged += 1
            if into and not quiet:
                click.echo(f"left {item.target.path} (from {source}): already as it is", err=True)
            continue
        try:
            notes = write_rendered(item)
        except BilingualError as exc:
            failing(exc)
            continue
        for note in notes:
            click.echo(visible(f"Warning: {note}"), err=True)
        if into and not quiet:
            click.echo(f"wrote {item.target.path} (from {source})", err=True)
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
        kept = "are kept in the translation memory" if memory else "were not kept (--no-memory)"
        error = BilingualError(
            f"{plural(len(failed), 'output')} of {len(targets)} not written (see above); their "
            f"translations {kept}: run the same command again once that is fixed"
        )
        error.exit_code = failed[0].exit_code
        raise error
    _end(loaded.skipped, len(articles))


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
