"""What the review page shows and does, as plain data: no HTTP here.

`WebReview` wraps a `ReviewSession` and acts on blocks by id. Every change names the version of
the block the page started from (`Block.version`); when the block has moved on since (another
tab, another reviewer, an XLIFF import), the change is refused with `Stale`, which carries the
other version, so nothing is silently overwritten. When the project file changed on disk, it is
read again before anything is decided.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from bilingual.document import Block, section_label
from bilingual.errors import ReviewError
from bilingual.review.session import FLAG_TITLES, normalize_english

if TYPE_CHECKING:
    from bilingual.review.session import ReviewSession

ALTERNATIVES = 4
MAX_TEXT = 20_000  # characters: a paragraph's English or comment from the page


class Stale(ReviewError):
    """The block changed since the page read it; `current` is what it is now."""

    def __init__(self, current: dict[str, Any]) -> None:
        super().__init__("this paragraph was changed elsewhere since you opened it")
        self.current = current


class WebReview:
    """One project under review in the browser."""

    def __init__(self, session: ReviewSession) -> None:
        self.session = session
        self._lock = threading.Lock()
        self._proposals: dict[str, Block] = {}

    # Reading ---------------------------------------------------------------------------------
    def project(self) -> dict[str, Any]:
        with self._lock:
            self._fresh()
            article = self.session.article
            return {
                "title": _title(article.blocks),
                "source_url": article.source_url,
                "path": self.session.path.name,
                "progress": self._progress(),
                "blocks": [block_view(n, b) for n, b in article.numbered()],
                "engine": self.session.has_routes,
            }

    def glossary(self) -> list[dict[str, str]]:
        with self._lock:
            self._fresh()
            return [
                {"zh": e.zh, "en": e.en, "note": e.note, "origin": _origin(e.origin)}
                for e in self.session.document_glossary().values()
            ]

    # Changing --------------------------------------------------------------------------------
    def update(
        self,
        block_id: str,
        base: str,
        *,
        en: str | None = None,
        approve: bool = False,
        comment: str | None = None,
    ) -> dict[str, Any]:
        """Save a page's change to one block: new English, approval, and/or a comment."""
        for text in (en, comment):
            if text is not None and len(text) > MAX_TEXT:
                raise ReviewError(f"too long: at most {MAX_TEXT} characters")
        with self._lock:
            block = self._current(block_id, base)
            session = self.session
            changed = en is not None and normalize_english(en) != normalize_english(block.en or "")
            if changed and en is not None:
                session.edit(en)  # an edit, or an approval when only the spacing changed
            if approve and not block.status.reviewed:
                session.accept()
            if comment is not None:
                session.set_comment(comment)
            self._proposals.pop(block_id, None)
            return self._answer(block)

    def alternatives(self, block_id: str) -> dict[str, Any]:
        """The engine's n-best for one paragraph, each with what the checks would say of it."""
        with self._lock:
            self._fresh()
            block = self.session.select(block_id)
            options = self.session.alternatives(ALTERNATIVES)
            return {
                "block": self._view(block),
                "alternatives": [
                    {
                        "rank": i,
                        "en": option.text,
                        "score": option.score,
                        "confidence": option.confidence,
                        "flags": self._flags_for(option.text),
                    }
                    for i, option in enumerate(options, 1)
                ],
            }

    def propose(self, block_id: str) -> dict[str, Any]:
        """A retranslation of one paragraph with the current glossary, not saved yet."""
        with self._lock:
            self._fresh()
            block = self.session.select(block_id)
            proposal = self.session.propose_retranslation()
            self._proposals[block_id] = proposal
            return {
                "block": self._view(block),
                "proposal": {
                    "en": proposal.en,
                    "flags": [flag_view(f.code, f.message) for f in proposal.flags],
                    "score": proposal.score,
                },
            }

    def take(self, block_id: str, base: str, en: str) -> dict[str, Any]:
        """Accept the proposed retranslation the page showed (its text must match)."""
        with self._lock:
            block = self._current(block_id, base)
            proposal = self._proposals.get(block_id)
            if proposal is None or proposal.en != en:
                raise ReviewError("that retranslation is no longer on offer: ask for it again")
            self.session.take(proposal)
            del self._proposals[block_id]
            return self._answer(block)

    def add_term(self, zh: str, en: str, note: str = "") -> dict[str, Any]:
        """Add a glossary term to the project; returns the paragraphs whose Chinese holds it."""
        from bilingual.names.glossary import Entry

        zh, en = zh.strip(), " ".join(en.split())
        if not zh or not en:
            raise ReviewError("a term needs both its Chinese and its English")
        if len(zh) > 200 or len(en) > 200:
            raise ReviewError("a glossary term is at most 200 characters")
        with self._lock:
            self._fresh()
            self.session.add_term(Entry(zh, en, note.strip(), "added"))
            touched = [b.id for b in self.session.article.blocks if zh in b.zh]
            return {"touched": touched}

    # Inside ----------------------------------------------------------------------------------
    def _fresh(self) -> None:
        if self.session.changed_on_disk():
            self.session.reload()
            self._proposals.clear()

    def _current(self, block_id: str, base: str) -> Block:
        self._fresh()
        block = self.session.select(block_id)
        if block.version != base:
            raise Stale(self._view(block))
        return block

    def _answer(self, block: Block) -> dict[str, Any]:
        return {"block": self._view(block), "progress": self._progress()}

    def _view(self, block: Block) -> dict[str, Any]:
        return block_view(self.session.article.number(block), block)

    def _progress(self) -> dict[str, int]:
        body = self.session.article.body
        return {
            "paragraphs": len(body),
            "reviewed": sum(1 for b in body if b.status.reviewed),
            "flagged": sum(1 for b in body if b.flags),
        }

    def _flags_for(self, en: str) -> list[dict[str, str]]:
        return [flag_view(f.code, f.message) for f in self.session.flags_for(en)]


