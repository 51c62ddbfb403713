from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import SEED
from scripted import ScriptedEngine, translate_block

from bilingual.cli import cli
from bilingual.document import Article, Block, Flag, Kind, Status
from bilingual.names.glossary import Entry, Glossary, learn_glossary
from bilingual.translation.checks import (
    HIGH_RATIO,
    LOW_RATIO,
    LOW_SCORE,
    check_block,
)
from bilingual.translation.pipeline import check_article, expected_renders

ZH = "美国国务院发言人普莱斯（Ned Price）告诉媒体，美国与全世界会紧盯任何侵害人权情事。"
EN = (
    "State Department spokesman Ned Price told the media that the United States and the "
    "world would closely watch any violation of human rights."
)


def codes(zh: str, en: str, **kw) -> list[str]:
    kw.setdefault("renders", expected_renders(zh))
    return [f.code for f in check_block(zh, en, **kw)]


def test_check_block_clean():
    assert check_block(ZH, EN, renders=["Ned Price"], score=-0.4) == []


def test_check_name_repaired_names_them():
    (flag,) = check_block(ZH, EN, renders=["Ned Price"], repaired=["Ned Price", "Ned Price"])
    assert flag.code == "name-repaired" and "Ned Price" in flag.message
    assert flag.message.count("Ned Price") == 1


@pytest.mark.parametrize(
    "en, flagged",
    [
        (EN, False),
        (EN.replace("Ned Price", "Price"), True),
        (EN.replace("Ned Price", "ned price"), True),
    ],
)
def test_check_name_missing(en, flagged):
    assert ("name-missing" in codes(ZH, en)) is flagged


@pytest.mark.parametrize(
    "zh, en, flagged",
    [
        ("动乱已造成2000人被捕。", "2,000 people have been arrested.", False),
        ("动乱已造成2000人被捕。", "2000 people have been arrested.", False),
        ("动乱已造成2000人被捕。", "200 people have been arrested.", True),
        ("军警748人受伤、18人殉职。", "748 police were injured and 18 killed.", False),
        ("军警748人受伤、18人殉职。", "784 police were injured and 18 killed.", True),
        ("62人进到加护病房。", "62 people are in intensive care.", False),
        ("增长35%。", "It grew 35%.", False),
        ("增长35%。", "It grew 35 percent.", False),
        ("增长35%。", "It grew 53 percent.", True),
        ("人口1.2亿。", "A population of 120 million.", False),
        ("人口1.2亿。", "A population of 0.12 billion.", False),
        ("人口1.2亿。", "A population of 1.2 billion.", True),
        ("“2万名暴徒”袭击。", '"20,000 thugs" attacked.', False),
        ("“2万名暴徒”袭击。", '"20 thousand thugs" attacked.', False),
        ("“2万名暴徒”袭击。", '"2 thugs" attacked.', True),
        ("约2500人到当地。", "About 2,500 people went there.", False),
        ("约2500人到当地。", "About 2500 people went there.", False),
        ("6国组成的军事集团", "a military bloc of six countries", False),
        ("6日清晨", "early on the 6th", False),
        ("2022年1月7日", "January 7, 2022", False),
        ("其中两人还被斩首，数十人丧生。", "Two of them were beheaded and dozens died.", False),
        ("COVID-19疫情", "the COVID-19 pandemic", False),
        ("其中400 人住院", "of whom 400 were hospitalised", False),
    ],
)
def test_check_number_mismatch(zh, en, flagged):
    assert ("number-mismatch" in codes(zh, en)) is flagged


def test_check_number_message_lists_the_numbers():
    (flag,) = [
        f
        for f in check_block("748人受伤、18人殉职", "many hurt", renders=[])
        if f.code == "number-mismatch"
    ]
    assert flag.message == "not in the English with the same value: 748, 18"


@pytest.mark.parametrize(
    "en, renders, flagged",
    [
        (EN, ["Ned Price"], False),
        (EN.replace("human rights", "人权"), ["Ned Price"], True),
        ("Spokesman 普莱斯 said.", ["普莱斯"], False),  # inside a render (a glossary's choice)
    ],
)
def test_check_leftover_chinese(en, renders, flagged):
    assert ("leftover-chinese" in codes(ZH, en, renders=renders)) is flagged


