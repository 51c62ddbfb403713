"""XLIFF 1.2 exchange with CAT tools (OmegaT, memoQ, Trados): export, and import of the edits.

Export writes one <trans-unit> per block: the whole paragraph as <source> and <target>, the block
id as the unit id, its handout number (§7, or "title") as the unit's resname, the block status as the target `state`, flags as <note>s, and the provenance
in the <header>. Each unit also carries, as a context, a fingerprint of the English it was
exported with, so an import can tell who changed what since: the CAT tool, this project, or both.

A block's reviewer comment is a <note from="reviewer">; on import, notes not written by this tool
become the block's comment. Import merges the targets back by unit id. Draft and confirmed, as the
CAT tool says: a changed target the translator confirmed there (state translated, signed-off or
final, or the unit approved) makes the block `edited`; a changed target in any other state (or
none) becomes the block's *draft*, shown in the review and neither counted as reviewed nor put
in the memory. A target confirmed unchanged in the CAT tool approves a machine block; a unit
whose source no longer matches its block, or whose English changed on both sides, is a conflict
and is left alone.
Built on lxml (already a dependency) with a parser that resolves no entities and reads nothing
from the network.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bilingual.document import Article, Block, Status, section_label
from bilingual.errors import BilingualError, ProjectChanged, XliffError
from bilingual.fsutil import read_bytes
from bilingual.projectfile import save_project
from bilingual.textutil import plural
from bilingual.translation.checks import flag_sentence

if TYPE_CHECKING:
    from bilingual.memory import Memory

NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_NS = "http://www.w3.org/XML/1998/namespace"
TOOL_ID = "bilingual"
SOURCE_LANGUAGE = {"zh-Hans": "zh-CN", "zh-Hant": "zh-TW"}
TARGET_LANGUAGE = "en"
REVIEWER = "reviewer"  # <note from> of the comments this tool exports
BASE_CONTEXT = "x-bilingual-base"  # context-type of the exported-English fingerprint

# Block status -> (target state, state-qualifier). New blocks have no <target> at all.
STATES: dict[Status, tuple[str, str | None]] = {
    Status.MACHINE: ("needs-review-translation", "mt-suggestion"),
    Status.EDITED: ("translated", None),
    Status.APPROVED: ("signed-off", None),
}
# Target states that mean a person confirmed the target in the CAT tool.
CONFIRMED_STATES = frozenset({"translated", "signed-off", "final"})
# Inline codes stand for formatting, not text: their content is not part of the translation.
_CODES = frozenset({"bpt", "ept", "ph", "it", "x", "bx", "ex"})
_XLIFF1_NAMESPACES = (NS, "urn:oasis:names:tc:xliff:document:1.1", "")
# Characters XML 1.0 cannot carry at all (controls, U+FFFE/FFFF, lone surrogates).
_NOT_XML_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML cannot hold (readers drop them already)."""
    return _NOT_XML_RE.sub("", text)


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def article_key(article: Article) -> str:
    """What names the article in <file original>: its URL, else its first block's id."""
    if article.source_url:
        return article.source_url
    first = article.blocks[0].id if article.blocks else "empty"
    return f"article-{first}"


