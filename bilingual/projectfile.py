"""The one rule for every command that writes a project file (translate, export, review, import,
check --write): a project is never replaced without a copy that keeps it.

- The project there loads: the new version replaces it and the old one becomes `PROJECT~` (a
  durable copy, made before the rename); when the old one held reviewed paragraphs the new one
  does not, a note says so and where they are.
- The project there is damaged (does not load): it is moved aside as
  `PROJECT.damaged-YYYYMMDD-HHMMSS` (never into `~`, where the next write would replace it), the
  note says so, and `PROJECT~` is left as it is. When that `~` is the last good copy, nothing is
  written: the user restores it first (`check_replaceable`).
- Writing exactly what is there already writes nothing (and makes no `~`).

Notes are returned as one-line strings for the caller to show (the CLI prints them as
`Warning:` lines).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from bilingual.document import Article
from bilingual.errors import FileSystemError, ProjectError
from bilingual.fsutil import atomic_write, check_writable, describe_os_error, is_stream


def existing_project(path: Path) -> tuple[Article | None, str | None]:
    """The project file at `path` (None if there is none), or why it is damaged; raises
    ProjectError when it is damaged and its `~` is the last good copy."""
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
        return None, reason  # no good copy to lose
    raise ProjectError(
        f"{reason}; not replaced, because {backup} is its last good copy and replacing "
        f"{path} would replace that too: restore it with `cp {backup} {path}` and run again "
        f"(or move {path} away to start afresh)"
    )


def check_replaceable(path: Path) -> str | None:
    """Before any work: refuse a damaged project whose `~` is the last good copy; returns why
    the project is damaged (None when it is sound or absent)."""
    return existing_project(path)[1]


def save_project(
    article: Article | str,
    path: str | Path,
    *,
    force: bool = True,
    sound: bool = False,
) -> list[str]:
    """Write `article` (or its JSON text) to `path` under the rule above; `force=False` refuses
    to replace a file that holds something else. `sound`: the caller knows the file holds a
    sound project (a review session that read or wrote it and checked nothing changed since),
    so it is not read again; it still becomes `~`. Returns notes for the user."""
    path = Path(path)
    text = article if isinstance(article, str) else article.to_json()
    data = text.encode("utf-8")
    if is_stream(path):
        atomic_write(path, data)
        return []
    if path.is_file():
        with contextlib.suppress(OSError):
            if path.read_bytes() == data:
                return []  # the same project: nothing to write, no `~`
    check_writable(path, force=force)
    old, damaged = (None, None) if sound else existing_project(path)
    if damaged is not None:
        aside = _move_aside(path)
        atomic_write(path, data, force=True)
        good = path.with_name(path.name + "~")
        return [
            f"{damaged}; the damaged file is kept as {aside}"
            + (f" ({good} is left as it was)" if good.exists() else "")
        ]
    atomic_write(path, data, force=True, backup=True)
    if old is None:
        return []
    lost = _reviews_lost(old, text)
    if not lost:
        return []
    return [
        f"{path}: the version replaced held {lost} reviewed paragraph{'s' if lost > 1 else ''} "
        f"the new one does not; it is kept as {path}~"
    ]


def _reviews_lost(old: Article, new_text: str) -> int:
    """Reviewed paragraphs of `old` whose English the new project does not hold."""
    try:
        new = Article.from_json(new_text)
    except ProjectError:
        return sum(1 for b in old.blocks if b.status.reviewed)
    kept = {(b.id, b.en) for b in new.blocks if b.status.reviewed}
    return sum(1 for b in old.blocks if b.status.reviewed and (b.id, b.en) not in kept)


def _move_aside(path: Path) -> Path:
    """Keep a damaged project as `PROJECT.damaged-<UTC time>` (a new name every time: a copy
    made aside is never replaced by a later one). A durable copy, then the original is left
    for the atomic write to replace."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while os.path.lexists(aside):
        n += 1
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}-", suffix=".tmp",
                                   dir=path.parent)  # fmt: skip
        with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
            shutil.copyfileobj(src, out)
            out.flush()
            os.fsync(out.fileno())
        shutil.copystat(path, tmp)
        os.link(tmp, aside)  # never over a file that appeared meanwhile
    except OSError as exc:
        raise FileSystemError(describe_os_error(exc, aside)) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return aside


__all__ = ["check_replaceable", "existing_project", "save_project"]
