"""The engine contract: translate_batch(list[str]) -> list[Result].

The base class does the batching around it: `iter_batches` feeds a whole run's segments through
in chunks and yields each chunk's results as soon as it is done, so callers can write the
translation memory and report progress while the rest is still being translated.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any


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

    #: Short name recorded in the provenance and in translation-memory keys.
    name: str = "engine"
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

    def signature(self) -> dict[str, Any]:
        """What identifies this engine's output: recorded in provenance and memory keys."""
        return {"engine": self.name}
