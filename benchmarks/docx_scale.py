"""DOCX scale: writing handouts and reading DOCX articles must stay linear in the paragraph count.

    python benchmarks/docx_scale.py                 # write 1k/5k/20k rows, read 4k/40k paragraphs
    python benchmarks/docx_scale.py --rows 1000 4000 --paragraphs 4000

Prints seconds per size and the time per row relative to the smallest size (about 1.0 when
linear; the quadratic writer read 4-5x at 20k rows). Targets: 20,000 rows written in under 30 s,
40,000 paragraphs read in seconds.
"""

from __future__ import annotations

import argparse
import io
import time

from bilingual.document import Article, Block, Kind, Status


def article(n: int) -> Article:
    return Article(
        blocks=[
            Block(Kind.PARAGRAPH, f"第{i}段：哈萨克斯坦总统托卡耶夫发表讲话。", en=f"Paragraph {i}.",
                  status=Status.MACHINE)
            for i in range(n)
        ]
    )  # fmt: skip


def time_write(n: int, layout: str) -> float:
    from bilingual.writers import HandoutOptions, Layout
    from bilingual.writers.docx import to_bytes

    a = article(n)
    started = time.perf_counter()
    to_bytes(a, HandoutOptions(layout=Layout(layout)))
    return time.perf_counter() - started


def docx_bytes(n: int) -> bytes:
    import docx

    doc = docx.Document()
    doc.add_paragraph("标题", style="Title")
    for i in range(n):
        doc.add_paragraph(f"第{i}段。", style="Heading 2" if i % 50 == 0 else None)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def time_read(n: int) -> float:
    from bilingual.readers.docx import parse_docx

    data = docx_bytes(n)
    started = time.perf_counter()
    parse_docx(data)
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[1000, 5000, 20000])
    ap.add_argument("--paragraphs", type=int, nargs="+", default=[4000, 40000])
    args = ap.parse_args()
    for layout in ("side-by-side", "interleaved"):
        base = None
        for n in args.rows:
            s = time_write(n, layout)
            base = base or s / n
            print(f"write {layout:12} {n:>6} rows  {s:7.2f} s  per-row ratio {s / n / base:4.2f}")
    base = None
    for n in args.paragraphs:
        s = time_read(n)
        base = base or s / n
        print(f"read  docx         {n:>6} paras {s:7.2f} s  per-para ratio {s / n / base:4.2f}")


if __name__ == "__main__":
    main()
