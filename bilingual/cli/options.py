"""Options several commands share, defined once so they read and behave the same everywhere."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def memory_options(no_memory_help: str) -> Callable[[F], F]:
    """--memory PATH and --no-memory, as `memory_path` and `no_memory`."""

    def decorate(f: F) -> F:
        return memory_path_option(click.option("--no-memory", is_flag=True, help=no_memory_help)(f))

    return decorate


def glossary_option(help: str) -> Callable[[F], F]:
    """--glossary FILE, as `glossary_path`."""
    return click.option("--glossary", "glossary_path", type=click.Path(path_type=Path), help=help)


def handout_options(f: F) -> F:
    """--for, --layout, --paper and --landscape, for the commands that write handouts."""
    from bilingual.writers import Audience, Layout, Paper

    f = click.option("--landscape", is_flag=True, help="Landscape pages.")(f)
    f = click.option(
        "--for",
        "audience",
        type=click.Choice([e.value for e in Audience]),
        default=Audience.READER.value,
        show_default=True,
        help="reader: a clean handout to print; review: status, flags and a comment column, "
        "to edit in Word and bring back with `bilingual import`.",
    )(f)
    f = click.option(
        "--paper",
        type=click.Choice([e.value for e in Paper]),
        default=Paper.A4.value,
        show_default=True,
        help="Paper size for printing.",
    )(f)
    return click.option(
        "--layout",
        type=click.Choice([e.value for e in Layout]),
        default=Layout.SIDE_BY_SIDE.value,
        show_default=True,
        help="Chinese and English side by side, each Chinese paragraph followed by its English, "
        "or one language alone (english: the translation only; chinese: the original only).",
    )(f)


def memory_path_option(f: F) -> F:
    """--memory PATH alone, for the commands that are about the memory itself."""
    return click.option(
        "--memory",
        "memory_path",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Translation memory file (default: in the user cache directory).",
    )(f)
