"""The review page, driven in a real browser: Debian's Chromium through Playwright.

One browser for the whole session; each test gets a fresh server on its own project and a fresh
browser context. The engine is the scripted one (tests/scripted.py) with an n-best list.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import on_ci
from scripted import ScriptedEngine

from bilingual.document import Article, Block, Flag, Kind, Status
from bilingual.engines.base import Result
from bilingual.memory import Memory
from bilingual.review.session import ReviewSession
from bilingual.review.web.server import ReviewServer
from bilingual.translation.run import Route

CHROMIUM = os.environ.get("BILINGUAL_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parent.parent
NAME = "Kassym-Jomart Tokayev"
SCRIPT_ZH = '有人写了<script>window.pwned = 1</script>和<img src=x onerror="window.pwned = 2">。'
SCRIPT_EN = (
    'Someone wrote <script>window.pwned = 3</script> and <img src=x onerror="window.pwned = 4">.'
)

if not Path(CHROMIUM).exists() and not on_ci():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
# Generous waits: the machine may be busy with other work (no assertion is about speed).
expect.set_options(timeout=30_000)


class NBestEngine(ScriptedEngine):
    """The scripted engine, with an n-best list: the best, then variants marked (2), (3)..."""

    def alternatives(self, segment: str, n: int = 4) -> list[Result]:
        best = self.translate(segment)
        return [Result(best, -0.1)] + [Result(f"{best} ({k})", -0.1 * k) for k in range(2, n + 1)]


def make_project(path: Path) -> Path:
    engine = NBestEngine()
    blocks = [
        Block(Kind.TITLE, "哈萨克斯坦危机持续", en="Kazakhstan crisis goes on"),
        Block(
            Kind.LEAD, "第一段说了一件事。第二句话很短。", en="The first paragraph. A short one."
        ),
        Block(
            Kind.PARAGRAPH,
            "第二段说，2000人被捕。",
            en="The second paragraph says people were arrested.",
            flags=[Flag("number-mismatch", "not in the English with the same value: 2000")],
            score=-1.5,
        ),
        Block(Kind.PARAGRAPH, f"总统托卡耶夫（{NAME}）今天表示。", en=f"{NAME} said today."),
        Block(Kind.PARAGRAPH, SCRIPT_ZH, en=SCRIPT_EN),
    ]
    for b in blocks:
        b.status = Status.MACHINE
    article = Article(blocks=blocks, provenance={"tool": "bilingual", "engine": engine.name})
    path.write_text(article.to_json(), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Running:
    def __init__(self, server: ReviewServer, project: Path, memory_path: Path) -> None:
        self.server, self.project, self.memory_path = server, project, memory_path

    @property
    def url(self) -> str:
        return self.server.url

    def article(self) -> Article:
        return Article.load(self.project)


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    project = make_project(tmp_path / "p.json")
    memory_path = tmp_path / "memory.sqlite3"
    engine = NBestEngine()
    opened: list[Memory] = []

    def open_session() -> ReviewSession:
        memory = Memory(memory_path)
        opened.append(memory)
        return ReviewSession(
            project,
            memory=memory,
            routes=lambda _a: Route(engine, engine.signature(), False, "scripted"),
        )

    server = ReviewServer(open_session)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Running(server, project, memory_path)
    server.shutdown()
    thread.join(10)
    server.close(cleanup=lambda: [m.close() for m in opened] and None)


@pytest.fixture
def page(browser, running):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(running.url)
    page.wait_for_selector("body[data-ready]")
    yield page
    context.close()
    assert errors == []


def row(page, label: str):
    return page.locator(f"article.row:has(a.num:text-is('{label}'))")


def wait_saved(page, label: str) -> None:
    expect(row(page, label).locator(".save-state")).to_have_class("save-state saved")


def edit_active(page, label: str, text: str) -> None:
    """Edit the active paragraph (`label`) by keyboard, approve with Ctrl+Enter, wait for the save."""
    page.keyboard.press("e")
    row(page, label).locator("textarea.en-edit").fill(text)
    page.keyboard.press("Control+Enter")
    wait_saved(page, label)


# ---- the page --------------------------------------------------------------------------------
def test_web_page_opens_with_the_handout_numbering_and_progress(page):
    labels = page.locator("article.row a.num").all_text_contents()
    assert labels == ["Title", "§1", "§2", "§3", "§4"]
    expect(page.locator("#progress-text")).to_have_text("0 of 4 reviewed · 1 flagged")
    flag = row(page, "§2").locator(".flags li")
    expect(flag).to_have_text("A number differs: 2000")
    expect(flag).to_have_attribute("title", re.compile("same value"))  # what it means, on hover
    # It starts on the first paragraph not reviewed yet (the title is not §1).
    expect(page.locator("article.row.active a.num")).to_have_text("§1")


def test_web_keyboard_edit_approve_and_reload_keeps_it(page, running):
    page.keyboard.press("j")
    expect(page.locator("article.row.active a.num")).to_have_text("§2")
    page.keyboard.press("k")
    expect(page.locator("article.row.active a.num")).to_have_text("§1")
    page.keyboard.press("Enter")
    box = row(page, "§1").locator("textarea.en-edit")
    expect(box).to_be_focused()
    box.fill("The first paragraph, edited. A short one.")
    page.keyboard.press("Control+Enter")
    wait_saved(page, "§1")
    # Confirming selected the next paragraph without opening it for editing.
    expect(page.locator("article.row.active a.num")).to_have_text("§2")
    expect(row(page, "§2").locator("textarea.en-edit")).not_to_be_focused()
    page.keyboard.press("a")  # unchanged: approved as it is
    wait_saved(page, "§2")
    expect(page.locator("#progress-text")).to_have_text("2 of 4 reviewed · 1 flagged")

    saved = running.article()
    assert (saved.blocks[1].en, saved.blocks[1].status) == (
        "The first paragraph, edited. A short one.",
        Status.EDITED,
    )
    assert saved.blocks[2].status is Status.APPROVED
    assert Path(f"{running.project}~").exists()

    page.reload()
    page.wait_for_selector("body[data-ready]")
    first = row(page, "§1")
    expect(first.locator(".en-view")).to_have_text("The first paragraph, edited. A short one.")
    expect(first.locator(".status")).to_have_text("Edited")
    # The word-level diff from the machine's English to the edit.
    first.locator(".changes summary").click()
    expect(first.locator(".changes del")).to_have_text("paragraph.")
    expect(first.locator(".changes ins")).to_have_text("paragraph, edited.")
    assert first.locator(".changes .diff").text_content() == (
        "The first paragraph. paragraph, edited. A short one."
    )
    expect(page.locator("#progress-text")).to_have_text("2 of 4 reviewed · 1 flagged")


def english(article: Article) -> list[str | None]:
    return [b.en for b in article.blocks]


def test_web_stray_keys_after_a_confirmation_change_no_text_and_reach_no_memory(page, running):
    """The issue's stray key: after Ctrl+Enter, j/k/a/c/l (and any letter) are commands, never
    text typed into a paragraph, and nothing but the confirmation reaches the memory."""
    edit_active(page, "§1", "The first paragraph, confirmed. A short one.")
    expect(page.locator("article.row.active a.num")).to_have_text("§2")
    confirmed = english(running.article())
    for key in ["j", "k", "x", "z", "w", "q", "c", "Escape", "l", "Escape", "Escape"]:
        page.keyboard.press(key)
    expect(row(page, "§2").locator(".panel")).to_be_hidden()
    page.keyboard.press("a")  # a command too: approves §2 as it is, its text unchanged
    wait_saved(page, "§2")
    page.keyboard.press("k")
    page.keyboard.press("c")  # the comment box, entered on purpose, and left with Esc
    expect(row(page, "§1").locator("textarea.comment")).to_be_focused()
    page.keyboard.press("Escape")
    for key in ["j", "l", "Escape", "j", "k"]:
        page.keyboard.press(key)
    saved = running.article()
    assert english(saved) == confirmed
    assert [b.draft for b in saved.blocks] == [None] * 5
    assert [b.comment for b in saved.blocks] == [None] * 5
    assert [b.status.value for b in saved.blocks] == [
        "machine",
        "edited",
        "approved",
        "machine",
        "machine",
    ]
    for area in page.locator("textarea").all():  # nothing typed anywhere
        assert area.input_value() in {*confirmed, "", None}
    with Memory(running.memory_path) as memory:
        assert {(e.target, e.status) for e in memory.all_human()} == {
            ("The first paragraph, confirmed. A short one.", "edited"),
            (confirmed[2], "approved"),
        }


def test_web_a_left_edit_is_a_draft_until_confirmed(page, running):
    """Esc (or a click elsewhere) leaves the box: the text is a draft, saved in the project and
    shown as one, not counted as reviewed, not in the memory; Ctrl+Enter confirms it."""
    page.keyboard.press("Enter")
    box = row(page, "§1").locator("textarea.en-edit")
    box.fill("A draft I have not confirmed.")
    page.keyboard.press("Escape")
    expect(box).not_to_be_focused()
    expect(row(page, "§1").locator(".draft-badge")).to_have_text("Draft")
    expect(row(page, "§1").locator(".save-state")).to_have_text("Draft saved (not confirmed)")
    expect(page.locator("#progress-text")).to_have_text("0 of 4 reviewed · 1 flagged · 1 draft")
    expect(page.locator("#filters button[data-filter=drafts] .count")).to_have_text("1")
    block = running.article().blocks[1]
    assert (block.draft, block.status) == ("A draft I have not confirmed.", Status.MACHINE)
    assert block.en == "The first paragraph. A short one."

    # Clicking elsewhere (a filter) after typing keeps a draft too, and counts nothing.
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    row(page, "§2").locator("textarea.en-edit").fill("Another draft.")
    page.locator("#filters button[data-filter=flagged]").click()
    expect(row(page, "§2").locator(".draft-badge")).to_be_visible()
    expect(page.locator("#progress-text")).to_contain_text("0 of 4 reviewed")
    with Memory(running.memory_path) as memory:
        assert memory.all_human() == []
    page.locator("#filters button[data-filter=all]").click()

    # A reload shows the drafts from the project; Ctrl+Enter confirms: edited, in the memory.
    page.reload()
    page.wait_for_selector("body[data-ready]")
    expect(row(page, "§1").locator(".en-view")).to_have_text("A draft I have not confirmed.")
    row(page, "§1").locator(".en-view").click()
    expect(box).to_have_value("A draft I have not confirmed.")
    page.keyboard.press("Control+Enter")
    wait_saved(page, "§1")
    expect(page.locator("#progress-text")).to_have_text("1 of 4 reviewed · 1 flagged · 1 draft")
    block = running.article().blocks[1]
    assert (block.en, block.status, block.draft) == (
        "A draft I have not confirmed.",
        Status.EDITED,
        None,
    )
    with Memory(running.memory_path) as memory:
        assert [(e.target, e.status, e.project) for e in memory.all_human()] == [
            ("A draft I have not confirmed.", "edited", str(running.project.resolve()))
        ]
    # u discards the other draft: the machine English again, nothing counted.
    expect(page.locator("article.row.active a.num")).to_have_text("§2")
    page.keyboard.press("u")
    expect(row(page, "§2").locator(".draft-badge")).to_have_count(0)
    assert running.article().blocks[2].draft is None


def test_web_alternatives_with_flags_and_retranslate_before_after(page, running):
    page.keyboard.press("j")  # §2
    page.keyboard.press("l")
    options = row(page, "§2").locator(".panel.alternatives li")
    expect(options).to_have_count(4)
    expect(options.nth(1)).to_contain_text("(2)")
    expect(options.nth(1)).to_contain_text("#2 of the model")
    expect(options.nth(1)).to_contain_text("confidence 82%")  # the n-best's score, exp(-0.2)
    page.keyboard.press("2")
    wait_saved(page, "§2")
    chosen = running.article().blocks[2]
    assert chosen.status is Status.EDITED and chosen.en.endswith("(2)")
    # The checks ran on the chosen English (the scripted engine keeps 2000: no number flag).
    assert [f.code for f in chosen.flags] == []

    page.keyboard.press("j")  # §3
    page.keyboard.press("r")
    panel = row(page, "§3").locator(".panel.retranslation")
    expect(panel.locator(".before-after")).to_be_visible()
    expect(panel.locator(".before-after > div").first).to_contain_text(f"{NAME} said today.")
    assert running.article().blocks[3].en == f"{NAME} said today."  # nothing taken yet
    page.keyboard.press("y")
    wait_saved(page, "§3")
    taken = running.article().blocks[3]
    assert taken.status is Status.MACHINE and taken.en != f"{NAME} said today."
    assert NAME in taken.en


def test_web_filters_and_search_in_both_languages(page):
    page.locator("#filters button[data-filter=flagged]").click()
    visible = page.locator("article.row:visible a.num")
    expect(visible).to_have_text(["§2"])
    page.locator("#filters button[data-filter=all]").click()
    page.keyboard.press("/")
    page.keyboard.type("tokayev")
    expect(visible).to_have_text(["§3"])
    page.locator("#search").fill("被捕")
    expect(visible).to_have_text(["§2"])
    page.locator("#search").fill("")
    page.locator("#filters button[data-filter=approved]").click()
    expect(page.locator("#empty")).to_be_visible()


def test_web_flagged_address_opens_on_the_flagged_filter(page, running):
    """`review --web --flagged` prints the address with #filter=flagged."""
    page.goto(running.url + "#filter=flagged")
    page.reload()
    page.wait_for_selector("body[data-ready]")
    expect(page.locator("article.row:visible a.num")).to_have_text(["§2"])
    expect(page.locator("#filters button[data-filter=flagged]")).to_have_attribute(
        "aria-pressed", "true"
    )


