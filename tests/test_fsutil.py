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


def test_fsutil_read_bytes_names_what_the_file_was_for(tmp_path):
    from bilingual.errors import ProjectError
    from bilingual.fsutil import read_bytes

    with pytest.raises(ProjectError, match=r"missing\.json: no such project file$"):
        read_bytes(tmp_path / "missing.json", ProjectError, "project file")
    with pytest.raises(ProjectError, match="is a directory, not a glossary file"):
        read_bytes(tmp_path, ProjectError, "glossary file")
    (tmp_path / "a.txt").write_bytes(b"x")
    assert read_bytes(tmp_path / "a.txt", ProjectError) == b"x"
