"""How fast the review page loads a 200-paragraph project, and how fast a save answers.

Builds a project of 200 paragraphs (the samples' paragraphs, cycled, each made distinct, with
English from the scripted test engine, a few flagged, edited and commented), serves it with the
real `ReviewServer` on 127.0.0.1, and opens it in Debian's Chromium through Playwright (the
browser the tests use). A page load is timed from navigation start to the moment every row is on
the page (`body[data-ready]`, set by app.js after the rows are built): the first load in a
browser just started (its own start-up included), a new tab with an empty cache, and reloads
(the server sends no-store, so every load fetches everything again). Then it saves one paragraph's
English again and again, timing each round trip (atomic write, backup, checks, memory), and
times the page's response to a key while a save is in flight.

Prints the figures and their ratio to the budget of one second. No figure is asserted.

    python benchmarks/review_page.py [--paragraphs 200] [--loads 5] [--saves 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))

from scripted import ScriptedEngine  # noqa: E402  (the tests' deterministic engine)

from bilingual.document import Article, Block, Kind, Status  # noqa: E402
from bilingual.memory import Memory  # noqa: E402
from bilingual.readers import read_article  # noqa: E402
from bilingual.review.session import ReviewSession  # noqa: E402
from bilingual.review.web.server import ReviewServer  # noqa: E402
from bilingual.translation.run import Route, translate_articles  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def build_project(path: Path, paragraphs: int) -> Path:
    texts: list[str] = []
    for sample in sorted((ROOT / "samples").glob("*.txt")) + sorted(
        (ROOT / "samples").glob("*.md")
    ):
        if sample.name == "README.md":  # about the samples, not one of them
            continue
        texts.extend(b.zh for b in read_article(sample).body)
    blocks = [Block(Kind.TITLE, "二百段的审校页面测速")]
    for i in range(paragraphs):
        blocks.append(Block(Kind.PARAGRAPH, f"{texts[i % len(texts)]}（第{i + 1}段）"))
    article = Article(blocks=blocks)
    engine = ScriptedEngine()
    translate_articles([article], lambda _a: Route(engine, engine.signature(), False, "scripted"))
    for i, b in enumerate(article.body):
        if i % 7 == 3:
            b.mt, b.en, b.status = b.en, (b.en or "") + " Edited.", Status.EDITED
        if i % 11 == 5:
            b.comment = "Check this against the wire copy."
    path.write_text(article.to_json(), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=200)
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--saves", type=int, default=20)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        project = build_project(Path(tmp) / "p.json", args.paragraphs)
        size = project.stat().st_size
        memory_path = Path(tmp) / "memory.sqlite3"
        opened: list[Memory] = []

        def open_session() -> ReviewSession:
            opened.append(Memory(memory_path))
            return ReviewSession(project, memory=opened[-1])

        server = ReviewServer(open_session)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                loads: list[float] = []
                for _ in range(args.loads + 1):
                    page.goto(server.url)
                    page.wait_for_selector("body[data-ready]")
                    # app.js writes the milliseconds since navigation start when the rows are in.
                    loads.append(int(page.get_attribute("body", "data-ready") or 0) / 1000)
                rows = page.locator("article.row").count()
                first, warm = loads[0], statistics.median(loads[1:])
                # A new tab in a browser already running (its own empty cache), as a reviewer
                # opening the address would do.
                fresh: list[float] = []
                for _ in range(3):
                    context = browser.new_context(viewport={"width": 1280, "height": 900})
                    tab = context.new_page()
                    tab.goto(server.url)
                    tab.wait_for_selector("body[data-ready]")
                    fresh.append(int(tab.get_attribute("body", "data-ready") or 0) / 1000)
                    context.close()
                cold = statistics.median(fresh)

                # Saves: the same paragraph, alternately two texts, through the page's own code.
                saves: list[float] = []
                for k in range(args.saves):
                    text = f"Benchmark English, version {k}."
                    started = time.perf_counter()
                    page.evaluate(
                        """async ([text]) => {
                          const b = state.blocks.find((x) => x.n === 1);
                          return save(b.id, { en: text });
                        }""",
                        [text],
                    )
                    saves.append(time.perf_counter() - started)

                # Responsiveness: a key press handled while a save is in flight.
                page.evaluate(
                    """() => { const b = state.blocks.find((x) => x.n === 2);
                               window._inflight = save(b.id, { en: 'In flight.' }); }"""
                )
                started = time.perf_counter()
                page.keyboard.press("j")
                page.evaluate("() => new Promise(requestAnimationFrame)")
                key = time.perf_counter() - started
                page.evaluate("() => window._inflight")
                browser.close()
        finally:
            server.shutdown()
            thread.join(10)
            server.close(cleanup=lambda: [m.close() for m in opened] and None)

    print(f"project: {args.paragraphs} paragraphs, {size / 1024:.0f} KiB; rows on the page: {rows}")
    budget = "x the 1 s budget"
    print(f"first load in a browser just started: {first * 1000:5.0f} ms ({first:.2f}{budget})")
    print(f"new tab, empty cache (median of 3):    {cold * 1000:5.0f} ms ({cold:.2f}{budget})")
    print(
        f"reload (median of {args.loads}):                {warm * 1000:5.0f} ms ({warm:.2f}{budget})"
    )
    print(
        f"save round trip (write + backup + checks + memory), median of {len(saves)}: "
        f"{statistics.median(saves) * 1000:.0f} ms, slowest {max(saves) * 1000:.0f} ms"
    )
    print(f"a key press handled while a save is in flight: {key * 1000:.0f} ms")


if __name__ == "__main__":
    main()
