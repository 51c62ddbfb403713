"""How good is the English? Every installed engine side by side on one parallel file.

    python benchmarks/quality.py PARALLEL [--engines argos,nllb,...] [--limit N] [--comet MODEL]

PARALLEL is a TSV of Chinese and English (one pair a line, an optional `zh<TAB>en` header),
FLORES-200's `zho_Hans.devtest` (its `eng_Latn.devtest` is read from beside it), or the FLORES-200
folder itself (its devtest/ split is used). Default: benchmarks/data/news-zh-en.tsv, 30 news
sentences written for this benchmark.

Each installed model (the Argos zh→en package, and every converted model in the models directory,
`bilingual models list`) translates every sentence through the real pipeline (names protected and
verified, numbers checked), in its own subprocess, without the translation memory. Printed, one row
per model:

* chrF++ and BLEU, as sacrebleu computes them (its signatures are printed under the table);
* names kept: the share of the Latin names and terms of the Chinese found verbatim in the English;
* numbers kept: the share of sentences with numbers whose English has them all (the checks' rule);
* sentences/s (model loading excluded) and, as a ratio, against the first row (the baseline);
* peak memory of the subprocess;
* COMET, with `--comet MODEL` (a checkpoint path or name) when `unbabel-comet` is installed.

See README.md ("Better English") for how to run it on FLORES-200 with real models.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT = ROOT / "benchmarks" / "data" / "news-zh-en.tsv"
RESULT_MARK = "QUALITY-RESULT "


# ---------------------------------------------------------------- the parallel file


def read_parallel(path: Path) -> list[tuple[str, str]]:
    """(Chinese, English) pairs from a TSV, FLORES-200 devtest files, or the FLORES-200 folder."""
    if path.is_dir():
        for candidate in (path / "devtest" / "zho_Hans.devtest", path / "zho_Hans.devtest"):
            if candidate.is_file():
                return read_parallel(candidate)
        raise SystemExit(f"{path}: no devtest/zho_Hans.devtest (a FLORES-200 folder?)")
    if not path.is_file():
        raise SystemExit(f"{path}: no such file")
    if path.name.startswith("zho_Hans."):
        english = path.with_name("eng_Latn" + path.name[len("zho_Hans") :])
        if not english.is_file():
            raise SystemExit(f"{path}: no {english.name} beside it")
        zh = path.read_text(encoding="utf-8").splitlines()
        en = english.read_text(encoding="utf-8").splitlines()
        if len(zh) != len(en):
            raise SystemExit(f"{path}: {len(zh)} lines but {english.name} has {len(en)}")
        return [(z.strip(), e.strip()) for z, e in zip(zh, en, strict=True) if z.strip()]
    with path.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE) if r]
    if rows and [c.strip().lower() for c in rows[0][:2]] == ["zh", "en"]:
        rows = rows[1:]
    bad = [i for i, r in enumerate(rows, 1) if len(r) < 2 or not r[0].strip()]
    if bad:
        raise SystemExit(f"{path}: line {bad[0]} is not 'Chinese<TAB>English'")
    return [(r[0].strip(), r[1].strip()) for r in rows]


# ---------------------------------------------------------------- what is installed


def installed_models(root: Path | None, engines: list[str] | None) -> list[dict[str, str]]:
    """Each model to measure: {"engine", "model", "path"}; Argos first (the baseline)."""
    from bilingual.models import find_package
    from bilingual.models.converted import list_models

    found: list[dict[str, str]] = []
    package = find_package("zh", "en", root)
    if package is not None:
        found.append({"engine": "argos", "model": package.name, "path": str(package.path)})
    from bilingual.models.store import converted_dir

    for m in list_models(root if root is not None else converted_dir()[0]):
        found.append({"engine": m.engine, "model": m.name, "path": str(m.path)})
    if engines:
        found = [f for f in found if f["engine"] in engines or f["model"] in engines]
    return found


# ---------------------------------------------------------------- one model, in a subprocess


def peak_rss_kb() -> int:
    """This process's peak resident memory: VmHWM, which starts afresh with the process (the
    getrusage figure carries over a forking parent's, e.g. one that built a model)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def worker(job_path: Path) -> None:
    """Translate the job's sentences with one model; print the hypotheses and figures."""
    from bilingual.document import Article, Block, Kind
    from bilingual.engines import engine_class
    from bilingual.engines.seq2seq import Settings
    from bilingual.translation.pipeline import Report, Route, prepare_article, translate_prepared

    job = json.loads(job_path.read_text(encoding="utf-8"))
    cls = engine_class(job["engine"])
    beam = job["beam"] or (1 if job["engine"] == "llm" else 4)
    engine = cls(job["path"], Settings(beam=beam, threads=job["threads"]))
    route = Route.to(engine)
    # Every sentence its own one-paragraph article: a name glossed in one is not shortened in
    # the next, as it would be in one article.
    prepared = [
        prepare_article(Article(blocks=[Block(Kind.PARAGRAPH, zh)]), unit=route.unit)[0]
        for zh in job["sources"]
    ]
    engine.translate_batch(["你好。"])  # load the model outside the timing
    report = Report()
    t0 = time.perf_counter()
    rendered = translate_prepared([(p, route) for p in prepared], report=report)
    seconds = time.perf_counter() - t0
    result = {
        "hypotheses": [r.en for r in rendered],
        "seconds": seconds,
        "peak_rss_kb": peak_rss_kb(),
        "strategies": dict(report.strategies),
    }
    print(RESULT_MARK + json.dumps(result, ensure_ascii=False), flush=True)


