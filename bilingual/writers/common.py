"""What every handout says the same way: rows, scripts, links, the footer, status words.

The labels live in `bilingual.document`, the provenance line and the review notice in
`bilingual.provenance`, so the exchange formats (XLIFF, review DOCX) say them the same way; what a
flag says, to each audience, beside the checks (`bilingual.translation.checks.WORDING`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from bilingual.document import Article, Block, Kind
from bilingual.provenance import Provenance
from bilingual.textutil import format_date, plural

UNTRANSLATED = "(not translated yet)"
# RFC 3986 reserved and unreserved characters, and % so existing escapes stay as they are.
_URL_SAFE = "%:/?#[]@!$&'()*+,;=-._~"


# Characters neither XML 1.0 (DOCX) nor HTML5 allow in text: C0/C1 controls other than tab and
# line breaks, lone surrogates, and noncharacters. A project file edited by hand may hold them.
_UNWRITABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(
        f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
    )
    + "]"
)


def writable_text(text: str) -> str:
    """`text` without the characters a handout cannot hold: XML 1.0 (DOCX) and HTML5 refuse them."""
    return _UNWRITABLE.sub("", text)


@dataclass(frozen=True)
class ScriptInfo:
    """How to tag and set the Chinese of one script in Word and in HTML.

    A face missing on the reader's machine must fall back to a Chinese face of the same script,
    never to a Japanese one (whose forms of 直, 骨, 户 differ). HTML lists the faces of every
    platform (Linux, macOS, Windows) and tags the language. DOCX names one face and tells Word,
    in the font table, its alternative and its code page, which is what Word's substitution
    goes by: SimSun or PMingLiU ship with Windows and with Office for Mac.
    """

    html_lang: str  # BCP 47 for lang=""
    word_lang: str  # w:lang w:eastAsia
    fonts: tuple[str, ...]  # preferred first; DOCX names the first, HTML lists all
    word_alt: str  # w:altName: what Word uses when fonts[0] is not installed
    charset: str  # w:charset: the Windows code page (86 GB2312, 88 Big5)
    code_page_bit: int  # the same, as the OS/2 ulCodePageRange1 bit of w:sig csb0


SCRIPTS = {
    "zh-Hans": ScriptInfo(
        "zh-Hans",
        "zh-CN",
        (
            "Noto Serif CJK SC",
            "Source Han Serif SC",
            "Noto Serif SC",
            "Songti SC",
            "STSong",
            "SimSun",
            "NSimSun",
            "PingFang SC",
            "Microsoft YaHei",
        ),
        word_alt="SimSun",
        charset="86",
        code_page_bit=18,
    ),
    "zh-Hant": ScriptInfo(
        "zh-Hant",
        "zh-TW",
        (
            "Noto Serif CJK TC",
            "Source Han Serif TC",
            "Noto Serif TC",
            "Songti TC",
            "PMingLiU",
            "MingLiU",
            "PingFang TC",
            "Microsoft JhengHei",
        ),
        word_alt="PMingLiU",
        charset="88",
        code_page_bit=20,
    ),
}


def script_info(article: Article) -> ScriptInfo:
    return SCRIPTS.get(article.script, SCRIPTS["zh-Hans"])


@dataclass(frozen=True)
class Row:
    """One block as the handout shows it: its paragraph number (0 for the title) and anchor."""

    block: Block
    number: int

    @property
    def anchor(self) -> str:
        return "title" if self.number == 0 else f"p{self.number}"


def rows(article: Article) -> list[Row]:
    """Blocks in order with their handout numbers (`Article.numbered`: body from 1, title 0)."""
    return [Row(b, n) for n, b in article.numbered()]


def title_en(article: Article) -> str | None:
    for b in article.blocks:
        if b.kind is Kind.TITLE:
            return b.en
    return None


def safe_href(url: str | None) -> str | None:
    """A link target for `url` if it is an absolute http(s) URL with nothing hidden in it, else None.

    Characters a URL may not hold (quotes, angle brackets, non-ASCII) come back percent-encoded.
    """
    if not url or any(ord(c) <= 0x20 or 0x7F <= ord(c) <= 0x9F for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(url, safe=_URL_SAFE)


def display_url(url: str) -> str:
    """A URL as people read it: percent-escapes of non-ASCII text decoded."""
    try:
        return unquote(url, errors="strict")
    except UnicodeDecodeError:
        return url


# -- what the handouts show a reader --------------------------------------------------------------

REVIEWED_MARK = "✓"  # a glyph, not a colour, so it survives greyscale printing
# The page area one character takes, in em²: its advance (CJK ideographs are square, Latin text in
# a serif face runs about 0.47 em) times its line height (CJK faces set lines about 1.45 em apart,
# Times about 1.15 em). Each column gets the share of the width that makes both end level.
_ZH_EM, _EN_EM = 1.0 * 1.45, 0.47 * 1.15
# When there is no English yet, assume the usual length ratio of English to Chinese characters.
_EN_PER_ZH = 3.0


def body_rows(article: Article) -> list[Row]:
    """The numbered rows (§1, §2, ...): everything but the title."""
    return [r for r in rows(article) if r.number]


def zh_share(article: Article) -> float:
    """The Chinese column's share of the width, so both columns end about level (0.3 to 0.5)."""
    zh = en = 0.0
    for b in article.body:
        zh += len(b.zh) * _ZH_EM
        en += (len(b.en) if b.en else len(b.zh) * _EN_PER_ZH) * _EN_EM
    if zh + en == 0:
        return 0.4
    return round(min(0.5, max(0.3, zh / (zh + en))), 2)


