from __future__ import annotations

import math
import os
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from bilingual.cli import cli
from bilingual.document import Article, Block, Flag, Kind, Status
from bilingual.engines.base import Engine, Result
from bilingual.errors import ModelNotInstalled, ProjectChanged, ReviewError
from bilingual.memory import Memory
from bilingual.review.session import ReviewSession, normalize_english, review_order
from bilingual.translation.run import Route, translate_articles

NAME = "Kassym-Jomart Tokayev"


def make_article() -> Article:
    return Article(
        blocks=[
            Block(Kind.TITLE, "哈萨克斯坦危机持续", en="Kazakhstan crisis goes on", score=-0.2),
            Block(Kind.PARAGRAPH, "第一段说了一件事。", en="The first paragraph.", score=-0.3),
            Block(
                Kind.PARAGRAPH,
                "第二段说，2000人被捕。",
                en="The second paragraph says people were arrested.",
                score=-1.5,
                flags=[Flag("number-mismatch", "not in the English with the same value: 2000")],
            ),
            Block(
                Kind.PARAGRAPH,
                "第三段很短。",
                en="Third.",
                score=-0.9,
                flags=[Flag("length-ratio", "English is 0.4x the Chinese length: too short?")],
            ),
            Block(
                Kind.PARAGRAPH,
                f"总统托卡耶夫（{NAME}）今天表示。",
                en=f"{NAME} said today.",
                score=-0.4,
            ),
        ],
        provenance={"tool": "bilingual", "model": {"package": "fake", "version": "1"}},
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    article = make_article()
    for b in article.blocks:
        b.status = Status.MACHINE
    path = tmp_path / "p.json"
    path.write_text(article.to_json(), encoding="utf-8")
    return path


@pytest.fixture
def memory_path(tmp_path: Path) -> Path:
    return tmp_path / "memory.sqlite3"


class FakeEngine(Engine):
    """Echoes its input (so placeholders survive) with a marker; n-best adds one that drops them."""

    name = "fake"

    def __init__(self) -> None:
        self.calls: list[str] = []

    def translate_batch(self, segments: list[str]) -> list[Result]:
        self.calls.extend(segments)
        return [Result(f"new {s}", -0.25) for s in segments]

    def alternatives(self, segment: str, n: int = 4) -> list[Result]:
        self.calls.append(segment)
        dropped = re.sub(r"QZ\d+", "", segment)
        found = [Result(f"v{k} {segment}", -0.2 * (k + 1)) for k in range(n - 1)]
        return [*found, Result(f"lost {dropped}", -0.1)]

    def signature(self) -> dict:
        return {"engine": "fake", "from_code": "zh", "to_code": "en"}


def fake_routes(engine: Engine):
    return lambda article: Route(engine, engine.signature(), False, "fake")


def run(*args, input=None, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input, env=env)


@pytest.fixture
def fake_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$EDITOR is a script that replaces the English (the first line) and keeps the rest."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import pathlib, sys\n"
        "p = pathlib.Path(sys.argv[1])\n"
        "text = p.read_text(encoding='utf-8')\n"
        "p.write_text('A person wrote\\nthis English.' + text[text.index('\\n'):], "
        "encoding='utf-8')\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("EDITOR", f'"{sys.executable}" "{script}"')
    return script


# The library ---------------------------------------------------------------------------------
def test_review_order_flagged_first_lowest_score_first():
    article = make_article()
    assert review_order(article) == [0, 1, 2, 3, 4]
    assert review_order(article, flagged=True) == [2, 3, 0, 1, 4]
    article.blocks[3].score = None
    assert review_order(article, flagged=True) == [2, 3, 0, 1, 4]
    article.blocks[2].score = None
    article.blocks[3].score = -0.1
    assert review_order(article, flagged=True) == [3, 2, 0, 1, 4]


def test_review_session_resumes_at_first_unreviewed(project, memory_path):
    article = Article.load(project)
    article.blocks[0].status = Status.APPROVED
    article.blocks[1].status = Status.EDITED
    project.write_text(article.to_json(), encoding="utf-8")
    session = ReviewSession(project)
    assert (session.number, session.total, session.block.id) == (3, 5, article.blocks[2].id)
    for b in article.blocks:
        b.status = Status.APPROVED
    project.write_text(article.to_json(), encoding="utf-8")
    assert ReviewSession(project).number == 1


def test_review_session_accept_and_edit_save_and_fill_memory(project, memory_path):
    with Memory(memory_path) as memory:
        session = ReviewSession(project, memory=memory)
        assert session.accept() is True
        assert session.next()
        assert session.edit("  A person's\nEnglish.  ") is Status.EDITED
        assert session.next()
        # Unchanged text counts as approval.
        assert session.edit("The second paragraph says people were arrested.") is Status.APPROVED
        assert session.edit("") is None
        assert session.done == {"approved": 2, "edited": 1}
        human = memory.human(b.zh for b in make_article().blocks)

    saved = Article.load(project)
    assert [b.status for b in saved.blocks] == [
        Status.APPROVED,
        Status.EDITED,
        Status.APPROVED,
        Status.MACHINE,
        Status.MACHINE,
    ]
    assert saved.blocks[1].en == "A person's English."
    # The checks ran again, as `bilingual check` would: the missing 2000 is still missing.
    assert [f.code for f in saved.blocks[2].flags] == ["number-mismatch"]
    assert {h.source: (h.target, h.status) for h in human.values()} == {
        "哈萨克斯坦危机持续": ("Kazakhstan crisis goes on", "approved"),
        "第一段说了一件事。": ("A person's English.", "edited"),
        "第二段说，2000人被捕。": ("The second paragraph says people were arrested.", "approved"),
    }
    assert Path(f"{project}~").exists()


def test_review_session_comment_is_saved_and_keeps_the_english(project):
    session = ReviewSession(project)
    session.jump(3)
    assert session.set_comment("  Ask the desk about 2000.  ") is True
    assert session.set_comment("Ask the desk about 2000.") is False
    saved = Article.load(project).blocks[2]
    assert (saved.comment, saved.status) == ("Ask the desk about 2000.", Status.MACHINE)
    assert session.set_comment("") is True
    assert Article.load(project).blocks[2].comment is None


def test_review_session_accept_needs_english_and_leaves_reviewed_alone(project):
    article = Article.load(project)
    article.blocks[0].en, article.blocks[0].status = None, Status.NEW
    article.blocks[1].status = Status.EDITED
    project.write_text(article.to_json(), encoding="utf-8")
    session = ReviewSession(project)
    with pytest.raises(ReviewError, match="no English yet"):
        session.accept()
    session.next()
    assert session.accept() is False
    assert Article.load(project).blocks[1].status is Status.EDITED


def test_review_session_navigation_bounds(project):
    session = ReviewSession(project)
    assert session.previous() is False
    session.jump(5)
    assert session.next() is False
    with pytest.raises(ReviewError, match="choose 1 to 5"):
        session.jump(6)


def test_review_alternatives_keep_names_and_are_lazy(project):
    engine = FakeEngine()
    calls: list[str] = []

    def routes(article):
        calls.append("planned")
        return fake_routes(engine)(article)

    session = ReviewSession(project, routes=routes)
    session.accept()
    assert calls == [] and engine.calls == []  # no engine until asked
    session.jump(5)
    options = session.alternatives(4)
    assert calls == ["planned"]
    assert options and all(NAME in o.text for o in options)
    assert not any(o.text.startswith("lost") for o in options)
    # Each version carries the model's score, best first, and the confidence it stands for.
    scores = [o.score for o in options]
    assert all(x is not None and x < 0 for x in scores) and scores == sorted(scores, reverse=True)
    assert options[0].confidence == pytest.approx(math.exp(options[0].score))
    assert session.choose(options[1].text) is Status.EDITED
    assert Article.load(project).blocks[4].en == options[1].text


def test_review_alternatives_without_engine_is_a_clear_error(project):
    with pytest.raises(ModelNotInstalled):
        ReviewSession(project).alternatives()
    session = ReviewSession(project, routes=lambda a: Route(None, {}, False, "memory only"))
    with pytest.raises(ModelNotInstalled, match="models install"):
        session.alternatives()


def test_review_retranslate_uses_the_engine_not_the_human_memory(project, memory_path):
    engine = FakeEngine()
    with Memory(memory_path) as memory:
        memory.store_human("第一段说了一件事。", "Human English.", "edited")
        session = ReviewSession(project, memory=memory, routes=fake_routes(engine))
        session.jump(2)
        block = session.retranslate()
        assert block.status is Status.MACHINE
        assert block.en and block.en.startswith("new ") and block.score == -0.25
        assert engine.calls == ["第一段说了一件事。"]  # only this paragraph went to the engine
        # The block was not reviewed: another project's human entry for the text stays.
        assert memory.human(["第一段说了一件事。"])["第一段说了一件事。"].target == "Human English."
        session.edit("My own version.")
        assert (
            memory.human(["第一段说了一件事。"])["第一段说了一件事。"].target == "My own version."
        )
        session.jump(2)
        session.retranslate()
        # The reviewer discarded their version: a later translate must not bring it back.
        assert memory.human(["第一段说了一件事。"]) == {}
    saved = Article.load(project)
    assert saved.blocks[1].en == block.en
    assert [b.en for b in saved.blocks[2:]] == [b.en for b in make_article().blocks[2:]]
    assert session.done["retranslated"] == 2


def test_review_save_failure_between_write_and_rename_keeps_project_and_backup(
    project, monkeypatch
):
    original = project.read_bytes()
    session = ReviewSession(project)
    session.accept()
    after_first = project.read_bytes()
    assert Path(f"{project}~").read_bytes() == original

    real_replace = os.replace

    def failing_replace(src, dst, *args, **kwargs):
        if Path(dst) == project:
            raise OSError(28, "No space left on device")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", failing_replace)
    session.next()
    from bilingual.errors import FileSystemError

    with pytest.raises(FileSystemError, match="no space left"):
        session.edit("Lost in a crash?")
    monkeypatch.setattr(os, "replace", real_replace)

    assert project.read_bytes() == after_first  # intact: the old version, not half a new one
    assert Path(f"{project}~").exists()
    assert Article.from_json(Path(f"{project}~").read_text(encoding="utf-8"))
    assert sorted(p.name for p in project.parent.iterdir()) == ["p.json", "p.json~"]
    # The session is back in step with the file: the failed edit is not half-applied.
    assert session.block.status is Status.MACHINE
    assert session.edit("Now it saves.") is Status.EDITED
    assert Article.load(project).blocks[1].en == "Now it saves."


def test_review_refuses_to_overwrite_a_project_changed_on_disk(project):
    session = ReviewSession(project)
    changed = Article.load(project)
    changed.blocks[0].en = "Changed by someone else, longer than before."
    project.write_text(changed.to_json(), encoding="utf-8")
    with pytest.raises(ProjectChanged, match="changed on disk"):
        session.accept()
    assert Article.load(project).blocks[0].en == "Changed by someone else, longer than before."


def test_review_edits_win_in_a_later_translation(project, memory_path):
    with Memory(memory_path) as memory:
        session = ReviewSession(project, memory=memory)
        session.edit("Reviewed title.")
        # A fresh copy of the same article (say, read again from its source) translated later:
        fresh = make_article()
        for b in fresh.blocks:
            b.en, b.status = None, Status.NEW
        engine = FakeEngine()
        report = translate_articles([fresh], fake_routes(engine), memory=memory)
    assert report.human == 1
    assert (fresh.blocks[0].en, fresh.blocks[0].status) == ("Reviewed title.", Status.EDITED)
    assert "哈萨克斯坦危机持续" not in engine.calls
    assert fresh.blocks[1].status is Status.MACHINE


def test_normalize_english_joins_wrapped_lines():
    assert normalize_english(" One\n two\t three \n") == "One two three"


# The command ---------------------------------------------------------------------------------
def test_review_cli_accept_edit_quit_and_resume(project, memory_path, fake_editor):
    r = run("review", project, "--memory", memory_path, input="aeyq")
    assert r.exit_code == 0, r.output
    out = r.output
    assert "[title] title · machine · score -0.20" in out
    assert "0 of 4 reviewed" in out and "1 of 4 reviewed" in out
    assert "ZH  哈萨克斯坦危机持续" in out and "EN  Kazakhstan crisis goes on" in out
    # What was saved is shown, with what the checks say of it now.
    assert "✓ title saved: approved.\n  EN  Kazakhstan crisis goes on\n  No flags." in out
    assert "✓ §1 saved: edited.\n  EN  A person wrote this English." in out
    assert "[§1] paragraph · machine" in out and "[§2] paragraph · machine" in out
    assert "⚑ A number differs: 2000" in out
    assert "This session: 1 approved, 1 edited. Reviewed 1 of 4 paragraphs; 3 to go." in out

    saved = Article.load(project)
    assert saved.blocks[0].status is Status.APPROVED
    assert (saved.blocks[1].en, saved.blocks[1].status) == (
        "A person wrote this English.",
        Status.EDITED,
    )
    with Memory(memory_path) as m:
        assert {(e.target, e.status) for e in m.all_human()} == {
            ("Kazakhstan crisis goes on", "approved"),
            ("A person wrote this English.", "edited"),
        }

    again = run("review", project, "--memory", memory_path, input="q")
    assert again.exit_code == 0, again.output
    assert "[§2] paragraph · machine" in again.output
    assert "[title]" not in again.output
    assert "This session: nothing changed. Reviewed 1 of 4 paragraphs; 3 to go." in again.output


def test_review_cli_inline_edit_without_editor(project, memory_path):
    r = run("review", project, "--memory", memory_path, input="eTyped inline.\nye\nq")
    assert r.exit_code == 0, r.output
    assert "Edit the English; Enter saves, an empty line cancels." in r.output
    assert "Nothing changed." in r.output
    assert Article.load(project).blocks[0].en == "Typed inline."
    assert Article.load(project).blocks[1].status is Status.MACHINE


def test_review_cli_an_edit_left_unconfirmed_is_a_draft(project, memory_path, fake_editor):
    """Draft and confirmed in the terminal: d keeps the edit as a draft (shown, not counted,
    not in the memory); a confirms it later."""
    r = run("review", project, "--memory", memory_path, input="edq")
    assert r.exit_code == 0, r.output
    assert "Confirm this English? y or Enter: confirm" in r.output
    assert "✎ title: draft kept, not confirmed (a confirms it, e edits it)." in r.output
    assert "✎   A person wrote this English. (draft: a confirms it)" in r.output
    assert "This session: 1 draft kept." in r.output
    assert "0 of 4 reviewed" in r.output
    saved = Article.load(project).blocks[0]
    assert (saved.draft, saved.status) == ("A person wrote this English.", Status.MACHINE)
    with Memory(memory_path) as m:
        assert m.all_human() == []
    # Another key than y or d discards the edit: nothing saved.
    before = project.read_bytes()
    r = run("review", project, "--memory", memory_path, input="npexq")
    assert "Discarded; nothing changed." in r.output and project.read_bytes() == before
    # a confirms the draft: edited, counted, into the memory with its project.
    r = run("review", project, "--memory", memory_path, input="paq")
    assert "✓ title saved: draft confirmed, edited." in r.output
    saved = Article.load(project).blocks[0]
    assert (saved.en, saved.status, saved.draft) == (
        "A person wrote this English.",
        Status.EDITED,
        None,
    )
    with Memory(memory_path) as m:
        (entry,) = m.all_human()
        assert entry.target == "A person wrote this English." and entry.project == str(
            project.resolve()
        )


def test_review_cli_comment(project):
    r = run("review", project, "--no-memory", input="nnc Ask the desk about 2000. \nq")
    assert r.exit_code == 0, r.output
    assert "✓ §2: comment saved." in r.output
    assert "//  Ask the desk about 2000." in r.output
    saved = Article.load(project).blocks[2]
    assert (saved.comment, saved.status) == ("Ask the desk about 2000.", Status.MACHINE)


def test_review_cli_editor_closed_without_saving_changes_nothing(
    project, memory_path, tmp_path, monkeypatch
):
    script = tmp_path / "noop.py"
    script.write_text("pass\n", encoding="utf-8")
    monkeypatch.setenv("EDITOR", f'"{sys.executable}" "{script}"')
    before = project.read_bytes()
    r = run("review", project, "--memory", memory_path, input="eq")
    assert r.exit_code == 0, r.output
    assert "Not saved in the editor; nothing changed." in r.output
    assert project.read_bytes() == before


def test_review_cli_navigation_and_flagged(project):
    r = run("review", project, "--no-memory", "--flagged", input="png9\ng4\nnx")
    assert r.exit_code == 0, r.output
    out = r.output
    assert "[§2 (1/5 in this order)]" in out
    assert "This is the first paragraph." in out
    assert "[§3 (2/5 in this order)]" in out
    assert "Error: no §9: choose 1 to 4 (0 for the title)" in out
    assert "[§4 (5/5 in this order)] paragraph" in out
    assert "This is the last paragraph (q to quit)." in out
    assert "a approve (or confirm the draft) · e edit · l alternatives" in out
    # End of input works like q: everything was saved already.
    assert "This session: nothing changed." in out


def test_review_cli_accept_without_english_is_an_error_not_a_crash(project):
    article = Article.load(project)
    article.blocks[0].en, article.blocks[0].status = None, Status.NEW
    project.write_text(article.to_json(), encoding="utf-8")
    r = run("review", project, "--no-memory", input="aq")
    assert r.exit_code == 0, r.output
    assert "EN  (not translated yet)" in r.output
    assert "nothing to accept: this paragraph has no English yet (edit it)" in r.output


def test_review_cli_alternatives_and_retranslate_with_the_tiny_model(project, installed):
    r = run("review", project, "--no-memory", input="l1ryq")
    assert r.exit_code == 0, r.output
    assert "Asking the model for alternatives..." in r.output
    assert "  1. hello world" in r.output
    assert re.search(r"\(#1 of the model · confidence \d+% · ", r.output)  # the n-best's score
    assert "✓ title saved: edited.\n  EN  hello world" in r.output
    # The chosen English was checked again, as `check` would.
    assert "Length looks wrong" in r.output or "No flags." in r.output
    assert "  before  The first paragraph.\n  after   hello world" in r.output
    assert "✓ §1 saved: retranslated." in r.output
    saved = Article.load(project)
    assert saved.blocks[0].en == "hello world" and saved.blocks[0].status is Status.EDITED
    assert saved.blocks[1].en == "hello world" and saved.blocks[1].status is Status.MACHINE


def test_review_cli_retranslation_not_taken_changes_nothing(project, monkeypatch):
    from bilingual.cli import review as cli_review

    engine = FakeEngine()
    before = project.read_bytes()
    monkeypatch.setattr(cli_review, "_lazy_routes", lambda memory: fake_routes(engine))
    r = run("review", project, "--no-memory", input="rnq")
    assert r.exit_code == 0, r.output
    assert "Kept the current English." in r.output
    assert project.read_bytes() == before


def test_review_cli_reports_missing_model_and_goes_on(project):
    r = run("review", project, "--no-memory", input="lrq")
    assert r.exit_code == 0, r.output
    assert r.output.count("bilingual models install zh en") == 2


def test_review_cli_failed_save_says_so_and_goes_on(project, monkeypatch):
    real_replace = os.replace

    def failing_replace(src, dst, *args, **kwargs):
        if Path(dst) == project:
            raise OSError(28, "No space left on device")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", failing_replace)
    before = project.read_bytes()
    r = run("review", project, "--no-memory", input="aq")
    assert r.exit_code == 0, r.output
    assert "no space left on the device" in r.output
    assert project.read_bytes() == before


@pytest.mark.parametrize("columns", [80, 120])
def test_review_cli_fits_the_terminal_width(tmp_path, columns):
    from conftest import SEED

    from bilingual.cli.wrap import NO_START, width

    project = tmp_path / "seed.json"
    r = run("parse", SEED, "--json")
    article = Article.from_json(r.output)
    for b in article.blocks:
        b.en, b.status = f"English of {b.zh[:30]}, " * 6, Status.MACHINE
    project.write_text(article.to_json(), encoding="utf-8")
    out = run("review", project, "--no-memory", input="nnq", env={"COLUMNS": str(columns)}).output
    lines = out.splitlines()
    assert "[§2] paragraph · machine" in out and "0 of 22 reviewed" in out
    assert max(width(line) for line in lines) <= columns
    assert not [line for line in lines if line.startswith("    ") and line[4:5] in NO_START]
    assert any(line.startswith("    ") for line in lines)  # continuation lines are indented


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no such project file"),
        ("{", "not valid JSON"),
        ('{"schema_version": 1, "blocks": []}', "no paragraphs to review"),
    ],
)
def test_review_cli_bad_projects(tmp_path, content, message):
    path = tmp_path / "x.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    r = run("review", path, "--no-memory", input="q")
    assert r.exit_code == 2
    assert message in r.output


