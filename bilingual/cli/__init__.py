"""The command line. Parses options, calls the library, prints; nothing else lives here."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import signal
import sys
import threading
import warnings
from collections.abc import Iterator
from typing import Any

import click

from bilingual import __version__
from bilingual.errors import BilingualError, ExitStatus

# Every command, in the order `--help` lists them, and where it lives. A command's module is
# imported only when that command runs (or `--help` lists them all), so `bilingual parse` does
# not pay for the translation memory, the writers or the review page.
_COMMANDS = {
    "parse": "bilingual.cli.parse:parse",
    "models": "bilingual.cli.models:models",
    "translate": "bilingual.cli.translate:translate",
    "export": "bilingual.cli.export:export",
    "check": "bilingual.cli.check:check",
    "review": "bilingual.cli.review:review",
    "import": "bilingual.cli.xliff:import_command",
    "memory": "bilingual.cli.memory:memory",
}


class _Group(click.Group):
    """Turns library errors into one line on stderr and a non-zero exit, never a traceback.

    The exit statuses are `bilingual.errors.ExitStatus`.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*_COMMANDS, *(name for name in super().list_commands(ctx) if name not in _COMMANDS)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in _COMMANDS and cmd_name not in self.commands:
            import importlib

            module, _, attr = _COMMANDS[cmd_name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attr), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        _guard_standard_streams()
        try:
            with _terminations_as_exceptions(), _warnings_as_lines():
                result = super().invoke(ctx)
                _flush_stdout()
                return result
        except BilingualError as exc:
            _fail(ctx, str(exc), exc.exit_code)
        except BrokenPipeError:
            # The reader of our output went away (`| head`): stop quietly, as Unix tools do.
            _silence_stdout()
            ctx.exit(ExitStatus.BROKEN_PIPE)
        except KeyboardInterrupt:
            _fail(ctx, f"Interrupted{_kept()}.", ExitStatus.INTERRUPTED, prefix="")
        except Terminated as exc:
            _fail(
                ctx, f"Terminated by {exc.signal_name}{_kept()}.", ExitStatus.TERMINATED, prefix=""
            )
        except OSError as exc:
            # The operating system refused something the library did not expect to fail.
            from bilingual.fsutil import describe_os_error

            message = describe_os_error(exc, action=None)
            if isinstance(exc, ClosedStream) and exc.strerror:
                message = exc.strerror
            _silence_stdout()  # what could not be written must not fail again at exit
            _fail(ctx, message, ExitStatus.SYSTEM)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if os.environ.get("BILINGUAL_DEBUG"):
                raise
            _fail(
                ctx,
                f"internal error: {type(exc).__name__}: {exc} "
                "(set BILINGUAL_DEBUG=1 for the traceback, and please report it)",
                ExitStatus.INTERNAL,
            )


def _kept() -> str:
    """What an interrupted run kept, for the one line that says it stopped."""
    memory = sys.modules.get("bilingual.memory")
    stored = memory.Memory.stored_in_process if memory is not None else 0
    if not stored:
        return ""
    return (
        f": {stored} translated segments are kept in the translation memory; run the same "
        "command again to continue where it stopped"
    )


def _fail(ctx: click.Context, message: str, code: int, prefix: str = "Error: ") -> None:
    from bilingual.textutil import visible

    with contextlib.suppress(OSError, ValueError):
        click.echo(visible(f"{prefix}{message}"), err=True)
    ctx.exit(code)


class ClosedStream(OSError):
    """Standard input or output was closed when bilingual started (`<&-`, `>&-`)."""


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwind (finally blocks run, temp files go) and exit."""

    def __init__(self, signal_name: str) -> None:
        super().__init__(signal_name)
        self.signal_name = signal_name


class _Closed(io.RawIOBase):
    def __init__(self, message: str) -> None:
        self.message = message

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        raise ClosedStream(errno.EBADF, self.message)

    def write(self, data: Any) -> int:
        raise ClosedStream(errno.EBADF, self.message)


class _GuardedStream(io.TextIOWrapper):
    """The stand-in for a closed standard output."""


def _guard_standard_streams() -> None:
    """A closed stdin or stdout (Python then has None there) becomes a stream whose use is a
    one-line error, instead of a crash (stdin) or output silently going nowhere (stdout)."""
    if sys.stdin is None:
        raw = _Closed("standard input is closed: nothing to read (give a file, not -)")
        sys.stdin = io.TextIOWrapper(io.BufferedReader(raw))
    if sys.stdout is None:
        raw = _Closed("standard output is closed: nothing was written (give -o FILE)")
        sys.stdout = _GuardedStream(io.BufferedWriter(raw), write_through=True)
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - nowhere to report; lives to exit


def _flush_stdout() -> None:
    if sys.stdout is not None:
        sys.stdout.flush()


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the flush at exit cannot fail a second time."""
    if sys.stdout is not sys.__stdout__ and not isinstance(sys.stdout, _GuardedStream):
        return  # someone else's stream (a test runner's): theirs to handle
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno())  # type: ignore[union-attr]


@contextlib.contextmanager
def _warnings_as_lines() -> Iterator[None]:
    """What the library worked around (BilingualWarning) as one `Warning:` line on stderr."""
    from bilingual.errors import BilingualWarning

    def show(message: Any, category: Any, *args: Any, **kwargs: Any) -> None:
        from bilingual.textutil import visible

        with contextlib.suppress(OSError, ValueError):
            click.echo(visible(f"Warning: {message}"), err=True)

    with warnings.catch_warnings():
        warnings.simplefilter("always", BilingualWarning)
        warnings.showwarning = show
        yield


@contextlib.contextmanager
def _terminations_as_exceptions() -> Iterator[None]:
    """SIGTERM and SIGHUP unwind like Ctrl-C, so finished work is stored and temp files go."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        raise Terminated(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bilingual")
def cli() -> None:
    """Turn Chinese news articles into bilingual Chinese/English handouts, offline."""
