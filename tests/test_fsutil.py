from __future__ import annotations

import os
import stat

import pytest

from bilingual.errors import OutputExists
from bilingual.fsutil import atomic_write


def test_fsutil_new_file_gets_the_usual_mode(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "a.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o644


def test_fsutil_keeps_mode_and_backup(tmp_path):
    path = tmp_path / "p.json"
    path.write_text("old")
    path.chmod(0o600)
    atomic_write(path, "new", backup=True)
    assert path.read_text() == "new" and (tmp_path / "p.json~").read_text() == "old"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_fsutil_refuses_without_force_and_leaves_no_temp(tmp_path):
    path = tmp_path / "p.json"
    path.write_text("mine")
    with pytest.raises(OutputExists, match="--force"):
        atomic_write(path, "theirs", force=False)
    assert path.read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.json"]
