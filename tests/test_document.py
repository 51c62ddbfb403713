from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bilingual.document import (
    SCHEMA_VERSION,
    Article,
    Block,
    Dropped,
    Flag,
    Kind,
    Status,
    block_id,
    section_label,
)
from bilingual.errors import ProjectError


def _article() -> Article:
    return Article(
        blocks=[
            Block(kind=Kind.TITLE, zh="标题"),
            Block(kind=Kind.LEAD, zh="导语。", en="Lead.", status=Status.MACHINE, score=-0.3),
            Block(kind=Kind.PARAGRAPH, zh="重复。"),
            Block(
                kind=Kind.PARAGRAPH, zh="重复。", flags=[Flag("number-mismatch", "2000 missing")]
            ),
        ],
        source_url="https://example.org/a",
        captured_at="2022-01-07T12:45:01Z",
        published="2022-01-07T13:39",
        provenance={"tool": "bilingual", "version": "1"},
    )


def test_document_round_trips_losslessly():
    a = _article()
    assert Article.from_json(a.to_json()) == a
    data = json.loads(a.to_json())
    assert data["schema_version"] == SCHEMA_VERSION
    assert set(data) >= {"source_url", "captured_at", "published", "script", "blocks", "provenance"}
    assert set(data["blocks"][0]) >= {"id", "kind", "zh", "en", "status", "flags"}
    assert data["blocks"][0]["en"] is None and data["blocks"][0]["status"] == "new"


def test_document_comments_round_trip_and_version_1_files_migrate():
    a = _article()
    a.blocks[1].comment = "Is 导语 a lead here?"
    data = json.loads(a.to_json())
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["blocks"][1]["comment"] == "Is 导语 a lead here?"
    assert "comment" not in data["blocks"][0]
    assert Article.from_json(a.to_json()) == a
    # A version 1 file (before comments) reads as it is and is written in the current version.
    data["schema_version"] = 1
    del data["blocks"][1]["comment"]
    old = Article.from_dict(data)
    assert old.schema_version == SCHEMA_VERSION and all(b.comment is None for b in old.blocks)
    assert json.loads(old.to_json())["schema_version"] == SCHEMA_VERSION
    with pytest.raises(ProjectError, match="the first version is 1"):
        Article.from_dict({**data, "schema_version": 0})
    with pytest.raises(ProjectError, match="comment must be a string"):
        Article.from_dict({**data, "blocks": [{**data["blocks"][1], "comment": 3}]})


def test_document_drafts_round_trip_validate_and_older_files_load():
    a = _article()
    a.blocks[1].en, a.blocks[1].status = "Machine English.", Status.MACHINE
    before = a.blocks[1].version
    a.blocks[1].draft = "A reviewer's unconfirmed English."
    data = json.loads(a.to_json())
    assert data["schema_version"] == 3
    assert data["blocks"][1]["draft"] == "A reviewer's unconfirmed English."
    assert "draft" not in data["blocks"][0]
    back = Article.from_json(a.to_json())
    assert back == a and back.blocks[1].draft == "A reviewer's unconfirmed English."
    # A draft is not a review: status and English stay the machine's.
    assert back.blocks[1].status is Status.MACHINE and not back.blocks[1].status.reviewed
    # The version moves with the draft (a stale page cannot overwrite it), and a block without
    # a draft keeps the version it had before drafts existed.
    assert a.blocks[1].version != before
    a.blocks[1].draft = None
    assert a.blocks[1].version == before
    # A version 2 file (before drafts) reads as it is.
    data["schema_version"] = 2
    del data["blocks"][1]["draft"]
    assert all(b.draft is None for b in Article.from_dict(data).blocks)
    with pytest.raises(ProjectError, match="draft must be a string"):
        Article.from_dict({**data, "blocks": [{**data["blocks"][1], "draft": ["x"]}]})
    # An empty draft is no draft.
    assert (
        Article.from_dict({**data, "blocks": [{**data["blocks"][1], "draft": " "}]}).blocks[0].draft
        is None
    )


