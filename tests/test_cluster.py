"""`translate --cluster`: an archive on a local Dask cluster of 2 workers and the tiny models.

The outputs must be those of a one-machine run (apart from the time of translation), a worker
killed mid-run must not change them, an interrupted run started again translates only the
rest, and every distinct segment of the archive goes through a model once."""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from clusterkit import Logged, translated
from conftest import SEED, sample

from bilingual.engines.argos import ArgosEngine, ArgosSettings
from bilingual.memory import Memory
from bilingual.readers import expand_inputs, load_inputs
from bilingual.translation.pipeline import prepare_article
from bilingual.translation.run import Route, translate_articles
from bilingual.writers.outputs import plan_outputs, write_output

if not os.environ.get("CI"):
    pytest.importorskip("distributed", reason="the cluster extra: pip install -e '.[cluster]'")

from bilingual.translation.cluster import connect, translate_archive

SHARED = "当天上午，市民在广场上散步。"  # in every generated article


def _generated(n: int) -> str:
    return (
        f"第{n}篇报道：城市的变化\n\n"
        f"{SHARED}第{n}位记者记录了街道的样子。\n\n"
        f"这座城市有{n + 3}座新的公园。{SHARED}\n\n"
        "专家认为，这种变化还会继续。\n"
    )


def _archive(folder: Path, *, seeds: int = 0, generated: int = 4) -> Path:
    folder.mkdir()
    for n in range(generated):
        (folder / f"gen-{n}.txt").write_text(_generated(n), encoding="utf-8")
    for n in range(seeds):
        shutil.copy(SEED, folder / f"seed-{n}.txt")
    shutil.copy(sample("traditional.txt"), folder / "traditional.txt")
    return folder


@pytest.fixture(scope="module")
def client():
    with connect("local", workers=2) as c:
        yield c


def _jobs(folder: Path, out: Path):
    found = expand_inputs([str(folder)])
    targets = plan_outputs(found.sources, out, force=True, into_dir=True, input_dirs=found.dirs)
    return list(zip(found.sources, targets, strict=True))


def _routes(engine: ArgosEngine):
    sig = engine.signature()
    return lambda article: Route(engine, sig, False, "test")


def _one_machine(
    folder: Path, out: Path, package: Path, log: Path | None = None
) -> dict[str, dict]:
    """The reference: the same archive translated in this process."""
    jobs = _jobs(folder, out)
    articles = [a for _, a in load_inputs([s for s, _ in jobs]).articles]
    settings = ArgosSettings(threads=1)
    engine = Logged(package, settings, log) if log else ArgosEngine(package, settings)
    translate_articles(articles, _routes(engine))
    for article, (_, target) in zip(articles, jobs, strict=True):
        write_output(article, target)
    return _outputs(out)


def _outputs(out: Path) -> dict[str, dict]:
    """Each output, the time of translation aside."""
    found = {}
    for path in sorted(out.iterdir()):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["provenance"].pop("translated_at")
        found[path.name] = data
    return found


def _distinct_inputs(folder: Path) -> set[str]:
    """What the first name strategy sends to the model, over the whole archive."""
    articles = [a for _, a in load_inputs(expand_inputs([str(folder)]).sources).articles]
    return {p.text for a in articles for prep in prepare_article(a) for p in prep.segments}


def _write(article, target):
    return write_output(article, target)


def test_cluster_outputs_identical_to_one_machine(client, tiny_random, tmp_path):
    folder = _archive(tmp_path / "in", generated=4)
    shutil.copy(folder / "gen-0.txt", folder / "gen-0-again.txt")
    expected = _one_machine(folder, tmp_path / "one", tiny_random)
    log = tmp_path / "log"
    engine = Logged(tiny_random, ArgosSettings(threads=1), log)
    with Memory(tmp_path / "memory.sqlite3") as memory:
        outcome = translate_archive(
            _jobs(folder, tmp_path / "cluster"), _routes(engine), _write, client, memory=memory
        )
    assert (outcome.written, outcome.skipped, outcome.failed) == (6, [], [])
    assert outcome.workers == 2
    assert _outputs(tmp_path / "cluster") == expected
    assert len(expected) == 6
    assert not engine.loaded  # the driver never loads the model: the workers do
    done = translated(log)
    assert done and len(done) == len(set(done))
    assert set(_distinct_inputs(folder)) <= set(done)


