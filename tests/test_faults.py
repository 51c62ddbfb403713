"""The operating system's bad days, special files and closed streams, as a user meets them:
every one a one-line error with its exit code, or the right result; nothing lost."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEED

from bilingual.cli import cli
from bilingual.document import Article, Status
from bilingual.errors import FileSystemError, ProjectError
from bilingual.fsutil import atomic_write, clean_orphans


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `bilingual` as a user's shell would (so stdin/stdout can really be closed)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    bilingual = f"{sys.executable} -m bilingual"
    return subprocess.run(
        ["sh", "-c", command.replace("bilingual", bilingual)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def project(tmp_path: Path, name: str = "p.json") -> Path:
    r = run("translate", SEED, "-q", "-o", tmp_path / name)
    assert r.exit_code == 0, r.output
    return tmp_path / name


# Closed and full standard streams ------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("bilingual parse - <&-", "Error: standard input is closed: nothing to read"),
        (f"bilingual parse {SEED} >&-", "Error: standard output is closed: nothing was written"),
        (f"bilingual parse {SEED} >/dev/full", "no space left on the device"),
    ],
)
def test_faults_closed_or_full_stream_is_a_one_line_error(tmp_path, command, message):
    r = shell(command, tmp_path)
    assert r.returncode == 5, r.stderr
    assert message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_faults_translate_to_closed_stdout_fails_instead_of_losing_the_project(installed, tmp_path):
    r = shell(f"bilingual translate {SEED} -q >&-", tmp_path)
    assert r.returncode == 5
    assert "standard output is closed" in r.stderr


def test_faults_broken_pipe_stops_quietly(tmp_path):
    r = shell(f"bilingual parse {SEED} | head -c 10 >/dev/null; exit 0", tmp_path)
    assert "Error" not in r.stderr and "Traceback" not in r.stderr


# Output paths: -, devices, FIFOs, sockets, symlinks -----------------------------------------


@pytest.mark.parametrize(
    ("fmt", "start"), [("json", b"{"), ("html", b"<!DOCTYPE"), ("docx", b"PK"), ("xliff", b"<?xml")]
)
def test_faults_dash_streams_every_format(installed, fmt, start):
    r = CliRunner().invoke(cli, ["translate", str(SEED), "-q", "-o", "-", "--format", fmt])
    assert r.exit_code == 0, r.output
    assert r.stdout_bytes.startswith(start)


def test_faults_device_is_written_through_never_replaced(installed, tmp_path):
    r = run("translate", SEED, "-q", "-o", "/dev/null", "--format", "html", "--force")
    assert r.exit_code == 0, r.output
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_faults_fifo_is_written_through(installed, tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    r = run("translate", SEED, "-q", "-o", fifo, "--format", "json", "--force")
    reader.join(30)
    assert r.exit_code == 0, r.output
    assert Article.from_json(got[0].decode()).blocks
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_faults_socket_is_written_through(tmp_path):
    path = tmp_path / "s"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(1)
    got: list[bytes] = []

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            got.append(b"".join(iter(lambda: conn.recv(65536), b"")))

    t = threading.Thread(target=serve)
    t.start()
    atomic_write(path, "through the socket", force=True)
    t.join(10)
    server.close()
    assert got == [b"through the socket"]
    assert stat.S_ISSOCK(path.lstat().st_mode)


def test_faults_symlink_is_followed_and_its_target_replaced(installed, tmp_path):
    real = project(tmp_path, "real.json")
    link = tmp_path / "link.json"
    link.symlink_to(real.name)
    r = run("translate", SEED, "-q", "-o", link, "--force", "--beam", "2")  # other content
    assert r.exit_code == 0, r.output
    assert link.is_symlink() and os.readlink(link) == "real.json"
    assert (tmp_path / "real.json~").exists() and not (tmp_path / "link.json~").exists()


def test_faults_symlink_to_an_input_is_refused(installed, tmp_path):
    real = project(tmp_path, "real.json")
    link = tmp_path / "alias.json"
    link.symlink_to(real.name)
    before = real.read_bytes()
    r = run("translate", real, "-q", "-o", link, "--force")
    assert r.exit_code == 2
    assert r.output == f"Error: {link}: links to an input; write the output elsewhere\n"
    assert real.read_bytes() == before and link.is_symlink()


def test_faults_missing_dev_entry_is_never_created(tmp_path):
    with pytest.raises(FileSystemError, match="no such file"):
        atomic_write("/dev/bilingual-no-such-device", "x")
    assert not os.path.lexists("/dev/bilingual-no-such-device")


# Failed writes leave nothing behind ------------------------------------------------------------


def test_faults_failed_replace_leaves_no_temp_and_no_backup(tmp_path, monkeypatch):
    path = tmp_path / "p.json"
    path.write_text("old")

    def refuse(src, dst):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(FileSystemError, match=r"p\.json: not permitted"):
        atomic_write(path, "new", backup=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.json"]
    assert path.read_text() == "old"


def test_faults_name_too_long_is_a_one_line_error(installed, tmp_path):
    r = run("translate", SEED, "-q", "-o", tmp_path / ("x" * 300 + ".json"))
    assert r.exit_code == 5
    assert r.output.endswith("file name too long; choose a shorter name\n")


def test_faults_orphans_of_an_interrupted_write_are_cleaned_up(tmp_path):
    path = tmp_path / "p.json"
    path.write_text("old")
    dead = tmp_path / ".p.json.999999999-abcd.tmp"
    old_style = tmp_path / ".p.json.k2j3h4.bak"
    alive = tmp_path / f".p.json.{os.getppid()}-abcd.tmp"  # another live process's write
    for p in (dead, old_style, alive):
        p.write_text("half")
    other = tmp_path / ".q.json.999999999-abcd.tmp"
    other.write_text("not ours")
    atomic_write(path, "new", backup=True)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(["p.json", "p.json~", alive.name, other.name])
    clean_orphans(tmp_path / "q.json")
    assert not other.exists()


def test_faults_backup_is_a_durable_copy(tmp_path, monkeypatch):
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd)))
    path = tmp_path / "p.json"
    path.write_text("old")
    atomic_write(path, "new", backup=True)
    assert len(synced) >= 2  # the new file and the backup copy
    assert (tmp_path / "p.json~").read_text() == "old"


# A damaged project is never silently replaced ------------------------------------------------


def test_faults_force_onto_a_damaged_project_with_a_good_backup_refuses(installed, tmp_path):
    p = project(tmp_path)
    r = run("translate", SEED, "-q", "-o", p, "--force", "--beam", "2")  # p.json~: a good copy
    assert r.exit_code == 0
    good = Path(f"{p}~").read_bytes()
    p.write_bytes(p.read_bytes()[:500])  # truncated
    r = run("translate", SEED, "-q", "-o", p, "--force")
    assert r.exit_code == 2
    assert "is its last good copy" in r.output and f"cp {p}~ {p}" in r.output
    assert Path(f"{p}~").read_bytes() == good


def test_faults_force_onto_a_damaged_project_without_a_good_backup_keeps_it(installed, tmp_path):
    p = tmp_path / "p.json"
    p.write_text('{"schema_version": 1, "blocks": [')
    r = run("translate", SEED, "-q", "-o", p, "--force")
    assert r.exit_code == 0, r.output
    (aside,) = tmp_path.glob("p.json.damaged-*")
    assert r.output.startswith("Warning: ") and f"the damaged file is kept as {aside}" in r.output
    assert aside.read_text() == '{"schema_version": 1, "blocks": ['
    assert Article.load(p).blocks and not Path(f"{p}~").exists()


def test_faults_reviews_carry_over_on_force(installed, tmp_path):
    p = project(tmp_path)
    article = Article.load(p)
    article.blocks[1].en, article.blocks[1].status = "Mine.", Status.EDITED
    atomic_write(p, article.to_json())
    r = run("translate", SEED, "-q", "-o", p, "--force")
    assert r.exit_code == 0, r.output
    assert Article.load(p).blocks[1].en == "Mine."


def test_faults_damaged_project_error_names_the_file(tmp_path):
    p = tmp_path / "p.json"
    p.write_text("{")
    with pytest.raises(ProjectError, match=r"p\.json: not valid JSON"):
        Article.load(p)


# Projects validated on load: writers never meet a value they cannot write -----------------------


def _project_text(**changes) -> str:
    import json

    from fuzzing import base_project

    d = base_project()
    block = changes.pop("block", None)
    d.update(changes)
    if block:
        d["blocks"][1].update(block)
    return json.dumps(d)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_project_text(block={"en": "\ud800"}), "en holds a lone surrogate (\\ud800)"),
        (_project_text(block={"id": "b1\x00"}), "id must be 1-200 characters with no control"),
        (_project_text(block={"id": 7}), "id must be 1-200 characters"),
        (_project_text(block={"zh": ""}), "empty 'zh'"),
        (_project_text(block={"score": True}), "score must be a number"),
        (_project_text(published=20220107), "'published' must be a string"),
        (_project_text(source_url=["a"]), "'source_url' must be a string"),
        (_project_text(script=["zh-Hans"]), "'script' must be one of zh-Hans, zh-Hant"),
        (_project_text(provenance={"x": "\udfff"}), "'provenance' holds text that is not valid"),
        ("[" * 100000, "JSON nested too deeply"),
        ('{"schema_version": 1, "blocks": [{"id": "b", "kind": "lead", "zh": "中", "score": NaN}]}',
         "score must be a finite number"),
    ],
)  # fmt: skip
def test_faults_malformed_project_is_a_one_line_error(tmp_path, text, message):
    p = tmp_path / "p.json"
    p.write_text(text, encoding="utf-8", errors="surrogatepass")
    r = run("export", p, "-o", tmp_path / "out.xlf")
    assert r.exit_code == 2, r.output
    assert r.output.startswith(f"Error: {p}: ") and message in r.output, r.output
    assert len(r.output.splitlines()) == 1
    assert not (tmp_path / "out.xlf").exists()


@pytest.mark.parametrize("codec", ["rot13", "base64", "hex", "zlib", "bz2", "uu"])
def test_faults_non_text_codec_is_a_clean_error(codec):
    r = run("parse", SEED, "--encoding", codec)
    assert r.exit_code == 2
    assert r.output.endswith(
        f"'{codec}' is not a text encoding (give one such as utf-8, gb18030 or big5)\n"
    )


# Models: what a model is, and what a package may hold ------------------------------------------


def test_faults_a_different_model_with_the_same_name_never_reuses_the_memory(
    tiny_hello, tiny_random, tmp_path, monkeypatch
):
    import json
    import shutil

    models = tmp_path / "models"
    models.mkdir()
    monkeypatch.setenv("BILINGUAL_MODELS_DIR", str(models))
    meta = [json.loads((p / "metadata.json").read_text()) for p in (tiny_hello, tiny_random)]
    assert meta[0]["package_version"] == meta[1]["package_version"]
    memory = tmp_path / "m.sqlite3"
    out = []
    for package in (tiny_hello, tiny_random):
        shutil.rmtree(models, ignore_errors=True)
        shutil.copytree(package, models / "translate-zh_en-1_0")
        r = run("translate", SEED, "--memory", memory, "-o", tmp_path / f"{len(out)}.json")
        assert r.exit_code == 0, r.output
        out.append(r.output)
    assert " 0 translated" not in out[1] and "0 from memory" in out[1], out[1]


def test_faults_model_hash_is_stored_at_install_and_follows_the_files(tiny_hello, tmp_path):
    import shutil

    from bilingual.models import CONTENT_HASH_FILE, content_hash

    package = tmp_path / "p"
    shutil.copytree(tiny_hello, package)
    first = content_hash(package)
    assert (package / CONTENT_HASH_FILE).read_text().split()[0] == first
    with open(package / "sentencepiece.model", "ab") as fh:
        fh.write(b"\0")
    assert content_hash(package) != first


def test_faults_package_with_too_many_members_is_refused(tmp_path):
    import zipfile

    from bilingual.errors import PackageInvalid
    from bilingual.models import MAX_MEMBERS, install_from_file

    archive = tmp_path / "junk.argosmodel"
    with zipfile.ZipFile(archive, "w") as zf:
        for i in range(MAX_MEMBERS + 1):
            zf.writestr(f"pkg/junk{i}", b"")
    with pytest.raises(PackageInvalid, match=f"{MAX_MEMBERS + 1} members, more than the"):
        install_from_file(archive, tmp_path / "models")
    assert not (tmp_path / "models").exists()


# The translation memory on bad days --------------------------------------------------------------


class _FullDisk:
    """A sqlite connection whose writes fail as on a full disk."""

    def __init__(self, db):
        self._db = db

    def __getattr__(self, name):
        return getattr(self._db, name)

    def executemany(self, *args):
        import sqlite3

        raise sqlite3.OperationalError("database or disk is full")

    def execute(self, sql, *args):
        import sqlite3

        if sql.lstrip().upper().startswith(("INSERT", "DELETE")):
            raise sqlite3.OperationalError("database or disk is full")
        return self._db.execute(sql, *args)


def test_faults_memory_write_failure_warns_and_keeps_the_translation(
    installed, tmp_path, monkeypatch
):
    from bilingual import memory as memory_module

    real_init = memory_module.Memory.__init__

    def init(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        self._db = _FullDisk(self._db)

    monkeypatch.setattr(memory_module.Memory, "__init__", init)
    out = tmp_path / "p.json"
    r = run("translate", SEED, "-o", out)
    assert r.exit_code == 0, r.output
    assert (
        "Warning: " in r.output
        and "cannot write the translation memory (database or disk is full); continuing without it"
        in r.output
    )
    assert r.output.count("Warning: ") == 1
    assert all(b.en for b in Article.load(out).blocks)


def test_faults_damaged_memory_names_no_memory_and_the_rebuild(installed, tmp_path):
    memory = tmp_path / "m.sqlite3"
    memory.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    for args in (
        ["translate", SEED, "-q", "--memory", memory],
        ["memory", "stats", "--memory", memory],
    ):
        r = run(*args)
        assert r.exit_code == 2, r.output
        assert "the translation memory is damaged or unreadable" in r.output
        assert "run with --no-memory, or rebuild it: move" in r.output
        assert len(r.output.splitlines()) == 1


def test_faults_held_lock_is_waited_for_a_bounded_time_and_reported(tmp_path):
    import sqlite3
    import warnings

    from bilingual.errors import BilingualWarning, TranslationMemoryError
    from bilingual.memory import Memory

    path = tmp_path / "m.sqlite3"
    Memory(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            with pytest.raises(
                TranslationMemoryError,
                match=r"locked by another process \(waited 1 s\).*--no-memory",
            ):
                Memory(path, lock_wait=1)
        assert any(
            issubclass(w.category, BilingualWarning) and "waiting up to 1 s" in str(w.message)
            for w in seen
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def _tmpfs(path: Path, size: str) -> bool:
    path.mkdir()
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True
    )
    return r.returncode == 0


def test_faults_full_disk_drill(installed, tmp_path):
    """A real full disk where the system lets us mount a small tmpfs; else the injected one above."""
    disk = tmp_path / "small"
    if not _tmpfs(disk, "512k"):
        pytest.skip("cannot mount a tmpfs here (the injected ENOSPC tests cover this)")
    try:
        from bilingual.memory import Memory

        memory = disk / "m.sqlite3"
        Memory(memory).close()
        with open(disk / "filler", "wb", buffering=0) as fh, contextlib_suppress_oserror():
            while True:
                fh.write(b"\0" * 4096)
        r = run("translate", SEED, "--memory", memory, "-o", tmp_path / "p.json")
        assert r.exit_code == 2, r.output
        assert "cannot open the translation memory" in r.output and "--no-memory" in r.output
        assert len(r.output.splitlines()) == 1
        # The output itself on the full disk: one line, exit 5, no temp file left.
        r = run("translate", SEED, "-q", "--no-memory", "-o", disk / "p.json")
        assert r.exit_code == 5 and "no space left on the device" in r.output, r.output
        assert sorted(p.name for p in disk.iterdir() if p.name.startswith(".")) == []
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False, capture_output=True)


def contextlib_suppress_oserror():
    import contextlib

    return contextlib.suppress(OSError)


# Fault drills: kill -9, Ctrl-C, SIGTERM mid-run; concurrent runs on one memory -----------------


def _big_article(path: Path, paragraphs: int, seed: int = 1) -> Path:
    import random

    rng = random.Random(seed)
    han = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经"
    lines = ["大型测试文章"] + [
        "".join(rng.choice(han) for _ in range(rng.randint(8, 40))) + "。"
        + "".join(rng.choice(han) for _ in range(rng.randint(8, 30))) + "。"
        for _ in range(paragraphs)
    ]  # fmt: skip
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return path


def _segments(memory: Path) -> int:
    import sqlite3

    if not memory.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{memory}?mode=ro", uri=True, timeout=5) as db:
            return int(db.execute("SELECT COUNT(*) FROM segments").fetchone()[0])
    except sqlite3.Error:
        return 0


def _bilingual(*args: object, **kwargs) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "bilingual", *map(str, args)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM", "SIGKILL"])
def test_faults_drill_interrupted_run_keeps_every_finished_batch_and_resumes(
    installed, tmp_path, sig
):
    import signal
    import time

    source = _big_article(tmp_path / "big.txt", 1500)
    memory, out = tmp_path / "m.sqlite3", tmp_path / "out.json"
    proc = _bilingual("translate", source, "-q", "--beam", "8", "--memory", memory, "-o", out)
    deadline = time.monotonic() + 120
    while _segments(memory) < 32 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(getattr(signal, sig))
    _, err = proc.communicate(timeout=120)
    expected = {"SIGINT": 130, "SIGTERM": 143, "SIGKILL": -signal.SIGKILL}[sig]
    assert proc.returncode == expected, err
    kept = _segments(memory)
    assert kept >= 32
    assert not out.exists()  # never half-written
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.json")]
    if sig != "SIGKILL":
        assert "Traceback" not in err
        assert f"{kept} translated segments are kept in the translation memory" in err, err
    # The rerun resumes where it stopped and writes what an uninterrupted run writes.
    r = run("translate", source, "--beam", "8", "--memory", memory, "-o", out)
    assert r.exit_code == 0, r.output
    assert f"{kept} from memory" in r.output, r.output
    if sig != "SIGKILL":
        return
    fresh = run("translate", source, "-q", "--beam", "8", "--no-memory", "-o", tmp_path / "f.json")
    assert fresh.exit_code == 0
    assert [b.en for b in Article.load(out).blocks] == [
        b.en for b in Article.load(tmp_path / "f.json").blocks
    ]


def test_faults_drill_concurrent_runs_share_one_memory(installed, tmp_path):
    memory = tmp_path / "m.sqlite3"
    sources = [_big_article(tmp_path / f"a{i}.txt", 150, seed=i % 2) for i in range(4)]
    procs = [
        _bilingual("translate", s, "-q", "--memory", memory, "-o", tmp_path / f"a{i}.json")
        for i, s in enumerate(sources)
    ]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    # Two distinct inputs (seeds 0 and 1): every segment of both is in the memory, once.
    r = run("translate", sources[0], sources[1], "--memory", memory, "-o", tmp_path / "again")
    assert r.exit_code == 0, r.output
    assert " 0 translated" in r.output, r.output