def published_text(article: Article) -> str:
    """'Published 2022-01-07 13:39 UTC+0100', saying plainly when the page gave no time zone."""
    shown = format_date(article.published)
    if not shown:
        return "Publication date not given"
    text = f"Published {shown}"
    has_time = article.published is not None and ("T" in article.published or " " in shown)
    if has_time and "UTC" not in shown:
        text += " (time zone not given)"
    return text


def byline(article: Article) -> list[str]:
    """Outlet, author and the publication date, each as shown in the title block."""
    parts = [writable_text(p) for p in (article.outlet, article.author) if p]
    parts.append(published_text(article))
    return parts


def model_name(prov: Provenance) -> str | None:
    """The model as the reader's footer names it: 'translate-zh_en 1.9', 'x 1.0 (NLLB-200)'."""
    return prov.model.described if prov.model is not None else None


def reader_footer(article: Article, prov: Provenance) -> str:
    """The footer of a reader handout, in plain words: how the English was made and checked."""
    body = article.body
    total = len(body)
    reviewed = sum(1 for b in body if b.status.reviewed and b.en is not None)
    missing = sum(1 for b in body if b.en is None)
    if total and missing == total:
        return "Not translated yet."
    if total and reviewed == total:
        text = f"Translation reviewed by a person (all {plural(total, 'paragraph')})."
    else:
        text = (
            f"Machine translation, {reviewed} of {plural(total, 'paragraph')} reviewed by a person"
        )
        text += f" (marked {REVIEWED_MARK})." if reviewed else "."
    if missing:
        text += f" {plural(missing, 'paragraph')} not translated yet."
    model = model_name(prov)
    if model:
        text += f" Model: {model}."
    return text


STATUS_WORDS = {
    "new": "not translated",
    "machine": "machine",
    "edited": "edited",
    "approved": "approved",
}


def review_columns_mm(article: Article) -> tuple[float, float, float]:
    """Widths of the review table's §, Status and Comment columns (mm), sized to what they hold:
    Status wide enough for the checks' findings when there are any, Comment for the comments
    written so far (and room to write); the Chinese and English share the rest."""
    flagged = any(b.flags for b in article.blocks)
    commented = any(b.comment and b.comment.strip() for b in article.blocks)
    return 10.0, 36.0 if flagged else 22.0, 40.0 if commented else 26.0


def page_mm(paper: str, landscape: bool) -> tuple[float, float]:
    """The page's width and height in millimetres."""
    width, height = (210.0, 297.0) if paper == "a4" else (215.9, 279.4)
    return (height, width) if landscape else (width, height)


# Margins of every printed handout, DOCX and HTML alike (mm).
TOP_MARGIN_MM, SIDE_MARGIN_MM, BOTTOM_MARGIN_MM = 18, 18, 20
LINE_MM = 10.5 * 1.3 * 25.4 / 72  # a body line with its leading, for estimating row heights


def keeps_whole(cells: list[tuple[str | None, float, bool]], page_height_mm: float) -> bool:
    """Whether a table row (its cells' text, width in mm and whether Chinese) stays on one
    page: yes, unless it would take more than a third of one. A long row kept whole moves to
    the next page and leaves a gap as tall (a long first paragraph left page 1 blank under the
    title); a short one split across pages reads badly."""
    lines = max(estimated_lines(text or "", width, zh=zh) for text, width, zh in cells)
    body = page_height_mm - TOP_MARGIN_MM - BOTTOM_MARGIN_MM
    return lines * LINE_MM < body / 3


def estimated_lines(text: str, width_mm: float, *, zh: bool, size_pt: float = 10.5) -> int:
    """About how many lines `text` takes in a column `width_mm` wide (cell margins included):
    a Chinese character is one em wide, an average Latin letter half an em."""
    usable = max(width_mm - 4.0, 5.0)
    em_mm = size_pt * 25.4 / 72
    per_line = max(1, int(usable / (em_mm if zh else em_mm * 0.5)))
    return sum(max(1, -(-len(line) // per_line)) for line in text.split("\n"))
