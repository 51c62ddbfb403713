"""Reviewing a project paragraph by paragraph: navigation, actions, and saving that loses nothing.

A `ReviewSession` holds one project file open. Every action (accept, edit, choose an alternative,
retranslate, keep a draft) changes one block and saves the whole project at once, atomically
(temporary file, fsync, rename; the previous version is kept as `PROJECT~`).

Draft and confirmed, as CAT tools have them: English a reviewer typed and left is a *draft*
(`save_draft`): kept in the project and shown as a draft, but the block's English and status do
not change, it is not counted as reviewed and it never enters the memory. Only a confirmation
(`edit`, `accept`, `choose`) makes a block edited or approved, and only a confirmation goes into
the translation memory as a whole-paragraph human translation (with this project and the time),
so a later `bilingual translate` of the same text returns it instead of machine output.

The engine is reached only when alternatives or a retranslation are asked for, through a route
function the caller supplies (the CLI plans Argos routes; tests pass a fake engine).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bilingual.document import Article, Block, Flag, Status
from bilingual.errors import ModelNotInstalled, ProjectChanged, ReviewError
from bilingual.fsutil import clean_orphans
from bilingual.projectfile import save_project

if TYPE_CHECKING:
    from bilingual.memory import Memory
    from bilingual.names.glossary import Entry, Glossary
    from bilingual.translation.pipeline import Alternative
    from bilingual.translation.run import Route

RouteFor = Callable[[Article], "Route"]


def normalize_english(text: str) -> str:
    """A paragraph as one line: runs of whitespace (an editor's line wraps) become one space."""
    return " ".join(text.split())


def review_order(article: Article, *, flagged: bool = False) -> list[int]:
    """Indices of the blocks in visiting order.

    Document order; with `flagged`, flagged blocks first, lowest model score first (blocks
    without a score after those with one), then the others in document order.
    """
    indices = list(range(len(article.blocks)))
    if not flagged:
        return indices
    blocks = article.blocks
    marked = [i for i in indices if blocks[i].flags]
    marked.sort(key=lambda i: (blocks[i].score is None, blocks[i].score or 0.0, i))
    return marked + [i for i in indices if not blocks[i].flags]


@dataclass(frozen=True)
class _Stamp:
    """What the project file looked like when last read or written by this session."""

    mtime_ns: int
    size: int

    @classmethod
    def of(cls, path: Path) -> _Stamp | None:
        try:
            st = path.stat()
        except FileNotFoundError:
            return None
        return cls(st.st_mtime_ns, st.st_size)


@dataclass
class _Saved:
    en: str | None
    status: Status
    flags: list[Flag]
    score: float | None
    mt: str | None
    align: list[tuple[int, int, int, int]]
    draft: str | None

    @classmethod
    def of(cls, block: Block) -> _Saved:
        return cls(
            block.en,
            block.status,
            list(block.flags),
            block.score,
            block.mt,
            block.align,
            block.draft,
        )

    def restore(self, block: Block) -> None:
        block.en, block.status, block.flags, block.score, block.mt, block.align, block.draft = (
            self.en,
            self.status,
            self.flags,
            self.score,
            self.mt,
            self.align,
            self.draft,
        )


class ReviewSession:
    """One project file under review: a position in a visiting order, and actions on it."""

    def __init__(
        self,
        project: str | Path,
        *,
        memory: Memory | None = None,
        routes: RouteFor | None = None,
        glossary: Glossary | None = None,
        flagged: bool = False,
    ) -> None:
        self.path = Path(project)
        self.article = Article.load(self.path)
        self._stamp = _Stamp.of(self.path)
        # The temp files of a save killed midway (kill -9, a power cut) go now, not at the
        # first save of this session.
        clean_orphans(self.path)
        self.memory = memory
        self.glossary = glossary
        self._routes = routes
        self.order = review_order(self.article, flagged=flagged)
        self._sections = [n for n, _ in self.article.numbered()]
        self._doc_glossary: Glossary | None = None
        if not self.order:
            raise ReviewError(f"{self.path}: the project has no paragraphs to review")
        self.index = self.first_unreviewed()
        #: What this session did: "approved", "edited", "retranslated", "drafted".
        self.done: Counter[str] = Counter()

    # Position ------------------------------------------------------------------------------
    @property
    def total(self) -> int:
        return len(self.order)

    @property
    def number(self) -> int:
        """The 1-based position in the visiting order, as shown ("7/22")."""
        return self.index + 1

    @property
    def block(self) -> Block:
        return self.article.blocks[self.order[self.index]]

    @property
    def section(self) -> int:
        """The handout number §N of the current block (0 for the title)."""
        return self._sections[self.order[self.index]]

    def first_unreviewed(self) -> int:
        """Where to resume: the first block in visiting order not yet reviewed (else the first)."""
        for i, b in enumerate(self.order):
            if not self.article.blocks[b].status.reviewed:
                return i
        return 0

    def next(self) -> bool:
        """Move on one block; False (and stay) at the end."""
        if self.index + 1 >= self.total:
            return False
        self.index += 1
        return True

    def previous(self) -> bool:
        if self.index == 0:
            return False
        self.index -= 1
        return True

    def jump(self, number: int) -> None:
        if not 1 <= number <= self.total:
            raise ReviewError(f"no paragraph {number}: choose 1 to {self.total}")
        self.index = number - 1

    def go_to(self, section: int) -> None:
        """Make the block with handout number §`section` current (0: the title)."""
        for i, b in enumerate(self.order):
            if self._sections[b] == section:
                self.index = i
                return
        last = self.paragraphs
        title = " (0 for the title)" if self.article.title is not None else ""
        raise ReviewError(f"no §{section}: choose 1 to {last}{title}")

    @property
    def paragraphs(self) -> int:
        """How many paragraphs the handout numbers (the title is not one)."""
        return len(self.article.body)

    @property
    def reviewed(self) -> int:
        """Paragraphs (the title aside) a person edited or approved."""
        return sum(1 for b in self.article.body if b.status.reviewed)

    @property
    def remaining(self) -> int:
        return self.paragraphs - self.reviewed

    # Actions -------------------------------------------------------------------------------
    @property
    def drafts(self) -> int:
        """Paragraphs (the title aside) holding a draft not confirmed yet."""
        return sum(1 for b in self.article.body if b.draft is not None)

    @property
    def project(self) -> str:
        """What the memory records as the project of a confirmed translation."""
        return str(self.path.resolve())

    # Actions -------------------------------------------------------------------------------
    def save_draft(self, text: str) -> bool:
        """Keep `text` as the current block's draft (saved, not confirmed); True if it changed.

        A text that is empty or the block's English itself removes the draft.
        """
        block = self.block
        typed = normalize_english(text)
        same = block.en is not None and typed == normalize_english(block.en)
        new = None if not typed or same else typed
        if new == block.draft:
            return False
        old = block.draft
        block.draft = new
        try:
            self.save()
        except BaseException:
            block.draft = old
            raise
        if new is not None:
            self.done["drafted"] += 1
        return True

    def accept(self) -> bool:
        """Confirm what the block shows: its draft if it has one (edited), else its English as
        it is (approved). True if anything changed.

        A block a person already edited or approved, with no draft, stays as it is.
        """
        block = self.block
        if block.draft is not None:
            return self.edit(block.draft) is not None
        if block.en is None or not block.en.strip():
            raise ReviewError("nothing to accept: this paragraph has no English yet (edit it)")
        if block.status.reviewed:
            return False
        self._apply(block, block.en, Status.APPROVED, keep_score=True)
        self.done["approved"] += 1
        return True

    def edit(self, text: str) -> Status | None:
        """Confirm a person's text as the English (edited), or approve it if unchanged; any
        draft goes (it was confirmed or replaced).

        Returns the new status, or None when nothing changed (an empty text, or the same text
        on a block already reviewed).
        """
        block = self.block
        new = normalize_english(text)
        if not new:
            return None
        if block.en is not None and new == normalize_english(block.en):
            if block.status.reviewed:
                if block.draft is not None:
                    self.save_draft("")  # confirmed what was there: the draft is done with
                return None
            self._apply(block, block.en, Status.APPROVED, keep_score=True)
            self.done["approved"] += 1
            return Status.APPROVED
        self._apply(block, new, Status.EDITED, keep_score=False)
        self.done["edited"] += 1
        return Status.EDITED

    def set_comment(self, text: str) -> bool:
        """Set the reviewer's comment on the current block (an empty text removes it).

        True if it changed; saved at once like every action.
        """
        block = self.block
        new = text.strip() or None
        if new == block.comment:
            return False
        old = block.comment
        block.comment = new
        try:
            self.save()
        except BaseException:
            block.comment = old
            raise
        return True

    def choose(self, alternative: str) -> Status | None:
        """Take one of the engine's alternatives: a person's choice, so it counts as an edit."""
        return self.edit(alternative)

    def alternatives(self, n: int = 4) -> list[Alternative]:
        """Up to n distinct English versions of the current paragraph from the engine, best first,
        each with the model's score."""
        route = self._route()
        return paragraph_alternatives(self.article, self.block, route, n=n, glossary=self.glossary)

    def retranslate(self) -> Block:
        """Translate the current paragraph again with the current glossary (status machine).

        The translation memory's human entries are bypassed on purpose: this asks the engine.
        """
        return self.take(self.propose_retranslation())

    def propose_retranslation(self) -> Block:
        """What a retranslation of the current paragraph would give (a copy; nothing is saved)."""
        from dataclasses import replace

        from bilingual.translation.pipeline import recorded_order, translate_blocks

        route = self._route()
        block = self.block
        # Translated with the whole article around it: the glossary learned from the document,
        # names as they were sent when it was translated, short forms after a first mention.
        (new,) = translate_blocks(
            self.article,
            [self.order[self.index]],
            route,
            glossary=self.glossary,
            strategies=recorded_order(self.article),
        )
        if not new.en:
            raise ReviewError("the engine returned no translation for this paragraph")
        return replace(
            block,
            en=new.en,
            status=Status.MACHINE,
            flags=list(new.flags),
            score=new.score,
            align=list(new.align),
            draft=None,
        )

    def take(self, proposal: Block) -> Block:
        """Replace the current paragraph's English with a machine `proposal` (status machine)."""
        block = self.block
        saved = _Saved.of(block)
        block.en, block.status, block.flags, block.score, block.mt, block.align = (
            proposal.en,
            Status.MACHINE,
            list(proposal.flags),
            proposal.score,
            None,
            list(proposal.align),
        )
        block.draft = None  # the reviewer chose the machine's new English over it
        try:
            self.save()
        except BaseException:
            saved.restore(block)
            raise
        if self.memory is not None and saved.status.reviewed:
            # The reviewer discarded their version: a later translate must not bring it back.
            self.memory.forget_human(block.zh)
        self.done["retranslated"] += 1
        return block

    # Saving --------------------------------------------------------------------------------
    def save(self) -> None:
        """Write the project atomically, keeping the previous version as `PROJECT~`.

        Refuses when the file changed on disk since this session read or wrote it (another
        process, e.g. an XLIFF import), rather than overwrite that work.
        """
        current = _Stamp.of(self.path)
        if current != self._stamp:
            raise ProjectChanged(
                f"{self.path}: changed on disk while under review; nothing was saved. "
                "Start the review again to see the new version."
            )
        save_project(self.article, self.path, sound=True)  # read or written here, unchanged
        self._stamp = _Stamp.of(self.path)

    def changed_on_disk(self) -> bool:
        """Whether the project file changed since this session last read or wrote it."""
        return _Stamp.of(self.path) != self._stamp

    def reload(self) -> None:
        """Read the project file again (after another process wrote it), keeping the position."""
        current = self.block.id
        self.article = Article.load(self.path)
        self._stamp = _Stamp.of(self.path)
        self.order = review_order(self.article, flagged=False)
        self._sections = [n for n, _ in self.article.numbered()]
        self._doc_glossary = None
        self.select(current)

    def select(self, block_id: str) -> Block:
        """Make the block with id `block_id` current (a page acts on blocks by id)."""
        for i, b in enumerate(self.order):
            if self.article.blocks[b].id == block_id:
                self.index = i
                return self.block
        raise ReviewError(f"no paragraph with id {block_id} in {self.path.name}")

    def recheck(self, block: Block) -> None:
        """Run the checks on one block again, as `bilingual check` would (in place)."""
        from dataclasses import replace

        from bilingual.translation.pipeline import check_article

        # A one-block article with the document glossary: names glossed in other paragraphs
        # count. The copy keeps Article() from renaming the block's id.
        copy = replace(block, flags=list(block.flags))
        check_article(Article(blocks=[copy]), self.document_glossary())
        block.flags = copy.flags

    def flags_for(self, en: str) -> list[Flag]:
        """What the checks would say of `en` as the current block's English (nothing saved)."""
        from dataclasses import replace

        trial = replace(self.block, en=en, status=Status.EDITED, flags=[])
        self.recheck(trial)
        return trial.flags

    def document_glossary(self) -> Glossary:
        """The glossary of this article: the terms kept in the project, the user's
        (`--glossary`) and its glosses (`bilingual.translation.pipeline.article_glossary`)."""
        from bilingual.translation.pipeline import article_glossary

        if self._doc_glossary is None:
            self._doc_glossary = article_glossary(self.article, self.glossary)
        return self._doc_glossary

    def add_term(self, entry: Entry) -> None:
        """Add a term to the article's glossary, kept in the project file: retranslations,
        alternatives, `check` and a later `translate` of the project all use it."""
        from bilingual.names.glossary import Glossary

        base = self.glossary if self.glossary is not None else Glossary()
        self.glossary = Glossary([entry, *base.values()])
        self._doc_glossary = None
        before = list(self.article.glossary)
        term = {"zh": entry.zh, "en": entry.en, "note": entry.note}
        self.article.glossary = [t for t in before if t["zh"] != entry.zh] + [term]
        try:
            self.save()
        except BaseException:
            self.article.glossary = before
            raise

    def _apply(self, block: Block, en: str, status: Status, *, keep_score: bool) -> None:
        saved = _Saved.of(block)
        if block.status is Status.MACHINE and block.en != en:
            block.mt = block.en  # what the machine said, for the reviewer's diff
        if block.en != en:
            block.align = []  # it described the machine's sentences
        block.en, block.status, block.draft = en, status, None
        if not keep_score:
            block.score = None
        self.recheck(block)
        try:
            self.save()
        except BaseException:
            saved.restore(block)
            raise
        if self.memory is not None:
            self.memory.store_human(block.zh, en, status.value, project=self.project)

    @property
    def has_routes(self) -> bool:
        """Whether alternatives and retranslation can be asked for at all."""
        return self._routes is not None

    def _route(self) -> Route:
        if self._routes is None:
            raise ModelNotInstalled("no translation engine is available to this review")
        return self._routes(self.article)


def paragraph_alternatives(
    article: Article,
    block: Block,
    route: Route,
    *,
    n: int = 4,
    glossary: Glossary | None = None,
) -> list[Alternative]:
    """Up to n distinct English versions of one paragraph, best first (see
    `bilingual.translation.pipeline.alternatives`), with the glossary learned from the whole article."""
    from bilingual.translation.pipeline import alternatives, prepare_article, recorded_order

    prepared = prepare_article(article, glossary, route.unit)
    index = next(i for i, b in enumerate(article.blocks) if b is block)
    # Names reach the engine as they did when the article was translated (`--names`).
    return alternatives(prepared[index], route, n=n, strategies=recorded_order(article))


__all__ = [
    "ReviewSession",
    "normalize_english",
    "paragraph_alternatives",
    "review_order",
]
