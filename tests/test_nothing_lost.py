"""Nothing lost, round two: terminal escapes shown rather than acted on, the recovery routes of
a damaged memory, failed operations that leave nothing behind, lock waits said at once, ids an
exporter cannot write refused on load."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEED

from bilingual.cli import cli
from bilingual.document import Article, Flag, Status
from bilingual.errors import BilingualWarning
from bilingual.memory import Memory
from bilingual.textutil import visible

OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"  # writes "echo pwned" into the user's clipboard
OSC0 = "\x1b]0;pwned\x07"  # retitles the terminal window
CSI = "\x1b[2J\x1b[31m"  # clears the screen, turns the text red
C1_CSI = "\x9b31m"  # the one-byte CSI some terminals honour
BIDI = "\u202etxt.exe\u202c \u2066iso\u2069 \u200f"
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u202c", "\u2066", "\u2069", "\u200f")


def run(*args, input=None, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input, env=env)


def _raw_escapes(text: str) -> list[str]:
    return [ch for ch in RAW if ch in text]


# Terminal escapes ----------------------------------------------------------------------------


def test_visible_shows_controls_escapes_and_bidi_overrides():
    assert visible("plain 中文, tabs\tand\nnewlines") == "plain 中文, tabs\tand\nnewlines"
    assert visible(OSC52) == "␛]52;c;ZWNobyBwd25lZA==␇"
    assert visible(OSC0 + CSI) == "␛]0;pwned␇␛[2J␛[31m"
    assert visible(C1_CSI) == "<U+009B>31m"
    assert visible(BIDI) == "<U+202E>txt.exe<U+202C> <U+2066>iso<U+2069> <U+200F>"
    assert visible("\x00\x7f\u2028\ud800") == "␀␡<U+2028><U+D800>"
    assert visible("Kassym-Jomart Tokayev\u00a0(CSTO)") == "Kassym-Jomart Tokayev\u00a0(CSTO)"


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A project whose texts, flags, comment and id carry terminal escapes (scraped pages do)."""
    from test_review import make_article

    article = make_article()
    nasty = f"{OSC52}{OSC0}{CSI}{C1_CSI}{BIDI}"
    for block in article.blocks:
        block.status = Status.MACHINE
    block = article.blocks[2]
    block.id = "b\u202eevil"
    block.en = f"Arrested {nasty} people."
    block.comment = f"Check {nasty}"
    block.flags = [Flag("name-repaired", f"translated around {nasty}: check the word order")]
    article.blocks[1].zh += nasty
    path = tmp_path / "hostile.json"
    path.write_text(article.to_json(), encoding="utf-8")
    return path


def test_check_prints_no_escape_from_a_project(hostile):
    r = run("check", hostile)
    assert r.exit_code == 1, r.output
    assert not _raw_escapes(r.output), r.output
    assert "name-repaired: translated around ␛]52;c;ZWNobyBwd25lZA==␇␛]0;pwned␇" in r.output
    assert "b<U+202E>evil" in r.output


def test_review_terminal_prints_no_escape_from_a_project(hostile):
    r = run("review", hostile, "--no-memory", input="nnq")
    assert r.exit_code == 0, r.output
    assert not _raw_escapes(r.output.replace("\x1b[", "")), r.output  # click's own styling
    assert "␛]52;c;" in r.output and "<U+202E>txt.exe" in r.output


def test_review_terminal_styles_are_the_only_escapes(hostile):
    r = run("review", hostile, "--no-memory", input="nnq", env={"TERM": "dumb"})
    assert "\x1b]" not in r.output and "\x07" not in r.output and "\x9b" not in r.output


