"""HTML pages (and Markdown rendered to HTML): find the article in the page.

`walk` turns the page into text blocks in reading order, each knowing its element, its ancestors,
how much of it is link text and whether the page marks it as furniture (class "share", "related",
...); `page` reads what the page says about the article. Here, the article is the element whose
blocks hold the most Chinese prose for the least of everything else; prose just outside it is taken
in too, as a lost paragraph is worse than an extra one.
"""

from __future__ import annotations

import itertools
import re

from bilingual.document import Kind
from bilingual.readers.draft import Draft, find_date
from bilingual.readers.furniture import is_sentence
from bilingual.readers.page import comments_metadata, page_metadata
from bilingual.readers.walk import Block, Walker, parse_markup
from bilingual.textutil import han_count

_SUMMARY_LABEL = re.compile(
    r"^[\[【(（]?\s*(?:摘要|导读|導讀|内容提要|內容提要|核心提示|划重点|劃重點|重点|重點|要点|要點|key points"
    r"|highlights)\s*[:：]?\s*[\]】)）]?$",
    re.I,
)


def parse_html(markup: str, draft: Draft | None = None, *, page: bool = True) -> Draft:
    """Parse `markup` into `draft`. With page=True, read the page's metadata and find the article
    in it; without, every block is the article's (Markdown rendered to HTML)."""
    draft = draft or Draft()
    root = parse_markup(markup)
    if root is None:
        return draft
    comments_metadata(root, draft)
    if page:
        page_metadata(root, draft)
    walker = Walker()
    blocks = walker.walk(root)
    _resolve_hints(blocks, walker.hints)
    if page:
        region = _article_region(blocks)
        _choose_title(blocks, region, draft)
    else:
        region = set(range(len(blocks)))
    _add_blocks(blocks, region | _header_zone(blocks, region), draft)
    return draft


def _add_blocks(blocks: list[Block], article: set[int], draft: Draft) -> None:
    """The blocks into the draft: those of the article (with what the page's structure says of
    them), and the prose outside it, set apart."""
    page_titles = {_norm(t) for t in draft.title_hints}
    summary_lists = _summary_lists(blocks)
    for i, b in enumerate(blocks):
        if b.meta and draft.published is None and len(b.text.strip()) <= 80:
            draft.published = find_date(b.text)
        if i not in article:
            if is_sentence(b.text) and b.kind is not Kind.TITLE:
                draft.add(b.kind, b.text, drop="outside the article")
            continue
        # A dateline or byline element: the furniture rules say what it is, and read it.
        meta = b.meta and len(b.text.strip()) <= 80
        drop = None if meta else _marked_drop(b, page_titles, summary_lists)
        kind = b.kind
        if kind is Kind.PARAGRAPH and b.after_image and _caption_like(b):
            kind = Kind.CAPTION
        for text in _split_br(b.text) if kind is not Kind.TITLE else [b.text]:
            draft.add(kind, text, bold=b.bold, drop=drop, meta=meta)


def _marked_drop(b: Block, page_titles: set[str], summary_lists: set[int]) -> str | None:
    """Why the page's structure sets a block of the article apart, if it does."""
    if b.kind is not Kind.TITLE and _norm(b.text) in page_titles:
        return "the page's title repeated"
    if b.list_id and b.list_id in summary_lists:
        return "summary box"
    if b.hint and (b.hard or not _strong_prose(b)):
        return b.hint
    if b.kind is not Kind.TITLE and _is_link_line(b):
        return "link to another page"
    return None


def _caption_like(b: Block) -> bool:
    """Text right under a picture that reads as its caption: short, centred or not a sentence."""
    text = b.text.strip()
    return len(text) <= 100 and (b.centered or not is_sentence(text) or text[0] in "（(▲")


def _summary_lists(blocks: list[Block]) -> set[int]:
    """Lists announced by a "划重点：" / "摘要：" label: a summary of the article, not its text."""
    found = set()
    for b, nxt in itertools.pairwise(blocks):
        if nxt.list_id and nxt.list_id != b.list_id and _SUMMARY_LABEL.match(b.text.strip()):
            found.add(nxt.list_id)
    return found


def _header_zone(blocks: list[Block], region: set[int]) -> set[int]:
    """The lines between the headline and the article (byline, dateline, source): read for the
    metadata they give, and set apart by the furniture rules."""
    if not region:
        return set()
    start = min(region)
    titles = [i for i, b in enumerate(blocks[:start]) if b.kind is Kind.TITLE]
    if not titles or start - titles[-1] > 12:
        return set()
    return {i for i in range(titles[-1] + 1, start) if not blocks[i].hint}


def _resolve_hints(blocks: list[Block], hints: dict[int, tuple[str, bool]]) -> None:
    """Give each block the furniture hint of its nearest marked ancestor (a "hard" one anywhere
    above wins), except marks on the element that holds most of the page's prose: that is the
    article, whatever its class says ("field-label-hidden", "node-promoted")."""
    if not hints:
        return
    prose: dict[int, int] = {}
    total = 0
    for b in blocks:
        weight = han_count(b.text) if is_sentence(b.text) else 0
        total += weight
        if weight:
            for el in b.chain:
                if el in hints:
                    prose[el] = prose.get(el, 0) + weight
    void = {el for el, weight in prose.items() if total and weight >= 0.6 * total}
    for b in blocks:
        found: tuple[str, bool] | None = None
        for el in reversed(b.chain):
            mark = hints.get(el)
            if mark is None or el in void:
                continue
            if found is None or (mark[1] and not found[1]):
                found = mark
        if found:
            b.hint, b.hard = found


