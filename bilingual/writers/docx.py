"""DOCX handouts: Chinese left, English right (or interleaved), ready to print from Word.

python-docx has no API for fonts per script, language tags, repeating header rows, unsplittable
rows, fields or hyperlinks, so those are set on the XML; everything else goes through its API.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from bilingual.document import Article, Block, Kind
from bilingual.writers import HandoutOptions, Layout, Paper
from bilingual.writers.common import (
    EN_LABEL,
    UNTRANSLATED,
    ZH_LABEL,
    Provenance,
    Row,
    ScriptInfo,
    clean_text,
    display_url,
    flag_note,
    format_date,
    review_notice,
    rows,
    safe_href,
    script_info,
    title_en,
)

if TYPE_CHECKING:
    from docx.document import Document
    from docx.shared import Length
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

LATIN_FONT = "Times New Roman"
BODY_PT = 10.5  # 五号, the usual size of Chinese body text
TITLE_PT = 16
SMALL_PT = 8
SIDE_MARGIN_MM = 18
FLAG_FILL = "FFF2CC"
UNTRANSLATED_FILL = "F2F2F2"
HEADER_FILL = "D9E2F3"
GREY = (0x59, 0x59, 0x59)
FLAG_COLOR = (0x9C, 0x57, 0x00)
LINK_COLOR = (0x05, 0x63, 0xC1)


def render(article: Article, options: HandoutOptions) -> bytes:
    import docx

    doc = docx.Document()
    script = script_info(article)
    prov = Provenance.of(article)
    _setup_page(doc, options)
    _setup_styles(doc, script)
    _metadata(doc, article, script)
    if options.layout is Layout.INTERLEAVED:
        _interleaved(doc, article, script)
    else:
        _side_by_side(doc, article, script, options)
    _footer(doc, prov, script)
    _core_properties(doc, article, prov)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# -- XML helpers -----------------------------------------------------------------------------


def _el(tag: str, **attrs: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


def _set_fonts(rpr: Any, script: ScriptInfo, *, zh: bool) -> None:
    """Latin font for Latin text, the script's CJK face for Han, and the language tags."""
    from docx.oxml.ns import qn

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
    from docx.shared import Pt, RGBColor

    run = p.add_run(clean_text(text))
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if size:
        run.font.size = Pt(size)
    if color:
        run.font.color.rgb = RGBColor(*color)
    _set_fonts(run._r.get_or_add_rPr(), script, zh=zh)
    return run


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


def _page_size(options: HandoutOptions) -> tuple[Length, Length]:
    from docx.shared import Inches, Mm

    width, height = (Mm(210), Mm(297)) if options.paper is Paper.A4 else (Inches(8.5), Inches(11))
    return (height, width) if options.landscape else (width, height)


def _setup_page(doc: Document, options: HandoutOptions) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    section = doc.sections[0]
    width, height = _page_size(options)
    if options.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
    else:
        section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = width, height
    section.left_margin = section.right_margin = Mm(SIDE_MARGIN_MM)
    section.top_margin = Mm(18)
    section.bottom_margin = Mm(20)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)


def _setup_styles(doc: Document, script: ScriptInfo) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

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


# -- metadata, footer, properties -------------------------------------------------------------


def _hyperlink(p: Paragraph, url: str, text: str, script: ScriptInfo, size: float) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn
    from docx.shared import Pt
    from docx.text.run import Run

    rel_id = p.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = _el("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    p._p.append(link)
    r = _el("w:r")
    link.append(r)
    run = Run(r, p)
    run.text = clean_text(text)
    run.style = "Hyperlink"
    run.font.size = Pt(size)
    _set_fonts(r.get_or_add_rPr(), script, zh=False)


def _meta_line(doc: Document, label: str, script: ScriptInfo) -> Paragraph:
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(0)
    _run(p, f"{label}: ", script, zh=False, bold=True, size=SMALL_PT + 1, color=GREY)
    return p


def _metadata(doc: Document, article: Article, script: ScriptInfo) -> None:
    from docx.shared import Pt

    size = SMALL_PT + 1
    if article.source_url:
        p = _meta_line(doc, "Source", script)
        href = safe_href(article.source_url)
        text = display_url(article.source_url)
        if href:
            _hyperlink(p, href, text, script, size)
        else:
            _run(p, text, script, zh=False, size=size, color=GREY)
    dates = [
        (label, format_date(value))
        for label, value in (("Published", article.published), ("Captured", article.captured_at))
    ]
    shown = [(label, value) for label, value in dates if value]
    if shown:
        p = _meta_line(doc, shown[0][0], script)
        _run(p, shown[0][1], script, zh=False, size=size, color=GREY)
        for label, value in shown[1:]:
            _run(p, f"   {label}: ", script, zh=False, bold=True, size=size, color=GREY)
            _run(p, value, script, zh=False, size=size, color=GREY)
    p = doc.add_paragraph()
    p.paragraph_format.space_before = Pt(3)
    p.paragraph_format.space_after = Pt(6)
    _run(p, review_notice(article), script, zh=False, italic=True, size=size)


def _footer(doc: Document, prov: Provenance, script: ScriptInfo) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    footer = doc.sections[0].footer
    p = footer.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    _run(p, prov.signature(), script, zh=False, size=SMALL_PT - 1, color=GREY)
    p = footer.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, "Page ", script, zh=False, size=SMALL_PT, color=GREY)
    _field(p, "PAGE", script, SMALL_PT)
    _run(p, " of ", script, zh=False, size=SMALL_PT, color=GREY)
    _field(p, "NUMPAGES", script, SMALL_PT)


