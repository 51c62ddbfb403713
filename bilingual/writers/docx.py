"""DOCX handouts, ready to print from Word, for two audiences.

The reader handout: a title block, then Chinese and English side by side (or interleaved, or one
language alone), paragraphs numbered §1, §2 ... as in the HTML, reviewed paragraphs marked ✓, a
footer in plain words; the provenance goes into the document properties. The review handout: one
row per block with §N, status (flags in plain words), Chinese, English and a comment column, and
the block ids hidden in the §N cells so that `bilingual import` can merge the edits back.

python-docx has no API for fonts per script, language tags, repeating header rows, unsplittable
rows, fields, hidden text or hyperlinks, so those are set on the XML; everything else goes
through its API.
"""

from __future__ import annotations

import copy
import io
from datetime import datetime, timezone
from typing import Any

# The registry loads this module only when a DOCX is written (`bilingual.writers.WRITERS`), so
# python-docx is imported here once, not in every function.
import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Emu, Length, Mm, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from bilingual.document import EN_LABEL, FLAG_MARK, ZH_LABEL, Article, Block, Kind
from bilingual.exchange.review_docx import (
    HEADERS,
    REVIEW_CATEGORY,
    comment_of,
    hidden_key,
    project_key,
)
from bilingual.provenance import Provenance, review_notice
from bilingual.textutil import format_date
from bilingual.translation.checks import flag_sentence
from bilingual.writers import Audience, HandoutOptions, Layout
from bilingual.writers.common import (
    BOTTOM_MARGIN_MM,
    REVIEWED_MARK,
    SIDE_MARGIN_MM,
    STATUS_WORDS,
    TOP_MARGIN_MM,
    UNTRANSLATED,
    Row,
    ScriptInfo,
    body_rows,
    byline,
    display_url,
    keeps_whole,
    page_mm,
    reader_footer,
    review_columns_mm,
    rows,
    safe_href,
    script_info,
    title_en,
    writable_text,
    zh_share,
)

LATIN_FONT = "Times New Roman"
BODY_PT = 10.5  # 五号, the usual size of Chinese body text
SINGLE_PT = 12  # one language across the page: fewer characters per line
TITLE_PT = 16
EN_TITLE_PT = 13
SMALL_PT = 8
CELL_MARGIN_TWIPS = 108  # 1.9 mm, Word's default space between a cell's border and its text
FLAG_FILL = "FFF2CC"
UNTRANSLATED_FILL = "F2F2F2"
HEADER_FILL = "D9E2F3"
GREY = (0x59, 0x59, 0x59)
FLAG_COLOR = (0x9C, 0x57, 0x00)
LINK_COLOR = (0x05, 0x63, 0xC1)
# Review table column widths in mm (§N, status, comment); Chinese and English share the rest.


def to_bytes(article: Article, options: HandoutOptions) -> bytes:

    doc = docx.Document()
    script = script_info(article)
    prov = Provenance.of(article)
    review = options.audience is Audience.REVIEW
    _setup_page(doc, options)
    _setup_styles(doc, script)
    _title_block(doc, article, script, options)
    if review:
        _review_table(doc, article, script, options)
    elif options.layout is Layout.INTERLEAVED:
        _interleaved(doc, article, script)
    elif options.layout in (Layout.ENGLISH, Layout.CHINESE):
        _one_language(doc, article, script, zh=options.layout is Layout.CHINESE)
    else:
        _side_by_side(doc, article, script, options)
    _footer(doc, article, prov, script, options)
    _core_properties(doc, article, prov, options)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# -- XML helpers -----------------------------------------------------------------------------


def _el(tag: str, **attrs: str) -> Any:

    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


def _set_fonts(rpr: Any, script: ScriptInfo, *, zh: bool) -> None:
    """Latin font for Latin text, the script's CJK face for Han, and the language tags."""

    rfonts = rpr.get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    rfonts.set(qn("w:ascii"), LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), LATIN_FONT)
    rfonts.set(qn("w:cs"), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), script.fonts[0])
    if zh:
        # Quotes and dashes are shared by both scripts: in Chinese text, set them as Chinese.
        rfonts.set(qn("w:hint"), "eastAsia")
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    lang = _el("w:lang", val="en-US", eastAsia=script.word_lang)
    rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")


