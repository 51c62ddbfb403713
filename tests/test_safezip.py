"""Zip archives from outside (DOCX articles, reviewers' DOCX handouts): limits on members,
unpacked size and compression ratio, checked as the archive unpacks; damaged, foreign and
encrypted members and XML entities, each a one-line error or read whole."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT
from zips import docx_bomb, docx_parts, docx_with_method, stored, write_zip

from bilingual.cli import cli
from bilingual.safezip import DOCX_LIMITS, ZipLimits, ZipRefused, check_bytes


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _measured(args: list[str], cwd: Path) -> dict:
    """Run `bilingual ARGS` in a fresh process; its exit code, stderr, seconds and peak memory
    (the parent measures only this child, so no other test's process counts)."""
    probe = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "r = subprocess.run([sys.executable, '-m', 'bilingual', *sys.argv[1:]],"
        " capture_output=True, text=True)\n"
        "print(json.dumps({'code': r.returncode, 'err': r.stderr, "
        "'seconds': time.perf_counter() - t, "
        "'peak_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", probe, *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    return json.loads(out.stdout)


def test_safezip_docx_bomb_is_refused_while_unpacking_with_little_memory(tmp_path):
    bomb = docx_bomb(tmp_path / "bomb.docx", unpacked=1 << 30)
    assert bomb.stat().st_size < 1.5 * 2**20  # 1 MB on disk ...
    with zipfile.ZipFile(bomb) as zf:  # ... that says it unpacks to 1 GB
        assert zf.getinfo("word/document.xml").file_size >= 1 << 30
    got = _measured(["parse", str(bomb)], tmp_path)
    assert got["code"] == 2, got["err"]
    assert got["err"].count("\n") == 1 and got["err"].startswith(f"Error: {bomb}: refused: ")
    assert "the unpacked-size limit for a DOCX document" in got["err"]
    assert got["peak_mb"] < 200, got
    print(f"1 GB DOCX bomb refused in {got['seconds']:.2f} s, peak {got['peak_mb']:.0f} MB")


def test_safezip_review_docx_bomb_is_refused_and_changes_nothing(tmp_path):
    project = tmp_path / "p.json"
    r = run("parse", ROOT / "samples" / "rfi-kazakhstan-2022-01-07.txt", "--json")
    project.write_text(r.output, encoding="utf-8")
    before = project.read_bytes()
    bomb = docx_bomb(tmp_path / "returned.docx", unpacked=1 << 30)
    got = _measured(["import", str(bomb), str(project), "--no-memory"], tmp_path)
    assert got["code"] == 2, got["err"]
    assert "the unpacked-size limit for a DOCX document" in got["err"]
    assert got["err"].count("\n") == 1 and got["peak_mb"] < 200, got
    assert project.read_bytes() == before and not Path(f"{project}~").exists()


def test_safezip_ratio_limit_is_checked_on_the_bytes_as_they_unpack(tmp_path):
    # 16 MB is under the size limit: the ratio is what refuses it.
    bomb = docx_bomb(tmp_path / "small-bomb.docx", unpacked=16 << 20)
    r = run("parse", bomb)
    assert r.exit_code == 2
    assert "expands more than 200 times (the compression-ratio limit" in r.output
    assert len(r.output.splitlines()) == 1


def test_safezip_a_member_that_lies_about_its_size_is_cut_off_not_unpacked(tmp_path):
    parts = docx_parts()
    bomb = docx_bomb(tmp_path / "bomb.docx", unpacked=64 << 20, parts=parts)
    # Rewrite the directory's sizes to 1 KB: the bytes behind them still unpack to 64 MB.
    data = bytearray(bomb.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("word/document.xml")
    for sig in (b"PK\x03\x04", b"PK\x01\x02"):
        at = data.find(sig + (b"\x14\x00" if sig == b"PK\x03\x04" else b"\x14\x00\x14\x00"))
        while at >= 0:
            size_at = at + (22 if sig == b"PK\x03\x04" else 24)
            if int.from_bytes(data[size_at : size_at + 4], "little") == info.file_size:
                data[size_at : size_at + 4] = (1024).to_bytes(4, "little")
            at = data.find(sig, at + 4)
    with pytest.raises(ZipRefused, match="damaged"):
        check_bytes(bytes(data), DOCX_LIMITS)


def test_safezip_member_count_limit(tmp_path):
    members = [stored(name, data) for name, data in docx_parts()]
    members += [stored(f"word/media/junk{i}.bin", b"") for i in range(DOCX_LIMITS.members)]
    many = write_zip(members, tmp_path / "many.docx")
    r = run("parse", many)
    assert r.exit_code == 2
    assert f"more than the {DOCX_LIMITS.members} a DOCX document may hold" in r.output
    assert "(the member-count limit)" in r.output


def test_safezip_limits_apply_to_the_bytes_not_the_declared_sizes():
    limits = ZipLimits("a test archive", members=10, unpacked=100, ratio=10, ratio_floor=10)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", b"x" * 60)
        zf.writestr("b.txt", b"y" * 60)
    with pytest.raises(ZipRefused, match="more than 100 bytes") as err:
        check_bytes(buf.getvalue(), limits)
    assert err.value.limit == "unpacked-size"


@pytest.mark.parametrize(
    ("method", "name"),
    [(9, "Deflate64"), (98, "PPMd"), (99, "AES"), (95, "XZ"), (6, "method 6")],
)
def test_safezip_unsupported_compression_method_is_a_one_line_error(tmp_path, method, name):
    doc = docx_with_method(tmp_path / "odd.docx", method)
    r = run("parse", doc)
    assert r.exit_code == 2, r.output
    assert r.output == (
        f"Error: {doc}: not a readable DOCX file ('word/document.xml' is compressed with "
        f"{name}, which cannot be unpacked (save the file again to use standard compression))\n"
    )


def test_safezip_unsupported_compression_in_a_review_import_changes_nothing(tmp_path):
    project = tmp_path / "p.json"
    project.write_text(
        run("parse", ROOT / "samples" / "rfi-kazakhstan-2022-01-07.txt", "--json").output
    )
    before = project.read_bytes()
    doc = docx_with_method(tmp_path / "returned.docx", 9)
    r = run("import", doc, project, "--no-memory")
    assert r.exit_code == 2 and "compressed with Deflate64" in r.output
    assert len(r.output.splitlines()) == 1 and project.read_bytes() == before


def _with_doctype(tmp_path: Path, doctype: str, replace: dict[str, str]) -> Path:
    members = []
    for name, data in docx_parts([f"第{i}段：哈萨克斯坦局势趋于稳定。" for i in range(6)]):
        if name == "word/document.xml":
            text = data.decode()
            text = text.replace("<w:document", f"{doctype}<w:document", 1)
            for old, new in replace.items():
                text = text.replace(old, new, 1)
            data = text.encode()
        members.append(stored(name, data))
    return write_zip(members, tmp_path / "entities.docx")


def test_safezip_docx_text_after_an_entity_is_kept(tmp_path):
    doc = _with_doctype(
        tmp_path,
        '<!DOCTYPE w:document [<!ENTITY kz "哈萨克斯坦">]>',
        {"第2段：哈萨克斯坦": "第2段：&kz;", "第0段": "&kz;第0段"},
    )
    r = run("parse", doc, "--json")
    assert r.exit_code == 0, r.output
    blocks = [b["zh"] for b in json.loads(r.output)["blocks"]]
    assert len(blocks) == 6  # none dropped: python-docx alone kept 5
    assert blocks[0] == "哈萨克斯坦第0段：哈萨克斯坦局势趋于稳定。"
    assert blocks[2] == "第2段：哈萨克斯坦局势趋于稳定。"


def test_safezip_docx_external_entity_is_refused_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("密码")
    doc = _with_doctype(
        tmp_path,
        f'<!DOCTYPE w:document [<!ENTITY s SYSTEM "file://{secret}">]>',
        {"第2段": "&s;第2段"},
    )
    r = run("parse", doc, "--json")
    assert r.exit_code == 2
    assert r.output.startswith(f"Error: {doc}: not a readable DOCX file (word/document.xml: ")
    assert "密码" not in r.output and len(r.output.splitlines()) == 1


def test_safezip_headers_that_point_outside_the_file_are_damage_not_a_crash(tmp_path):
    # The end record says the directory starts 10 bytes later than it does: zipfile then seeks
    # before the start of the file (ValueError: negative seek value), which scripts/fuzz found.
    from zips import zip_bytes

    data = bytearray(zip_bytes([stored(name, body) for name, body in docx_parts()]))
    end = data.rfind(b"PK\x05\x06")
    offset = int.from_bytes(data[end + 16 : end + 20], "little")
    data[end + 16 : end + 20] = (offset + 10).to_bytes(4, "little")
    doc = tmp_path / "odd.docx"
    doc.write_bytes(bytes(data))
    with pytest.raises(ZipRefused, match="damaged"):
        check_bytes(bytes(data), DOCX_LIMITS)
    r = run("parse", doc)
    assert r.exit_code == 2 and len(r.output.splitlines()) == 1, r.output
    assert r.output.startswith(f"Error: {doc}: ")
