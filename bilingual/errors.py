"""The library's exceptions, and the exit statuses they end a command with.

The CLI turns any BilingualError into a one-line message and its `exit_code`.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any


class ExitStatus(IntEnum):
    """How a `bilingual` command ended, as its exit status (the README's CLI reference lists them)."""

    SUCCESS = 0
    ERROR = 1  # `check` found something, a batch skipped inputs, or an error of no other kind
    USAGE = 2  # bad input, options, project or file: fix what the message names
    MODEL = 3  # the model is missing or broken
    NETWORK = 4  # a download failed
    SYSTEM = 5  # the system refused a read or write (permissions, full disk, closed stream)
    INTERNAL = 70  # a bug (EX_SOFTWARE)
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
    BROKEN_PIPE = 141  # the reader of our output went away (128 + SIGPIPE)
    TERMINATED = 143  # SIGTERM or SIGHUP (128 + SIGTERM)


class BilingualError(Exception):
    """Root of every error the library raises on purpose."""

    exit_code: int = ExitStatus.ERROR


class InputError(BilingualError):
    """The input cannot be read (missing, a directory, empty, binary...)."""

    exit_code = ExitStatus.USAGE


class UnsupportedInput(InputError):
    """The input is in a format bilingual does not read (PDF, images, ...)."""


class DecodingError(InputError):
    """The bytes cannot be decoded as text in the detected or given encoding."""


class NoContent(InputError):
    """The input parsed, but holds no article text."""


class InputsSkipped(InputError):
    """Some inputs of a batch were not articles: the others were done, these were not. Exit 1
    when anything was done, 2 when nothing was."""

    def __init__(self, message: str, done: int) -> None:
        super().__init__(message)
        self.exit_code = ExitStatus.ERROR if done else ExitStatus.USAGE


class ProjectError(BilingualError):
    """A project file is malformed or from an incompatible version."""

    exit_code = ExitStatus.USAGE


class FileSystemError(BilingualError):
    """The operating system refused a read or write: no permission, a read-only or full disk,
    a name too long, a closed standard stream. One line, with what to do."""

    exit_code = ExitStatus.SYSTEM


class OutputExists(BilingualError):
    """Refusing to overwrite an existing file without --force."""

    exit_code = ExitStatus.USAGE


class ModelError(BilingualError):
    """Installing, finding or removing an Argos model package failed."""

    exit_code = ExitStatus.MODEL


class ModelNotInstalled(ModelError):
    """No installed package translates the requested language pair."""

    exit_code = ExitStatus.MODEL


class ModelAlreadyInstalled(ModelError):
    """The same package version is installed already; reinstalling needs --force."""

    exit_code = ExitStatus.USAGE


class PackageInvalid(ModelError):
    """A .argosmodel file is not a valid, safe Argos Translate package."""

    exit_code = ExitStatus.USAGE


class NetworkError(BilingualError):
    """A download (package index or package) failed: unreachable, timed out, HTTP error."""

    exit_code = ExitStatus.NETWORK


class UnsupportedOutput(BilingualError):
    """An output format, layout or paper size bilingual does not write."""

    exit_code = ExitStatus.USAGE


class ReviewError(BilingualError):
    """A review action cannot be done (nothing to accept, no such paragraph, ...)."""

    exit_code = ExitStatus.USAGE


class ProjectChanged(ProjectError):
    """The project file changed on disk while it was open for review or import."""


class XliffError(BilingualError):
    """An XLIFF file is malformed, not XLIFF 1.2, or belongs to another project."""

    exit_code = ExitStatus.USAGE


class ReviewDocxError(BilingualError):
    """A DOCX is not a review handout of this project, or its review table was broken."""

    exit_code = ExitStatus.USAGE


class TmxError(BilingualError):
    """A TMX file is malformed or holds no Chinese/English pairs."""

    exit_code = ExitStatus.USAGE


class GlossaryError(BilingualError):
    """A glossary file cannot be read: not text, a bad row, conflicting entries."""

    exit_code = ExitStatus.USAGE


class UsageError(BilingualError):
    """Options that do not fit together."""

    exit_code = ExitStatus.USAGE


class EngineError(BilingualError):
    """The model cannot be loaded or run."""

    exit_code = ExitStatus.MODEL  # a model problem, as ModelNotInstalled


class TranslationMemoryError(BilingualError):
    """The translation memory cannot be opened or is damaged."""

    exit_code = ExitStatus.USAGE


class Stale(ReviewError):
    """The block changed since the review page read it; `current` is what it is now."""

    def __init__(self, current: dict[str, Any]) -> None:
        super().__init__("this paragraph was changed elsewhere since you opened it")
        self.current = current


class ZipRefused(BilingualError):
    """An archive broke a limit, is damaged, or uses what cannot be unpacked. The message says
    which; callers prefix the file's name and raise their own error type. `limit` names the
    limit broken ("member-count", "unpacked-size", "compression-ratio"), None for damage."""

    exit_code = ExitStatus.USAGE

    def __init__(self, message: str, limit: str | None = None) -> None:
        super().__init__(message)
        self.limit = limit


class ClusterError(BilingualError):
    """The cluster cannot be used: the optional extra is missing, or its scheduler cannot be
    reached."""

    exit_code = ExitStatus.USAGE


class BilingualWarning(UserWarning):
    """Something went wrong that bilingual worked around (the CLI shows it as one `Warning:` line)."""
