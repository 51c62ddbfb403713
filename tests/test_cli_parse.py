from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import SEED

from bilingual.cli import cli


def run(args, input=None):
    return CliRunner().invoke(cli, args, input=input)


def test_cli_parse_prints_blocks():
    r = run(["parse", str(SEED)])
    assert r.exit_code == 0, r.output
    assert "[title] 哈萨克斯坦示威危机持续 总统授权无预警开枪 习近平致口信" in r.output
    assert "[lead §1] 中国国家主席习近平" in r.output
    assert "[paragraph §22] 据BBC消息说" in r.output
    assert "captured_at: 2022-01-07T12:45:01Z" in r.output


def test_cli_parse_json_and_stdin():
    r = run(["parse", "--json", "-"], input=SEED.read_bytes())
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert len(data["blocks"]) == 23 and data["published"] == "2022-01-07T13:39"


def test_cli_help_and_module_entry():
    assert run(["--help"]).exit_code == 0
    assert "parse" in run(["--help"]).output
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "bilingual", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0 and "bilingual" in out.stdout


@pytest.mark.parametrize(
    "make, extra, code, message",
    [
        (lambda p: p / "missing.txt", [], 2, "no such file"),
        (lambda p: p, [], 2, "is a directory"),
        (lambda p: _write(p / "empty.txt", b""), [], 2, "empty input"),
        (lambda p: _write(p / "blank.txt", b" \n\n \t"), [], 2, "empty input"),
        (lambda p: _write(p / "bin.dat", b"\x00\x01\x02\xff" * 50), [], 2, "binary file"),
        (lambda p: _write(p / "doc.pdf", b"%PDF-1.5\n%\xe2\xe3"), [], 2, "PDF is not supported"),
        (lambda p: _write(p / "x.txt", "中文".encode("gb18030")), ["--encoding", "ascii"], 2,
         "--encoding"),
        (lambda p: _write(p / "x.txt", b"\x81\x30\x81\xff\xfe\xfd\x80"), [], 2, "--encoding"),
        (lambda p: _write(p / "x.html", b"<html><body><nav>x</nav></body></html>"), [], 2,
         "no article text"),
        (lambda p: _write(p / "a.docx", b"PK\x03\x04junk"), ["--from", "docx"], 2, "DOCX"),
    ],
)  # fmt: skip
def test_cli_parse_bad_input(tmp_path, make, extra, code, message):
    path = make(tmp_path)
    r = run(["parse", str(path), *extra])
    assert r.exit_code == code
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert message in lines[0]
    assert "Traceback" not in r.output


def _write(path, data: bytes):
    path.write_bytes(data)
    return path
