"""Where a run's results go: output paths planned up front; every output made, then
written atomically.

A rerun of the same command is always possible: an output whose file already holds the same
content (apart from when it was made: the translation time, a DOCX's or PDF's creation date)
is left as it is, with no `~`, so a run interrupted while writing its outputs (Ctrl-C,
SIGTERM) is completed by running it again. An output that exists with other content needs
--force, and is refused before anything is written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bilingual.document import Article
from bilingual.errors import OutputExists, UsageError
from bilingual.fsutil import atomic_write, check_writable, is_stream
from bilingual.projectfile import check_replaceable, existing_project, save_project


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
    """One target per input; every conflict but an existing file is found before any work is
    done (an existing file is one only if it holds other content: see check_conflicts).

    Several inputs (or `into_dir`: a directory was read; or `named_dir`: -o ends with a slash)
    go into the
    directory `output`, as `<name><ext>` in `dir_format` unless `fmt` says otherwise; the
    directory must not be one that was read (the outputs would be read as inputs next time).
    No output may be one of the inputs, even with --force. `terminal`: standard output is a
    terminal, where a binary format (DOCX, PDF) is refused rather than printed.
    """
    if output is None or str(output) == "-":
        return [
            _stdout_target(
                output, fmt, several=len(inputs) > 1 or into_dir or named_dir, terminal=terminal
            )
        ]
    directory = len(inputs) > 1 or into_dir or named_dir or output.is_dir()
    if directory:
        _check_output_dir(output, named_dir=named_dir, input_dirs=input_dirs)
        name = format_for_dir(fmt or dir_format)
        targets = [Target(output / f"{stem}{_suffix(name)}", name) for stem in output_names(inputs)]
    else:
        from bilingual.writers import format_for

        targets = [Target(output, format_for(output, fmt))]
    for target in targets:
        if target.path is not None:
            _check_target(
                target, target.path, inputs, pending_dir=directory and not output.exists()
            )
    if directory:
        output.mkdir(exist_ok=True)
    return targets


def _stdout_target(
    output: Path | None, fmt: str | None, *, several: bool, terminal: bool
) -> Target:
    """Standard output (`-o -`, or no -o for the project file) as the one target."""
    if several:
        raise UsageError("several inputs: give an output directory with -o DIR")
    if output is None and fmt not in (None, "json"):
        raise UsageError(f"--format {fmt} writes a file: give it with -o FILE (or -o -)")
    name = fmt or "json"
    if terminal and _is_binary(name):
        raise UsageError(
            f"{name.upper()} is binary and standard output is a terminal: give -o FILE, "
            f"or redirect it (> handout{_suffix(name)})"
        )
    return Target(None, name)


def _check_output_dir(output: Path, *, named_dir: bool, input_dirs: tuple[Path, ...]) -> None:
    """-o names a directory for several outputs: not a file, not a directory that was read."""
    if output.exists() and not output.is_dir():
        raise OutputExists(f"{output}: not a directory (several inputs need -o DIR)")
    if not output.exists() and not named_dir and output.suffix.lower() in _known_suffixes():
        raise UsageError(f"{output}: several inputs need a directory for -o, not a file name")
    if any(_same(output, d) for d in input_dirs):
        raise UsageError(f"{output}: is the input directory; write into another one")


def _check_target(
    target: Target, path: Path, inputs: Sequence[str | Path], *, pending_dir: bool
) -> None:
    """One output file: never one of the inputs; its folder must exist (unless it is the output
    directory still to be made, `pending_dir`); a project it would replace must be replaceable."""
    # Updating a project file in place is fine: it keeps its reviews and a `~` backup. Not
    # through a symlink, though: name the project itself.
    in_place = target.fmt == "json" and path.suffix.lower() == ".json" and not path.is_symlink()
    if not in_place and any(str(source) != "-" and _same(path, Path(source)) for source in inputs):
        what = "links to an input" if path.is_symlink() else "is also an input"
        raise UsageError(f"{path}: {what}; write the output elsewhere")
    if pending_dir:
        if not path.parent.parent.is_dir():
            raise OutputExists(f"{path.parent.parent}: no such directory")
        return  # the directory is made once every other check has passed
    # An existing file is decided once its new content is known (check_conflicts): the
    # same content is no conflict. Directories and missing folders are refused now.
    check_writable(path, force=True)
    if target.fmt == "json":
        check_replaceable(path)


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


@dataclass(frozen=True)
class MadeOutput:
    """An output's bytes, ready to write; `unchanged`: its file holds them already."""

    target: Target
    data: bytes
    unchanged: bool


