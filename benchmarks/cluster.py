"""Benchmark `translate --cluster` on this machine: one process, then 1 and 2 Dask workers.

    python benchmarks/cluster.py [--corpus DIR] [--segments 150] [--quick]

Builds the realistic-size random Argos package of benchmarks/engine.py (6+6 layers, d_model 512,
50k vocabulary, int8; `--quick`: 2+2 layers, d_model 256), takes the first articles of the
corpus (read in place, never copied) until they hold about --segments segments, and translates
them three ways, in this one invocation:

  (a) one machine: `translate_articles` in this process, the model on both cores (the baseline);
  (b) a local cluster of 1 worker (the model on both cores);
  (c) a local cluster of 2 workers (one core each).

Each run has a new translation memory of its own (written as the CLI does), so every run
translates everything. Random weights never emit </s>: every segment
runs to its decoding bound, so the work per segment is fixed (see benchmarks/engine.py). It
prints articles/s and segments/s with their ratio to (a), where the time goes (the driver's own
work, scheduling and transfer, the workers' model and preparing), the cluster's start-up and the
workers' peak memory, and what archive-wide deduplication saves on the whole corpus.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

CORPUS = Path("/work/shared/corpus")


def articles_of(corpus: Path) -> list[tuple[str, Any]]:
    from bilingual.readers import expand_inputs, load_inputs

    found = expand_inputs([str(corpus)])
    # The corpus's expectations (NAME.expect.json, for benchmarks/reader.py) are not articles.
    sources = [s for s in found.sources if not s.endswith(".expect.json")]
    loaded = load_inputs(sources, skip_unreadable=True)
    if not loaded.articles:
        raise SystemExit(f"no articles in {corpus}")
    return loaded.articles


def dedup_figures(articles: list[tuple[str, Any]]) -> dict[str, int]:
    """Segments as the first name strategy sends them to the model: all of them, distinct
    within each article (what translating articles one by one would send), distinct over the
    archive (what a cluster run sends)."""
    from bilingual.translation.pipeline import prepare_article

    total = per_article = 0
    archive: set[str] = set()
    for _, article in articles:
        texts = [p.text for prep in prepare_article(article) for p in prep.segments]
        total += len(texts)
        per_article += len(set(texts))
        archive.update(texts)
    return {"total": total, "per_article": per_article, "archive": len(archive)}


def pick(articles: list[tuple[str, Any]], segments: int) -> list[tuple[str, Any]]:
    from bilingual.translation.pipeline import prepare_article

    chosen, count = [], 0
    for source, article in articles:
        if count >= segments:
            break
        chosen.append((source, article))
        count += sum(len(p.segments) for p in prepare_article(article))
    return chosen


def one_machine(sources: list[str], package: Path, out: Path) -> dict[str, Any]:
    from bilingual.engines.argos import ArgosEngine, ArgosSettings
    from bilingual.memory import Memory
    from bilingual.readers import load_inputs
    from bilingual.translation.run import Route, translate_articles
    from bilingual.writers.outputs import plan_outputs, write_output

    started = time.perf_counter()
    engine = ArgosEngine(package, ArgosSettings(threads=os.cpu_count() or 1))
    engine.translate_batch(["你好。"])  # loaded before the clock, as the cluster's start-up is
    ready = time.perf_counter() - started
    t0 = time.perf_counter()
    articles = [a for _, a in load_inputs(sources).articles]
    sig = engine.signature()
    with Memory(out.with_suffix(".sqlite3")) as memory:
        report = translate_articles(
            articles, lambda a: Route(engine, sig, False, "bench"), memory=memory
        )
    targets = plan_outputs(sources, out, into_dir=True)
    for article, target in zip(articles, targets, strict=True):
        write_output(article, target)
    wall = time.perf_counter() - t0
    return {"wall": wall, "ready": ready, "report": report, "timing": None, "rss": None}


def on_cluster(sources: list[str], package: Path, out: Path, workers: int) -> dict[str, Any]:
    import resource

    from bilingual.engines.argos import ArgosEngine, ArgosSettings
    from bilingual.memory import Memory
    from bilingual.translation.cluster import connect, translate_archive
    from bilingual.translation.run import Route
    from bilingual.writers.outputs import plan_outputs, write_output

    threads = max(1, (os.cpu_count() or 1) // workers)
    engine = ArgosEngine(package, ArgosSettings(threads=threads))
    sig = engine.signature()
    targets = plan_outputs(sources, out, into_dir=True)
    started = time.perf_counter()
    with connect("local", workers=workers) as client, Memory(out.with_suffix(".sqlite3")) as memory:
        ready = time.perf_counter() - started
        outcome = translate_archive(
            list(zip(sources, targets, strict=True)),
            lambda a: Route(engine, sig, False, "bench"),
            lambda article, target: write_output(article, target),
            client,
            memory=memory,
        )
        rss = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    if outcome.failed or outcome.skipped:
        raise SystemExit(f"cluster run: failed {outcome.failed}, skipped {outcome.skipped}")
    return {
        "wall": outcome.timing.wall,
        "ready": ready,
        "report": outcome.report,
        "timing": outcome.timing,
        "rss": sorted(rss.values()),
    }


def main(argv: list[str] | None = None) -> None:
    import engine as engine_bench  # benchmarks/engine.py: the realistic-size random model

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of articles")
    parser.add_argument("--segments", type=int, default=150, help="segments to translate")
    parser.add_argument("--quick", action="store_true", help="2+2 layers, d_model 256")
    args = parser.parse_args(argv)
    corpus = args.corpus if args.corpus.is_dir() else ROOT / "samples"

    everything = articles_of(corpus)
    dedup = dedup_figures(everything)
    chosen = pick(everything, args.segments)
    sources = [s for s, _ in chosen]
    size = engine_bench.QUICK if args.quick else engine_bench.FULL
    with tempfile.TemporaryDirectory(prefix="bilingual-cluster-bench-") as tmp_name:
        tmp = Path(tmp_name)
        t0 = time.perf_counter()
        lines = [b.zh for _, a in everything for b in a.blocks]
        package, _ = engine_bench.build_package(tmp / "packages", size, lines)
        build_s = time.perf_counter() - t0
        print(f"bilingual cluster benchmark, {time.strftime('%Y-%m-%d %H:%M')}")
        print(
            f"machine: {os.cpu_count()} cores, {engine_bench.cpu_name()}; load average "
            f"{engine_bench.load_average()}; distributed {engine_bench.version('distributed')}"
        )
        print(f"model: random {size.describe()}, int8 (built in {build_s:.0f} s)")
        runs: dict[str, dict[str, Any]] = {}
        for name, run in (
            ("(a) one machine, 1 process", lambda o: one_machine(sources, package, o)),
            ("(b) local cluster, 1 worker", lambda o: on_cluster(sources, package, o, 1)),
            ("(c) local cluster, 2 workers", lambda o: on_cluster(sources, package, o, 2)),
        ):
            print(f"running {name} ...", file=sys.stderr, flush=True)
            runs[name] = run(tmp / name[:3].strip("()"))
        # The driver's ceiling: every article of the corpus with a model that answers at once
        # (the tests' tiny "hello world" package), so the driver's own work is what is left.
        sys.path.insert(0, str(ROOT / "tests"))
        from tinyargos import build_unpacked

        tiny = build_unpacked(tmp / "tiny", deterministic=True)
        print("running (d) the driver's ceiling ...", file=sys.stderr, flush=True)
        all_sources = [s for s, _ in everything]
        ceiling = on_cluster(all_sources, tiny, tmp / "d", 2)
        load_after = engine_bench.load_average()

    segments = runs["(a) one machine, 1 process"]["report"].segments
    print(
        f"input: {len(chosen)} articles of {corpus} ({segments} segments; the first of "
        f"{len(everything)} articles until about {args.segments} segments)"
    )
    print()
    header = (
        f"{'run':<30} {'art/s':>6} {'seg/s':>6} {'ratio':>6} {'wall s':>7} {'ready s':>7} "
        f"{'driver':>7} {'transfer':>8} {'model':>7} {'prepare':>7} {'load':>6} {'worker RSS':>12}"
    )
    print(header)
    print("-" * len(header))
    base = runs["(a) one machine, 1 process"]["wall"]
    for name, r in runs.items():
        t = r["timing"]
        if t:
            figures = [t.driver, t.transfer, t.model, t.prepare, t.load]
            cells = [f"{x:>{w}.2f}" for x, w in zip(figures, (7, 8, 7, 7, 6), strict=True)]
        else:
            cells = [f"{'-':>{w}}" for w in (7, 8, 7, 7, 6)]
        rss = "/".join(f"{x:.0f}" for x in r["rss"]) + " MB" if r["rss"] else "-"
        print(
            f"{name:<30} {len(chosen) / r['wall']:>6.2f} {segments / r['wall']:>6.1f} "
            f"{base / r['wall']:>5.2f}x {r['wall']:>7.1f} {r['ready']:>7.2f} "
            + " ".join(cells)
            + f" {rss:>12}"
        )
    print()
    for name, r in runs.items():
        t = r["timing"]
        if t:
            rest = t.driver - t.finishing - t.writing - t.memory
            print(
                f"{name}: driver per article {1000 * t.driver / len(chosen):.0f} ms: finishing "
                f"(restore, checks) {1000 * t.finishing / len(chosen):.0f} ms, writing "
                f"{1000 * t.writing / len(chosen):.0f} ms, memory {1000 * t.memory / len(chosen):.0f} "
                f"ms, the rest (routing, scheduling, reading {t.reading:.2f} s) "
                f"{1000 * rest / len(chosen):.0f} ms"
            )
    print(
        "driver: the driver's own work (reading, memory, routing, finishing, writing); transfer: "
        "task round trips beyond the workers' work (scheduling, serialisation, waiting for a "
        "free worker); model, prepare, load: seconds in the workers, summed over workers; "
        "ready: cluster start-up (one machine: model load)"
    )
    saved = 1 - dedup["archive"] / dedup["total"] if dedup["total"] else 0.0
    beyond = 1 - dedup["archive"] / dedup["per_article"] if dedup["per_article"] else 0.0
    print(
        f"dedup on all {len(everything)} articles of {corpus}: {dedup['total']} segments, "
        f"{dedup['per_article']} distinct within their article, {dedup['archive']} distinct "
        f"over the archive: archive-wide dedup sends {saved:.1%} fewer segments than there are "
        f"({beyond:.1%} fewer than deduplicating each article alone)"
    )
    t = ceiling["timing"]
    n = len(everything)
    print(
        f"(d) the driver's ceiling, 2 workers and a model that answers at once, all {n} articles "
        f"({ceiling['report'].segments} segments): {n / t.wall:.1f} articles/s; the driver busy "
        f"{t.driver:.2f} s of {t.wall:.2f} s ({1000 * t.driver / n:.0f} ms per article: finishing "
        f"{1000 * t.finishing / n:.0f}, writing {1000 * t.writing / n:.0f}, memory "
        f"{1000 * t.memory / n:.0f}, the rest {1000 * (t.driver - t.finishing - t.writing - t.memory) / n:.0f})"
    )
    print(f"load average after: {load_after}")


if __name__ == "__main__":
    main()