def test_review_retranslate_and_alternatives_use_the_glossary(project, tmp_path):
    from bilingual.names.glossary import load_glossary

    glossary_file = tmp_path / "g.csv"
    glossary_file.write_text("第一段,Paragraph One\n", encoding="utf-8")
    engine = FakeEngine()
    session = ReviewSession(
        project, routes=fake_routes(engine), glossary=load_glossary(glossary_file)
    )
    session.jump(2)
    assert all("Paragraph One" in o.text for o in session.alternatives(3))
    block = session.retranslate()
    assert "Paragraph One" in (block.en or "")
    assert "第一段" not in "".join(engine.calls)  # the term went to the engine as a placeholder


def test_review_cli_bad_glossary_is_a_clear_error(project, tmp_path):
    r = run("review", project, "--no-memory", "--glossary", tmp_path / "missing.csv")
    assert r.exit_code == 2, r.output
    assert r.output.startswith("Error: ") and "missing.csv" in r.output


def test_review_cli_failing_editor_keeps_the_session(project, tmp_path, monkeypatch):
    editor = tmp_path / "broken-editor"
    editor.write_text("#!/bin/sh\nexit 3\n")
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    r = run("review", project, "--no-memory", input="eaq")
    assert r.exit_code == 0, r.output
    assert "Editing failed" in r.output
    assert Article.load(project).blocks[0].status is Status.APPROVED  # the next key still worked


