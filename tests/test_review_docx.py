"""The review handout (`export --for review`) and its way back (`import FILE.docx PROJECT.json`)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import SEED, needs_libreoffice, sample
from docx.oxml.ns import qn

from bilingual.cli import cli
from bilingual.document import Article, Flag, Status
from bilingual.exchange.review_docx import HEADERS, REVIEW_CATEGORY, project_key
from bilingual.readers import read_article

EDITED_EN = "Xinhua said Beijing opposes any force that destabilises Kazakhstan."


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _article(src: Path = SEED) -> Article:
    article = read_article(src)
    for i, block in enumerate(article.blocks):
        block.en = f"English {i}: Kassym-Jomart Tokayev said something about block {i}."
        block.status = Status.MACHINE
    article.blocks[3].status = Status.APPROVED
    article.blocks[4].flags = [
        Flag("number-mismatch", "not in the English with the same value: 2000")
    ]
    article.blocks[5].comment = "Ask the desk about the agency name."
    article.blocks[6].en, article.blocks[6].status = None, Status.NEW
    return article


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "kazakhstan.json"
    path.write_text(_article().to_json(), encoding="utf-8")
    return path


def _export(project: Path, out: Path) -> Path:
    r = run("export", project, "--for", "review", "-o", out)
    assert r.exit_code == 0, r.output
    return out


def _table(doc):
    (table,) = doc.tables
    return table


def _set(cell, text: str) -> None:
    """Replace a cell's text as a reviewer typing in Word would."""
    for p in cell.paragraphs[1:]:
        p._p.getparent().remove(p._p)
    p = cell.paragraphs[0]
    for r in p.runs:
        r._r.getparent().remove(r._r)
    p.add_run(text)


def _edit_english(handout: Path, row: int, text: str = EDITED_EN) -> None:
    """Type new English into a table row of the handout, confirm it ("approved" in its Status
    cell, as the handout asks), and save it."""
    doc = docx.Document(str(handout))
    _set(_table(doc).rows[row].cells[3], text)
    _set(_table(doc).rows[row].cells[1], "approved")
    doc.save(str(handout))


def _libreoffice_resave(path: Path, tmp_path: Path) -> Path:
    """Open and save the DOCX in LibreOffice, as a reviewer's word processor would."""
    out = tmp_path / "resaved"
    profile = (tmp_path / "lo-profile").as_uri()
    soffice = shutil.which("soffice") or "soffice"
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx",
         "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    resaved = out / path.name
    assert resaved.exists()
    return resaved


# -- the handout -------------------------------------------------------------------------------


def test_review_docx_columns_status_flags_comment_and_hidden_ids(tmp_path, project):
    article = Article.load(project)
    doc = docx.Document(str(_export(project, tmp_path / "r.docx")))
    table = _table(doc)
    assert tuple(c.text for c in table.rows[0].cells) == HEADERS
    assert len(table.rows) == 1 + len(article.blocks)  # the title is a row too: it is translated
    title, first = table.rows[1].cells, table.rows[2].cells
    assert title[0].paragraphs[0].runs[0].text == "title"
    assert first[0].paragraphs[0].runs[0].text == "§1"
    hidden = first[0].paragraphs[0].runs[1]
    assert hidden.font.hidden and hidden.text.startswith(f"bilingual:{article.blocks[1].id}:")
    assert [r.cells[1].paragraphs[0].text for r in table.rows[3:8]] == [
        "machine", "approved ✓", "machine", "machine", "not translated"
    ]  # fmt: skip
    assert table.rows[5].cells[1].paragraphs[1].text == (
        "⚑ A number differs between the Chinese and the English (2000)."
    )
    assert table.rows[6].cells[4].text == "Ask the desk about the agency name."
    assert table.rows[7].cells[3].text == ""  # not translated: an empty cell to write in
    props = doc.core_properties
    assert props.category == REVIEW_CATEGORY and props.content_status == project_key(article)
    assert doc.sections[0].page_width > doc.sections[0].page_height  # landscape: five columns


