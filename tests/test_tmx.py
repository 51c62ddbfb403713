from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from bilingual.cli import cli
from bilingual.errors import TmxError
from bilingual.exchange.tmx import export_tmx, import_tmx, iter_pairs, to_tmx
from bilingual.exchange.xliff import xml_safe
from bilingual.memory import HumanEntry, Memory

SIG = {"engine": "argos", "package": "translate-zh_en", "package_version": "1.9", "beam": 4}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    path = tmp_path / "source.sqlite3"
    with Memory(path) as m:
        m.store_human_entries(
            [
                HumanEntry("第一段。", "The first paragraph.", "edited", "2024-07-01T12:00:00Z"),
                HumanEntry("標題。", "A title & <more>.", "approved", "2024-07-02T08:30:00Z"),
            ]
        )
        m.store(SIG, [("你好QZ0。", "Hello QZ0.", -0.25), ("世界。", "World.", None)])
    return path


def _contents(path: Path):
    with Memory(path) as m:
        human = sorted((e.source, e.target, e.status, e.updated_at) for e in m.all_human())
        segments = sorted((json_sig(s), src, tgt, sc) for s, src, tgt, sc, _ in m.all_segments())
    return human, segments


def json_sig(sig: dict) -> str:
    import json

    return json.dumps(sig, sort_keys=True)


def test_tmx_round_trip_keeps_human_and_machine_entries(filled, tmp_path):
    tmx = tmp_path / "memory.tmx"
    r = run("memory", "export", "--tmx", tmx, "--memory", filled)
    assert r.exit_code == 0, r.output
    assert f"wrote {tmx}: 2 human paragraphs, 2 machine segments" in r.output

    doc = etree.parse(str(tmx)).getroot()
    assert doc.tag == "tmx" and doc.get("version") == "1.4"
    header = doc.find("header")
    assert header.get("creationtool") == "bilingual" and header.get("srclang") == "zh-CN"
    langs = [[t.get(XML_LANG) for t in tu.iter("tuv")] for tu in doc.iter("tu")]
    assert langs[:2] == [["zh-CN", "en"], ["zh-TW", "en"]]  # Traditional tagged as such

    target = tmp_path / "target.sqlite3"
    r = run("memory", "import", "--tmx", tmx, "--memory", target)
    assert r.exit_code == 0, r.output
    assert "2 added, 0 updated, 0 unchanged" in r.output and "2 machine segments" in r.output
    assert _contents(target) == _contents(filled)
    with Memory(target) as m:
        assert m.engines() == [SIG]


def test_tmx_export_human_only_and_refuses_to_overwrite(filled, tmp_path):
    tmx = tmp_path / "memory.tmx"
    tmx.write_text("keep me", encoding="utf-8")
    r = run("memory", "export", "--tmx", tmx, "--memory", filled)
    assert r.exit_code == 2 and "already exists (use --force to overwrite)" in r.output
    assert tmx.read_text(encoding="utf-8") == "keep me"
    r = run("memory", "export", "--tmx", tmx, "--memory", filled, "--human-only", "--force")
    assert r.exit_code == 0, r.output
    pairs = list(iter_pairs(tmx.read_bytes()))
    assert [p[1] for p in pairs] == ["The first paragraph.", "A title & <more>."]


def test_tmx_import_from_another_tool_becomes_human(tmp_path):
    tmx = tmp_path / "other.tmx"
    tmx.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
 <header creationtool="OtherCAT" creationtoolversion="9" segtype="sentence" o-tmf="x"
         adminlang="en-US" srclang="zh-CN" datatype="plaintext"/>
 <body>
  <tu changedate="20240301T101500Z">
   <tuv xml:lang="ZH-CN"><seg>记者<ph x="1">&lt;b&gt;</ph>报道。</seg></tuv>
   <tuv xml:lang="EN-US"><seg>The <hi>reporter</hi> reports.</seg></tuv>
  </tu>
  <tu>
   <tuv lang="zh-TW"><seg>舊格式。</seg></tuv>
   <tuv lang="en"><seg>Old style.</seg></tuv>
  </tu>
  <tu><tuv xml:lang="zh-CN"><seg>只有中文。</seg></tuv><tuv xml:lang="fr"><seg>Non.</seg></tuv></tu>
 </body>
</tmx>""",
        encoding="utf-8",
    )
    with Memory(tmp_path / "m.sqlite3") as m:
        report = import_tmx(m, tmx)
        human = {e.source: e for e in m.all_human()}
        assert m.stats()["segments"] == 0
    assert (report.added, report.skipped) == (2, 1)
    assert human["记者报道。"].target == "The reporter reports."
    assert human["记者报道。"].status == "edited"
    assert human["记者报道。"].updated_at == "2024-03-01T10:15:00Z"
    assert human["舊格式。"].target == "Old style."


def _tmx_with(source: str, target: str, date: str | None) -> bytes:
    stamp = f' changedate="{date}"' if date else ""
    return f"""<tmx version="1.4"><header creationtool="t" creationtoolversion="1"
