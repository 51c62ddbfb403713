"""From raw (kind, text) pieces to a clean Article: cleaning, artifacts, dateline, script."""

from __future__ import annotations

import re

from bilingual import __version__
from bilingual.document import Article, Block, Dropped, Kind
from bilingual.errors import NoContent, UnsupportedInput
from bilingual.readers.draft import Draft, Piece, find_date
from bilingual.readers.furniture import (
    classify,
    dateline_rest,
    is_sentence,
    looks_like_caption,
    looks_like_subheading,
    strip_dates,
)
from bilingual.textutil import (
    HAN,
    clean_text,
    detect_script,
    han_count,
    has_han,
    is_artifact,
    plural,
    unwrap_wiki_links,
)


def finish(
    draft: Draft, *, fmt: str, encoding: str | None, name: str | None, keep_all: bool = False
) -> Article:
    """Clean the draft's pieces, set furniture apart (kept with `keep_all`), assemble the Article."""
    pieces = _clean(draft.pieces)
    title = _draft_title(draft, pieces)
    first, last = _extent(pieces, title)
    if title is None:
        title = _leading_heading(pieces, first)
    _refuse_without_chinese(pieces)
    sorter = _Sorter(pieces, title, (first, last), _Meta(draft), keep_all)
    title, blocks = _with_title(title, sorter.sort(), draft)
    all_text = "".join(b.zh for b in blocks)
    if not any(b.kind is not Kind.TITLE for b in blocks):
        raise NoContent(_no_content(sorter.dropped))
    _language_guard(all_text)
    if not has_han(all_text):
        raise NoContent("no Chinese text found in the input")
    meta = sorter.meta
    return Article(
        blocks=blocks,
        source_url=draft.source_url,
        captured_at=draft.captured_at,
        published=draft.published or meta.published,
        outlet=clean_text(draft.outlet) if draft.outlet else None,
        author=clean_text(draft.author) if draft.author else meta.author,
        credits=[*draft.credits, *meta.credits],
        dropped=sorter.dropped,
        script=detect_script(all_text),
        provenance={
            "tool": "bilingual",
            "version": __version__,
            "input": {"name": name, "format": fmt, "encoding": encoding},
        },
    )


def _clean(raw: list[Piece]) -> list[Piece]:
    pieces: list[Piece] = []
    for piece in raw:
        text = clean_text(unwrap_wiki_links(piece.text))
        if not is_artifact(text):
            pieces.append(Piece(piece.kind, text, piece.bold, piece.drop, piece.meta))
    return pieces


def _draft_title(draft: Draft, pieces: list[Piece]) -> str | None:
    if draft.title:
        return clean_text(draft.title)
    for piece in pieces:
        if piece.kind is Kind.TITLE and piece.drop is None:
            return piece.text
    return None


def _extent(pieces: list[Piece], title: str | None) -> tuple[int, int]:
    """The article's first and last sentence: furniture written as sentences (a notice, a credit,
    an outlet's promotion) is peeled off both ends first. Without a single sentence there is no
    "around the article" (-1, len): each line is judged on its own."""
    prose = [
        i
        for i, p in enumerate(pieces)
        if p.drop is None and p.kind not in (Kind.TITLE, Kind.CAPTION) and is_sentence(p.text)
    ]
    if not prose:
        return -1, len(pieces)

    def text(i: int, tail: bool) -> bool:
        return classify(pieces[i].text, edge=True, tail=tail, title=title) is None

    first = next((i for i in prose if text(i, False)), prose[0])
    last = next((i for i in reversed(prose) if text(i, True)), prose[-1])
    return (first, last) if first <= last else (prose[0], prose[-1])


def _refuse_without_chinese(pieces: list[Piece]) -> None:
    candidates = [p for p in pieces if p.drop is None]
    if candidates and not any(has_han(p.text) for p in candidates):
        _language_guard("".join(p.text for p in candidates))  # say which language it is
        raise NoContent("no Chinese text found in the input")


