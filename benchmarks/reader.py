"""Score the article reader on a folder of real articles with hand-checked `.expect.json` files.

    python benchmarks/reader.py ../shared/corpus            # table per article, then totals
    python benchmarks/reader.py DIR --keep-all              # furniture removal off, for comparison
    python benchmarks/reader.py DIR --show 09               # what the reader made of article 09
    python benchmarks/reader.py DIR --compare               # trafilatura on the same HTML pages

The schema of `.expect.json` is in ../shared/corpus/README.md. Body paragraphs are the blocks of
kind lead, paragraph and quote; an expected paragraph is *lost* when its first characters appear in
no block at all; a body block is *furniture* when it starts with no expected paragraph, subheading
or caption and is not inside one. Times are wall-clock per page, parse only (the interpreter and
imports are paid once, before the first page, and reported apart). With --compare, trafilatura
(the field's benchmark leader for main-content extraction; recall-favouring settings, one line per
paragraph) reads the same HTML pages in the same run, and the last lines compare the two.

Then precision, beside the corpus figures: prose alone must come through whole. Every body paragraph
the reader finds in the folder (those that start as an expected paragraph does) is written out as one
plain text file and as one HTML page of plain `<p>`s, and each article's paragraphs under their
headline as a text file and as an HTML page; so are the hand-written prose files of
tests/data/prose (features, opinion, machine-translated news, official statements...: the first
line is the headline, paragraphs are separated by blank lines). Each is parsed; a paragraph is
*dropped* when it is in no block of the result, *not body* when it came out as a caption or a
heading. Both should read 0.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BODY = ("lead", "paragraph", "quote")
# (article or None, title, body paragraphs, other blocks)
Extracted = tuple[Any, str | None, list[str], list[str]]


def _norm(text: str) -> str:
    return re.sub(r"[\s\u3000\u00a0]+", "", text)


def _score(expect: dict, title: str | None, body: list[str], others: list[str]) -> dict:
    everything = "\n".join(_norm(t) for t in body + others)
    prefixes = [_norm(p)[:10] for p in expect["paragraph_prefixes"]]
    lost = [p for p in prefixes if p not in everything]
    known = prefixes + [_norm(s)[:10] for s in expect.get("subheadings", [])]
    known += [_norm(c)[:10] for c in expect.get("captions", [])]
    known = [k for k in known if k]
    furniture = [t for t in body if not any(k in _norm(t) or _norm(t) in k for k in known)]
    want = expect.get("title")
    title_ok = (title is None) if want is None else bool(title and _norm(title) == _norm(want))
    joined = " ".join(re.sub(r"\s+", " ", t) for t in body)
    names = expect.get("latin_names", [])
    missing = [n for n in names if re.sub(r"\s+", " ", n) not in joined]
    return {
        "expected": expect["expected_body_paragraphs"],
        "got": len(body),
        "lost": lost,
        "furniture": furniture,
        "title_ok": title_ok,
        "names": len(names),
        "names_missing": missing,
    }


def _bilingual(source: Path, keep_all: bool) -> Extracted:
    from bilingual.readers import read_article

    article = read_article(source, keep_all=keep_all)
    body = [b.zh for b in article.blocks if b.kind.value in BODY]
    others = [b.zh for b in article.blocks if b.kind.value not in (*BODY, "title")]
    return article, article.title, body, others


def _trafilatura(source: Path) -> Extracted:
    import trafilatura

    from bilingual.readers import load_bytes
    from bilingual.readers.decode import decode_bytes

    text, _ = decode_bytes(load_bytes(source)[0], None)
    doc = trafilatura.bare_extraction(
        text, favor_recall=True, include_tables=True, include_comments=False, with_metadata=True
    )
    if doc is None:
        return None, None, [], []
    data = doc if isinstance(doc, dict) else doc.as_dict()
    body = [line for line in (data.get("text") or "").split("\n") if line.strip()]
    return None, data.get("title"), body, []


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("folder", type=Path)
    ap.add_argument("--keep-all", action="store_true", help="furniture removal off")
    ap.add_argument("--show", help="print the blocks and the misses of the articles matching this")
    ap.add_argument("--compare", action="store_true", help="also score trafilatura, same run")
    args = ap.parse_args(argv)

    expects = sorted(args.folder.glob("*.expect.json"))
    if not expects:
        print(f"{args.folder}: no .expect.json files", file=sys.stderr)
        return 2
    imports: dict[str, float] = {}
    t0 = time.perf_counter()
    import bilingual.readers  # noqa: F401

    imports["bilingual"] = time.perf_counter() - t0
    extractors: dict[str, Callable[[Path], Extracted]] = {
        "bilingual": lambda src: _bilingual(src, args.keep_all)
    }
    if args.compare:
        t0 = time.perf_counter()
        try:
            import trafilatura  # noqa: F401
        except ImportError as exc:
            print(f"--compare needs trafilatura (pip install trafilatura): {exc}", file=sys.stderr)
            return 2
        imports["trafilatura"] = time.perf_counter() - t0
        extractors["trafilatura"] = _trafilatura

    results: dict[str, list[dict]] = {name: [] for name in extractors}
    prose: list[tuple[str, str | None, list[str]]] = []  # (name, headline, body paragraphs)
    for path in expects:
        expect = json.loads(path.read_text(encoding="utf-8"))
        source = path.with_name(expect["file"])
        for name, extract in extractors.items():
            if name != "bilingual" and expect.get("format") != "html":
                continue
            start = time.perf_counter()
            try:
                article, title, body, others = extract(source)
            except Exception as exc:  # a benchmark reports failures, it does not stop on them
                print(f"{name} {source.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
                continue
            row = _score(expect, title, body, others)
            if name == "bilingual":
                prose.append((path.name, expect.get("title"), _expected_body(expect, body)))
            row["seconds"] = time.perf_counter() - start
            row["name"] = path.name.removesuffix(".expect.json")
            results[name].append(row)
            if args.show and args.show in row["name"] and article is not None:
                _show(row, article)
    for name, rows in results.items():
        print(f"\n## {name} (import {imports[name] * 1000:.0f} ms, paid once)")
        _table(rows, len(expects))
    if args.compare:
        _compare(results)
    if not args.keep_all:
        _precision(prose)
    return 0


def _expected_body(expect: dict, body: list[str]) -> list[str]:
    """The blocks that begin as one of the hand-checked paragraphs do: the article's own prose."""
    prefixes = [_norm(p)[:10] for p in expect["paragraph_prefixes"]]
    return [t for t in body if any(_norm(t).startswith(p) for p in prefixes if p)]