def test_web_comment_is_saved_and_comes_back(page, running):
    page.keyboard.press("c")
    box = row(page, "§1").locator("textarea.comment")
    expect(box).to_be_focused()
    box.fill("Check 一件事 with the desk.")
    page.keyboard.press("Control+Enter")
    wait_saved(page, "§1")
    assert running.article().blocks[1].comment == "Check 一件事 with the desk."
    assert running.article().blocks[1].status is Status.MACHINE
    page.reload()
    page.wait_for_selector("body[data-ready]")
    expect(row(page, "§1").locator("textarea.comment")).to_have_value("Check 一件事 with the desk.")


def test_web_hovering_a_sentence_lights_its_counterpart(page):
    first = row(page, "§1")
    first.locator(".zh .s[data-s='1']").hover()
    expect(first.locator(".en-view .s.hl")).to_have_text("A short one.")


def test_web_glossary_term_retranslates_the_paragraphs_holding_it(page, running):
    page.keyboard.press("g")
    form = page.locator("#term-form")
    form.locator("input[name=zh]").fill("被捕")
    form.locator("input[name=en]").fill("arrested")
    form.locator("button[type=submit]").click()
    expect(page.locator("#banner")).to_contain_text("1 paragraph(s) hold it")
    panel = row(page, "§2").locator(".panel.retranslation")
    expect(panel.locator(".before-after")).to_contain_text("arrested")
    expect(page.locator("#terms")).to_contain_text("arrested")
    panel.locator("button.accept").click()
    wait_saved(page, "§2")
    assert "arrested" in running.article().blocks[2].en