def test_review_html_has_the_same_columns(tmp_path, project):
    out = tmp_path / "r.html"
    r = run("export", project, "--for", "review", "-o", out)
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    for header in HEADERS:
        assert f">{header}</th>" in text
    assert "A number differs between the Chinese and the English (2000)." in text
    assert "Ask the desk about the agency name." in text


@pytest.mark.parametrize(
    "flags, comment, expected_mm",
    [
        (False, False, (10, 22, 26)),  # "machine", "approved ✓": a narrow Status, room to write
        (True, False, (10, 36, 26)),  # the checks' findings need the width
        (True, True, (10, 36, 40)),  # comments written already
    ],
)
def test_review_docx_columns_are_sized_to_what_they_hold(tmp_path, flags, comment, expected_mm):
    from docx.shared import Mm

    article = _article()
    for block in article.blocks:
        block.flags = block.flags if flags else []
        block.comment = block.comment if comment else None
    path = tmp_path / "p.json"
    path.write_text(article.to_json(), encoding="utf-8")
    table = _table(docx.Document(str(_export(path, tmp_path / "r.docx"))))
    widths = [c.width for c in table.columns]
    assert [round(w / Mm(1)) for w in (widths[0], widths[1], widths[4])] == list(expected_mm)
    assert round(sum(widths) / Mm(1)) == 297 - 36  # A4 landscape between the margins
    assert widths[2] + widths[3] > sum(widths) * 0.6  # the text gets the room


def test_review_docx_flags_quote_leftover_chinese_briefly(tmp_path):
    """The leftover Chinese is quoted, a few characters of it, not pasted in full."""
    article = _article()
    left = "哈萨克斯坦的主要城市阿拉木图爆发了新的暴力事件 周四 路透社说"
    article.blocks[2].flags = [
        Flag("leftover-chinese", f"Chinese left in the English: {left}"),
        Flag("name-missing", "not in the English: Kassym-Jomart Tokayev, Collective Security "
             "Treaty Organisation, CSTO"),
        Flag("repetition", "a phrase repeats: " + "the unrest over fuel prices " * 4),
    ]  # fmt: skip
    path = tmp_path / "p.json"
    path.write_text(article.to_json(), encoding="utf-8")
    status = _table(docx.Document(str(_export(path, tmp_path / "r.docx")))).rows[3].cells[1]
    assert [p.text for p in status.paragraphs[1:]] == [
        "⚑ Some Chinese was left untranslated (“哈萨克斯坦的主…”, “周四” and 1 more).",
        "⚑ A name in the Chinese is missing from the English (Kassym-Jomart Tokayev, "
        "Collective Security Tre… and 1 more).",
        "⚑ The English repeats itself (the unrest over fuel prices the unrest over fue…).",
    ]


def _long_first_paragraph(tmp_path: Path) -> Path:
    article = _article()
    body = article.body
    body[0].zh = "".join(b.zh for b in body[:12])
    body[0].en = " ".join(f"English of paragraph {i}, " * 12 for i in range(12))
    path = tmp_path / "long.json"
    path.write_text(article.to_json(), encoding="utf-8")
    return path