def test_review_a_chosen_or_edited_english_is_checked_again(project):
    session = ReviewSession(project, routes=fake_routes(FakeEngine()))
    session.jump(3)
    assert session.edit("hello world.") is Status.EDITED
    # `bilingual check` would flag it: so does the review, at once.
    assert [f.code for f in session.block.flags] == ["number-mismatch"]
    assert Article.load(project).blocks[2].flags == session.block.flags
    session.edit("The second paragraph says 2000 people were arrested.")
    assert session.block.flags == []
    # The machine's English is kept for the reviewer's diff, through later edits too.
    assert session.block.mt == "The second paragraph says people were arrested."
    assert Article.load(project).blocks[2].mt == session.block.mt


def test_review_retranslation_is_proposed_before_it_is_taken(project):
    session = ReviewSession(project, routes=fake_routes(FakeEngine()))
    session.jump(2)
    before = project.read_bytes()
    proposal = session.propose_retranslation()
    assert proposal.en != session.block.en and project.read_bytes() == before
    session.take(proposal)
    saved = Article.load(project).blocks[1]
    assert (saved.en, saved.status) == (proposal.en, Status.MACHINE)


_MIXED = st.lists(
    st.one_of(
        st.sampled_from(list("中国说了习近平哈萨克斯坦𠀀，。、“”（）《》：；！？ ")),
        st.from_regex(r"[A-Za-z0-9-]{1,30}[ ,.]?", fullmatch=True),
    ),
    max_size=80,
).map("".join)


