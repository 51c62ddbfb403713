"""What a format reader hands to `build.finish`: its pieces of text and what the page says about
the article; and the dates found in bylines and headers. The bottom of the readers: every format
reader, the header lines and the assembly import it, it imports none of them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from bilingual.document import Kind


@dataclass
class Piece:
    kind: Kind
    text: str
    bold: bool = False  # the whole piece is bold/strong in the source
    drop: str | None = None  # why the reader left it out (page structure), if it did
    meta: bool = False  # the page marks it as a byline or dateline (class "byline", "info"...)


@dataclass
class Draft:
    """What a format reader found, before cleaning."""

    pieces: list[Piece] = field(default_factory=list)
    title: str | None = None
    fallback_title: str | None = None  # from <title>, og:title: used when no heading gives one
    title_hints: list[str] = field(default_factory=list)  # what the page calls its headline
    source_url: str | None = None
    captured_at: str | None = None
    published: str | None = None
    outlet: str | None = None
    author: str | None = None
    credits: list[str] = field(default_factory=list)

    def add(
        self,
        kind: Kind,
        text: str,
        *,
        bold: bool = False,
        drop: str | None = None,
        meta: bool = False,
    ) -> None:
        self.pieces.append(Piece(kind, text, bold, drop, meta))


_DATE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # 07/01/2022 - 13:39 or 07.01.2022 13:39 (day/month/year, as European sites print it)
    (
        re.compile(
            r"(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4})"
            r"(?:\s*[-–,]?\s*(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
        ),
        "dmy",
    ),
    # 2022-01-07 13:39, 2022/1/7, 2022年1月7日 13时39分, 2022年01月07日 13:39
    (
        re.compile(
            r"(?P<y>\d{4})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})\s*日?"
            r"(?:\s*[T ]?\s*(?:(?:上午|下午|晚上|早上)\s*)?(?P<H>\d{1,2})\s*[:：时時点點]\s*"
            r"(?P<M>\d{2})(?:\s*[:：]\s*(?P<S>\d{2}))?\s*分?)?"
        ),
        "ymd",
    ),
]
# What may surround a date on a dateline: labels, time zones, weekdays, a byline separator.
_DATELINE_NOISE = re.compile(
    r"(发布时间|發佈時間|发布于|发表于|更新时间|更新時間|日期|时间|時間|发布|發佈|發布|published|updated"
    r"|[（(]?(?:UTC|GMT|CST|北京时间|北京時間|台北时间|台北時間|香港时间)[)）]?[+\-]?\d{0,2}(?::?\d{2})?"
    r"|星期[一二三四五六日天]|周[一二三四五六日]|[:：|｜\s\-–—,，]|\d{1,2}:\d{2}(?::\d{2})?)",
    re.IGNORECASE,
)


def parse_dateline(text: str) -> str | None:
    """If `text` is only a dateline, return it as ISO 8601 (no time zone: as printed)."""
    t = text.strip()
    if len(t) > 60:
        return None
    for pattern, order in _DATE_PATTERNS:
        m = pattern.search(t)
        if not m:
            continue
        rest = _DATELINE_NOISE.sub("", t[: m.start()] + t[m.end() :])
        if rest:
            return None
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        if order == "dmy" and mo > 12 >= d:  # clearly month/day/year
            mo, d = d, mo
        try:
            dt = datetime(y, mo, d, int(m["H"] or 0), int(m["M"] or 0), int(m["S"] or 0))
        except ValueError:
            return None
        if m["H"] is None:
            return dt.date().isoformat()
        return dt.isoformat(timespec="seconds" if m["S"] else "minutes")
    return None


def find_date(text: str) -> str | None:
    """The first date (and time) anywhere in a byline such as "2024-06-01 10:20 来源：新华社"."""
    for pattern, _ in _DATE_PATTERNS:
        m = pattern.search(text)
        if m:
            return parse_dateline(m.group(0))
    return None


def epoch_to_iso(value: str) -> str | None:
    """Epoch seconds or milliseconds (as scrapers stamp pages) to ISO 8601 UTC."""
    if not value.isdigit() or len(value) not in (10, 13):
        return None
    seconds = int(value) / (1000 if len(value) == 13 else 1)
    dt = datetime.fromtimestamp(seconds, tz=timezone.utc)
    if not 1995 <= dt.year <= 2100:
        return None
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


__all__ = ["Draft", "Piece", "epoch_to_iso", "find_date", "parse_dateline"]