def flag_view(code: str, message: str) -> dict[str, str]:
    return {"code": code, "title": FLAG_TITLES.get(code, code), "message": message}


def block_view(number: int, block: Block) -> dict[str, Any]:
    """One row of the page: everything it shows of a block, as JSON-able data."""
    return {
        "id": block.id,
        "n": number,
        "label": section_label(number),
        "kind": block.kind.value,
        "zh": block.zh,
        "en": block.en,
        "mt": block.mt,
        "status": block.status.value,
        "flags": [flag_view(f.code, f.message) for f in block.flags],
        "score": block.score,
        "comment": block.comment,
        "version": block.version,
        # The pipeline's own alignment while the English is the machine's, else sentences paired
        # by count (a reviewer who kept the sentences as they were).
        "align": block.align or sentence_pairs(block.zh, block.en),
    }


def _title(blocks: list[Block]) -> dict[str, str | None] | None:
    for b in blocks:
        if b.kind.value == "title":
            return {"zh": b.zh, "en": b.en}
    return None


def _origin(origin: str) -> str:
    if origin in ("learned", "added"):
        return origin
    return "glossary file" if origin else ""


_EN_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=\S)")


@lru_cache(maxsize=4096)
def sentence_pairs(zh: str, en: str | None) -> tuple[tuple[int, int, int, int], ...]:
    """Which sentence of the English renders which sentence of the Chinese, as
    (zh_start, zh_end, en_start, en_end) character ranges; none when it cannot be told.

    The pipeline translates sentence by sentence (`split_sentences`), so the machine English
    has one sentence per Chinese sentence. When the English has as many sentences as the
    Chinese, they are paired in order; otherwise (a person merged or split sentences) no pairs
    are claimed. Cached: a page load asks for every paragraph's pairs.
    """
    from bilingual.translation.segment import split_sentences

    if not en:
        return ()
    zh_sentences = split_sentences(zh)
    if len(zh_sentences) < 2:
        return ()
    zh_ranges: list[tuple[int, int]] = []
    at = 0
    for sentence in zh_sentences:
        start = zh.find(sentence, at)
        if start < 0:
            return ()
        zh_ranges.append((start, start + len(sentence)))
        at = start + len(sentence)
    en_ranges: list[tuple[int, int]] = []
    start = len(en) - len(en.lstrip())
    for m in _EN_SENTENCE_END.finditer(en):
        end = m.start() + len(m.group(0).rstrip())
        en_ranges.append((start, end))
        start = m.end()
    en_ranges.append((start, len(en.rstrip())))
    if len(en_ranges) != len(zh_ranges):
        return ()
    return tuple((a, b, c, d) for (a, b), (c, d) in zip(zh_ranges, en_ranges, strict=True))


__all__ = ["FLAG_TITLES", "Stale", "WebReview", "block_view", "sentence_pairs"]
