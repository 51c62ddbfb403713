"""The command line. Parses options, calls the library, prints; nothing else lives here."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from bilingual import __version__
from bilingual.errors import BilingualError

FORMATS = ["scraped", "html", "markdown", "text", "docx"]


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


_input_argument = click.argument("input_path", metavar="INPUT", type=str)
_from_option = click.option(
    "--from",
    "fmt",
    type=click.Choice(FORMATS),
    help="Input format (default: detected from the content).",
)
_encoding_option = click.option(
    "--encoding", help="Input text encoding, e.g. gb18030, big5 (default: detected)."
)


@cli.command()
@_input_argument
@_from_option
@_encoding_option
@click.option("--json", "as_json", is_flag=True, help="Print the project file (JSON) instead.")
def parse(input_path: str, fmt: str | None, encoding: str | None, as_json: bool) -> None:
    """Show how INPUT splits into title, metadata and paragraphs.

    INPUT is a file (HTML, Markdown, plain text, DOCX, or a scraped page) or - for stdin.
    """
    from bilingual.readers import read_article

    article = read_article(input_path, fmt=fmt, encoding=encoding, stdin=sys.stdin.buffer)
    if as_json:
        click.echo(article.to_json(), nl=False)
        return
    meta = article.provenance.get("input", {})
    click.echo(f"format:      {meta.get('format')} ({meta.get('encoding') or 'binary'})")
    click.echo(f"script:      {article.script}")
    click.echo(f"source_url:  {article.source_url or '-'}")
    click.echo(f"captured_at: {article.captured_at or '-'}")
    click.echo(f"published:   {article.published or '-'}")
    body = article.body
    click.echo(f"blocks:      {len(body)} (+ title)" if article.title else f"blocks: {len(body)}")
    click.echo("")
    number = 0
    for block in article.blocks:
        if block.kind.value == "title":
            click.echo(f"[title] {block.zh}")
            continue
        number += 1
        click.echo(f"[{block.kind.value} {number}] {block.zh}")


# Command groups that live in their own modules. Each module imports only click and the library
# at import time (heavy imports stay inside the commands), so `bilingual --help` stays instant.
def _register_commands() -> None:
    from bilingual.cli_check import check
    from bilingual.cli_export import export
    from bilingual.cli_models import models
    from bilingual.cli_translate import translate

    cli.add_command(models)
    cli.add_command(translate)
    cli.add_command(export)
    cli.add_command(check)
    # Review, XLIFF import, translation memory exchange.
    from bilingual.cli_memory import memory
    from bilingual.cli_review import review
    from bilingual.cli_xliff import import_command

    cli.add_command(review)
    cli.add_command(import_command)
    cli.add_command(memory)


_register_commands()
