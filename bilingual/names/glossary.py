"""Glossaries: Chinese term -> English rendering, from a user file or learned from the article.

A glossary file is CSV or TSV in UTF-8 (with or without a BOM): the Chinese term, its English
rendering, and an optional note; an optional header row (``zh,en,note``); ``#`` starts a comment
line; empty lines are skipped. `dump_glossary` writes the same format, so a learned glossary can
be printed, edited and passed back with ``--glossary``.

The document glossary (`learn_glossary`) holds every gloss ``中文名（Latin Name）`` of the article,
so a bare ``中文名`` is rendered with the same Latin name -- in full at its first mention, then
as English news writes it (`bilingual.names.find`: the surname, the acronym) -- together with the
surname part of a ·-separated name and other spellings of a glossed transliteration in the
article; the user's entries win.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from bilingual.errors import GlossaryError
from bilingual.fsutil import read_bytes
from bilingual.names.find import TRANSLIT, find_glosses, short_form, spelling_variants, surname_term

__all__ = ["Entry", "Glossary", "dump_glossary", "learn_glossary", "load_glossary"]

LEARNED = "learned"

_ZH_HEADERS = frozenset(
    {"zh", "chinese", "term", "source", "中文", "中文名", "原文", "词条", "術語"}
)
_EN_HEADERS = frozenset({"en", "english", "rendering", "translation", "target", "英文", "译文"})


@dataclass(frozen=True)
class Entry:
    zh: str
    en: str
    note: str = ""
    # Where it comes from: "FILE:LINE" for a user glossary, "learned" for the document glossary.
    origin: str = ""
    # A learned name's later mentions (surname, acronym); "" to write `en` every time.
    short: str = ""

    @property
    def learned(self) -> bool:
        return self.origin == LEARNED


def _key(term: str) -> str:
    return unicodedata.normalize("NFC", term).strip()


def _is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _in_word(text: str, k: int, step: int) -> bool:
    """Whether text[k] continues a Latin word (a letter, or a joiner like - ' . before one)."""
    if not 0 <= k < len(text):
        return False
    if _is_ascii_alnum(text[k]):
        return True
    nxt = k + step
    return text[k] in "-'’.&_" and 0 <= nxt < len(text) and _is_ascii_alnum(text[nxt])


class Glossary(Mapping[str, Entry]):
    """Chinese term -> Entry. When two entries share a term, the first one given wins."""

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self._entries: dict[str, Entry] = {}
        for e in entries:
            self._entries.setdefault(_key(e.zh), e)
        # Terms by first character, longest first: the longest term matches first.
        self._index: dict[str, list[str]] = {}
        for term in sorted(self._entries, key=len, reverse=True):
            if term:
                self._index.setdefault(term[0], []).append(term)

    def __getitem__(self, term: str) -> Entry:
        return self._entries[_key(term)]

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and _key(term) in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"Glossary({len(self)} entries)"

    def find(
        self, text: str, start: int = 0, end: int | None = None
    ) -> Iterator[tuple[int, int, Entry]]:
        """Non-overlapping matches in text[start:end], left to right, the longest at each place.

        A term that starts or ends with a Latin letter or digit matches whole words only. A
        learned term does not match inside a longer transliterated name (哈萨克 in 哈萨克斯坦).
        """
        stop = len(text) if end is None else end
        i = start
        while i < stop:
            hit: tuple[str, Entry] | None = None
            for term in self._index.get(text[i], ()):
                j = i + len(term)
                if j > stop or not text.startswith(term, i):
                    continue
                before = text[i - 1] if i > 0 else ""
                after = text[j] if j < len(text) else ""
                if (_is_ascii_alnum(term[0]) and _in_word(text, i - 1, -1)) or (
                    _is_ascii_alnum(term[-1]) and _in_word(text, j, 1)
                ):
                    continue
                entry = self._entries[term]
                if entry.learned and (before in TRANSLIT or after in TRANSLIT):
                    continue
                hit = (term, entry)
                break
            if hit is None:
                i += 1
                continue
            yield i, i + len(hit[0]), hit[1]
            i += len(hit[0])

    def merged(self, other: Iterable[Entry]) -> Glossary:
        """This glossary plus the entries of `other` whose terms it does not have."""
        return Glossary([*self.values(), *other])


# --- files -------------------------------------------------------------------------------------


def _decode(path: Path) -> str:
    data = read_bytes(path, GlossaryError, "glossary file")
    if b"\x00" in data:
        raise GlossaryError(f"{path}: not a text file (a glossary is CSV or TSV text)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise GlossaryError(
            f"{path}, line {line}: not UTF-8 text; save the glossary as UTF-8 CSV or TSV"
        ) from None
    return text


def _sniff_tab(path: Path, text: str) -> bool:
    suffix = path.suffix.lower()
    if suffix in (".tsv", ".tab"):
        return True
    if suffix == ".csv":
        return False
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return "\t" in line
    return False


def load_glossary(path: str | Path) -> Glossary:
    """Read a CSV or TSV glossary; raise GlossaryError naming the line of any problem."""
    path = Path(path)
    text = _decode(path)
    tab = _sniff_tab(path, text)
    name = path.name
    if tab:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE)
    else:
        reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True)
    entries: dict[str, tuple[Entry, int]] = {}
    first_row = True
    line = 0
    try:
        for row in reader:
            line_start = line + 1
            line = reader.line_num
            cells = [c.strip() for c in row]
            if not any(cells) or cells[0].startswith("#"):
                continue
            while len(cells) > 2 and not cells[-1]:
                cells.pop()
            if first_row:
                first_row = False
                if (
                    len(cells) >= 2
                    and cells[0].lower() in _ZH_HEADERS
                    and cells[1].lower() in _EN_HEADERS
                ):
                    continue
            where = f"{path}, line {line_start}"
            if len(cells) < 2:
                sep = "a tab" if tab else "a comma"
                hint = ""
                if "，" in cells[0]:
                    hint = " (the full-width comma ， does not separate columns: use , or a tab)"
                raise GlossaryError(
                    f"{where}: expected the Chinese term and its English rendering separated by "
                    f"{sep}, got one column: {row[0].strip()[:40]!r}{hint}"
                )
            if len(cells) > 3:
                hint = "" if tab else " (quote a field that contains a comma)"
                raise GlossaryError(
                    f"{where}: {len(cells)} columns; expected term, rendering and an optional "
                    f"note{hint}"
                )
            zh, en = _key(cells[0]), unicodedata.normalize("NFC", cells[1])
            if not zh:
                raise GlossaryError(f"{where}: empty Chinese term")
            if not en:
                raise GlossaryError(f"{where}: empty English rendering for {zh!r}")
            note = cells[2] if len(cells) > 2 else ""
            if zh in entries:
                old, old_line = entries[zh]
                if old.en != en:
                    raise GlossaryError(
                        f"{where}: {zh!r} is rendered {en!r} here but {old.en!r} on line "
                        f"{old_line}; keep one"
                    )
                continue
            entries[zh] = (Entry(zh, en, note, f"{name}:{line_start}"), line_start)
    except csv.Error as exc:
        raise GlossaryError(f"{path}, line {reader.line_num}: {exc}") from None
    return Glossary(e for e, _ in entries.values())


