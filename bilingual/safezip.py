"""Zip archives from outside (DOCX articles, reviewers' DOCX handouts, Argos model packages),
opened with limits: how many members, how many bytes they unpack to, how far one member expands.

The limits are checked while reading, never after: the member count from the archive's end
record before its directory is parsed, the declared sizes before anything is unpacked, and the
bytes actually unpacked as they stream out in small chunks (a member that lies about its size
is cut off at the limit, not unpacked first and measured after). A 1 MB DOCX that would unpack
to 1 GB is refused in a fraction of a second with a few megabytes of memory. The error names
the limit that was hit.

Bottom layer: only the standard library and bilingual.errors.
"""

from __future__ import annotations

import io
import lzma
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from bilingual.errors import ZipRefused

_CHUNK = 1 << 20
# Compression methods zipfile can unpack; anything else (Deflate64, PPMd, AES...) is refused by
# name instead of failing deep inside a reader.
_METHODS = {
    zipfile.ZIP_STORED: "stored",
    zipfile.ZIP_DEFLATED: "deflate",
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "LZMA",
}
_KNOWN_METHODS = {9: "Deflate64", 93: "Zstandard", 95: "XZ", 97: "WavPack", 98: "PPMd", 99: "AES"}
_CD_ENTRY = 46  # bytes of a central directory entry before its name
# What zipfile and the decompressors raise on damaged bytes (headers that point nowhere: a
# negative seek, a struct too short; streams that are not what their method says).
_DAMAGE = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    ValueError,
    struct.error,
    OverflowError,
    IndexError,
    KeyError,
)


@dataclass(frozen=True)
class ZipLimits:
    """What one kind of archive may hold."""

    what: str  # "a DOCX document", "an Argos package": for the messages
    members: int
    unpacked: int  # bytes, all members together
    ratio: int  # a member may expand at most this many times ...
    ratio_floor: int = 1 << 20  # ... once it has unpacked more than this many bytes


#: Articles and review handouts. A long article's DOCX unpacks to a few MB (40,000 paragraphs:
#: about 25 MB) and its XML compresses 5 to 30 times; 256 MB and 200 times leave a wide margin.
DOCX_LIMITS = ZipLimits("a DOCX document", members=5000, unpacked=256 << 20, ratio=200)


def _human(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size} bytes"


def end_record(fp: IO[bytes]) -> tuple[int, int] | None:
    """(member count, central directory size) from the archive's end record, or None when there
    is none (not a zip, or a damaged one). Read before zipfile parses the directory, which holds
    every member's details in memory at once."""
    fp.seek(0, io.SEEK_END)
    size = fp.tell()
    tail_len = min(size, 22 + 0xFFFF)
    fp.seek(size - tail_len)
    tail = fp.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    entries, cd_size = struct.unpack("<xxxxxxxxxxHI", tail[at : at + 16])
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:
        # Zip64: the real figures are in the zip64 end record the locator points to.
        loc = tail.rfind(b"PK\x06\x07", 0, at)
        if loc < 0 or at - loc < 20:
            return None
        (offset,) = struct.unpack("<Q", tail[loc + 8 : loc + 16])
        if offset + 56 > size:
            return None
        fp.seek(offset)
        record = fp.read(56)
        if not record.startswith(b"PK\x06\x06"):
            return None
        entries, cd_size = struct.unpack("<QQ", record[32:48])
    return entries, cd_size


def check_archive(fp: IO[bytes], limits: ZipLimits) -> None:
    """Read every member of the archive `fp` through, within `limits`; raise ZipRefused at the
    first limit broken (or when the archive is damaged or uses an unsupported method). Memory
    stays at one chunk whatever the archive holds."""
    with open_archive(fp, limits) as zf:
        total = 0
        for info in zf.infolist():
            total += _stream(zf, info, limits, total, None)


