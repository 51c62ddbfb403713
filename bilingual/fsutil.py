"""Writing files so that nothing the user had is lost: temp file, fsync, rename."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from bilingual.errors import BilingualError, OutputExists


def read_bytes(
    path: str | Path, error: type[BilingualError], what: str = "file", label: str | None = None
) -> bytes:
    """A file's bytes; a missing file, a directory or an unreadable file raise `error` with a
    one-line message naming `what` the file was meant to be."""
    path = Path(path)
    label = label or str(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise error(f"{label}: no such {what}") from None
    except IsADirectoryError:
        raise error(f"{label}: is a directory, not a {what}") from None
    except OSError as exc:
        raise error(f"{label}: cannot read the {what} ({exc.strerror})") from None


def check_writable(path: Path, *, force: bool) -> None:
    """Refuse to replace an existing file unless forced; refuse directories always."""
    if path.is_dir():
        raise OutputExists(f"{path}: is a directory")
    if path.exists() and not force:
        raise OutputExists(f"{path}: already exists (use --force to overwrite)")
    if not path.parent.exists():
        raise OutputExists(f"{path.parent}: no such directory")
    if not path.parent.is_dir():
        raise OutputExists(f"{path.parent}: not a directory")


def atomic_write(
    path: str | Path, data: bytes | str, *, force: bool = True, backup: bool = False
) -> None:
    """Write `data` to `path` atomically: a crash leaves the old file or the new, never half.

    With backup=True the previous version is kept as `path~`.
    """
    path = Path(path)
    check_writable(path, force=force)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        if backup and path.exists():
            _backup(path)
        # mkstemp makes the file private (0600): give it the mode the user would have got from
        # a plain open(), or keep the mode of the file it replaces.
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
        with contextlib.suppress(OSError):
            os.chmod(tmp, mode)
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _backup(path: Path) -> None:
    """Keep the previous version as `path~`, itself replaced atomically."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".bak", dir=path.parent)
    os.close(fd)
    try:
        shutil.copy2(path, tmp)
        os.replace(tmp, path.with_name(path.name + "~"))
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