@pytest.mark.parametrize(
    "en, flagged",
    [
        (EN, False),
        (EN.replace(" that", "，that"), True),
        (EN.replace("world", "《world》"), True),
        ('He said "yes" — and left…', False),
        ("He said “yes” and left.", False),  # curly quotes are English too
        ("He waited……", True),
    ],
)
def test_check_chinese_punctuation(en, flagged):
    assert ("chinese-punctuation" in codes("他说是的，然后离开了。", en)) is flagged


@pytest.mark.parametrize(
    "en, flagged",
    [
        (EN, False),
        ("the talks the talks the talks went on", True),
        ("no no no", True),
        ("he said, said, said it", True),
        ("very very good", False),
        ("the talks and the talks and the talks and the talks", True),
        ("one two three four one two three four one two three four", True),
    ],
)
def test_check_repetition(en, flagged):
    assert ("repetition" in codes("他说", en)) is flagged


def test_check_length_ratio_bounds():
    zh = "哈萨克长久以来被认为是中亚最稳定的前苏联加盟共和国，但随不满瓦斯飙涨引爆连日来的大规模示威。"
    good = (
        "Kazakhstan has long been regarded as the most stable former Soviet republic in Central "
        "Asia, but discontent over soaring gas prices set off days of mass protests."
    )
    assert "length-ratio" not in codes(zh, good)
    short = "Kazakhstan was stable."
    (flag,) = [f for f in check_block(zh, short, renders=[]) if f.code == "length-ratio"]
    assert "too short" in flag.message
    assert "length-ratio" in codes(zh, good * 3)
    assert "length-ratio" not in codes("习近平致口信", "Xi Jinping sends a verbal message to him")
    assert LOW_RATIO < 2.5 and HIGH_RATIO > 4


@pytest.mark.parametrize(
    "score, flagged", [(None, False), (-0.3, False), (LOW_SCORE, False), (-2.0, True)]
)
def test_check_low_score(score, flagged):
    assert ("low-score" in codes(ZH, EN, score=score)) is flagged


def test_expected_renders_use_the_glossary():
    g = Glossary([Entry("国务院", "State Department")])
    assert expected_renders(ZH, g) == ["State Department", "Ned Price"]
    assert expected_renders("据BBC消息说") == ["BBC"]


def _project(blocks: list[Block]) -> Article:
    return Article(blocks=blocks)


def test_check_article_replaces_only_check_flags():
    other = Flag("segment-split", "kept")
    blocks = [
        Block(Kind.TITLE, "标题", en="Title"),
        Block(Kind.PARAGRAPH, ZH, en=EN, flags=[Flag("number-mismatch", "stale"), other]),
        Block(Kind.PARAGRAPH, "据BBC消息说", en="According to the news", status=Status.EDITED,
              flags=[Flag("name-repaired", "old")], score=-5.0),
        Block(Kind.PARAGRAPH, "普莱斯表示", en="He said", flags=[Flag("name-repaired", "r")]),
        Block(Kind.PARAGRAPH, "未翻译"),
    ]  # fmt: skip
    article = _project(blocks)
    summary = check_article(article)
    assert blocks[1].flags == [other]
    assert [f.code for f in blocks[2].flags] == ["name-missing"]  # no score, repaired dropped
    # A learned name, mentioned again: "Price" is what the English must hold.
    assert [f.code for f in blocks[3].flags] == ["name-repaired", "name-missing"]
    assert "Price" in blocks[3].flags[1].message
    assert blocks[4].flags == []
    assert (summary.paragraphs, summary.flagged, summary.untranslated) == (4, 3, 1)
    assert summary.line() == "4 paragraphs, 3 flagged, 1 untranslated"
    assert [label for label, _ in summary.flagged_blocks] == ["§1", "§2", "§3"]


# --- the CLI -----------------------------------------------------------------------------------


def _seed_project(tmp_path, edit=None):
    """The seed translated by the scripted engine, as the pipeline would leave it."""
    from bilingual.readers import read_article

    article = read_article(SEED)
    glossary = learn_glossary([b.zh for b in article.blocks])
    engine = ScriptedEngine()
    for b in article.blocks:
        b.en, _, _ = translate_block(b.zh, engine, glossary)
        b.status = Status.MACHINE
    if edit:
        edit(article)
    path = tmp_path / "seed.json"
    path.write_text(article.to_json(), encoding="utf-8")
    return path


