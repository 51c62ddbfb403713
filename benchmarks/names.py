"""Which name strategy suits a model: spans verbatim, segments repaired and time, per strategy.

    python benchmarks/names.py --model PACKAGE [--beam 4] [--limit N]

PACKAGE is an installed package's folder name (`bilingual models list`: translate-zh_en-1_9),
a pair (zh_en), or a package folder. The segments with protected spans of the samples, the seed
and the held-out news sentences (tests/data/faithful/news.tsv) go through the real pipeline
once per strategy order, without a memory:

* ``inline`` alone, ``placeholders`` alone (each falls back to the pieces when a span is lost),
* ``inline,placeholders`` and ``placeholders,inline``.

For each it prints how many segments the first strategy answered with every span verbatim, how
many needed the next one, how many had to be repaired (translated piece by piece: word order
may suffer, and the paragraph is flagged), and the time. The order with the fewest repairs is
the one to pass as `bilingual translate --names ORDER` (and to make the default).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bilingual.engines.argos import ArgosEngine, ArgosSettings  # noqa: E402
from bilingual.models import list_installed, read_package  # noqa: E402
from bilingual.translation.pipeline import (  # noqa: E402
    Prepared,
    Report,
    Route,
    prepare_article,
    strategies_named,
    translate_prepared,
)

ORDERS = [("inline",), ("placeholders",), ("inline", "placeholders"), ("placeholders", "inline")]


def find(model: str) -> Path:
    path = Path(model)
    if (path / "metadata.json").exists():
        return path
    for package in list_installed():
        pair = f"{package.from_code}_{package.to_code}"
        if model in (package.name, pair, f"translate-{pair}"):
            return package.path
    names = ", ".join(p.name for p in list_installed()) or "none"
    raise SystemExit(f"no installed package {model!r} (installed: {names})")


def corpus(limit: int | None) -> list[Prepared]:
    from bilingual.document import Article, Block, Kind
    from bilingual.readers import read_article

    articles = [read_article(p) for p in sorted((ROOT / "samples").glob("*.txt"))]
    notes = ROOT / "samples" / "README.md"  # about the samples, not one of them
    articles += [read_article(p) for p in sorted((ROOT / "samples").glob("*.md")) if p != notes]
    news = ROOT / "tests" / "data" / "faithful" / "news.tsv"
    with news.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
    articles += [Article(blocks=[Block(Kind.PARAGRAPH, zh)]) for zh, _ in rows]
    prepared: list[Prepared] = []
    for article in articles:
        for prep in prepare_article(article):
            # Only the segments with spans tell the strategies apart.
            with_spans = tuple(p for p in prep.segments if p.spans)
            if with_spans:
                prepared.append(Prepared(prep.zh, with_spans))
    return prepared[:limit] if limit else prepared


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="installed package name, pair or folder")
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--limit", type=int, help="only the first N blocks")
    args = parser.parse_args(argv)

    package = read_package(find(args.model))
    engine = ArgosEngine(package.path, ArgosSettings(beam=args.beam))
    route = Route(engine, engine.signature())
    blocks = corpus(args.limit)
    segments = sum(len(p.segments) for p in blocks)
    spans = sum(len(s.spans) for p in blocks for s in p.segments)
    print(f"{package.name}: {len(blocks)} blocks, {segments} segments with {spans} spans")
    engine.translate_batch(["你好。"])  # load the model outside the timings
    print(f"{'order':<24} {'first ok':>9} {'next ok':>8} {'repaired':>9} {'time s':>8}")
    results = []
    for order in ORDERS:
        report = Report()
        started = time.perf_counter()
        translate_prepared(
            [(p, route) for p in blocks], report=report, strategies=strategies_named(order)
        )
        seconds = time.perf_counter() - started
        first = report.strategies[order[0]]
        after = sum(report.strategies[s] for s in order[1:])
        repaired = report.strategies["pieces"]
        results.append((repaired, seconds, ",".join(order)))
        print(
            f"{','.join(order):<24} {first / segments:>9.1%} {after / segments:>8.1%}"
            f" {repaired / segments:>9.1%} {seconds:>8.1f}"
        )
    best = min(results)
    print(f"fewest repairs: --names {best[2]} ({best[0]} of {segments} segments)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