def test_web_two_tabs_a_stale_save_is_refused_and_shows_the_other(browser, running, page):
    other = page.context.new_page()
    other.goto(running.url)
    other.wait_for_selector("body[data-ready]")
    edit_active(page, "§1", "Tab one's English.")  # tab 1 saves §1 first
    # Tab 2 still shows the old version and saves over it: refused, its text kept.
    other.keyboard.press("e")
    mine = row(other, "§1").locator("textarea.en-edit")
    mine.fill("Tab two's English.")
    other.keyboard.press("Control+Enter")
    conflict = row(other, "§1").locator(".panel.conflict")
    expect(conflict.locator(".theirs")).to_have_text("Tab one's English.")
    expect(mine).to_have_value("Tab two's English.")
    assert running.article().blocks[1].en == "Tab one's English."
    conflict.locator("button.primary").click()  # keep mine, knowingly
    wait_saved(other, "§1")
    assert running.article().blocks[1].en == "Tab two's English."


def test_web_reviewed_paragraphs_go_into_the_memory(page, running):
    edit_active(page, "§1", "Into the memory.")
    with Memory(running.memory_path) as memory:
        assert ("Into the memory.", "edited") in {(e.target, e.status) for e in memory.all_human()}


def test_web_markup_in_a_paragraph_stays_text(page):
    script = row(page, "§4")
    expect(script.locator(".zh")).to_have_text(SCRIPT_ZH)
    expect(script.locator(".en-view")).to_have_text(SCRIPT_EN)
    assert page.evaluate("window.pwned") is None
    assert page.locator("#rows img, #rows script").count() == 0


