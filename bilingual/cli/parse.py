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


keep_all_option = click.option(
    "--keep-all",
    is_flag=True,
    help="Keep what looks like page furniture (bylines, share bars, credits...) as blocks.",
)


@click.command(short_help="Show how an article splits into title, metadata and paragraphs.")
@_input_argument
@_from_option
@_encoding_option
@click.option("--json", "as_json", is_flag=True, help="Print the project file (JSON) instead.")
@click.option(
    "--show-dropped", is_flag=True, help="Also list what was left out of the article, and why."
)
@keep_all_option
def parse(
    input_path: str,
    fmt: str | None,
    encoding: str | None,
    as_json: bool,
    show_dropped: bool,
    keep_all: bool,
) -> None:
    """Show how INPUT splits into title, metadata and paragraphs.

    INPUT is a file (HTML, Markdown, plain text, DOCX, or a scraped page) or - for stdin.
    Page furniture (bylines, datelines, share bars, credits, related stories...) is left out
    and counted; --show-dropped lists it with the reason, --keep-all keeps it. What it says
    about the article (author, date, credits) is kept as metadata.
    """
    from bilingual.document import section_label
    from bilingual.readers import read_article
    from bilingual.textutil import visible

    article = read_article(
        input_path, fmt=fmt, encoding=encoding, stdin=sys.stdin.buffer, keep_all=keep_all
    )
    if as_json:
        click.echo(article.to_json(), nl=False)
        return

    def echo(line: str) -> None:
        click.echo(visible(line))  # the article's text may hold terminal escapes

    meta = article.provenance.get("input", {})
    echo(f"format:      {meta.get('format')} ({meta.get('encoding') or 'binary'})")
    echo(f"script:      {article.script}")
    echo(f"source_url:  {article.source_url or '-'}")
    echo(f"captured_at: {article.captured_at or '-'}")
    echo(f"published:   {article.published or '-'}")
    if article.outlet:
        echo(f"outlet:      {article.outlet}")
    if article.author:
        echo(f"author:      {article.author}")
    for credit in article.credits:
        echo(f"credit:      {credit}")
    body = article.body
    echo(f"blocks:      {len(body)} (+ title)" if article.title else f"blocks: {len(body)}")
    if article.dropped:
        hint = "" if show_dropped else " (--show-dropped lists them)"
        echo(f"dropped:     {len(article.dropped)}{hint}")
    echo("")
    for number, block in article.numbered():
        label = "title" if number == 0 else f"{block.kind.value} {section_label(number)}"
        echo(f"[{label}] {block.zh}")
    if show_dropped and article.dropped:
        echo("")
        for dropped in article.dropped:
            echo(f"(dropped: {dropped.reason}) {dropped.text}")
