"""Where a run's results go: output paths planned up front, then written atomically."""

from __future__ import annotations

import os
from collections.abc import Sequence
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


def output_path(raw: str | Path | None) -> tuple[Path | None, bool]:
    """-o as given: the path (None when absent), and whether it names a directory by ending
    with a slash (`-o out/`), which a Path forgets."""
    if raw is None:
        return None, False
    text = str(raw)
    return Path(text), text != "-" and text.endswith(("/", os.sep))


def plan_outputs(
    inputs: Sequence[str | Path],
    output: Path | None,
    *,
    fmt: str | None = None,
    force: bool = False,
    into_dir: bool = False,
    named_dir: bool = False,
    input_dirs: tuple[Path, ...] = (),
    dir_format: str = "json",
    terminal: bool = False,
) -> list[Target]:
    """One target per input; every conflict is found before any work is done.

    Several inputs (or `into_dir`: a directory was read; or `named_dir`: -o ends with a slash)
    go into the
    directory `output`, as `<name><ext>` in `dir_format` unless `fmt` says otherwise; the
    directory must not be one that was read (the outputs would be read as inputs next time).
    No output may be one of the inputs, even with --force. `terminal`: standard output is a
    terminal, where a binary format (DOCX, PDF) is refused rather than printed.
    """
    if output is None or str(output) == "-":
        if len(inputs) > 1 or into_dir or named_dir:
            raise UsageError("several inputs: give an output directory with -o DIR")
        if output is None and fmt not in (None, "json"):
            raise UsageError(f"--format {fmt} writes a file: give it with -o FILE (or -o -)")
        name = fmt or "json"
        if terminal and _is_binary(name):
            raise UsageError(
                f"{name.upper()} is binary and standard output is a terminal: give -o FILE, "
                f"or redirect it (> handout{_suffix(name)})"
            )
        return [Target(None, name)]
    directory = len(inputs) > 1 or into_dir or named_dir or output.is_dir()
    if directory:
        if output.exists() and not output.is_dir():
            raise OutputExists(f"{output}: not a directory (several inputs need -o DIR)")
        if not output.exists() and not named_dir and output.suffix.lower() in _known_suffixes():
            raise UsageError(f"{output}: several inputs need a directory for -o, not a file name")
        if any(_same(output, d) for d in input_dirs):
            raise UsageError(f"{output}: is the input directory; write into another one")
        name = format_for_dir(fmt or dir_format)
        targets = [Target(output / f"{stem}{_suffix(name)}", name) for stem in output_names(inputs)]
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
            str(source) != "-" and _same(target.path, Path(source)) for source in inputs
        ):
            what = "links to an input" if target.path.is_symlink() else "is also an input"
            raise UsageError(f"{target.path}: {what}; write the output elsewhere")
        if directory and not output.exists():
            if not output.parent.is_dir():
                raise OutputExists(f"{output.parent}: no such directory")
            continue  # the directory is made once every other check has passed
        check_writable(target.path, force=force)
        if target.fmt == "json":
            check_replaceable(target.path)
    if directory:
        output.mkdir(exist_ok=True)
    return targets


def output_names(inputs: Sequence[str | Path]) -> list[str]:
    """The file name (without extension) of each input's output in a directory: the input's
    own name; where two inputs share it (article.docx, article.md) each keeps its extension
    (article-docx, article-md), so a user can tell them apart; a name still taken (the same
    file name in two folders) is numbered (article-md-2). `-` (standard input) is `stdin`."""
    paths = [Path("stdin") if str(s) == "-" else Path(s) for s in inputs]
    suffixes: dict[str, set[str]] = {}
    for path in paths:
        suffixes.setdefault(path.stem.casefold(), set()).add(path.suffix.lower())
    names: list[str] = []
    used: set[str] = set()
    for path in paths:
        base = path.stem
        if len(suffixes[base.casefold()]) > 1 and path.suffix:
            base = f"{base}-{path.suffix[1:].lower()}"
        name, n = base, 1
        while name.casefold() in used:
            n += 1
            name = f"{base}-{n}"
        used.add(name.casefold())
        names.append(name)
    return names


def format_for_dir(fmt: str) -> str:
    """A format named for a directory of outputs, checked as -o FILE's extension would be."""
    from bilingual.writers import format_for

    return format_for("", fmt)


def _is_binary(fmt: str) -> bool:
    from bilingual.writers import WRITERS

    return WRITERS[fmt].binary


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
