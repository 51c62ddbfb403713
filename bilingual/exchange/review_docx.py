"""The review handout's way back: `bilingual import handout.docx PROJECT.json`.

`bilingual export --for review -o handout.docx` writes one table row per block: §N, status,
Chinese, English, comment. The §N cell also holds, as hidden text, the block id and fingerprints
of the English and the comment as exported; the document properties name the handout and the
project. Reading the edited file back gives the units an XLIFF import merges (bilingual.exchange.xliff:
the same three-way merge, conflicts, dry run and memory), comments included.

A DOCX that is not a review handout, belongs to another project, or whose table was broken
(cells merged or deleted, a row without its hidden id) raises ReviewDocxError and changes nothing.
Hidden text, bookmarks-free: LibreOffice and Word both keep hidden runs and core properties when
they save, which is what a reviewer's round trip goes through.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bilingual.document import EN_LABEL, ZH_LABEL, Article, Block
from bilingual.errors import ReviewDocxError
from bilingual.exchange.xliff import (
    TOOL_ID,
    MergeReport,
    Unit,
    XliffDocument,
    fingerprint,
    import_units,
)

if TYPE_CHECKING:
    from bilingual.memory import Memory

REVIEW_CATEGORY = "bilingual review handout"  # core property `category` of every review DOCX
HEADERS = ("§", "Status", ZH_LABEL, EN_LABEL, "Comment")
KEY_PREFIX = "bilingual:"
_KEY_RE = re.compile(r"bilingual:([A-Za-z0-9_-]+):([0-9a-f]{16}|-):([0-9a-f]{16}|-)")
_EXPORT_HINT = "write one with: bilingual export PROJECT.json --for review -o FILE.docx"


def project_key(article: Article) -> str:
    """A short name for the project the handout was made from (core property content_status)."""
    from bilingual.exchange.xliff import article_key

    digest = hashlib.sha256(article_key(article).encode("utf-8")).hexdigest()[:16]
    return f"bilingual-project {digest}"


def hidden_key(block: Block) -> str:
    """What the §N cell hides: the block id and the English and comment as exported."""
    return f"{KEY_PREFIX}{block.id}:{fingerprint(block.en)}:{fingerprint(comment_of(block))}"


def comment_of(block: Block) -> str | None:
    """The block's reviewer comment (the one place that knows where comments live)."""
    return block.comment if block.comment and block.comment.strip() else None


def import_review_docx(
    docx_path: str | Path,
    project_path: str | Path,
    *,
    memory: Memory | None = None,
    dry_run: bool = False,
) -> MergeReport:
    """Merge an edited review handout into a project file, as `import_xliff` merges XLIFF."""
    return import_units(
        docx_path,
        project_path,
        read_review_docx,
        error=ReviewDocxError,
        what="review handout",
        memory=memory,
        dry_run=dry_run,
    )


def read_review_docx(data: bytes, name: str, article: Article) -> XliffDocument:
    """The units of a review handout made from `article`'s project; ReviewDocxError if it is
    not one, is another project's, or its table is broken."""
    doc = _open(data, name)
    props = doc.core_properties
    table = _review_table(doc)
    if props.category != REVIEW_CATEGORY and table is None:
        raise ReviewDocxError(f"{name}: not a bilingual review handout ({_EXPORT_HINT})")
    if props.content_status and props.content_status != project_key(article):
        raise ReviewDocxError(
            f"{name}: a review handout of another project; nothing changed "
            f"(this project's title: {article.title or 'untitled'})"
        )
    if table is None:
        raise ReviewDocxError(
            f"{name}: its review table is missing or its header row (§ | Status | 中文 | English "
            "| Comment) was changed; nothing changed"
        )
    units = [_unit(row, n, name) for n, row in enumerate(table.rows[1:], start=1)]
    if not units:
        raise ReviewDocxError(f"{name}: its review table has no rows; nothing changed")
    return XliffDocument(units, originals=[], tools={TOOL_ID})


def _open(data: bytes, name: str) -> Any:
    from bilingual.readers.docx import open_docx

    return open_docx(data, ReviewDocxError, f"{name}: ")


def _review_table(doc: Any) -> Any:
    for table in doc.tables:
        tr = table._tbl.tr_lst
        if not tr:
            continue
        header = tuple(" ".join(tc_text(tc).split()) for tc in tr[0].tc_lst)
        if header == HEADERS:
            return table
    return None


def tc_text(tc: Any) -> str:
    """A table cell's text: its paragraphs joined by line breaks, hidden runs included."""
    from docx.oxml.ns import qn

    paragraphs = []
    for p in tc.iter(qn("w:p")):
        parts = []
        for el in p.iter(qn("w:t"), qn("w:br"), qn("w:tab")):
            parts.append(
                el.text or "" if el.tag == qn("w:t") else "\n" if el.tag == qn("w:br") else "\t"
            )
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs)


def _unit(row: Any, n: int, name: str) -> Unit:
    from docx.oxml.ns import qn

    tcs = row._tr.tc_lst
    first = _KEY_RE.sub("", tc_text(tcs[0])).strip() if tcs else ""
    where = f"row {first}" if first else f"table row {n}"
    if len(tcs) != len(HEADERS) or any(tc.find(f".//{qn('w:vMerge')}") is not None for tc in tcs):
        raise ReviewDocxError(
            f"{name}: its review table is broken ({where} has {len(tcs)} cells, not "
            f"{len(HEADERS)}, or merged ones); nothing changed"
        )
    num, status, zh, en, comment = (tc_text(tc) for tc in tcs)
    key = _KEY_RE.search(num)
    if key is None:
        raise ReviewDocxError(
            f"{name}: {where} of its review table lost its hidden paragraph id (added or pasted "
            "rows cannot be matched); nothing changed"
        )
    block_id, base, comment_base = key.groups()
    comment = comment.strip()
    return Unit(
        id=block_id,
        source=zh,
        target=en if en.strip() else None,
        state=None,
        # The reviewer's confirmation: "approved" in the Status cell. English corrected without
        # it comes back as a draft (bilingual.exchange.xliff: draft and confirmed).
        approved=status.strip().lower().startswith("approved"),
        base=base,
        # A comment the handout carried unchanged is not news: the project's may be newer.
        comment=comment if comment and fingerprint(comment) != comment_base else None,
    )