def test_review_docx_long_rows_may_break_short_ones_stay_whole(tmp_path):
    table = _table(
        docx.Document(str(_export(_long_first_paragraph(tmp_path), tmp_path / "r.docx")))
    )
    whole = [r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows]
    assert whole[0] and whole[1]  # the header, the title
    assert not whole[2]  # §1, longer than a third of a page
    assert all(whole[3:])


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_review_handout_long_first_row_starts_on_page_one(tmp_path, fmt):
    """Printed (LibreOffice for the DOCX, Chromium for the HTML): §1 starts under the title,
    it does not leave page 1 blank by moving whole to page 2."""
    project = _long_first_paragraph(tmp_path)
    out = tmp_path / f"r.{fmt}"
    assert run("export", project, "--for", "review", "-o", out).exit_code == 0
    pdf = tmp_path / "r.pdf"
    if fmt == "docx":
        profile = (tmp_path / "lo-profile").as_uri()
        subprocess.run(
            [shutil.which("soffice") or "soffice", f"-env:UserInstallation={profile}",
             "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
    else:
        subprocess.run(
            [shutil.which("chromium") or "chromium", "--headless", "--no-sandbox",
             "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
             f"--print-to-pdf={pdf}", out.as_uri()],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "§1" in first and "English of paragraph 0" in first


# -- the way back ------------------------------------------------------------------------------


@needs_libreoffice
def test_review_docx_edited_and_resaved_by_libreoffice_imports_back(tmp_path, project):
    handout = _export(project, tmp_path / "review.docx")
    doc = docx.Document(str(handout))
    rows = _table(doc).rows
    _set(rows[3].cells[3], EDITED_EN)  # §2: new English, confirmed
    _set(rows[3].cells[1], "Approved")
    _set(rows[5].cells[3], "A first try, not final.")  # §4: new English left unconfirmed
    _set(rows[8].cells[4], "Tokayev's title is right.")  # §7: a new comment
    _set(rows[9].cells[1], "approved")  # §8: approved as it is
    doc.save(str(handout))
    resaved = _libreoffice_resave(handout, tmp_path)
    before = project.read_bytes()

    r = run("import", resaved, project, "--dry-run", "--no-memory")
    assert r.exit_code == 0, r.output
    assert r.output.startswith("dry run, nothing written: 2 updated (1 edited, 1 approved)")
    assert project.read_bytes() == before

    r = run("import", resaved, project, "--no-memory")
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == [
        "2 updated (1 edited, 1 approved), 1 draft (changed, not confirmed: confirm in "
        "`bilingual review`), 20 unchanged, 0 conflicts, 1 comment taken",
        f"saved {project} (previous version: {project}~)",
    ]
    article = Article.load(project)
    edited = article.blocks[2]
    assert (edited.en, edited.status) == (EDITED_EN, Status.EDITED)
    assert edited.mt == "English 2: Kassym-Jomart Tokayev said something about block 2."
    assert article.blocks[7].comment == "Tokayev's title is right."
    assert article.blocks[5].comment == "Ask the desk about the agency name."  # kept
    assert article.blocks[8].status is Status.APPROVED
    assert article.blocks[6].en is None  # an empty English cell changes nothing
    # Corrected without "approved": a draft, neither counted nor the English of the handout.
    draft = article.blocks[4]
    assert draft.draft == "A first try, not final." and draft.status is Status.MACHINE
    # Imported twice: nothing new.
    r = run("import", resaved, project, "--no-memory")
    assert r.output.startswith("0 updated, 23 unchanged, 0 conflicts"), r.output


def test_review_docx_three_way_merge_keeps_a_project_edit(tmp_path, project):
    handout = _export(project, tmp_path / "review.docx")
    _edit_english(handout, 3)
    article = Article.load(project)
    article.blocks[2].en, article.blocks[2].status = "Edited here meanwhile.", Status.EDITED
    project.write_text(article.to_json(), encoding="utf-8")
    r = run("import", handout, project, "--no-memory")
    assert r.exit_code == 0, r.output
    assert (
        f"conflict {article.blocks[2].id}: its English changed both in the project and in the "
        "review handout; left as it is"
    ) in r.output
    assert Article.load(project).blocks[2].en == "Edited here meanwhile."


def _broken_cell(path: Path) -> None:
    doc = docx.Document(str(path))
    tr = _table(doc).rows[4]._tr
    tr.remove(tr.tc_lst[-1])
    doc.save(str(path))


def _lost_id(path: Path) -> None:
    doc = docx.Document(str(path))
    cell = _table(doc).rows[2].cells[0]
    _set(cell, "§1")
    doc.save(str(path))


def _foreign(path: Path) -> None:
    doc = docx.Document()
    doc.add_paragraph("A letter, not a handout.")
    doc.save(str(path))


def _garbage(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04 this is no zip archive")


def _header_changed(path: Path) -> None:
    doc = docx.Document(str(path))
    _set(_table(doc).rows[0].cells[3], "Translation")
    doc.save(str(path))


@pytest.mark.parametrize(
    "damage, message",
    [
        (_broken_cell, "its review table is broken (row §3 has 4 cells, not 5, or merged ones)"),
        (_lost_id, "row §1 of its review table lost its hidden paragraph id"),
        (_foreign, "not a bilingual review handout (write one with: bilingual export"),
        (_garbage, "not a readable DOCX file (not a ZIP archive)"),
        (_header_changed, "its review table is missing or its header row"),
    ],
)
def test_review_docx_damaged_or_foreign_changes_nothing(tmp_path, project, damage, message):
    handout = _export(project, tmp_path / "review.docx")
    _edit_english(handout, 3)  # an edit that must not land
    damage(handout)
    before = project.read_bytes()
    r = run("import", handout, project, "--no-memory")
    assert r.exit_code == 2, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {handout}: ") and message in lines[0]
    assert project.read_bytes() == before
    assert not Path(f"{project}~").exists()


def test_review_docx_of_another_project_changes_nothing(tmp_path, project):
    other = tmp_path / "other.json"
    other.write_text(_article(sample("traditional.txt")).to_json(), encoding="utf-8")
    handout = _export(other, tmp_path / "other.docx")
    before = project.read_bytes()
    r = run("import", handout, project)
    assert r.exit_code == 2
    assert "a review handout of another project; nothing changed" in r.output
    assert project.read_bytes() == before


def test_review_docx_without_project_property_still_matches_by_id(tmp_path, project):
    """A word processor that drops the properties: the ids still say which paragraphs."""
    handout = _export(project, tmp_path / "review.docx")
    doc = docx.Document(str(handout))
    doc.core_properties.content_status = ""
    doc.core_properties.category = ""
    _set(_table(doc).rows[3].cells[3], EDITED_EN)
    _set(_table(doc).rows[3].cells[1], "approved")
    doc.save(str(handout))
    r = run("import", handout, project, "--no-memory")
    assert r.exit_code == 0, r.output
    assert Article.load(project).blocks[2].en == EDITED_EN


def test_review_docx_reader_handout_is_not_a_review(tmp_path, project):
    reader = tmp_path / "reader.docx"
    assert run("export", project, "-o", reader).exit_code == 0
    r = run("import", reader, project)
    assert r.exit_code == 2 and "not a bilingual review handout" in r.output


def test_review_docx_hidden_run_is_hidden(tmp_path, project):
    handout = _export(project, tmp_path / "review.docx")
    body = docx.Document(str(handout)).element.body
    vanished = [
        r for r in body.iter(qn("w:r")) if r.find(f"{qn('w:rPr')}/{qn('w:vanish')}") is not None
    ]
    assert len(vanished) == len(Article.load(project).blocks)


def test_translate_writes_a_review_handout_that_imports_back(installed, tmp_path):
    """translate --for review: the same handout from a fresh run, with the tiny real model."""
    project, handout = tmp_path / "p.json", tmp_path / "review.docx"
    memory = tmp_path / "m.sqlite3"
    assert run("translate", SEED, "-o", project, "--memory", memory, "-q").exit_code == 0
    r = run("translate", SEED, "-o", handout, "--for", "review", "--memory", memory, "-q")
    assert r.exit_code == 0, r.output
    assert tuple(c.text for c in _table(docx.Document(str(handout))).rows[0].cells) == HEADERS
    _edit_english(handout, 2)
    r = run("import", handout, project, "--no-memory")
    assert r.exit_code == 0, r.output
    assert Article.load(project).blocks[1].en == EDITED_EN


def test_translate_to_pdf_without_libreoffice_stops_before_translating(tmp_path, monkeypatch):
    import bilingual.writers.pdf as pdf

    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    monkeypatch.setattr(pdf, "_KNOWN", ())
    r = run("translate", SEED, "-o", tmp_path / "h.pdf", "--no-memory")  # no model installed
    assert r.exit_code == 2, r.output
    assert "PDF output needs LibreOffice, which is not installed" in r.output
    assert "model" not in r.output.lower()