def test_parse_prints_no_escape_from_an_article(tmp_path):
    page = tmp_path / "a.html"
    page.write_text(
        "<html><head><title>哈萨克斯坦局势</title></head><body><article>"
        f"<h1>哈萨克斯坦局势{BIDI}</h1><p>托卡耶夫总统表示，局势已经稳定。{BIDI}</p>"
        "<p>他说，两千多人被捕。</p><p>俄罗斯军队将在一周内撤离。</p></article></body></html>",
        encoding="utf-8",
    )
    r = run("parse", page)
    assert r.exit_code == 0, r.output
    assert not _raw_escapes(r.output) and "<U+202E>txt.exe" in r.output


def test_errors_and_warnings_print_no_escape(tmp_path):
    bad = tmp_path / f"bad{OSC0}.json"
    bad.write_text("{")
    r = run("check", bad)
    assert r.exit_code == 2 and not _raw_escapes(r.output) and "bad␛]0;pwned␇.json" in r.output


def test_memory_stats_prints_no_escape_from_a_memory(tmp_path):
    path = tmp_path / "m.sqlite3"
    with Memory(path) as m:
        m.store({"package": f"evil{OSC52}", "package_version": "1"}, [("中", "x", None)])
    r = run("memory", "stats", "--memory", path)
    assert r.exit_code == 0 and not _raw_escapes(r.output) and "evil␛]52" in r.output


# Ids an exporter cannot write ------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\ufdd0", "\U0001fffe", "\U0010ffff", "\x85"])
def test_block_id_with_a_noncharacter_is_refused_on_load_not_at_export(tmp_path, char):
    from test_review import make_article

    d = make_article().to_dict()
    d["blocks"][1]["id"] = f"b{char}1"
    path = tmp_path / "p.json"
    path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    r = run("export", path, "-o", tmp_path / "p.xlf")
    assert r.exit_code == 2, r.output
    assert "id must be 1-200 characters with no control characters or Unicode non-characters" in (
        r.output
    )
    assert len(r.output.splitlines()) == 1 and not (tmp_path / "p.xlf").exists()


# A damaged memory: its export is how reviews are rescued ----------------------------------------


def _damage(path: Path, pages: range) -> None:
    data = bytearray(path.read_bytes())
    for page in pages:
        at = page * 4096
        data[at : at + 4096] = b"\xff" * 4096
    path.write_bytes(bytes(data))


