"""The document model: an Article of Blocks, and its JSON form (the project file)."""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from bilingual.errors import ProjectError

# 2: blocks may carry a reviewer's `comment`, the machine English a person replaced (`mt`) and
# the sentence alignment of the machine English (`align`).
# 3: blocks may carry a reviewer's unconfirmed English (`draft`); a bilingual that reads only
# version 2 would drop it on its next save, so it is told to upgrade instead.
# Older files are read and migrated on load (see `_migrate`); a project is always written in the
# current version.
SCRIPTS = ("zh-Hans", "zh-Hant")  # textutil's HANS and HANT
SCHEMA_VERSION = 3


class Kind(str, Enum):
    TITLE = "title"
    HEADING = "heading"
    LEAD = "lead"
    PARAGRAPH = "paragraph"
    QUOTE = "quote"
    CAPTION = "caption"


class Status(str, Enum):
    NEW = "new"
    MACHINE = "machine"
    EDITED = "edited"
    APPROVED = "approved"

    @property
    def reviewed(self) -> bool:
        return self in (Status.EDITED, Status.APPROVED)


@dataclass(frozen=True)
class Flag:
    """A machine-readable check result attached to a block, with a short human message."""

    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


def block_id(zh: str) -> str:
    """A stable id: the same text gives the same id across runs and machines."""
    norm = unicodedata.normalize("NFC", zh).strip()
    return "b" + hashlib.sha256(norm.encode("utf-8")).hexdigest()[:10]


@dataclass
class Block:
    kind: Kind
    zh: str
    id: str = ""
    en: str | None = None
    status: Status = Status.NEW
    flags: list[Flag] = field(default_factory=list)
    score: float | None = None
    comment: str | None = None  # the reviewer's note on this paragraph (XLIFF <note>, web page)
    # The machine English a person replaced, kept so a reviewer sees what they changed.
    mt: str | None = None
    # Sentence alignment of the machine English: (zh_start, zh_end, en_start, en_end) per segment
    # the pipeline translated; empty when unknown (a person's English, an older project).
    align: list[tuple[int, int, int, int]] = field(default_factory=list)
    # English a reviewer typed and left without confirming it (as CAT tools keep a draft): kept
    # in the project and shown as a draft, but `en` and `status` stay what they were, so it is
    # neither counted as reviewed, nor printed in a handout, nor put in the translation memory.
    draft: str | None = None

    def __post_init__(self) -> None:
        if not self.id:
            self.id = block_id(self.zh)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "zh": self.zh,
            "en": self.en,
            "status": self.status.value,
            "flags": [f.to_dict() for f in self.flags],
            "score": self.score,
            **({"comment": self.comment} if self.comment else {}),
            **({"mt": self.mt} if self.mt is not None else {}),
            **({"align": [list(a) for a in self.align]} if self.align else {}),
            **({"draft": self.draft} if self.draft is not None else {}),
        }

    @property
    def version(self) -> str:
        """A short fingerprint of what a reviewer can change (English, status, comment, draft).

        A page or a CAT tool that saw version v may save over the block only while it is still v:
        anything else means someone else saved in between.
        """
        state: list[str | None] = [self.en, self.status.value, self.comment or ""]
        if self.draft is not None:  # a project without drafts keeps the versions it had
            state.append(self.draft)
        state_json = json.dumps(state, ensure_ascii=False)
        return hashlib.sha256(state_json.encode("utf-8")).hexdigest()[:12]

    @classmethod
    def from_dict(cls, d: Any) -> Block:
        if not isinstance(d, dict):
            raise ProjectError("a block is not a JSON object")
        try:
            raw_flags = d.get("flags", [])
            if raw_flags is None:
                raw_flags = []
            if not isinstance(raw_flags, list) or not all(isinstance(f, dict) for f in raw_flags):
                raise TypeError("flags must be a list of {code, message} objects")
            flags = [
                Flag(
                    _text(f.get("code"), "a flag's code"),
                    _text(f.get("message", ""), "a flag's message"),
                )
                for f in raw_flags
            ]
            zh = _text(d["zh"], "zh")
            if not zh:
                raise ValueError("empty 'zh': a block needs its Chinese text")
            en = _text(d.get("en"), "en", optional=True)
            comment = _text(d.get("comment"), "comment", optional=True)
            mt = _text(d.get("mt"), "mt", optional=True)
            draft = _text(d.get("draft"), "draft", optional=True)
            if draft is not None and not draft.strip():
                draft = None
            return cls(
                id=_block_id(d["id"]),
                kind=Kind(d["kind"]),
                zh=zh,
                en=en,
                status=Status(d.get("status", "new")),
                flags=flags,
                score=_score(d.get("score")),
                comment=comment or None,
                mt=mt,
                align=_align(d.get("align")),
                draft=draft,
            )
        except KeyError as exc:
            raise ProjectError(f"malformed block {_shown_id(d)}: no {exc} field") from None
        except (ValueError, TypeError, AttributeError) as exc:
            raise ProjectError(f"malformed block {_shown_id(d)}: {_reason(exc)}") from None


