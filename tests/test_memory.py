from __future__ import annotations

import multiprocessing as mp
import sqlite3

import pytest

from bilingual.memory import HumanEntry, Memory

SIG = {"engine": "argos", "package": "translate-zh_en", "package_version": "1.0", "beam": 4}


def test_memory_store_and_lookup(tmp_path):
    with Memory(tmp_path / "m.sqlite3") as m:
        m.store(SIG, [("你好。", "Hello.", -0.1), ("世界。", "World.", None)])
        hits = m.lookup(SIG, ["你好。", "世界。", "没有。"])
        assert {k: v.target for k, v in hits.items()} == {"你好。": "Hello.", "世界。": "World."}
        assert hits["你好。"].score == -0.1
        assert m.lookup({**SIG, "beam": 2}, ["你好。"]) == {}
        assert m.engines() == [SIG]


def test_memory_human_entries(tmp_path):
    with Memory(tmp_path / "m.sqlite3") as m:
        m.store_human("段落。", "A paragraph.", "approved")
        assert m.human(["段落。", "别的。"])["段落。"].target == "A paragraph."
        m.store_human("段落。", "The paragraph.", "edited")
        assert m.human(["段落。"])["段落。"].status == "edited"
        assert m.stats()["human"] == 1


def _writer(path: str, worker: int, n: int) -> None:
    with Memory(path) as m:
        for i in range(n):
            m.store(SIG, [(f"{worker}-{i}-{j}", f"w{worker} {i} {j}", None) for j in range(5)])


def test_memory_two_processes_at_once(tmp_path):
    path = str(tmp_path / "m.sqlite3")
    Memory(path).close()
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(path, w, 40)) for w in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    with Memory(path) as m:
        keys = [f"{w}-{i}-{j}" for w in range(2) for i in range(40) for j in range(5)]
        hits = m.lookup(SIG, keys)
        assert len(hits) == 400
        assert all(hits[k].target == "w{} {} {}".format(*k.split("-")) for k in keys)


def test_memory_default_moves_from_cache_to_data_dir(tmp_path, monkeypatch):
    import os
    from pathlib import Path

    from bilingual.memory import default_memory_path, open_memory

    old = Path(os.environ["XDG_CACHE_HOME"]) / "bilingual" / "memory.sqlite3"
    with Memory(old) as m:
        m.store_human("段落。", "A paragraph.", "approved")
    with open_memory() as m:
        assert m.path == default_memory_path()
        assert str(m.path).startswith(os.environ["XDG_DATA_HOME"])
        assert m.human(["段落。"])["段落。"].target == "A paragraph."
    assert not old.exists()


def test_memory_human_entries_record_their_project_and_time_and_can_be_removed(tmp_path):
    with Memory(tmp_path / "m.sqlite3") as m:
        m.store_human("第一段。", "The first.", "edited", project="/work/a.json")
        m.store_human("第二段。", "The second.", "approved", project="/work/b.json")
        m.store_human_entries(
            [HumanEntry("旧段。", "An old one.", "edited", "2020-01-01T00:00:00Z", None)]
        )
        entry = m.human(["第一段。"])["第一段。"]
        assert entry.project == "/work/a.json" and entry.updated_at.endswith("Z")
        assert [e.source for e in m.human_entries(project="/work/b.json")] == ["第二段。"]
        assert [e.source for e in m.human_entries(project="")] == ["旧段。"]  # unknown project
        assert [e.source for e in m.human_entries(before="2021-01-01")] == ["旧段。"]
        assert {e.source for e in m.human_entries(since="2021-01-01")} == {"第一段。", "第二段。"}
        projects = {p: n for p, n, _first, _last in m.human_projects()}
        assert projects == {"/work/a.json": 1, "/work/b.json": 1, None: 1}
        # Removing a bad session's entries takes them out of matches and concordance too.
        assert m.remove_human(project="/work/a.json") == 1
        assert m.human(["第一段。"]) == {} and m.concordance("first") == []
        assert m.remove_human(before="2021-01-01") == 1
        assert [e.source for e in m.all_human()] == ["第二段。"]
        with pytest.raises(ValueError):
            m.remove_human()