def _clip(text: str, limit: int = 255) -> str:
    """python-docx refuses core properties longer than 255 characters."""
    text = clean_text(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _core_properties(doc: Document, article: Article, prov: Provenance) -> None:
    props = doc.core_properties
    props.title = _clip(article.title or "")
    props.subject = _clip(title_en(article) or "Chinese article with English translation")
    props.comments = _clip(f"{prov.signature()}\n{review_notice(article)}")
    if article.source_url and len(article.source_url) <= 255:
        props.identifier = article.source_url
    props.keywords = "bilingual handout; Chinese; English"
    props.author = ""
    props.last_modified_by = "bilingual"
    props.language = f"{script_info(article).word_lang}, en-US"
    now = datetime.now(timezone.utc).replace(microsecond=0)
    props.created = props.modified = now
    props.revision = 1


# -- body --------------------------------------------------------------------------------------


def _write_zh(p: Paragraph, block: Block, script: ScriptInfo) -> None:
    if block.kind is Kind.HEADING:
        p.style = "Heading 2"
    _run(
        p,
        block.zh,
        script,
        zh=True,
        bold=block.kind in (Kind.TITLE, Kind.LEAD),
        size=TITLE_PT if block.kind is Kind.TITLE else (9 if block.kind is Kind.CAPTION else None),
    )


def _write_en(p: Paragraph, block: Block, script: ScriptInfo) -> None:
    if block.kind is Kind.HEADING:
        p.style = "Heading 2"
    if block.en is None:
        _run(p, UNTRANSLATED, script, zh=False, italic=True, color=GREY)
        return
    _run(
        p,
        block.en,
        script,
        zh=False,
        bold=block.kind in (Kind.TITLE, Kind.LEAD),
        italic=block.kind in (Kind.QUOTE, Kind.CAPTION),
        size=TITLE_PT - 1
        if block.kind is Kind.TITLE
        else (9 if block.kind is Kind.CAPTION else None),
    )


def _note(p: Paragraph, block: Block, script: ScriptInfo) -> None:
    _run(p, flag_note(block), script, zh=False, size=SMALL_PT, color=FLAG_COLOR)


def _row_props(row: Any, *, header: bool) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(_el("w:cantSplit"))
    if header:
        trpr.append(_el("w:tblHeader"))


def _side_by_side(
    doc: Document, article: Article, script: ScriptInfo, options: HandoutOptions
) -> None:
    from docx.shared import Emu, Mm, Pt

    col = Emu((_page_size(options)[0] - 2 * Mm(SIDE_MARGIN_MM)) // 2)

    table = doc.add_table(rows=0, cols=2)
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    for column in table.columns:
        column.width = col

    def new_row(header: bool = False) -> tuple[_Cell, _Cell]:
        # Not table.add_row(): it looks up the table grid, and lxml's child lookups scan every
        # row, which made a long article quadratic (20,000 rows took over a minute).
        from docx.table import _Cell, _Row

        tr = table._tbl._add_tr()
        row = _Row(tr, table)
        _row_props(row, header=header)
        zh_cell, en_cell = (_Cell(tr.add_tc(), table) for _ in range(2))
        zh_cell.width = en_cell.width = col
        return zh_cell, en_cell

    zh_cell, en_cell = new_row(header=True)
    for cell, label, zh in ((zh_cell, ZH_LABEL, True), (en_cell, EN_LABEL, False)):
        _shade_cell(cell, HEADER_FILL)
        p = cell.paragraphs[0]
        p.paragraph_format.space_after = Pt(0)
        _run(p, label, script, zh=zh, bold=True)

    for item in rows(article):
        block = item.block
        zh_cell, en_cell = new_row()
        _write_zh(zh_cell.paragraphs[0], block, script)
        _write_en(en_cell.paragraphs[0], block, script)
        if block.flags:
            _shade_cell(zh_cell, FLAG_FILL)
            _shade_cell(en_cell, FLAG_FILL)
            _note(en_cell.add_paragraph(), block, script)
        elif block.en is None:
            _shade_cell(en_cell, UNTRANSLATED_FILL)


def _interleaved(doc: Document, article: Article, script: ScriptInfo) -> None:
    body = _Appender(doc)
    for item in rows(article):
        _pair(body, item, script)


class _Appender:
    """`add_paragraph` at the end of the body in constant time: python-docx's own looks for the
    section properties by scanning every paragraph, which made long articles quadratic."""

    def __init__(self, doc: Document) -> None:
        self._body = doc._body
        self._end = doc.element.body.sectPr

    def add_paragraph(self) -> Paragraph:
        from docx.oxml import OxmlElement
        from docx.text.paragraph import Paragraph

        p = OxmlElement("w:p")
        if self._end is not None:
            self._end.addprevious(p)
        else:
            self._body._element.append(p)
        return Paragraph(p, self._body)


def _pair(doc: _Appender, item: Row, script: ScriptInfo) -> None:
    from docx.shared import Mm, Pt

    block = item.block
    zh = doc.add_paragraph()
    zh.paragraph_format.keep_with_next = True
    zh.paragraph_format.space_after = Pt(2)
    _write_zh(zh, block, script)
    en = doc.add_paragraph()
    en.paragraph_format.left_indent = Mm(4)
    en.paragraph_format.space_after = Pt(2 if block.flags else 10)
    _write_en(en, block, script)
    if block.flags:
        en.paragraph_format.keep_with_next = True
        _shade_paragraph(zh, FLAG_FILL)
        _shade_paragraph(en, FLAG_FILL)
        note = doc.add_paragraph()
        note.paragraph_format.left_indent = Mm(4)
        note.paragraph_format.space_after = Pt(10)
        _note(note, block, script)
    elif block.en is None:
        _shade_paragraph(en, UNTRANSLATED_FILL)