class _Sorter:
    """Each piece to a block of the article, or to the furniture set apart with its reason."""

    def __init__(
        self,
        pieces: list[Piece],
        title: str | None,
        extent: tuple[int, int],
        meta: _Meta,
        keep_all: bool,
    ) -> None:
        self.pieces, self.title, self.meta, self.keep_all = pieces, title, meta, keep_all
        self.first, self.last = extent
        self.has_prose = extent[0] >= 0
        self.dropped: list[Dropped] = []

    def sort(self) -> list[Block]:
        blocks: list[Block] = []
        for i, piece in enumerate(self.pieces):
            kind = piece.kind
            if kind in (Kind.TITLE, Kind.HEADING) and piece.text == self.title:
                continue  # the page repeats its title
            if kind is Kind.TITLE:
                kind = Kind.HEADING
            reason = piece.drop or self._reason(i, piece)
            if reason is not None and not self.keep_all:
                self.dropped.append(Dropped(piece.text, reason))
                continue
            if kind is Kind.PARAGRAPH:
                kind = self._paragraph_kind(i, piece, seen_body=bool(blocks))
            blocks.append(Block(kind=kind, zh=piece.text))
        return blocks

    def _reason(self, i: int, piece: Piece) -> str | None:
        verdict = classify(
            piece.text,
            edge=piece.meta or i < self.first,
            tail=i > self.last,
            caption=piece.kind is Kind.CAPTION,
            title=self.title,
        )
        if verdict is not None:
            if verdict.meta:
                self.meta.note(*verdict.meta)
            return verdict.reason
        if piece.meta:
            self.meta.note("date", piece.text)
            return "byline or dateline"
        return None

    def _paragraph_kind(self, i: int, piece: Piece, *, seen_body: bool) -> Kind:
        if looks_like_caption(piece.text):
            return Kind.CAPTION
        if self.has_prose and self.first < i < self.last and looks_like_subheading(piece.text):
            return Kind.HEADING
        if piece.bold and not seen_body:
            return Kind.LEAD
        return Kind.PARAGRAPH


def _with_title(
    title: str | None, blocks: list[Block], draft: Draft
) -> tuple[str | None, list[Block]]:
    """The title block first: the one found, else the page's <title>, else a leading heading."""
    if title is None and draft.fallback_title:
        title = clean_text(draft.fallback_title)
        # The page repeats its title as a heading (WordPress's entry-title).
        blocks = [b for b in blocks if not (b.kind is Kind.HEADING and b.zh == title)]
    if title is None and blocks and blocks[0].kind is Kind.HEADING:
        title = blocks.pop(0).zh
    if title:
        blocks.insert(0, Block(kind=Kind.TITLE, zh=title))
    return title, blocks


def _leading_heading(pieces: list[Piece], first: int) -> str | None:
    """A heading before the first sentence, that is not a page label: the headline (Markdown's
    "### 标题", a DOCX's first heading)."""
    for i, piece in enumerate(pieces):
        if first >= 0 and i >= first:
            break
        if piece.drop is not None or classify(piece.text, edge=False) is not None:
            continue
        if piece.kind in (Kind.TITLE, Kind.HEADING):
            return piece.text
        if is_sentence(piece.text):
            break
    return None