@contextmanager
def open_archive(fp: IO[bytes], limits: ZipLimits) -> Iterator[zipfile.ZipFile]:
    """The archive `fp` as a ZipFile, once its end record and declared sizes are within
    `limits` (the bytes themselves are checked as they are read: `check_archive`, `extract`).
    zipfile's own errors become ZipRefused."""
    record = end_record(fp)
    if record is not None:
        entries, cd_size = record
        # The directory's size bounds how many members it can hold, whatever the count says.
        if entries > limits.members or cd_size > limits.members * (_CD_ENTRY + 1024):
            shown = entries if entries > limits.members else f"over {limits.members}"
            raise ZipRefused(
                f"holds {shown} members, more than the {limits.members} {limits.what} may hold "
                "(the member-count limit)",
                "member-count",
            )
    fp.seek(0)
    try:
        zf = zipfile.ZipFile(fp)
    except zipfile.BadZipFile as exc:
        reason = "not a ZIP archive" if record is None else f"damaged: {_one_line(exc)}"
        raise ZipRefused(reason) from None
    except _DAMAGE as exc:
        raise ZipRefused(f"damaged: {_one_line(exc)}") from None
    except NotImplementedError as exc:  # zipfile met a method it cannot unpack
        raise ZipRefused(f"cannot be unpacked: {_one_line(exc)}") from None
    with zf:
        _check_declared(zf.infolist(), limits)
        yield zf


def _check_declared(members: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    if len(members) > limits.members:
        raise ZipRefused(
            f"holds {len(members)} members, more than the {limits.members} {limits.what} may "
            "hold (the member-count limit)",
            "member-count",
        )
    total = 0
    for info in members:
        _check_method(info)
        total += info.file_size
        if total > limits.unpacked:
            raise _too_big(limits)
        _check_ratio(info, info.file_size, limits)


def _check_method(info: zipfile.ZipInfo) -> None:
    if info.flag_bits & 0x1:
        raise ZipRefused(f"{info.filename!r} is encrypted")
    if info.compress_type not in _METHODS:
        method = _KNOWN_METHODS.get(info.compress_type, f"method {info.compress_type}")
        raise ZipRefused(
            f"{info.filename!r} is compressed with {method}, which cannot be unpacked "
            "(save the file again to use standard compression)"
        )


def _check_ratio(info: zipfile.ZipInfo, unpacked: int, limits: ZipLimits) -> None:
    if unpacked > limits.ratio_floor and unpacked > limits.ratio * max(info.compress_size, 1):
        raise ZipRefused(
            f"{info.filename!r} expands more than {limits.ratio} times (the compression-ratio "
            f"limit for {limits.what}; a compression bomb?)",
            "compression-ratio",
        )


def _too_big(limits: ZipLimits) -> ZipRefused:
    return ZipRefused(
        f"unpacks to more than {_human(limits.unpacked)} (the unpacked-size limit for "
        f"{limits.what})",
        "unpacked-size",
    )


def _stream(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    limits: ZipLimits,
    before: int,
    out: IO[bytes] | None,
) -> int:
    """Unpack one member chunk by chunk (into `out`, or nowhere), within the limits; the bytes
    unpacked. `before`: bytes the members before it unpacked."""
    if info.is_dir():
        return 0
    done = 0
    try:
        with zf.open(info) as src:
            while chunk := src.read(_CHUNK):
                done += len(chunk)
                if before + done > limits.unpacked:
                    raise _too_big(limits)
                _check_ratio(info, done, limits)
                if out is not None:
                    out.write(chunk)
    except _DAMAGE as exc:
        raise ZipRefused(f"damaged: {_one_line(exc)}") from None
    except NotImplementedError as exc:
        raise ZipRefused(f"cannot be unpacked: {_one_line(exc)}") from None
    except OSError as exc:
        if exc.errno is not None:
            raise  # the system failed a read or write: the caller says why
        # bz2 says "Invalid data stream" for bytes that are not what the method says.
        raise ZipRefused(f"damaged: {info.filename!r}: {_one_line(exc)}") from None
    return done


def extract_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, out: IO[bytes], limits: ZipLimits, before: int
) -> int:
    """Unpack one member into `out` within `limits`; `before`: what earlier members unpacked.
    Returns the bytes written."""
    return _stream(zf, info, limits, before, out)


def check_bytes(data: bytes, limits: ZipLimits) -> None:
    """`check_archive` for an archive held in memory."""
    check_archive(io.BytesIO(data), limits)


def check_file(path: str | Path, limits: ZipLimits) -> None:
    """`check_archive` for an archive on disk."""
    with open(path, "rb") as fh:
        check_archive(fh, limits)


def _one_line(exc: object) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


__all__ = [
    "DOCX_LIMITS",
    "ZipLimits",
    "ZipRefused",
    "check_archive",
    "check_bytes",
    "check_file",
    "end_record",
    "extract_member",
    "open_archive",
]