@given(text=_MIXED, columns=st.integers(min_value=20, max_value=130))
def test_review_wrap_fits_and_keeps_every_character(text, columns):
    from bilingual.cli.wrap import width, wrap

    lines = wrap(text, columns, first="EN  ")
    assert all(width(line) <= columns for line in lines)
    assert "".join("".join(lines).split()).replace("EN", "", 1) == "".join(text.split())


def test_review_sentence_alignment_comes_from_the_pipeline_and_ends_with_an_edit(tmp_path):
    from conftest import SEED
    from scripted import ScriptedEngine

    from bilingual.readers import read_article
    from bilingual.review.web.state import block_view
    from bilingual.translation.segment import split_sentences

    article = read_article(SEED)
    engine = ScriptedEngine()
    translate_articles([article], lambda _a: Route(engine, engine.signature(), False, "s"))
    lead = article.blocks[1]
    assert len(lead.align) == len(split_sentences(lead.zh)) == 4
    for (z0, z1, e0, e1), sentence in zip(lead.align, split_sentences(lead.zh), strict=True):
        assert lead.zh[z0:z1] == sentence
        assert lead.en[e0:e1] == lead.en[e0:e1].strip() != ""
    # The lead's third sentence holds 2000 and Almaty; so does its English.
    assert "Almaty" in lead.en[lead.align[2][2] : lead.align[2][3]]
    for block in article.blocks:
        ends = [x for z0, z1, e0, e1 in block.align for x in (e0, e1)]
        assert ends == sorted(ends) and len(block.align) >= 1
    assert Article.from_json(article.to_json()) == article  # stored in the project file
    assert block_view(1, lead)["align"] == lead.align

    path = tmp_path / "p.json"
    path.write_text(article.to_json(), encoding="utf-8")
    session = ReviewSession(path)
    session.go_to(1)
    session.edit("One sentence now.")
    assert Article.load(path).blocks[1].align == []  # it described the machine's sentences


