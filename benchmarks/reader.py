"""Score the article reader on a folder of real articles with hand-checked `.expect.json` files.

    python benchmarks/reader.py ../shared/corpus            # table per article, then totals
    python benchmarks/reader.py DIR --keep-all              # furniture removal off, for comparison
    python benchmarks/reader.py DIR --show 09               # what the reader made of article 09

The schema of `.expect.json` is in ../shared/corpus/README.md. Body paragraphs are the blocks of
kind lead, paragraph and quote; an expected paragraph is *lost* when its first characters appear in
no block at all; a body block is *furniture* when it starts with no expected paragraph, subheading
or caption and is not inside one. Times are wall-clock per page, parse only (the interpreter and
imports are paid once, before the first page, and reported apart).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

BODY = ("lead", "paragraph", "quote")


def _norm(text: str) -> str:
    return re.sub(r"[\s\u3000\u00a0]+", "", text)


def _score(expect: dict, article) -> dict:  # type: ignore[no-untyped-def]
    blocks = [b for b in article.blocks if b.kind.value != "title"]
    body = [b for b in blocks if b.kind.value in BODY]
    texts = [_norm(b.zh) for b in blocks]
    everything = "\n".join(texts)
    prefixes = [_norm(p)[:10] for p in expect["paragraph_prefixes"]]
    lost = [p for p in prefixes if p not in everything]
    known = prefixes + [_norm(s)[:10] for s in expect.get("subheadings", [])]
    known += [_norm(c)[:10] for c in expect.get("captions", [])]
    known = [k for k in known if k]
    furniture = [b.zh for b in body if not any(k in _norm(b.zh) or _norm(b.zh) in k for k in known)]
    title = article.title
    want = expect.get("title")
    title_ok = (
        (title is None) if want is None else (title is not None and _norm(title) == _norm(want))
    )
    joined = " ".join(re.sub(r"\s+", " ", b.zh) for b in body)
    names = expect.get("latin_names", [])
    missing = [n for n in names if re.sub(r"\s+", " ", n) not in joined]
    return {
        "expected": expect["expected_body_paragraphs"],
        "got": len(body),
        "lost": lost,
        "furniture": furniture,
        "title_ok": title_ok,
        "title": title,
        "names": len(names),
        "names_missing": missing,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("folder", type=Path)
    ap.add_argument("--keep-all", action="store_true", help="furniture removal off")
    ap.add_argument("--show", help="print the blocks and the misses of the articles matching this")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    from bilingual.readers import read_article

    import_s = time.perf_counter() - t0
    expects = sorted(args.folder.glob("*.expect.json"))
    if not expects:
        print(f"{args.folder}: no .expect.json files", file=sys.stderr)
        return 2
    rows = []
    for path in expects:
        expect = json.loads(path.read_text(encoding="utf-8"))
        source = path.with_name(expect["file"])
        start = time.perf_counter()
        try:
            article = read_article(source, keep_all=args.keep_all)
        except Exception as exc:  # a benchmark reports failures, it does not stop on them
            print(f"{source.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        seconds = time.perf_counter() - start
        row = _score(expect, article)
        row["name"] = path.name.removesuffix(".expect.json")
        row["seconds"] = seconds
        rows.append(row)
        if args.show and args.show in row["name"]:
            print(f"== {row['name']}  title={article.title!r}")
            for b in article.blocks:
                print(f"   [{b.kind.value}] {b.zh[:70]}")
            for d in article.dropped:
                print(f"   (dropped: {d.reason}) {d.text[:60]}")
            print(f"   lost: {row['lost']}\n   furniture: {row['furniture']}")
            print(f"   names missing: {row['names_missing']}")
            print(
                f"   meta: outlet={article.outlet!r} author={article.author!r} "
                f"published={article.published!r} url={article.source_url!r} "
                f"credits={article.credits!r}"
            )

    print(
        f"{'article':44} {'exp':>4} {'got':>4} {'lost':>4} {'furn':>4} {'title':>5} "
        f"{'names':>7} {'ms':>6}"
    )
    for r in rows:
        names = f"{r['names'] - len(r['names_missing'])}/{r['names']}"
        print(
            f"{r['name'][:44]:44} {r['expected']:>4} {r['got']:>4} {len(r['lost']):>4} "
            f"{len(r['furniture']):>4} {'ok' if r['title_ok'] else 'NO':>5} {names:>7} "
            f"{r['seconds'] * 1000:>6.0f}"
        )
    n = len(rows)
    times = sorted(r["seconds"] for r in rows)
    print()
    print(f"articles read:                 {n} of {len(expects)}")
    print(f"paragraph count exactly right: {sum(r['got'] == r['expected'] for r in rows)} / {n}")
    print(
        f"body paragraphs lost:          {sum(len(r['lost']) for r in rows)} "
        f"of {sum(r['expected'] for r in rows)}"
    )
    print(f"furniture kept as body:        {sum(len(r['furniture']) for r in rows)}")
    print(f"titles right:                  {sum(r['title_ok'] for r in rows)} / {n}")
    print(
        f"Latin names intact:            {sum(r['names'] - len(r['names_missing']) for r in rows)}"
        f" / {sum(r['names'] for r in rows)}"
    )
    if times:
        print(
            f"time per page:                 median {times[len(times) // 2] * 1000:.0f} ms, "
            f"max {times[-1] * 1000:.0f} ms (imports {import_s * 1000:.0f} ms, paid once)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
