"""HTML handouts: one self-contained page that reads on a phone, a desktop and on paper.

The same two audiences as the DOCX: a reader handout (title block, §N paragraphs side by side,
interleaved or in one language, reviewed ones marked ✓, a plain footer, the provenance in <meta>)
and a review handout (§N, status with the checks' findings in plain words, Chinese, English,
comment). Every string from the article goes through `html.escape`; the only URL that becomes a
link is an absolute http(s) source URL. No external fonts, scripts or images: it works offline
and by e-mail.
"""

from __future__ import annotations

from html import escape

from bilingual.document import EN_LABEL, FLAG_MARK, ZH_LABEL, Article, Block, Kind
from bilingual.provenance import Provenance, review_notice
from bilingual.translation.checks import flag_sentence
from bilingual.writers import Audience, HandoutOptions, Layout, Paper
from bilingual.writers.common import (
    REVIEWED_MARK,
    SCRIPTS,
    SIDE_MARGIN_MM,
    STATUS_WORDS,
    UNTRANSLATED,
    Row,
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

# Print sizes follow the DOCX (10.5 pt body, the same margins and column shares), so both print
# to about the same number of pages.
_CSS = """
:root { --ink: #1a1a1a; --muted: #595959; --rule: #c8ccd4; --flag: #fff2cc; --flag-ink: #8a4b00;
  --head: #dfe6f3; --missing: #f2f2f2; --link: #0563c1; --zh: ZH_SHAREfr; --en: EN_SHAREfr; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 72rem; padding: 1.25rem; color: var(--ink); background: #fff;
  font: 1rem/1.6 Georgia, "Times New Roman", "Liberation Serif", serif; }
:lang(zh-Hans) { font-family: ZH_HANS_FONTS, serif; }
:lang(zh-Hant) { font-family: ZH_HANT_FONTS, serif; }
:lang(en) { font-family: Georgia, "Times New Roman", "Liberation Serif", serif; }
.titleblock { margin: 0 0 1rem; }
.titleblock h1 { font-size: 1.6rem; line-height: 1.3; margin: 0 0 .15rem; }
.titleblock .title-en { font-size: 1.25rem; font-weight: 700; line-height: 1.3; margin: 0 0 .35rem; }
.meta { color: var(--muted); font-size: .85rem; margin: 0; }
.help { font-style: italic; font-size: .85rem; margin: .5rem 0 0; }
a { color: var(--link); overflow-wrap: anywhere; }
.pairs { width: 100%; border-collapse: collapse; }
.pairs th { text-align: left; background: var(--head); font-size: .9rem; padding: .3rem .6rem; }
.pairs td { vertical-align: top; padding: .45rem .6rem; border-top: 1px solid var(--rule); }
.pair > * { overflow-wrap: break-word; }
.pair p { margin: 0; }
.num { font-size: .75rem; color: var(--muted); text-decoration: none; margin-right: .45em;
  font-family: Georgia, "Times New Roman", serif; }
.num:hover, .num:focus { text-decoration: underline; }
.heading { font-size: 1.15rem; font-weight: 700; color: #1f3864; margin: 0; }
.quote :lang(en), .caption :lang(en) { font-style: italic; }
.caption { font-size: .85rem; }
.mark { font-size: .8em; color: var(--muted); margin-left: .3em; }
.missing { color: var(--muted); font-style: italic; background: var(--missing); }
.status { font-size: .8rem; font-weight: 700; }
.flag { color: var(--flag-ink); font-size: .8rem; font-weight: 400; margin: .25rem 0 0; }
.flagged .status { background: var(--flag); border-left: 3px solid var(--flag-ink); }
.comment { font-size: .85rem; }
:target { outline: 2px solid var(--link); outline-offset: -2px; }
footer { color: var(--muted); font-size: .75rem; margin-top: 1.5rem; border-top: 1px solid var(--rule);
  padding-top: .4rem; }
footer p { margin: 0; }
/* Screens: pairs as a grid in the columns' shares, stacked when narrow. */
@media screen {
  .pairs, .pairs thead, .pairs tbody { display: block; }
  .pairs colgroup { display: none; }
  .pairs tr { display: grid; grid-template-columns: var(--zh) var(--en); }
  .review .pairs tr { grid-template-columns: 3.5rem 8rem var(--zh) var(--en) 10rem; }
  .pairs th, .pairs td { display: block; min-width: 0; padding-left: .75rem; padding-right: .75rem; }
}
@media screen and (max-width: 44rem) {
  body { padding: .75rem; }
  .titleblock h1 { font-size: 1.35rem; }
  .titleblock .title-en { font-size: 1.1rem; }
  .pairs thead { display: none; }
  .pairs tr, .review .pairs tr { grid-template-columns: 1fr; border-top: 1px solid var(--rule);
    padding: .35rem 0; }
  .pairs td { border-top: 0; padding: .2rem .4rem; }
  .pairs td.en { border-left: 3px solid var(--head); margin-left: .4rem; }
}
body.interleaved, body.english, body.chinese { max-width: 50rem; }
.interleaved .pair { padding: .4rem .5rem; margin: 0 0 .6rem; }
.interleaved .en { margin-left: 1.25rem; }
.single .pair { margin: 0 0 .6rem; }
@page { size: PAGE_SIZE; margin: 18mm 18mm 20mm;
  @bottom-center { content: FOOTER_NOTICE "\\A Page " counter(page) " of " counter(pages);
    white-space: pre-wrap; font-size: 8pt; line-height: 1.35; color: #595959;
    vertical-align: top; padding-top: 4mm; } }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; line-height: 1.25; }
  :lang(zh-Hans), :lang(zh-Hant) { line-height: 1.45; }
  .single main { font-size: 12pt; }  /* one column: a larger size keeps lines readable */
  .titleblock h1 { font-size: 16pt; }
  .titleblock .title-en { font-size: 13pt; }
  .meta, .help { font-size: 9pt; }
  a { color: inherit; }
  .pairs { table-layout: fixed; }
  col.zh { width: ZH_SHARE%; } col.en { width: EN_SHARE%; }
  .review col.num { width: NUM_MMmm; } .review col.status { width: STATUS_MMmm; }
  .review col.comment { width: COMMENT_MMmm; }
  .review col.zh { width: calc((100% - FIXED_MMmm) * ZH_FRACTION); }
  .review col.en { width: calc((100% - FIXED_MMmm) * EN_FRACTION); }
  .pairs thead { display: table-header-group; }
  .pairs th { font-size: 9pt; padding: 1pt 5pt; }
  .pairs th, .pairs td { border: .75pt solid #000; }
  .pairs td { padding: 1pt 5pt 2pt; }
  .pairs tr, .interleaved .pair { break-inside: avoid; page-break-inside: avoid; }
  /* A row taller than a third of a page may break: kept whole, it would leave a gap as tall. */
  .pairs tr.long { break-inside: auto; page-break-inside: auto; }
  .num { font-size: 8pt; }
  .flagged .status { border-left: 2pt solid #000; }
  /* Printed at the end too: Firefox and Safari print no page margin boxes (Chromium 131+
     does), and the notice must reach every reader's paper. */
  footer { font-size: 8pt; margin-top: 6pt; }
  /* The prefixed name is the one every engine reads (and the validators know). */
  .flagged .status, .missing, .pairs th { -webkit-print-color-adjust: exact; }
  :target { outline: none; }
}
"""


def _css_string(text: str) -> str:
    """`text` as a CSS string literal that cannot end the string, the rule or the <style>."""
    out = []
    for ch in writable_text(text):
        if ch in '"\\<>&' or ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\{ord(ch):X} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _footer_text(article: Article, prov: Provenance, options: HandoutOptions) -> str:
    """What the handout says about its English, at the end of the page and, in print, at the
    foot of every page (as the DOCX footer does)."""
    if options.audience is Audience.REVIEW:
        return prov.signature()
    if options.layout is Layout.CHINESE:
        return "Chinese original."
    return reader_footer(article, prov)


def _css(article: Article, options: HandoutOptions, footer: str) -> str:
    size = "A4" if options.paper is Paper.A4 else "letter"
    if options.landscape or options.audience is Audience.REVIEW:
        size += " landscape"  # as the DOCX: five columns need the width
    hans = ", ".join(f'"{f}"' for f in SCRIPTS["zh-Hans"].fonts)
    hant = ", ".join(f'"{f}"' for f in SCRIPTS["zh-Hant"].fonts)
    share = round(zh_share(article) * 100)
    num, status, comment = review_columns_mm(article)
    return (
        _CSS.replace("ZH_HANS_FONTS", hans)
        .replace("ZH_HANT_FONTS", hant)
        .replace("PAGE_SIZE", size)
        .replace("NUM_MM", f"{num:g}")
        .replace("STATUS_MM", f"{status:g}")
        .replace("COMMENT_MM", f"{comment:g}")
        .replace("FIXED_MM", f"{num + status + comment:g}")
        .replace("ZH_SHARE", str(share))
        .replace("EN_SHARE", str(100 - share))
        .replace("ZH_FRACTION", f"{share / 100:.2f}")
        .replace("EN_FRACTION", f"{(100 - share) / 100:.2f}")
        .replace("FOOTER_NOTICE", _css_string(footer))  # last: the article's text, replaced by none
        .strip()
    )


def _e(text: str) -> str:
    return escape(writable_text(text), quote=True)


def to_bytes(article: Article, options: HandoutOptions) -> bytes:
    script = script_info(article)
    prov = Provenance.of(article)
    zh_lang = script.html_lang
    review = options.audience is Audience.REVIEW
    title = article.title or "Untitled"
    en_title = title_en(article)
    if options.layout is Layout.ENGLISH and not review:
        page_title = en_title or title
    elif options.layout is Layout.CHINESE and not review:
        page_title = title
    else:
        page_title = f"{title} — {en_title}" if en_title else title

    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(page_title)}</title>",
        f'<meta name="generator" content="{_e(prov.signature())}">',
    ]
    out += [f'<meta name="{_e(k)}" content="{_e(v)}">' for k, v in prov.meta().items()]
    if article.source_url:
        out.append(f'<meta name="bilingual:source" content="{_e(article.source_url)}">')
    # When the page was saved: provenance, kept off the page (it read as "captured before
    # published" next to a date without a time zone).
    for name, value in (("captured-at", article.captured_at), ("published", article.published)):
        if value:
            out.append(f'<meta name="bilingual:{name}" content="{_e(value)}">')
    footer = _footer_text(article, prov, options)
    out += [f"<style>\n{_css(article, options, footer)}\n</style>", "</head>"]

    if review:
        body_class = "review"
    elif options.layout in (Layout.ENGLISH, Layout.CHINESE):
        body_class = f"single {options.layout.value}"
    else:
        body_class = options.layout.value
    out.append(f'<body class="{body_class}">')
    out.append(_title_block(article, zh_lang, options))
    out.append("<main>")
    if review:
        out += _review_table(article, zh_lang, _page_mm(options))
    elif options.layout is Layout.INTERLEAVED:
        out += [_pair_block(row, zh_lang) for row in body_rows(article)]
    elif options.layout in (Layout.ENGLISH, Layout.CHINESE):
        zh = options.layout is Layout.CHINESE
        out += [_single(row, zh_lang, zh=zh) for row in body_rows(article)]
    else:
        out += [
            '<table class="pairs">',
            '<colgroup><col class="zh"><col class="en"></colgroup>',
            "<thead><tr>",
            f'<th scope="col" lang="{zh_lang}">{ZH_LABEL}</th>',
            f'<th scope="col" lang="en">{EN_LABEL}</th>',
            "</tr></thead>",
            "<tbody>",
        ]
        width, height = _page_mm(options)
        share = zh_share(article)
        widths = (width * share, width * (1 - share))
        out += [_pair_row(row, zh_lang, widths, height) for row in body_rows(article)]
        out += ["</tbody>", "</table>"]
    out.append("</main>")
    out.append(f"<footer><p>{_e(footer)}</p></footer>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out).encode("utf-8")


def _title_block(article: Article, zh_lang: str, options: HandoutOptions) -> str:
    review = options.audience is Audience.REVIEW
    # In the review table the title is a row of its own, with the anchor.
    lines = ['<header class="titleblock">' if review else '<header class="titleblock" id="title">']
    en_title = title_en(article)
    if article.title and (options.layout.shows_zh or review):
        lines.append(f'<h1 lang="{zh_lang}">{_e(article.title)}</h1>')
    if options.layout.shows_en or review:
        if en_title:
            tag = "p" if options.layout.shows_zh or review else "h1"
            lines.append(f'<{tag} class="title-en" lang="en">{_e(en_title)}</{tag}>')
        elif article.title and not options.layout.shows_zh:
            lines.append(f'<h1 class="title-en missing" lang="en">{_e(UNTRANSLATED)}</h1>')
    parts = [_e(p) for p in byline(article)]
    lines.append(f'<p class="meta">{" &nbsp;·&nbsp; ".join(parts)}</p>')
    lines += [f'<p class="meta" lang="{zh_lang}">{_e(c)}</p>' for c in article.credits]
    if article.source_url:
        href = safe_href(article.source_url)
        shown = _e(display_url(article.source_url))
        link = f'<a href="{_e(href)}" rel="noopener noreferrer">{shown}</a>' if href else shown
        lines.append(f'<p class="meta">Source: {link}</p>')
    if review:
        lines.append(f'<p class="help">{_e(review_notice(article))}</p>')
    lines.append("</header>")
    return "\n".join(lines)


def _classes(block: Block, *extra: str) -> str:
    classes = ["pair", block.kind.value, *extra]
    if block.flags:
        classes.append("flagged")
    if block.status.reviewed and block.en is not None:
        classes.append("reviewed")
    return " ".join(classes)


def _number(row: Row) -> str:
    """The visible § link a class uses to point at one paragraph ("look at §7")."""
    return (
        f'<a class="num" href="#{row.anchor}" title="Link to paragraph {row.number}">'
        f"§{row.number}</a>"
    )


def _zh(row: Row, *, numbered: bool = True) -> str:
    block = row.block
    number = _number(row) if numbered else ""
    if block.kind is Kind.HEADING:
        return f'<h2 class="heading">{number}{_e(block.zh)}</h2>'
    return f"<p>{number}{_e(block.zh)}</p>"


def _mark(block: Block) -> str:
    if not (block.status.reviewed and block.en is not None):
        return ""
    return f'<span class="mark" role="img" aria-label="reviewed by a person">{REVIEWED_MARK}</span>'


def _en(row: Row, *, numbered: bool = False) -> str:
    block = row.block
    number = _number(row) if numbered else ""
    if block.en is None:
        return f'<p class="missing">{number}{_e(UNTRANSLATED)}</p>'
    if block.kind is Kind.HEADING:
        return f'<p class="heading">{number}{_e(block.en)}{_mark(block)}</p>'
    return f"<p>{number}{_e(block.en)}{_mark(block)}</p>"


def _pair_row(row: Row, zh_lang: str, widths: tuple[float, float], page_height: float) -> str:
    block = row.block
    cells = [(block.zh, widths[0], True), (block.en, widths[1], False)]
    extra = () if keeps_whole(cells, page_height) else ("long",)
    return (
        f'<tr id="{row.anchor}" class="{_classes(block, *extra)}" data-block="{_e(block.id)}">\n'
        f'<td class="zh" lang="{zh_lang}">{_zh(row)}</td>\n'
        f'<td class="en" lang="en">{_en(row)}</td>\n'
        "</tr>"
    )


def _pair_block(row: Row, zh_lang: str) -> str:
    block = row.block
    return (
        f'<div id="{row.anchor}" class="{_classes(block)}" data-block="{_e(block.id)}">\n'
        f'<div class="zh" lang="{zh_lang}">{_zh(row)}</div>\n'
        f'<div class="en" lang="en">{_en(row)}</div>\n'
        "</div>"
    )


def _single(row: Row, zh_lang: str, *, zh: bool) -> str:
    block = row.block
    lang = zh_lang if zh else "en"
    inner = _zh(row) if zh else _en(row, numbered=True)
    return (
        f'<div id="{row.anchor}" class="{_classes(block)}" lang="{lang}" '
        f'data-block="{_e(block.id)}">{inner}</div>'
    )


def _page_mm(options: HandoutOptions) -> tuple[float, float]:
    """The printed page's text width and page height (mm), as the @page rule sets them."""
    review = options.audience is Audience.REVIEW
    width, height = page_mm(options.paper.value, options.landscape or review)
    return width - 2 * SIDE_MARGIN_MM, height


def _review_table(article: Article, zh_lang: str, page: tuple[float, float]) -> list[str]:
    from bilingual.exchange.review_docx import HEADERS, comment_of

    fixed = review_columns_mm(article)
    share = zh_share(article)
    rest = page[0] - sum(fixed)
    widths = (fixed[1], rest * share, rest * (1 - share), fixed[2])

    head = "".join(
        f'<th scope="col"{f" lang={chr(34)}{zh_lang}{chr(34)}" if h == ZH_LABEL else ""}>{_e(h)}</th>'
        for h in HEADERS
    )
    cols = "".join(f'<col class="{c}">' for c in ("num", "status", "zh", "en", "comment"))
    out = [
        '<table class="pairs">',
        f"<colgroup>{cols}</colgroup>",
        f"<thead><tr>{head}</tr></thead>",
        "<tbody>",
    ]
    for row in rows(article):
        block = row.block
        label = "title" if row.number == 0 else f"§{row.number}"
        word = STATUS_WORDS[block.status.value] if block.en is not None else STATUS_WORDS["new"]
        status = _e(word) + (f" {REVIEWED_MARK}" if block.status.reviewed else "")
        flags = "".join(
            f'<p class="flag">{FLAG_MARK} {_e(t)}</p>' for t in map(flag_sentence, block.flags)
        )
        comment = comment_of(block)
        cells = [
            ("\n".join(map(flag_sentence, block.flags)), widths[0], False),
            (block.zh, widths[1], True),
            (block.en, widths[2], False),
            (comment, widths[3], False),
        ]
        extra = () if keeps_whole(cells, page[1]) else ("long",)
        out += [
            f'<tr id="{row.anchor}" class="{_classes(block, *extra)}" data-block="{_e(block.id)}">',
            f'<td class="num">{label}</td>',
            f'<td class="status">{status}{flags}</td>',
            f'<td class="zh" lang="{zh_lang}"><p>{_e(block.zh)}</p></td>',
            f'<td class="en" lang="en">{_en(row)}</td>',
            f'<td class="comment">{_e(comment) if comment else ""}</td>',
            "</tr>",
        ]
    out += ["</tbody>", "</table>"]
    return out