segtype="paragraph" o-tmf="t" adminlang="en" srclang="zh-CN" datatype="plaintext"/><body>
<tu{stamp}><tuv xml:lang="zh-CN"><seg>{source}</seg></tuv>
<tuv xml:lang="en"><seg>{target}</seg></tuv></tu></body></tmx>""".encode()


@pytest.mark.parametrize(
    "date, expected, counts",
    [
        ("20250101T000000Z", "Newer English.", (0, 1, 0, 0)),
        ("20230101T000000Z", "Reviewed English.", (0, 0, 0, 1)),
        (None, "Reviewed English.", (0, 0, 0, 1)),
    ],
)
def test_tmx_import_never_replaces_newer_human_work(tmp_path, date, expected, counts):
    tmx = tmp_path / "in.tmx"
    tmx.write_bytes(_tmx_with("段落。", "Newer English." if date else "Undated English.", date))
    if date and date.startswith("2023"):
        tmx.write_bytes(_tmx_with("段落。", "Older English.", date))
    with Memory(tmp_path / "m.sqlite3") as m:
        m.store_human_entries(
            [HumanEntry("段落。", "Reviewed English.", "approved", "2024-06-01T00:00:00Z")]
        )
        report = import_tmx(m, tmx)
        assert m.human(["段落。"])["段落。"].target == expected
    assert (report.added, report.updated, report.unchanged, report.kept) == counts


@pytest.mark.parametrize(
    "data, message",
    [
        (b"not xml", "not a TMX file (not well-formed XML"),
        (b"<xliff/>", "not a TMX file (its root element is <xliff>)"),
        (
            b'<tmx version="1.4"><header/><body/></tmx>',
            "no unit with both a Chinese and an English",
        ),
    ],
)
def test_tmx_import_bad_files_change_nothing(tmp_path, data, message):
    tmx = tmp_path / "bad.tmx"
    tmx.write_bytes(data)
    memory = tmp_path / "m.sqlite3"
    r = run("memory", "import", "--tmx", tmx, "--memory", memory)
    assert r.exit_code == 2, r.output
    assert r.output.strip().splitlines() == [r.output.strip()]
    assert message in r.output
    with Memory(memory) as m:
        assert m.stats()["human"] == 0 and m.stats()["segments"] == 0
    with pytest.raises(TmxError, match="no such file"), Memory(memory) as m:
        import_tmx(m, tmp_path / "missing.tmx")


def test_tmx_export_reads_in_translate_toolkit_and_back(filled, tmp_path):
    tmx_storage = pytest.importorskip("translate.storage.tmx")
    with Memory(filled) as m:
        data, _ = to_tmx(m)
    store = tmx_storage.tmxfile.parsestring(data)
    assert {u.source: u.target for u in store.units}["第一段。"] == "The first paragraph."

    # And a TMX written by translate-toolkit imports as human entries.
    out = tmx_storage.tmxfile(sourcelanguage="zh-CN", targetlanguage="en")
    out.addtranslation("工具写的。", "zh-CN", "Written by a tool.", "en")
    path = tmp_path / "tt.tmx"
    path.write_bytes(bytes(out))
    with Memory(tmp_path / "m.sqlite3") as m:
        report = import_tmx(m, path)
        assert m.human(["工具写的。"])["工具写的。"].target == "Written by a tool."
    assert report.added == 1


def test_memory_stats_command(filled):
    r = run("memory", "stats", "--memory", filled)
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0].startswith(f"memory:   {filled} (")
    assert lines[1] == "human:    2 paragraphs (1 approved, 1 edited)"
    assert lines[2] == "machine:  2 segments from 1 engine"
    assert lines[3].split() == ["2", "translate-zh_en", "1.9", "(beam", "4)"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pairs=st.dictionaries(
        st.text(min_size=1, max_size=20).filter(lambda t: xml_safe(t).strip()).map(xml_safe),
        st.text(min_size=1, max_size=30).filter(lambda t: xml_safe(t).strip()).map(xml_safe),
        min_size=1,
        max_size=5,
    )
)
def test_tmx_any_text_round_trips(tmp_path_factory, pairs):
    folder = tmp_path_factory.mktemp("tmx")
    with Memory(folder / "a.sqlite3") as a:
        a.store_human_entries(
            HumanEntry(s, t, "edited", "2024-01-01T00:00:00Z") for s, t in pairs.items()
        )
        export_tmx(a, folder / "x.tmx")
    with Memory(folder / "b.sqlite3") as b:
        import_tmx(b, folder / "x.tmx")
        assert {e.source: e.target for e in b.all_human()} == pairs
