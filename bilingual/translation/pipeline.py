"""The segment pipeline: the one path from a block's Chinese to its checked English.

    protect → split between the protected spans → engine (through the memory) → restore → checks

`prepare_article` protects every block of an article and splits it into segments (the document
glossary and the names already mentioned are taken into account, in reading order);
`translate_prepared` sends the segments of any number of blocks through their engines and
returns each block's English with its flags; `translate_blocks` does both for chosen blocks of
one article (a retranslation); `alternatives` gives one block's versions from the engine's
n-best. Translate, review (retranslate, alternatives) and check all go through here, and `check`
reuses what `prepare_article` protected rather than protecting again. (A span's `render` is the
English it must show verbatim: the word means that alone.)

How names reach the model is a `NameStrategy`, tried in order per segment until one gives
every protected span back verbatim:

``inline``        the Latin spans are sent as they are written (as the model saw names in its
                  training data); the English must hold each one verbatim
``placeholders``  each span is sent as a ``QZn`` placeholder and put back after
``pieces``        the Chinese between the spans is translated piece by piece and joined with
                  the spans in their places (never fails; word order may suffer: flagged)

Which strategy answered is recorded per segment (`Translated.strategies`) and counted in the
report. Identical model inputs anywhere in a run are translated once per engine signature.
"""

from __future__ import annotations

import math
import re
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bilingual.document import Article, Flag
from bilingual.engines.base import Engine, Result
from bilingual.errors import ModelNotInstalled
from bilingual.memory import signature_key
from bilingual.names.find import Mentions
from bilingual.names.protect import (
    Protected,
    Restored,
    Span,
    english_punctuation,
    join_pieces,
    pieces,
    restore,
)
from bilingual.provenance import Provenance
from bilingual.textutil import plural, to_simplified
from bilingual.translation.checks import RECHECKED, CheckSummary, FlagCode, check_block, summarize
from bilingual.translation.segment import segments
from bilingual.translation.signals import finish_batch_first

if TYPE_CHECKING:
    from bilingual.memory import Memory
    from bilingual.names.glossary import Glossary

Progress = Callable[[int, int], None]

__all__ = [
    "DEFAULT_ORDER",
    "DEFAULT_STRATEGIES",
    "STRATEGIES",
    "Alternative",
    "NameOrder",
    "NameStrategy",
    "Prepared",
    "Report",
    "Route",
    "Translated",
    "TranslationSteps",
    "alternatives",
    "article_glossary",
    "prepare_article",
    "prepare_block",
    "recorded_order",
    "strategies_named",
    "translate_blocks",
    "translate_prepared",
]


@dataclass
class Route:
    """How one article's segments reach an engine."""

    engine: Engine | None  # None: no model installed; only the memory can answer
    signature: dict[str, Any]
    simplify: bool = False  # convert Traditional input to Simplified for a zh model
    description: str = ""
    # What the engine takes as one input ("sentence" or "paragraph") and how names reach it
    # (the engine's `unit` and `name_strategies`; the planner fills them in).
    unit: str = "sentence"
    strategies: tuple[str, ...] = ("placeholders", "pieces")

    @classmethod
    def to(cls, engine: Engine, description: str = "", *, simplify: bool = False) -> Route:
        """The route to `engine`, with its signature, unit and name strategies."""
        return cls(
            engine,
            engine.signature(),
            simplify,
            description,
            engine.unit,
            tuple(engine.name_strategies),
        )

    def model_input(self, text: str) -> str:
        """What the engine is given for `text` (protected already) on this route."""
        return to_simplified(text) if self.simplify else text

    @property
    def key(self) -> str:
        """Routes with the same key give the same English for the same input."""
        return signature_key(self.signature)