def _shade(parent_pr: Any, fill: str, *successors: str) -> None:
    for old in parent_pr.findall(_el("w:shd").tag):
        parent_pr.remove(old)
    parent_pr.insert_element_before(_el("w:shd", val="clear", color="auto", fill=fill), *successors)


_PPR_AFTER_SHD = (
    "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_TCPR_AFTER_SHD = (
    "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
)  # fmt: skip


def _shade_paragraph(p: Paragraph, fill: str) -> None:
    _shade(p._p.get_or_add_pPr(), fill, *_PPR_AFTER_SHD)


def _shade_cell(cell: _Cell, fill: str) -> None:
    _shade(cell._tc.get_or_add_tcPr(), fill, *_TCPR_AFTER_SHD)


def _run(
    p: Paragraph,
    text: str,
    script: ScriptInfo,
    *,
    zh: bool,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    color: tuple[int, int, int] | None = None,
) -> Run:

    run = p.add_run(writable_text(text))
    key = (script.fonts[0], script.word_lang, zh, bold, italic, size, color)
    cached = _RUN_PROPERTIES.get(key)
    if cached is not None:
        # The same properties as the first run of this kind, copied: python-docx's own calls
        # cost ~0.5 ms a run, most of a 20,000-row handout's time.
        run._r.insert(0, copy.deepcopy(cached))
        return run
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if size:
        run.font.size = Pt(size)
    if color:
        run.font.color.rgb = RGBColor(*color)
    _set_fonts(run._r.get_or_add_rPr(), script, zh=zh)
    _RUN_PROPERTIES[key] = copy.deepcopy(run._r.rPr)
    return run


# Run properties (<w:rPr>) by what decides them, made once with python-docx and then copied.
_RUN_PROPERTIES: dict[tuple[Any, ...], Any] = {}


def _field(p: Paragraph, instruction: str, script: ScriptInfo, size: float) -> None:
    """A Word field (PAGE, NUMPAGES) that the application fills in when it lays out pages."""
    parts: list[Any] = [
        _el("w:fldChar", fldCharType="begin"),
        _el("w:instrText"),
        _el("w:fldChar", fldCharType="separate"),
        None,
        _el("w:fldChar", fldCharType="end"),
    ]
    parts[1].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    parts[1].text = f" {instruction} "
    for part in parts:
        run = _run(p, "1" if part is None else "", script, zh=False, size=size, color=GREY)
        if part is not None:
            run._r.append(part)


# -- page, styles ----------------------------------------------------------------------------


def _landscape(options: HandoutOptions) -> bool:
    """Review handouts are always landscape: five columns need the width."""
    return options.landscape or options.audience is Audience.REVIEW


def _page_size(options: HandoutOptions) -> tuple[Length, Length]:

    width, height = page_mm(options.paper.value, _landscape(options))
    return Mm(width), Mm(height)


def _setup_page(doc: Document, options: HandoutOptions) -> None:

    section = doc.sections[0]
    width, height = _page_size(options)
    if _landscape(options):
        section.orientation = WD_ORIENT.LANDSCAPE
    else:
        section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = width, height
    section.left_margin = section.right_margin = Mm(SIDE_MARGIN_MM)
    section.top_margin = Mm(TOP_MARGIN_MM)
    section.bottom_margin = Mm(BOTTOM_MARGIN_MM)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)


def _setup_styles(doc: Document, script: ScriptInfo) -> None:

    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, script, zh=False)
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "60")
    spacing.set(qn("w:line"), "264")

    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)

    # Themes name Japanese as the East Asian language of the template; say what this text is.
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), script.word_lang)
    _font_table(doc, script)

    for name, size in (("Heading 2", 12.0),):
        style = doc.styles[name]
        srpr = style.element.get_or_add_rPr()
        _set_fonts(srpr, script, zh=False)
        for color in srpr.findall(qn("w:color")):
            srpr.remove(color)
        style.font.color.rgb = RGBColor(0x1F, 0x38, 0x64)
        style.font.size = Pt(size)
        style.paragraph_format.space_before = Pt(4)
        style.paragraph_format.space_after = Pt(2)

    if "Hyperlink" not in [s.name for s in doc.styles]:
        link = doc.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        link.font.color.rgb = RGBColor(*LINK_COLOR)
        link.font.underline = True