def dump_glossary(g: Iterable[Entry] | Glossary, fmt: str = "tsv") -> str:
    """The glossary as a file `load_glossary` reads back (header row included)."""
    values = list(g.values()) if isinstance(g, Glossary) else list(g)
    if fmt not in ("tsv", "csv"):
        raise ValueError(f"unknown glossary format {fmt!r} (tsv or csv)")
    with_note = any(e.note for e in values)
    header = ["zh", "en", "note"] if with_note else ["zh", "en"]
    rows = [[e.zh, e.en, e.note] if with_note else [e.zh, e.en] for e in values]
    buf = io.StringIO()
    if fmt == "tsv":
        for r in [header, *rows]:
            buf.write("\t".join(" ".join(c.split()) for c in r) + "\n")
    else:
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return buf.getvalue()


# --- the document glossary ---------------------------------------------------------------------


def _script_variants(base: Glossary, texts: list[str]) -> list[Entry]:
    """A user's Simplified term also matches its Traditional spelling, and the other way round,
    where that spelling occurs in the texts (a glossary is written once, for both scripts)."""
    from bilingual.textutil import to_simplified, to_traditional

    joined = "\n".join(texts)
    variants = []
    for entry in base.values():
        for term in {to_traditional(entry.zh), to_simplified(entry.zh)} - {entry.zh}:
            if term in joined:
                variants.append(Entry(term, entry.en, entry.note, entry.origin))
    return variants


def learn_glossary(texts: Iterable[str], base: Glossary | None = None) -> Glossary:
    """The document glossary: every gloss 中文名（Latin） in `texts` plus `base`.

    Entries of `base` (the user's) win; among learned pairs, the first gloss of a name wins.
    """
    texts = list(texts)
    if base:
        base = base.merged(_script_variants(base, texts))
    learned: list[Entry] = []
    seen: set[str] = set()

    def learn(zh: str, en: str, short: str) -> None:
        if zh not in seen and (base is None or zh not in base):
            seen.add(zh)
            learned.append(Entry(zh, en, "", LEARNED, short))

    for text in texts:
        for g in find_glosses(text, base):
            if g.zh and len(g.zh) >= 2:
                learn(g.zh, g.render, short_form(g.zh, g.render))
                surname = surname_term(g.zh, g.render)
                if (
                    surname
                ):  # 托卡耶夫 alone, after 卡瑟姆-若马尔特·托卡耶夫（Kassym-Jomart Tokayev）
                    learn(surname[0], g.render, surname[1])
    # Another spelling of a glossed transliteration in the same article is the same name.
    joined = "\n".join(texts)
    for entry in list(learned):
        for variant in sorted(spelling_variants(entry.zh, joined)):
            learn(variant, entry.en, entry.short)
    return (base or Glossary()).merged(learned)