def _strong_prose(b: Block) -> bool:
    return han_count(b.text) >= 50 and is_sentence(b.text) and b.link_density < 0.3


def _is_link_line(b: Block) -> bool:
    """A block that is a link to elsewhere (menus, story lists): mostly link text."""
    text = b.text.strip()
    return bool(text) and b.link_density > 0.7 and not (han_count(text) >= 60 and "。" in text)


def _prose_weight(b: Block) -> int:
    if b.hint or b.meta or b.kind in (Kind.TITLE, Kind.CAPTION) or b.link_density >= 0.5:
        return 0
    return han_count(b.text) if is_sentence(b.text) else 0


# How much the text that is not prose counts against a container, per character.
_NOISE_COST = 0.5


def _article_region(blocks: list[Block]) -> set[int]:
    """Indices of the blocks that make up the article."""
    weights = [_prose_weight(b) for b in blocks]
    if not any(weights):
        return set(range(len(blocks)))
    score: dict[int, float] = {}
    depth: dict[int, int] = {}
    for b, w in zip(blocks, weights, strict=True):
        if w:
            gain = float(w)
        elif b.kind in (Kind.TITLE, Kind.CAPTION) or b.meta:
            gain = 0.0  # the article's own headline, byline and captions are not noise
        else:
            gain = -_NOISE_COST * min(len(b.text.strip()), 300)
        for level, el in enumerate(b.chain):
            score[el] = score.get(el, 0.0) + gain
            depth[el] = level
    best = max(score, key=lambda el: (score[el], depth[el]))
    region = {i for i, b in enumerate(blocks) if best in b.chain}
    _rescue(blocks, weights, region)
    return region


def _rescue(blocks: list[Block], weights: list[int], region: set[int]) -> None:
    """Prose that sits just outside the chosen element (a last paragraph after an ad box)."""
    if not region:
        return
    for direction, start in ((1, max(region) + 1), (-1, min(region) - 1)):
        i, gap = start, 0
        while 0 <= i < len(blocks) and gap <= 4:
            b = blocks[i]
            if weights[i] >= 20 and b.link_density < 0.2 and not b.hint:
                region.add(i)
                gap = 0
            elif b.kind is Kind.TITLE:
                break
            else:
                gap += 1  # an ad box or a share bar between two paragraphs
            i += direction


def _norm(text: str) -> str:
    return re.sub(r"[\s\u3000\u00a0]+", "", text)


def _choose_title(blocks: list[Block], region: set[int], draft: Draft) -> None:
    """The headline: a heading that the page's <title>/og:title names, else the h1 nearest the
    article, else what the metadata says."""
    if draft.title:
        return
    names = [_norm(t) for t in (draft.fallback_title, *draft.title_hints) if t]
    first = min(region) if region else 0
    headings = [
        (i, b)
        for i, b in enumerate(blocks)
        if (b.kind in (Kind.TITLE, Kind.HEADING) or b.titleish)
        and not b.hint
        and 4 <= len(_norm(b.text)) <= 120
        and i <= (max(region) if region else len(blocks))
    ]
    named = [
        (i, b) for i, b in headings if any(_norm(b.text) and _norm(b.text) in n for n in names)
    ]
    if named:
        chosen = max(named, key=lambda ib: (len(_norm(ib[1].text)), -abs(ib[0] - first)))
    else:
        h1s = [(i, b) for i, b in headings if b.kind is Kind.TITLE]
        # No <h1>, and the page's <title> names only the section ("新闻动态--某学会官网"):
        # the heading just above the article is its headline.
        above = [
            (i, b)
            for i, b in headings
            if first - 5 <= i <= first and len(_norm(b.text)) >= 6 and "。" not in b.text
        ]
        if h1s:
            chosen = min(h1s, key=lambda ib: abs(ib[0] - first))
        elif above:
            chosen = above[-1]
        else:
            return
    draft.title = chosen[1].text
    region.discard(chosen[0])


def _split_br(text: str) -> list[str]:
    """Chinese sites often separate paragraphs by <br><br> or by indented lines after <br>."""
    if "\n" not in text.strip():
        return [text]
    text = re.sub("[\u2028 \t]*\n[\u2028 \t]*", "\n", text)  # source wraps around a <br>
    chunks = re.split(r"\n\s*\n", text)
    out: list[str] = []
    for chunk in chunks:
        lines = chunk.split("\n")
        indented = [ln for ln in lines if re.match("^[\u3000\u00a0 ]{2,}|^\u3000", ln)]
        if len(indented) >= 2:
            current: list[str] = []
            for ln in lines:
                if re.match("^[\u3000\u00a0 ]{2,}|^\u3000", ln) and current:
                    out.append("\n".join(current))
                    current = []
                current.append(ln)
            out.append("\n".join(current))
        else:
            out.append(chunk)
    return out


__all__ = ["parse_html"]