def make_output(
    article: Article, target: Target, *, carry_over: bool = True, **handout: Any
) -> MadeOutput:
    """`article` made into `target`'s bytes (a project carries over the reviews of the one it
    replaces, unless not `carry_over`); `handout` are the handout options (layout, paper...)."""
    if target.fmt == "json":
        if target.path is not None and carry_over:
            carry_over_reviews(article, target.path)
        data = article.to_json().encode("utf-8")
    else:
        from bilingual.writers import handout_bytes

        data = handout_bytes(article, fmt=target.fmt, **handout)
    path = target.path
    unchanged = path is not None and not is_stream(path) and same_output(path, data, target.fmt)
    return MadeOutput(target, data, unchanged)


def check_conflicts(made: Sequence[MadeOutput], *, force: bool) -> None:
    """Before anything is written: without `force`, an output whose file exists and holds
    something else is refused (OutputExists)."""
    if force:
        return
    for item in made:
        if item.target.path is not None and not item.unchanged:
            check_writable(item.target.path, force=False)


def write_made(item: MadeOutput) -> list[str]:
    """Write one output made by `make_output` (a project under the project-file rule); notes for the user.
    Nothing is written when its file holds it already."""
    if item.unchanged:
        return []
    path = item.target.path or Path("-")
    if item.target.fmt == "json":
        return save_project(item.data.decode("utf-8"), path)
    atomic_write(path, item.data)
    return []


def write_output(
    article: Article, target: Target, *, force: bool = False, **handout: Any
) -> list[str]:
    """Render and write one article where `target` says (None: standard output); notes."""
    item = make_output(article, target, **handout)
    check_conflicts([item], force=force)
    return write_made(item)


# What differs between two runs that made the same output: the time of the translation and of
# the file (ISO and as handouts print it), and a PDF's creation date, id and checksum.
_STAMP_RE = re.compile(
    rb"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
    rb"| \d{2}:\d{2}(?: UTC[+-]?\d*)?)"
)
_PDF_STAMP_RE = re.compile(
    rb"/(?:CreationDate|ModDate)\s*\(D:[^)]*\)|/ID\s*\[\s*<[0-9A-Fa-f]*>\s*<[0-9A-Fa-f]*>\s*\]"
    rb"|/DocChecksum\s*/[0-9A-Fa-f]+"
)


def same_output(path: Path, data: bytes, fmt: str) -> bool:
    """Whether the file at `path` holds what `data` would write there, apart from when each
    was made (a rerun of the same command)."""
    try:
        if not path.is_file():
            return False
        old = path.read_bytes()
    except OSError:
        return False
    if old == data:
        return True
    if fmt == "docx":
        parts = _docx_parts(old)
        return parts is not None and parts == _docx_parts(data)
    if fmt == "pdf":
        old, data = _PDF_STAMP_RE.sub(b"", old), _PDF_STAMP_RE.sub(b"", data)
    return _STAMP_RE.sub(b"", old) == _STAMP_RE.sub(b"", data)


def _docx_parts(data: bytes) -> dict[str, bytes] | None:
    """A DOCX's parts with their times masked (the zip's own dates do not count), or None
    when it is not a DOCX this could compare."""
    import io
    import zipfile

    from bilingual.errors import ZipRefused
    from bilingual.safezip import DOCX_LIMITS, check_bytes

    try:
        check_bytes(data, DOCX_LIMITS)
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return {i.filename: _STAMP_RE.sub(b"", zf.read(i)) for i in zf.infolist()}
    except (ZipRefused, zipfile.BadZipFile, OSError):
        return None


def carry_over_reviews(article: Article, path: Path) -> int:
    """Overwriting a project file keeps the human work in it: reviewed blocks win, and a
    reviewer's unconfirmed draft stays with its paragraph. Returns how many reviewed blocks
    were kept. A damaged project is never silently replaced: see bilingual.projectfile."""
    existing, _damaged = existing_project(path)
    if existing is None:
        return 0
    old = {b.id: b for b in existing.blocks}
    kept = 0
    for block in article.blocks:
        previous = old.get(block.id)
        if previous is None or previous.zh != block.zh:
            continue
        if previous.status.reviewed:
            block.en, block.status, block.flags = previous.en, previous.status, previous.flags
            block.score = previous.score
            kept += 1
        if previous.draft is not None and previous.draft != block.en:
            block.draft = previous.draft
    return kept