def test_review_editor_files_are_ours_and_swept_after_a_kill(project, fake_editor):
    """The $EDITOR file sits in bilingual's cache folder, named after the review's process, so
    one left by a review killed with -9 goes at the next edit; the edit's own file goes too."""
    import subprocess

    from platformdirs import user_cache_path

    folder = user_cache_path("bilingual") / "edits"
    folder.mkdir(parents=True, exist_ok=True)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    leftover = folder / f"edit-{dead.pid}.txt"
    leftover.write_text("an edit the killed review never finished", encoding="utf-8")
    r = run("review", project, "--no-memory", input="eyq")
    assert r.exit_code == 0, r.output
    assert Article.load(project).blocks[0].en == "A person wrote this English."
    assert list(folder.iterdir()) == []


def test_review_added_term_is_kept_in_the_project_and_used_next_time(project):
    from bilingual.names.glossary import Entry

    session = ReviewSession(project, routes=fake_routes(FakeEngine()))
    session.add_term(Entry("第一段", "Paragraph One", "from the reviewer"))
    saved = Article.load(project)
    assert saved.glossary == [{"zh": "第一段", "en": "Paragraph One", "note": "from the reviewer"}]
    # A later review, with no --glossary, finds the term in the project and uses it.
    later = ReviewSession(project, routes=fake_routes(FakeEngine()))
    assert later.document_glossary()["第一段"].en == "Paragraph One"
    later.jump(2)
    assert all("Paragraph One" in o.text for o in later.alternatives(3))
    # Adding the same term again replaces it rather than piling up.
    later.add_term(Entry("第一段", "First Paragraph"))
    assert [t["en"] for t in Article.load(project).glossary] == ["First Paragraph"]


