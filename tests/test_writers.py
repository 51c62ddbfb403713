from __future__ import annotations

import copy
import io
import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import SEED, needs, needs_libreoffice, needs_poppler, sample
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Inches, Mm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilingual.cli import cli
from bilingual.document import Article, Flag, Kind, Status
from bilingual.errors import OutputExists, UnsupportedOutput
from bilingual.provenance import Provenance, review_notice
from bilingual.readers import read_article
from bilingual.textutil import format_date
from bilingual.writers import (
    WRITERS,
    Audience,
    HandoutOptions,
    Layout,
    Paper,
    format_for,
    write_handout,
    writer_for,
)
from bilingual.writers.common import (
    UNTRANSLATED,
    safe_href,
    writable_text,
    zh_share,
)

SCRIPT_EN = "<script>alert(1)</script>"
IMG_EN = '<img src=x onerror=alert(1)> & "quotes"'
PROVENANCE = {
    "tool": "bilingual",
    "version": "0.1.0",
    "model": {"package": "translate-zh_en", "version": "1.9", "from": "zh", "to": "en"},
    "settings": {"beam": 4, "compute_type": "int8"},
    "translated_at": "2024-07-01T10:00:00Z",
}
FLAGGED = 5  # index into blocks
MISSING = 6
HEADING = 7


def _translated(src: Path = SEED) -> Article:
    article = read_article(src)
    for i, block in enumerate(article.blocks):
        block.en = f"English {i}: Kassym-Jomart Tokayev said something about block {i}."
        block.status = Status.MACHINE
    return article


@pytest.fixture(scope="module")
def base_article() -> Article:
    article = _translated()
    article.blocks[2].en = f"Hostile {SCRIPT_EN} text"
    article.blocks[3].en = IMG_EN
    article.blocks[3].status = Status.APPROVED
    article.blocks[4].status = Status.EDITED
    article.blocks[FLAGGED].flags = [
        Flag("number", "number 2000 missing"),
        Flag("name", "<b>Tokayev</b> not found"),
    ]
    article.blocks[MISSING].en = None
    article.blocks[HEADING].kind = Kind.HEADING
    article.provenance.update(copy.deepcopy(PROVENANCE))
    return article


@pytest.fixture
def article(base_article: Article) -> Article:
    return copy.deepcopy(base_article)


def _docx(article: Article, **options) -> docx.document.Document:
    data = writer_for("docx")(article, HandoutOptions(**options))
    return docx.Document(io.BytesIO(data))


def _html(article: Article, **options) -> str:
    return writer_for("html")(article, HandoutOptions(**options)).decode("utf-8")


# -- registry and write_handout ----------------------------------------------------------------


@pytest.mark.parametrize(
    "path, override, expected",
    [
        ("out.docx", None, "docx"),
        ("OUT.DOCX", None, "docx"),
        ("a/b/out.html", None, "html"),
        ("out.htm", None, "html"),
        ("out.docx", "html", "html"),
        ("out.txt", "docx", "docx"),
    ],
)
def test_format_for_extension_and_override(path, override, expected):
    assert format_for(path, override) == expected


@pytest.mark.parametrize(
    "path, override, message",
    [
        ("out.odt", None, "cannot tell the output format from '.odt'"),
        ("out", None, "from no extension"),
        ("out.docx", "odt", "unknown output format 'odt'"),
    ],
)
def test_format_for_unknown_is_typed_error(path, override, message):
    with pytest.raises(UnsupportedOutput, match=message):
        format_for(path, override)


def test_writers_registry_names_modules_lazily():
    assert set(WRITERS) >= {"docx", "html"}
    for name, spec in WRITERS.items():
        assert spec.target.startswith("bilingual.writers.") and spec.extensions, name
        assert callable(writer_for(name))


def test_writers_import_no_python_docx_at_cli_import():
    code = "import sys, bilingual.cli, bilingual.writers; print('docx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("args", [["--help"], ["parse", str(SEED)], ["translate", "--help"]])
