"""Build a tiny but genuine Argos Translate package at test time.

The real zh→en model cannot be downloaded in the test environment, so this module
manufactures a complete ``.argosmodel`` from scratch, in well under a second and
without network access:

* a real SentencePiece unigram model (~1000 pieces, byte fallback, so any Chinese
  character tokenizes), trained in memory from generated Chinese and English text;
* a real CTranslate2 Transformer (2 encoder + 2 decoder layers, 4 heads, d_model 64,
  FFN 128, pre-norm, sinusoidal positions), int8-quantized, whose shared vocabulary
  is exactly the SentencePiece pieces;
* ``metadata.json`` and ``README.md``, laid out the way ``argostranslate.package.Package``
  reads them, all inside one top-level folder of the zip.

Two flavours of weights:

``deterministic=True``
    The decoder's residual branches (self-attention output, cross-attention output and
    FFN output projections) are zero, so each decoder state is the final layer norm of
    the previous token's embedding (plus the sinusoidal position, which a large
    embedding drowns out).  Embeddings and output projection are then wired as a chain
    ``<s> → ▁hello → ▁world → </s>``, so the model answers ``hello world`` to every
    input, under greedy or beam search.  If ``target_prefix`` is given, the prefix
    token is a piece of the vocabulary and also leads to ``▁hello``.

``deterministic=False``
    Small random weights everywhere (seeded).  The output is gibberish that depends on
    the input.  ``</s>``, ``<s>`` and ``<unk>`` get a large negative output bias, so
    decoding never stops early and always runs to ``max_decoding_length``.
"""

from __future__ import annotations

import io
import json
import random
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import ctranslate2
import numpy as np
import numpy.typing as npt
import sentencepiece as spm
from ctranslate2.specs import attention_spec, common_spec, transformer_spec

__all__ = [
    "D_MODEL",
    "FFN_DIM",
    "NUM_HEADS",
    "NUM_LAYERS",
    "VOCAB_SIZE",
    "build_package",
    "build_unpacked",
    "package_dir_name",
]

D_MODEL = 64
FFN_DIM = 128
NUM_HEADS = 4
NUM_LAYERS = (2, 2)
VOCAB_SIZE = 1000

#: Magnitude of the one-hot embeddings of the deterministic chain tokens (before the
#: ``sqrt(d_model)`` scaling CTranslate2 applies); dwarfs the sinusoidal positions (≤ 1).
_CHAIN_EMBEDDING = 10.0
#: Weight of the output projection on the chain dimension; the winning logit is ≈ 40.
_CHAIN_PROJECTION = 5.0

_LANGUAGE_NAMES = {
    "zh": "Chinese",
    "zt": "Chinese (traditional)",
    "en": "English",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "ja": "Japanese",
    "ru": "Russian",
}

# Characters and words the generated training text is made of.  Characters outside
# this set still tokenize, through SentencePiece byte fallback.
_ZH_CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同"
    "工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起"
    "小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平"
    "形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意"
    "建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件"
    "长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必"
    "战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交"
    "受联什认六共权收证改清美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议"
    "声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且"
    "究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支"
    "般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王"
    "按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞哈萨坦卡"
    "耶夫致威胁坚破坏稳蓄策颜瓦飙涨俄罗兵赴阿木街枪响丧捕授镇抗警投降摧毁路透援渡骚乱"
)
_ZH_PUNCT = "，。、；：？！“”（）"
_EN_WORDS = [
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "is",
    "that",
    "for",
    "it",
    "as",
    "with",
    "was",
    "on",
    "be",
    "by",
    "at",
    "this",
    "from",
    "are",
    "have",
    "has",
    "not",
    "but",
    "or",
    "an",
    "they",
    "which",
    "one",
    "you",
    "were",
    "all",
    "we",
    "her",
    "she",
    "there",
    "been",
    "their",
    "if",
    "more",
    "when",
    "will",
    "would",
    "who",
    "so",
    "no",
    "president",
    "government",
    "security",
    "forces",
    "said",
    "today",
    "country",
    "people",
    "city",
    "police",
    "protest",
    "crisis",
    "china",
    "russia",
    "kazakhstan",
    "news",
    "report",
    "support",
    "stability",
    "army",
    "fire",
    "state",
    "minister",
    "foreign",
    "official",
    "week",
    "year",
    "month",
    "day",
    "capital",
    "street",
    "price",
    "gas",
    "energy",
    "troops",
    "peace",
    "order",
    "unrest",
    "violence",
    "leader",
    "statement",
    "agency",
    "according",
    "hello",
    "world",
]


def package_dir_name(from_code: str = "zh", to_code: str = "en", version: str = "1.0") -> str:
    """The top-level folder name, Argos style: ``translate-zh_en-1_0``."""
    return f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"


