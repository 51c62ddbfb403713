"""DOCX documents through python-docx: styles say what a paragraph is."""

from __future__ import annotations

import io
import re
from typing import Any

from bilingual.document import Kind
from bilingual.errors import BilingualError, InputError
from bilingual.readers.draft import Draft
from bilingual.readers.markdown import _SOURCE_LINE

_SOURCE_LABEL = re.compile(r"^\s*(来源|來源|原文|原文链接|原文連結|出处|出處|source)\s*[:：]", re.I)


def open_docx(data: bytes, error: type[BilingualError] = InputError, prefix: str = "") -> Any:
    """python-docx's Document for the DOCX `data`, once the archive passed the DOCX limits
    (members, unpacked size, compression ratio: checked as it unpacks, before python-docx, which
    unpacks every part into memory, sees it). XML entities a part declares are expanded (python-
    docx would silently drop the text after each one); one that refers outside the file is
    refused. Raises `error` with `prefix` before the reason."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    from bilingual.errors import ZipRefused
    from bilingual.safezip import DOCX_LIMITS, check_bytes

    try:
        check_bytes(data, DOCX_LIMITS)
        data = _entities_expanded(data)
    except ZipRefused as exc:
        if exc.limit:
            raise error(f"{prefix}refused: {exc}") from None
        raise error(f"{prefix}not a readable DOCX file ({exc})") from None
    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise error(f"{prefix}not a readable DOCX file ({exc})") from None
    except Exception as exc:  # python-docx raises lxml and zipfile errors on damaged files
        raise error(f"{prefix}not a readable DOCX file (damaged: {type(exc).__name__})") from None


def _entities_expanded(data: bytes) -> bytes:
    """`data`, with the XML parts that declare entities (a DOCTYPE, which Word never writes)
    rewritten with their internal entities expanded; unchanged when no part declares any."""
    import zipfile

    from bilingual.errors import ZipRefused

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {
            info.filename: zf.read(info)
            for info in zf.infolist()
            if info.filename.endswith((".xml", ".rels")) and _declares(zf, info)
        }
        if not parts:
            return data
        from lxml import etree

        # Internal entities only: an external one (a file or a URL) is an error, never read.
        parser = etree.XMLParser(resolve_entities="internal", no_network=True, load_dtd=False)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
            for info in zf.infolist():
                body = parts.get(info.filename)
                if body is None:
                    new.writestr(info, zf.read(info))
                    continue
                try:
                    root = etree.fromstring(body, parser)
                except etree.XMLSyntaxError as exc:
                    raise ZipRefused(f"{info.filename}: {exc}") from None
                new.writestr(
                    info.filename, etree.tostring(root, xml_declaration=True, encoding="UTF-8")
                )
    return out.getvalue()


def _declares(zf: Any, info: Any) -> bool:
    """Whether an XML part has a DOCTYPE (read in chunks: parts can be large)."""
    tail = b""
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            if b"<!DOCTYPE" in tail + chunk:
                return True
            tail = chunk[-8:]
    return False


def parse_docx(data: bytes) -> Draft:
    from docx.table import Table

    document = open_docx(data)
    draft = Draft()
    styles = _paragraph_styles(document)
    props = document.core_properties
    if props.title:
        draft.fallback_title = props.title
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            # A table in an article (figures, a timeline): one block per row, cells joined,
            # so its text is translated rather than silently lost.
            for row in item.rows:
                cells = list(dict.fromkeys(c.text.strip() for c in row.cells if c.text.strip()))
                if cells:
                    draft.add(Kind.PARAGRAPH, " | ".join(cells))
            continue
        text = item.text
        if not text.strip():
            continue
        if draft.source_url is None and (url := _source_link(item, text)):
            draft.source_url = url
            continue
        draft.add(_kind(item, styles), text, bold=_all_bold(item))
    return draft


def _source_link(paragraph: Any, text: str) -> str | None:
    """A "来源：<link>" / "Source: URL" line names the article's source."""
    m = _SOURCE_LINE.match(text)
    if m:
        return str(m["u1"] or m["u2"])
    if _SOURCE_LABEL.match(text):
        for link in getattr(paragraph, "hyperlinks", []):
            if link.url:
                return str(link.url)
    return None


def _paragraph_styles(document: Any) -> tuple[dict[str, str], str]:
    """Paragraph style names by id, and the default one, read once: python-docx resolves a
    paragraph's style by scanning every style in the document (twice per paragraph through
    `paragraph.style`), which took a minute on a 40,000-paragraph file."""
    from docx.enum.style import WD_STYLE_TYPE

    names: dict[str, str] = {}
    for style in document.styles:
        if style.type == WD_STYLE_TYPE.PARAGRAPH and style.style_id:
            names[style.style_id] = style.name or ""
    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    return names, (default.name or "") if default is not None else ""


def _kind(paragraph: Any, styles: tuple[dict[str, str], str]) -> Kind:
    names, default = styles
    style = names.get(paragraph._p.style, default)
    name = style.lower()
    if name == "title" or name == "heading 1":
        return Kind.TITLE
    if name.startswith("heading") or name == "subtitle":
        return Kind.HEADING
    if "quote" in name:
        return Kind.QUOTE
    if name == "caption":
        return Kind.CAPTION
    return Kind.PARAGRAPH


def _all_bold(paragraph: Any) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]
    return bool(runs) and all(r.bold for r in runs)