def test_cluster_translates_each_distinct_segment_once(client, tiny_hello, tmp_path):
    folder = _archive(tmp_path / "in", seeds=3, generated=6)
    log = tmp_path / "log"
    engine = Logged(tiny_hello, ArgosSettings(threads=1), log)
    outcome = translate_archive(
        _jobs(folder, tmp_path / "out"), _routes(engine), _write, client, batch=8
    )
    assert outcome.written == 10 and not outcome.failed
    done = Counter(translated(log))
    assert done and max(done.values()) == 1  # not once per article, once per archive
    distinct = _distinct_inputs(folder)
    assert distinct <= set(done)
    # The three seeds and the six articles' shared sentence: many repeats, each sent once.
    every = [
        p.text
        for _, a in load_inputs(expand_inputs([str(folder)]).sources).articles
        for prep in prepare_article(a)
        for p in prep.segments
    ]
    assert len(every) > len(distinct) + 2 * 38
    assert outcome.report.translated + outcome.report.retried == len(done)


def test_cluster_worker_killed_mid_run_completes_identically(client, tiny_hello, tmp_path):
    folder = _archive(tmp_path / "in", seeds=2, generated=4)
    expected = _one_machine(folder, tmp_path / "one", tiny_hello)
    marker = tmp_path / "killed"
    engine = Logged(tiny_hello, ArgosSettings(threads=1), tmp_path / "log", kill_once=marker)
    before = set(client.run(os.getpid).values())
    outcome = translate_archive(
        _jobs(folder, tmp_path / "cluster"), _routes(engine), _write, client, batch=8
    )
    assert marker.exists()  # a worker process died with a batch in hand...
    assert int(marker.read_text()) in before
    assert (outcome.written, outcome.failed) == (7, [])  # ...and its work was done elsewhere
    assert _outputs(tmp_path / "cluster") == expected


def test_cluster_interrupted_run_restarted_translates_only_the_rest(client, tiny_hello, tmp_path):
    folder = _archive(tmp_path / "in", seeds=2, generated=8)
    expected = _one_machine(folder, tmp_path / "one", tiny_hello, tmp_path / "log0")
    out = tmp_path / "cluster"
    first_log, second_log = tmp_path / "log1", tmp_path / "log2"
    memory_path = tmp_path / "memory.sqlite3"

    def stop_after_three(done: int, total: int, translated: int) -> None:
        if done >= 3:
            raise KeyboardInterrupt

    engine = Logged(tiny_hello, ArgosSettings(threads=1), first_log)
    with Memory(memory_path) as memory, pytest.raises(KeyboardInterrupt):
        translate_archive(
            _jobs(folder, out),
            _routes(engine),
            _write,
            client,
            memory=memory,
            progress=stop_after_three,
            batch=4,
            window=3,
        )
    written = {p.name for p in out.iterdir()}
    assert 1 <= len(written) < 11
    with Memory(memory_path) as memory:
        stored = {source for _, source, *_ in memory.all_segments()}
    assert stored
    # Started again: the articles whose output exists are not sent; the others' segments that
    # were stored before the interruption are found in the memory.
    rest = [(s, t) for s, t in _jobs(folder, out) if t.path.name not in written]
    engine = Logged(tiny_hello, ArgosSettings(threads=1), second_log)
    with Memory(memory_path) as memory:
        outcome = translate_archive(rest, _routes(engine), _write, client, memory=memory)
    assert outcome.written == len(rest) and not outcome.failed
    first, second = translated(first_log), translated(second_log)
    assert first and second
    # Nothing the memory kept is translated again (a batch a worker was still on when the run
    # stopped is lost, as on one machine), and nothing twice within the run.
    assert not stored & set(second)
    assert len(second) == len(set(second))
    assert len(second) < len(translated(tmp_path / "log0"))  # what a whole run translates
    assert outcome.report.from_memory > 0
    assert _outputs(out) == expected


def test_cluster_segment_that_kills_every_worker_fails_only_its_article(tiny_hello, tmp_path):
    """A segment whose batch kills each worker that takes it: the batch's other segments are
    tried alone and done, and only the article that holds it fails, with its reason."""
    import dask

    folder = _archive(tmp_path / "in", generated=4)
    poison = "这一句让模型崩溃。"
    (folder / "gen-2.txt").write_text(_generated(2) + f"\n{poison}\n", encoding="utf-8")
    engine = Logged(tiny_hello, ArgosSettings(threads=1), tmp_path / "log", poison=poison)
    # A task is given up after 2 worker deaths (default: 4), to keep this short; an innocent
    # task that was on a dying worker is then still tried again.
    limit = dask.config.set({"distributed.scheduler.allowed-failures": 1})
    with limit, connect("local", workers=2) as client:
        outcome = translate_archive(
            _jobs(folder, tmp_path / "out"), _routes(engine), _write, client, batch=64
        )
    assert outcome.failed == [
        (str(folder / "gen-2.txt"), "the workers running it died each time it was tried")
    ]
    assert outcome.written == 4 and not outcome.skipped
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "gen-0.json", "gen-1.json", "gen-3.json", "traditional.json",
    ]  # fmt: skip
    # The poison's batchmates, the shared sentence among them, were translated (alone).
    assert SHARED in translated(tmp_path / "log")