def run_model(
    model: dict[str, str], sources: list[str], args: argparse.Namespace, tmp: Path
) -> dict[str, Any] | None:
    job = tmp / "job.json"
    job.write_text(
        json.dumps({**model, "sources": sources, "beam": args.beam, "threads": args.threads}),
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", str(job)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            result: dict[str, Any] = json.loads(line[len(RESULT_MARK) :])
            return result
    tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-5:])
    print(
        f"{model['engine']} {model['model']}: failed (exit {proc.returncode})\n{tail}",
        file=sys.stderr,
    )
    return None


# ---------------------------------------------------------------- scores


def judge(sources: list[str], hypotheses: list[str]) -> dict[str, int]:
    """Names and numbers kept, by the checks' own rules (what `bilingual check` would flag)."""
    from bilingual.document import Article, Block, Kind
    from bilingual.translation.checks import FlagCode, check_block
    from bilingual.translation.numbers import source_numbers
    from bilingual.translation.pipeline import prepare_article

    out = {"names_kept": 0, "names": 0, "numbers_kept": 0, "numbers": 0}
    for zh, en in zip(sources, hypotheses, strict=True):
        (prep,) = prepare_article(Article(blocks=[Block(Kind.PARAGRAPH, zh)]))
        out["names"] += len(prep.renders)
        out["names_kept"] += sum(1 for r in prep.renders if r in en)
        if source_numbers(zh):
            out["numbers"] += 1
            flags = check_block(zh, en, renders=prep.renders, spans=prep.spans)
            out["numbers_kept"] += not any(f.code == FlagCode.NUMBER_MISMATCH for f in flags)
    return out