def _font_table(doc: Document, script: ScriptInfo) -> None:
    """Declare the CJK face with its Windows alternative and code page, so a Word without it
    substitutes a Chinese face of the same script; drop the template's Japanese faces."""

    part = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    fonts = parse_xml(part.blob)
    for font in fonts.findall(qn("w:font")):
        charset = font.find(qn("w:charset"))
        if charset is not None and charset.get(qn("w:val")) == "80":  # Shift-JIS: Japanese
            fonts.remove(font)
    font = _el("w:font", name=script.fonts[0])
    font.append(_el("w:altName", val=script.word_alt))
    font.append(_el("w:panose1", val="02020500000000000000"))  # serif (Song/Ming)
    font.append(_el("w:charset", val=script.charset))
    font.append(_el("w:family", val="roman"))
    font.append(_el("w:pitch", val="variable"))
    csb0 = f"{(1 << script.code_page_bit) | 1:08X}"  # the script's code page, and Latin 1
    font.append(
        _el("w:sig", usb0="00000003", usb1="2ACF3C50", usb2="00000016", usb3="00000000",
            csb0=csb0, csb1="00000000")
    )  # fmt: skip
    fonts.append(font)

    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


# -- title block, footer, properties ----------------------------------------------------------


def _hyperlink(p: Paragraph, url: str, text: str, script: ScriptInfo, size: float) -> None:

    rel_id = p.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = _el("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    p._p.append(link)
    r = _el("w:r")
    link.append(r)
    run = Run(r, p)
    run.text = writable_text(text)
    run.style = "Hyperlink"
    run.font.size = Pt(size)
    _set_fonts(r.get_or_add_rPr(), script, zh=False)


def _small_line(doc: Document, space_after: float = 0) -> Paragraph:

    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(space_after)
    return p


def _title_block(
    doc: Document, article: Article, script: ScriptInfo, options: HandoutOptions
) -> None:
    """Headline in Chinese, in English, then outlet · author · date, credits and the source."""

    size = SMALL_PT + 1
    title_zh, title_english = article.title, title_en(article)
    if title_zh and options.layout.shows_zh:
        p = _small_line(doc, 2)
        _run(p, title_zh, script, zh=True, bold=True, size=TITLE_PT)
    if options.layout.shows_en or options.audience is Audience.REVIEW:
        if title_english:
            p = _small_line(doc, 4)
            _run(p, title_english, script, zh=False, bold=True, size=EN_TITLE_PT)
        elif title_zh and not options.layout.shows_zh:
            p = _small_line(doc, 4)
            _run(p, UNTRANSLATED, script, zh=False, italic=True, size=EN_TITLE_PT, color=GREY)
    p = _small_line(doc)
    _run(p, "  ·  ".join(byline(article)), script, zh=True, size=size, color=GREY)
    for credit in article.credits:
        _run(_small_line(doc), credit, script, zh=True, size=size, color=GREY)
    if article.source_url:
        p = _small_line(doc)
        _run(p, "Source: ", script, zh=False, size=size, color=GREY)
        href = safe_href(article.source_url)
        text = display_url(article.source_url)
        if href:
            _hyperlink(p, href, text, script, size)
        else:
            _run(p, text, script, zh=False, size=size, color=GREY)
    doc.paragraphs[-1].paragraph_format.space_after = Pt(8)
    if options.audience is Audience.REVIEW:
        p = _small_line(doc, 6)
        _run(p, REVIEW_HELP, script, zh=False, italic=True, size=size)
        _run(p, " " + review_notice(article), script, zh=False, italic=True, size=size)


REVIEW_HELP = (
    "Review handout: correct the English in its column, write remarks in the Comment column, "
    "and write “approved” in the Status column of each paragraph whose English is final (a "
    "correction without it comes back as a draft to confirm); leave the rest as it is; then "
    "bring your changes back with: bilingual import THIS.docx PROJECT.json."
)


def _footer(
    doc: Document, article: Article, prov: Provenance, script: ScriptInfo, options: HandoutOptions
) -> None:

    footer = doc.sections[0].footer
    p = footer.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER  # with the page number under it
    if options.audience is Audience.REVIEW:
        text = prov.signature()
    elif options.layout is Layout.CHINESE:
        text = "Chinese original."
    else:
        text = reader_footer(article, prov)
    _run(p, text, script, zh=False, size=SMALL_PT, color=GREY)
    p = footer.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, "Page ", script, zh=False, size=SMALL_PT, color=GREY)
    _field(p, "PAGE", script, SMALL_PT)
    _run(p, " of ", script, zh=False, size=SMALL_PT, color=GREY)
    _field(p, "NUMPAGES", script, SMALL_PT)