# The terminal as a reviewer sees it ----------------------------------------------------------

LONG_ZH = "哈萨克斯坦总统托卡耶夫今天表示，他已经授权安全部队在镇压抗议活动时无预警开火。" * 12
LONG_EN = (
    "Kazakhstan's president said on Friday that he had authorised the security forces to open "
    "fire without warning in the crackdown on the protests. "
) * 12


def _long_project(tmp_path: Path) -> Path:
    article = make_article()
    for b in article.blocks:
        b.status = Status.MACHINE
    article.blocks[1].zh, article.blocks[1].en = LONG_ZH, LONG_EN  # §1
    article.blocks[2].zh, article.blocks[2].en = LONG_ZH[:400], LONG_EN[:1200]  # §2
    path = tmp_path / "long.json"
    path.write_text(article.to_json(), encoding="utf-8")
    return path


class _Terminal:
    """`bilingual review` in a pseudo-terminal of a fixed size; the screen as a VT100 shows
    it (pyte), read after each key once the screen is drawn (its key legend ends it)."""

    def __init__(self, project: Path, rows: int = 30, columns: int = 80) -> None:
        import pexpect
        import pyte
        from conftest import ROOT

        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.Stream(self.screen)
        env = {
            **os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm", "LINES": "", "COLUMNS": "",
        }  # fmt: skip
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "bilingual", "review", str(project), "--no-memory"],
            env=env,
            dimensions=(rows, columns),
            encoding="utf-8",
            timeout=60,
        )
        self.wait(r"q quit(?:\x1b\[0m)?\r\n")

    def wait(self, pattern: str) -> None:
        self.child.expect(pattern)
        self.stream.feed(self.child.before + self.child.after)

    def press(self, key: str, until: str = r"q quit(?:\x1b\[0m)?\r\n") -> list[str]:
        self.child.send(key)
        self.wait(until)
        return self.lines()

    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]

    def close(self) -> None:
        self.child.send("q")
        self.child.expect(pexpect_eof())
        self.child.close()


