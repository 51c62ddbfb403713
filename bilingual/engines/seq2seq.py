"""What every CTranslate2 engine shares: settings, loading errors, the model's identity, and the
sequence-to-sequence engine (Argos, NLLB-200/M2M-100, OPUS-MT) behind one batching loop.

A sequence-to-sequence family differs only in how text becomes tokens and back (one or two
SentencePiece models, language codes, a target prefix); `Seq2SeqEngine` does the rest. Segments
of a whole run are tokenized, sorted by length and cut into token-bounded chunks of one length
class, each translated in one CTranslate2 call with a decoding bound relative to that length (a
segment's English never depends on the segments batched with it); results come back chunk by
chunk so the caller can store them and report progress.
"""

from __future__ import annotations

import math
import os
from abc import abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

from bilingual.engines.base import Engine, Result
from bilingual.errors import EngineError

DEVICES = ("cpu", "cuda", "auto")


@dataclass(frozen=True)
class Settings:
    """How a CTranslate2 model is run (the same options for every family)."""

    beam: int = 4  # argostranslate's default beam size
    length_penalty: float = 0.2  # as argostranslate passes it
    compute_type: str = "int8"
    device: str = "cpu"
    threads: int = 0  # 0: one per core
    # Measured on 2 cores at beam 4 (benchmarks/README.md): 512-1024 beat 2048 by about 25%
    # in tokens/s and peak memory falls from ~1 GB to ~0.7 GB.
    max_batch_tokens: int = 1024
    # Decoding stops at ratio * source tokens + margin (English runs longer than Chinese).
    decoding_ratio: float = 2.0
    decoding_margin: int = 10
    decoding_cap: int = 512

    def output_signature(self) -> dict[str, Any]:
        """The settings that change the output (threads and batching do not)."""
        return {
            "beam": self.beam,
            "length_penalty": self.length_penalty,
            "compute_type": self.compute_type,
            "device": self.device,
            "decoding": [self.decoding_ratio, self.decoding_margin, self.decoding_cap],
        }

    def on_device(self) -> Settings:
        """These settings with `auto` resolved to the device CTranslate2 will use (the output
        depends on it, so the memory key must too); `cuda` without a CUDA device is an error."""
        if self.device not in ("auto", "cuda"):
            return self
        import ctranslate2

        try:
            cuda = ctranslate2.get_cuda_device_count() > 0
        except RuntimeError:  # a CPU-only build
            cuda = False
        if self.device == "cuda" and not cuda:
            raise EngineError(
                "--device cuda: CTranslate2 finds no CUDA device on this machine; "
                "use --device cpu (or auto, which takes CUDA when there is one)"
            )
        return replace(self, device="cuda" if cuda else "cpu")


def decoding_bound(source_tokens: int, settings: Settings) -> int:
    bound = math.ceil(source_tokens * settings.decoding_ratio) + settings.decoding_margin
    return min(settings.decoding_cap, bound)


#: Source lengths are rounded up to a multiple of this for the decoding bound, and a chunk
#: holds one rounded length only, so a segment's bound (and so its English) depends on the
#: segment alone, never on the segments batched with it: the translation memory serves a
#: stored translation in any later run, and a cluster batches the same segment differently
#: from a one-machine run; both must give the same English.
LENGTH_STEP = 8


