"""The engine contract, and what the base does for every engine.

An engine author implements one method::

    def translate_batch(self, segments: list[str]) -> list[Result]: ...

one `Result` per segment, in order, with the English and (if the model gives one) its average
log-probability per token. Everything else has a working default here:

* `iter_batches` feeds a whole run's segments through `translate_batch` in chunks and yields
  each chunk's results as soon as it is done, so the pipeline can store them in the translation
  memory (the cache every engine shares, keyed by `signature`) and report progress while the
  rest is still being translated; an engine with a better batching of its own overrides it;
* `alternatives` gives the one best translation (override to return an n-best list or samples);
* `give_context` receives the title and previous paragraph of inputs (ignored unless overridden);
* `signature` says which engine made the output; an engine whose output depends on a model or
  on settings must add them (the memory never mixes two signatures' output).

Each engine also states, as class attributes, how the pipeline should feed it:

* `unit`: ``"sentence"`` (the block is split into sentences, each a memory entry) or
  ``"paragraph"`` (a block goes whole, so the model sees the sentences around each one);
* `name_strategies`: how Latin names reach it, tried in order (`bilingual.pipeline`):
  ``placeholders`` for a model that copies an unknown token through, ``inline`` for one that
  writes names naturally (the English is verified, and repaired around the names if one is lost).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

Unit = Literal["sentence", "paragraph"]


@dataclass(frozen=True)
class Result:
    text: str
    # Average log-probability per token of the best hypothesis (<= 0; higher is better), if known.
    score: float | None = None
    # Further n-best hypotheses, best first, when the engine was asked for them, and their scores.
    alternatives: tuple[str, ...] = field(default=())
    alternative_scores: tuple[float | None, ...] = field(default=())


class Engine(ABC):
    """A translation engine. Subclasses implement translate_batch; the base batches around it."""

    #: Short name, as `--engine` takes it; recorded in the provenance and in memory keys.
    name: ClassVar[str] = "engine"
    #: What the pipeline sends as one input: a sentence, or a whole paragraph.
    unit: ClassVar[Unit] = "sentence"
    #: How names reach the engine, tried in order (see `bilingual.pipeline.STRATEGIES`); the
    #: pieces around the names are always the last resort.
    name_strategies: ClassVar[tuple[str, ...]] = ("placeholders", "pieces")
    #: Segments per chunk for the default `iter_batches`.
    batch_size: int = 32

    @abstractmethod
    def translate_batch(self, segments: list[str]) -> list[Result]:
        """Translate `segments`, returning one Result per segment, in order."""

    def iter_batches(self, segments: Sequence[str]) -> Iterator[list[tuple[int, Result]]]:
        """Yield lists of (index into `segments`, result), chunk by chunk."""
        for start in range(0, len(segments), self.batch_size):
            chunk = list(segments[start : start + self.batch_size])
            results = self.translate_batch(chunk)
            if len(results) != len(chunk):
                raise RuntimeError(f"{self.name} returned {len(results)} results for {len(chunk)}")
            yield [(start + i, r) for i, r in enumerate(results)]

    def alternatives(self, segment: str, n: int = 4) -> list[Result]:
        """Up to n distinct translations of one segment, best first, each with its score
        (default: just the one)."""
        return [self.translate_batch([segment])[0]]

    def give_context(self, context: Mapping[str, str]) -> None:
        """Text around some of the coming inputs (input -> the article's title and the paragraph
        before), for an engine that translates better with it (a paragraph-unit LLM). The
        context informs, it is not translated, and the memory keys by the input alone.
        Default: ignored."""
        return None

    def signature(self) -> dict[str, Any]:
        """What identifies this engine's output: recorded in provenance and memory keys."""
        return {"engine": self.name}

    @property
    def loaded(self) -> bool:
        """Whether a model was loaded (False for engines without one, or not yet)."""
        return False

    def for_worker(self) -> Engine:
        """This engine as a cluster worker runs it (called once per worker process, on the
        copy the driver sent; the worker keeps what it returns and loads its model once).
        An engine whose files may lie elsewhere on another machine finds them here."""
        return self