@dataclass
class Report:
    articles: int = 0
    blocks: int = 0
    human: int = 0  # blocks taken from reviewed translations
    kept: int = 0  # blocks already edited/approved, left untouched
    segments: int = 0
    from_memory: int = 0
    translated: int = 0  # distinct segments the engine translated (first strategy)
    retried: int = 0  # inputs sent again because a name did not come back (later strategies)
    repaired: int = 0  # segments whose names were put back by translating around them
    flagged: int = 0  # body blocks (the title aside) with flags
    seconds: float = 0.0
    model_loaded: bool = False
    # Which name strategy answered, in segments: {"inline": 30, "placeholders": 2, ...}.
    strategies: Counter[str] = field(default_factory=Counter)


# --- name strategies ---------------------------------------------------------------------------


class NameStrategy(ABC):
    """One way to get a segment's protected spans through the engine."""

    name: str = ""
    #: Whether the segment goes to the engine whole (one input), so n-best lists make sense.
    whole: bool = True

    @abstractmethod
    def inputs(self, p: Protected) -> list[str]:
        """What the engine is asked, for segment `p`."""

    @abstractmethod
    def output(self, p: Protected, results: Sequence[str]) -> Restored:
        """The English from the engine's answers; `ok` when every span is there verbatim."""


_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")


class Inline(NameStrategy):
    """Spans sent as written; the English must hold every render verbatim."""

    name = "inline"

    def inputs(self, p: Protected) -> list[str]:
        out = [p.parts[0]] if p.parts else [p.original]
        for span, after in zip(p.spans, p.parts[1:], strict=True):
            render = span.render
            if out[-1][-1:] and _ASCII_ALNUM.match(out[-1][-1]) and _ASCII_ALNUM.match(render[0]):
                render = " " + render
            if after[:1] and _ASCII_ALNUM.match(after[0]) and _ASCII_ALNUM.match(render[-1]):
                render += " "
            out.extend([render, after])
        return ["".join(out)]

    def output(self, p: Protected, results: Sequence[str]) -> Restored:
        text = " ".join(results[0].split())
        wanted = Counter(span.render for span in p.spans)
        missing = [r for r, n in wanted.items() if text.count(r) < n]
        problems = [f"{r!r}: not verbatim in the English" for r in missing]
        return Restored(text, not missing, problems, missing)


class Placeholders(NameStrategy):
    """Spans sent as QZn placeholders, put back after (see `bilingual.names.protect`)."""

    name = "placeholders"

    def inputs(self, p: Protected) -> list[str]:
        return [p.text]

    def output(self, p: Protected, results: Sequence[str]) -> Restored:
        return restore(results[0], p)


class Pieces(NameStrategy):
    """The Chinese between the spans translated apart and joined with the spans in place."""

    name = "pieces"
    whole = False

    def inputs(self, p: Protected) -> list[str]:
        return pieces(p)

    def output(self, p: Protected, results: Sequence[str]) -> Restored:
        return Restored(join_pieces(p, results), True)


STRATEGIES: dict[str, NameStrategy] = {s.name: s for s in (Inline(), Placeholders(), Pieces())}
# Placeholders first: what every run so far used (and what the memory holds); `benchmarks/
# names.py --model PACKAGE` measures the orders on a real model.
DEFAULT_STRATEGIES: tuple[str, ...] = ("placeholders", "pieces")


NameOrder = tuple[NameStrategy, ...]


def strategies_named(names: Iterable[str]) -> NameOrder:
    """The strategies in the order given, with `pieces` added last (the one that never fails)."""
    chosen = []
    for name in names:
        if name not in STRATEGIES:
            raise ValueError(f"unknown name strategy {name!r}; one of {', '.join(STRATEGIES)}")
        chosen.append(STRATEGIES[name])
    if not chosen or chosen[-1].name != "pieces":
        chosen = [s for s in chosen if s.name != "pieces"] + [STRATEGIES["pieces"]]
    return tuple(chosen)


DEFAULT_ORDER: NameOrder = strategies_named(DEFAULT_STRATEGIES)


def recorded_order(article: Article) -> NameOrder | None:
    """The name strategies the article was translated with (its provenance), so alternatives
    and retranslations send names the same way; None (the engine's own order) when none is
    recorded."""
    names = Provenance.of(article).names
    try:
        return strategies_named(names.order) if names and names.order else None
    except ValueError:  # a strategy this version does not know
        return None


