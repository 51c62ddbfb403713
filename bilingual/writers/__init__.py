"""Writers: an Article to a handout file (DOCX, HTML, ...), chosen by format name.

Each writer is a module with `to_bytes(article, options) -> bytes`. The registry below maps a format
name to that function's dotted path and the file extensions that mean it; writers are imported only
when used, so python-docx stays out of `bilingual --help`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from bilingual.document import Article
from bilingual.errors import UnsupportedOutput
from bilingual.fsutil import atomic_write, check_writable


class Layout(str, Enum):
    SIDE_BY_SIDE = "side-by-side"
    INTERLEAVED = "interleaved"
    ENGLISH = "english"  # the translation alone
    CHINESE = "chinese"  # the source alone

    @property
    def shows_zh(self) -> bool:
        return self is not Layout.ENGLISH

    @property
    def shows_en(self) -> bool:
        return self is not Layout.CHINESE


class Audience(str, Enum):
    READER = "reader"  # a clean handout to print and hand out
    REVIEW = "review"  # status, flags and a comment column; comes back with `bilingual import`


class Paper(str, Enum):
    A4 = "a4"
    LETTER = "letter"


@dataclass(frozen=True)
class HandoutOptions:
    layout: Layout = Layout.SIDE_BY_SIDE
    paper: Paper = Paper.A4
    landscape: bool = False
    audience: Audience = Audience.READER


Writer = Callable[[Article, HandoutOptions], bytes]


@dataclass(frozen=True)
class WriterSpec:
    target: str  # "module:function"
    extensions: tuple[str, ...]
    # "module:function" that raises when a program the format needs is missing, so the user
    # hears it before a translation run rather than after.
    requires: str | None = None
    binary: bool = False  # never printed to a terminal


# Adding a format is one line here plus its module.
WRITERS: dict[str, WriterSpec] = {
    "docx": WriterSpec("bilingual.writers.docx:to_bytes", (".docx",), binary=True),
    "html": WriterSpec("bilingual.writers.html:to_bytes", (".html", ".htm")),
    "xliff": WriterSpec("bilingual.writers.xliff:to_bytes", (".xlf", ".xliff")),
    "json": WriterSpec("bilingual.writers.project:to_bytes", (".json",)),
    "pdf": WriterSpec(
        "bilingual.writers.pdf:to_bytes",
        (".pdf",),
        requires="bilingual.writers.pdf:renderer",
        binary=True,
    ),
}


def formats() -> list[str]:
    return list(WRITERS)


def _load(target: str) -> Any:
    module_name, _, func = target.partition(":")
    return getattr(importlib.import_module(module_name), func)


def writer_for(fmt: str) -> Writer:
    spec = WRITERS.get(fmt)
    if spec is None:
        raise UnsupportedOutput(f"unknown output format '{fmt}' (known: {', '.join(WRITERS)})")
    writer: Writer = _load(spec.target)
    return writer


def _available(name: str) -> str:
    requires = WRITERS[name].requires
    if requires:
        _load(requires)()
    return name


def format_for(path: str | Path, override: str | None = None) -> str:
    """The output format: `override` if given, else the one the extension of `path` names.

    Raises UnsupportedOutput when the format needs a program that is not installed.
    """
    if override is not None:
        if override not in WRITERS:
            raise UnsupportedOutput(
                f"unknown output format '{override}' (known: {', '.join(WRITERS)})"
            )
        return _available(override)
    suffix = Path(path).suffix.lower()
    for name, spec in WRITERS.items():
        if suffix in spec.extensions:
            return _available(name)
    known = ", ".join(ext for spec in WRITERS.values() for ext in spec.extensions)
    what = f"'{suffix}'" if suffix else "no extension"
    raise UnsupportedOutput(
        f"{path}: cannot tell the output format from {what}; name it {known} "
        f"or pass --format {'|'.join(WRITERS)}"
    )


_E = TypeVar("_E", Layout, Paper, Audience)


def _choice(enum: type[_E], value: _E | str, what: str) -> _E:
    try:
        return enum(value)
    except ValueError:
        known = "|".join(e.value for e in enum)
        raise UnsupportedOutput(f"unknown {what} '{value}' (known: {known})") from None


def write_handout(
    article: Article,
    path: str | Path,
    *,
    fmt: str | None = None,
    layout: Layout | str = Layout.SIDE_BY_SIDE,
    paper: Paper | str = Paper.A4,
    landscape: bool = False,
    audience: Audience | str = Audience.READER,
    force: bool = False,
) -> Path:
    """Write `article` as a handout to `path`, atomically; refuse to overwrite unless `force`.

    The format follows the extension of `path` unless `fmt` names one. Returns the path written.
    """
    path = Path(path)
    name = format_for(path, fmt)
    # Fail before the (slower) rendering when the file is there already.
    check_writable(path, force=force)
    data = handout_bytes(
        article, fmt=name, layout=layout, paper=paper, landscape=landscape, audience=audience
    )
    atomic_write(path, data, force=force)
    return path


def handout_bytes(
    article: Article,
    *,
    fmt: str,
    layout: Layout | str = Layout.SIDE_BY_SIDE,
    paper: Paper | str = Paper.A4,
    landscape: bool = False,
    audience: Audience | str = Audience.READER,
) -> bytes:
    """`article` in the format `fmt`, as the bytes `write_handout` would write."""
    options = HandoutOptions(
        layout=_choice(Layout, layout, "layout"),
        paper=_choice(Paper, paper, "paper size"),
        landscape=landscape,
        audience=_choice(Audience, audience, "audience"),
    )
    return writer_for(fmt)(article, options)