def _text(value: Any, what: str, *, optional: bool = False) -> Any:
    """`value` if it is a string every writer can write (valid Unicode: no lone surrogate)."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a string")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        char = f"\\u{ord(value[exc.start]):04x}"
        raise ValueError(f"{what} holds a lone surrogate ({char}): not valid Unicode") from None
    return value


# An id travels into XLIFF attributes, review handouts and terminals: no controls (C0, DEL,
# C1) and no Unicode non-characters (U+FDD0-U+FDEF, and U+FFFE/U+FFFF in every plane, which
# XML cannot hold or other tools refuse).
_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)
)
_ID_CHARS = re.compile(f"[^\x00-\x1f\x7f-\x9f{_NONCHARACTERS}]{{1,200}}")


def _block_id(value: Any) -> str:
    if not isinstance(value, str) or not _ID_CHARS.fullmatch(_text(value, "id")):
        raise ValueError(
            "id must be 1-200 characters with no control characters or Unicode non-characters"
        )
    return value


def _shown_id(d: dict[str, Any]) -> str:
    value = d.get("id")
    return ascii(value)[:40] if not isinstance(value, str) else repr(value[:40]).strip("'")


def _score(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("score must be a number")
    if not math.isfinite(value):
        raise ValueError("score must be a finite number")
    return float(value)


def _optional_str(d: dict[str, Any], key: str, *, keep_empty: bool = False) -> str | None:
    value = d.get(key)
    try:
        _text(value, f"'{key}'", optional=True)
    except (TypeError, ValueError) as exc:
        raise ProjectError(f"malformed project file: {exc}") from None
    return value if keep_empty else value or None


def _str_list(d: dict[str, Any], key: str) -> list[str]:
    value = d.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProjectError(f"malformed project file: '{key}' is not a list of strings")
    for v in value:
        _optional_str({key: v}, key)
    return list(value)


def _dropped(value: Any) -> list[Dropped]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(
        isinstance(v, dict) and isinstance(v.get("text"), str) and isinstance(v.get("reason"), str)
        for v in value
    ):
        raise ProjectError("malformed project file: 'dropped' is not a list of {text, reason}")
    return [Dropped(v["text"], v["reason"]) for v in value]


def _terms(value: Any) -> list[dict[str, str]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(
        isinstance(v, dict)
        and isinstance(v.get("zh"), str)
        and v["zh"].strip()
        and isinstance(v.get("en"), str)
        and isinstance(v.get("note", ""), str)
        for v in value
    ):
        raise ProjectError("malformed project file: 'glossary' is not a list of {zh, en, note}")
    terms = [{"zh": v["zh"], "en": v["en"], "note": v.get("note", "")} for v in value]
    for t in terms:
        for key in ("zh", "en", "note"):
            _optional_str(t, key)  # no lone surrogates or control characters
    return terms


def _migrate(d: dict[str, Any], version: int) -> dict[str, Any]:
    """The project dict of an older schema_version in the current one, step by step.

    1 -> 2: comments were added as an optional block field; a version 1 file has none, so it
    reads as it is. 2 -> 3: drafts were added the same way. Later steps rewrite `d` here, each
    from the version before it.
    """
    if version < 1:
        raise ProjectError(f"project file has schema_version {version}; the first version is 1")
    return d


def _align(value: Any) -> list[tuple[int, int, int, int]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(
        isinstance(a, list) and len(a) == 4 and all(type(n) is int and n >= 0 for n in a)
        for a in value
    ):
        raise TypeError("align must be a list of [zh_start, zh_end, en_start, en_end]")
    return [(a[0], a[1], a[2], a[3]) for a in value]


def _reason(exc: Exception) -> str:
    """A message for the user, not Python's wording ("could not convert string to float...")."""
    text = str(exc)
    if "convert string to float" in text:
        return "score must be a number"
    if "is not a valid" in text:  # Enum: "'poem' is not a valid Kind"
        return text.replace("Kind", "kind").replace("Status", "status")
    return text


# How every output names the two languages and marks a paragraph to check.
ZH_LABEL = "中文"
EN_LABEL = "English"
FLAG_MARK = "⚑"


def section_label(number: int) -> str:
    """How a handout number is written everywhere: "§7", and "title" for the title (0)."""
    return "title" if number == 0 else f"§{number}"


@dataclass(frozen=True)
class Dropped:
    """A piece of the input the reader left out of the article, and why (shown by `parse`)."""

    text: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"text": self.text, "reason": self.reason}


