"""Where a run's results go: output paths planned up front, then written atomically."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bilingual.document import Article
from bilingual.errors import BilingualError, OutputExists, ProjectError
from bilingual.fsutil import atomic_write, check_writable, is_stream


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
    if output is None or str(output) == "-":
        if len(articles) > 1 or into_dir:
            raise UsageError("several inputs: give an output directory with -o DIR")
        if output is None and fmt not in (None, "json"):
            raise UsageError(f"--format {fmt} writes a file: give it with -o FILE (or -o -)")
        return [Target(None, fmt or "json")]
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
        # Updating a project file in place is fine: it keeps its reviews and a `~` backup. Not
        # through a symlink, though: name the project itself.
        in_place = (
            target.fmt == "json"
            and target.path.suffix.lower() == ".json"
            and not target.path.is_symlink()
        )
        if not in_place and any(
            source != "-" and _same(target.path, Path(source)) for source in inputs
        ):
            what = "links to an input" if target.path.is_symlink() else "is also an input"
            raise UsageError(f"{target.path}: {what}; write the output elsewhere")
        check_writable(target.path, force=force)
        if target.fmt == "json":
            check_replaceable(target.path)
    return targets


def _same(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


def _known_suffixes() -> set[str]:
    from bilingual.writers import WRITERS

    return {e for spec in WRITERS.values() for e in spec.extensions}


def write_output(
    article: Article, target: Target, *, force: bool = False, **handout: Any
) -> list[str]:
    """Write `article` where `target` says (None: standard output); `handout` are
    write_handout's options (layout, paper, ...). Returns notes for the user (a damaged project
    kept as `~`)."""
    path = target.path or Path("-")
    if target.fmt == "json":
        notes = carry_over_reviews(article, path)[1]
        atomic_write(path, article.to_json(), force=force, backup=True)
        return notes
    from bilingual.writers import write_handout

    write_handout(article, path, fmt=target.fmt, force=force, **handout)
    return []


def check_replaceable(path: Path) -> str | None:
    """Refuse to replace a damaged project file whose `~` is the last good copy (its reviews
    would be lost for good); returns why the project is damaged, or None when it is not."""
    return _existing_project(path)[1]


def _existing_project(path: Path) -> tuple[Article | None, str | None]:
    """The project file at `path` (None if there is none), or why it is damaged; raises when
    it is damaged and its `~` is the last good copy."""
    if is_stream(path) or not path.is_file():
        return None, None
    try:
        return Article.load(path), None
    except ProjectError as exc:
        reason = str(exc)
    backup = path.with_name(path.name + "~")
    try:
        Article.load(backup)
    except ProjectError:
        return None, reason  # no good copy to lose: the damaged file becomes the `~`
    raise ProjectError(
        f"{reason}; not replaced, because {backup} is its last good copy and replacing "
        f"{path} would replace that too: restore it with `cp {backup} {path}` and run again "
        f"(or move {path} away to start afresh)"
    )


def carry_over_reviews(article: Article, path: Path) -> tuple[int, list[str]]:
    """Overwriting a project file keeps the human work in it: reviewed blocks win. Returns
    how many blocks were kept, and notes for the user. A damaged project is never silently
    replaced: see `check_replaceable`."""
    existing, damaged = _existing_project(path)
    if damaged is not None:
        return 0, [f"{damaged}; its reviews could not be carried over, it is kept as {path}~"]
    if existing is None:
        return 0, []
    old = {b.id: b for b in existing.blocks}
    kept = 0
    for block in article.blocks:
        previous = old.get(block.id)
        if previous is not None and previous.status.reviewed and previous.zh == block.zh:
            block.en, block.status, block.flags = previous.en, previous.status, previous.flags
            block.score = previous.score
            kept += 1
    return kept, []
