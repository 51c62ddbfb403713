"""NLLB-200 and M2M-100: one multilingual CTranslate2 model, language codes around the text.

A converted model folder (`ct2-transformers-converter --model facebook/nllb-200-distilled-600M
--quantization int8 --copy_files sentencepiece.bpe.model`) holds ``model.bin``, ``config.json``,
the ``shared_vocabulary`` and the SentencePiece model ``sentencepiece.bpe.model``. The source is
``[source code] + pieces + </s>`` and the decoder starts from the target code: ``zho_Hans`` and
``eng_Latn`` for NLLB-200, ``__zh__`` and ``__en__`` for M2M-100 (which one the vocabulary says).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bilingual.engines.converted import ConvertedModel
from bilingual.engines.seq2seq import (
    Seq2SeqEngine,
    Settings,
    load_sentencepiece,
    pieces_text,
)
from bilingual.errors import EngineError
from bilingual.models.converted import FAMILIES, vocabulary

#: (source, target) language codes by vocabulary: NLLB-200's FLORES codes, M2M-100's.
CODES = (("zho_Hans", "eng_Latn"), ("__zh__", "__en__"))


class NllbEngine(ConvertedModel, Seq2SeqEngine):
    name = "nllb"
    family = "NLLB-200 / M2M-100"
    unit = "sentence"
    # A language-coded model copies an unknown QZn token through about as well as Argos does;
    # what it does not copy, the pipeline translates around.
    name_strategies = ("placeholders", "pieces")
    required_files = FAMILIES["nllb"].required

    def __init__(self, path: str | Path, settings: Settings | None = None) -> None:
        super().__init__(path, settings)
        self._sp: Any = None
        self._codes: tuple[str, str] | None = None

    @property
    def codes(self) -> tuple[str, str]:
        """The source and target language codes this model's vocabulary has."""
        if self._codes is None:
            vocab = set(vocabulary(self.path))
            for source, target in CODES:
                if source in vocab and target in vocab:
                    self._codes = (source, target)
                    break
            else:
                raise EngineError(
                    f"{self.path}: the vocabulary has no Chinese and English language codes "
                    "(zho_Hans/eng_Latn or __zh__/__en__): not an NLLB-200 or M2M-100 model"
                )
        return self._codes

    def _load_tokenizers(self) -> None:
        self._sp = load_sentencepiece(self.path / "sentencepiece.bpe.model", self.path)
        _ = self.codes

    def encode(self, text: str) -> list[str]:
        return [self.codes[0], *self._sp.encode(text, out_type=str), "</s>"]

    def target_prefix(self) -> list[str]:
        return [self.codes[1]]

    def decode(self, tokens: list[str]) -> str:
        return pieces_text(self._sp, self._strip_prefix(tokens))
