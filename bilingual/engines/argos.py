"""The Argos engine: an installed Argos package's CTranslate2 model and SentencePiece tokenizer.

It does not go through `argostranslate.translate` (which imports torch and stanza, downloads a
sentence splitter on first use, and batches about one sentence at a time): the package's model
runs through `Seq2SeqEngine`, like every other sequence-to-sequence family.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bilingual.engines.seq2seq import (
    MAX_CHUNK_SEGMENTS,
    Seq2SeqEngine,
    Settings,
    decoding_bound,
    length_class,
    load_sentencepiece,
    pieces_text,
)
from bilingual.errors import EngineError

#: The settings of every CTranslate2 engine (the name predates the other families).
ArgosSettings = Settings

__all__ = [
    "MAX_CHUNK_SEGMENTS",
    "ArgosEngine",
    "ArgosSettings",
    "decoding_bound",
    "length_class",
    "read_metadata",
    "shared_engine",
]


def read_metadata(package_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((package_dir / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EngineError(f"{package_dir}: unreadable metadata.json ({exc})") from None
    if not isinstance(data, dict):
        raise EngineError(f"{package_dir}: metadata.json is not an object")
    return data


_SHARED: dict[tuple[str, int, Settings], ArgosEngine] = {}


def shared_engine(package_dir: str | Path, settings: Settings) -> ArgosEngine:
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


class ArgosEngine(Seq2SeqEngine):
    """An Argos Translate package: ``model/`` (CTranslate2), ``sentencepiece.model`` (shared by
    source and target) and ``metadata.json`` (languages, version, optional target prefix)."""

    name = "argos"
    family = "Argos Translate"
    unit = "sentence"
    name_strategies = ("placeholders", "pieces")
    required_files = ("metadata.json", "sentencepiece.model", "model/model.bin")

    @classmethod
    def recognize(cls, path: Path) -> bool:
        return (path / "metadata.json").is_file() and (path / "model").is_dir()

    def __init__(self, package_dir: str | Path, settings: Settings | None = None) -> None:
        super().__init__(package_dir, settings)
        self.metadata = read_metadata(self.path)
        self.target_prefix_token: str = self.metadata.get("target_prefix", "") or ""
        self._sp: Any = None

    @property
    def package_dir(self) -> Path:
        return self.path

    @property
    def package_name(self) -> str:
        m = self.metadata
        return f"translate-{m.get('from_code')}_{m.get('to_code')}"

    def identity(self) -> dict[str, Any]:
        m = self.metadata
        return {
            "package": self.package_name,
            "package_version": str(m.get("package_version", "")),
            "from_code": m.get("from_code"),
            "to_code": m.get("to_code"),
        }

    @property
    def model_dir(self) -> Path:
        return self.path / "model"

    def _load_tokenizers(self) -> None:
        if not (self.path / "sentencepiece.model").exists():
            raise EngineError(f"{self.path}: no sentencepiece.model (unsupported package)")
        self._sp = load_sentencepiece(self.path / "sentencepiece.model", self.path)

    def encode(self, text: str) -> list[str]:
        return list(self._sp.encode(text, out_type=str))

    def target_prefix(self) -> list[str]:
        return [self.target_prefix_token] if self.target_prefix_token else []

    def decode(self, tokens: list[str]) -> str:
        return pieces_text(self._sp, self._strip_prefix(tokens))