# ---- the server's guard ----------------------------------------------------------------------
def _request(url: str, method: str = "GET", path: str = "", headers: dict | None = None):
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    conn.request(
        method, path or parts.path, body=b"{}" if method == "POST" else None, headers=headers or {}
    )
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response, body


def test_web_server_refuses_without_token_or_from_elsewhere(running):
    url = running.url
    parts = urlsplit(url)
    own = f"http://{parts.netloc}"
    api = parts.path + "api/project"
    post = parts.path + "api/blocks/x"
    ok, body = _request(url, path=api)
    assert ok.status == 200 and json.loads(body)["progress"]["paragraphs"] == 4
    assert "script-src 'self'" in ok.getheader("Content-Security-Policy")
    refused = [
        _request(url, path="/api/project"),  # no token
        _request(url, path="/wrongtoken/api/project"),
        _request(url, path=api, headers={"Host": "evil.example:80"}),  # DNS rebinding
        _request(url, path=api, headers={"Origin": "http://evil.example"}),
        _request(
            url, "POST", post, {"Origin": "http://evil.example", "Content-Type": "application/json"}
        ),
        _request(url, "POST", post, {"Content-Type": "application/json"}),  # no Origin
    ]
    assert [r.status for r, _ in refused] == [403] * 6
    assert all(b"paragraph" not in body for _, body in refused)
    good_post, _ = _request(url, "POST", post, {"Origin": own, "Content-Type": "application/json"})
    assert good_post.status == 400  # past the guard: no such paragraph, no base version
    assert running.server.httpd.server_address[0] == "127.0.0.1"


