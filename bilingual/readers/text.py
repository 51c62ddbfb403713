"""Plain text: blank-line separated paragraphs, or one per line; hard wraps joined."""

from __future__ import annotations

import re

from bilingual.document import Kind
from bilingual.readers.draft import Draft
from bilingual.readers.furniture import classify
from bilingual.readers.headers import is_navigation, read_header_lines
from bilingual.readers.markdown import _SOURCE_LINE

_INDENT = re.compile("^(?:\u3000|[ \u00a0]{2,}|\t)")
_URL_LINE = re.compile(r"^\s*<?(https?://\S+?)>?\s*$")
# A full stop inside a line (or at its end) makes it a sentence, not a headline.
_SENTENCE_INSIDE = re.compile("[。；;]|[!?！？].+[!?！？]$")


def parse_text(text: str) -> Draft:
    draft = Draft()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = read_header_lines(lines, draft)
    kept: list[str] = []
    for line in lines:
        if not kept and line.strip() and is_navigation(line):
            draft.add(Kind.PARAGRAPH, line, drop="navigation")
            continue
        m = _SOURCE_LINE.match(line) or None
        u = _URL_LINE.match(line)
        if draft.source_url is None and (m or u):
            draft.source_url = (m["u1"] or m["u2"]) if m else u.group(1) if u else None
            continue
        kept.append(line)

    paragraphs = _paragraphs(kept)
    if not paragraphs:
        return draft
    first = paragraphs[0]
    if draft.title is None and len(paragraphs) > 1 and _title_like(first):
        draft.add(Kind.TITLE, first[1])
        paragraphs = paragraphs[1:]
    for _, para in paragraphs:
        draft.add(Kind.PARAGRAPH, para)
    return draft


def _title_like(paragraph: tuple[bool, str]) -> bool:
    """A first line shaped as a headline, indented or not: one short line that is not a sentence
    ("刷单是Uber中国的危机？" and "拜習會生變！…「代替人選」" are headlines; "…表示，…。" is the
    article's first paragraph, and then the file has no headline)."""
    text = paragraph[1].strip()
    if "\n" in text or len(text) > 80 or _SENTENCE_INSIDE.search(text):
        return False
    if len(re.findall("[，,]", text)) >= 2 or text[-1] in "，,、：:；;…":
        return False
    # A question or an exclamation can be a headline when it is short.
    if text[-1] in "？！?!" and len(text) > 40:
        return False
    return classify(text, edge=False) is None


def _paragraphs(lines: list[str]) -> list[tuple[bool, str]]:
    """(indented, text) per paragraph, its lines joined with newlines for cleaning."""
    chunks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            chunks[-1].append(line)
        elif chunks[-1]:
            chunks.append([])
    chunks = [c for c in chunks if c]
    blank_separated = len(chunks) > 1
    out: list[tuple[bool, str]] = []
    for chunk in chunks:
        indented = [ln for ln in chunk if _INDENT.match(ln)]
        if len(indented) >= 2 or (not blank_separated and indented):
            # Indentation marks where each paragraph starts; other lines are wraps.
            current: list[str] = []
            for ln in chunk:
                if _INDENT.match(ln) and current:
                    out.append((bool(_INDENT.match(current[0])), "\n".join(current)))
                    current = []
                current.append(ln)
            out.append((bool(_INDENT.match(current[0])), "\n".join(current)))
        elif blank_separated:
            out.append((bool(indented), "\n".join(chunk)))
        else:
            out.extend((False, ln) for ln in chunk)  # one paragraph per line
    return out