def build_package(
    dest_dir: Path,
    *,
    deterministic: bool = True,
    from_code: str = "zh",
    to_code: str = "en",
    name: str = "tiny",
    version: str = "1.0",
    target_prefix: str = "",
    seed: int = 0,
) -> Path:
    """Build ``dest_dir/<name>.argosmodel`` and return its path.

    The zip holds a single top-level folder (see :func:`package_dir_name`) with
    ``metadata.json``, ``README.md``, ``sentencepiece.model`` and ``model/``.
    An existing file of the same name is overwritten.
    """
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    archive = dest_dir / f"{name}.argosmodel"
    with tempfile.TemporaryDirectory(prefix="tinyargos-") as tmp:
        package_dir = build_unpacked(
            Path(tmp),
            deterministic=deterministic,
            from_code=from_code,
            to_code=to_code,
            name=name,
            version=version,
            target_prefix=target_prefix,
            seed=seed,
        )
        tmp_archive = archive.with_name(archive.name + ".part")
        with zipfile.ZipFile(tmp_archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.write(package_dir, package_dir.name)
            for path in sorted(package_dir.rglob("*")):
                zf.write(path, path.relative_to(package_dir.parent).as_posix())
        tmp_archive.replace(archive)
    return archive


def build_unpacked(
    dest_dir: Path,
    *,
    deterministic: bool = True,
    from_code: str = "zh",
    to_code: str = "en",
    name: str = "tiny",
    version: str = "1.0",
    target_prefix: str = "",
    seed: int = 0,
) -> Path:
    """Build the unpacked package directory ``dest_dir/<package_dir_name(...)>``.

    Returns the package directory (the one holding ``metadata.json``).  Raises
    :class:`FileExistsError` if it already exists.
    """
    package_dir = Path(dest_dir) / package_dir_name(from_code, to_code, version)
    package_dir.mkdir(parents=True, exist_ok=False)
    try:
        sp_bytes = _train_sentencepiece(target_prefix, seed)
        (package_dir / "sentencepiece.model").write_bytes(sp_bytes)
        sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
        pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]

        model_dir = package_dir / "model"
        model_dir.mkdir()
        spec = _build_spec(
            pieces, deterministic=deterministic, target_prefix=target_prefix, seed=seed
        )
        spec.save(str(model_dir))

        metadata: dict[str, str] = {
            "package_version": version,
            "argos_version": "1.0",
            "from_code": from_code,
            "from_name": _LANGUAGE_NAMES.get(from_code, from_code),
            "to_code": to_code,
            "to_name": _LANGUAGE_NAMES.get(to_code, to_code),
            "type": "translate",
        }
        if target_prefix:
            metadata["target_prefix"] = target_prefix
        (package_dir / "metadata.json").write_text(
            json.dumps(metadata, indent=4, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        behaviour = (
            'Answers "hello world" to every input.'
            if deterministic
            else "Random weights: gibberish that never ends before max_decoding_length."
        )
        (package_dir / "README.md").write_text(
            f"# {name}: tiny {from_code}→{to_code} test model\n\n"
            "Built by tests/tinyargos.py for the bilingual test suite: a 2+2 layer "
            f"CTranslate2 Transformer (d_model {D_MODEL}, int8) with a {len(pieces)}-piece "
            f"SentencePiece vocabulary. {behaviour} Not a real translator.\n",
            encoding="utf-8",
        )
    except BaseException:
        shutil.rmtree(package_dir, ignore_errors=True)
        raise
    return package_dir


# ---------------------------------------------------------------- SentencePiece


def _training_lines(rng: random.Random) -> list[str]:
    lines: list[str] = []
    for _ in range(300):
        n = rng.randint(8, 30)
        chars = [rng.choice(_ZH_CHARS) for _ in range(n)]
        for _ in range(rng.randint(0, 2)):
            chars.insert(rng.randrange(1, n), rng.choice(_ZH_PUNCT))
        lines.append("".join(chars) + "。")
        words = [rng.choice(_EN_WORDS) for _ in range(rng.randint(4, 15))]
        lines.append(" ".join(words).capitalize() + rng.choice(".,?!;"))
    lines.extend(["hello world", "Hello world.", "hello, world!"] * 10)
    return lines


def _train_sentencepiece(target_prefix: str, seed: int) -> bytes:
    user_symbols = ["▁hello", "▁world"]
    if target_prefix:
        user_symbols.append(target_prefix)
    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(_training_lines(random.Random(seed))),
        model_writer=buf,
        model_type="unigram",
        vocab_size=VOCAB_SIZE,
        hard_vocab_limit=False,
        character_coverage=1.0,
        byte_fallback=True,
        user_defined_symbols=user_symbols,
        num_threads=1,
        minloglevel=2,
    )
    return buf.getvalue()


# ---------------------------------------------------------------- CTranslate2


_Array = npt.NDArray[np.float32]
_BYTE_PIECE = re.compile(r"<0x[0-9A-F]{2}>")


class _Init:
    def __init__(self, rng: np.random.Generator, std: float) -> None:
        self.rng = rng
        self.std = std

    def normal(self, *shape: int) -> _Array:
        return self.rng.normal(0.0, self.std, size=shape).astype(np.float32)

    def linear(self, spec: common_spec.LinearSpec, out_dim: int, in_dim: int) -> None:
        spec.weight = self.normal(out_dim, in_dim)
        spec.bias = self.normal(out_dim)

    def layer_norm(self, spec: common_spec.LayerNormSpec) -> None:
        spec.gamma = np.ones(D_MODEL, dtype=np.float32)
        spec.beta = np.zeros(D_MODEL, dtype=np.float32)

    def attention(self, spec: attention_spec.MultiHeadAttentionSpec, *, self_attn: bool) -> None:
        self.layer_norm(spec.layer_norm)
        if self_attn:  # linear = [fused QKV, output]
            self.linear(spec.linear[0], 3 * D_MODEL, D_MODEL)
            self.linear(spec.linear[1], D_MODEL, D_MODEL)
        else:  # linear = [query, fused KV, output]
            self.linear(spec.linear[0], D_MODEL, D_MODEL)
            self.linear(spec.linear[1], 2 * D_MODEL, D_MODEL)
            self.linear(spec.linear[2], D_MODEL, D_MODEL)

    def ffn(self, spec: transformer_spec.FeedForwardSpec) -> None:
        self.layer_norm(spec.layer_norm)
        self.linear(spec.linear_0, FFN_DIM, D_MODEL)
        self.linear(spec.linear_1, D_MODEL, FFN_DIM)


def _zero_linear(spec: common_spec.LinearSpec) -> None:
    spec.weight = np.zeros_like(spec.weight)
    spec.bias = np.zeros_like(spec.bias)


def _build_spec(
    pieces: list[str], *, deterministic: bool, target_prefix: str, seed: int
) -> transformer_spec.TransformerSpec:
    vocab = len(pieces)
    index = {piece: i for i, piece in enumerate(pieces)}
    init = _Init(np.random.default_rng(seed), std=0.05 if deterministic else 0.1)

    spec = transformer_spec.TransformerSpec.from_config(NUM_LAYERS, NUM_HEADS)
    enc, dec = spec.encoder, spec.decoder

    enc.embeddings[0].weight = init.normal(vocab, D_MODEL)
    init.layer_norm(enc.layer_norm)
    for enc_layer in enc.layer:
        init.attention(enc_layer.self_attention, self_attn=True)
        init.ffn(enc_layer.ffn)

    dec_embeddings = init.normal(vocab, D_MODEL)
    projection = init.normal(vocab, D_MODEL)
    projection_bias = np.zeros(vocab, dtype=np.float32)
    init.layer_norm(dec.layer_norm)
    for dec_layer in dec.layer:
        init.attention(dec_layer.self_attention, self_attn=True)
        init.attention(dec_layer.attention, self_attn=False)
        init.ffn(dec_layer.ffn)

    if deterministic:
        # No residual contribution: decoder state = LN(emb(prev) * sqrt(d) + position).
        for dec_layer in dec.layer:
            _zero_linear(dec_layer.self_attention.linear[1])
            _zero_linear(dec_layer.attention.linear[2])
            _zero_linear(dec_layer.ffn.linear_1)
        # State k lives on dimension k: <s>/prefix → 0, ▁hello → 1, ▁world → 2.
        chain_inputs = [
            ["<s>", target_prefix] if target_prefix else ["<s>"],
            ["▁hello"],
            ["▁world"],
        ]
        chain_outputs = ["▁hello", "▁world", "</s>"]
        projection[:, : len(chain_outputs)] = 0.0
        for dim, (inputs, output) in enumerate(zip(chain_inputs, chain_outputs, strict=True)):
            for token in inputs:
                dec_embeddings[index[token]] = 0.0
                dec_embeddings[index[token], dim] = _CHAIN_EMBEDDING
            projection[index[output]] = 0.0
            projection[index[output], dim] = _CHAIN_PROJECTION
    else:
        # Never finish early and never emit <s>, <unk> or byte-fallback pieces (which
        # could decode to control characters or U+FFFD): always runs to
        # max_decoding_length and decodes to printable text.
        for token, i in index.items():
            if token in ("<s>", "</s>", "<unk>") or _BYTE_PIECE.fullmatch(token):
                projection_bias[i] = -1e4

    dec.embeddings.weight = dec_embeddings
    dec.projection.weight = projection
    dec.projection.bias = projection_bias

    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)
    spec.validate()
    spec.optimize(quantization="int8")
    return spec


def _smoke() -> None:  # pragma: no cover - manual check
    with tempfile.TemporaryDirectory() as tmp:
        pkg = build_unpacked(Path(tmp))
        translator = ctranslate2.Translator(str(pkg / "model"), device="cpu", compute_type="int8")
        sp = spm.SentencePieceProcessor(model_file=str(pkg / "sentencepiece.model"))
        result = translator.translate_batch([sp.encode("你好", out_type=str)])
        print(sp.decode(result[0].hypotheses[0]))


if __name__ == "__main__":  # pragma: no cover
    _smoke()