def pexpect_eof():
    import pexpect

    return pexpect.EOF


def test_review_terminal_pages_a_long_paragraph_under_its_header(tmp_path):
    """A 30-row terminal: a paragraph longer than the screen comes in pages; every page shows
    the header, the Chinese and the English beside it, and the keys."""
    term = _Terminal(_long_project(tmp_path))
    try:
        first = term.lines()  # the title fits: no pages
        assert first[0].startswith("[title] title · machine") and "Page" not in "".join(first)
        screen = term.press("n")
        assert screen[0].startswith("[§1] paragraph · machine")
        assert screen[0].endswith("0 of 4 reviewed")
        assert screen[2].startswith("ZH  哈萨克斯坦总统托卡耶夫今天表示")
        assert any(line.startswith("EN  Kazakhstan's president said") for line in screen)
        footer = [line for line in screen if line.startswith("Page ")]
        assert footer == ["Page 1 of 2 of this paragraph (space: more, b: back)."]
        assert "space more · b back" in "\n".join(screen)
        # The next page: the header still on top, the Chinese and English continued.
        second = term.press(" ")
        assert second[0] == screen[0] and second[2].startswith("ZH  ")
        assert any(line.startswith("EN  ") for line in second)
        assert "Page 2 of 2 of this paragraph (b: back, n: next paragraph)." in second
        # Across the two pages, the whole paragraph, once, in order.
        zh = en = ""
        for page in (screen, second):
            part = "\n".join(page[2:]).split("\nPage ")[0]
            chinese, english = part.split("\nEN  ")
            zh += "".join(chinese.removeprefix("ZH  ").split())
            en += " " + " ".join(english.split())
        assert zh == LONG_ZH
        assert en.split() == LONG_EN.split()
        assert term.press("b") == screen
    finally:
        term.close()