def test_document_block_version_changes_with_what_a_reviewer_changes():
    block = Block(Kind.PARAGRAPH, "段落。", en="A paragraph.", status=Status.MACHINE)
    seen = {block.version}
    block.en = "An edited paragraph."
    seen.add(block.version)
    block.status = Status.EDITED
    seen.add(block.version)
    block.comment = "ok?"
    seen.add(block.version)
    assert len(seen) == 4
    block.score = -3.0  # not the reviewer's
    assert block.version in seen


def test_document_numbering_is_the_handouts_title_is_not_section_one():
    a = _article()
    assert [(n, b.zh) for n, b in a.numbered()] == [
        (0, "标题"),
        (1, "导语。"),
        (2, "重复。"),
        (3, "重复。"),
    ]
    assert a.number(a.blocks[3]) == 3
    assert [section_label(n) for n, _ in a.numbered()] == ["title", "§1", "§2", "§3"]
    untitled = Article(blocks=a.blocks[1:])
    assert [n for n, _ in untitled.numbered()] == [1, 2, 3]


def test_document_page_metadata_round_trips_and_is_validated():
    a = _article()
    a.outlet, a.author = "新华网", "记者 张三"
    a.credits = ["原文链接：https://example.org/o"]
    a.dropped = [Dropped("分享到微博", "share bar")]
    a.glossary = [{"zh": "阿拉木图", "en": "Almaty", "note": ""}]
    assert Article.from_json(a.to_json()) == a
    assert "outlet" not in json.loads(_article().to_json())  # absent when unknown
    for key, bad in (
        ("outlet", 3),
        ("credits", "x"),
        ("dropped", [{"text": 1}]),
        ("glossary", [{"zh": "", "en": "x"}]),
        ("glossary", [{"zh": "词", "en": 5}]),
    ):
        data = json.loads(a.to_json())
        data[key] = bad
        with pytest.raises(ProjectError, match=key):
            Article.from_dict(data)


def test_document_ids_are_stable_and_unique():
    a, b = _article(), _article()
    assert [x.id for x in a.blocks] == [x.id for x in b.blocks]
    assert a.blocks[2].id == block_id("重复。")
    assert a.blocks[3].id == block_id("重复。") + "-2"
    assert block_id("标题") != block_id("标题二")


@pytest.mark.parametrize(
    "text, message",
    [
        ("{", "not valid JSON"),
        ("[]", "not a bilingual project file"),
        ('{"blocks": []}', "schema_version"),
        ('{"schema_version": 99, "blocks": []}', "upgrade bilingual"),
        ('{"schema_version": 1, "blocks": [{"id": "x"}]}', "malformed block x"),
        ('{"schema_version": 1, "blocks": [{"id": "x", "kind": "poem", "zh": "诗"}]}', "poem"),
    ],
)
def test_document_rejects_malformed_project(text, message):
    with pytest.raises(ProjectError, match=message):
        Article.from_json(text)


@given(
    st.lists(
        st.tuples(st.sampled_from(list(Kind)), st.text(min_size=1), st.none() | st.text()),
        max_size=8,
    ),
    st.none() | st.text(),
)
def test_document_round_trip_property(items, url):
    a = Article(
        blocks=[Block(kind=k, zh=zh, en=en) for k, zh, en in items],
        source_url=url,
    )
    assert Article.from_json(a.to_json()) == a


@pytest.mark.parametrize(
    "block, message",
    [
        ({"id": "x", "kind": "paragraph"}, "no 'zh' field"),
        ({"id": "x", "kind": "paragraph", "zh": "字", "score": "high"}, "score must be a number"),
        ({"id": "x", "kind": "paragraph", "zh": "字", "flags": ["oops"]}, "flags must be a list"),
    ],
)
def test_document_block_errors_speak_plainly(block, message):
    with pytest.raises(ProjectError, match=message):
        Article.from_dict({"schema_version": 1, "blocks": [block]})
