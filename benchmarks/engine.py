"""Benchmark bilingual's Argos engine against argostranslate and raw CTranslate2, offline.

    python benchmarks/engine.py [--sentences 200] [--beam 4] [--quick] [--argos-venv DIR]

Builds a realistic-size random Argos zh→en package under a temporary directory (6+6 layers,
d_model 512, 8 heads, FFN 2048, a SentencePiece model trained on the samples padded to a
50k-piece vocabulary, shared embeddings, int8: about 70 MB), then translates the same Chinese
sentences (those of samples/*.txt and samples/*.md, cycled to --sentences) with the same
decoding bound, each engine in its own subprocess:

  (a) argostranslate.translate, one call per paragraph, its defaults (32-token batches);
  (b) the same with ARGOS_BATCH_SIZE=2048;
  (c) raw CTranslate2: one translate_batch over all pre-tokenized segments, bilingual's settings;
  (d) bilingual's ArgosEngine.translate_batch over all segments.

(a) and (b) run stock argostranslate, with stanza and torch, as argospm and LibreTranslate
users have it, in a virtual environment of their own: bilingual's install has only the torch-free
build (argos-translate-lt). --argos-venv names it; one that does not exist yet is built there
once (CPU-only torch, then `argostranslate==STOCK_ARGOS`) and reused by later runs.

Random weights never emit </s>, so every output runs to max_decoding_length and the work is
fixed by the decoding bound. argostranslate never passes one, so its ctranslate2.Translator is
wrapped: the wrapper cuts each call into the batches CTranslate2 itself would form and gives
each batch decoding_bound(longest source), the policy bilingual applies to its chunks. Timings
are printed, never asserted. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import itertools
import json
import os
import platform
import random
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from quality import peak_rss_kb  # VmHWM: a forked worker's own peak, not its parent's

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
RESULT_MARK = "BENCH-RESULT "
WARMUP = "你好。"
_HAN = re.compile(r"[\u3400-\u9fff\U00020000-\U0003134f]")


@dataclass(frozen=True)
class ModelSize:
    layers: tuple[int, int]
    d_model: int
    heads: int
    ffn: int
    vocab: int  # CTranslate2 vocabulary after padding with dummy tokens

    def describe(self) -> str:
        return (
            f"{self.layers[0]}+{self.layers[1]} layers, d_model {self.d_model}, "
            f"{self.heads} heads, FFN {self.ffn}"
        )


#: The stock argostranslate release (a) and (b) run (the one the figures in the README used).
STOCK_ARGOS = "1.11.0"
#: Where the stock argostranslate environment lives unless --argos-venv says otherwise.
DEFAULT_ARGOS_VENV = Path("~/.cache/bilingual/bench-argostranslate-venv").expanduser()

FULL = ModelSize((6, 6), 512, 8, 2048, 50_000)
QUICK = ModelSize((2, 2), 256, 4, 1024, 8_000)

ENGINES = {
    "argos": "(a) argostranslate, defaults",
    "argos-2048": "(b) argostranslate, ARGOS_BATCH_SIZE=2048",
    "ct2": "(c) raw CTranslate2 translate_batch",
    "bilingual": "(d) bilingual ArgosEngine",
}


# ---------------------------------------------------------------- inputs


def is_chinese(text: str) -> bool:
    return len(_HAN.findall(text)) * 2 >= len(text.replace(" ", ""))


def sample_paragraphs() -> list[list[str]]:
    """Each block of the samples as its Chinese sentences, in file order."""
    from bilingual.readers import read_article
    from bilingual.translation.segment import split_sentences

    paragraphs = []
    articles = [*SAMPLES.glob("*.txt"), *SAMPLES.glob("*.md")]
    for path in sorted(p for p in articles if p.name != "README.md"):  # the folder's notes
        for block in read_article(path).blocks:
            sentences = [s for s in split_sentences(block.zh) if is_chinese(s)]
            if sentences:
                paragraphs.append(sentences)
    if not paragraphs:
        raise SystemExit(f"no Chinese sentences found in {SAMPLES}")
    return paragraphs


def cycle_to(paragraphs: list[list[str]], n: int) -> list[list[str]]:
    """Paragraphs, cycled until they hold n sentences (the last one cut short)."""
    out: list[list[str]] = []
    total = 0
    for para in itertools.cycle(paragraphs):
        if total >= n:
            break
        out.append(para[: n - total])
        total += len(out[-1])
    return out


# ---------------------------------------------------------------- the package


def train_sentencepiece(lines: list[str]) -> bytes:
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buf,
        model_type="unigram",
        vocab_size=8000,
        hard_vocab_limit=False,
        character_coverage=1.0,
        byte_fallback=True,
        # Short pieces: about 0.7 tokens per Chinese character, close to a real model's
        # segmentation even though the benchmark text is in the training data.
        max_sentencepiece_length=4,
        num_threads=os.cpu_count() or 1,
        minloglevel=2,
    )
    return buf.getvalue()


def build_spec(pieces: list[str], real: int, size: ModelSize, seed: int = 0) -> Any:
    """A random pre-norm Transformer over `pieces`, of which the first `real` are SentencePiece's.

    Generalises tests/tinyargos.py (random flavour) to any size. Encoder embeddings, decoder
    embeddings and output projection are one matrix, as in Argos's OpenNMT models, so
    CTranslate2 stores it once. </s>, <s>, <unk>, byte pieces and the padding pieces get a large
    negative output bias: decoding never stops early and the output always decodes to text.
    """
    import numpy as np
    from ctranslate2.specs import transformer_spec

    byte_piece = re.compile(r"<0x[0-9A-F]{2}>")
    rng = np.random.default_rng(seed)
    d, ffn = size.d_model, size.ffn

    def normal(*shape: int) -> Any:
        return rng.standard_normal(shape, dtype=np.float32) * np.float32(0.02)

    def linear(spec: Any, out_dim: int, in_dim: int) -> None:
        spec.weight = normal(out_dim, in_dim)
        spec.bias = normal(out_dim)

    def layer_norm(spec: Any) -> None:
        spec.gamma = np.ones(d, dtype=np.float32)
        spec.beta = np.zeros(d, dtype=np.float32)

    def attention(spec: Any, *, self_attn: bool) -> None:
        layer_norm(spec.layer_norm)
        if self_attn:  # [fused QKV, output]
            linear(spec.linear[0], 3 * d, d)
            linear(spec.linear[1], d, d)
        else:  # [query, fused KV, output]
            linear(spec.linear[0], d, d)
            linear(spec.linear[1], 2 * d, d)
            linear(spec.linear[2], d, d)

    def feed_forward(spec: Any) -> None:
        layer_norm(spec.layer_norm)
        linear(spec.linear_0, ffn, d)
        linear(spec.linear_1, d, ffn)

    spec = transformer_spec.TransformerSpec.from_config(size.layers, size.heads)
    embeddings = normal(len(pieces), d)
    spec.encoder.embeddings[0].weight = embeddings
    layer_norm(spec.encoder.layer_norm)
    for layer in spec.encoder.layer:
        attention(layer.self_attention, self_attn=True)
        feed_forward(layer.ffn)
    layer_norm(spec.decoder.layer_norm)
    for layer in spec.decoder.layer:
        attention(layer.self_attention, self_attn=True)
        attention(layer.attention, self_attn=False)
        feed_forward(layer.ffn)
    bias = np.zeros(len(pieces), dtype=np.float32)
    for i, piece in enumerate(pieces):
        if i >= real or piece in ("<s>", "</s>", "<unk>") or byte_piece.fullmatch(piece):
            bias[i] = -1e4
    spec.decoder.embeddings.weight = embeddings
    spec.decoder.projection.weight = embeddings
    spec.decoder.projection.bias = bias
    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)
    spec.validate()
    spec.optimize(quantization="int8")
    return spec


def build_package(dest: Path, size: ModelSize, text: list[str]) -> tuple[Path, int]:
    """An unpacked Argos package dest/translate-zh_en-bench; returns it and the real piece count."""
    import sentencepiece as spm

    sys.path.insert(0, str(ROOT / "tests"))
    import tinyargos  # the generated Chinese/English lines the test packages are trained on

    package_dir = dest / "translate-zh_en-bench"
    (package_dir / "model").mkdir(parents=True)
    sp_bytes = train_sentencepiece(text + tinyargos._training_lines(random.Random(0)))
    (package_dir / "sentencepiece.model").write_bytes(sp_bytes)
    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    real = len(pieces)
    pieces += [f"<bench{i}>" for i in range(max(0, size.vocab - real))]
    build_spec(pieces, real, size).save(str(package_dir / "model"))
    metadata = {
        "package_version": "1.0",
        "argos_version": "1.0",
        "from_code": "zh",
        "from_name": "Chinese",
        "to_code": "en",
        "to_name": "English",
        "type": "translate",
    }
    (package_dir / "metadata.json").write_text(json.dumps(metadata, indent=4) + "\n")
    (package_dir / "README.md").write_text("Random weights, built by benchmarks/engine.py.\n")
    return package_dir, real


# ---------------------------------------------------------------- the worker side


@dataclass
class Meter:
    batches: int = 0  # CTranslate2 batches (as CTranslate2 forms them inside a call)
    sentences: int = 0
    tokens: int = 0  # output tokens of the best hypothesis
    at_bound: int = 0  # outputs that ran to max_decoding_length
    unbounded_calls: int = 0  # calls that reached CTranslate2 without max_decoding_length
    ct2_s: float = 0.0  # wall time spent inside CTranslate2's translate_batch


def ct2_batches(lengths: Sequence[int], max_batch_size: int, batch_type: str) -> list[list[int]]:
    """The batches CTranslate2 cuts a translate_batch call into (rebatch_input, batch_reader.cc).

    Longest first; a batch grows while (examples + 1) * longest stays within max_batch_size.
    """
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    if max_batch_size <= 0:
        return [order] if order else []
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for i in order:
        increment = lengths[i] if batch_type == "tokens" else 1
        longest = max(longest, increment)
        if current and (len(current) + 1) * longest > max_batch_size:
            batches.append(current)
            current, longest = [], increment
        current.append(i)
    if current:
        batches.append(current)
    return batches


def metered_translator(meter: Meter, bound: Callable[[int], int] | None) -> Any:
    """A ctranslate2.Translator stand-in that counts output tokens.

    With `bound`, calls without max_decoding_length (argostranslate's) are cut into the batches
    CTranslate2 would form and each batch is decoded up to bound(longest source in it).
    """
    import ctranslate2

    real = ctranslate2.Translator

    class MeteredTranslator:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self._inner = real(*args, **kwargs)

        def __getattr__(self, name: str) -> Any:
            return getattr(self._inner, name)

        def translate_batch(self, source: list[list[str]], **kwargs: Any) -> list[Any]:
            lengths = [len(s) for s in source]
            max_batch = kwargs.get("max_batch_size", 0)
            batch_type = kwargs.get("batch_type", "examples")
            if bound is None or "max_decoding_length" in kwargs:
                if "max_decoding_length" not in kwargs:
                    meter.unbounded_calls += 1
                t0 = time.perf_counter()
                results = self._inner.translate_batch(source, **kwargs)
                meter.ct2_s += time.perf_counter() - t0
                meter.batches += len(ct2_batches(lengths, max_batch, batch_type))
                self._count(results, kwargs.get("max_decoding_length"))
                return list(results)
            prefix = kwargs.pop("target_prefix", None)
            out: list[Any] = [None] * len(source)
            for batch in ct2_batches(lengths, max_batch, batch_type):
                limit = bound(max(lengths[i] for i in batch))
                t0 = time.perf_counter()
                results = self._inner.translate_batch(
                    [source[i] for i in batch],
                    target_prefix=[prefix[i] for i in batch] if prefix else None,
                    max_decoding_length=limit,
                    **kwargs,
                )
                meter.ct2_s += time.perf_counter() - t0
                meter.batches += 1
                self._count(results, limit)
                for i, r in zip(batch, results, strict=True):
                    out[i] = r
            return out

        @staticmethod
        def _count(results: Sequence[Any], limit: int | None) -> None:
            for r in results:
                n = len(r.hypotheses[0]) if r.hypotheses else 0
                meter.sentences += 1
                meter.tokens += n
                meter.at_bound += int(n == limit)

    ctranslate2.Translator = MeteredTranslator  # type: ignore[misc]
    return MeteredTranslator


def block_network() -> None:
    """Any connection attempt fails loudly instead of quietly downloading a model."""

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError("benchmark: network access is disabled")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.socket.connect_ex = refuse  # type: ignore[method-assign]
    socket.create_connection = refuse


@dataclass
class Timing:
    ready_s: float = 0.0  # imports + model load + one warm-up sentence
    translate_s: float = 0.0
    cpu_s: float = 0.0  # user + system CPU time of the process while translating
    outside_s: float = 0.0  # wall time outside CTranslate2's translate_batch calls
    passes: list[float] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)

    def measure(self, run: Callable[[], Any], meter: Meter, repeat: int) -> Any:
        """Run `repeat` passes and keep the fastest (the machine may be shared)."""
        result = None
        for _ in range(max(1, repeat)):
            _reset(meter)
            t0, cpu0 = time.perf_counter(), _cpu_time()
            result = run()
            wall, cpu = time.perf_counter() - t0, _cpu_time() - cpu0
            if not self.passes or wall < self.translate_s:
                self.translate_s, self.cpu_s = wall, cpu
                self.outside_s = wall - meter.ct2_s
            self.passes.append(round(wall, 2))
        return result


def _cpu_time() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_argos(paragraphs: list[list[str]], meter: Meter, timing: Timing, repeat: int) -> None:
    t0 = time.perf_counter()
    import argostranslate.translate as argos_translate
    from argostranslate import settings as argos_settings
    from argostranslate.sbd import ISentenceBoundaryDetectionModel

    from bilingual.translation.segment import split_sentences

    import_s = time.perf_counter() - t0
    seen: list[str] = []

    class BilingualSplitter(ISentenceBoundaryDetectionModel):
        """Offline stand-in for MiniSBD, which downloads zh-hans.onnx on first use."""

        def split_sentences(self, text: str) -> list[str]:
            sentences = split_sentences(text)
            seen.extend(sentences)
            return sentences

    translation: Any = argos_translate.get_translation_from_codes("zh", "en")
    package_translation = getattr(translation, "underlying", translation)
    if not hasattr(package_translation, "sentencizer"):
        raise SystemExit(f"unexpected argostranslate translation object: {translation!r}")
    package_translation.sentencizer = BilingualSplitter()
    translation.translate(WARMUP)
    timing.ready_s = time.perf_counter() - t0
    timing.info = {
        "import_s": round(import_s, 2),
        "ARGOS_BATCH_SIZE": argos_settings.batch_size,
        "compute_type": argos_settings.compute_type,
        "intra_threads": argos_settings.intra_threads,
        "beam_size": argos_settings.beam_size,
    }
    expected = [s for p in paragraphs for s in p]
    texts = ["".join(p) for p in paragraphs]

    def one_pass() -> None:
        seen.clear()
        if isinstance(getattr(translation, "cache", None), dict):
            translation.cache = {}  # CachedTranslation: no reuse across passes
        for text in texts:
            translation.translate(text)

    timing.measure(one_pass, meter, repeat)
    timing.info["same_segments"] = seen == expected


def run_ct2(
    job: dict[str, Any], segments: list[str], meter: Meter, timing: Timing, repeat: int
) -> None:
    t0 = time.perf_counter()
    import ctranslate2
    import sentencepiece as spm

    from bilingual.engines.argos import ArgosSettings

    settings = ArgosSettings(beam=job["beam"], max_batch_tokens=job["max_batch_tokens"])
    package = Path(job["package"])
    sp = spm.SentencePieceProcessor(model_file=str(package / "sentencepiece.model"))
    translator = ctranslate2.Translator(
        str(package / "model"),
        device=settings.device,
        compute_type=settings.compute_type,
        inter_threads=1,
        intra_threads=os.cpu_count() or 1,
    )
    options = {
        "beam_size": settings.beam,
        "length_penalty": settings.length_penalty,
        "replace_unknowns": True,
        "max_batch_size": settings.max_batch_tokens,
        "batch_type": "tokens",
        "return_scores": True,
    }
    translator.translate_batch([sp.encode(WARMUP, out_type=str)], **options)
    timing.ready_s = time.perf_counter() - t0
    tokens = [sp.encode(s, out_type=str) for s in segments]  # not timed: "pre-tokenized"
    timing.measure(lambda: translator.translate_batch(tokens, **options), meter, repeat)
    timing.info = {"max_batch_tokens": settings.max_batch_tokens, "intra_threads": os.cpu_count()}


def run_bilingual(
    job: dict[str, Any], segments: list[str], meter: Meter, timing: Timing, repeat: int
) -> None:
    t0 = time.perf_counter()
    from bilingual.engines.argos import ArgosEngine, ArgosSettings

    settings = ArgosSettings(beam=job["beam"], max_batch_tokens=job["max_batch_tokens"])
    engine = ArgosEngine(job["package"], settings)
    engine.translate_batch([WARMUP])
    timing.ready_s = time.perf_counter() - t0
    results = timing.measure(lambda: engine.translate_batch(segments), meter, repeat)
    timing.info = {
        "max_batch_tokens": settings.max_batch_tokens,
        "threads": settings.threads or os.cpu_count(),
        "empty_results": sum(1 for r in results if not r.text),
    }


def _reset(meter: Meter) -> None:
    for name, value in asdict(Meter()).items():
        setattr(meter, name, value)


def worker(kind: str, job_path: Path) -> None:
    block_network()
    job = json.loads(job_path.read_text(encoding="utf-8"))
    paragraphs: list[list[str]] = job["paragraphs"]
    segments = [s for p in paragraphs for s in p]
    meter = Meter()
    timing = Timing()
    from bilingual.engines.argos import ArgosSettings, decoding_bound

    settings = ArgosSettings(beam=job["beam"])
    metered_translator(
        meter, None if kind == "bilingual" else lambda n: decoding_bound(n, settings)
    )
    if kind in ("argos", "argos-2048"):
        run_argos(paragraphs, meter, timing, job["repeat"])
    elif kind == "ct2":
        run_ct2(job, segments, meter, timing, job["repeat"])
    elif kind == "bilingual":
        run_bilingual(job, segments, meter, timing, job["repeat"])
    else:
        raise SystemExit(f"unknown worker {kind!r}")
    result = {
        "kind": kind,
        **asdict(meter),
        **asdict(timing),
        "peak_rss_mb": peak_rss_kb() / 1024,
    }
    print(RESULT_MARK + json.dumps(result), flush=True)


# ---------------------------------------------------------------- the parent side


def worker_env(kind: str, tmp: Path, beam: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARGOS_")}
    home = tmp / "home"
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        ARGOS_PACKAGES_DIR=str(tmp / "packages"),
    )
    if beam != 4:  # argostranslate's default is 4
        env["ARGOS_BEAM_SIZE"] = str(beam)
    if kind == "argos-2048":
        env["ARGOS_BATCH_SIZE"] = "2048"
    return env


def run_worker(
    kind: str, job: Path, tmp: Path, beam: int, argos_python: Path | None = None
) -> dict[str, Any] | None:
    """Run one engine in a subprocess: argostranslate's in its own environment (`argos_python`,
    with bilingual's source on PYTHONPATH for the shared sentence splitter), the others here."""
    python = str(argos_python) if kind.startswith("argos") and argos_python else sys.executable
    env = worker_env(kind, tmp, beam)
    if python != sys.executable:
        env["PYTHONPATH"] = str(ROOT)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [python, str(Path(__file__).resolve()), "--worker", kind, "--job", str(job)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - t0
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_MARK):
            result: dict[str, Any] = json.loads(line[len(RESULT_MARK) :])
            result["wall_s"] = wall
            return result
    tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
    print(f"{ENGINES[kind]}: worker failed (exit {proc.returncode})\n{tail}", file=sys.stderr)
    return None


def argos_venv_python(venv: Path) -> Path:
    """The Python of the stock argostranslate environment at `venv`, built there if missing.

    Built once: CPU-only torch first (PyTorch's CPU index, else whatever wheel pip finds, e.g. a
    local one), so pip never fetches the multi-GB CUDA build, then argostranslate==STOCK_ARGOS
    with its stanza. bilingual itself is not installed there (its argos-translate-lt would
    replace the stock argostranslate package): the worker finds it on PYTHONPATH.
    """
    python = venv / "bin" / "python"
    if python.exists() and _stock_argos_version(python):
        return python
    print(
        f"building the stock argostranslate environment in {venv} (once; about 2 GB with "
        "torch and stanza) ...",
        file=sys.stderr,
        flush=True,
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # pip sees that venv only
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    cpu_index = ["--index-url", "https://download.pytorch.org/whl/cpu", "--retries", "1"]
    cpu = subprocess.run([*pip, *cpu_index, "--timeout", "15", "torch"], env=env, check=False)
    if cpu.returncode:
        subprocess.run([*pip, "torch"], env=env, check=True)
    subprocess.run([*pip, f"argostranslate=={STOCK_ARGOS}"], env=env, check=True)
    if not _stock_argos_version(python):
        raise SystemExit(f"{venv}: argostranslate with stanza did not install")
    return python


def _stock_argos_version(python: Path) -> str:
    """argostranslate's version in the environment of `python`, "" unless it is the stock build
    (the one with stanza)."""
    code = (
        "import importlib.metadata as m, importlib.util as u; "
        "print(m.version('argostranslate') if u.find_spec('stanza') else '')"
    )
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=False)
    return done.stdout.strip() if done.returncode == 0 else ""


def best_of(command: list[str], n: int = 5) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t0)
    return min(times)


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def version(module: str) -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version(module)
    except PackageNotFoundError:
        return "not installed"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a"


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def report(
    results: dict[str, dict[str, Any] | None], n_sentences: int, help_s: float, pass_s: float
) -> None:
    header = (
        f"{'engine':<42} {'sent/s':>7} {'tok/s':>6} {'out tok':>7} {'@bound':>6} "
        f"{'sent/batch':>10} {'transl s':>8} {'cpu s':>6} {'ready s':>7} {'wall s':>6} "
        f"{'peak RSS':>8}"
    )
    print(header)
    print("-" * len(header))
    rates: dict[str, tuple[float, float]] = {}
    for kind, r in results.items():
        label = ENGINES[kind]
        if r is None:
            print(f"{label:<42} failed")
            continue
        secs = r["translate_s"]
        rates[kind] = (n_sentences / secs, r["tokens"] / secs)
        at_bound = 100 * r["at_bound"] / max(1, r["sentences"])
        print(
            f"{label:<42} {rates[kind][0]:>7.2f} {rates[kind][1]:>6.0f} {r['tokens']:>7} "
            f"{at_bound:>5.0f}% {r['sentences'] / max(1, r['batches']):>10.1f} {secs:>8.2f} "
            f"{r['cpu_s']:>6.1f} {r['ready_s']:>7.2f} {r['wall_s']:>6.1f} "
            f"{r['peak_rss_mb']:>5.0f} MB"
        )
    print()
    for kind, r in results.items():
        if r is not None:
            print(
                f"{ENGINES[kind]}: passes {r['passes']} s, {r['outside_s']:.3f} s outside "
                f"CTranslate2 calls; {json.dumps(r['info'])}"
            )
            if r["unbounded_calls"]:
                print(f"  warning: {r['unbounded_calls']} calls without max_decoding_length")
    print()
    if "bilingual" in rates:
        s, t = rates["bilingual"]
        for other, target in (
            ("argos", "target >= 5x"),
            ("argos-2048", ""),
            ("ct2", "target >= 0.90x"),
        ):
            if other in rates:
                o_s, o_t = rates[other]
                print(
                    f"bilingual vs {ENGINES[other]:<42} sentences/s {ratio(s, o_s):>6}, "
                    f"tokens/s {ratio(t, o_t):>6}  {target}".rstrip()
                )
    if help_s:
        print(
            f"bilingual --help: {help_s:.3f} s best of 5 (python -c pass: {pass_s:.3f} s, "
            f"difference {help_s - pass_s:.3f} s)  target < 0.3 s"
        )