# --- prepare: protect, then split -------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """One block protected and split: what the engine will see and what the English must hold."""

    zh: str
    segments: tuple[Protected, ...]
    #: For a paragraph-unit engine: the article's title and the paragraph before, given to the
    #: engine as context (not translated, not part of the memory's key).
    context: str = ""

    @property
    def spans(self) -> list[Span]:
        return [s for p in self.segments for s in p.spans]

    @property
    def renders(self) -> list[str]:
        return [s.render for s in self.spans]


def prepare_block(
    zh: str,
    glossary: Glossary | None = None,
    mentions: Mentions | None = None,
    unit: str = "sentence",
) -> Prepared:
    return Prepared(zh, tuple(segments(zh, glossary, mentions=mentions, unit=unit)))


def article_glossary(article: Article, glossary: Glossary | None = None) -> Glossary:
    """The glossary an article is translated with: the terms a reviewer kept in its project
    file, then the user's (`--glossary`), then the glosses 中文名（Latin） learned from its text."""
    from bilingual.names.glossary import Entry, Glossary, learn_glossary

    if article.glossary:
        kept = [
            Entry(t["zh"], t["en"], t.get("note", ""), origin="project") for t in article.glossary
        ]
        glossary = Glossary([*kept, *(glossary.values() if glossary else [])])
    return learn_glossary([b.zh for b in article.blocks], glossary)


def prepare_article(
    article: Article, glossary: Glossary | None = None, unit: str = "sentence"
) -> list[Prepared]:
    """Every block of `article` prepared, in reading order, with its glossary
    (`article_glossary`): a glossed name is written in full at its first mention, short after
    (`bilingual.names.find`). `unit` is the engine's (`Engine.unit`): sentences, or paragraphs."""
    doc_glossary = article_glossary(article, glossary)
    mentions = Mentions()
    prepared = [prepare_block(b.zh, doc_glossary, mentions, unit) for b in article.blocks]
    if unit != "paragraph":
        return prepared
    from dataclasses import replace

    title = article.title or ""
    out = []
    for i, prep in enumerate(prepared):
        before = article.blocks[i - 1] if i else None
        parts = [title] if title and title != prep.zh else []
        if before is not None and before.zh != title:
            parts.append(before.zh)
        out.append(replace(prep, context="\n".join(parts)))
    return out


# --- translate: engine, restore, checks -------------------------------------------------------


@dataclass
class Translated:
    """One block's English and what it took."""

    en: str
    score: float | None
    flags: list[Flag]
    renders: list[str]
    repaired: list[str]
    strategies: list[str]  # per segment, the name strategy that answered
    # Which part of the English renders which segment of the Chinese (see `alignment`).
    align: tuple[tuple[int, int, int, int], ...] = ()


def translate_prepared(
    items: Sequence[tuple[Prepared, Route]],
    *,
    memory: Memory | None = None,
    progress: Progress | None = None,
    report: Report | None = None,
    strategies: NameOrder | None = None,
) -> list[Translated]:
    """The English of every prepared block, each on its route, all segments in one stream.

    `strategies`: how names reach the engine, in the order tried (`strategies_named`; default:
    the first route's engine's own).
    """
    report = report if report is not None else Report()
    steps = TranslationSteps(items, strategies=strategies, report=report)
    while not steps.done:
        first = steps.first
        answers = _resolve(
            steps.requests(),
            memory,
            progress if first else None,
            report,
            first,
            steps.context(),
        )
        steps.answer(answers)
    return steps.results()


