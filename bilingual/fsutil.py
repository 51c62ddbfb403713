"""Files, so that nothing the user had is lost: temp file, fsync, rename; special files written
through; what the operating system refused said in one line."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
from pathlib import Path

from bilingual.errors import BilingualError, FileSystemError, OutputExists

# What to tell the user about each refusal of the operating system.
_OS_HINTS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "not permitted (a read-only or immutable file or folder?)",
    errno.EROFS: "read-only file system",
    errno.ENOSPC: "no space left on the device; free some space and run again",
    errno.EDQUOT: "disk quota exceeded; free some space and run again",
    errno.ENAMETOOLONG: "file name too long; choose a shorter name",
    errno.EISDIR: "is a directory",
    errno.ENOTDIR: "a part of the path is not a directory",
    errno.ENOENT: "no such file or directory",
    errno.EBADF: "the stream is closed",
    errno.EPIPE: "the reader went away (broken pipe)",
    errno.EIO: "input/output error (a failing disk or a disconnected drive?)",
    errno.EMFILE: "too many open files",
    errno.ENXIO: "no such device or address",
    errno.ETXTBSY: "the file is busy",
    errno.EFBIG: "the file would be too large for this file system",
}


def describe_os_error(
    exc: OSError, path: str | Path | None = None, action: str | None = "write"
) -> str:
    """One line for an OSError: what could not be done (when known) to which file, and why."""
    reason = _OS_HINTS.get(exc.errno or 0) or exc.strerror or str(exc)
    where = path if path is not None else exc.filename
    if action is None:
        return f"{where}: {reason}" if where is not None else reason
    if where is None:
        return f"cannot {action}: {reason}"
    return f"cannot {action} {where}: {reason}"


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
        raise error(
            f"{label}: cannot read the {what} ({_OS_HINTS.get(exc.errno or 0) or exc.strerror})"
        ) from None


# Paths whose files are streams the system provides, never files of the user's to replace:
# /dev/stdout, /dev/null, /proc/self/fd/1, ...
_SYSTEM_DIRS = ("/dev/", "/proc/")


def is_stream(path: Path) -> bool:
    """Whether writing to `path` means writing through it (`-` for standard output, a device,
    a FIFO, a socket, a /dev or /proc entry) rather than replacing a file."""
    if str(path) == "-":
        return True
    try:
        mode = path.stat().st_mode
    except OSError:
        mode = 0
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        return True
    return str(path).startswith(_SYSTEM_DIRS) or os.path.realpath(path).startswith(_SYSTEM_DIRS)


def check_writable(path: Path, *, force: bool) -> None:
    """Refuse to replace an existing file unless forced; refuse directories always. Streams
    (devices, FIFOs, sockets) are written through, so they need no --force."""
    if is_stream(path):
        return
    if path.is_dir():
        raise OutputExists(f"{path}: is a directory")
    if path.exists() and not force:
        raise OutputExists(f"{path}: already exists (use --force to overwrite)")
    real = _real(path)
    if not real.parent.exists():
        raise OutputExists(f"{real.parent}: no such directory")
    if not real.parent.is_dir():
        raise OutputExists(f"{real.parent}: not a directory")


def _real(path: Path) -> Path:
    """The file a write to `path` replaces: a symlink's target (even a dangling one's)."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def atomic_write(
    path: str | Path, data: bytes | str, *, force: bool = True, backup: bool = False
) -> None:
    """Write `data` to `path` atomically: a crash leaves the old file or the new, never half.

    With backup=True the previous version is kept as `path~`. A symlink is followed and its
    target replaced; a device, FIFO or socket is written through, never replaced. A failure
    raises FileSystemError and leaves neither a temp file nor a new `~`.
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if is_stream(path):
        write_through(path, payload)
        return
    check_writable(path, force=force)
    target = _real(path)
    clean_orphans(target)
    tmp = bak = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(target), suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        if backup and target.exists():
            bak = _copy_aside(target)
        # mkstemp makes the file private (0600): give it the mode the user would have got from
        # a plain open(), or keep the mode of the file it replaces.
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask()
        with contextlib.suppress(OSError):
            os.chmod(tmp, mode)
        os.replace(tmp, target)
        tmp = None
        if bak is not None:
            os.replace(bak, target.with_name(target.name + "~"))
            bak = None
        _fsync_dir(target.parent)
    except OSError as exc:
        raise FileSystemError(describe_os_error(exc, path)) from None
    finally:
        for leftover in (tmp, bak):
            if leftover is not None:
                with contextlib.suppress(OSError):
                    os.unlink(leftover)


def write_through(path: Path, payload: bytes) -> None:
    """Write into a device, FIFO or socket (or /dev/stdout; `-` is standard output) without
    replacing it."""
    if str(path) == "-":
        import sys

        try:
            sys.stdout.flush()
            sys.stdout.buffer.write(payload)
            sys.stdout.buffer.flush()
        except BrokenPipeError:
            raise  # the reader went away (`| head`): the CLI stops quietly
        except OSError as exc:
            if exc.errno == errno.EBADF:
                raise
            raise FileSystemError(describe_os_error(exc, "standard output", "write to")) from None
        return
    try:
        mode = path.stat().st_mode
        if stat.S_ISSOCK(mode):
            import socket  # only for a socket at the output path

            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.connect(str(path))
                sock.sendall(payload)
            return
        # No O_CREAT: a stream that is not there is an error, never a new file in /dev. A
        # regular file behind /dev/stdout (`> out.json`) is truncated, as the shell does.
        flags = os.O_WRONLY | (os.O_TRUNC if stat.S_ISREG(mode) else 0)
        fd = os.open(path, flags)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
    except OSError as exc:
        raise FileSystemError(describe_os_error(exc, path)) from None


def _temp_prefix(target: Path) -> str:
    # The pid in the name lets a later run tell an orphan (its writer is gone) from a temp
    # file another process is writing right now.
    return f".{target.name}.{os.getpid()}-"


def clean_orphans(target: Path) -> None:
    """Remove the temp and backup files an interrupted write of `target` left behind (of a
    symlink: of the file it points to, which is what a write replaces)."""
    target = _real(Path(target))
    pattern = re.compile(re.escape(f".{target.name}.") + r"(?:(\d+)-)?[^.]*\.(?:tmp|bak)$")
    try:
        candidates = [p for p in target.parent.iterdir() if pattern.match(p.name)]
    except OSError:
        return
    for p in candidates:
        m = pattern.match(p.name)
        pid = int(m.group(1)) if m and m.group(1) else None
        if pid is not None and pid != os.getpid() and process_alive(pid):
            continue
        with contextlib.suppress(OSError):
            if p.is_file() and not p.is_symlink():
                p.unlink()


def process_alive(pid: int) -> bool:
    """Whether process `pid` runs (someone else's counts as running: leave its files alone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _copy_aside(path: Path) -> str:
    """A durable copy of `path` next to it, to become `path~` once the new file is in place."""
    import shutil

    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".bak", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
            shutil.copyfileobj(src, out)
            out.flush()
            os.fsync(out.fileno())
        shutil.copystat(path, tmp)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def is_terminal(stream: object) -> bool:
    """Whether `stream` is a terminal (where binary output must not go); False when closed."""
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False
