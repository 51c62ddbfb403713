"""TMX 1.4 exchange for the translation memory, so it travels to other tools and machines.

Export writes every human paragraph (status in a `x-bilingual-status` prop) and, unless asked
not to, every machine segment (marked `x-bilingual-origin: machine`, with the engine signature
and the model score as props, so another bilingual installation files them under the same
engine). Import reads any TMX 1.4 (or 1.1-style `lang`) file: units marked as machine output by
bilingual go back to their engine's segments; every other Chinese/English unit becomes a human
paragraph. An existing human paragraph is replaced only by a newer one (by the unit's change
date); an undated or older unit never overwrites a person's work.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bilingual.errors import TmxError
from bilingual.exchange.xliff import inline_text, xml_safe
from bilingual.fsutil import atomic_write, read_bytes
from bilingual.memory import HumanEntry
from bilingual.textutil import plural

if TYPE_CHECKING:
    from bilingual.memory import Memory

XML_NS = "http://www.w3.org/XML/1998/namespace"
ORIGIN = "x-bilingual-origin"
STATUS = "x-bilingual-status"
ENGINE = "x-bilingual-engine"
SCORE = "x-bilingual-score"
HUMAN_STATUSES = ("edited", "approved")
_CODES = frozenset({"bpt", "ept", "ph", "it", "ut"})


def _tmx_date(iso: str | None) -> str | None:
    """'2024-07-01T12:00:00Z' (the memory's form) -> '20240701T120000Z' (TMX's)."""
    if not iso:
        return None
    try:
        dt = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return None
    return dt.strftime("%Y%m%dT%H%M%SZ")


def _iso_date(tmx: str | None) -> str | None:
    """TMX's '20240701T120000Z' -> '2024-07-01T12:00:00Z'; None if absent or malformed."""
    if not tmx:
        return None
    try:
        dt = datetime.strptime(tmx.strip(), "%Y%m%dT%H%M%SZ")
    except ValueError:
        return None
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _zh_tag(text: str) -> str:
    from bilingual.textutil import HANT, detect_script

    return "zh-TW" if detect_script(text) == HANT else "zh-CN"


# Export ------------------------------------------------------------------------------------
@dataclass
class ExportReport:
    human: int = 0
    machine: int = 0
    unreadable: int = 0  # entries of a damaged memory that could not be read (not exported)
    damage: str | None = None  # what sqlite's check found wrong with the memory, if anything


def export_tmx(
    memory: Memory, path: str | Path, *, machine: bool = True, force: bool = False
) -> ExportReport:
    """Write the memory as TMX 1.4 to `path` (atomically; an existing file needs `force`)."""
    data, report = to_tmx(memory, machine=machine)
    atomic_write(Path(path), data, force=force)
    return report


def to_tmx(memory: Memory, *, machine: bool = True) -> tuple[bytes, ExportReport]:
    from lxml import etree

    from bilingual import __version__

    report = ExportReport(damage=memory.damage())
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(root, "header")
    for name, value in (
        ("creationtool", "bilingual"),
        ("creationtoolversion", __version__),
        ("segtype", "paragraph"),
        ("o-tmf", "bilingual"),
        ("adminlang", "en"),
        ("srclang", "zh-CN"),
        ("datatype", "plaintext"),
        ("creationdate", _tmx_date(_now()) or ""),
    ):
        header.set(name, value)
    body = etree.SubElement(root, "body")
    for entry in memory.all_human():
        tu = _tu(body, entry.source, entry.target, "paragraph", entry.updated_at)
        _prop(tu, ORIGIN, "human")
        _prop(tu, STATUS, entry.status)
        _tuvs(tu, entry.source, entry.target)
        report.human += 1
    if machine:
        for signature, source, target, score, created in memory.all_segments():
            tu = _tu(body, source, target, "sentence", created)
            _prop(tu, ORIGIN, "machine")
            _prop(tu, ENGINE, json.dumps(signature, sort_keys=True, ensure_ascii=False))
            if score is not None:
                _prop(tu, SCORE, repr(score))
            _tuvs(tu, source, target)
            report.machine += 1
    report.unreadable = memory.unreadable
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return bytes(data), report


def _tu(body: Any, source: str, target: str, segtype: str, date: str | None) -> Any:
    from lxml import etree

    tu = etree.SubElement(body, "tu", segtype=segtype)
    stamp = _tmx_date(date)
    if stamp:
        tu.set("creationdate", stamp)
        tu.set("changedate", stamp)
    return tu


def _prop(tu: Any, kind: str, value: str) -> None:
    from lxml import etree

    etree.SubElement(tu, "prop", type=kind).text = xml_safe(value)


def _tuvs(tu: Any, source: str, target: str) -> None:
    from lxml import etree

    for lang, text in ((_zh_tag(source), source), ("en", target)):
        tuv = etree.SubElement(tu, "tuv")
        tuv.set(f"{{{XML_NS}}}lang", lang)
        etree.SubElement(tuv, "seg").text = xml_safe(text)


# Import ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Pair:
    source: str
    target: str
    props: dict[str, str]
    date: str | None  # ISO, from changedate or creationdate


