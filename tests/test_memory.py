from __future__ import annotations

import multiprocessing as mp

from bilingual.memory import Memory

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
