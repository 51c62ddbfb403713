"""The review handout's way back: `bilingual import handout.docx PROJECT.json`.

`bilingual export --for review -o handout.docx` writes one table row per block: §N, status,
Chinese, English, comment. The §N cell also holds, as hidden text, the block id and fingerprints
of the English and the comment as exported; the document properties name the project. Reading
the edited file back gives the same units an XLIFF import merges (bilingual.xliff: the same
three-way merge, conflicts and dry run), plus the comments.

A DOCX that is not a review handout, belongs to another project, or whose table was broken
(cells merged or deleted, ids lost) raises ReviewDocxError and changes nothing.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from bilingual.document import Article, Block
from bilingual.writers.common import EN_LABEL, ZH_LABEL
from bilingual.xliff import article_key, fingerprint

if TYPE_CHECKING:
    pass

REVIEW_CATEGORY = "bilingual review handout"  # core property `category` of every review DOCX
HEADERS = ("§", "Status", ZH_LABEL, EN_LABEL, "Comment")
KEY_PREFIX = "bilingual:"


def project_key(article: Article) -> str:
    """A short name for the project the handout was made from (core property content_status)."""
    return "bilingual-project " + hashlib.sha256(article_key(article).encode()).hexdigest()[:16]


def hidden_key(block: Block) -> str:
    """What the §N cell hides: the block id and the English and comment as exported."""
    return f"{KEY_PREFIX}{block.id}:{fingerprint(block.en)}:{fingerprint(comment_of(block))}"


def comment_of(block: Block) -> str | None:
    """The block's comment. The one place that knows where comments live in the project."""
    value = getattr(block, "comment", None)
    return value if isinstance(value, str) and value.strip() else None