PROSE_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "prose"


def _own_prose() -> list[tuple[str, str | None, list[str], str]]:
    """The hand-written prose files: headline on the first line, blank-line separated paragraphs.
    (name, headline, paragraphs, the file's text as written)."""
    out = []
    for path in sorted(PROSE_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        chunks = [c.strip() for c in re.split(r"\n\s*\n", text)]
        chunks = [c for c in chunks if c]
        out.append((path.name, chunks[0], chunks[1:], text))
    return out


def _as_html(title: str | None, paragraphs: list[str]) -> str:
    from html import escape

    head = f"<title>{escape(title)}</title>" if title else ""
    h1 = f"<h1>{escape(title)}</h1>\n" if title else ""
    ps = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f'<!doctype html><html><head><meta charset="utf-8">{head}</head><body>\n{h1}{ps}\n</body></html>'


def _as_text(title: str | None, paragraphs: list[str]) -> str:
    return "\n\n".join([title, *paragraphs] if title else paragraphs) + "\n"


def _check_prose(data: bytes, name: str, title: str | None, paragraphs: list[str]) -> dict:
    """Parse one prose-only file: which paragraphs were dropped, which came out as not body."""
    from bilingual.readers import parse_bytes

    start = time.perf_counter()
    article = parse_bytes(data, name=name)
    seconds = time.perf_counter() - start
    body = [_norm(b.zh) for b in article.blocks if b.kind.value in BODY]
    other = [_norm(b.zh) for b in article.blocks if b.kind.value not in BODY]
    dropped, not_body = [], []
    for p in paragraphs:
        key = _norm(p)
        if not any(key in b for b in body):
            (not_body if any(key in o for o in other) else dropped).append(p)
    reasons = {_norm(d.text): d.reason for d in article.dropped}
    return {
        "paragraphs": len(paragraphs),
        "dropped": [(p, reasons.get(_norm(p), "?")) for p in dropped],
        "not_body": not_body,
        "title_ok": title is None or _norm(article.title or "") == _norm(title),
        "seconds": seconds,
    }


def _precision(corpus: list[tuple[str, str | None, list[str]]]) -> None:
    """Prose alone, as text and as HTML: nothing may be dropped."""
    everything = [p for _, _, ps in corpus for p in ps]
    cases: list[tuple[str, str, bytes, str | None, list[str]]] = []
    if everything:
        cases.append(
            (
                "corpus prose, one file",
                "all.txt",
                _as_text(None, everything).encode(),
                None,
                everything,
            )
        )
        cases.append(("", "all.html", _as_html(None, everything).encode(), None, everything))
    own = _own_prose()
    written = [(n, t, ps, _as_text(t, ps)) for n, t, ps in corpus]
    for label, group in (("corpus, each article", written), ("own prose files", own)):
        for i, (name, title, ps, text) in enumerate(group):
            if not ps:
                continue
            stem = Path(name).stem.removesuffix(".expect")
            first = label if i == 0 else ""
            cases.append((first, f"{stem}.txt", text.encode(), title, ps))
            cases.append(("", f"{stem}.html", _as_html(title, ps).encode(), title, ps))
    print("\n## precision: prose alone must come through whole")
    print(f"{'file':44} {'paras':>5} {'dropped':>7} {'not body':>8} {'title':>5} {'ms':>6}")
    totals: dict[str, list[dict]] = {}
    current = ""
    for label, name, data, title, ps in cases:
        try:
            row = _check_prose(data, name, title, ps)
        except Exception as exc:  # a benchmark reports failures, it does not stop on them
            print(f"{name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            row = {
                "paragraphs": len(ps),
                "dropped": [(p, "error") for p in ps],
                "not_body": [],
                "title_ok": False,
                "seconds": 0.0,
            }
        current = label or current
        totals.setdefault(current, []).append(row)
        if label or row["dropped"] or row["not_body"] or not row["title_ok"] or len(cases) < 40:
            print(
                f"{name[:44]:44} {row['paragraphs']:>5} {len(row['dropped']):>7} "
                f"{len(row['not_body']):>8} {'ok' if row['title_ok'] else 'NO':>5} "
                f"{row['seconds'] * 1000:>6.0f}"
            )
        for p, why in row["dropped"]:
            print(f"    dropped ({why}): {p[:70]}")
        for p in row["not_body"]:
            print(f"    not body: {p[:70]}")
    print()
    for group, rows in totals.items():
        paras = sum(r["paragraphs"] for r in rows)
        dropped = sum(len(r["dropped"]) for r in rows)
        not_body = sum(len(r["not_body"]) for r in rows)
        titles = sum(r["title_ok"] for r in rows)
        print(
            f"{group + ':':30} {len(rows)} files, {paras} paragraphs, {dropped} dropped, "
            f"{not_body} not body, titles {titles}/{len(rows)}"
        )


def _show(row: dict, article: Any) -> None:
    print(f"== {row['name']}  title={article.title!r}")
    for b in article.blocks:
        print(f"   [{b.kind.value}] {b.zh[:70]}")
    for d in article.dropped:
        print(f"   (dropped: {d.reason}) {d.text[:60]}")
    print(f"   lost: {row['lost']}\n   furniture: {row['furniture']}")
    print(f"   names missing: {row['names_missing']}")
    print(
        f"   meta: outlet={article.outlet!r} author={article.author!r} "
        f"published={article.published!r} url={article.source_url!r} credits={article.credits!r}"
    )


def _table(rows: list[dict], total: int) -> None:
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
    print(f"articles read:                 {n} of {total}")
    print(f"paragraph count exactly right: {sum(r['got'] == r['expected'] for r in rows)} / {n}")
    lost = sum(len(r["lost"]) for r in rows)
    print(f"body paragraphs lost:          {lost} of {sum(r['expected'] for r in rows)}")
    print(f"furniture kept as body:        {sum(len(r['furniture']) for r in rows)}")
    print(f"titles right:                  {sum(r['title_ok'] for r in rows)} / {n}")
    intact = sum(r["names"] - len(r["names_missing"]) for r in rows)
    print(f"Latin names intact:            {intact} / {sum(r['names'] for r in rows)}")
    if times:
        print(
            f"time per page:                 median {times[len(times) // 2] * 1000:.0f} ms, "
            f"max {times[-1] * 1000:.0f} ms"
        )


def _compare(results: dict[str, list[dict]]) -> None:
    """On the pages both read: the reader against the baseline run just now."""
    ours = {r["name"]: r for r in results["bilingual"]}
    base = {r["name"]: r for r in results["trafilatura"]}
    names = sorted(set(ours) & set(base))
    if not names:
        return
    print(f"\n## on the {len(names)} HTML pages both read")
    for label, key in (("paragraphs lost", "lost"), ("furniture kept", "furniture")):
        a = sum(len(ours[n][key]) for n in names)
        b = sum(len(base[n][key]) for n in names)
        print(f"{label:24} bilingual {a:>4}   trafilatura {b:>4}")
    for label, test in (
        ("exact paragraph counts", lambda r: r["got"] == r["expected"]),
        ("titles right", lambda r: r["title_ok"]),
    ):
        a = sum(bool(test(ours[n])) for n in names)
        b = sum(bool(test(base[n])) for n in names)
        print(f"{label:24} bilingual {a:>4}   trafilatura {b:>4}")
    t_ours = sum(ours[n]["seconds"] for n in names)
    t_base = sum(base[n]["seconds"] for n in names)
    print(f"{'parse time':24} bilingual {t_ours / t_base:.2f}x trafilatura's")


if __name__ == "__main__":
    sys.exit(main())