def fingerprint(english: str | None) -> str:
    """A short digest of an English text (whitespace-insensitive); "-" for none."""
    if english is None or not english.strip():
        return "-"
    norm = " ".join(unicodedata.normalize("NFC", xml_safe(english)).split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


# Export ------------------------------------------------------------------------------------
def to_xliff(article: Article) -> bytes:
    """The article as an XLIFF 1.2 document (UTF-8 bytes), valid against the strict schema."""
    from lxml import etree

    from bilingual import __version__
    from bilingual.provenance import Provenance, review_notice

    root = etree.Element(_q("xliff"), nsmap={None: NS}, version="1.2")
    file = etree.SubElement(
        root,
        _q("file"),
        original=xml_safe(article_key(article)),
        datatype="plaintext",
    )
    file.set("source-language", SOURCE_LANGUAGE.get(article.script, "zh-CN"))
    file.set("target-language", TARGET_LANGUAGE)
    header = etree.SubElement(file, _q("header"))
    tool = etree.SubElement(header, _q("tool"))
    tool.set("tool-id", TOOL_ID)
    tool.set("tool-name", "bilingual")
    tool.set("tool-version", __version__)
    notes = [f"Provenance: {Provenance.of(article).signature()}", review_notice(article)]
    if article.source_url:
        notes.append(f"Source: {article.source_url}")
    for text in notes:
        note = etree.SubElement(header, _q("note"))
        note.set("from", TOOL_ID)
        note.text = xml_safe(text)

    body = etree.SubElement(file, _q("body"))
    for number, block in article.numbered():
        _unit(body, block, section_label(number))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _unit(body: Any, block: Block, label: str) -> None:
    from lxml import etree

    # resname: the name CAT tools show for a unit; the handout number, so both say "§7".
    unit = etree.SubElement(body, _q("trans-unit"), id=block.id, resname=label)
    unit.set(f"{{{XML_NS}}}space", "preserve")
    if block.status is Status.APPROVED:
        unit.set("approved", "yes")
    etree.SubElement(unit, _q("source")).text = xml_safe(block.zh)
    has_target = block.en is not None and block.status is not Status.NEW
    if has_target:
        state, qualifier = STATES[block.status]
        target = etree.SubElement(unit, _q("target"), state=state)
        if qualifier:
            target.set("state-qualifier", qualifier)
        target.text = xml_safe(block.en or "")
    for flag in block.flags:
        note = etree.SubElement(unit, _q("note"), annotates="target")
        note.set("from", TOOL_ID)
        note.text = xml_safe(f"⚑ {flag_sentence(flag)} [{flag.code}]")
    if block.comment:
        # The reviewer's comment: a note from someone other than this tool, as CAT tools write them.
        note = etree.SubElement(unit, _q("note"))
        note.set("from", REVIEWER)
        note.text = xml_safe(block.comment)
    # Unnamed: context-group names must be unique in the whole <file>.
    group = etree.SubElement(unit, _q("context-group"), purpose="information")
    context = etree.SubElement(group, _q("context"))
    context.set("context-type", BASE_CONTEXT)
    context.text = fingerprint(block.en if has_target else None)


# Reading -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Unit:
    id: str
    source: str
    target: str | None  # None: no <target> (or an empty one)
    state: str | None
    approved: bool
    base: str | None  # the fingerprint of the English it was exported with, if it says
    comment: str | None = None  # its notes not written by this tool, joined by line breaks


@dataclass
class XliffDocument:
    units: list[Unit]
    originals: list[str]  # <file original> of every file
    tools: set[str]  # tool-id of every <tool> in the headers


def _parser() -> Any:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse_xliff(data: bytes, name: str = "XLIFF") -> XliffDocument:
    """Read an XLIFF 1.x document, or raise XliffError with a one-line reason."""
    from lxml import etree

    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise XliffError(f"{name}: not an XLIFF file (not well-formed XML: {exc})") from None
    if root is None:
        raise XliffError(f"{name}: not an XLIFF file (empty document)")
    qname = etree.QName(root)
    if qname.localname != "xliff":
        raise XliffError(f"{name}: not an XLIFF file (its root element is <{qname.localname}>)")
    version = root.get("version", "")
    if version.startswith("2") or (qname.namespace or "").endswith(":2.0"):
        raise XliffError(
            f"{name}: XLIFF {version or '2'} is not supported; bilingual reads XLIFF 1.2 "
            "(export it from your CAT tool as XLIFF 1.2)"
        )
    ns = qname.namespace or ""
    if ns not in _XLIFF1_NAMESPACES:
        raise XliffError(f"{name}: not an XLIFF 1.2 file (unknown namespace {ns})")

    def tag(local: str) -> str:
        return f"{{{ns}}}{local}" if ns else local

    originals = [f.get("original", "") for f in root.iter(tag("file"))]
    tools = {t.get("tool-id", "") for t in root.iter(tag("tool"))}
    units: list[Unit] = []
    for element in root.iter(tag("trans-unit")):
        uid = element.get("id")
        source = element.find(tag("source"))
        if uid is None or source is None:
            continue
        target = element.find(tag("target"))
        target_text = inline_text(target) if target is not None else None
        base = None
        for context in element.iter(tag("context")):
            if context.get("context-type") == BASE_CONTEXT:
                base = (context.text or "").strip()
        comments = [
            text
            for note in element.iterfind(tag("note"))
            if note.get("from") != TOOL_ID and (text := inline_text(note).strip())
        ]
        units.append(
            Unit(
                id=uid,
                source=inline_text(source),
                target=target_text if target_text and target_text.strip() else None,
                state=target.get("state") if target is not None else None,
                approved=element.get("approved") == "yes",
                base=base,
                comment="\n".join(comments) or None,
            )
        )
    if not units:
        raise XliffError(f"{name}: an XLIFF file without translation units")
    return XliffDocument(units, originals, tools)


def inline_text(element: Any, codes: frozenset[str] = _CODES) -> str:
    """The text of an XLIFF <source>/<target> (or a TMX <seg>), through markup such as <g> and
    <mrk>, leaving out the inline codes named in `codes`."""
    from lxml import etree

    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).localname not in codes:
            parts.append(inline_text(child, codes))
        parts.append(child.tail or "")
    return "".join(parts)


