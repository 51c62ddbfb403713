"""One wording per flag, in every place a reviewer reads it, with no engine jargon."""

from __future__ import annotations

import io
import re
import zipfile
from html import unescape

import pytest
from click.testing import CliRunner

from bilingual.cli import cli
from bilingual.document import Article, Block, Flag, Kind, Status
from bilingual.exchange.xliff import to_xliff
from bilingual.review.web.state import block_view
from bilingual.translation.checks import (
    WORDING,
    FlagCode,
    check_block,
    flag_detail,
    flag_explanation,
    flag_sentence,
    flag_title,
    flag_words,
)
from bilingual.writers import Audience, HandoutOptions, writer_for

ZH = "美国国务院发言人普莱斯（Ned Price）告诉媒体，2000人被捕，美国与全世界会紧盯任何侵害人权情事。"
EN = (
    "State Department spokesman Ned Price told the media that 2,000 people were arrested and the "
    "United States and the world would closely watch any violation of human rights."
)
# What must not reach a reviewer: scores and thresholds, the machinery's own words.
JARGON = re.compile(r"-\d+\.\d+|\bbelow\b|placeholder|translated around|engine|score|\d+\.\dx")


def _flags() -> dict[str, Flag]:
    """One real flag of every code, as the checks make them."""
    cases = [
        check_block(ZH, EN, renders=["Ned Price"], repaired=["Ned Price"]),
        check_block(ZH, EN.replace("Ned Price", "Price"), renders=["Ned Price"]),
        check_block(ZH, EN.replace("2,000", "200"), renders=["Ned Price"]),
        check_block(ZH, EN + " 道道", renders=["Ned Price"]),
        check_block(ZH, EN.replace(" that", "，that"), renders=["Ned Price"]),
        check_block(ZH, EN + " very very very well", renders=["Ned Price"]),
        check_block(ZH, "Ned Price said 2,000.", renders=["Ned Price"]),
        check_block(ZH, EN, renders=["Ned Price"], score=-1.6),
    ]
    flags = {f.code: f for case in cases for f in case}
    assert sorted(flags) == sorted(c.value for c in FlagCode)
    return flags


FLAGS = _flags()


def test_every_code_has_a_title_an_explanation_and_a_handout_sentence():
    assert set(WORDING) == set(FlagCode)
    titles = [w.title for w in WORDING.values()]
    assert len(set(titles)) == len(titles)
    for code, wording in WORDING.items():
        assert wording.title and wording.explain.endswith(".") and wording.handout, code
        assert flag_title(code.value) == wording.title
        assert flag_explanation(code.value) == wording.explain


@pytest.mark.parametrize("code", sorted(FLAGS))
def test_a_reviewer_reads_plain_words_and_the_title_once(code):
    flag = FLAGS[code]
    wording = WORDING[FlagCode(code)]
    for text in (flag_words(flag), flag_sentence(flag), wording.explain, wording.title):
        assert not JARGON.search(text), text
    words = flag_words(flag)
    assert words.startswith(wording.title) and words.count(wording.title) == 1
    if wording.detail:
        assert flag_detail(flag), code  # the stored message reads back
    # The developer's detail stays in the project file.
    assert flag.message


def test_details_quote_what_the_check_found():
    assert flag_words(FLAGS["leftover-chinese"]) == "Chinese left in the English: “道道”"
    assert flag_words(FLAGS["name-repaired"]) == "A name was put back by the tool: Ned Price"
    assert flag_words(FLAGS["number-mismatch"]) == "A number differs: 2000"
    assert flag_words(FLAGS["low-score"]) == "The model was unsure"
    assert flag_words(FLAGS["length-ratio"]) == "Length looks wrong: too short"
    assert (
        flag_sentence(FLAGS["leftover-chinese"]) == "Some Chinese was left untranslated (“道道”)."
    )
    assert flag_sentence(FLAGS["low-score"]) == "The machine was unsure of this translation."


def test_details_are_brief():
    long = check_block(ZH, EN + " " + "新" * 80 + " 管素 管根", renders=["Ned Price"])
    (flag,) = [f for f in long if f.code == "leftover-chinese"]
    assert flag.message.endswith("新" * 80 + " 管素 管根")  # the whole finding stays in the project
    assert flag_words(flag) == "Chinese left in the English: “新新新新新新新…”, “管素” and 1 more"
    names = ", ".join(f"Name Number{i}" for i in range(9))
    repaired = check_block(ZH, EN, renders=["Ned Price"], repaired=names.split(", "))
    assert flag_detail(repaired[0]) == "Name Number0, Name Number1 and 7 more"
    loop = Flag("repetition", "a phrase repeats: " + "the unrest over fuel prices " * 4)
    assert flag_sentence(loop) == (
        "The English repeats itself (the unrest over fuel prices the unrest over fue…)."
    )


def test_unknown_codes_and_hand_edited_messages_still_read():
    odd = Flag("future-check", "something new")
    assert (
        flag_words(odd) == "future-check: something new" and flag_sentence(odd) == "something new."
    )
    assert flag_title("future-check") == "future-check"
    edited = Flag("leftover-chinese", "whatever a person typed")
    assert flag_words(edited) == "Chinese left in the English"
    assert flag_sentence(edited) == "Some Chinese was left untranslated."


def _article() -> Article:
    blocks = [Block(id="t", kind=Kind.TITLE, zh="标题", en="Title", status=Status.MACHINE)]
    for i, flag in enumerate(FLAGS.values()):
        blocks.append(
            Block(
                id=f"b{i}",
                kind=Kind.PARAGRAPH,
                zh=ZH,
                en=EN,
                status=Status.MACHINE,
                flags=[flag],
                score=-1.6,
            )
        )
    return Article(blocks=blocks)


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode()
    return unescape(re.sub(r"<[^>]+>", "", xml))


def test_no_place_shows_jargon_or_a_title_twice(tmp_path):
    article = _article()
    review = HandoutOptions(audience=Audience.REVIEW)
    html = unescape(re.sub(r"<[^>]+>", "", writer_for("html")(article, review).decode()))
    docx_text = _docx_text(writer_for("docx")(article, review))
    xliff = unescape(to_xliff(article).decode())
    web = [block_view(n, b)["flags"] for n, b in article.numbered()]
    for flag in FLAGS.values():
        sentence = flag_sentence(flag)
        assert sentence in html
        assert sentence in docx_text
        assert f"⚑ {sentence} [{flag.code}]" in xliff
        assert flag.message not in html + docx_text + xliff
    for views in web:
        for view in views:
            shown = " ".join(filter(None, (view["title"], view["detail"], view["explain"])))
            assert not JARGON.search(shown), shown
    # The terminal review's screen, one paragraph after another.
    project = tmp_path / "p.json"
    project.write_text(article.to_json(), encoding="utf-8")
    out = CliRunner().invoke(cli, ["review", str(project), "--no-memory"], input="n" * 9 + "q")
    screen = "\n".join(line for line in out.output.splitlines() if line.startswith("⚑"))
    for flag in FLAGS.values():
        assert f"⚑ {flag_words(flag)}" in screen
    assert not JARGON.search(screen), screen
    for wording in WORDING.values():
        assert f"{wording.title}: {wording.title}" not in out.output
