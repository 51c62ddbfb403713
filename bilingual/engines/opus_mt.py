"""OPUS-MT: a Marian model (Helsinki-NLP) converted to CTranslate2, two SentencePiece models.

A converted folder (`ct2-transformers-converter --model Helsinki-NLP/opus-mt-zh-en --quantization
int8 --copy_files source.spm target.spm`) holds ``model.bin``, ``config.json``, the vocabulary,
``source.spm`` (Chinese pieces) and ``target.spm`` (English pieces). The source is its pieces and
``</s>``; a multilingual-target model also wants a ``>>eng<<`` token first, which the model's
``.bilingual-model.json`` can name as ``source_prefix``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bilingual.engines.converted import ConvertedModel
from bilingual.engines.seq2seq import Seq2SeqEngine, Settings, load_sentencepiece, pieces_text
from bilingual.models.converted import FAMILIES


class OpusMtEngine(ConvertedModel, Seq2SeqEngine):
    name = "opus-mt"
    family = "OPUS-MT (Marian)"
    unit = "sentence"
    name_strategies = ("placeholders", "pieces")
    required_files = FAMILIES["opus-mt"].required

    def __init__(self, path: str | Path, settings: Settings | None = None) -> None:
        super().__init__(path, settings)
        self.source_prefix = str(self.manifest.get("source_prefix", "") or "")
        self._source: Any = None
        self._target: Any = None

    def _load_tokenizers(self) -> None:
        self._source = load_sentencepiece(self.path / "source.spm", self.path)
        self._target = load_sentencepiece(self.path / "target.spm", self.path)

    def encode(self, text: str) -> list[str]:
        prefix = [self.source_prefix] if self.source_prefix else []
        return [*prefix, *self._source.encode(text, out_type=str), "</s>"]

    def decode(self, tokens: list[str]) -> str:
        return pieces_text(self._target, [t for t in tokens if t not in ("</s>", "<pad>")])