class TranslationSteps:
    """`translate_prepared` in steps, for callers that answer the engine's requests themselves
    (a cluster run answers many articles' requests at once, from the memory and from remote workers).

    Each step asks, for every segment still pending, the inputs of the next name strategy
    (`requests`); `answer` takes the engine's results for them, keeps the segments whose names
    came back and leaves the rest to the next strategy; once `done`, `results` checks and
    joins each block's English.
    """

    def __init__(
        self,
        items: Sequence[tuple[Prepared, Route]],
        *,
        strategies: NameOrder | None = None,
        report: Report | None = None,
    ) -> None:
        """`strategies`: how names reach the engine, in the order tried (`strategies_named`;
        default: the first route's engine's own)."""
        self.items = list(items)
        if strategies is None:
            strategies = (
                strategies_named(self.items[0][1].strategies) if self.items else DEFAULT_ORDER
            )
        self.report = report if report is not None else Report()
        self._order = strategies
        self._jobs = [
            (i, p, route) for i, (prep, route) in enumerate(self.items) for p in prep.segments
        ]
        self.report.segments += len(self._jobs)
        self._outcome: dict[int, tuple[str, Restored, float | None]] = {}
        self._pending = list(range(len(self._jobs)))
        self._step = 0
        self._asked: dict[int, list[str]] = {}
        self._ask()

    def _ask(self) -> None:
        if not self._pending:
            return
        strategy = self._order[self._step]
        self._asked = {
            j: [self._jobs[j][2].model_input(t) for t in strategy.inputs(self._jobs[j][1])]
            for j in self._pending
        }

    @property
    def done(self) -> bool:
        return not self._pending

    @property
    def first(self) -> bool:
        """Whether the requests are the first strategy's (the others are retries)."""
        return self._step == 0

    def requests(self) -> list[tuple[Route, str]]:
        """(route, model input) the pending segments need answered, in order (repeats kept)."""
        return [(self._jobs[j][2], t) for j in self._pending for t in self._asked[j]]

    def context(self) -> dict[tuple[str, str], str]:
        """(route key, model input) -> the title and paragraph before, for the requests of a
        whole-segment strategy on a paragraph-unit route (`Engine.give_context`)."""
        if not self._order[self._step].whole:
            return {}
        out = {}
        for j in self._pending:
            prep = self.items[self._jobs[j][0]][0]
            route = self._jobs[j][2]
            if prep.context and self._asked[j]:
                out[(route.key, self._asked[j][0])] = route.model_input(prep.context)
        return out

    def answer(self, answers: Mapping[tuple[str, str], Result]) -> None:
        """Take the results of `requests`, keyed by (route key, model input)."""
        strategy = self._order[self._step]
        last = self._step == len(self._order) - 1
        still: list[int] = []
        for j in self._pending:
            _, p, route = self._jobs[j]
            results = [answers[(route.key, t)] for t in self._asked[j]]
            restored = strategy.output(p, [r.text for r in results])
            if restored.ok or last:
                scores = [r.score for r in results if r.score is not None]
                self._outcome[j] = (strategy.name, restored, min(scores) if scores else None)
                self.report.strategies[strategy.name] += 1
            else:
                still.append(j)
        self._pending = still
        self._step += 1
        self._ask()

    def results(self) -> list[Translated]:
        """Each block's checked English, in the order of the items."""
        if self._pending:
            raise RuntimeError("results() before every request was answered")
        out: list[Translated] = []
        by_item: dict[int, list[int]] = {}
        for j, (i, _, _) in enumerate(self._jobs):
            by_item.setdefault(i, []).append(j)
        for i, (prep, _) in enumerate(self.items):
            done = [(self._jobs[j][1], *self._outcome[j]) for j in by_item.get(i, [])]
            out.append(_finish(prep, done))
            self.report.repaired += sum(1 for _, name, _, _ in done if name == "pieces")
        return out


def translate_blocks(
    article: Article,
    indices: Sequence[int],
    route: Route,
    *,
    glossary: Glossary | None = None,
    memory: Memory | None = None,
    strategies: NameOrder | None = None,
) -> list[Translated]:
    """The English of some blocks of `article` (by index), nothing changed in place.

    Each is prepared as a translation of the whole article prepares it (`prepare_article`: the
    document's glossary, names written in full at their first mention in reading order), so a
    retranslated paragraph reads as it would in a full run.
    """
    prepared = prepare_article(article, glossary, route.unit)
    return translate_prepared(
        [(prepared[i], route) for i in indices], memory=memory, strategies=strategies
    )


