"""What a protected stretch of the source is: its text, what the English must hold, its kind."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Found", "Span"]


@dataclass(frozen=True)
class Span:
    """One protected stretch of the source."""

    source: str  # exactly as in the Chinese
    render: str  # what must appear verbatim in the English
    kind: str  # "latin", "gloss", "glossary", "url", "email", "quote"
    # Another form that stands for the same name in the English (a later mention's surname or
    # acronym, when the render is the full name), so a check accepts either.
    also: str = ""


@dataclass(frozen=True)
class Found:
    """A protected span and where it is in the text."""

    start: int
    end: int
    span: Span