def _clip(text: str, limit: int = 255) -> str:
    """python-docx refuses core properties longer than 255 characters."""
    text = writable_text(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _core_properties(
    doc: Document, article: Article, prov: Provenance, options: HandoutOptions
) -> None:
    """Title, subject, source and the full provenance signature: where a reader looks in File >
    Properties, off the page."""
    props = doc.core_properties
    props.title = _clip(article.title or "")
    props.subject = _clip(title_en(article) or "Chinese article with English translation")
    captured = format_date(article.captured_at)
    lines = [
        prov.signature(),
        f"Page captured {captured}" if captured else "",
        review_notice(article),
    ]
    props.comments = _clip("\n".join(line for line in lines if line))
    if article.source_url and len(article.source_url) <= 255:
        props.identifier = article.source_url
    props.keywords = "bilingual handout; Chinese; English"
    props.author = _clip(article.author or "")
    props.last_modified_by = "bilingual"
    props.language = f"{script_info(article).word_lang}, en-US"
    now = datetime.now(timezone.utc).replace(microsecond=0)
    props.created = props.modified = now
    props.revision = 1
    if options.audience is Audience.REVIEW:
        props.category = REVIEW_CATEGORY
        props.content_status = project_key(article)


# -- body --------------------------------------------------------------------------------------


def _number(p: Paragraph, row: Row, script: ScriptInfo) -> None:
    """The paragraph number a class points at ("look at §7"), as the HTML shows it."""
    _run(p, f"§{row.number}  ", script, zh=False, size=SMALL_PT, color=GREY)


def _write_zh(p: Paragraph, row: Row, script: ScriptInfo, *, numbered: bool = True) -> None:
    block = row.block
    if block.kind is Kind.HEADING:
        p.style = "Heading 2"
    if numbered:
        _number(p, row, script)
    _run(
        p,
        block.zh,
        script,
        zh=True,
        size=9 if block.kind is Kind.CAPTION else None,
    )


def _write_en(
    p: Paragraph, row: Row, script: ScriptInfo, *, numbered: bool = False, mark: bool = True
) -> None:
    block = row.block
    if block.kind is Kind.HEADING:
        p.style = "Heading 2"
    if numbered:
        _number(p, row, script)
    if block.en is None:
        _run(p, UNTRANSLATED, script, zh=False, italic=True, color=GREY)
        return
    _run(
        p,
        block.en,
        script,
        zh=False,
        italic=block.kind in (Kind.QUOTE, Kind.CAPTION),
        size=9 if block.kind is Kind.CAPTION else None,
    )
    if mark and block.status.reviewed:
        # A glyph, not a colour: it survives greyscale printing; the footer says what it means.
        _run(p, f" {REVIEWED_MARK}", script, zh=False, size=SMALL_PT, color=GREY)


def _row_props(row: Any, *, header: bool, keep_whole: bool = True) -> None:
    trpr = row._tr.get_or_add_trPr()
    if keep_whole:
        trpr.append(_el("w:cantSplit"))
    if header:
        trpr.append(_el("w:tblHeader"))


def _table(
    doc: Document, widths: list[Length], labels: list[tuple[str, bool]], script: ScriptInfo
) -> Table:
    """A fixed-layout grid with the given column widths and a header row repeated on every page."""

    table = doc.add_table(rows=0, cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    tblpr = table._tbl.tblPr
    layout = tblpr.find(qn("w:tblLayout"))
    if layout is None:
        layout = _el("w:tblLayout")
        tblpr.append(layout)
    layout.set(qn("w:type"), "fixed")
    _align_to_margins(tblpr, sum(widths))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    cells = _add_row(table, widths, header=True)
    for cell, (label, zh) in zip(cells, labels, strict=True):
        _shade_cell(cell, HEADER_FILL)
        p = cell.paragraphs[0]
        p.paragraph_format.space_after = Pt(0)
        _run(p, label, script, zh=zh, bold=True, size=SMALL_PT + 1)
    return table


def _align_to_margins(tblpr: Any, width: int) -> None:
    """The table's borders on the text margins, where the title starts: Word (in the
    compatibility mode python-docx's template declares) and LibreOffice put the cell text, not
    the border, at the indent, so the border stood a cell margin (1.9 mm) left of the title and
    as far short of the right margin. Indenting by the cell margin, set here too, lines them up."""

    for tag in ("w:tblW", "w:tblInd", "w:tblCellMar"):
        for old in tblpr.findall(qn(tag)):
            tblpr.remove(old)
    margin = str(CELL_MARGIN_TWIPS)
    tblw = _el("w:tblW", w=str(round(width / 635)), type="dxa")  # EMU to twips
    ind = _el("w:tblInd", w=margin, type="dxa")
    cell_margins = _el("w:tblCellMar")
    for side in ("top", "bottom"):
        cell_margins.append(_el(f"w:{side}", w="0", type="dxa"))
    for side in ("left", "right"):
        cell_margins.append(_el(f"w:{side}", w=margin, type="dxa"))
    # The schema's order: tblStyle, ..., tblW, jc, tblCellSpacing, tblInd, ..., tblLayout,
    # tblCellMar, tblLook.
    layout = tblpr.find(qn("w:tblLayout"))
    layout.addprevious(tblw)
    layout.addprevious(ind)
    layout.addnext(cell_margins)


def _add_row(
    table: Table, widths: list[Length], *, header: bool = False, keep_whole: bool = True
) -> list[_Cell]:
    # Not table.add_row(): it looks up the table grid, and lxml's child lookups scan every
    # row, which made a long article quadratic (20,000 rows took over a minute).

    tr = table._tbl._add_tr()
    _row_props(_Row(tr, table), header=header, keep_whole=keep_whole)
    cells = [_Cell(tr.add_tc(), table) for _ in widths]
    for cell, width in zip(cells, widths, strict=True):
        cell.width = width
    return cells


class _Appender:
    """`add_paragraph` at the end of the body in constant time: python-docx's own looks for the
    section properties by scanning every paragraph, which made long articles quadratic."""

    def __init__(self, doc: Document) -> None:
        self._body = doc._body
        self._end = doc.element.body.sectPr

    def add_paragraph(self) -> Paragraph:

        p = OxmlElement("w:p")
        if self._end is not None:
            self._end.addprevious(p)
        else:
            self._body._element.append(p)
        return Paragraph(p, self._body)


def _keep_whole(cells: list[tuple[str | None, Length, bool]], options: HandoutOptions) -> bool:

    height = _page_size(options)[1] / Mm(1)
    return keeps_whole([(text, width / Mm(1), zh) for text, width, zh in cells], height)


def _text_width(options: HandoutOptions) -> int:

    return int(_page_size(options)[0] - 2 * Mm(SIDE_MARGIN_MM))


def _split(total: int, article: Article) -> list[Length]:
    """Chinese and English widths out of `total`, in the shares their text needs."""

    zh = int(total * zh_share(article))
    return [Emu(zh), Emu(total - zh)]


def _side_by_side(
    doc: Document, article: Article, script: ScriptInfo, options: HandoutOptions
) -> None:
    widths = _split(_text_width(options), article)
    table = _table(doc, widths, [(ZH_LABEL, True), (EN_LABEL, False)], script)
    for row in body_rows(article):
        cells = [(row.block.zh, widths[0], True), (row.block.en, widths[1], False)]
        zh_cell, en_cell = _add_row(table, widths, keep_whole=_keep_whole(cells, options))
        _write_zh(zh_cell.paragraphs[0], row, script)
        _write_en(en_cell.paragraphs[0], row, script)
        if row.block.en is None:
            _shade_cell(en_cell, UNTRANSLATED_FILL)


def _interleaved(doc: Document, article: Article, script: ScriptInfo) -> None:

    body = _Appender(doc)
    for row in body_rows(article):
        zh = body.add_paragraph()
        zh.paragraph_format.keep_with_next = True
        zh.paragraph_format.space_after = Pt(2)
        _write_zh(zh, row, script)
        en = body.add_paragraph()
        en.paragraph_format.left_indent = Mm(6)
        en.paragraph_format.space_after = Pt(10)
        _write_en(en, row, script)
        if row.block.en is None:
            _shade_paragraph(en, UNTRANSLATED_FILL)


def _one_language(doc: Document, article: Article, script: ScriptInfo, *, zh: bool) -> None:
    """The body in one language: each paragraph once, numbered as in the bilingual handout."""

    body = _Appender(doc)
    for row in body_rows(article):
        p = body.add_paragraph()
        p.paragraph_format.space_after = Pt(6)
        if zh:
            _write_zh(p, row, script)
        else:
            _write_en(p, row, script, numbered=True)
        for run in p.runs[1:]:  # one column: a larger size keeps the lines readable
            if run.font.size is None:
                run.font.size = Pt(SINGLE_PT)


# -- review handout ----------------------------------------------------------------------------


def _review_table(
    doc: Document, article: Article, script: ScriptInfo, options: HandoutOptions
) -> None:

    fixed = [Mm(mm) for mm in review_columns_mm(article)]
    zh_w, en_w = _split(_text_width(options) - sum(fixed), article)
    widths = [fixed[0], fixed[1], zh_w, en_w, fixed[2]]
    table = _table(doc, widths, [(h, h == ZH_LABEL) for h in HEADERS], script)
    for row in rows(article):
        block = row.block
        cells = [
            ("\n".join(map(flag_sentence, block.flags)), widths[1], False),
            (block.zh, widths[2], True),
            (block.en, widths[3], False),
            (comment_of(block), widths[4], False),
        ]
        keep = _keep_whole(cells, options)
        num, status, zh_cell, en_cell, comment = _add_row(table, widths, keep_whole=keep)
        p = num.paragraphs[0]
        _run(p, "title" if row.number == 0 else f"§{row.number}", script, zh=False, size=SMALL_PT)
        hidden = _run(p, hidden_key(block), script, zh=False)
        hidden._r.get_or_add_rPr().append(_el("w:vanish"))
        _status(status, block, script)
        _run(zh_cell.paragraphs[0], block.zh, script, zh=True)
        if block.en is not None:
            _run(en_cell.paragraphs[0], block.en, script, zh=False)
        else:
            _shade_cell(en_cell, UNTRANSLATED_FILL)
        text = comment_of(block)
        if text:
            _run(comment.paragraphs[0], text, script, zh=False, size=SMALL_PT + 1)
        if block.flags:
            for cell in (num, status):
                _shade_cell(cell, FLAG_FILL)
        for cell in (num, status, zh_cell, en_cell, comment):
            cell.paragraphs[0].paragraph_format.space_after = Pt(0)


def _status(cell: _Cell, block: Block, script: ScriptInfo) -> None:
    """Status in a word, then what the checks found, in plain words."""

    p = cell.paragraphs[0]
    word = STATUS_WORDS[block.status.value] if block.en is not None else STATUS_WORDS["new"]
    if block.status.reviewed:
        word += f" {REVIEWED_MARK}"
    _run(p, word, script, zh=False, bold=True, size=SMALL_PT)
    for text in map(flag_sentence, block.flags):
        note = cell.add_paragraph()
        note.paragraph_format.space_after = Pt(2)
        _run(note, f"{FLAG_MARK} {text}", script, zh=False, size=SMALL_PT - 0.5, color=FLAG_COLOR)
