"""Readers: any supported input (path or stream) to an Article.

`read_article` loads the bytes, rejects what is not a document, decodes the text, detects the
format from the content (the extension only breaks ties) and hands it to the format's parser.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import BinaryIO

from bilingual.document import Article
from bilingual.errors import InputError, ProjectError, UnsupportedInput
from bilingual.fsutil import read_bytes
from bilingual.readers.build import finish
from bilingual.readers.decode import decode_bytes
from bilingual.readers.draft import Draft

MAX_INPUT_BYTES = 50 * 1024 * 1024


class Format(str, Enum):
    SCRAPED = "scraped"  # markdown title link + raw HTML, as the seed
    HTML = "html"
    MARKDOWN = "markdown"
    TEXT = "text"
    DOCX = "docx"


_EXTENSIONS = {
    ".html": Format.HTML, ".htm": Format.HTML, ".xhtml": Format.HTML,
    ".md": Format.MARKDOWN, ".markdown": Format.MARKDOWN,
    ".txt": Format.TEXT, ".text": Format.TEXT,
    ".docx": Format.DOCX,
}  # fmt: skip

# Magic numbers of things people pass by mistake, with what to tell them.
_UNSUPPORTED_MAGIC = (
    (b"%PDF-", "PDF is not supported: save the article as HTML, text or DOCX"),
    (b"\xd0\xcf\x11\xe0", "legacy .doc/.xls files are not supported: save as .docx"),
    (b"{\\rtf", "RTF is not supported: save the article as DOCX or text"),
    (b"\x89PNG", "images are not supported: bilingual reads text, not pictures"),
    (b"\xff\xd8\xff", "images are not supported: bilingual reads text, not pictures"),
    (b"GIF8", "images are not supported: bilingual reads text, not pictures"),
    (b"\x1f\x8b", "compressed (gzip) files are not supported: decompress first"),
    (b"Rar!", "archives are not supported: extract the article first"),
    (b"7z\xbc\xaf", "archives are not supported: extract the article first"),
)


def load_bytes(source: str | Path, stdin: BinaryIO | None = None) -> tuple[bytes, str]:
    """Read the input's bytes; `-` reads `stdin`. Returns (data, display name)."""
    if str(source) == "-":
        stream = stdin if stdin is not None else _stdin()
        data = stream.read(MAX_INPUT_BYTES + 1)
        name = "<stdin>"
    else:
        path = Path(source)
        name = str(path)
        if path.is_file() and path.stat().st_size > MAX_INPUT_BYTES:
            raise InputError(f"{name}: larger than {MAX_INPUT_BYTES // 2**20} MB: not an article")
        data = read_bytes(path, InputError)
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{name}: larger than {MAX_INPUT_BYTES // 2**20} MB: not an article")
    if not data.strip():
        raise InputError(f"{name}: empty input")
    return data, name


def _stdin() -> BinaryIO:
    import sys

    return sys.stdin.buffer


def _is_docx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    import zipfile  # only for what starts like a ZIP: not on every parse

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "word/document.xml" in zf.namelist()
    except zipfile.BadZipFile:
        return False
    except (NotImplementedError, ValueError, EOFError, OSError) as exc:
        # A central directory that points before the file ("negative seek value") or asks for
        # a zip version from the future: zipfile says so with other exceptions than BadZipFile.
        raise UnsupportedInput(f"a damaged ZIP archive that cannot be opened ({exc})") from None


def sniff_binary(data: bytes) -> Format | None:
    """DOCX by content; raise for known non-text formats. None means: text, decode it."""
    if _is_docx(data):
        return Format.DOCX
    if data.startswith(b"PK\x03\x04"):
        raise UnsupportedInput("a ZIP archive that is not a DOCX document (EPUB, ODT, XLSX...)")
    for magic, message in _UNSUPPORTED_MAGIC:
        if data.startswith(magic):
            raise UnsupportedInput(message)
    return None


_HTML_START = re.compile(
    r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_TAG = re.compile(r"</?(?:p|div|br|span|a|strong|b|em|h[1-6]|article|section|li|img)\b[^>]*>", re.I)
_MD_LINK_TITLE = re.compile(r"^\s*(?:#{1,6}\s*)?\[[^\]\n]+\]\([^)\s]+\)\s*$", re.M)
_MD_MARKERS = re.compile(
    r"^(?:#{1,6}\s+\S|>\s|[-*+]\s+\S|\d+\.\s+\S|```|\*\*\S)|\[[^\]]+\]\([^)]+\)", re.M
)


# YAML front matter: a Jekyll/Hugo post, Markdown whatever markup its body holds.
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?:[\w-]+[ \t]*:.*\r?\n)+---[ \t]*\r?\n")


def sniff_text(text: str, suffix: str = "") -> Format:
    head = text[:20000]
    tags = len(_TAG.findall(head))
    if _HTML_START.match(head):
        return Format.HTML
    if _FRONT_MATTER.match(head):
        return Format.MARKDOWN
    if _MD_LINK_TITLE.search(head[:2000]) and tags >= 2:
        return Format.SCRAPED
    if tags >= 3 and tags * 40 > len(head.strip().splitlines()):
        return Format.SCRAPED if _MD_MARKERS.search(head) else Format.HTML
    hint = _EXTENSIONS.get(suffix.lower())
    if hint in (Format.MARKDOWN, Format.HTML):
        return hint
    if len(_MD_MARKERS.findall(head)) >= 2 or re.search(r"^#{1,6}\s+\S", head, re.M):
        return Format.MARKDOWN
    return Format.TEXT


def read_article(
    source: str | Path,
    *,
    fmt: Format | str | None = None,
    encoding: str | None = None,
    stdin: BinaryIO | None = None,
    keep_all: bool = False,
) -> Article:
    """Read any supported input into an Article; raises a BilingualError subclass otherwise.

    Page furniture is set apart into `Article.dropped`; `keep_all` keeps it in the article."""
    data, name = load_bytes(source, stdin)
    forced = Format(fmt) if fmt else None
    return parse_bytes(data, name=name, fmt=forced, encoding=encoding, keep_all=keep_all)


ARTICLE_SUFFIXES = (*_EXTENSIONS, ".json")


@dataclass(frozen=True)
class Inputs:
    """What a list of inputs named, once each directory is replaced by the files in it."""

    sources: list[str]  # the files to read, in order (a directory's sorted)
    dirs: tuple[Path, ...]  # the directories that were read (their outputs go to a directory)
    ignored: list[Path]  # files in those directories that are not of a kind read there


def expand_inputs(
    sources: Sequence[str | Path],
    suffixes: tuple[str, ...] = ARTICLE_SUFFIXES,
    kinds: str = "article files (.txt, .md, .html, .docx, .json)",
) -> Inputs:
    """Inputs with each directory replaced by its files whose extension is one of `suffixes`
    (sorted; hidden files left alone). A directory with none of them raises InputError, which
    names the `kinds` of file it looked for."""
    out: list[str] = []
    dirs: list[Path] = []
    ignored: list[Path] = []
    for source in sources:
        path = Path(source)
        if str(source) != "-" and path.is_dir():
            dirs.append(path)
            files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
            found = [str(p) for p in files if p.suffix.lower() in suffixes]
            ignored.extend(p for p in files if p.suffix.lower() not in suffixes)
            if not found:
                raise InputError(f"{path}: no {kinds} in this directory")
            out.extend(found)
        else:
            out.append(str(source))
    return Inputs(out, tuple(dirs), ignored)


@dataclass(frozen=True)
class Loaded:
    """The articles a batch of inputs gave, each with its input, and the inputs that were not
    articles, each with the one-line reason."""

    articles: list[tuple[str, Article]]
    skipped: list[tuple[str, str]]


def load_inputs(
    sources: Sequence[str | Path],
    *,
    fmt: Format | str | None = None,
    encoding: str | None = None,
    stdin: BinaryIO | None = None,
    keep_all: bool = False,
    skip_unreadable: bool = False,
) -> Loaded:
    """Articles from article files, stdin, or bilingual project files (which keep their work).

    An input that cannot be read raises, unless `skip_unreadable`: then it is set aside with
    the reason, and the others are still read."""
    articles: list[tuple[str, Article]] = []
    skipped: list[tuple[str, str]] = []
    for source in sources:
        try:
            if fmt is None and _is_project_file(source):
                article = Article.load(source)
            else:
                article = read_article(
                    source, fmt=fmt, encoding=encoding, stdin=stdin, keep_all=keep_all
                )
        except (InputError, ProjectError) as exc:
            if not skip_unreadable:
                raise
            reason = str(exc)
            for name in (f"{source}: ", "<stdin>: "):
                reason = reason.removeprefix(name)
            skipped.append((str(source), reason))
            continue
        articles.append((str(source), article))
    return Loaded(articles, skipped)


def _is_project_file(source: str | Path) -> bool:
    path = Path(source)
    if str(source) == "-" or path.suffix.lower() != ".json" or not path.is_file():
        return False
    with path.open("rb") as fh:
        return _is_project_head(fh.read(4096))


def _is_json(data: bytes) -> bool:
    """Whether `data` is a JSON object or array (UTF-8, as JSON files are written)."""
    import json

    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")):
        return False
    try:
        json.loads(data.removeprefix(b"\xef\xbb\xbf"))
    except (ValueError, RecursionError):
        return False
    return True


def _is_project_head(head: bytes) -> bool:
    return b'"schema_version"' in head[:4096] and head.lstrip().startswith(b"{")


def parse_input(
    data: bytes,
    name: str,
    *,
    fmt: Format | str | None = None,
    encoding: str | None = None,
    keep_all: bool = False,
) -> Article:
    """What `load_inputs` makes of one input, from its bytes (read elsewhere: a cluster's
    workers parse what the driver read): a project file named *.json is loaded as one, any
    other input is read as an article."""
    if fmt is None and name.lower().endswith(".json") and _is_project_head(data):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise ProjectError(f"{name}: not a project file (not UTF-8 JSON)") from None
        try:
            return Article.from_json(text)
        except ProjectError as exc:
            raise ProjectError(f"{name}: {exc}") from None
    forced = Format(fmt) if fmt else None
    return parse_bytes(data, name=name, fmt=forced, encoding=encoding, keep_all=keep_all)


def parse_bytes(
    data: bytes,
    *,
    name: str = "<input>",
    fmt: Format | None = None,
    encoding: str | None = None,
    keep_all: bool = False,
) -> Article:
    try:
        detected = sniff_binary(data) if fmt in (None, Format.DOCX) else None
    except InputError as exc:  # "PDF is not supported": say which file, as every error does
        raise type(exc)(f"{name}: {exc}") from None
    if fmt is Format.DOCX and detected is not Format.DOCX:
        raise UnsupportedInput(f"{name}: not a DOCX document")
    if fmt is None and detected is None and name.lower().endswith(".json") and _is_json(data):
        # A .json input is a project file; JSON data of any other kind (a scraper's record, a
        # benchmark's expectations) is not an article, though its strings may be Chinese.
        raise UnsupportedInput(
            f"{name}: JSON that is not a bilingual project file (give the article itself, "
            "or --from text to read it as text)"
        )
    fmt = fmt or detected
    if fmt is Format.DOCX:
        from bilingual.readers.docx import parse_docx

        try:
            return finish(
                parse_docx(data), fmt=fmt.value, encoding=None, name=name, keep_all=keep_all
            )
        except InputError as exc:
            raise type(exc)(f"{name}: {exc}") from None
    try:
        text, used = decode_bytes(data, encoding)
    except InputError as exc:
        raise type(exc)(f"{name}: {exc}") from None
    text = text.lstrip("\ufeff")
    if fmt is None:
        fmt = sniff_text(text, Path(name).suffix)
    draft = _parse_text(text, fmt)
    try:
        return finish(draft, fmt=fmt.value, encoding=used, name=name, keep_all=keep_all)
    except InputError as exc:
        raise type(exc)(f"{name}: {exc}") from None


def _parse_text(text: str, fmt: Format) -> Draft:
    if fmt in (Format.SCRAPED, Format.MARKDOWN):
        from bilingual.readers.markdown import parse_markdown

        return parse_markdown(text)
    if fmt is Format.HTML:
        from bilingual.readers.html import parse_html

        return parse_html(text)
    from bilingual.readers.text import parse_text

    return parse_text(text)


__all__ = [
    "Format",
    "Inputs",
    "Loaded",
    "expand_inputs",
    "load_bytes",
    "load_inputs",
    "parse_bytes",
    "parse_input",
    "read_article",
    "sniff_text",
]
