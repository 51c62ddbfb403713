"""HTML handouts: one self-contained page that reads on a phone, a desktop and on paper.

Every string from the article goes through `html.escape`; the only URL that becomes a link is an
absolute http(s) source URL. No external fonts, scripts or images: it works offline and by e-mail.
"""

from __future__ import annotations

from html import escape

from bilingual.document import Article, Block, Kind
from bilingual.writers import HandoutOptions, Layout, Paper
from bilingual.writers.common import (
    EN_LABEL,
    SCRIPTS,
    UNTRANSLATED,
    ZH_LABEL,
    Provenance,
    Row,
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

_CSS = """
:root { --ink: #1a1a1a; --muted: #595959; --rule: #c8ccd4; --flag: #fff2cc; --flag-ink: #8a4b00;
  --head: #dfe6f3; --missing: #f2f2f2; --link: #0563c1; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 72rem; padding: 1.25rem; color: var(--ink); background: #fff;
  font: 1rem/1.6 Georgia, "Times New Roman", "Liberation Serif", serif; }
:lang(zh-Hans) { font-family: ZH_HANS_FONTS, serif; }
:lang(zh-Hant) { font-family: ZH_HANT_FONTS, serif; }
:lang(en) { font-family: Georgia, "Times New Roman", "Liberation Serif", serif; }
.meta { color: var(--muted); font-size: .85rem; margin: 0 0 .5rem; }
.meta p { margin: 0; }
.meta b { font-weight: 600; }
.notice { font-style: italic; font-size: .85rem; margin: .35rem 0 1rem; }
a { color: var(--link); overflow-wrap: anywhere; }
.pairs { width: 100%; border-collapse: collapse; }
.pairs th { text-align: left; background: var(--head); font-size: .9rem; padding: .3rem .6rem; }
.pairs td { vertical-align: top; padding: .45rem .6rem; border-top: 1px solid var(--rule); }
.pair { position: relative; }
.pair > * { overflow-wrap: break-word; }
.pair p { margin: 0; }
.num { font-size: .75rem; color: var(--muted); text-decoration: none; margin-right: .35em;
  font-family: Georgia, "Times New Roman", serif; }
.num:hover, .num:focus { text-decoration: underline; }
.title { font-size: 1.5rem; font-weight: 700; line-height: 1.35; margin: 0; }
.heading { font-size: 1.15rem; font-weight: 700; color: #1f3864; margin: 0; }
.lead { font-weight: 700; }
.quote :lang(en), .caption :lang(en) { font-style: italic; }
.caption { font-size: .85rem; }
.flagged { background: var(--flag); }
.flag { color: var(--flag-ink); font-size: .8rem; margin: .25rem 0 0; }
.missing { color: var(--muted); font-style: italic; background: var(--missing); }
:target { outline: 2px solid var(--link); outline-offset: -2px; }
footer { color: var(--muted); font-size: .75rem; margin-top: 1.5rem; border-top: 1px solid var(--rule);
  padding-top: .4rem; }
/* Screens: pairs as a two-column grid, stacked when narrow. */
@media screen {
  .pairs, .pairs thead, .pairs tbody { display: block; }
  .pairs tr { display: grid; grid-template-columns: 1fr 1fr; }
  .pairs th, .pairs td { display: block; min-width: 0; padding-left: .75rem; padding-right: .75rem; }
}
@media screen and (max-width: 44rem) {
  body { padding: .75rem; }
  .title { font-size: 1.3rem; }
  .pairs thead { display: none; }
  .pairs tr { grid-template-columns: 1fr; border-top: 1px solid var(--rule); padding: .35rem 0; }
  .pairs td { border-top: 0; padding: .2rem .4rem; }
  .pairs td:lang(en) { border-left: 3px solid var(--head); margin-left: .4rem; }
}
body.interleaved { max-width: 50rem; }
.interleaved .pair { padding: .4rem .5rem; margin: 0 0 .6rem; border-left: 3px solid transparent; }
.interleaved .pair.flagged { border-left-color: var(--flag-ink); }
.interleaved .en { margin-left: 1.25rem; }
@page { size: PAGE_SIZE; margin: 16mm 15mm 18mm;
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; color: #595959; } }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  a { color: inherit; }
  .pairs { table-layout: fixed; }
  .pairs thead { display: table-header-group; }
  .pairs th, .pairs td { width: 50%; border: 1px solid var(--rule); }
  .pairs tr, .interleaved .pair { break-inside: avoid; page-break-inside: avoid; }
  /* The prefixed name is the one every engine reads (and the validators know). */
  .flagged, .missing, .pairs th { -webkit-print-color-adjust: exact; }
  :target { outline: none; }
}
"""


def _css(options: HandoutOptions) -> str:
    size = "A4" if options.paper is Paper.A4 else "letter"
    if options.landscape:
        size += " landscape"
    hans = ", ".join(f'"{f}"' for f in SCRIPTS["zh-Hans"].fonts)
    hant = ", ".join(f'"{f}"' for f in SCRIPTS["zh-Hant"].fonts)
    return (
        _CSS.replace("ZH_HANS_FONTS", hans)
        .replace("ZH_HANT_FONTS", hant)
        .replace("PAGE_SIZE", size)
        .strip()
    )


def _e(text: str) -> str:
    return escape(clean_text(text), quote=True)


def render(article: Article, options: HandoutOptions) -> bytes:
    script = script_info(article)
    prov = Provenance.of(article)
    zh_lang = script.html_lang
    title = article.title or "Untitled"
    en_title = title_en(article)
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
    out += [f"<style>\n{_css(options)}\n</style>", "</head>"]

    layout_class = "interleaved" if options.layout is Layout.INTERLEAVED else "side-by-side"
    out.append(f'<body class="{layout_class}">')
    out.append(_metadata(article))
    out.append(f'<p class="notice" role="note">{_e(review_notice(article))}</p>')
    if options.layout is Layout.INTERLEAVED:
        out.append("<main>")
        out += [_pair_block(row, zh_lang) for row in rows(article)]
        out.append("</main>")
    else:
        out += [
            '<main><table class="pairs">',
            "<thead><tr>",
            f'<th scope="col" lang="{zh_lang}">{ZH_LABEL}</th>',
            f'<th scope="col" lang="en">{EN_LABEL}</th>',
            "</tr></thead>",
            "<tbody>",
        ]
        out += [_pair_row(row, zh_lang) for row in rows(article)]
        out += ["</tbody>", "</table></main>"]
    out.append(f"<footer><p>{_e(prov.signature())}</p></footer>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out).encode("utf-8")


def _metadata(article: Article) -> str:
    lines: list[str] = []
    if article.source_url:
        href = safe_href(article.source_url)
        shown = _e(display_url(article.source_url))
        link = f'<a href="{_e(href)}" rel="noopener noreferrer">{shown}</a>' if href else shown
        lines.append(f"<p><b>Source:</b> {link}</p>")
    dates = []
    for label, value in (("Published", article.published), ("Captured", article.captured_at)):
        shown_date = format_date(value)
        if shown_date:
            dates.append(f"<b>{label}:</b> {_e(shown_date)}")
    if dates:
        lines.append(f"<p>{' &nbsp; '.join(dates)}</p>")
    if not lines:
        return ""
    return '<header class="meta">\n' + "\n".join(lines) + "\n</header>"


def _classes(block: Block) -> str:
    classes = ["pair", block.kind.value]
    if block.flags:
        classes.append("flagged")
    return " ".join(classes)


def _number(row: Row) -> str:
    """The visible § link reviewers copy to point at one paragraph; the title has none."""
    if row.number == 0:
        return ""
    return (
        f'<a class="num" href="#{row.anchor}" title="Link to paragraph {row.number}">'
        f"§{row.number}</a>"
    )


def _zh(row: Row) -> str:
    block = row.block
    text = _e(block.zh)
    if block.kind is Kind.TITLE:
        return f'<h1 class="title">{_number(row)}{text}</h1>'
    if block.kind is Kind.HEADING:
        return f'<h2 class="heading">{_number(row)}{text}</h2>'
    return f"<p>{_number(row)}{text}</p>"


def _en(row: Row) -> str:
    block = row.block
    if block.en is None:
        body = f'<p class="missing">{_e(UNTRANSLATED)}</p>'
    elif block.kind is Kind.TITLE:
        body = f'<p class="title">{_e(block.en)}</p>'
    elif block.kind is Kind.HEADING:
        body = f'<p class="heading">{_e(block.en)}</p>'
    else:
        body = f"<p>{_e(block.en)}</p>"
    if block.flags:
        body += f'\n<p class="flag">{_e(flag_note(block))}</p>'
    return body


def _pair_row(row: Row, zh_lang: str) -> str:
    block = row.block
    return (
        f'<tr id="{row.anchor}" class="{_classes(block)}" data-block="{_e(block.id)}">\n'
        f'<td lang="{zh_lang}">{_zh(row)}</td>\n'
        f'<td lang="en">{_en(row)}</td>\n'
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