def comet_scores(
    model_name: str, sources: list[str], refs: list[str], hyps_by_row: list[list[str]]
) -> list[float | None]:
    try:
        from comet import download_model, load_from_checkpoint  # type: ignore[import-not-found]
    except ImportError:
        print("COMET: not installed (pip install unbabel-comet); skipped", file=sys.stderr)
        return [None] * len(hyps_by_row)
    path = model_name if Path(model_name).exists() else download_model(model_name)
    model = load_from_checkpoint(path)
    out: list[float | None] = []
    for hyps in hyps_by_row:
        data = [{"src": s, "mt": h, "ref": r} for s, h, r in zip(sources, hyps, refs, strict=True)]
        out.append(float(model.predict(data, batch_size=16, gpus=0).system_score))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "parallel",
        nargs="?",
        type=Path,
        default=DEFAULT,
        help="TSV or FLORES-200 devtest (default: %(default)s)",
    )
    parser.add_argument(
        "--engines",
        help="comma-separated engines or model names to measure (default: every installed model)",
    )
    parser.add_argument("--models-dir", type=Path, help="models directory (default: bilingual's)")
    parser.add_argument("--limit", type=int, help="the first N pairs only")
    parser.add_argument("--beam", type=int, help="beam size (default: each engine's own)")
    parser.add_argument(
        "--threads", type=int, default=0, help="CPU threads (default: one per core)"
    )
    parser.add_argument(
        "--comet", metavar="MODEL", help="also COMET with this model (needs unbabel-comet)"
    )
    parser.add_argument(
        "--reference",
        action="store_true",
        help="add a row for the reference English itself (the ceiling, and how the checks judge a person's translation)",
    )
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker)
        return
    import tempfile

    import sacrebleu

    pairs = read_parallel(args.parallel)[: args.limit or None]
    if not pairs:
        raise SystemExit(f"{args.parallel}: no sentence pairs")
    sources = [zh for zh, _ in pairs]
    refs = [en for _, en in pairs]
    root = args.models_dir  # None: where `bilingual translate` would look
    wanted = [e.strip() for e in args.engines.split(",")] if args.engines else None
    models = installed_models(root, wanted)
    if not models:
        raise SystemExit(
            f"no installed model to measure in {root or 'the models folders'} "
            "(bilingual models list)"
        )
    print(f"bilingual quality benchmark: {len(pairs)} sentence pairs from {args.parallel}")
    print(
        f"models directory: {root}; {os.cpu_count()} cores; each model in its own process, no memory"
    )
    print()
    rows: list[tuple[dict[str, str], dict[str, Any]]] = []
    with tempfile.TemporaryDirectory(prefix="bilingual-quality-") as tmp:
        for model in models:
            print(
                f"translating with {model['engine']} {model['model']} ...",
                file=sys.stderr,
                flush=True,
            )
            result = run_model(model, sources, args, Path(tmp))
            if result is not None:
                rows.append((model, result))
    if not rows:
        raise SystemExit("every model failed")
    if args.reference:
        rows.append(
            (
                {"engine": "reference", "model": "-"},
                {"hypotheses": refs, "seconds": float("inf"), "peak_rss_kb": 0},
            )
        )
    for _, r in rows:
        r.update(judge(sources, r["hypotheses"]))
    chrf = sacrebleu.metrics.CHRF(word_order=2)
    bleu = sacrebleu.metrics.BLEU()
    comet = (
        comet_scores(args.comet, sources, refs, [r["hypotheses"] for _, r in rows])
        if args.comet
        else [None] * len(rows)
    )
    base_speed = len(sources) / max(rows[0][1]["seconds"], 1e-9)
    header = [
        "engine",
        "model",
        "chrF++",
        "BLEU",
        "names kept",
        "numbers kept",
        "sent/s",
        "speed x",
        "peak RSS",
    ]
    if args.comet:
        header.insert(4, "COMET")
    table = [header]
    for (model, r), c in zip(rows, comet, strict=True):
        speed = len(sources) / max(r["seconds"], 1e-9)
        human = model["engine"] == "reference"
        line = [
            model["engine"],
            model["model"],
            f"{chrf.corpus_score(r['hypotheses'], [refs]).score:.1f}",
            f"{bleu.corpus_score(r['hypotheses'], [refs]).score:.1f}",
            f"{r['names_kept']}/{r['names']}"
            + (f" {100 * r['names_kept'] / r['names']:.0f}%" if r["names"] else ""),
            f"{r['numbers_kept']}/{r['numbers']}"
            + (f" {100 * r['numbers_kept'] / r['numbers']:.0f}%" if r["numbers"] else ""),
            "-" if human else f"{speed:.2f}",
            "-" if human else f"{speed / base_speed:.2f}",
            "-" if human else f"{r['peak_rss_kb'] / 1024:.0f} MB",
        ]
        if args.comet:
            line.insert(4, "-" if c is None else f"{c:.3f}")
        table.append(line)
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for k, row in enumerate(table):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if k == 0:
            print("-" * (sum(widths) + 2 * (len(widths) - 1)))
    print()
    print(
        f"speed x: sentences/s against the first row ({rows[0][0]['engine']} {rows[0][0]['model']})"
    )
    print(f"chrF++: {chrf.get_signature()}")
    print(f"BLEU:   {bleu.get_signature()}")


if __name__ == "__main__":
    main()