def test_python_docx_loads_only_with_the_docx_writer(args):
    """The DOCX writer imports python-docx at its top: only writing a DOCX pays for it."""
    code = (
        "import sys; from bilingual.cli import cli\n"
        f"try:\n    cli({args!r})\nexcept SystemExit:\n    pass\n"
        "print('docx' in sys.modules, file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip().splitlines()[-1] == "False"


def test_write_handout_refuses_overwrite_then_force(tmp_path, article):
    out = tmp_path / "h.html"
    out.write_text("precious")
    with pytest.raises(OutputExists, match="already exists"):
        write_handout(article, out)
    assert out.read_text() == "precious"
    assert write_handout(article, out, force=True) == out
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.html"]  # no temp file left


@pytest.mark.parametrize(
    "kwargs, message",
    [({"layout": "columns"}, "unknown layout 'columns'"), ({"paper": "a3"}, "paper size 'a3'")],
)
def test_write_handout_bad_options(tmp_path, article, kwargs, message):
    with pytest.raises(UnsupportedOutput, match=message):
        write_handout(article, tmp_path / "h.docx", **kwargs)
    assert not (tmp_path / "h.docx").exists()


def test_write_handout_missing_directory(tmp_path, article):
    with pytest.raises(OutputExists, match="no such directory"):
        write_handout(article, tmp_path / "nope" / "h.docx")


# -- shared text ---------------------------------------------------------------------------------


def test_review_notice_counts_reviewed_body_paragraphs(article):
    text = review_notice(article)
    assert "a person has reviewed 2 of 22 paragraphs" in text
    assert "1 paragraph not translated yet" in text
    assert "marks 1 paragraph to check" in text
    for b in article.blocks:
        b.status = Status.APPROVED
        b.en = b.en or "x"
        b.flags = []
    assert review_notice(article) == (
        "The English is a machine translation; a person has reviewed all 22 paragraphs."
    )
    for b in article.blocks:
        b.en = None
    assert review_notice(article) == "The English is not translated yet (22 paragraphs)."


@pytest.mark.parametrize(
    "provenance, expected",
    [
        (PROVENANCE, "bilingual 0.1.0 · model translate-zh_en 1.9 · int8 · beam 4 · translated 2024-07-01 10:00 UTC"),
        ({}, "bilingual · model not recorded"),
        ({"model": "some-model", "settings": [1], "version": 3}, "bilingual 3 · model some-model"),
        ({"model": {"package": None}, "settings": {"beam": None}}, "bilingual · model not recorded"),
    ],
)  # fmt: skip
def test_provenance_signature_tolerates_missing_keys(provenance, expected):
    signature = Provenance.of(Article(provenance=provenance)).signature()
    assert signature.startswith(expected)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2022-01-07T12:45:01Z", "2022-01-07 12:45 UTC"),
        ("2022-01-07T13:39", "2022-01-07 13:39"),
        ("2022-01-07", "2022-01-07"),
        ("2022-01-07T13:39+08:00", "2022-01-07 13:39 UTC+0800"),
        ("7 January 2022", "7 January 2022"),
        (None, None),
    ],
)
def test_format_date(value, expected):
    assert format_date(value) == expected


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://www.rfi.fr/cn/x", True),
        ("HTTP://example.com/", True),
        ("javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("vbscript:msgbox(1)", False),
        ("//example.com/x", False),
        ("https:///nohost", False),
        ("https://example.com/\nx", False),
        ("https://example.com/\x85x", False),
        ("", False),
    ],
)
def test_safe_href_only_absolute_http(url, ok):
    assert (safe_href(url) == url) is ok


@pytest.mark.parametrize(
    "url, href",
    [
        ('https://x.example/a"b<c>', "https://x.example/a%22b%3Cc%3E"),
        ("https://x.example/亚洲?q=a b", None),
        ("https://x.example/亚洲?q=%20", "https://x.example/%E4%BA%9A%E6%B4%B2?q=%20"),
        ("https://x.example/a'b", "https://x.example/a'b"),
    ],
)
def test_safe_href_encodes_what_urls_cannot_hold(url, href):
    assert safe_href(url) == href


# -- DOCX ----------------------------------------------------------------------------------------


def _mark(block) -> str:
    return " ✓" if block.status.reviewed and block.en is not None else ""


def test_docx_one_row_per_body_block_numbered_as_html(article):
    doc = _docx(article)
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert len(table.columns) == 2
    assert len(table.rows) == 1 + len(article.body)  # the title is above the table, not §1
    assert [c.text for c in table.rows[0].cells] == ["中文", "English"]
    for n, (row, block) in enumerate(zip(table.rows[1:], article.body, strict=True), 1):
        zh, en = row.cells
        assert zh.paragraphs[0].text == f"§{n}  {block.zh}"
        expected = block.en + _mark(block) if block.en is not None else UNTRANSLATED
        assert en.paragraphs[0].text == expected
    assert SCRIPT_EN in table.rows[2].cells[1].text  # hostile text is just text in Word


def test_docx_header_row_repeats_and_short_rows_never_split(article):
    rows = _docx(article).tables[0].rows
    assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr.find(qn("w:tblHeader")) is None for r in rows[1:])
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows)


def test_docx_title_block_then_light_lead_and_headings(article):
    doc = _docx(article)
    title_zh, title_en = doc.paragraphs[0].runs[0], doc.paragraphs[1].runs[0]
    assert (title_zh.text, title_en.text) == (article.blocks[0].zh, article.blocks[0].en)
    assert title_zh.bold and title_en.bold and title_zh.font.size.pt > title_en.font.size.pt > 10.5
    table = doc.tables[0]
    lead = table.rows[1].cells  # the lead, §1: no longer bold in either column
    assert not any(r.bold for c in lead for r in c.paragraphs[0].runs)
    heading = table.rows[HEADING].cells
    assert heading[0].paragraphs[0].style.name == "Heading 2"
    assert heading[1].paragraphs[0].style.name == "Heading 2"


def _rpr(run):
    rpr = run._r.rPr
    fonts = rpr.find(qn("w:rFonts"))
    lang = rpr.find(qn("w:lang"))
    return (
        {k.split("}")[1]: v for k, v in fonts.attrib.items()},
        {k.split("}")[1]: v for k, v in lang.attrib.items()},
    )