def test_memory_schema_1_memories_migrate_with_their_entries(tmp_path):
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta VALUES ('schema', '1');
        CREATE TABLE paragraphs (source TEXT PRIMARY KEY, target TEXT NOT NULL,
            status TEXT NOT NULL, updated_at TEXT NOT NULL);
        INSERT INTO paragraphs VALUES ('台湾总统今天访问美国。', 'The president visited.',
            'edited', '2023-05-01T10:00:00Z');
        """
    )
    db.commit()
    db.close()
    with Memory(path) as m:
        (entry,) = m.all_human()
        assert entry.project is None and entry.updated_at == "2023-05-01T10:00:00Z"
        assert m.concordance("总统")[0].target == "The president visited."
        ((found,),) = m.matches(["台湾总统明天访问美国。"])
        assert found.similarity == 91 and found.target == "The president visited."
    with Memory(path) as m:  # opened again: nothing migrates twice
        assert len(m.all_human()) == 1


def test_memory_matches_paragraphs_and_sentences_best_first(tmp_path):
    with Memory(tmp_path / "m.sqlite3") as m:
        m.store_human(
            "台湾总统今天访问美国。他说了很多话。",
            "Taiwan's president visited the US today. He said a lot.",
            "edited",
        )
        m.store_human("北京今天下雨。", "It rained in Beijing today.", "approved")
        paragraph, sentence, unrelated = m.matches(
            [
                "台湾总统今天访问美国。他说了很多话。",
                "台湾总统明天访问美国。",
                "完全不同的句子出现了。",
            ]
        )
        assert paragraph[0].similarity == 100 and not paragraph[0].sentence
        # A sentence of a longer human paragraph is a match of its own, with its own English.
        assert (
            sentence[0].sentence
            and sentence[0].target == "Taiwan's president visited the US today."
        )
        assert sentence[0].similarity == 91
        assert all(s.similarity >= 50 for s in sentence) and unrelated == []
        assert m.matches(["台湾"]) == [[]]  # too short for any trigram


def test_memory_concordance_both_languages(tmp_path):
    with Memory(tmp_path / "m.sqlite3") as m:
        m.store_human(
            "台湾总统今天访问美国。他说了很多话。",
            "Taiwan's president visited the US today. He said a lot.",
            "edited",
        )
        (zh,) = m.concordance("总统")  # two characters: no trigram, a plain search
        (en,) = m.concordance("PRESIDENT")
        assert zh == en and zh.sentence and zh.target == "Taiwan's president visited the US today."
        assert m.concordance("he said")[0].source == "他说了很多话。"
        assert m.concordance("100%_") == [] and m.concordance("  ") == []


def test_memory_cli_lists_and_removes_a_bad_session(tmp_path):
    from click.testing import CliRunner

    from bilingual.cli import cli

    path = tmp_path / "m.sqlite3"
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    with Memory(path) as m:
        m.store_human_entries(
            [HumanEntry("旧段。", "An old one.", "edited", "2020-01-01T00:00:00Z", None)]
        )
        m.store_human("好的段落。", "A good paragraph.", "approved", project=str(good.resolve()))
        m.store_human("坏的段落。", "Artl1", "edited", project=str(bad.resolve()))

    def run(*args, input=None):
        return CliRunner().invoke(cli, ["memory", *args, "--memory", str(path)], input=input)

    r = run("list")
    assert r.exit_code == 0, r.output
    lines = [line.split("\t") for line in r.output.splitlines()]
    assert [line[3] for line in lines] == ["旧段。", "好的段落。", "坏的段落。"]  # oldest first
    assert lines[0][:3] == ["2020-01-01T00:00:00Z", "edited", "(unknown project)"]
    assert lines[2][2] == str(bad.resolve())
    r = run("list", "--project", str(bad))
    assert [line.split("\t")[4] for line in r.output.splitlines()] == ["Artl1"]
    r = run("list", "--before", "2021-01-01")
    assert [line.split("\t")[3] for line in r.output.splitlines()] == ["旧段。"]
    assert len(run("list", "--since", "1h").output.splitlines()) == 2
    r = run("list", "--projects")
    assert r.exit_code == 0 and "(unknown project)" in r.output and str(good.resolve()) in r.output

    r = run("remove", "--project", str(bad), "--dry-run")
    assert r.output == "1 human translation would be removed\n"
    r = run("remove", "--project", str(bad))  # not at a terminal: needs --yes
    assert r.exit_code == 2 and "add --yes to confirm" in r.output
    r = run("remove", "--project", str(bad), "--since", "2h", "--yes")
    assert r.exit_code == 0 and r.output == "removed 1 human translation\n"
    with Memory(path) as m:
        assert {e.target for e in m.all_human()} == {"An old one.", "A good paragraph."}

    for args, message in [
        (("remove",), "say which entries"),
        (("list", "--since", "yesterday"), "'yesterday' is not a time"),
    ]:
        r = run(*args)
        assert r.exit_code == 2 and message in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(cli, ["memory", "list", "--memory", str(tmp_path / "none.sqlite3")])
    assert r.exit_code == 2 and "no translation memory there" in r.output
