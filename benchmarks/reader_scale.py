"""How the reader scales: parse time and peak memory for growing pages, and for deep nesting.

    python benchmarks/reader_scale.py              # 1, 5, 10, 48 MB pages; 1k..100k nesting levels
    python benchmarks/reader_scale.py --quick      # 1 and 5 MB; up to 20k levels

Each case runs in a fresh subprocess, so peak RSS is the case's own. Times are reported against
the smallest case of the same kind run in this invocation: a linear reader keeps seconds-per-MB
(or per 1,000 levels) flat.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

CASE = r"""
import json, resource, sys, time
from bilingual.readers import parse_bytes
kind, size = sys.argv[1], int(sys.argv[2])
if kind == "page":
    para = "<p>" + "中国经济持续发展，市场活力不断增强。" * 10 + "</p>\n"
    n = size * 1024 * 1024 // len(para.encode())
    doc = "<html><body><div class='content'>" + para * n + "</div></body></html>"
else:
    doc = "<html><body>" + "<div>" * size + "深处的段落。" + "</div>" * size + "</body></html>"
data = doc.encode()
start = time.perf_counter()
article = parse_bytes(data, name="x.html")
seconds = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "rss_mb": rss, "blocks": len(article.blocks)}))
"""


def run(kind: str, size: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CASE, kind, str(size)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    sizes = [1, 5] if args.quick else [1, 5, 10, 48]
    levels = [1_000, 20_000] if args.quick else [1_000, 10_000, 100_000]
    print(f"{'page':>10} {'seconds':>8} {'s/MB':>6} {'vs 1 MB':>8} {'peak RSS':>9}")
    base = None
    for mb in sizes:
        r = run("page", mb)
        per = r["seconds"] / mb
        base = base or per
        print(
            f"{mb:>7} MB {r['seconds']:>8.2f} {per:>6.2f} {per / base:>7.2f}x {r['rss_mb']:>6.0f} MB"
        )
    print(f"\n{'nesting':>10} {'seconds':>8} {'per 1k':>7} {'vs first':>8}")
    base = None
    for n in levels:
        r = run("deep", n)
        per = r["seconds"] / (n / 1000)
        base = base or per
        print(f"{n:>10} {r['seconds']:>8.2f} {per:>7.3f} {per / base:>7.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