def run(args):
    return CliRunner().invoke(cli, args)


def test_cli_check_clean_project(tmp_path):
    path = _seed_project(tmp_path)
    r = run(["check", str(path)])
    assert r.exit_code == 0, r.output
    assert r.output == "22 paragraphs, 0 flagged\n"


def test_cli_check_flags_an_edit_and_writes_only_when_asked(tmp_path):
    def edit(article):
        article.blocks[16].en = "Spokesman Price told the media: 美国."
        article.blocks[16].status = Status.EDITED

    path = _seed_project(tmp_path, edit)
    before = path.read_text(encoding="utf-8")
    r = run(["check", str(path)])
    assert r.exit_code == 1
    block_id = json.loads(before)["blocks"][16]["id"]
    assert r.output == (
        f"[§16] {block_id}\n"
        "  name-missing: not in the English: Ned Price\n"
        "  leftover-chinese: Chinese left in the English: 美国\n"
        "  length-ratio: English is 0.6x the Chinese length (usual 1.3-7.0): too short?\n"
        "22 paragraphs, 1 flagged\n"
    )
    assert path.read_text(encoding="utf-8") == before  # --no-write is the default
    r = run(["check", "--write", str(path)])
    assert r.exit_code == 1
    saved = json.loads(path.read_text(encoding="utf-8"))["blocks"][16]
    assert saved["id"] == block_id
    assert [f["code"] for f in saved["flags"]] == [
        "name-missing",
        "leftover-chinese",
        "length-ratio",
    ]


def test_cli_check_with_glossary(tmp_path):
    path = _seed_project(tmp_path)
    glossary = tmp_path / "g.tsv"
    glossary.write_text("路透社\tReuters\n", encoding="utf-8")
    r = run(["check", str(path), "--glossary", str(glossary)])
    assert r.exit_code == 1
    assert "name-missing: not in the English: Reuters" in r.output


@pytest.mark.parametrize(
    "make, code, message",
    [
        (lambda p: p / "missing.json", 2, "no such project file"),
        (lambda p: _write(p / "bad.json", "{"), 2, "not valid JSON"),
        (lambda p: _write(p / "g.json", '{"schema_version": 1, "blocks": []}'), 0, None),
    ],
)
def test_cli_check_bad_project(tmp_path, make, code, message):
    r = run(["check", str(make(tmp_path))])
    assert r.exit_code == code, r.output
    if message:
        assert r.output.startswith("Error: ") and message in r.output
    else:
        assert r.output == "0 paragraphs, 0 flagged\n"


def test_cli_check_bad_glossary(tmp_path):
    path = _seed_project(tmp_path)
    glossary = _write(tmp_path / "g.csv", "只有一列\n")
    r = run(["check", str(path), "--glossary", str(glossary)])
    assert r.exit_code == 2 and "g.csv, line 1" in r.output


def test_cli_check_help():
    r = run(["check", "--help"])
    assert r.exit_code == 0 and "Exit status: 0 when nothing is flagged" in r.output


def _write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def test_checks_name_missing_ignores_the_parentheses_of_an_unnamed_gloss():
    zh = "欧洲气象卫星开发组织（EUMETSAT）周三公布了新一代地球同步卫星传回的首批图像。"
    renders = expected_renders(zh)
    assert "(EUMETSAT)" in renders or "EUMETSAT" in renders
    en = "EUMETSAT released the first images from its new geostationary satellite on Wednesday."
    assert "name-missing" not in {f.code for f in check_block(zh, en, renders=renders)}
    gone = "The agency released the first images from its new satellite on Wednesday."
    assert "name-missing" in {f.code for f in check_block(zh, gone, renders=renders)}


def test_check_flag_codes_are_an_enum_stored_as_text():
    import json

    from bilingual.translation.checks import CHECK_CODES, FlagCode

    assert tuple(c.value for c in FlagCode) == CHECK_CODES
    (flag,) = [f for f in check_block("748人受伤", "many hurt", renders=[])]
    assert flag.code == FlagCode.NUMBER_MISMATCH == "number-mismatch"
    assert type(flag.code) is str and str(FlagCode.NUMBER_MISMATCH) == "number-mismatch"
    assert json.dumps(flag.code) == '"number-mismatch"'
