"""Whether English holds a name, as English writes it: verbatim, or in a form news English uses.

The pipeline keeps every name verbatim in machine English. A person (or a model that writes names
naturally) may write the same name otherwise, and `check` should not cry wolf at that:

* case, for a name in capitals: ``PADEL`` as ``padel``, ``COVID-19`` as ``Covid-19`` (at least
  four letters or a digit: ``US`` is not ``us``; ``Ned Price`` is never ``ned price``);
* hyphens, spaces and dots inside the name: ``3D`` as ``3-D``, ``COVID-19`` as ``COVID 19``,
  ``U.S.`` as ``US``;
* an acronym and its expansion, either way: ``WHO`` as ``World Health Organization``, ``MOH`` as
  ``Ministry of Health``, ``CSTO`` as ``Collective Security Treaty Organization``; the initials
  are those of the capitalized words, with or without the small words between them (of, and,
  for, the, ...).

Only the form changes: the name must still be there, so a name dropped from the English is
still missing.
"""

from __future__ import annotations

import re

__all__ = ["acronyms_of", "written_at", "written_in"]

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,9}")
_SMALL = frozenset(
    [
        "of",
        "and",
        "for",
        "the",
        "on",
        "in",
        "at",
        "to",
        "de",
        "du",
        "des",
        "la",
        "le",
        "el",
        "del",
        "von",
        "van",
        "der",
        "&",
        "a",
        "an",
    ]
)
_WORD = re.compile(r"[A-Za-z][\w'’-]*|&")


def _folds(render: str) -> bool:
    """Whether case may differ: a name in capitals of four letters or more, or with a digit
    (PADEL, COVID-19, 3D; not US/us, IT/it, and never a name in mixed case: Ned Price)."""
    letters = [ch for ch in render if ch.isalpha()]
    if not letters or any(not ch.isupper() for ch in letters):
        return False
    return len(letters) >= 4 or any(ch.isdigit() for ch in render)


def _runs(render: str, en: str) -> tuple[int, int] | None:
    """Where the render's letters and digits are a run of whole words of `en`, whatever joins
    them (hyphens, spaces, dots), case folded when `_folds`."""
    fold = _folds(render)
    want = "".join(_TOKEN.findall(render))
    if not want:
        return None
    if fold:
        want = want.lower()
    words = list(_TOKEN.finditer(en))
    for i in range(len(words)):
        got = ""
        for m in words[i:]:
            got += m.group(0).lower() if fold else m.group(0)
            if len(got) >= len(want):
                if got == want:
                    return words[i].start(), m.end()
                break
    return None


def acronyms_of(words: list[str]) -> set[str]:
    """The acronyms a run of words makes: initials of its capitalized words, with and without
    the small words between them ('Ministry of Health': MH, MOH)."""
    big = "".join(w[0] for w in words if w[0].isupper() or w[0].isdigit())
    every = "".join(w[0].upper() for w in words if w != "&")
    return {a for a in (big, every) if len(a) >= 2}


def _expansion(acronym: str, en: str) -> tuple[int, int] | None:
    """Where a run of capitalized words of `en` (small words allowed inside) spells `acronym`."""
    words = list(_WORD.finditer(en))
    text = [m.group(0) for m in words]
    for a in range(len(words)):
        if not text[a][0].isupper():
            continue
        for b in range(a + 1, len(words)):
            if not (text[b][0].isupper() or text[b].lower() in _SMALL):
                break
            if text[b][0].isupper() and acronym in {
                x.replace("&", "") for x in acronyms_of(text[a : b + 1])
            }:
                return words[a].start(), words[b].end()
    return None


def written_at(render: str, en: str) -> tuple[int, int] | None:
    """Where `en` holds `render`, verbatim or as English writes it (see the module); None when
    it does not."""
    at = en.find(render)
    if at >= 0:
        return at, at + len(render)
    found = _runs(render, en)
    if found:
        return found
    compact = render.replace(".", "")
    if _ACRONYM.fullmatch(compact) and sum(ch.isalpha() for ch in compact) >= 2:
        return _expansion(compact.replace("&", ""), en)
    words = _WORD.findall(render)
    if len(words) >= 2 and sum(1 for w in words if w[0].isupper()) >= 2:
        for acronym in sorted(acronyms_of(words), key=len, reverse=True):
            m = re.search(rf"(?<![\w]){re.escape(acronym)}(?![\w])", en)
            if m:
                return m.start(), m.end()
    return None


def written_in(render: str, en: str) -> bool:
    """Whether `en` holds `render` verbatim or as English writes it (see the module)."""
    return written_at(render, en) is not None
