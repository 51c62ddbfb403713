"""The command line. Parses options, calls the library, prints; nothing else lives here."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from bilingual import __version__
from bilingual.errors import BilingualError

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
    """Turns library errors into one line on stderr and a non-zero exit, never a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*_COMMANDS, *(name for name in super().list_commands(ctx) if name not in _COMMANDS)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in _COMMANDS and cmd_name not in self.commands:
            import importlib

            module, _, attr = _COMMANDS[cmd_name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attr), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BilingualError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            # The reader of our output went away (`| head`): stop quietly, as Unix tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(141)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if os.environ.get("BILINGUAL_DEBUG"):
                raise
            click.echo(
                f"Error: internal error: {type(exc).__name__}: {exc} "
                "(set BILINGUAL_DEBUG=1 for the traceback, and please report it)",
                err=True,
            )
            ctx.exit(70)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bilingual")
def cli() -> None:
    """Turn Chinese news articles into bilingual Chinese/English handouts, offline."""
