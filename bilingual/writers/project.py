"""The project file itself (JSON), as an output format like the handouts."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bilingual.document import Article
    from bilingual.writers import HandoutOptions


def to_bytes(article: Article, options: HandoutOptions) -> bytes:
    return article.to_json().encode("utf-8")
