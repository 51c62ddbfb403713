"""Hand-made zip archives for the archive limits' tests and the fuzz harness: bombs (a member that
unpacks to far more than it takes), members with another compression method, many members.

The bomb is built without compressing its gigabyte: deflate output after a full flush is
independent of what came before, so one compressed 16 MB run of the same bytes is repeated as
often as needed, and the CRC is computed over the repeats (what a real archiver would write).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

_RUN = 16 << 20


def docx_parts(paragraphs: list[str] | None = None) -> list[tuple[str, bytes]]:
    """The members of a small genuine DOCX (python-docx's), in order."""
    import docx

    document = docx.Document()
    for text in paragraphs or ["哈萨克斯坦总统托卡耶夫发表讲话。", "他说局势已经稳定。"]:
        document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    with zipfile.ZipFile(buf) as zf:
        return [(info.filename, zf.read(info)) for info in zf.infolist()]


def _deflate(data: bytes, final: bool) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


def write_zip(members: list[tuple], path: Path) -> Path:
    """A zip of (name, method, crc, unpacked size, compressed bytes[, flags]) members, written
    by hand (so any method, flag or size can be said)."""
    path.write_bytes(zip_bytes(members))
    return path


def zip_bytes(members: list[tuple]) -> bytes:
    """The bytes `write_zip` writes."""
    out = io.BytesIO()
    central = io.BytesIO()
    for name, method, crc, size, data, *extra in members:
        flags = 0x800 | (extra[0] if extra else 0)
        raw = name.encode("utf-8")
        offset = out.tell()
        dos = (0, (1 << 5) | 1)  # 00:00, 1980-01-01
        size = min(size, 2**32 - 1)
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, method, *dos, crc,
                              len(data), size, len(raw), 0))  # fmt: skip
        out.write(raw)
        out.write(data)
        central.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, method, *dos,
                                  crc, len(data), size, len(raw), 0, 0, 0, 0, 0o644 << 16,
                                  offset))  # fmt: skip
        central.write(raw)
    cd = central.getvalue()
    start = out.tell()
    out.write(cd)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(cd),
                          start, 0))  # fmt: skip
    return out.getvalue()


def stored(name: str, data: bytes, method: int = zipfile.ZIP_DEFLATED) -> tuple:
    body = _deflate(data, True) if method == zipfile.ZIP_DEFLATED else data
    return (name, method, zlib.crc32(data), len(data), body)


def docx_bomb(
    path: Path, unpacked: int = 1 << 30, parts: list[tuple[str, bytes]] | None = None
) -> Path:
    """A genuine DOCX whose word/document.xml unpacks to about `unpacked` bytes (the same
    paragraph over and over), from about unpacked/1000 bytes: 1 GB from a 1 MB file."""
    members = []
    for name, data in parts or docx_parts():
        if name != "word/document.xml":
            members.append(stored(name, data))
            continue
        head, tail = data.split(b"<w:body>", 1)
        head += b"<w:body>"
        paragraph = "<w:p><w:r><w:t>{}</w:t></w:r></w:p>".format("中" * (1 << 20)).encode()
        run = paragraph * (_RUN // len(paragraph))
        block = _deflate(run, False)
        repeats = max(1, -(-unpacked // len(run)))
        crc = zlib.crc32(head)
        for _ in range(repeats):
            crc = zlib.crc32(run, crc)
        crc = zlib.crc32(tail, crc)
        body = _deflate(head, False) + block * repeats + _deflate(tail, True)
        members.append(
            (name, zipfile.ZIP_DEFLATED, crc, len(head) + repeats * len(run) + len(tail), body)
        )
    return write_zip(members, path)


def docx_with_method(path: Path, method: int, parts: list[tuple[str, bytes]] | None = None) -> Path:
    """A DOCX whose document part says it is compressed with `method` (e.g. 9, Deflate64;
    12, bzip2; 14, LZMA; 98, PPMd; 99, AES): what other archivers write."""
    members = []
    for name, data in parts or docx_parts():
        if name == "word/document.xml":
            name_, _, crc, size, body = stored(name, data)
            members.append((name_, method, crc, size, body))
        else:
            members.append(stored(name, data))
    return write_zip(members, path)