# Merging -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Conflict:
    id: str
    reason: str


@dataclass
class MergeReport:
    """What merging a reviewed file (XLIFF, review DOCX) into a project changed."""

    edited: list[str] = field(default_factory=list)  # block ids whose English changed
    approved: list[str] = field(default_factory=list)  # confirmed unchanged in the CAT tool
    unchanged: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # unit ids not in the project
    commented: list[str] = field(default_factory=list)  # block ids whose comment changed
    drafts: list[str] = field(default_factory=list)  # block ids given an unconfirmed draft
    notes: list[str] = field(default_factory=list)  # what saving the project had to say

    @property
    def updated(self) -> int:
        return len(self.edited) + len(self.approved)

    def summary(self) -> str:
        detail = []
        if self.edited:
            detail.append(f"{len(self.edited)} edited")
        if self.approved:
            detail.append(f"{len(self.approved)} approved")
        text = f"{self.updated} updated"
        if detail:
            text += f" ({', '.join(detail)})"
        if self.drafts:
            text += (
                f", {plural(len(self.drafts), 'draft')} (changed, not confirmed: confirm in "
                "`bilingual review`)"
            )
        text += f", {self.unchanged} unchanged, {plural(len(self.conflicts), 'conflict')}"
        if self.commented:
            text += f", {plural(len(self.commented), 'comment')} taken"
        if self.unknown:
            text += f", {plural(len(self.unknown), 'unit')} not in the project (skipped)"
        return text


