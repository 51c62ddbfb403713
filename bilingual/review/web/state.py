"""What the review page shows and does, as plain data: no HTTP here.

`WebReview` wraps a `ReviewSession` and acts on blocks by id. Every change names the version of
the block the page started from (`Block.version`); when the block has moved on since (another
tab, another reviewer, an XLIFF import), the change is refused with `Stale`, which carries the
other version, so nothing is silently overwritten. When the project file changed on disk, it is
read again before anything is decided.
"""

from __future__ import annotations

import hashlib
import threading
from typing import TYPE_CHECKING, Any

from bilingual.document import Block, Flag, section_label
from bilingual.errors import ReviewError, Stale
from bilingual.review.session import normalize_english
from bilingual.translation.checks import flag_detail, flag_explanation, flag_title
from bilingual.translation.segment import sentence_pairs

if TYPE_CHECKING:
    from bilingual.memory import Match
    from bilingual.review.session import ReviewSession

ALTERNATIVES = 4
MATCHES = 5  # translation-memory matches shown per paragraph and per sentence
CONCORDANCE = 50
MAX_TEXT = 20_000  # characters: a paragraph's English or comment from the page


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
                "memory": self.session.memory is not None,
                # Names the project in the page's own storage (drafts kept in the browser).
                "key": hashlib.sha256(self.session.project.encode("utf-8")).hexdigest()[:16],
            }

    def matches(self, block_id: str) -> dict[str, Any]:
        """Translation-memory matches for one paragraph and for each of its sentences: earlier
        confirmed human translations of similar Chinese, with their similarity, best first."""
        from bilingual.translation.segment import split_sentences

        with self._lock:
            self._fresh()
            block = self.session.select(block_id)
            memory = self.session.memory
            sentences = split_sentences(block.zh)
            if len(sentences) < 2:
                sentences = []
            if memory is None:
                return {"memory": False, "paragraph": [], "sentences": []}
            found = memory.matches([block.zh, *sentences], limit=MATCHES)

            def view(text: str, matches: list[Match]) -> list[dict[str, Any]]:
                return [
                    _match_view(m)
                    for m in matches
                    # The paragraph's own confirmed English tells the reviewer nothing new.
                    if not (m.source == block.zh and m.target == block.en)
                ]

            return {
                "memory": True,
                "paragraph": view(block.zh, found[0]),
                "sentences": [
                    {"zh": s, "matches": view(s, m)}
                    for s, m in zip(sentences, found[1:], strict=True)
                ],
            }

    def concordance(self, term: str) -> dict[str, Any]:
        """Earlier human translations holding `term`, in their Chinese or their English."""
        term = " ".join(term.split())
        if len(term) > 200:
            raise ReviewError("search for at most 200 characters")
        with self._lock:
            memory = self.session.memory
            if memory is None:
                return {"memory": False, "term": term, "results": []}
            return {
                "memory": True,
                "term": term,
                "results": [_match_view(m) for m in memory.concordance(term, limit=CONCORDANCE)],
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
        """Save a page's change to one block: English, and/or a confirmation, and/or a comment.

        English without `approve` is a draft: kept, shown, not counted, not in the memory (an
        English equal to the block's own, or empty, removes the draft). With `approve` it is
        confirmed: edited (or approved, when it is the English as it was), and into the memory.
        `approve` alone confirms what the block shows: its draft, else its English.
        """
        for text in (en, comment):
            if text is not None and len(text) > MAX_TEXT:
                raise ReviewError(f"too long: at most {MAX_TEXT} characters")
        with self._lock:
            block = self._current(block_id, base)
            session = self.session
            if en is not None and approve and normalize_english(en):
                session.edit(en)  # an edit, or an approval when only the spacing changed
            elif en is not None:
                session.save_draft(en)
            elif approve:
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
                    "flags": [flag_view(f) for f in proposal.flags],
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
            "drafts": sum(1 for b in body if b.draft is not None),
        }

    def _flags_for(self, en: str) -> list[dict[str, str | None]]:
        return [flag_view(f) for f in self.session.flags_for(en)]


def _match_view(m: Match) -> dict[str, Any]:
    return {"zh": m.source, "en": m.target, "similarity": m.similarity, "sentence": m.sentence}


def flag_view(flag: Flag) -> dict[str, str | None]:
    """A flag as the page shows it: its title, what it is about, and what it means (a tooltip)."""
    return {
        "code": flag.code,
        "title": flag_title(flag.code),
        "detail": flag_detail(flag),
        "explain": flag_explanation(flag.code),
    }


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
        "flags": [flag_view(f) for f in block.flags],
        "score": block.score,
        "comment": block.comment,
        "draft": block.draft,
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


__all__ = ["WebReview", "block_view", "sentence_pairs"]