# ---- killing the server ----------------------------------------------------------------------
def _start_review(project: Path, memory: Path) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bilingual",
            "review",
            "--web",
            "--no-browser",
            "--memory",
            memory,
            project,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    url = proc.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:"), proc.stderr.read() if proc.poll() else url
    return proc, url


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.wait(10)
    proc.stdout.close()
    proc.stderr.close()


def test_web_server_killed_and_restarted_the_open_tab_saves_its_text(browser, tmp_path):
    """Nothing lost when the server goes: the text typed while it was dead is kept in the
    browser; the review started again comes back at the same address, and the open tab sends
    it by itself (a confirmation as a confirmation, a draft as a draft), no copy-paste."""
    project = make_project(tmp_path / "p.json")
    memory = tmp_path / "m.sqlite3"
    proc, url = _start_review(project, memory)
    again = None
    try:
        context = browser.new_context()
        context.set_default_timeout(30_000)
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("body[data-ready]")
        edit_active(page, "§1", "Saved before the crash.")
        proc.kill()
        proc.wait(10)
        # §2: typed and confirmed while the server is dead.
        page.keyboard.press("Enter")
        page.locator("article.row.active textarea.en-edit").fill("Typed while the server died.")
        page.keyboard.press("Control+Enter")
        expect(page.locator("#banner")).to_contain_text("does not answer. Nothing is lost")
        expect(row(page, "§2").locator(".save-state")).to_contain_text("kept in this browser")
        page.keyboard.press("Escape")
        # §3: typed and left (a draft) while the server is dead.
        page.keyboard.press("j")
        page.keyboard.press("Enter")
        page.locator("article.row.active textarea.en-edit").fill("A draft while it was dead.")
        page.keyboard.press("Escape")
        expect(row(page, "§3").locator(".save-state")).to_contain_text("kept in this browser")
        assert (
            Article.load(project).blocks[2].en == "The second paragraph says people were arrested."
        )

        again, url2 = _start_review(project, memory)
        assert url2 == url  # the same port and token: the open tab reaches it
        expect(page.locator("#banner")).to_contain_text("Reconnected: 2 unsaved changes sent.")
        saved = Article.load(project)
        assert (saved.blocks[2].en, saved.blocks[2].status) == (
            "Typed while the server died.",
            Status.EDITED,
        )
        assert (saved.blocks[3].draft, saved.blocks[3].status) == (
            "A draft while it was dead.",
            Status.MACHINE,
        )
        assert page.evaluate("Object.keys(unsent()).length") == 0
        context.close()
    finally:
        _stop(proc)
        if again is not None:
            _stop(again)
    with Memory(memory) as m:
        assert {e.target for e in m.all_human()} == {
            "Saved before the crash.",
            "Typed while the server died.",
        }