def _same_source(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return " ".join(unicodedata.normalize("NFC", xml_safe(s)).split())

    return norm(a) == norm(b)


def _clean(english: str) -> str:
    return " ".join(xml_safe(english).split())


def merge_xliff(
    article: Article, document: XliffDocument, name: str = "XLIFF", what: str = "XLIFF"
) -> MergeReport:
    """Merge the targets of `document` into `article` in place; see the module docstring.

    `what` names the kind of file in messages (the review DOCX merges through here too).
    Raises XliffError, changing nothing, when the file belongs to another project.
    """
    key = xml_safe(article_key(article))
    if TOOL_ID in document.tools and document.originals and key not in document.originals:
        raise XliffError(
            f"{name}: exported from another project ({document.originals[0]}); "
            f"this project is {key}"
        )
    ids = {b.id for b in article.blocks}
    if not any(u.id in ids for u in document.units):
        raise XliffError(
            f"{name}: none of its {plural(len(document.units), 'unit')} is a paragraph of this "
            f"project (a {what} from another project?)"
        )
    report = MergeReport()
    seen: set[str] = set()
    for unit in document.units:
        block = article.block(unit.id)
        if block is None:
            report.unknown.append(unit.id)
            continue
        if unit.id in seen:
            report.conflicts.append(Conflict(unit.id, f"the unit id appears twice in the {what}"))
            continue
        seen.add(unit.id)
        _merge_unit(block, unit, report, what)
    return report


def _merge_unit(block: Block, unit: Unit, report: MergeReport, what: str) -> None:
    if not _same_source(unit.source, block.zh):
        report.conflicts.append(
            Conflict(unit.id, "its source no longer matches the project's Chinese")
        )
        return
    if unit.comment is not None and unit.comment != block.comment:
        # A comment added or changed in the CAT tool. A unit without one removes nothing: CAT
        # tools drop notes they did not write.
        block.comment = unit.comment
        report.commented.append(block.id)
    if unit.target is None:
        report.unchanged += 1
        return
    theirs = _clean(unit.target)
    ours = _clean(block.en) if block.en is not None else None
    confirmed = unit.approved or (unit.state in CONFIRMED_STATES)
    if theirs == ours:
        if block.status is Status.MACHINE and confirmed:
            block.status, block.flags = Status.APPROVED, []
            report.approved.append(block.id)
        else:
            report.unchanged += 1
        return
    if unit.base is not None and fingerprint(theirs) == unit.base:
        # Untouched in the CAT tool; the project changed since the export: keep the project.
        report.unchanged += 1
        return
    if not confirmed:
        # Changed and left unconfirmed in the CAT tool: a draft, which replaces nothing.
        if block.draft is not None and _clean(block.draft) == theirs:
            report.unchanged += 1
        else:
            block.draft = theirs
            report.drafts.append(block.id)
        return
    # A person's English beats machine output; against a person's English only when that is
    # still what was exported (else both sides changed it: a conflict for a person to settle).
    if block.status.reviewed and (unit.base is None or fingerprint(ours) != unit.base):
        reason = (
            f"{block.status.value} in the project, other English in the {what}"
            if unit.base is None
            else f"its English changed both in the project and in the {what}"
        )
        report.conflicts.append(Conflict(unit.id, reason))
        return
    if block.status is Status.MACHINE:
        block.mt = block.en  # what the machine said, for the reviewer's diff
    block.align = []
    block.en, block.status, block.flags, block.score = theirs, Status.EDITED, [], None
    block.draft = None
    report.edited.append(block.id)


def import_xliff(
    xliff_path: str | Path,
    project_path: str | Path,
    *,
    memory: Memory | None = None,
    dry_run: bool = False,
) -> MergeReport:
    """Merge an XLIFF file into a project file; save it (atomically, with a backup) if updated.

    Updated paragraphs also go into the translation memory as human translations. A malformed
    or foreign XLIFF raises XliffError before anything is written.
    """
    return import_units(
        xliff_path,
        project_path,
        lambda data, name, _article: parse_xliff(data, name),
        memory=memory,
        dry_run=dry_run,
    )


def import_units(
    path: str | Path,
    project_path: str | Path,
    read: Callable[[bytes, str, Article], XliffDocument],
    *,
    error: type[BilingualError] = XliffError,
    what: str = "XLIFF",
    memory: Memory | None = None,
    dry_run: bool = False,
) -> MergeReport:
    """Merge the units `read` finds in the file at `path` into a project file, as import_xliff
    does; `read` gets the file's bytes, its name and the project, and raises `error`."""
    path, project_path = Path(path), Path(project_path)
    data = read_bytes(path, error)
    article = Article.load(project_path)
    before = project_path.stat()
    document = read(data, str(path), article)
    report = merge_xliff(article, document, str(path), what)
    if dry_run or not (report.updated or report.commented or report.drafts):
        return report
    from bilingual.translation.pipeline import check_article

    # A person's English is checked as `check` and the review would check it: the flags say
    # what is true of the English now, not what was true of the machine's.
    check_article(article)
    now = project_path.stat()
    if (now.st_mtime_ns, now.st_size) != (before.st_mtime_ns, before.st_size):
        raise ProjectChanged(f"{project_path}: changed on disk during the import; run it again")
    report.notes.extend(save_project(article, project_path))
    if memory is not None:
        entries = _human_entries(article, report.edited + report.approved, project_path)
        memory.store_human_entries(entries)
    return report


def _human_entries(article: Article, ids: Iterable[str], project: Path) -> list[Any]:
    """The confirmed paragraphs of an import, as the memory records them (project and time)."""
    from bilingual.memory import HumanEntry

    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    where = str(project.resolve())
    out = []
    for block_id in ids:
        block = article.block(block_id)
        if block is not None and block.en is not None:
            out.append(HumanEntry(block.zh, block.en, block.status.value, stamp, where))
    return out


__all__ = [
    "Conflict",
    "MergeReport",
    "XliffDocument",
    "import_xliff",
    "merge_xliff",
    "parse_xliff",
    "to_xliff",
]