def _finish(
    prep: Prepared, done: list[tuple[Protected, str, Restored, float | None]]
) -> Translated:
    renders = prep.renders
    repaired = [r for p, name, _, _ in done if name == "pieces" for r in p.renders]
    scores = [s for *_, s in done if s is not None]
    en = english_punctuation(" ".join(r.text for _, _, r, _ in done if r.text), renders)
    score = min(scores) if scores else None
    flags = check_block(
        prep.zh, en, renders=renders, score=score, repaired=repaired, spans=prep.spans
    )
    align = alignment(prep.zh, [(p.original, r.text) for p, _, r, _ in done], en, renders)
    return Translated(en, score, flags, renders, repaired, [name for _, name, _, _ in done], align)


def alignment(
    zh: str, pairs: Sequence[tuple[str, str]], en: str, renders: Sequence[str] = ()
) -> tuple[tuple[int, int, int, int], ...]:
    """(zh_start, zh_end, en_start, en_end) of each segment of `zh` and its English in `en`.

    The pipeline translates segment by segment and joins the answers, so each answer can be
    found in the joined English, in order. When one cannot (the punctuation pass changed its
    edges), no alignment is claimed at all: () rather than a wrong one.
    """
    out: list[tuple[int, int, int, int]] = []
    zh_at = en_at = 0
    for source, english in pairs:
        start = zh.find(source, zh_at)
        piece = english_punctuation(english, renders).strip() if english else ""
        found = en.find(piece, en_at) if piece else -1
        if start < 0 or (piece and found < 0):
            return ()
        zh_at = start + len(source)
        if piece:
            out.append((start, zh_at, found, found + len(piece)))
            en_at = found + len(piece)
    return tuple(out)


def _resolve(
    requests: list[tuple[Route, str]],
    memory: Memory | None,
    progress: Progress | None,
    report: Report,
    first: bool,
    context: dict[tuple[str, str], str] | None = None,
) -> dict[tuple[str, str], Result]:
    """Answer each (route, text) from the memory, else from an engine with the route's signature.

    Routes are grouped by signature, not by object: identical inputs anywhere in the run are
    translated once. The misses of each signature go through its engine as one stream of
    batches; every finished batch is stored in the memory at once, so an interrupted run keeps
    its work.
    """
    routes: dict[str, Route] = {}
    wanted: dict[str, list[str]] = {}
    for route, text in requests:
        if routes.get(route.key) is None or routes[route.key].engine is None:
            routes[route.key] = route
        wanted.setdefault(route.key, []).append(text)
    answers: dict[tuple[str, str], Result] = {}
    todo: list[tuple[str, list[str]]] = []
    for key, texts in wanted.items():
        unique = list(dict.fromkeys(texts))
        hits = memory.lookup(routes[key].signature, unique) if memory else {}
        for text, hit in hits.items():
            answers[(key, text)] = Result(hit.target, hit.score)
        if first:
            report.from_memory += sum(1 for t in texts if t in hits)
        misses = [t for t in unique if t not in hits]
        if misses:
            todo.append((key, misses))

    total = sum(len(m) for _, m in todo)
    done = 0
    if progress and total:
        progress(0, total)
    for key, misses in todo:
        route = routes[key]
        if route.engine is None:
            raise ModelNotInstalled(
                f"{plural(len(misses), 'segment')} {'is' if len(misses) == 1 else 'are'} not in the "
                "translation memory and no zh→en model "
                "is installed: run `bilingual models install zh en` "
                "(or `bilingual models install --file PACKAGE.argosmodel`)"
            )
        if context:
            route.engine.give_context({t: context[(key, t)] for t in misses if (key, t) in context})
        with finish_batch_first() as checkpoint:  # Ctrl-C keeps the batch that finished
            for chunk in route.engine.iter_batches(misses):
                for i, result in chunk:
                    answers[(key, misses[i])] = result
                if memory:
                    memory.store(route.signature, [(misses[i], r.text, r.score) for i, r in chunk])
                done += len(chunk)
                if first:
                    report.translated += len(chunk)
                else:
                    report.retried += len(chunk)
                if progress:
                    progress(done, total)
                checkpoint()
        report.model_loaded = report.model_loaded or bool(getattr(route.engine, "loaded", False))
    return answers