@pytest.mark.parametrize(
    "src, face, tag",
    [
        (SEED, "Noto Serif CJK SC", "zh-CN"),
        (sample("traditional.txt"), "Noto Serif CJK TC", "zh-TW"),
    ],
)
def test_docx_fonts_and_language_tags(src, face, tag):
    doc = _docx(_translated(src))
    row = doc.tables[0].rows[2]
    zh_fonts, zh_lang = _rpr(row.cells[0].paragraphs[0].runs[1])  # after the §N
    en_fonts, en_lang = _rpr(row.cells[1].paragraphs[0].runs[0])
    assert zh_fonts["eastAsia"] == face and zh_fonts["hint"] == "eastAsia"
    assert zh_fonts["ascii"] == zh_fonts["hAnsi"] == "Times New Roman"
    assert zh_lang == {"val": "en-US", "eastAsia": tag}
    assert en_fonts["ascii"] == en_fonts["hAnsi"] == "Times New Roman"
    assert "hint" not in en_fonts
    assert en_lang["val"] == "en-US"
    # The document defaults say the same, so text without direct formatting gets it too.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{qn('w:rFonts')}").get(qn("w:eastAsia")) == face
    assert defaults.find(f".//{qn('w:lang')}").get(qn("w:eastAsia")) == tag


def test_docx_title_block_with_byline_and_real_hyperlink(article):
    article.outlet, article.author = "RFI 法广", "Jane Doe"
    article.credits = ["翻译：某某"]
    doc = _docx(article)
    body = [p.text for p in doc.paragraphs]
    assert body[:2] == [article.blocks[0].zh, article.blocks[0].en]
    assert body[2] == "RFI 法广  ·  Jane Doe  ·  Published 2022-01-07 13:39 (time zone not given)"
    assert body[3] == "翻译：某某"
    assert body[4].startswith("Source: https://www.rfi.fr/cn/亚洲/20220107-")
    links = doc.paragraphs[4].hyperlinks
    assert len(links) == 1 and links[0].address == article.source_url
    # Nothing for developers on the page: no capture time, no engine settings, no flag notes.
    page = "\n".join(body + [c.text for r in doc.tables[0].rows for c in r.cells])
    for jargon in ("Captured", "beam", "int8", "⚑", "check:", "engine", "placeholder"):
        assert jargon not in page
    kids = [el.tag for el in doc.element.body]
    assert kids.index(qn("w:tbl")) == 5


@pytest.mark.parametrize(
    "published, shown",
    [
        ("2022-01-07T13:39+01:00", "Published 2022-01-07 13:39 UTC+0100"),
        ("2022-01-07T12:39Z", "Published 2022-01-07 12:39 UTC"),
        ("2022-01-07", "Published 2022-01-07"),
        (None, "Publication date not given"),
    ],
)
def test_docx_published_date_says_its_time_zone(article, published, shown):
    article.published = published
    assert _docx(article).paragraphs[2].text == shown


def test_docx_hostile_source_url_is_not_a_link(article):
    article.source_url = "javascript:alert(1)"
    doc = _docx(article)
    assert doc.paragraphs[3].text == "Source: javascript:alert(1)"
    assert doc.paragraphs[3].hyperlinks == []
    rels = [r.reltype for r in doc.part.rels.values()]
    assert not any(t.endswith("/hyperlink") for t in rels)


