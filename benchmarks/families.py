"""How fast each engine family runs, on random models of the real models' shapes, offline.

    python benchmarks/families.py [--sentences 12] [--families argos,opus-mt,nllb,llm]

Real NLLB-200, OPUS-MT and LLM weights cannot be downloaded here, so, as benchmarks/engine.py
does for Argos, this builds a random int8 model of each family at the size of a real one, laid out
as CTranslate2's converter lays it out, and runs it through bilingual's own engine (tokenizer,
batching, decoding bound), each in its own subprocess:

  argos    6+6 layers, d_model 512, 8 heads, FFN 2048, vocabulary 50,000 (the zh→en package)
  opus-mt  6+6 layers, d_model 512, 8 heads, FFN 2048, vocabulary 65,001 (opus-mt-zh-en)
  nllb     12+12 layers, d_model 1024, 16 heads, FFN 4096, vocabulary 256,206 (NLLB-200 600M)
  llm      24 layers, d_model 896, 14 heads (2 key/value heads), gated SiLU FFN 4864, RMSNorm,
           rotary positions, vocabulary 151,936 (Qwen2.5-0.5B-Instruct)

Random weights never stop early, so every output runs to the engine's decoding bound (a real
model stops at the end of its sentence and runs faster): the figures compare families, measured
the same way. Printed: model size on disk, load time, sentences/s, its ratio to argos (the
baseline run in the same invocation), CPU seconds per sentence and what four free cores would
give at best (4 / CPU seconds per sentence: a shared machine's wall clock says little), and peak
memory. Each family takes a minute or two to build
and run on 2 cores; --families runs a subset.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from quality import peak_rss_kb  # noqa: E402  (the same VmHWM reading)

MARK = "FAMILY-RESULT "
FAMILIES = ("argos", "opus-mt", "nllb", "llm")


def sentences(n: int) -> list[str]:
    from engine import cycle_to, sample_paragraphs

    return [s for p in cycle_to(sample_paragraphs(), n) for s in p][:n]


def _manifest(path: Path, engine: str, name: str) -> None:
    (path / ".bilingual-model.json").write_text(
        json.dumps({"engine": engine, "name": name, "version": "bench"}), encoding="utf-8"
    )


def _pieces(text: list[str], symbols: list[str]) -> tuple[bytes, list[str]]:
    import sentencepiece as spm
    from engine import train_sentencepiece

    model = train_sentencepiece(text + symbols * 5)
    sp = spm.SentencePieceProcessor(model_proto=model)
    return model, [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def build(family: str, dest: Path, text: list[str]) -> Path:
    from engine import FULL, ModelSize, build_package, build_spec

    if family == "argos":
        return build_package(dest, FULL, text)[0]
    path = dest / f"bench-{family}"
    path.mkdir(parents=True)
    if family in ("opus-mt", "nllb"):
        size = (
            ModelSize((6, 6), 512, 8, 2048, 65_001)
            if family == "opus-mt"
            else ModelSize((12, 12), 1024, 16, 4096, 256_206)
        )
        codes = ["zho_Hans", "eng_Latn"] if family == "nllb" else []
        model, pieces = _pieces(text, [])
        pieces = list(dict.fromkeys([*pieces, *codes]))
        real = len(pieces)
        pieces += [f"<bench{i}>" for i in range(size.vocab - real)]
        spec = build_spec(pieces, real, size)
        spec.config.decoder_start_token = "</s>"
        spec.save(str(path))
        if family == "nllb":
            (path / "sentencepiece.bpe.model").write_bytes(model)
        else:
            (path / "source.spm").write_bytes(model)
            (path / "target.spm").write_bytes(model)
    else:
        build_llm(path, text)
    _manifest(path, family, path.name)
    return path


def build_llm(path: Path, text: list[str]) -> None:
    """A Qwen2.5-0.5B-shaped decoder with random int8 weights and a small BPE tokenizer whose
    vocabulary is padded to Qwen's 151,936 entries."""
    import numpy as np
    from ctranslate2.specs import common_spec, transformer_spec
    from tinymodels import CHATML, _bpe_tokenizer

    layers, d, heads, kv, ffn, vocab = 24, 896, 14, 2, 4864, 151_936
    head = d // heads
    tok: Any = _bpe_tokenizer(0)
    tok.save(str(path / "tokenizer.json"))
    real = tok.get_vocab_size()
    tokens = [tok.id_to_token(i) for i in range(real)]
    tokens += [f"<bench{i}>" for i in range(vocab - real)]
    (path / "tokenizer_config.json").write_text(
        json.dumps({"chat_template": CHATML, "eos_token": "<|im_end|>"}), encoding="utf-8"
    )
    spec = transformer_spec.TransformerDecoderModelSpec.from_config(
        layers,
        heads,
        pre_norm=True,
        activation=common_spec.Activation.SWISH,
        ffn_glu=True,
        rms_norm=True,
        rotary_dim=0,
        rotary_interleave=False,
        num_heads_kv=kv,
    )
    rng = np.random.default_rng(0)

    def normal(*shape: int) -> Any:
        return rng.standard_normal(shape, dtype=np.float32) * np.float32(0.02)

    dec = spec.decoder
    dec.embeddings.weight = normal(vocab, d)
    dec.layer_norm.gamma = np.ones(d, dtype=np.float32)
    for layer in dec.layer:
        att = layer.self_attention
        att.layer_norm.gamma = np.ones(d, dtype=np.float32)
        att.linear[0].weight = normal(heads * head + 2 * kv * head, d)
        att.linear[0].bias = normal(heads * head + 2 * kv * head)
        att.linear[1].weight = normal(d, heads * head)
        layer.ffn.layer_norm.gamma = np.ones(d, dtype=np.float32)
        layer.ffn.linear_0.weight = normal(ffn, d)
        layer.ffn.linear_0_noact.weight = normal(ffn, d)
        layer.ffn.linear_1.weight = normal(d, ffn)
    dec.projection.weight = dec.embeddings.weight
    bias = np.zeros(vocab, dtype=np.float32)
    bias[[i for i, t in enumerate(tokens) if i >= real or t.startswith("<|")]] = -1e4
    dec.projection.bias = bias
    spec.register_vocabulary(tokens)
    spec.config.bos_token = "<|endoftext|>"
    spec.config.eos_token = "<|im_end|>"
    spec.config.unk_token = "<|endoftext|>"
    spec.validate()
    spec.optimize(quantization="int8")
    spec.save(str(path))