# --- alternatives ------------------------------------------------------------------------------


def alternatives(
    prep: Prepared,
    route: Route,
    *,
    n: int = 4,
    strategies: NameOrder | None = None,
) -> list[Alternative]:
    """Up to n distinct English versions of one prepared block, best first, with their scores.

    Each segment asks the engine for its n-best through the first whole-segment strategy whose
    hypotheses keep every name (a hypothesis that lost one is dropped); version k joins the
    k-th hypothesis of every segment (the best one where a segment has fewer). When no
    hypothesis keeps the names, the segment falls back to the pieces, as `translate_prepared` does.
    """
    engine = route.engine
    if engine is None:
        raise ModelNotInstalled(
            "alternatives need the model: run `bilingual models install zh en` "
            "(or `bilingual models install --file PACKAGE.argosmodel`)"
        )
    if strategies is None:
        strategies = strategies_named(route.strategies)
    per_segment: list[list[Result]] = []
    for p in prep.segments:
        kept: list[Result] = []
        for strategy in strategies:
            texts = [route.model_input(t) for t in strategy.inputs(p)]
            if strategy.whole and prep.context:
                engine.give_context({texts[0]: route.model_input(prep.context)})
            if strategy.whole:
                for hypothesis in engine.alternatives(texts[0], n):
                    restored = strategy.output(p, [hypothesis.text])
                    # U+FFFD: the model produced a broken byte sequence; not worth showing.
                    ok = restored.ok and "\ufffd" not in restored.text
                    if ok and all(restored.text != k.text for k in kept):
                        kept.append(Result(restored.text, hypothesis.score))
            else:
                results = engine.translate_batch(texts) if texts else []
                score = _mean([r.score for r in results])
                kept.append(Result(strategy.output(p, [r.text for r in results]).text, score))
            if kept:
                break
        per_segment.append(kept)
    versions: list[Alternative] = []
    for k in range(max((len(s) for s in per_segment), default=0)):
        parts = [s[min(k, len(s) - 1)] for s in per_segment]
        text = english_punctuation(" ".join(x.text for x in parts if x.text), prep.renders)
        if text and all(text != v.text for v in versions):
            versions.append(Alternative(text, _mean([x.score for x in parts])))
    return versions[:n]


@dataclass(frozen=True)
class Alternative:
    """One English version of a paragraph from the model's n-best."""

    text: str
    # The model's average log-probability per token over the paragraph (<= 0), if it said.
    score: float | None = None

    @property
    def confidence(self) -> float | None:
        """The score as a share a reader can take in: the model's mean probability per word
        piece (0.66 for a score of -0.41)."""
        return None if self.score is None else math.exp(self.score)


def _mean(scores: Sequence[float | None]) -> float | None:
    if not scores or any(x is None for x in scores):
        return None
    return sum(x for x in scores if x is not None) / len(scores)


# --- checking an article again, through the same protect and segment path -------------------


def expected_renders(zh: str, glossary: Glossary | None = None) -> list[str]:
    """The renders the English of `zh` must hold, recomputed from the Chinese."""
    return prepare_block(zh, glossary).renders


def check_article(article: Article, glossary: Glossary | None = None) -> CheckSummary:
    """Rerun the checks on every translated block, in place, and count what is flagged.

    Only the flags the checks compute are replaced; other flags stay. A block a human edited or
    approved has no engine score to judge and loses its name-repaired flag (it was looked at).
    """
    for block, prep in zip(article.blocks, prepare_article(article, glossary), strict=True):
        if not block.en:
            continue
        reviewed = block.status.reviewed
        kept = [
            f
            for f in block.flags
            if f.code not in RECHECKED and not (reviewed and f.code == FlagCode.NAME_REPAIRED)
        ]
        new = check_block(
            block.zh,
            block.en,
            renders=prep.renders,
            score=None if reviewed else block.score,
            spans=prep.spans,
        )
        block.flags = kept + new
    return summarize(article)