def main(argv: list[str] | None = None) -> None:
    from bilingual.engines.argos import ArgosSettings

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, help="sentences to translate (default 200)")
    parser.add_argument("--beam", type=int, default=4, help="beam size (default 4)")
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: 2+2 layers, d_model 256, 40 sentences"
    )
    parser.add_argument(
        "--max-batch-tokens",
        type=int,
        default=ArgosSettings().max_batch_tokens,
        help="chunk size for (c) and (d) (default: bilingual's, %(default)s)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="timed passes per engine, the fastest is reported (default 1)",
    )
    parser.add_argument(
        "--engines",
        default=",".join(ENGINES),
        help="comma-separated subset of: %(default)s",
    )
    parser.add_argument(
        "--argos-venv",
        type=Path,
        default=DEFAULT_ARGOS_VENV,
        help="virtual environment with stock argostranslate (stanza, torch) for (a) and (b); "
        "built there once if missing (default: %(default)s)",
    )
    parser.add_argument("--worker", choices=sorted(ENGINES), help=argparse.SUPPRESS)
    parser.add_argument("--job", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.job)
        return
    kinds = [k.strip() for k in args.engines.split(",") if k.strip()]
    unknown = sorted(set(kinds) - set(ENGINES))
    if unknown:
        parser.error(f"unknown engine(s) {', '.join(unknown)}; choose from {', '.join(ENGINES)}")

    argos_python = None
    if any(k.startswith("argos") for k in kinds):
        argos_python = argos_venv_python(args.argos_venv.expanduser().absolute())

    size = QUICK if args.quick else FULL
    n = args.sentences or (40 if args.quick else 200)
    source = sample_paragraphs()
    paragraphs = cycle_to(source, n)
    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix="bilingual-bench-") as tmp_name:
        tmp = Path(tmp_name)
        t0 = time.perf_counter()
        package, real = build_package(
            tmp / "packages", size, ["".join(p) for p in source] + [s for p in source for s in p]
        )
        build_s = time.perf_counter() - t0
        model_mb = sum(f.stat().st_size for f in (package / "model").iterdir()) / 1e6
        import sentencepiece as spm

        sp = spm.SentencePieceProcessor(model_file=str(package / "sentencepiece.model"))
        lengths = [len(sp.encode(s)) for p in paragraphs for s in p]
        job = tmp / "job.json"
        job.write_text(
            json.dumps(
                {
                    "paragraphs": paragraphs,
                    "package": str(package),
                    "beam": args.beam,
                    "max_batch_tokens": args.max_batch_tokens,
                    "repeat": args.repeat,
                }
            ),
            encoding="utf-8",
        )
        print(f"bilingual engine benchmark, {dt.datetime.now().isoformat(timespec='minutes')}")
        print(
            f"machine: {os.cpu_count()} cores, {cpu_name()}; Python {platform.python_version()}, "
            f"ctranslate2 {version('ctranslate2')}; (a) and (b): stock argostranslate "
            f"{_stock_argos_version(argos_python) if argos_python else '-'} in {args.argos_venv}"
        )
        print(
            f"model: random {size.describe()}, vocabulary {real} SentencePiece pieces padded "
            f"to {max(real, size.vocab)}, int8, {model_mb:.0f} MB (built in {build_s:.0f} s)"
        )
        print(
            f"input: {len(lengths)} sentences in {len(paragraphs)} paragraphs from "
            f"{len(source)} sample blocks; source tokens mean {sum(lengths) / len(lengths):.1f}, "
            f"max {max(lengths)}"
        )
        print(
            f"settings: beam {args.beam}, length_penalty 0.2, replace_unknowns, "
            f"max_decoding_length = min(512, 2 * longest source of the batch + 10); "
            f"(c) and (d): max_batch_tokens {args.max_batch_tokens}, batch_type tokens"
        )
        print()
        results = {}
        for kind in kinds:
            print(f"running {ENGINES[kind]} ...", file=sys.stderr, flush=True)
            results[kind] = run_worker(kind, job, tmp, args.beam, argos_python)
    help_s = pass_s = 0.0
    if "bilingual" in kinds:
        script = Path(sys.executable).with_name("bilingual")
        found = str(script) if script.exists() else shutil.which("bilingual")
        # Not installed (run from a checkout with PYTHONPATH): time `python -m bilingual`.
        help_cmd = [found] if found else [sys.executable, "-m", "bilingual"]
        help_s = best_of([*help_cmd, "--help"])
        pass_s = best_of([sys.executable, "-c", "pass"])
    report(results, len(lengths), help_s, pass_s)
    print(f"load average (1, 5, 15 min): {load_before} before, {load_average()} after")


if __name__ == "__main__":
    main()
