"""How an article's English was made, as a typed record.

`Article.provenance` stays a plain dict in the project file (readers put what they found under
``input``; older files may lack keys or hold odd types). `Provenance.from_dict` reads the
translation part of it, tolerating all of that, and `to_dict` writes it back in the same shape,
so a project file written before this class reads the same and the writers never parse the dict
themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bilingual import __version__
from bilingual.document import FLAG_MARK
from bilingual.textutil import format_date, plural

if TYPE_CHECKING:
    from bilingual.document import Article

__all__ = ["ENGINE_WORDS", "ModelInfo", "NameStrategies", "Provenance", "review_notice"]

#: How a handout names each engine's kind of model for a reader (Argos: nothing added).
ENGINE_WORDS = {
    "nllb": "NLLB-200",
    "opus-mt": "OPUS-MT",
    "llm": "a large language model",
}


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


@dataclass(frozen=True)
class ModelInfo:
    package: str | None = None
    version: str | None = None
    from_code: str | None = None
    to_code: str | None = None
    #: The engine that ran it (`--engine`): argos, nllb, opus-mt, llm.
    engine: str | None = None

    @classmethod
    def from_signature(cls, sig: Mapping[str, Any]) -> ModelInfo:
        return cls(
            _text(sig.get("package")),
            _text(sig.get("package_version")),
            _text(sig.get("from_code")),
            _text(sig.get("to_code")),
            _text(sig.get("engine")),
        )

    @property
    def described(self) -> str | None:
        """'tiny-nllb 1.0 (NLLB-200)': the model as a handout names it."""
        if not self.package:
            return None
        text = f"{self.package} {self.version}" if self.version else self.package
        word = ENGINE_WORDS.get(self.engine or "")
        return f"{text} ({word})" if word else text


@dataclass(frozen=True)
class NameStrategies:
    """How names reached the model: the order tried, and how many segments each answered."""

    order: tuple[str, ...] = ()
    segments: dict[str, int] = field(default_factory=dict)


_SIGNATURE_MODEL_KEYS = ("package", "package_version", "from_code", "to_code")


@dataclass(frozen=True)
class Provenance:
    tool: str = "bilingual"
    version: str | None = None
    model: ModelInfo | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    route: str | None = None
    translated_at: str | None = None
    glossary_entries: int | None = None
    names: NameStrategies | None = None

    @classmethod
    def of_run(
        cls,
        signature: Mapping[str, Any],
        *,
        version: str,
        route: str,
        translated_at: str,
        glossary_entries: int | None = None,
        names: NameStrategies | None = None,
    ) -> Provenance:
        """The record of a translation run on an engine with this signature."""
        return cls(
            version=version,
            model=ModelInfo.from_signature(signature),
            settings={k: v for k, v in signature.items() if k not in _SIGNATURE_MODEL_KEYS},
            route=route,
            translated_at=translated_at,
            glossary_entries=glossary_entries,
            names=names,
        )

    @property
    def engine(self) -> str:
        """The engine the English was made with (Argos for records that predate the others)."""
        if self.model is not None and self.model.engine:
            return self.model.engine
        return _text(self.settings.get("engine")) or "argos"

    @property
    def beam(self) -> str | None:
        return _text(self.settings.get("beam"))

    @property
    def compute_type(self) -> str | None:
        return _text(self.settings.get("compute_type"))

    @classmethod
    def of(cls, article: Article) -> Provenance:
        """The record of how `article`'s English was made."""
        return cls.from_dict(article.provenance)

    @property
    def model_package(self) -> str | None:
        return self.model.package if self.model is not None else None

    @property
    def model_version(self) -> str | None:
        return self.model.version if self.model is not None else None

    @property
    def translated(self) -> bool:
        return self.model_package is not None

    def signature(self) -> str:
        """One line: 'bilingual 0.1.0 · model translate-zh_en 1.9 · beam 4 · 2024-07-01 ...'."""
        parts = [f"{self.tool} {self.version}" if self.version else self.tool]
        if self.model is not None and self.model.described:
            parts.append(f"model {self.model.described}")
        else:
            parts.append("model not recorded")
        if self.compute_type:
            parts.append(self.compute_type)
        if self.beam:
            parts.append(f"beam {self.beam}")
        when = format_date(self.translated_at)
        if when:
            parts.append(f"translated {when}")
        if (self.tool, self.version) != ("bilingual", __version__):
            parts.append(f"handout by bilingual {__version__}")
        return " · ".join(parts)

    def meta(self) -> dict[str, str]:
        """Name/value pairs for machine-readable metadata (HTML <meta>, DOCX comments)."""
        pairs = {
            "bilingual:tool": f"{self.tool} {self.version or ''}".strip(),
            "bilingual:engine": self.model.engine if self.model is not None else None,
            "bilingual:model": self.model_package,
            "bilingual:model-version": self.model_version,
            "bilingual:compute-type": self.compute_type,
            "bilingual:beam": self.beam,
            "bilingual:translated-at": self.translated_at,
        }
        return {k: v for k, v in pairs.items() if v}

    @classmethod
    def from_dict(cls, d: Any) -> Provenance:
        """Read the translation record from `Article.provenance` (keys may be missing)."""
        p = _mapping(d)
        raw_model = p.get("model")
        model: ModelInfo | None = None
        if isinstance(raw_model, Mapping):
            model = ModelInfo(
                _text(raw_model.get("package")) or _text(raw_model.get("name")),
                _text(raw_model.get("version")),
                _text(raw_model.get("from_code")),
                _text(raw_model.get("to_code")),
                _text(raw_model.get("engine")) or _text(_mapping(p.get("settings")).get("engine")),
            )
        elif _text(raw_model):
            model = ModelInfo(_text(raw_model))
        names = None
        raw_names = p.get("names")
        if isinstance(raw_names, Mapping):
            order = raw_names.get("order")
            counts = _mapping(raw_names.get("segments"))
            names = NameStrategies(
                tuple(str(x) for x in order) if isinstance(order, list) else (),
                {str(k): int(v) for k, v in counts.items() if isinstance(v, int)},
            )
        entries = p.get("glossary_entries")
        return cls(
            tool=_text(p.get("tool")) or "bilingual",
            version=_text(p.get("version")),
            model=model,
            settings=dict(_mapping(p.get("settings"))),
            route=_text(p.get("route")),
            translated_at=_text(p.get("translated_at")),
            glossary_entries=entries if isinstance(entries, int) else None,
            names=names,
        )

    def to_dict(self) -> dict[str, Any]:
        """The keys this record owns in `Article.provenance`, in the project file's shape."""
        d: dict[str, Any] = {"tool": self.tool, "version": self.version}
        if self.model is not None:
            d["model"] = {
                "package": self.model.package,
                "version": self.model.version,
                "from_code": self.model.from_code,
                "to_code": self.model.to_code,
            }
            if self.model.engine:
                d["model"]["engine"] = self.model.engine
        d["settings"] = dict(self.settings)
        d["route"] = self.route
        d["translated_at"] = self.translated_at
        if self.glossary_entries is not None:
            d["glossary_entries"] = self.glossary_entries
        if self.names is not None:
            d["names"] = {"order": list(self.names.order), "segments": dict(self.names.segments)}
        return d


def review_notice(article: Article) -> str:
    """The machine-translation notice: how much of the English a person has reviewed."""
    body = article.body
    total = len(body)
    reviewed = sum(1 for b in body if b.status.reviewed)
    missing = sum(1 for b in body if b.en is None)
    flagged = sum(1 for b in body if b.flags)
    if total and missing == total:
        return f"The English is not translated yet ({plural(total, 'paragraph')})."
    if total and reviewed == total:
        text = f"The English is a machine translation; a person has reviewed all {plural(total, 'paragraph')}."
    else:
        text = (
            f"The English is a machine translation; a person has reviewed {reviewed} of "
            f"{plural(total, 'paragraph')}."
        )
    if missing:
        text += f" {plural(missing, 'paragraph')} not translated yet."
    if flagged:
        text += f" {FLAG_MARK} marks {plural(flagged, 'paragraph')} to check."
    return text