def test_web_a_stale_text_kept_in_the_browser_is_offered_not_forced(browser, tmp_path):
    """A text kept in the browser for a paragraph changed elsewhere meanwhile is shown as a
    conflict when the page opens again, and nothing is overwritten."""
    project = make_project(tmp_path / "p.json")
    memory = tmp_path / "m.sqlite3"
    proc, url = _start_review(project, memory)
    try:
        context = browser.new_context()
        context.set_default_timeout(30_000)
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("body[data-ready]")
        proc.kill()
        proc.wait(10)
        page.keyboard.press("Enter")
        page.locator("article.row.active textarea.en-edit").fill("Mine, typed offline.")
        page.keyboard.press("Escape")
        expect(row(page, "§1").locator(".save-state")).to_contain_text("kept in this browser")
        # Someone else saves §1 meanwhile (an XLIFF import, another reviewer).
        article = Article.load(project)
        article.blocks[1].en, article.blocks[1].status = "Theirs, saved meanwhile.", Status.EDITED
        project.write_text(article.to_json(), encoding="utf-8")
        _stop(proc)
        proc, url2 = _start_review(project, memory)
        assert url2 == url
        expect(row(page, "§1").locator(".panel.conflict")).to_contain_text(
            "Theirs, saved meanwhile."
        )
        expect(row(page, "§1").locator("textarea.en-edit")).to_have_value("Mine, typed offline.")
        assert Article.load(project).blocks[1].en == "Theirs, saved meanwhile."
        context.close()
    finally:
        _stop(proc)


def test_web_assets_ship_in_the_package():
    static = ROOT / "bilingual" / "review" / "web" / "static"
    assert {p.name for p in static.iterdir()} >= {"index.html", "app.js", "app.css"}
    for name in ("index.html", "app.js", "app.css"):
        text = (static / name).read_text(encoding="utf-8")
        assert "http://" not in text.replace("http://127.0.0.1", "")
        assert "https://" not in text
    assert shutil.which("chromium") or Path(CHROMIUM).exists()


def _remember(running: Running) -> None:
    """Earlier confirmed translations in the review's memory (another project's)."""
    with Memory(running.memory_path) as memory:
        memory.store_human(
            "第一段说了一件大事。第二句话很短。",
            "The first paragraph told of a big event. The second sentence is short.",
            "edited",
            project="/elsewhere/other.json",
        )
        memory.store_human(
            "总统托卡耶夫（Kassym-Jomart Tokayev）昨天表示。",
            "President Kassym-Jomart Tokayev said yesterday.",
            "approved",
            project="/elsewhere/other.json",
        )