@dataclass
class Article:
    blocks: list[Block] = field(default_factory=list)
    source_url: str | None = None
    captured_at: str | None = None
    published: str | None = None
    # What the page says about the article: kept as metadata, never as paragraphs.
    outlet: str | None = None  # the publication ("BBC News 中文", "新华网")
    author: str | None = None  # byline, as printed
    credits: list[str] = field(default_factory=list)  # "原文链接：…", "翻译：…", "来源：…"
    dropped: list[Dropped] = field(default_factory=list)
    # Terms a reviewer added for this article ({zh, en, note}): used wherever it is translated,
    # retranslated or checked again, before any --glossary file.
    glossary: list[dict[str, str]] = field(default_factory=list)
    script: str = "zh-Hans"
    provenance: dict[str, Any] = field(default_factory=dict)
    schema_version: int = SCHEMA_VERSION

    def __post_init__(self) -> None:
        self.dedupe_ids()

    def dedupe_ids(self) -> None:
        """Give repeated texts distinct ids (`id`, `id-2`, ...) in document order."""
        seen: dict[str, int] = {}
        for b in self.blocks:
            base = b.id.split("-")[0] if b.id.startswith("b") else b.id
            n = seen.get(base, 0) + 1
            seen[base] = n
            b.id = base if n == 1 else f"{base}-{n}"

    @property
    def title(self) -> str | None:
        for b in self.blocks:
            if b.kind is Kind.TITLE:
                return b.zh
        return None

    @property
    def body(self) -> list[Block]:
        return [b for b in self.blocks if b.kind is not Kind.TITLE]

    def numbered(self) -> list[tuple[int, Block]]:
        """Every block with its handout number §N: body blocks count from 1 in document order,
        the title is 0 (it is not §1). The one numbering of the handouts, `check`, the reviews
        and XLIFF."""
        out: list[tuple[int, Block]] = []
        n = 0
        for b in self.blocks:
            if b.kind is Kind.TITLE:
                out.append((0, b))
            else:
                n += 1
                out.append((n, b))
        return out

    def number(self, block: Block) -> int:
        """The handout number §N of `block` (0 for the title)."""
        for n, b in self.numbered():
            if b is block:
                return n
        raise ValueError(f"block {block.id} is not in this article")

    def block(self, block_id: str) -> Block | None:
        for b in self.blocks:
            if b.id == block_id:
                return b
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "source_url": self.source_url,
            "captured_at": self.captured_at,
            "published": self.published,
            **({"outlet": self.outlet} if self.outlet else {}),
            **({"author": self.author} if self.author else {}),
            **({"credits": self.credits} if self.credits else {}),
            "script": self.script,
            "provenance": self.provenance,
            "blocks": [b.to_dict() for b in self.blocks],
            **({"dropped": [d.to_dict() for d in self.dropped]} if self.dropped else {}),
            **({"glossary": self.glossary} if self.glossary else {}),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_dict(cls, d: Any) -> Article:
        if not isinstance(d, dict) or "blocks" not in d:
            raise ProjectError("not a bilingual project file (no 'blocks')")
        version = d.get("schema_version")
        if not isinstance(version, int):
            raise ProjectError("not a bilingual project file (no 'schema_version')")
        if version > SCHEMA_VERSION:
            raise ProjectError(
                f"project file has schema_version {version}; this bilingual reads up to "
                f"{SCHEMA_VERSION}: upgrade bilingual"
            )
        if not isinstance(d["blocks"], list):
            raise ProjectError("malformed project file: 'blocks' is not a list")
        d = _migrate(d, version)
        provenance = d.get("provenance") or {}
        if not isinstance(provenance, dict):
            raise ProjectError("malformed project file: 'provenance' is not an object")
        try:
            json.dumps(provenance, ensure_ascii=False, allow_nan=False).encode("utf-8")
        except (ValueError, RecursionError):
            raise ProjectError(
                "malformed project file: 'provenance' holds text that is not valid Unicode, "
                "a non-finite number or too deep a nesting"
            ) from None
        if d.get("script") not in (None, "", *SCRIPTS):
            raise ProjectError(
                f"malformed project file: 'script' must be one of {', '.join(SCRIPTS)}"
            )
        article = cls(
            blocks=[Block.from_dict(b) for b in d["blocks"]],
            source_url=_optional_str(d, "source_url", keep_empty=True),
            captured_at=_optional_str(d, "captured_at", keep_empty=True),
            published=_optional_str(d, "published", keep_empty=True),
            outlet=_optional_str(d, "outlet"),
            author=_optional_str(d, "author"),
            credits=_str_list(d, "credits"),
            dropped=_dropped(d.get("dropped")),
            glossary=_terms(d.get("glossary")),
            script=d.get("script") or "zh-Hans",
            provenance=provenance,
            schema_version=SCHEMA_VERSION,
        )
        ids = [b.id for b in article.blocks]
        if len(set(ids)) != len(ids):
            raise ProjectError("malformed project file: duplicate block ids")
        return article

    @classmethod
    def from_json(cls, text: str) -> Article:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ProjectError(f"not valid JSON (line {exc.lineno}): {exc.msg}") from None
        except RecursionError:
            raise ProjectError("not a project file (JSON nested too deeply)") from None
        return cls.from_dict(data)

    @classmethod
    def load(cls, path: str | Path) -> Article:
        p = Path(path)
        from bilingual.fsutil import read_bytes

        data = read_bytes(p, ProjectError, "project file")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise ProjectError(f"{p}: not a project file (not UTF-8 JSON)") from None
        try:
            return cls.from_json(text)
        except ProjectError as exc:
            raise ProjectError(f"{p}: {exc}") from None