def run(*args):
    from bilingual.cli import cli

    return CliRunner().invoke(cli, [str(a) for a in args])


def test_cluster_cli_local_translates_skips_what_is_done_and_names_bad_inputs(installed, tmp_path):
    folder = _archive(tmp_path / "in", generated=3)
    out = tmp_path / "out"
    memory = tmp_path / "memory.sqlite3"
    args = ["translate", folder, "-o", out, "--memory", memory, "--cluster", "local"]
    result = run(*args, "--workers", "2")
    assert result.exit_code == 0, result.output
    assert "4 articles translated on 2 workers" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "gen-0.json", "gen-1.json", "gen-2.json", "traditional.json",
    ]  # fmt: skip
    (folder / "notes.txt").write_text("This is a note in English, not an article.\n")
    result = run(*args, "--workers", "1")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"Skipped {folder / 'notes.txt'}: no Chinese text found in the input"
    assert "0 articles translated, 4 skipped as done (their output exists; --force" in lines[1]
    assert "1 skipped as not articles on 1 worker (" in lines[1]
    assert lines[2] == f"Error: 1 input of 5 skipped (not an article): {folder / 'notes.txt'}"
    assert len(lines) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--workers", "2"], "--workers sets the size of --cluster local"),
        (["--cluster", "local"], "--cluster writes files: give -o DIR"),
        (["--cluster", "local", "-o", "x", "--show-glossary"], "run it without --cluster"),
    ],
)
def test_cluster_cli_options_that_do_not_fit(tmp_path, args, message):
    result = run("translate", SEED, *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_cluster_without_the_extra_says_how_to_install_it(installed, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)
    result = run("translate", SEED, "-o", tmp_path / "out", "--cluster", "local")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --cluster needs Dask distributed, which is not installed: "
        "pip install 'bilingual[cluster]'\n"
    )


def test_cluster_unreachable_scheduler_is_one_line(installed, tmp_path, monkeypatch):
    import socket

    from bilingual.translation import cluster

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 1.0)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nobody listens there once closed
    result = run(
        "translate", SEED, "-o", tmp_path / "o.json", "--cluster", f"tcp://127.0.0.1:{port}"
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: cannot reach the cluster at tcp://127.0.0.1:{port}")
    assert len(result.stderr.splitlines()) == 1


def test_cluster_engine_is_an_optional_extra():
    from conftest import ROOT

    tomllib = pytest.importorskip("tomllib")  # Python 3.11+

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    default = " ".join(project["dependencies"]).lower()
    assert "distributed" not in default and "dask" not in default and "ray" not in default
    extras = project["optional-dependencies"]
    assert any(d.startswith("distributed") for d in extras["cluster"])
    # The tests run on a local cluster: the test extra brings it (CI installs that).
    assert any("cluster" in d for d in extras["test"] if d.startswith("bilingual["))


def test_cluster_worker_finds_the_model_by_its_files_where_the_folder_differs(
    tiny_hello, tmp_path, monkeypatch
):
    """A remote worker may keep its models elsewhere: it takes the installed package whose
    files hash the same, and refuses, in one line, when it has none."""
    import copy

    from bilingual.engines.argos import EngineError

    driver = ArgosEngine(tiny_hello, ArgosSettings(threads=1))
    driver.signature()  # the driver computes the hash it sends along
    sent = copy.copy(driver)
    sent.path = tmp_path / "not-here" / tiny_hello.name
    models = tmp_path / "models"
    shutil.copytree(tiny_hello, models / "some-other-name")
    monkeypatch.setenv("BILINGUAL_MODELS_DIR", str(models))
    local = sent.for_worker()
    assert local.path == models / "some-other-name"
    assert local.translate_batch(["你好。"])[0].text == "hello world"
    shutil.rmtree(models / "some-other-name")
    with pytest.raises(EngineError, match="is not installed in"):
        sent.for_worker()