_KANA = re.compile("[\u3040-\u30ff]")
_HANGUL = re.compile("[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
_LATIN = re.compile("[A-Za-z]")


def _language_guard(text: str) -> None:
    """Refuse what is not a Chinese article, rather than translate it as one: Japanese (kana),
    Korean (hangul), or a text where Chinese characters are only a sprinkling (an English page
    quoting a few names). Real Chinese news keeps well over three quarters of its letters Han,
    name-heavy pages included."""
    han, kana = han_count(text), len(_KANA.findall(text))
    hangul, latin = len(_HANGUL.findall(text)), len(_LATIN.findall(text))
    if kana >= 20 and kana >= 0.1 * (han + kana):
        raise UnsupportedInput(
            f"this looks like Japanese ({kana} kana): bilingual translates Chinese articles"
        )
    if hangul >= 20 and hangul >= han:
        raise UnsupportedInput("this looks like Korean: bilingual translates Chinese articles")
    if latin >= 200 and han < 0.3 * (han + latin):
        share = round(100 * han / (han + latin))
        raise UnsupportedInput(
            f"hardly any Chinese: {share}% of its letters are Chinese characters "
            "(bilingual translates Chinese articles)"
        )


def _no_content(dropped: list[Dropped]) -> str:
    if dropped:
        return (
            f"no article text found in the input ({plural(len(dropped), 'block')} looked like page "
            "furniture: see them with `bilingual parse --show-dropped`, keep them with --keep-all)"
        )
    return "no article text found in the input"


_AUTHOR_LABEL = re.compile(
    r"^[（(【\[]?\s*(?:作者|記者|记者|文|撰文|撰稿|采写|採寫|by|author|written by)\s*[:：,，/／|｜]?\s*",
    re.IGNORECASE,
)


# "地方中心／陳小華報導": the reporter after the desk.
_DESK = re.compile(
    r"^[（(]?[\w·\s]{2,12}[／/]([\w·\s]{2,12}?)\s*(?:綜合報導|综合报道|報導|报道|報道|撰稿|編譯|编译)"
)


_REPORTER_PLACE = re.compile(r"^[（(]?\s*(?:记者|記者)\s*([\w·]{2,12}?)\s*[／/]")
_REPORTERS = re.compile(r"(?:电|電|讯|訊)\s*[（(](?:记者|記者)\s*([^（）()]{2,30})[)）]\s*$")
_REPORT_TAIL = re.compile(r"\s*[／/|｜]\s*(?:即時|即时|綜合|综合)(?:報導|报道|報道)$")


class _Meta:
    """What furniture lines say about the article, gathered while they are set apart."""

    def __init__(self, draft: Draft) -> None:
        self.published: str | None = None
        self.author: str | None = None
        self.credits: list[str] = []
        self._seen = set(draft.credits)

    def note(self, what: str, text: str) -> None:
        if what == "date":
            if self.published is None:
                self.published = find_date(text)
            source = re.search(r"(?:来源|來源|稿件来源|稿件來源|source)\s*[:：]\s*\S.*", text, re.I)
            if source:
                self._credit(source.group(0).strip())
            # "洪毅 2023年08月31日 21:00:00", "金错刀2015-06-23 14:42": a name beside the date.
            rest = dateline_rest(text)
            if self.author is None and re.fullmatch(f"{HAN}{{2,4}}", rest):
                self.author = rest
            # "新华社北京5月24日电（记者 王明 李华）": the reporters after the dateline.
            reporters = _REPORTERS.search(text)
            if self.author is None and reporters:
                self.author = reporters.group(1).strip()
        elif what == "author":
            if self.author is None:
                if self.published is None:
                    self.published = find_date(text)
                text = strip_dates(text)  # "2024年5月20日 10:30本网记者 林晓晴" glued by the page
                text = _REPORT_TAIL.sub("", text)  # "聯合報 記者林宸誼／即時報導"
                reporter = _REPORTER_PLACE.match(text) or _REPORTERS.search(text)
                desk = _DESK.match(text)
                if reporter:  # "記者陳怡君／台北報導", "本报讯（记者 张三）"
                    name = reporter.group(1)
                else:
                    name = desk.group(1) if desk else _AUTHOR_LABEL.sub("", text)
                self.author = name.strip(" （()）【】[]") or text
        else:
            self._credit(text)

    def _credit(self, text: str) -> None:
        if not re.sub(r"^[^:：]{0,12}[:：]", "", text).strip(" ：:|｜·"):
            return  # a label with nothing after it ("来源：")
        if text not in self._seen:
            self._seen.add(text)
            self.credits.append(text)