def test_docx_core_properties_and_footer(article):
    doc = _docx(article)
    props = doc.core_properties
    assert props.title == article.title
    assert props.subject == article.blocks[0].en
    assert "model translate-zh_en 1.9" in props.comments and "beam 4" in props.comments
    assert "reviewed 2 of 22" in props.comments
    assert props.comments.splitlines()[1] == "Page captured 2022-01-07 12:45 UTC"
    assert props.author == ""
    footer = doc.sections[0].footer
    assert footer.paragraphs[0].text == (
        "Machine translation, 2 of 22 paragraphs reviewed by a person (marked ✓). "
        "1 paragraph not translated yet. Model: translate-zh_en 1.9."
    )
    instructions = [t.text.strip() for t in footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    # The notice is centred, as the page number under it.
    assert [p.alignment for p in footer.paragraphs] == [WD_ALIGN_PARAGRAPH.CENTER] * 2


@pytest.mark.parametrize("audience", ["reader", "review"])
def test_docx_table_borders_sit_on_the_text_margins(article, audience):
    """The table's border on the margin where the title starts (it stood a cell margin, 1.9 mm,
    to the left), its width the text width, its text a cell margin inside."""
    doc = _docx(article, audience=Audience(audience))
    tblpr = doc.tables[0]._tbl.tblPr
    section = doc.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    ind = tblpr.find(qn("w:tblInd"))
    left = tblpr.find(qn("w:tblCellMar")).find(qn("w:left"))
    assert (ind.get(qn("w:w")), ind.get(qn("w:type"))) == ("108", "dxa")
    assert left.get(qn("w:w")) == "108"
    width = tblpr.find(qn("w:tblW"))
    assert abs(int(width.get(qn("w:w"))) * 635 - text_width) < 635 * 2
    assert (
        abs(sum(int(c.get(qn("w:w"))) for c in doc.tables[0]._tbl.tblGrid) * 635 - text_width)
        < 635 * 5
    )


def test_docx_reader_marks_reviewed_not_flagged(article):
    rows = _docx(article).tables[0].rows
    flagged = rows[FLAGGED].cells
    assert [len(c.paragraphs) for c in flagged] == [1, 1]  # no flag note
    for cell in flagged:
        assert cell._tc.tcPr.find(qn("w:shd")) is None
    approved, edited, machine = rows[3].cells[1], rows[4].cells[1], rows[2].cells[1]
    assert approved.text == IMG_EN + " ✓" and edited.text.endswith(" ✓")
    assert not machine.text.endswith("✓")
    missing = rows[MISSING].cells[1]
    assert missing.text == UNTRANSLATED and missing.paragraphs[0].runs[0].italic
    # An untranslated paragraph is not counted as reviewed, whatever its status says.
    article.blocks[MISSING].status = Status.EDITED
    assert _docx(article).tables[0].rows[MISSING].cells[1].text == UNTRANSLATED


@pytest.mark.parametrize(
    "paper, landscape, width, height",
    [
        (Paper.A4, False, Mm(210), Mm(297)),
        (Paper.LETTER, False, Inches(8.5), Inches(11)),
        (Paper.A4, True, Mm(297), Mm(210)),
        (Paper.LETTER, True, Inches(11), Inches(8.5)),
    ],
)
def test_docx_paper_and_orientation(article, paper, landscape, width, height):
    doc = _docx(article, paper=paper, landscape=landscape)
    section = doc.sections[0]
    assert abs(section.page_width - width) < Mm(0.1)  # stored in twips
    assert abs(section.page_height - height) < Mm(0.1)
    assert section.orientation == (WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT)
    cols = [c.width for c in doc.tables[0].columns]
    assert abs(sum(cols) - (width - 2 * Mm(18))) < Mm(0.1)
    assert abs(cols[0] / sum(cols) - zh_share(article)) < 0.01


@pytest.mark.parametrize(
    "ratio, share",
    [(1.0, 0.5), (2.5, 0.5), (3.0, 0.47), (4.0, 0.4), (8.0, 0.3)],
)
def test_zh_share_follows_the_length_of_the_english(ratio, share):
    """English runs 2-4x the Chinese character count: the Chinese column gets less room."""
    from bilingual.document import Block

    blocks = [
        Block(Kind.TITLE, "标题"),
        Block(Kind.PARAGRAPH, "字" * 100, en="e" * int(100 * ratio)),
    ]
    assert zh_share(Article(blocks=blocks)) == pytest.approx(share, abs=0.02)
    blocks[1].en = None  # not translated yet: the usual ratio
    assert 0.4 < zh_share(Article(blocks=blocks)) < 0.5


TITLE_LINES = 4  # headline in Chinese and English, byline, source


def test_docx_interleaved_chinese_then_english(article):
    doc = _docx(article, layout=Layout.INTERLEAVED)
    assert doc.tables == []
    texts = [p.text for p in doc.paragraphs][TITLE_LINES:]
    expected: list[str] = []
    for n, b in enumerate(article.body, 1):
        expected += [f"§{n}  {b.zh}", b.en + _mark(b) if b.en is not None else UNTRANSLATED]
    assert texts == expected
    zh_paragraph = doc.paragraphs[TITLE_LINES + 2]
    assert zh_paragraph.paragraph_format.keep_with_next


@pytest.mark.parametrize("layout", [Layout.ENGLISH, Layout.CHINESE])
def test_docx_one_language_holds_exactly_the_body(article, layout):
    doc = _docx(article, layout=layout)
    assert doc.tables == []
    zh = layout is Layout.CHINESE
    head = [p.text for p in doc.paragraphs][: TITLE_LINES - 1]
    assert head[0] == (article.blocks[0].zh if zh else article.blocks[0].en)
    texts = [p.text for p in doc.paragraphs][TITLE_LINES - 1 :]
    expected = [
        f"§{n}  " + (b.zh if zh else (b.en + _mark(b) if b.en is not None else UNTRANSLATED))
        for n, b in enumerate(article.body, 1)
    ]
    assert texts == expected
    other = article.body[1].en if zh else article.body[1].zh
    assert other not in "\n".join(p.text for p in doc.paragraphs)


def test_docx_without_provenance_or_metadata():
    article = Article(blocks=_translated().blocks[:3])
    doc = _docx(article)
    assert doc.sections[0].footer.paragraphs[0].text == (
        "Machine translation, 0 of 2 paragraphs reviewed by a person."
    )
    assert len(doc.tables[0].rows) == 3
    assert doc.paragraphs[2].text == "Publication date not given"


# -- HTML ----------------------------------------------------------------------------------------

VOID = {"meta", "br", "hr", "img", "link", "input", "wbr", "col", "area", "base", "source"}


class Page(HTMLParser):
    """Collects elements, attributes, and text per element; checks that tags nest properly."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[tuple[str, dict[str, str | None], list[str]]] = []
        self.texts: list[tuple[str, dict[str, str | None], str]] = []
        self.doctype: str | None = None
        self.errors: list[str] = []
        self.feed(text)
        self.close()
        if self.stack:
            self.errors.append(f"unclosed: {[t for t, _, _ in self.stack]}")

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        d = dict(attrs)
        if len(d) != len(attrs):
            self.errors.append(f"duplicate attribute in <{tag}>")
        self.elements.append((tag, d))
        if tag not in VOID:
            self.stack.append((tag, d, []))

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(
                f"</{tag}> does not close {self.stack[-1][0] if self.stack else None}"
            )
            return
        name, attrs, parts = self.stack.pop()
        self.texts.append((name, attrs, "".join(parts)))
        if self.stack:
            self.stack[-1][2].append("".join(parts))

    def handle_data(self, data):
        if self.stack:
            self.stack[-1][2].append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [
            a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]

    def text_of(self, tag: str, **attrs: str) -> list[str]:
        return [
            text
            for t, a, text in self.texts
            if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]


def test_html_head_and_document_structure(article):
    text = _html(article)
    page = Page(text)
    assert page.errors == []
    assert page.doctype == "DOCTYPE html"
    assert page.find("html") == [{"lang": "en"}]
    assert page.find("meta", charset="utf-8")
    assert page.text_of("title") == [f"{article.blocks[0].zh} — {article.blocks[0].en}"]
    metas = {a["name"]: a["content"] for a in page.find("meta") if a.get("name")}
    assert metas["bilingual:model"] == "translate-zh_en"
    assert metas["bilingual:model-version"] == "1.9"
    assert metas["bilingual:beam"] == "4"
    assert metas["bilingual:translated-at"] == "2024-07-01T10:00:00Z"
    assert "translate-zh_en 1.9" in metas["generator"]
    assert metas["bilingual:source"] == article.source_url
    assert metas["bilingual:captured-at"] == "2022-01-07T12:45:01Z"
    assert metas["bilingual:published"] == "2022-01-07T13:39"
    # Self-contained: nothing fetched from anywhere.
    assert not page.find("link") and not page.find("img") and not page.find("script")
    assert not any("src" in a for _, a in page.elements)
    assert "url(" not in text and "@import" not in text


def test_html_cells_match_project_with_lang(article):
    page = Page(_html(article))
    zh_cells = page.text_of("td", lang="zh-Hans")
    en_cells = page.text_of("td", lang="en")
    assert len(zh_cells) == len(en_cells) == len(article.body)
    for i, (zh, en, block) in enumerate(zip(zh_cells, en_cells, article.body, strict=True), 1):
        assert zh == f"§{i}{block.zh}"
        expected = block.en + _mark(block).strip() if block.en is not None else UNTRANSLATED
        assert en == expected
    assert page.text_of("h1", lang="zh-Hans") == [article.blocks[0].zh]
    assert page.text_of("p", **{"class": "title-en", "lang": "en"}) == [article.blocks[0].en]
    assert page.text_of("th", lang="zh-Hans") == ["中文"] and page.text_of("th", lang="en") == [
        "English"
    ]
    assert page.find("table") and page.find("thead")


def test_html_traditional_cells_are_zh_hant():
    page = Page(_html(_translated(sample("traditional.txt"))))
    assert page.find("td", lang="zh-Hant") and not page.find("td", lang="zh-Hans")


def test_html_anchors_unique_and_linked(article):
    page = Page(_html(article))
    ids = [a["id"] for _, a in page.elements if "id" in a]
    assert len(ids) == len(set(ids))
    assert ids == ["title"] + [f"p{n}" for n in range(1, len(article.blocks))]  # title block
    links = [a["href"] for a in page.find("a") if a.get("class") == "num"]
    assert links == [f"#p{n}" for n in range(1, len(article.blocks))]
    assert page.text_of("a", href="#p7") == ["§7"]


def test_html_hostile_input_is_inert(article):
    article.source_url = "javascript:alert(1)"
    article.blocks[0].zh = '标题</title><script>alert("t")</script>'
    article.blocks[1].zh = "<svg onload=alert(1)>"
    text = _html(article)
    page = Page(text)
    assert page.errors == []
    tags = {t for t, _ in page.elements}
    assert tags <= {
        "html", "head", "meta", "title", "style", "body", "header", "p", "b", "a", "main",
        "table", "thead", "tbody", "tr", "th", "td", "h1", "h2", "footer", "div", "span",
        "colgroup", "col",
    }  # fmt: skip
    assert not any(k.startswith("on") for _, a in page.elements for k in a)
    hrefs = [a.get("href") or "" for a in page.find("a")]
    assert not any(h.lower().lstrip().startswith("javascript:") for h in hrefs)
    assert "Source: javascript:alert(1)" in page.text_of("p")
    assert f"Hostile {SCRIPT_EN} text" in page.text_of("p")
    assert IMG_EN + "✓" in page.text_of("p")  # approved: marked
    assert "<script" not in text and "<img" not in text and "<svg" not in text


@pytest.mark.parametrize(
    "url",
    [
        'https://example.com/" onmouseover="alert(1)',
        "https://example.com/'><script>alert(1)</script>",
        "java\nscript:alert(1)",
    ],
)
def test_html_hostile_source_url_attributes_stay_in_quotes(article, url):
    article.source_url = url
    text = _html(article)
    page = Page(text)
    assert page.errors == []
    assert not page.find("script") and not any(
        k.startswith("on") for _, a in page.elements for k in a
    )
    hrefs = [a["href"] for a in page.find("a") if not (a["href"] or "").startswith("#")]
    assert hrefs in ([safe_href(url)], [])
    assert all('"' not in h and "<" not in h for h in hrefs if h)


def test_html_reader_has_no_developer_wording(article):
    text = _html(article)
    page = Page(text)
    body = text[text.index("<body") :]
    for jargon in ("Captured", "beam", "int8", "⚑", "check:", "engine", "placeholder"):
        assert jargon not in body
    assert page.find("tr", **{"class": "pair paragraph flagged"})  # a class only, not shown
    assert not page.text_of("p", **{"class": "flag"})
    (footer,) = page.text_of("footer")
    assert footer == (
        "Machine translation, 2 of 22 paragraphs reviewed by a person (marked ✓). "
        "1 paragraph not translated yet. Model: translate-zh_en 1.9."
    )
    assert page.text_of("span", **{"class": "mark"}) == ["✓", "✓"]
    assert page.text_of("p", **{"class": "missing"}) == [UNTRANSLATED]
    assert page.find("h2", **{"class": "heading"})
    (byline, source) = page.text_of("p", **{"class": "meta"})
    assert byline == "Published 2022-01-07 13:39 (time zone not given)"
    assert source.startswith("Source: https://www.rfi.fr/cn/亚洲/")


def test_html_title_block_names_outlet_author_and_credits(article):
    article.outlet, article.author, article.credits = "RFI 法广", "Jane Doe", ["翻译：某某"]
    page = Page(_html(article))
    byline, credit, _source = page.text_of("p", **{"class": "meta"})[:3]
    assert (
        byline
        == "RFI 法广 \xa0·\xa0 Jane Doe \xa0·\xa0 Published 2022-01-07 13:39 (time zone not given)"
    )
    assert credit == "翻译：某某"


@pytest.mark.parametrize("layout", [Layout.ENGLISH, Layout.CHINESE])
def test_html_one_language_holds_exactly_the_body(article, layout):
    page = Page(_html(article, layout=layout))
    assert page.errors == [] and not page.find("table")
    zh = layout is Layout.CHINESE
    lang = "zh-Hans" if zh else "en"
    expected = [
        f"§{n}" + (b.zh if zh else (b.en + _mark(b).strip() if b.en is not None else UNTRANSLATED))
        for n, b in enumerate(article.body, 1)
    ]
    assert page.text_of("div", lang=lang) == expected
    assert not page.find("div", lang="en" if zh else "zh-Hans")
    assert page.text_of("h1") == [article.blocks[0].zh if zh else article.blocks[0].en]


@pytest.mark.parametrize(
    "options, size",
    [
        ({}, "size: A4;"),
        ({"paper": Paper.LETTER}, "size: letter;"),
        ({"paper": Paper.A4, "landscape": True}, "size: A4 landscape;"),
    ],
)
def test_html_print_stylesheet(article, options, size):
    text = _html(article, **options)
    assert "@page { " + size in text
    assert "@media print" in text and "break-inside: avoid" in text
    assert "display: table-header-group" in text
    assert "@media screen and (max-width" in text and "grid-template-columns" in text
    # Printed columns in the DOCX's shares, so both print to the same pages.
    share = round(zh_share(article) * 100)
    assert f"col.zh {{ width: {share}%; }} col.en {{ width: {100 - share}%; }}" in text
    assert '<colgroup><col class="zh"><col class="en"></colgroup>' in text


def test_html_interleaved_pairs(article):
    page = Page(_html(article, layout=Layout.INTERLEAVED))
    assert page.errors == [] and not page.find("table")
    sections = [a for a in page.find("div") if "id" in a]
    assert [s["id"] for s in sections] == [f"p{n}" for n in range(1, len(article.blocks))]
    assert (
        len(page.find("div", lang="zh-Hans")) == len(page.find("div", lang="en")) == len(sections)
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(zh=st.text(min_size=1), en=st.text())
def test_html_any_text_round_trips_as_text(zh, en):
    """Whatever a block holds comes back as the same text, never as markup."""
    from bilingual.document import Block

    zh = zh.replace("\r", "\n")
    en = en.replace("\r", "\n")
    article = Article(blocks=[Block(Kind.TITLE, "标题"), Block(Kind.PARAGRAPH, zh, en=en)])
    page = Page(_html(article))
    assert page.errors == []
    assert not page.find("script")
    assert page.text_of("td", lang="zh-Hans") == [f"§1{writable_text(zh)}"]
    assert page.text_of("td", lang="en") == [writable_text(en)]


@settings(max_examples=30, deadline=None)
@given(zh=st.text(min_size=1), en=st.text())
def test_docx_any_text_is_written(zh, en):
    """Control characters Word cannot hold are dropped; everything else comes back as written."""
    from bilingual.document import Block

    article = Article(blocks=[Block(Kind.TITLE, zh, en=en), Block(Kind.PARAGRAPH, zh, en=en)])
    doc = _docx(article)
    (row,) = doc.tables[0].rows[1:]
    assert row.cells[0].text == "§1  " + writable_text(zh).replace("\r", "\n")
    assert row.cells[1].text == writable_text(en).replace("\r", "\n")
    assert doc.paragraphs[0].text == writable_text(zh).replace("\r", "\n")
    title = writable_text(zh)
    assert doc.core_properties.title == (title if len(title) <= 255 else title[:254] + "…")


# -- CLI -----------------------------------------------------------------------------------------


def run(args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def project(tmp_path, article) -> Path:
    path = tmp_path / "kazakhstan.json"
    path.write_text(article.to_json(), encoding="utf-8")
    return path


def _one_line_error(r, code: int, message: str) -> None:
    assert r.exit_code == code, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), r.output
    assert message in lines[0]


@pytest.mark.parametrize("name", ["h.docx", "h.html"])
def test_cli_export_writes_by_extension(tmp_path, project, name):
    out = tmp_path / name
    r = run(["export", project, "-o", out])
    assert r.exit_code == 0, r.output
    assert r.output == f"wrote {out}\n"
    if name.endswith(".docx"):
        assert len(docx.Document(str(out)).tables[0].rows) == 23
    else:
        assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_export_options_reach_the_writer(tmp_path, project):
    out = tmp_path / "h.out"
    r = run(["export", project, "-o", out, "--format", "docx", "--layout", "interleaved",
             "--paper", "letter", "--landscape"])  # fmt: skip
    assert r.exit_code == 0, r.output
    doc = docx.Document(str(out))
    assert doc.tables == []
    assert doc.sections[0].page_width == Inches(11)  # letter landscape


def test_cli_export_refuses_overwrite_then_force(tmp_path, project):
    out = tmp_path / "h.html"
    out.write_bytes(b"keep me")
    _one_line_error(run(["export", project, "-o", out]), 2, "already exists (use --force")
    assert out.read_bytes() == b"keep me"
    r = run(["export", project, "-o", out, "--force"])
    assert r.exit_code == 0, r.output
    assert out.read_bytes().startswith(b"<!DOCTYPE html>")


def test_cli_export_directory_mode(tmp_path, project, article):
    src = project.parent
    (src / "second.json").write_text(article.to_json(), encoding="utf-8")
    (src / "notes.txt").write_text("not a project")
    out = tmp_path / "out"
    r = run(["export", src, "-o", out])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == ["kazakhstan.docx", "second.docx"]
    r = run(["export", src / "kazakhstan.json", src / "second.json", "-o", out, "--format", "html"])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.glob("*.html")) == ["kazakhstan.html", "second.html"]
    # Nothing is written when one of the batch exists already.
    (out / "second.html").write_text("keep")
    (out / "kazakhstan.html").unlink()
    r = run(["export", src, "-o", out, "--format", "html"])
    _one_line_error(r, 2, "second.html: already exists")
    assert not (out / "kazakhstan.html").exists()
    assert (out / "second.html").read_text() == "keep"


def test_cli_export_same_name_twice_gets_numbered(tmp_path, project):
    other = tmp_path / "other"
    other.mkdir()
    (other / project.name).write_bytes(project.read_bytes())
    r = run(["export", project, other / project.name, "-o", tmp_path / "out", "--format", "html"])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "kazakhstan-2.html",
        "kazakhstan.html",
    ]


def test_cli_export_single_project_into_existing_directory(tmp_path, project):
    out = tmp_path / "dir"
    out.mkdir()
    r = run(["export", project, "-o", out, "--format", "html"])
    assert r.exit_code == 0, r.output
    assert (out / "kazakhstan.html").exists()


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "not valid JSON (line 1)"),
        ('{"blocks": []}', "no 'schema_version'"),
        ('{"schema_version": 99, "blocks": []}', "upgrade bilingual"),
        ("[]", "not a bilingual project file"),
    ],
)
def test_cli_export_bad_project_is_one_line(tmp_path, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    _one_line_error(run(["export", bad, "-o", tmp_path / "h.docx"]), 2, message)
    assert not (tmp_path / "h.docx").exists()


@pytest.mark.parametrize(
    "make_args, code, message",
    [
        (lambda p, t: [t / "missing.json", "-o", t / "h.docx"], 2, "no such project file"),
        (lambda p, t: [p, "-o", t / "h.odt"], 2, "--format docx|html"),
        (lambda p, t: [t / "empty", "-o", t / "o"], 2, "no project files (*.json)"),
        (lambda p, t: [p, "-o", "-"], 2, "-o - needs --format (docx|html|xliff|json|pdf)"),
        (lambda p, t: [p, p, "-o", "-", "--format", "html"], 2, "several inputs: give an output"),
        (lambda p, t: [p, "-o", t / "nodir" / "h.docx"], 2, "no such directory"),
    ],
)
def test_cli_export_errors(tmp_path, project, make_args, code, message):
    (tmp_path / "empty").mkdir()
    _one_line_error(run(["export", *make_args(project, tmp_path)]), code, message)


def test_cli_export_listed_in_help():
    r = run(["--help"])
    assert "export" in r.output
    r = run(["export", "--help"])
    assert r.exit_code == 0 and "--layout" in r.output and "--paper" in r.output


def test_project_round_trip_keeps_handout_identical(tmp_path, article):
    """Exporting from the saved project gives the same HTML as from the Article in memory."""
    path = tmp_path / "p.json"
    path.write_text(article.to_json(), encoding="utf-8")
    again = Article.load(path)
    assert _html(again) == _html(article)
    assert json.loads(again.to_json()) == json.loads(article.to_json())


# -- PDF -----------------------------------------------------------------------------------------


def test_pdf_without_libreoffice_names_the_package(tmp_path, project, monkeypatch):
    import bilingual.writers.pdf as pdf

    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    monkeypatch.setattr(pdf, "_KNOWN", ())
    monkeypatch.setattr(pdf.sys, "platform", "linux")
    r = run(["export", project, "-o", tmp_path / "h.pdf"])
    _one_line_error(r, 2, "PDF output needs LibreOffice, which is not installed: apt-get install "
                    "libreoffice-writer (Debian/Ubuntu)")  # fmt: skip
    assert not (tmp_path / "h.pdf").exists()


def _squeeze(text: str) -> str:
    """Text without whitespace: a PDF breaks lines anywhere and spaces Latin from CJK."""
    return "".join(text.split())


def _pdf_text(path: Path) -> str:
    """The text in the order it was drawn (cell by cell), not in columns pdftotext guesses."""
    cmd = ["pdftotext", "-raw", str(path), "-"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return _squeeze(done.stdout)


@needs_libreoffice
@needs_poppler
def test_pdf_holds_every_paragraph_in_both_languages(tmp_path, article):
    """Through the real LibreOffice (.ci/run installs it, with poppler-utils and Noto CJK)."""
    filler = "Security forces may fire without warning, the president said on Friday. "
    for block in article.blocks:  # English of a real translation's length, so columns stay apart
        if block.en is not None:
            block.en = (filler * 20)[: int(len(block.zh) * 2.8)].strip() + "."
    project = tmp_path / "p.json"
    project.write_text(article.to_json(), encoding="utf-8")
    out = tmp_path / "h.pdf"
    r = run(["export", project, "-o", out])
    assert r.exit_code == 0, r.output
    assert out.read_bytes().startswith(b"%PDF-")
    text = _pdf_text(out)
    for block in article.blocks:
        assert _squeeze(block.zh) in text
        assert _squeeze(block.en or UNTRANSLATED) in text
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    assert "NotoSerifCJK" in fonts  # the CJK face is embedded


# -- fonts: never a Japanese face for Chinese ----------------------------------------------------


@pytest.mark.parametrize(
    "src, face, alt, charset",
    [
        (SEED, "Noto Serif CJK SC", "SimSun", "86"),
        (sample("traditional.txt"), "Noto Serif CJK TC", "PMingLiU", "88"),
    ],
)
def test_docx_font_table_gives_word_a_chinese_fallback(src, face, alt, charset):
    doc = _docx(_translated(src))
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    fonts = docx.oxml.parse_xml(part.blob)
    by_name = {f.get(qn("w:name")): f for f in fonts.findall(qn("w:font"))}
    entry = by_name[face]
    assert entry.find(qn("w:altName")).get(qn("w:val")) == alt
    assert entry.find(qn("w:charset")).get(qn("w:val")) == charset
    charsets = [f.find(qn("w:charset")).get(qn("w:val")) for f in by_name.values()]
    assert "80" not in charsets  # no Shift-JIS (Japanese) face left from the template
    assert not any("ＭＳ" in name or "JP" in name for name in by_name)


def test_html_font_stacks_name_chinese_faces_of_every_platform(article):
    text = _html(article)
    hans = text[text.index(":lang(zh-Hans) { font-family:") :].split("}")[0]
    for face in ("Noto Serif CJK SC", "Songti SC", "SimSun", "PingFang SC", "Microsoft YaHei"):
        assert f'"{face}"' in hans
    assert "JP" not in hans and "Mincho" not in hans


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@needs_libreoffice
@needs_poppler
@needs("chromium", install="apt-get install chromium")
def test_html_print_gives_the_docx_page_count(tmp_path, article):
    """The sample printed from the HTML (headless Chromium, as .ci/run installs it) and from the
    DOCX (LibreOffice): the same pages, give or take one, and page 1 is not left blank."""
    filler = "Security forces may fire without warning, the president said on Friday. "
    for block in article.blocks:  # English of a real translation's length (2.8x the Chinese)
        if block.en is not None:
            block.en = (filler * 20)[: int(len(block.zh) * 2.8)].strip() + "."
    project = tmp_path / "p.json"
    project.write_text(article.to_json(), encoding="utf-8")
    assert run(["export", project, "-o", tmp_path / "h.pdf"]).exit_code == 0
    assert run(["export", project, "-o", tmp_path / "h.html"]).exit_code == 0
    printed = tmp_path / "printed.pdf"
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
         f"--print-to-pdf={printed}", (tmp_path / "h.html").as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    docx_pages, html_pages = _pages(tmp_path / "h.pdf"), _pages(printed)
    assert docx_pages >= 2 and abs(docx_pages - html_pages) <= 1, (docx_pages, html_pages)
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(printed), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "§1" in first and "§2" in first  # the table starts on page 1, not after a blank
    # The machine-translation notice is at the foot of every printed page, as in the DOCX.
    notice = "Machine translation, 2 of 22 paragraphs reviewed by a person"
    for page in range(1, html_pages + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(printed), "-"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        assert notice in " ".join(text.split()), page
        assert f"Page {page} of {html_pages}" in text


def test_html_print_footer_is_a_css_string_nothing_escapes(article):
    """The notice goes into the print CSS as a string: quotes, backslashes and markup in the
    article's provenance cannot end the string, the rule or the style element."""
    article.provenance["model"] = {
        "package": 'x"; } body { display: none } </style><script>alert(1)</script>\\',
        "version": "1",
    }
    text = _html(article)
    style = text[text.index("<style>") + 7 : text.index("</style>")]
    assert "<" not in style
    rule = style[style.index("@bottom-center") :]
    assert rule.startswith(
        '@bottom-center { content: "Machine translation, 2 of 22 paragraphs reviewed by a '
        "person (marked ✓). 1 paragraph not translated yet. Model: x\\22 ; } body { display: "
        'none } \\3C /style\\3E \\3C script\\3E alert(1)\\3C /script\\3E \\5C  1." "\\A Page " '
        'counter(page) " of " counter(pages);'
    )