def test_web_memory_matches_insert_as_a_draft_and_concordance_both_ways(page, running):
    _remember(running)
    page.reload()
    page.wait_for_selector("body[data-ready]")
    tm = row(page, "§1").locator(".tm")
    expect(tm).to_be_visible()
    first = tm.locator("li").first
    expect(first.locator(".pct")).to_have_text("94%")  # one character more in 17
    expect(first.locator(".men")).to_have_text(
        "The first paragraph told of a big event. The second sentence is short."
    )
    # Its second sentence is the same as §1's second sentence: a 100% sentence match.
    expect(tm.locator("li", has_text="sentence 2").locator(".pct")).to_have_text("100%")
    page.keyboard.press("1")  # inserts the paragraph match, in the box, as a draft
    box = row(page, "§1").locator("textarea.en-edit")
    expect(box).to_be_focused()
    expect(box).to_have_value(
        "The first paragraph told of a big event. The second sentence is short."
    )
    page.keyboard.press("Escape")
    expect(row(page, "§1").locator(".draft-badge")).to_be_visible()
    assert running.article().blocks[1].status is Status.MACHINE
    with Memory(running.memory_path) as memory:
        assert len(memory.all_human()) == 2  # an inserted match is not a confirmation

    # §3: its sentence differs from the remembered one by a word.
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(row(page, "§3").locator(".tm li").first.locator(".men")).to_have_text(
        "President Kassym-Jomart Tokayev said yesterday."
    )

    # Concordance, both ways: a Chinese term and an English one.
    page.keyboard.press("f")
    query = page.locator("#concordance-q")
    expect(query).to_be_focused()
    query.fill("托卡耶夫")
    page.keyboard.press("Enter")
    results = page.locator("#concordance-results tbody tr")
    expect(results).to_have_count(1)
    expect(results.first.locator("mark")).to_have_text("托卡耶夫")
    expect(results.first).to_contain_text("President Kassym-Jomart Tokayev said yesterday.")
    query.fill("big EVENT")
    page.keyboard.press("Enter")
    expect(results).to_have_count(1)
    expect(results.first.locator("mark")).to_have_text("big event")
    expect(results.first).to_contain_text("第一段说了一件大事。")
    page.keyboard.press("Escape")  # leaves the field and the drawer
    expect(page.locator("#concordance")).to_be_hidden()
    page.keyboard.press("k")
    expect(page.locator("article.row.active a.num")).to_have_text("§2")


def test_web_grid_layout_shows_every_paragraph_and_is_remembered(page, running):
    page.keyboard.press("v")
    expect(page.locator("body")).to_have_class("grid")
    rows = page.locator("article.row")
    expect(rows).to_have_count(5)
    article = running.article()
    for i, block in enumerate(article.blocks):
        expect(rows.nth(i)).to_be_visible()
        expect(rows.nth(i).locator(".zh")).to_have_text(block.zh)
        expect(rows.nth(i).locator(".status")).to_be_visible()
    expect(rows.nth(1).locator(".en-view")).to_have_text(article.blocks[1].en)
    # Compact: each row not active is one line of source | target | status.
    heights = [rows.nth(i).bounding_box()["height"] for i in (0, 2, 3)]
    assert max(heights) < 80, heights
    page.reload()
    page.wait_for_selector("body[data-ready]")
    expect(page.locator("body")).to_have_class("grid")  # remembered
    page.locator("#layout-toggle").click()
    expect(page.locator("body")).not_to_have_class("grid")


def test_web_help_and_drawers_show_wherever_the_page_is_scrolled(page):
    page.set_viewport_size({"width": 1280, "height": 400})
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.keyboard.press("?")
    help_box = page.locator("#help")
    expect(help_box).to_be_in_viewport()
    page.keyboard.press("Escape")
    expect(help_box).to_be_hidden()
    # g puts the cursor in the glossary box; Esc leaves it and the drawer: j moves again.
    page.keyboard.press("g")
    term = page.locator("#term-form input[name=zh]")
    expect(term).to_be_focused()
    expect(page.locator("#glossary")).to_be_in_viewport()
    page.keyboard.press("Escape")
    expect(page.locator("#glossary")).to_be_hidden()
    page.keyboard.press("j")
    page.keyboard.press("a")
    assert term.input_value() == ""
    expect(page.locator("article.row.active a.num")).to_have_text("§2")


def test_web_filter_counts_agree_with_their_lists(page):
    for name in ["all", "flagged", "todo", "drafts", "edited", "approved"]:
        button = page.locator(f"#filters button[data-filter={name}]")
        button.click()
        shown = page.locator("article.row:visible").count()
        assert button.locator(".count").inner_text() == str(shown), name