def worker(job_path: Path) -> None:
    from bilingual.engines import engine_class
    from bilingual.engines.seq2seq import Settings

    job = json.loads(job_path.read_text(encoding="utf-8"))
    cls = engine_class(job["family"])
    engine = cls(job["path"], Settings(beam=1 if job["family"] == "llm" else 4))
    t0 = time.perf_counter()
    engine.translate_batch(["你好。"])
    ready = time.perf_counter() - t0
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    engine.translate_batch(job["sentences"])
    seconds = time.perf_counter() - t0
    result = {
        "ready_s": ready,
        "seconds": seconds,
        "cpu_s": time.process_time() - cpu0,
        "peak_rss_kb": peak_rss_kb(),
    }
    print(MARK + json.dumps(result), flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=12, help="sentences (default 12)")
    parser.add_argument("--families", default=",".join(FAMILIES), help="default: %(default)s")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker)
        return
    from engine import sample_paragraphs

    wanted = [f.strip() for f in args.families.split(",") if f.strip()]
    text = ["".join(p) for p in sample_paragraphs()]
    todo = sentences(args.sentences)
    print(f"{len(todo)} sentences, mean {sum(map(len, todo)) / len(todo):.0f} Chinese characters;")
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bilingual-families-") as tmp:
        for family in wanted:
            t0 = time.perf_counter()
            print(f"building {family} ...", file=sys.stderr, flush=True)
            path = build(family, Path(tmp) / family, text)
            built = time.perf_counter() - t0
            size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
            job = Path(tmp) / f"{family}.json"
            job.write_text(json.dumps({"family": family, "path": str(path), "sentences": todo}))
            print(f"running {family} ...", file=sys.stderr, flush=True)
            proc = subprocess.run(
                [sys.executable, __file__, "--worker", str(job)],
                capture_output=True,
                text=True,
                check=False,
            )
            lines = [x for x in proc.stdout.splitlines() if x.startswith(MARK)]
            if not lines:
                print(f"{family}: failed\n{proc.stderr[-2000:]}", file=sys.stderr)
                continue
            r = json.loads(lines[0][len(MARK) :])
            rows.append((family, size, built, r))
            import shutil

            shutil.rmtree(path, ignore_errors=True)  # the next one needs the disk
    if not rows:
        raise SystemExit("every family failed")
    base = len(todo) / rows[0][3]["seconds"]
    print()
    print(
        f"{'family':8} {'size':>7} {'built s':>7} {'ready s':>7} {'sent/s':>6} "
        f"{'x ' + rows[0][0]:>8} {'cpu s/sent':>10} {'4-core est':>10} {'peak RSS':>8}"
    )
    for family, size, built, r in rows:
        speed = len(todo) / r["seconds"]
        cpu = r["cpu_s"] / len(todo)
        print(
            f"{family:8} {size / 1e6:>5.0f}MB {built:>7.1f} {r['ready_s']:>7.1f} {speed:>6.2f} "
            f"{speed / base:>8.2f} {cpu:>10.2f} {4 / cpu:>10.1f} {r['peak_rss_kb'] / 1024:>6.0f}MB"
        )
    print(
        "cpu s/sent: CPU seconds per sentence (all threads); 4-core est: 4 / cpu s/sent, the "
        "sentences/s four free cores would give at best"
    )
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    random.seed(0)
    main()
