"""Wrapping mixed Chinese and English text for the terminal.

Widths are terminal columns as `wcwidth` counts them (a Han character or a full-width comma takes
two), not characters. English breaks between words; Chinese may break between any two characters,
except that no line starts with closing punctuation (，。、）》” ...) and none ends with opening
punctuation (（《“ ...): the character next to it moves down with it, as Chinese typesetting does.
Continuation lines are indented under the first line's text.
"""

from __future__ import annotations

import re

from wcwidth import wcswidth, wcwidth

from bilingual.textutil import visible

# Chinese line-breaking rules (the usual 禁则): what may not start or end a line.
NO_START = set("，。、；：？！）】》」』〉”’…—～·,.;:?!)]}%") | {"\u3001", "\u30fb"}
NO_END = set("（【《「『〈“‘([{")
# A unit never split: a run of Latin letters/digits with its trailing spaces, spaces alone, or one
# other character (a Han character can break on either side).
_UNIT_RE = re.compile(r"[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+\s*|\s+|.", re.S)


def width(text: str) -> int:
    """Terminal columns of `text` (unprintable characters count as none)."""
    w = wcswidth(text)
    if w >= 0:
        return w
    return sum(max(wcwidth(ch), 0) for ch in text)


def _units(text: str) -> list[str]:
    return _UNIT_RE.findall(" ".join(text.split()))


def _split_long(unit: str, room: int) -> list[str]:
    """A word wider than a whole line, cut into pieces that fit."""
    pieces, current = [], ""
    for ch in unit:
        if current and width(current + ch) > room:
            pieces.append(current)
            current = ""
        current += ch
    return [*pieces, current] if current else pieces


def wrap(text: str, columns: int, *, first: str = "", indent: str | None = None) -> list[str]:
    """`text` as lines of at most `columns` columns, the first after `first` (a label such as
    "EN  "), the others after `indent` (as wide as `first` unless given)."""
    text = visible(text)  # from an article, a project or a memory: escapes shown, not acted on
    if indent is None:
        indent = " " * width(first)
    room_first = max(columns - width(first), 8)
    room_rest = max(columns - width(indent), 8)
    lines: list[list[str]] = [[]]
    used = 0

    def room() -> int:
        return room_first if len(lines) == 1 else room_rest

    queue = _units(text)
    while queue:
        unit = queue.pop(0)
        line = lines[-1]
        w = width(unit.rstrip())
        if used + w <= room() or not line:
            if w > room() and not line:
                head, *rest = _split_long(unit, room())
                queue[:0] = rest
                unit = head
            line.append(unit)
            used += width(unit)
            continue
        # A break goes before `unit`. Keep the rules: a closing mark may not start the next line,
        # an opening mark may not end this one; the character before moves down with it.
        carried: list[str] = []
        head = unit
        while head.strip() and head[0] in NO_START and len(line) > 1:
            head = line.pop()  # e.g. 命 of 命”。 moves down with ”。
            carried.insert(0, head)
        while len(line) > 1 and line[-1].strip() and line[-1].strip()[-1] in NO_END:
            carried.insert(0, line.pop())
        if unit.isspace():
            unit = ""
        lines.append([])
        used = 0
        queue[:0] = [*carried, unit] if unit else carried
    out = []
    for i, units in enumerate(lines):
        body = "".join(units).rstrip()
        if body or i == 0:
            out.append((first if i == 0 else indent) + body)
    return out


def wrap_items(items: list[str], columns: int, sep: str = " · ") -> list[str]:
    """Short items (a key legend) joined by `sep`, broken only between items."""
    lines: list[str] = []
    current = ""
    for item in items:
        candidate = f"{current}{sep}{item}" if current else item
        if current and width(candidate) > columns:
            lines.append(current)
            current = item
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


__all__ = ["NO_END", "NO_START", "width", "wrap", "wrap_items"]