def length_class(source_tokens: int) -> int:
    """The source length the decoding bound is computed from (see LENGTH_STEP)."""
    return -(-source_tokens // LENGTH_STEP) * LENGTH_STEP


def model_hash(path: Path) -> str:
    """The first 16 hex digits of the model files' content hash: two models with one name and
    version (a rebuilt or retrained model) never share memory entries."""
    from bilingual.models import content_hash

    try:
        return content_hash(path)[:16]
    except OSError as exc:
        raise EngineError(f"{path}: cannot read the model files ({exc})") from None


def threads(settings: Settings) -> int:
    return settings.threads or os.cpu_count() or 1


def open_model(kind: str, folder: Path, settings: Settings, named: Path) -> Any:
    """CTranslate2's `Translator` or `Generator` (`kind`) on `folder`, one per process; a model
    it cannot load is an EngineError naming the model folder the user knows (`named`)."""
    import ctranslate2

    try:
        return getattr(ctranslate2, kind)(
            str(folder),
            device=settings.device,
            compute_type=settings.compute_type,
            inter_threads=1,
            intra_threads=threads(settings),
        )
    except (RuntimeError, ValueError, OSError) as exc:
        raise EngineError(f"cannot load the model in {named}: {exc}") from None


#: Segments per chunk at most: each chunk is stored in the memory as soon as it is done.
MAX_CHUNK_SEGMENTS = 32


class ModelEngine(Engine):
    """An engine running one installed model folder with CTranslate2."""

    #: The family's name for people ("NLLB-200"), in `models list` and the README.
    family: ClassVar[str] = ""
    #: Files a model folder of this family must hold (checked when it is installed).
    required_files: ClassVar[tuple[str, ...]] = ()

    def __init__(self, path: str | Path, settings: Settings | None = None) -> None:
        self.path = Path(path)
        self.settings = settings or Settings()
        self.loads = 0  # how many times the model was loaded (once per process)
        self._model_hash: str | None = None

    @property
    def model_hash(self) -> str:
        if self._model_hash is None:
            self._model_hash = model_hash(self.path)
        return self._model_hash

    @classmethod
    def recognize(cls, path: Path) -> bool:
        """Whether the folder looks like a model of this family (its tell-tale files)."""
        return False

    @abstractmethod
    def identity(self) -> dict[str, Any]:
        """package, package_version, from_code and to_code of the model (for the provenance)."""

    def signature(self) -> dict[str, Any]:
        return {
            "engine": self.name,
            **self.identity(),
            "model_hash": self.model_hash,
            **self.settings.output_signature(),
        }

    def for_worker(self) -> ModelEngine:
        """The same model on this worker: the driver's folder when this machine has it, else
        an installed model folder of the same family whose files hash the same."""
        if self.path.is_dir():
            return self
        import copy
        import socket

        from bilingual.models import models_dir

        wanted = self.model_hash  # computed on the driver, which sent it along
        root = models_dir()[0]
        candidates = sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
        for folder in candidates:
            if not type(self).recognize(folder):
                continue
            try:
                found = model_hash(folder)
            except EngineError:
                continue
            if found == wanted:
                local = copy.copy(self)
                local.path = folder
                return local
        raise EngineError(
            f"worker {socket.gethostname()}: the model {self.describe()} (files {wanted}) is "
            f"not installed in {root}; install the same model on every worker"
        )

    def describe(self) -> str:
        """'nllb-200-distilled-600M 1.0' for messages and the route description."""
        ident = self.identity()
        return f"{ident.get('package')} {ident.get('package_version') or ''}".strip()


class Seq2SeqEngine(ModelEngine):
    """A CTranslate2 `Translator` model; subclasses say how text becomes tokens and back."""

    def __init__(self, path: str | Path, settings: Settings | None = None) -> None:
        super().__init__(path, settings)
        self._translator: Any = None

    # What a family defines --------------------------------------------------------------------
    @property
    @abstractmethod
    def model_dir(self) -> Path:
        """The folder holding model.bin and config.json."""

    @abstractmethod
    def _load_tokenizers(self) -> None:
        """Load the SentencePiece model(s); raise EngineError when they are missing."""

    @abstractmethod
    def encode(self, text: str) -> list[str]:
        """The source tokens for `text` (language codes and end token included)."""

    @abstractmethod
    def decode(self, tokens: list[str]) -> str:
        """The English of a hypothesis (the target prefix, if any, still in front)."""

    def target_prefix(self) -> list[str]:
        """Tokens the decoder is forced to start with (a target-language code)."""
        return []

    # Loading --------------------------------------------------------------------------------
    def _load(self) -> None:
        if self._translator is not None:
            return
        self._load_tokenizers()
        self._translator = open_model("Translator", self.model_dir, self.settings, self.path)
        self.loads += 1

    @property
    def loaded(self) -> bool:
        return self._translator is not None

    def tokenize(self, segments: Sequence[str]) -> list[list[str]]:
        self._load()
        return [self.encode(s) if s.strip() else [] for s in segments]

    def _strip_prefix(self, tokens: list[str]) -> list[str]:
        prefix = self.target_prefix()
        if prefix and tokens[: len(prefix)] == prefix:
            return tokens[len(prefix) :]
        return tokens

    # Translation -------------------------------------------------------------------------
    def translate_batch(self, segments: list[str]) -> list[Result]:
        results: list[Result | None] = [None] * len(segments)
        for chunk in self.iter_batches(segments):
            for i, r in chunk:
                results[i] = r
        return [r if r is not None else Result("") for r in results]

    def chunks(self, tokens: list[list[str]]) -> list[list[int]]:
        """Indices grouped into length-sorted chunks of at most max_batch_tokens tokens."""
        order = sorted(range(len(tokens)), key=lambda i: len(tokens[i]))
        chunks: list[list[int]] = []
        current: list[int] = []
        for i in order:
            longest = len(tokens[i])  # sorted: the newcomer is the longest so far
            if current and (
                longest * (len(current) + 1) > self.settings.max_batch_tokens
                # Small chunks, so the memory is written often: a kill loses at most one.
                or len(current) >= MAX_CHUNK_SEGMENTS
                # One decoding bound per chunk, which each of its segments would have alone.
                or length_class(longest) != length_class(len(tokens[current[0]]))
            ):
                chunks.append(current)
                current = []
            current.append(i)
        if current:
            chunks.append(current)
        return chunks

    def iter_batches(self, segments: Sequence[str]) -> Iterator[list[tuple[int, Result]]]:
        if not segments:
            return
        tokens = self.tokenize(segments)
        for chunk in self.chunks(tokens):
            todo = [i for i in chunk if tokens[i]]
            out = [(i, Result("", 0.0)) for i in chunk if not tokens[i]]
            if todo:
                out.extend(zip(todo, self._run([tokens[i] for i in todo], 1), strict=True))
            yield out

    def _run(self, batch: list[list[str]], n: int) -> list[Result]:
        s = self.settings
        prefix = self.target_prefix()
        longest = max(len(t) for t in batch)
        try:
            outputs = self._translator.translate_batch(
                batch,
                target_prefix=[prefix] * len(batch) if prefix else None,
                beam_size=max(s.beam, n),
                num_hypotheses=n,
                length_penalty=s.length_penalty,
                replace_unknowns=True,
                max_decoding_length=decoding_bound(length_class(longest), s),
                max_batch_size=s.max_batch_tokens,
                batch_type="tokens",
                return_scores=True,
            )
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"translation failed: {exc}") from None
        results = []
        for out in outputs:
            texts = [self.decode(list(h)) for h in out.hypotheses]
            scores = [self._per_token(out, k) for k in range(len(out.hypotheses))]
            results.append(Result(texts[0], scores[0], tuple(texts[1:]), tuple(scores[1:])))
        return results

    def _per_token(self, out: Any, k: int) -> float | None:
        """Hypothesis k's average log-probability per token. CTranslate2 divides the sum by
        length**length_penalty: undo that, then divide by the length."""
        if not out.scores or k >= len(out.scores):
            return None
        length = max(1, len(out.hypotheses[k]))
        return float(out.scores[k] * (length**self.settings.length_penalty) / length)

    def alternatives(self, segment: str, n: int = 4) -> list[Result]:
        tokens = self.tokenize([segment])[0]
        if not tokens:
            return [Result("")]
        r = self._run([tokens], n)[0]
        found: dict[str, Result] = {}
        for text, score in zip(
            (r.text, *r.alternatives), (r.score, *r.alternative_scores), strict=False
        ):
            found.setdefault(text, Result(text, score))
        return list(found.values())


def load_sentencepiece(path: Path, owner: Path) -> Any:
    """A SentencePiece processor from `path`, or EngineError saying the model lacks it."""
    import sentencepiece

    if not path.is_file():
        raise EngineError(f"{owner}: no {path.name} (not a complete model folder)")
    try:
        return sentencepiece.SentencePieceProcessor(model_file=str(path))
    except (RuntimeError, OSError) as exc:
        raise EngineError(f"{path}: unreadable SentencePiece model ({exc})") from None


def pieces_text(sp: Any, tokens: list[str]) -> str:
    return str(sp.decode_pieces(tokens)).replace("\u2581", " ").strip()
