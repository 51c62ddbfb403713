"""Where a run's results go: output paths planned up front, then written atomically."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bilingual.document import Article
from bilingual.errors import BilingualError, OutputExists, ProjectError
from bilingual.fsutil import atomic_write, check_writable


class UsageError(BilingualError):
    """Options that do not fit together."""

    exit_code = 2


@dataclass(frozen=True)
class Target:
    path: Path | None  # None: standard output
    fmt: str  # "json" (the project file) or a handout format


def _suffix(fmt: str) -> str:
    from bilingual.writers import WRITERS

    return WRITERS[fmt].extensions[0]


def plan_outputs(
    inputs: tuple[str, ...] | list[str],
    articles: list[Article],
    output: Path | None,
    *,
    fmt: str | None = None,
    force: bool = False,
    into_dir: bool = False,
    input_dirs: tuple[Path, ...] = (),
) -> list[Target]:
    """One target per article; every conflict is found before any work is done.

    Several articles (or `into_dir`, when a directory was read) go into the directory `output`,
    which must not be a directory that was read (the outputs would be read as articles next
    time). No output may be one of the inputs, even with --force.
    """
    if output is None:
        if len(articles) > 1 or into_dir:
            raise UsageError("several inputs: give an output directory with -o DIR")
        if fmt not in (None, "json"):
            raise UsageError(f"--format {fmt} writes a file: give it with -o FILE")
        return [Target(None, "json")]
    if len(articles) > 1 or into_dir or output.is_dir():
        if output.exists() and not output.is_dir():
            raise OutputExists(f"{output}: not a directory (several inputs need -o DIR)")
        if not output.exists() and output.suffix.lower() in _known_suffixes():
            raise UsageError(f"{output}: several inputs need a directory for -o, not a file name")
        if any(_same(output, d) for d in input_dirs):
            raise UsageError(f"{output}: is the input directory; write into another one")
        fmt = fmt or "json"
        output.mkdir(parents=True, exist_ok=True)
        targets: list[Target] = []
        used: set[str] = set()
        for source in inputs:
            stem = "stdin" if source == "-" else Path(source).stem
            name, n = stem, 1
            while name in used:
                n += 1
                name = f"{stem}-{n}"
            used.add(name)
            targets.append(Target(output / f"{name}{_suffix(fmt)}", fmt))
    else:
        from bilingual.writers import format_for

        targets = [Target(output, format_for(output, fmt))]
    for target in targets:
        if target.path is None:
            continue
        # Updating a project file in place is fine: it keeps its reviews and a `~` backup.
        in_place = target.fmt == "json" and target.path.suffix.lower() == ".json"
        if not in_place and any(
            source != "-" and _same(target.path, Path(source)) for source in inputs
        ):
            raise UsageError(f"{target.path}: is also an input; write the output elsewhere")
        check_writable(target.path, force=force)
    return targets


def _same(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


def _known_suffixes() -> set[str]:
    from bilingual.writers import WRITERS

    return {e for spec in WRITERS.values() for e in spec.extensions}


def write_output(article: Article, target: Target, *, force: bool = False, **handout: Any) -> None:
    """Write `article` to `target`; `handout` are write_handout's options (layout, paper, ...)."""
    if target.path is None:
        raise UsageError("no output path")
    if target.fmt == "json":
        carry_over_reviews(article, target.path)
        atomic_write(target.path, article.to_json(), force=force, backup=True)
        return
    from bilingual.writers import write_handout

    write_handout(article, target.path, fmt=target.fmt, force=force, **handout)


def carry_over_reviews(article: Article, path: Path) -> int:
    """Overwriting a project file keeps the human work in it: reviewed blocks win."""
    if not path.exists():
        return 0
    try:
        old = Article.load(path)
    except ProjectError:
        return 0
    kept = 0
    for block in article.blocks:
        previous = old.block(block.id)
        if previous is not None and previous.status.reviewed and previous.zh == block.zh:
            block.en, block.status, block.flags = previous.en, previous.status, previous.flags
            block.score = previous.score
            kept += 1
    return kept