def test_review_terminal_save_confirmation_stays_above_the_next_paragraph(tmp_path):
    """Approving §1 moves to §2, which is long too: the confirmation stays on the screen, above
    §2's header, and the screen still fits the terminal."""
    term = _Terminal(_long_project(tmp_path))
    try:
        term.press("n")
        screen = term.press("a")
        assert screen[0] == "✓ §1 saved: approved."
        assert screen[1].startswith("  EN  Kazakhstan's president said")
        assert screen[2].endswith("…")  # the English saved, in two lines at most
        header = next(i for i, line in enumerate(screen) if line.startswith("[§2]"))
        assert header <= 5 and screen[header].endswith("1 of 4 reviewed")
        assert screen[header + 2].startswith("⚑ A number differs")
        assert screen[header + 3].startswith("ZH  哈萨克斯坦总统托卡耶夫今天表示")
        assert any("q quit" in line for line in screen)
    finally:
        term.close()


def test_review_screen_fits_lines_when_told_the_height(tmp_path):
    """LINES sets the height where the output is not a terminal (a pager, a test)."""
    out = run(
        "review", _long_project(tmp_path), "--no-memory", input="nq",
        env={"LINES": "30", "COLUMNS": "80"},
    ).output  # fmt: skip
    screens = out.split("[§")
    assert "Page 1 of 2 of this paragraph" in screens[1]
    assert len(("[§" + screens[1]).splitlines()) <= 28


def test_review_summary_counts_one_paragraph_in_the_singular(tmp_path):
    article = Article(blocks=[Block(Kind.PARAGRAPH, "只有一段。", en="Only one.")])
    path = tmp_path / "one.json"
    path.write_text(article.to_json(), encoding="utf-8")
    r = run("review", path, "--no-memory", input="aq")
    assert r.exit_code == 0, r.output
    assert "This session: 1 approved. Reviewed 1 of 1 paragraph; 0 to go." in r.output
    r = run("review", path, "--no-memory", input="q")
    assert "The paragraph is reviewed already." in r.output