@dataclass
class TmxImportReport:
    """What a TMX import put into the translation memory."""

    added: int = 0  # new human paragraphs
    updated: int = 0  # human paragraphs replaced by a newer unit
    unchanged: int = 0  # same English already there
    kept: int = 0  # the memory's own (newer or undated) human English kept
    machine: int = 0  # machine segments filed under their engine
    skipped: int = 0  # units without a Chinese and an English variant
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.kept} kept (the memory's own was newer or the unit undated), "
            f"{plural(self.machine, 'machine segment')}"
        )
        if self.skipped:
            text += f"; {plural(self.skipped, 'unit')} skipped (no Chinese/English pair)"
        return text


def _parse(data: bytes, name: str) -> tuple[list[_Pair], int]:
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise TmxError(f"{name}: not a TMX file (not well-formed XML: {exc})") from None
    if root is None or etree.QName(root).localname != "tmx":
        what = etree.QName(root).localname if root is not None else "nothing"
        raise TmxError(f"{name}: not a TMX file (its root element is <{what}>)")
    pairs: list[_Pair] = []
    skipped = 0
    for tu in root.iter("tu"):
        props = {p.get("type", ""): (p.text or "") for p in tu.findall("prop")}
        zh = en = None
        for tuv in tu.findall("tuv"):
            lang = (tuv.get(f"{{{XML_NS}}}lang") or tuv.get("lang") or "").lower()
            seg = tuv.find("seg")
            if seg is None:
                continue
            text = inline_text(seg, _CODES)
            if lang.startswith("zh") and zh is None:
                zh = text
            elif lang.startswith("en") and en is None:
                en = text
        if not zh or not en or not zh.strip() or not en.strip():
            skipped += 1
            continue
        date = _iso_date(tu.get("changedate")) or _iso_date(tu.get("creationdate"))
        pairs.append(_Pair(zh, en, props, date))
    return pairs, skipped


def _machine(pair: _Pair) -> tuple[dict[str, Any], float | None] | None:
    if pair.props.get(ORIGIN) != "machine":
        return None
    try:
        signature = json.loads(pair.props.get(ENGINE, ""))
    except ValueError:
        return None
    if not isinstance(signature, dict):
        return None
    try:
        score = float(pair.props[SCORE]) if SCORE in pair.props else None
    except ValueError:
        score = None
    return signature, score


@dataclass(frozen=True)
class TmxUnits:
    """A TMX file's Chinese/English units, read and checked (`read_tmx`), ready to import."""

    pairs: list[_Pair]
    skipped: int


def read_tmx(path: str | Path, *, name: str | None = None) -> TmxUnits:
    """The units of the TMX file at `path`; TmxError when it is not TMX or holds no Chinese/
    English pair. Read before the memory is opened, so a bad file leaves no memory behind."""
    path = Path(path)
    label = name or str(path)
    data = read_bytes(path, TmxError, label=label)
    pairs, skipped = _parse(data, label)
    if not pairs:
        raise TmxError(f"{label}: no unit with both a Chinese and an English variant")
    return TmxUnits(pairs, skipped)


def import_tmx(
    memory: Memory, source: str | Path | TmxUnits, *, name: str | None = None
) -> TmxImportReport:
    """Read a TMX file (or the units `read_tmx` read) into the memory; the whole file is checked
    before anything is written."""
    units = source if isinstance(source, TmxUnits) else read_tmx(source, name=name)
    pairs = units.pairs
    report = TmxImportReport(skipped=units.skipped)

    machine: dict[str, tuple[dict[str, Any], list[tuple[str, str, float | None]]]] = {}
    human: dict[str, _Pair] = {}
    for pair in pairs:
        found = _machine(pair)
        if found is not None:
            signature, score = found
            key = json.dumps(signature, sort_keys=True)
            machine.setdefault(key, (signature, []))[1].append((pair.source, pair.target, score))
            continue
        previous = human.get(pair.source)
        if previous is None or (pair.date or "") >= (previous.date or ""):
            human[pair.source] = pair

    existing = memory.human(human)
    entries: list[HumanEntry] = []
    for source, pair in human.items():
        status = pair.props.get(STATUS, "edited")
        if status not in HUMAN_STATUSES:
            status = "edited"
        old = existing.get(source)
        if old is None:
            entries.append(HumanEntry(source, pair.target, status, pair.date or _now()))
            report.added += 1
        elif old.target == pair.target:
            report.unchanged += 1
        elif pair.date is not None and pair.date > old.updated_at:
            entries.append(HumanEntry(source, pair.target, status, pair.date))
            report.updated += 1
        else:
            report.kept += 1
    memory.store_human_entries(entries)
    for signature, items in machine.values():
        memory.store(signature, items)
        report.machine += len(items)
    return report


def iter_pairs(data: bytes, name: str = "TMX") -> Iterator[tuple[str, str, dict[str, str]]]:
    """The Chinese/English pairs of a TMX document with their props (for inspection, tests)."""
    pairs, _ = _parse(data, name)
    for p in pairs:
        yield p.source, p.target, p.props


__all__ = [
    "ExportReport",
    "TmxImportReport",
    "TmxUnits",
    "export_tmx",
    "import_tmx",
    "iter_pairs",
    "read_tmx",
    "to_tmx",
]
