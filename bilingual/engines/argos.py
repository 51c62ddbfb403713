"""The Argos engine: an installed Argos package's CTranslate2 model and SentencePiece tokenizer.

It does not go through `argostranslate.translate` (which imports torch and stanza, downloads a
sentence splitter on first use, and batches about one sentence at a time). Segments of a whole
run are tokenized, sorted by length and cut into token-bounded chunks, each translated in one
CTranslate2 call with a decoding bound relative to its longest source; results come back chunk
by chunk so the caller can store them and report progress.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bilingual.engines.base import Engine, Result
from bilingual.errors import BilingualError


class EngineError(BilingualError):
    """The model cannot be loaded or run."""

    exit_code = 3  # a model problem, as ModelNotInstalled


@dataclass(frozen=True)
class ArgosSettings:
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


def decoding_bound(source_tokens: int, settings: ArgosSettings) -> int:
    bound = math.ceil(source_tokens * settings.decoding_ratio) + settings.decoding_margin
    return min(settings.decoding_cap, bound)


def read_metadata(package_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((package_dir / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EngineError(f"{package_dir}: unreadable metadata.json ({exc})") from None
    if not isinstance(data, dict):
        raise EngineError(f"{package_dir}: metadata.json is not an object")
    return data


_SHARED: dict[tuple[str, int, ArgosSettings], ArgosEngine] = {}


def shared_engine(package_dir: str | Path, settings: ArgosSettings) -> ArgosEngine:
    """The process's one engine for this package and settings (a model is loaded once); a
    package installed again in the same place is a new engine."""
    path = Path(package_dir).resolve()
    try:
        stamp = (path / "metadata.json").stat().st_mtime_ns
    except OSError:
        stamp = 0
    key = (str(path), stamp, settings)
    if key not in _SHARED:
        _SHARED[key] = ArgosEngine(package_dir, settings)
    return _SHARED[key]


#: Segments per chunk at most: each chunk is stored in the memory as soon as it is done.
MAX_CHUNK_SEGMENTS = 32


class ArgosEngine(Engine):
    name = "argos"

    def __init__(self, package_dir: str | Path, settings: ArgosSettings | None = None) -> None:
        self.package_dir = Path(package_dir)
        self.settings = settings or ArgosSettings()
        self.metadata = read_metadata(self.package_dir)
        self.target_prefix: str = self.metadata.get("target_prefix", "") or ""
        self._translator: Any = None
        self._sp: Any = None
        self.loads = 0  # how many times the model was loaded (once per process)
        self._model_hash: str | None = None

    # Identity --------------------------------------------------------------------------
    @property
    def package_name(self) -> str:
        m = self.metadata
        return f"translate-{m.get('from_code')}_{m.get('to_code')}"

    def signature(self) -> dict[str, Any]:
        m = self.metadata
        return {
            "engine": self.name,
            "package": self.package_name,
            "package_version": str(m.get("package_version", "")),
            "from_code": m.get("from_code"),
            "to_code": m.get("to_code"),
            # Two packages with one name and version (a rebuilt or retrained model) must never
            # share memory entries: the files themselves say which model this is.
            "model_hash": self.model_hash,
            **self.settings.output_signature(),
        }

    @property
    def model_hash(self) -> str:
        if self._model_hash is None:
            from bilingual.models import content_hash

            try:
                self._model_hash = content_hash(self.package_dir)[:16]
            except OSError as exc:
                raise EngineError(
                    f"{self.package_dir}: cannot read the model files ({exc})"
                ) from None
        return self._model_hash

    # Loading -----------------------------------------------------------------------------
    def _load(self) -> None:
        if self._translator is not None:
            return
        import ctranslate2
        import sentencepiece

        model_dir = self.package_dir / "model"
        sp_path = self.package_dir / "sentencepiece.model"
        if not sp_path.exists():
            raise EngineError(f"{self.package_dir}: no sentencepiece.model (unsupported package)")
        threads = self.settings.threads or os.cpu_count() or 1
        try:
            self._sp = sentencepiece.SentencePieceProcessor(model_file=str(sp_path))
            self._translator = ctranslate2.Translator(
                str(model_dir),
                device=self.settings.device,
                compute_type=self.settings.compute_type,
                inter_threads=1,
                intra_threads=threads,
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise EngineError(f"cannot load the model in {self.package_dir}: {exc}") from None
        self.loads += 1

    @property
    def loaded(self) -> bool:
        return self._translator is not None

    def tokenize(self, segments: Sequence[str]) -> list[list[str]]:
        self._load()
        return [list(self._sp.encode(s, out_type=str)) for s in segments]

    def _detokenize(self, tokens: list[str]) -> str:
        if self.target_prefix and tokens and tokens[0] == self.target_prefix:
            tokens = tokens[1:]
        return str(self._sp.decode_pieces(tokens)).replace("\u2581", " ").strip()

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
        prefix = [[self.target_prefix]] * len(batch) if self.target_prefix else None
        longest = max(len(t) for t in batch)
        try:
            outputs = self._translator.translate_batch(
                batch,
                target_prefix=prefix,
                beam_size=max(s.beam, n),
                num_hypotheses=n,
                length_penalty=s.length_penalty,
                replace_unknowns=True,
                max_decoding_length=decoding_bound(longest, s),
                max_batch_size=s.max_batch_tokens,
                batch_type="tokens",
                return_scores=True,
            )
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"translation failed: {exc}") from None
        results = []
        for out in outputs:
            texts = [self._detokenize(h) for h in out.hypotheses]
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
