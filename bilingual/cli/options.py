"""Options several commands share, defined once so they read and behave the same everywhere."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from bilingual.translation.pipeline import NameOrder

F = TypeVar("F", bound=Callable[..., Any])


class NameOrderType(click.ParamType):
    """--names ORDER ("inline,placeholders"): the name strategies, resolved once, here."""

    name = "order"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> NameOrder:
        if isinstance(value, tuple):  # already converted (a default given as strategies)
            return value
        from bilingual.translation.pipeline import strategies_named

        try:
            return strategies_named(x.strip() for x in str(value).split(",") if x.strip())
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def names_option(f: F) -> F:
    """--names ORDER, as `strategies` (a tuple of name strategies, `pieces` last; None: the
    engine's own order)."""
    return click.option(
        "--names",
        "strategies",
        type=NameOrderType(),
        default=None,
        metavar="ORDER",
        help="How names reach the model, tried in order until every name comes back verbatim: "
        "inline, placeholders (comma-separated); the pieces around the names are the last resort. "
        "Default: the engine's own (placeholders; inline for llm). "
        "`python benchmarks/names.py --model PACKAGE` measures which order suits a model.",
    )(f)


def memory_options(no_memory_help: str) -> Callable[[F], F]:
    """--memory PATH and --no-memory, as `memory_path` and `no_memory`."""

    def decorate(f: F) -> F:
        return memory_path_option(click.option("--no-memory", is_flag=True, help=no_memory_help)(f))

    return decorate


def glossary_option(help: str) -> Callable[[F], F]:
    """--glossary FILE, as `glossary_path`."""
    return click.option("--glossary", "glossary_path", type=click.Path(path_type=Path), help=help)


def _enum_option(name: str, dest: str, enum: type[Enum], help: str) -> Callable[[F], F]:
    """A choice among an enum's values, its first member the default."""
    return click.option(
        name,
        dest,
        type=click.Choice([e.value for e in enum]),
        default=next(iter(enum)).value,
        show_default=True,
        help=help,
    )


def handout_options(f: F) -> F:
    """--for, --layout, --paper and --landscape, for the commands that write handouts."""
    from bilingual.writers import Audience, Layout, Paper

    f = click.option("--landscape", is_flag=True, help="Landscape pages.")(f)
    for name, dest, enum, help in (
        (
            "--for",
            "audience",
            Audience,
            "reader: a clean handout to print; review: status, flags and a comment column, "
            "to edit in Word and bring back with `bilingual import`.",
        ),
        ("--paper", "paper", Paper, "Paper size for printing."),
        (
            "--layout",
            "layout",
            Layout,
            "Chinese and English side by side, each Chinese paragraph followed by its English, "
            "or one language alone (english: the translation only; chinese: the original only).",
        ),
    ):
        f = _enum_option(name, dest, enum, help)(f)
    return f


def memory_path_option(f: F) -> F:
    """--memory PATH alone, for the commands that are about the memory itself."""
    return click.option(
        "--memory",
        "memory_path",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Translation memory file (default: memory.sqlite3 in the user data directory).",
    )(f)
