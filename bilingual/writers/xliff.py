"""The XLIFF 1.2 writer for the registry; the format itself (export and import) is bilingual.exchange.xliff."""

from __future__ import annotations

from bilingual.document import Article
from bilingual.writers import HandoutOptions


def to_bytes(article: Article, options: HandoutOptions) -> bytes:
    from bilingual.exchange.xliff import to_xliff

    return to_xliff(article)