def test_tmx_export_of_a_damaged_memory_keeps_what_can_be_read(tmp_path):
    path = tmp_path / "m.sqlite3"
    with Memory(path) as m:
        for i in range(3000):
            m.store_human(f"第{i}段，人工翻译的内容。" * 3, f"Reviewed paragraph {i}.", "approved")
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = db.execute("PRAGMA page_count").fetchone()[0]
    _damage(path, range(pages // 2, pages // 2 + 2))  # two leaf pages in the middle
    out = tmp_path / "rescued.tmx"
    r = run("memory", "export", "--tmx", out, "--memory", path)
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0].startswith(f"Warning: {path}: the memory is damaged (")
    assert "entries could not be read and are not in" in lines[0]
    from bilingual.exchange.tmx import iter_pairs

    rescued = list(iter_pairs(out.read_bytes()))
    assert 2000 < len(rescued) < 3000, len(rescued)
    assert lines[1] == f"wrote {out}: {len(rescued)} human paragraphs, 0 machine segments"


def test_tmx_export_of_a_memory_with_garbage_rows_is_no_internal_error(tmp_path):
    path = tmp_path / "m.sqlite3"
    with Memory(path) as m:
        m.store({"package": "p"}, [("中文", "Chinese", -0.1), ("英文", "English", None)])
    with sqlite3.connect(path) as db:
        db.execute("UPDATE segments SET engine = 'not json' WHERE source = '中文'")
        db.execute(
            "INSERT INTO paragraphs (source, target, status, updated_at) VALUES (?, ?, 'edited', 'x')",
            ("人", b"\xff\xfe"),
        )
    r = run("memory", "export", "--tmx", tmp_path / "out.tmx", "--memory", path)
    assert r.exit_code == 0, r.output
    assert "2 entries could not be read" in r.output
    assert "0 human paragraphs, 1 machine segments" in r.output


# Failures leave nothing behind -------------------------------------------------------------------


def test_failed_tmx_import_leaves_no_new_memory(tmp_path):
    path = tmp_path / "m.sqlite3"
    bad = tmp_path / "bad.tmx"
    bad.write_text("<tmx><body>", encoding="utf-8")
    r = run("memory", "import", "--tmx", bad, "--memory", path)
    assert r.exit_code == 2 and "not a TMX file" in r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.tmx"]


def test_fresh_memory_that_cannot_be_made_leaves_no_empty_file(tmp_path):
    disk = tmp_path / "full"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        try:
            with open(disk / "filler", "wb", buffering=0) as fh:
                while True:
                    fh.write(b"\0" * 4096)
        except OSError:
            pass
        r = run("translate", SEED, "-q", "--memory", disk / "m.sqlite3", "-o", tmp_path / "p.json")
        assert r.exit_code == 2 and "--no-memory" in r.output, r.output
        assert sorted(p.name for p in disk.iterdir()) == ["filler"]
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def test_review_start_sweeps_the_temp_files_of_a_killed_save(tmp_path):
    from test_review import make_article

    path = tmp_path / "p.json"
    path.write_text(make_article().to_json(), encoding="utf-8")
    dead = tmp_path / ".p.json.999999999-k9x.tmp"  # a save killed by kill -9
    dead.write_text("{half")
    alive = tmp_path / f".p.json.{os.getppid()}-abc.tmp"  # another process writing right now
    alive.write_text("{")
    r = run("review", path, "--no-memory", input="q")
    assert r.exit_code == 0, r.output
    assert not dead.exists() and alive.exists()


# Lock waits said at once ----------------------------------------------------------------------


def test_memory_lock_wait_is_announced_while_the_lock_is_still_held(tmp_path):
    path = tmp_path / "m.sqlite3"
    Memory(path).close()
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    announced = threading.Event()
    released_by = []

    def release() -> None:
        released_by.append("announcement" if announced.wait(30) else "fallback")
        holder.execute("ROLLBACK")

    threading.Thread(target=release, daemon=True).start()
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        real = warnings.showwarning
        original_warn = warnings.warn

        def warn(message, *args, **kwargs):
            if isinstance(message, BilingualWarning):
                announced.set()
            return original_warn(message, *args, **kwargs)

        warnings.warn = warn
        try:
            with Memory(path, lock_wait=60) as m:
                m.store_human("中文", "Chinese.")
        finally:
            warnings.warn = original_warn
            warnings.showwarning = real
    holder.close()
    assert released_by == ["announcement"]
    (message,) = [str(w.message) for w in seen if issubclass(w.category, BilingualWarning)]
    assert message.startswith(f"{path}: the translation memory is locked by another process")
    assert "waiting up to 60 s for it to finish" in message
    with Memory(path) as m:
        assert m.human(["中文"])["中文"].target == "Chinese."


def test_translate_announces_a_locked_memory_on_stderr_at_once(installed, tmp_path):
    path = tmp_path / "m.sqlite3"
    Memory(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    with subprocess.Popen(
        [sys.executable, "-m", "bilingual", "translate", str(SEED), "-q", "--memory", str(path),
         "-o", str(tmp_path / "p.json")],
        env=env, stderr=subprocess.PIPE, text=True,
    ) as proc:  # fmt: skip
        assert proc.stderr is not None
        first = proc.stderr.readline()  # blocks until the warning: the lock is still held here
        holder.execute("ROLLBACK")
        holder.close()
        rest = proc.stderr.read()
        assert proc.wait(120) == 0, first + rest
    assert first.startswith(f"Warning: {path}: the translation memory is locked by another")
    assert Article.load(tmp_path / "p.json").blocks


# A project holding reviews (or a damaged one) is never replaced without a copy ------------------


def _reviewed(path: Path, en: str = "Reviewed by a person.") -> Path:
    article = Article.load(path)
    article.blocks[1].en, article.blocks[1].status = en, Status.APPROVED
    path.write_text(article.to_json(), encoding="utf-8")
    return path


def test_damaged_project_double_force_keeps_the_copy_with_the_reviews(installed, tmp_path):
    p = tmp_path / "p.json"
    assert run("translate", SEED, "-q", "-o", p).exit_code == 0
    _reviewed(p)
    damaged = p.read_bytes()[:-40]  # cut short: no longer loads, its reviews still readable
    p.write_bytes(damaged)
    first = run("translate", SEED, "-q", "-o", p, "--force")
    assert first.exit_code == 0, first.output
    (aside,) = tmp_path.glob("p.json.damaged-*")
    (line,) = first.output.splitlines()
    assert line.startswith(f"Warning: {p}: not valid JSON (line ")
    assert line.endswith(f"; the damaged file is kept as {aside}")
    second = run("translate", SEED, "-q", "-o", p, "--force")
    assert second.exit_code == 0, second.output
    third = run("translate", SEED, "-q", "-o", p, "--force", "--beam", "2")
    assert third.exit_code == 0, third.output
    # Whatever the runs did to p.json and p.json~, the copy with the review is still there.
    assert aside.read_bytes() == damaged and b"Reviewed by a person." in aside.read_bytes()


def test_export_force_onto_a_reviewed_project_keeps_a_backup_and_says_so(installed, tmp_path):
    p = tmp_path / "p.json"
    assert run("translate", SEED, "-q", "-o", p).exit_code == 0
    _reviewed(p)
    reviewed = p.read_bytes()
    other = tmp_path / "other.json"
    assert run("translate", SEED.parent / "traditional.txt", "-q", "-o", other).exit_code == 0
    refused = run("export", other, "--format", "json", "-o", p)
    assert refused.exit_code == 2 and "already exists" in refused.output
    r = run("export", other, "--format", "json", "-o", p, "--force")
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == [
        f"Warning: {p}: the version replaced held 1 reviewed paragraph the new one does not; "
        f"it is kept as {p}~",
        f"wrote {p}",
    ]
    assert Path(f"{p}~").read_bytes() == reviewed
    assert p.read_bytes() == other.read_bytes()


def test_check_write_keeps_the_previous_project(installed, tmp_path):
    p = tmp_path / "p.json"
    assert run("translate", SEED, "-q", "-o", p).exit_code == 0
    article = Article.load(p)
    article.blocks[1].flags = []
    p.write_text(article.to_json(), encoding="utf-8")
    before = p.read_bytes()
    run("check", p, "--write")
    assert Path(f"{p}~").read_bytes() == before and p.read_bytes() != before


# An interrupted output phase: the same command again completes it -----------------------------


def _articles(tmp_path: Path, n: int) -> Path:
    folder = tmp_path / "arts"
    folder.mkdir()
    text = SEED.read_text(encoding="utf-8")
    for i in range(n):
        (folder / f"a{i:02}.txt").write_text(text.replace("哈萨克斯坦", f"哈萨克斯坦{i}号", 1))
    return folder


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("fmt", ["json", "docx", "html", "xliff"])
def test_rerun_after_an_interrupted_output_phase_completes_it(installed, tmp_path, fmt):
    from bilingual.writers.outputs import same_output

    arts = _articles(tmp_path, 6)
    memory = tmp_path / "m.sqlite3"
    common = ["-q", "--memory", memory, "--format", fmt]
    reference = tmp_path / "reference"
    assert run("translate", arts, "-o", reference, *common).exit_code == 0
    # What an interrupted run leaves: some outputs written (atomically), the others not, and
    # the temp file of the one being written when it stopped.
    out = tmp_path / "out"
    out.mkdir()
    names = sorted(p.name for p in reference.iterdir())
    for name in names[:3]:
        (out / name).write_bytes((reference / name).read_bytes())
    (out / f".{names[3]}.999999999-x1y2.tmp").write_bytes(b"half")
    written = {n: (out / n).stat().st_mtime_ns for n in names[:3]}
    r = run("translate", arts, "-o", out, *common)
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == names  # no ~, no temp file
    for name in names:  # the same outputs as an uninterrupted run (made at another time)
        assert same_output(out / name, (reference / name).read_bytes(), fmt), name
    assert {n: (out / n).stat().st_mtime_ns for n in names[:3]} == written  # left as they were
    again = run("translate", arts, "-o", out, *common)
    assert again.exit_code == 0 and sorted(p.name for p in out.iterdir()) == names


def test_rerun_with_other_content_is_refused_before_anything_is_written(installed, tmp_path):
    arts = _articles(tmp_path, 3)
    out = tmp_path / "out"
    assert run("translate", arts, "-q", "-o", out, "--no-memory").exit_code == 0
    before = _outputs(out)
    (arts / "a02.txt").write_text(
        SEED.read_text(encoding="utf-8").replace("哈萨克斯坦", "吉尔吉斯")
    )
    (out / "a00.json").unlink()
    r = run("translate", arts, "-q", "-o", out, "--no-memory")
    assert r.exit_code == 2 and r.output == (
        f"Error: {out / 'a02.json'}: already exists (use --force to overwrite)\n"
    )
    assert _outputs(out) == {k: v for k, v in before.items() if k != "a00.json"}


def test_sigterm_while_writing_outputs_then_the_same_command_finishes(installed, tmp_path):
    import signal
    import time

    arts = _articles(tmp_path, 12)
    memory = tmp_path / "m.sqlite3"
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    args = [sys.executable, "-m", "bilingual", "translate", str(arts), "-q", "-o", str(out),
            "--format", "docx", "--memory", str(memory)]  # fmt: skip
    with subprocess.Popen(args, env=env, stderr=subprocess.PIPE, text=True) as proc:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if out.is_dir() and any(out.glob("*.docx")):  # the output phase has begun
                proc.send_signal(signal.SIGTERM)
                break
            time.sleep(0.001)
        proc.communicate(timeout=120)
    assert proc.returncode in (0, 143)
    r = run("translate", arts, "-q", "-o", out, "--format", "docx", "--memory", memory)
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in out.iterdir())
    assert names == [f"a{i:02}.docx" for i in range(12)]  # all written, no ~, no temp file


# The review page's inputs: validated, 400 and one line, never a traceback ---------------------


def test_web_json_body_validation():
    from bilingual.review.web.app import checked_text, json_body

    assert json_body(b'{"en": "A [bracket] in \\"text\\" {x}", "approve": true}')["approve"]
    for raw, reason in [
        (b"[" * 100_000, "JSON nested more than 16 deep"),
        (b'{"a": ' * 17 + b"1" + b"}" * 17, "JSON nested more than 16 deep"),
        (b'{"en": "\xff"}', "the body is not UTF-8"),
        (b'{"en": ', "not valid JSON"),
        (b'["en"]', "expected a JSON object"),
    ]:
        with pytest.raises(ValueError, match=reason):
            json_body(raw)
    assert checked_text("Tab\tand\nnewline", "en") == "Tab\tand\nnewline"
    with pytest.raises(ValueError, match=r"en holds a lone surrogate \(U\+D800\)"):
        checked_text(json.loads('"a \\ud800 b"'), "en")
    with pytest.raises(ValueError, match=r"comment holds a control character \(U\+0000\)"):
        checked_text("a\x00b", "comment")


def test_web_bad_bodies_get_400_and_one_line_never_a_traceback(tmp_path):
    import http.client
    import time
    from urllib.parse import urlsplit

    from test_review import make_article

    project = tmp_path / "p.json"
    article = make_article()
    project.write_text(article.to_json(), encoding="utf-8")
    block = article.blocks[1]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    args = [sys.executable, "-m", "bilingual", "review", str(project), "--web", "--no-browser",
            "--no-memory"]  # fmt: skip
    with subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        parts = urlsplit(url)
        origin = f"http://{parts.netloc}"

        def post(body: bytes) -> int:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            conn.request(
                "POST",
                f"{parts.path}api/blocks/{block.id}",
                body=body,
                headers={"Origin": origin, "Content-Type": "application/json"},
            )
            status = conn.getresponse().status
            conn.close()
            return status

        statuses = [
            post(b"[" * 100_000),
            post(
                json.dumps({"base": block.version, "en": "bad @ text"})
                .replace("@", "\\ud800")
                .encode()
            ),
            post(json.dumps({"base": block.version, "en": "NUL\u0000inside"}).encode()),
            post(json.dumps({"base": block.version, "comment": "bell\u0007"}).encode()),
        ]
        saved = post(json.dumps({"base": block.version, "en": "A good edit."}).encode())
        time.sleep(0.5)
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert statuses == [400, 400, 400, 400] and saved == 200, (statuses, saved, err)
    assert "Traceback" not in err
    refused = [ln for ln in err.splitlines() if "review page: refused" in ln]
    assert len(refused) == 4 and all(
        ln.startswith("Warning: review page: refused POST") for ln in refused
    )
    assert "JSON nested more than 16 deep" in refused[0]
    assert "en holds a lone surrogate (U+D800)" in refused[1]
    assert "en holds a control character (U+0000)" in refused[2]
    saved_article = Article.load(project)
    assert saved_article.blocks[1].en == "A good edit." or saved_article.blocks[1].draft


def test_memory_list_prints_no_escape_from_a_memory(tmp_path):
    path = tmp_path / "m.sqlite3"
    with Memory(path) as m:
        m.store_human(f"中文{OSC0}", f"English {OSC52} {BIDI}", "approved")
    r = run("memory", "list", "--memory", path)
    assert r.exit_code == 0, r.output
    assert not _raw_escapes(r.output) and "␛]0;pwned␇" in r.output
    assert r.output.count("\t") == 4  # the columns are intact


def test_web_save_announces_a_locked_memory_at_once(tmp_path):
    import http.client
    from urllib.parse import urlsplit

    from test_review import make_article

    project = tmp_path / "p.json"
    article = make_article()
    project.write_text(article.to_json(), encoding="utf-8")
    memory = tmp_path / "m.sqlite3"
    Memory(memory).close()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    args = [sys.executable, "-m", "bilingual", "review", str(project), "--web", "--no-browser",
            "--memory", str(memory)]  # fmt: skip
    holder = sqlite3.connect(memory, isolation_level=None, check_same_thread=False)
    with subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        parts = urlsplit(proc.stdout.readline().strip())
        holder.execute("BEGIN EXCLUSIVE")
        block = article.blocks[1]
        answer: list[int] = []

        def approve() -> None:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
            conn.request(
                "POST",
                f"{parts.path}api/blocks/{block.id}",
                body=json.dumps({"base": block.version, "approve": True}).encode(),
                headers={"Origin": f"http://{parts.netloc}", "Content-Type": "application/json"},
            )
            answer.append(conn.getresponse().status)
            conn.close()

        saving = threading.Thread(target=approve)
        saving.start()
        said = ""
        while "locked" not in said:  # blocks until the line comes: the lock is held meanwhile
            said = proc.stderr.readline()
            assert said, "the review ended without a word"
        holder.execute("ROLLBACK")
        holder.close()
        saving.join(120)
        proc.terminate()
        proc.communicate(timeout=30)
    assert said.startswith(f"Warning: {memory}: the translation memory is locked by another")
    assert answer == [200] and Article.load(project).blocks[1].status is Status.APPROVED
