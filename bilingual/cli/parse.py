"""`bilingual parse`: how an input splits into title, metadata and blocks."""

from __future__ import annotations

import sys

import click

FORMATS = ["scraped", "html", "markdown", "text", "docx"]

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


@click.command()
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
