from __future__ import annotations

import pytest

from bilingual.errors import GlossaryError
from bilingual.names.glossary import Entry, Glossary, dump_glossary, learn_glossary, load_glossary


def write(tmp_path, name: str, data: str | bytes):
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@pytest.mark.parametrize(
    "name, data",
    [
        ("g.tsv", "托卡叶夫\tKassym-Jomart Tokayev\n集体安全条约组织\tCSTO\t军事同盟\n"),
        ("g.csv", "托卡叶夫,Kassym-Jomart Tokayev\n集体安全条约组织,CSTO,军事同盟\n"),
        ("g.csv", "\ufeffzh,en,note\n托卡叶夫,Kassym-Jomart Tokayev\n集体安全条约组织,CSTO,军事同盟\n"),
        ("g.txt", "# names\n\n中文\t英文\n托卡叶夫\tKassym-Jomart Tokayev\r\n\n集体安全条约组织\tCSTO\t军事同盟"),
        ("g.txt", "托卡叶夫, Kassym-Jomart Tokayev\n  # a comment\n集体安全条约组织,CSTO,军事同盟\n"),
        ("g.csv", '托卡叶夫,"Kassym-Jomart Tokayev"\n集体安全条约组织,CSTO,"军事同盟"\n,,\n'),
    ],
)  # fmt: skip
def test_load_glossary_formats(tmp_path, name, data):
    g = load_glossary(write(tmp_path, name, data))
    assert dict((k, (e.en, e.note)) for k, e in g.items()) == {
        "托卡叶夫": ("Kassym-Jomart Tokayev", ""),
        "集体安全条约组织": ("CSTO", "军事同盟"),
    }
    assert g["托卡叶夫"].origin.startswith(f"{name}:")


def test_load_glossary_keeps_commas_in_quoted_csv_fields(tmp_path):
    g = load_glossary(write(tmp_path, "g.csv", '国内生产总值,"gross domestic product, GDP"\n'))
    assert g["国内生产总值"].en == "gross domestic product, GDP"


def test_load_glossary_same_entry_twice_is_fine(tmp_path):
    g = load_glossary(write(tmp_path, "g.tsv", "北约\tNATO\n北约\tNATO\n"))
    assert len(g) == 1


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("g.tsv", "北约\tNATO\n\n北约\tthe Alliance\n", "g.tsv, line 3: '北约' is rendered 'the Alliance' here but 'NATO' on line 1"),
        ("g.tsv", "北约\tNATO\n只有一列\n", "g.tsv, line 2: expected the Chinese term and its English rendering separated by a tab"),
        ("g.csv", "北约,NATO\n只有一列\n", "line 2: expected the Chinese term and its English rendering separated by a comma"),
        ("g.csv", "北约，NATO\n", "line 1: expected the Chinese term and its English rendering separated by a comma, got one column: '北约，NATO' (the full-width comma ， does not separate columns: use , or a tab)"),
        ("g.csv", "北约,\n", "line 1: empty English rendering for '北约'"),
        ("g.csv", " ,NATO\n", "line 1: empty Chinese term"),
        ("g.csv", "北约,NATO,note,extra\n", "line 1: 4 columns"),
        ("g.csv", b"\x00\x01PK\x03\x04", "not a text file"),
        ("g.csv", "北约,NATO\n".encode("gb18030"), "line 1: not UTF-8 text"),
        ("missing.csv", None, "no such glossary file"),
    ],
)  # fmt: skip
def test_load_glossary_errors_name_the_line(tmp_path, name, data, message):
    path = tmp_path / name if data is None else write(tmp_path, name, data)
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    assert message in str(info.value)
    assert info.value.exit_code == 2


def test_load_glossary_directory(tmp_path):
    with pytest.raises(GlossaryError, match="is a directory"):
        load_glossary(tmp_path)


@pytest.mark.parametrize("fmt", ["tsv", "csv"])
def test_dump_glossary_round_trip(tmp_path, fmt):
    g = Glossary(
        [
            Entry("托卡叶夫", "Kassym-Jomart Tokayev"),
            Entry("国内生产总值", "gross domestic product, GDP", "经济"),
            Entry("“颜色革命”", '"colour revolution"'),
        ]
    )
    text = dump_glossary(g, fmt)
    back = load_glossary(write(tmp_path, f"g.{fmt}", text))
    assert [(e.zh, e.en, e.note) for e in back.values()] == [
        (e.zh, e.en, e.note) for e in g.values()
    ]


def test_dump_glossary_without_notes_has_two_columns():
    assert dump_glossary(Glossary([Entry("北约", "NATO")])) == "zh\ten\n北约\tNATO\n"
    with pytest.raises(ValueError):
        dump_glossary(Glossary(), "xlsx")


def test_glossary_find_longest_first_and_whole_latin_words():
    g = Glossary(
        [Entry("哈萨克", "Kazakh"), Entry("哈萨克斯坦", "Kazakhstan"), Entry("COVID", "C")]
    )
    text = "哈萨克斯坦的哈萨克人，COVID-19和COVIDx不算，COVID算"
    found = [(text[s:e], entry.en) for s, e, entry in g.find(text)]
    assert found == [("哈萨克斯坦", "Kazakhstan"), ("哈萨克", "Kazakh"), ("COVID", "C")]
    assert "哈萨克" in g and "x" not in g and len(g) == 3


def test_learn_glossary_from_glosses_user_entries_win():
    texts = [
        "总统托卡叶夫（Kassym-Jomart Tokayev）今天表示",
        "“集体安全公约组织”（CSTO）派遣维和部队",
        "“集体安全公约组织”（Collective Security Treaty Organisation，CSTO）",
        "城市阿拉木图（Almaty）",
        "他说(Hello World)",
    ]
    user = Glossary([Entry("阿拉木图", "Alma-Ata", origin="mine.tsv:1")])
    g = learn_glossary(texts, user)
    assert {k: e.en for k, e in g.items()} == {
        "阿拉木图": "Alma-Ata",
        "托卡叶夫": "Kassym-Jomart Tokayev",
        "集体安全公约组织": "CSTO",  # the first gloss of a name wins
    }
    assert g["托卡叶夫"].learned and not g["阿拉木图"].learned


def test_learned_names_do_not_match_inside_longer_names():
    g = learn_glossary(["哈萨克（Kazakh）"])
    assert [e.en for _, _, e in g.find("哈萨克斯坦和哈萨克人")] == ["Kazakh"]
    user = Glossary([Entry("哈萨克", "Kazakh")])
    assert len(list(user.find("哈萨克斯坦"))) == 1  # the user's own terms match anywhere
