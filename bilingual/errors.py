"""The library's exceptions. The CLI turns any BilingualError into a one-line message."""


class BilingualError(Exception):
    """Root of every error the library raises on purpose."""

    exit_code = 1


class InputError(BilingualError):
    """The input cannot be read (missing, a directory, empty, binary...)."""

    exit_code = 2


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
        self.exit_code = 1 if done else 2


class ProjectError(BilingualError):
    """A project file is malformed or from an incompatible version."""

    exit_code = 2


class FileSystemError(BilingualError):
    """The operating system refused a read or write: no permission, a read-only or full disk,
    a name too long, a closed standard stream. One line, with what to do."""

    exit_code = 5


class OutputExists(BilingualError):
    """Refusing to overwrite an existing file without --force."""

    exit_code = 2


class ModelError(BilingualError):
    """Installing, finding or removing an Argos model package failed."""

    exit_code = 3


class ModelNotInstalled(ModelError):
    """No installed package translates the requested language pair."""

    exit_code = 3


class ModelAlreadyInstalled(ModelError):
    """The same package version is installed already; reinstalling needs --force."""

    exit_code = 2


class PackageInvalid(ModelError):
    """A .argosmodel file is not a valid, safe Argos Translate package."""

    exit_code = 2


class NetworkError(BilingualError):
    """A download (package index or package) failed: unreachable, timed out, HTTP error."""

    exit_code = 4


class UnsupportedOutput(BilingualError):
    """An output format, layout or paper size bilingual does not write."""

    exit_code = 2


class ReviewError(BilingualError):
    """A review action cannot be done (nothing to accept, no such paragraph, ...)."""

    exit_code = 2


class ProjectChanged(ProjectError):
    """The project file changed on disk while it was open for review or import."""


class XliffError(BilingualError):
    """An XLIFF file is malformed, not XLIFF 1.2, or belongs to another project."""

    exit_code = 2


class ReviewDocxError(BilingualError):
    """A DOCX is not a review handout of this project, or its review table was broken."""

    exit_code = 2


class TmxError(BilingualError):
    """A TMX file is malformed or holds no Chinese/English pairs."""

    exit_code = 2


class GlossaryError(BilingualError):
    """A glossary file cannot be read: not text, a bad row, conflicting entries."""

    exit_code = 2


class BilingualWarning(UserWarning):
    """Something went wrong that bilingual worked around (the CLI shows it as one `Warning:` line)."""
