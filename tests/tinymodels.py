"""Tiny but genuine models of the other CTranslate2 families, built at test time.

Like `tinyargos`, each is a real CTranslate2 model (random weights, int8) with a real tokenizer
trained in memory, laid out file for file as CTranslate2's converters lay out the real ones:

``nllb``     model.bin, config.json, shared_vocabulary.json, sentencepiece.bpe.model; the
             vocabulary holds the language codes (``zho_Hans``/``eng_Latn``, or M2M-100's
             ``__zh__``/``__en__`` with ``m2m=True``); the decoder starts from ``</s>``
``opus-mt``  model.bin, config.json, shared_vocabulary.json, source.spm and target.spm (two
             SentencePiece models, one vocabulary holding both sets of pieces)
``llm``      a decoder-only model (model.bin, config.json, vocabulary.json) with the
             `tokenizers` library's byte-level BPE tokenizer.json, tokenizer_config.json with a
             ChatML chat template and generation_config.json

Random weights write gibberish that never ends early (the end tokens are barred), which is what
the tests want: the names must survive whatever the model writes, through the pipeline's checks
and repairs.
"""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import numpy as np
import sentencepiece as spm
import tinyargos
from ctranslate2.specs import transformer_spec
from tinyargos import D_MODEL, FFN_DIM, NUM_HEADS, NUM_LAYERS, _build_spec, _Init

from bilingual.models.converted import MANIFEST

__all__ = ["build_llm", "build_model", "build_nllb", "build_opus_mt"]

CHATML = (
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + "
    "message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


def _manifest(path: Path, engine: str, name: str, licence: str) -> None:
    (path / MANIFEST).write_text(
        json.dumps({"engine": engine, "name": name, "version": "1.0", "licence": licence}),
        encoding="utf-8",
    )


def _sentencepiece(lines: list[str], symbols: list[str], size: int = 1000) -> bytes:
    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buf,
        model_type="unigram",
        vocab_size=size,
        hard_vocab_limit=False,
        character_coverage=1.0,
        byte_fallback=True,
        user_defined_symbols=symbols,
        num_threads=1,
        minloglevel=2,
    )
    return buf.getvalue()


def _pieces(model: bytes) -> list[str]:
    sp = spm.SentencePieceProcessor(model_proto=model)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def build_nllb(
    dest: Path, *, name: str = "tiny-nllb", seed: int = 0, m2m: bool = False, manifest: bool = True
) -> Path:
    """A converted NLLB-200 (or M2M-100) folder `dest/name`, and its path."""
    path = Path(dest) / name
    path.mkdir(parents=True)
    codes = ["__zh__", "__en__"] if m2m else ["zho_Hans", "eng_Latn", "zho_Hant"]
    model = _sentencepiece(tinyargos._training_lines(random.Random(seed)), codes)
    (path / "sentencepiece.bpe.model").write_bytes(model)
    spec = _build_spec(_pieces(model), deterministic=False, target_prefix="", seed=seed)
    spec.config.decoder_start_token = "</s>"
    spec.save(str(path))
    if manifest:
        _manifest(path, "nllb", name, "CC-BY-NC-4.0")
    return path


def build_opus_mt(dest: Path, *, name: str = "tiny-opus-mt", seed: int = 0) -> Path:
    """A converted OPUS-MT (Marian) folder `dest/name`, and its path."""
    path = Path(dest) / name
    path.mkdir(parents=True)
    lines = tinyargos._training_lines(random.Random(seed))
    source = _sentencepiece(lines[0::2], [], size=900)  # the Chinese lines
    target = _sentencepiece(lines[1::2], [], size=400)  # the English ones
    (path / "source.spm").write_bytes(source)
    (path / "target.spm").write_bytes(target)
    vocab = list(dict.fromkeys(["</s>", "<unk>", "<s>", *_pieces(source), *_pieces(target)]))
    spec = _build_spec(vocab, deterministic=False, target_prefix="", seed=seed)
    spec.config.decoder_start_token = "</s>"
    spec.save(str(path))
    _manifest(path, "opus-mt", name, "CC-BY-4.0")
    return path


def _bpe_tokenizer(seed: int) -> object:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=1200,
        special_tokens=["<|endoftext|>", "<|im_start|>", "<|im_end|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    lines = tinyargos._training_lines(random.Random(seed))
    tok.train_from_iterator(lines, trainer=trainer)
    return tok


def build_llm(dest: Path, *, name: str = "tiny-llm", seed: int = 0) -> Path:
    """A converted instruction LLM folder `dest/name` (ChatML, like Qwen2), and its path."""
    path = Path(dest) / name
    path.mkdir(parents=True)
    tok = _bpe_tokenizer(seed)
    tok.save(str(path / "tokenizer.json"))  # type: ignore[attr-defined]
    size = tok.get_vocab_size()  # type: ignore[attr-defined]
    vocab = [tok.id_to_token(i) for i in range(size)]  # type: ignore[attr-defined]
    (path / "tokenizer_config.json").write_text(
        json.dumps(
            {
                "chat_template": CHATML,
                "eos_token": "<|im_end|>",
                "bos_token": None,
                "pad_token": "<|endoftext|>",
            }
        ),
        encoding="utf-8",
    )
    (path / "generation_config.json").write_text(
        json.dumps({"eos_token_id": [vocab.index("<|im_end|>"), vocab.index("<|endoftext|>")]}),
        encoding="utf-8",
    )

    spec = transformer_spec.TransformerDecoderModelSpec.from_config(
        NUM_LAYERS[1], NUM_HEADS, pre_norm=True
    )
    init = _Init(np.random.default_rng(seed), std=0.1)
    dec = spec.decoder
    dec.embeddings.weight = init.normal(size, D_MODEL)
    init.layer_norm(dec.layer_norm)
    for layer in dec.layer:
        init.attention(layer.self_attention, self_attn=True)
        init.ffn(layer.ffn)
    dec.projection.weight = init.normal(size, D_MODEL)
    bias = np.zeros(size, dtype=np.float32)
    for i, token in enumerate(vocab):
        if token.startswith("<|"):  # never ends early, never writes a control token
            bias[i] = -1e4
    dec.projection.bias = bias
    spec.register_vocabulary(vocab)
    spec.config.bos_token = "<|endoftext|>"
    spec.config.eos_token = "<|im_end|>"
    spec.config.unk_token = "<|endoftext|>"
    spec.validate()
    spec.optimize(quantization="int8")
    spec.save(str(path))
    _manifest(path, "llm", name, "Apache-2.0")
    assert FFN_DIM  # the same shape as the other tiny models
    return path


def build_model(engine: str, dest: Path, **kwargs: object) -> Path:
    """A tiny model folder of `engine`'s family (argos: an unpacked package)."""
    if engine == "argos":
        return tinyargos.build_unpacked(Path(dest), deterministic=False)
    builders = {"nllb": build_nllb, "opus-mt": build_opus_mt, "llm": build_llm}
    return builders[engine](Path(dest), **kwargs)  # type: ignore[operator]
