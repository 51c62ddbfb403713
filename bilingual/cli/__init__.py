"""The command line. Parses options, calls the library, prints; nothing else lives here."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from bilingual import __version__
from bilingual.errors import BilingualError


class _Group(click.Group):
    """Turns library errors into one line on stderr and a non-zero exit, never a traceback."""

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


# Command groups that live in their own modules. Each module imports only click and the library
# at import time (heavy imports stay inside the commands), so `bilingual --help` stays instant.
def _register_commands() -> None:
    from bilingual.cli.check import check
    from bilingual.cli.export import export
    from bilingual.cli.models import models
    from bilingual.cli.parse import parse
    from bilingual.cli.translate import translate

    cli.add_command(parse)
    cli.add_command(models)
    cli.add_command(translate)
    cli.add_command(export)
    cli.add_command(check)
    # Review, XLIFF import, translation memory exchange.
    from bilingual.cli.memory import memory
    from bilingual.cli.review import review
    from bilingual.cli.xliff import import_command

    cli.add_command(review)
    cli.add_command(import_command)
    cli.add_command(memory)


_register_commands()
