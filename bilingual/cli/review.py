"""`bilingual review`: go through a project paragraph by paragraph in the terminal."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from bilingual.cli.options import glossary_option, memory_options
from bilingual.document import Status, section_label

if TYPE_CHECKING:
    from bilingual.document import Article
    from bilingual.glossary import Glossary
    from bilingual.memory import Memory
    from bilingual.review import ReviewSession
    from bilingual.translate import Route

KEYS = "a accept · e edit · l alternatives · r retranslate · n next · p previous · g go to · q quit"
EDITOR_MARKER = "# ---- Everything from this line down is ignored. The Chinese: ----"
ALTERNATIVES = 4


@click.command()
@click.argument("project", metavar="PROJECT.json", type=click.Path(path_type=Path))
@click.option(
    "--flagged", is_flag=True, help="Visit flagged paragraphs first, lowest model score first."
)
@click.option(
    "--web",
    is_flag=True,
    help="Review in the browser: a local page on 127.0.0.1, opened in the default browser.",
)
@click.option(
    "--no-browser",
    is_flag=True,
    help="With --web: do not open a browser; only print the page's address (with its token).",
)
@memory_options("Do not write reviewed paragraphs to the translation memory.")
@glossary_option("CSV/TSV glossary used by retranslate and alternatives.")
def review(
    project: Path,
    flagged: bool,
    web: bool,
    no_browser: bool,
    memory_path: Path | None,
    no_memory: bool,
    glossary_path: Path | None,
) -> None:
    """Review the English of PROJECT.json one paragraph at a time.

    Shows the position, status, flags, the Chinese and the English, then waits for a key:
    a accept, e edit (in $VISUAL/$EDITOR, or typed inline when none is set), l alternatives
    from the model, r retranslate with the current glossary, n next, p previous, g go to a
    number, q quit. Resumes at the first paragraph not yet reviewed. Every action is saved at
    once (the previous version is kept as PROJECT.json~), and reviewed paragraphs go into the
    translation memory, so a later `bilingual translate` returns them.

    With --web, the same review happens in a page in the browser, served on 127.0.0.1 only
    with a random token in its address; Ctrl+C stops it.
    """
    from bilingual.memory import open_memory
    from bilingual.review import ReviewSession

    glossary = None
    if glossary_path is not None:
        from bilingual.glossary import load_glossary

        glossary = load_glossary(glossary_path)
    if web:
        _web(project, glossary, memory_path, no_memory, flagged, open_browser=not no_browser)
        return
    memory = None if no_memory else open_memory(memory_path)
    try:
        session = ReviewSession(
            project,
            memory=memory,
            routes=_lazy_routes(memory),
            glossary=glossary,
            flagged=flagged,
        )
        _loop(session)
        _summary(session)
    finally:
        if memory is not None:
            memory.close()


def _web(
    project: Path,
    glossary: Glossary | None,
    memory_path: Path | None,
    no_memory: bool,
    flagged: bool,
    *,
    open_browser: bool,
) -> None:
    from bilingual.memory import open_memory
    from bilingual.review import ReviewSession
    from bilingual.web.server import ReviewServer

    opened: list[Memory] = []

    def open_session() -> ReviewSession:
        # Runs on the server's worker thread, which owns the session and the memory from here on.
        memory = None if no_memory else open_memory(memory_path)
        if memory is not None:
            opened.append(memory)
        return ReviewSession(
            project, memory=memory, routes=_lazy_routes(memory), glossary=glossary, flagged=flagged
        )

    server = ReviewServer(open_session)
    click.echo(server.url)
    click.echo(
        f"Reviewing {project} in the browser; every change is saved at once. Ctrl+C to stop.",
        err=True,
    )
    if open_browser:
        import webbrowser

        if not webbrowser.open(server.url):
            click.echo("Could not open a browser: open the address above.", err=True)

    def close_memory() -> None:
        for memory in opened:
            memory.close()

    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped; everything the page showed as saved is in the project.", err=True)
    finally:
        server.close(cleanup=close_memory)


def _lazy_routes(memory: Memory | None) -> Callable[[Article], Route]:
    """Plan the Argos routes only when a command needs the engine (alternatives, retranslate)."""
    planned: list[Callable[[Article], Route]] = []

    def route(article: Article) -> Route:
        if not planned:
            from bilingual.engines.argos import ArgosSettings
            from bilingual.translate import plan_routes

            planned.append(plan_routes(ArgosSettings(), memory=memory))
        return planned[0](article)

    return route


def _loop(session: ReviewSession) -> None:
    from bilingual.errors import BilingualError

    if session.remaining == 0:
        click.echo(f"All {session.total} paragraphs are reviewed already.")
    _show(session)
    while True:
        try:
            key = click.prompt(">", default="", show_default=False, prompt_suffix=" ")
        except click.Abort:
            click.echo("")
            return
        key = key.strip().lower()
        try:
            if key == "q":
                return
            show = _act(session, key)
        except click.Abort:
            click.echo("")
            return
        except (BilingualError, OSError) as exc:
            # The action was undone (nothing half-saved): say why and wait for the next key.
            click.echo(f"Error: {exc}", err=True)
            continue
        except click.ClickException as exc:  # e.g. the editor failed or does not exist
            click.echo(f"Error: {exc.format_message()}", err=True)
            continue
        if show:
            _show(session)


def _act(session: ReviewSession, key: str) -> bool:
    """Do what `key` asks; True when the (possibly new) current paragraph should be shown."""
    from bilingual.errors import ProjectChanged

    try:
        if key == "a":
            changed = session.accept()
            click.echo("Approved." if changed else "Already reviewed; left as it is.")
            return _advance(session)
        if key == "e":
            return _edit(session)
        if key == "l":
            return _alternatives(session)
        if key == "r":
            return _retranslate(session)
        if key == "n":
            if not session.next():
                click.echo("This is the last paragraph (q to quit).")
                return False
            return True
        if key == "p":
            if not session.previous():
                click.echo("This is the first paragraph.")
                return False
            return True
        if key == "g":
            number = click.prompt(f"Go to § (1-{session.paragraphs})", type=int)
            session.go_to(number)
            return True
    except ProjectChanged:
        # Another process wrote the project: going on would overwrite its work.
        raise click.ClickException(
            f"{session.path} changed on disk during the review; nothing more was saved. "
            "Run `bilingual review` again to continue from the new version."
        ) from None
    click.echo(KEYS)
    return False


def _advance(session: ReviewSession) -> bool:
    if session.next():
        return True
    left = session.remaining
    click.echo(
        "That was the last paragraph"
        + (f"; {left} not reviewed yet (g to go to one, q to quit)." if left else ".")
    )
    return False


def _edit(session: ReviewSession) -> bool:
    block = session.block
    current = block.en or ""
    if _editor() is not None:
        text = click.edit(
            f"{current}\n\n{EDITOR_MARKER}\n{block.zh}\n", extension=".txt", require_save=True
        )
        if text is None:
            click.echo("Not saved in the editor; nothing changed.")
            return False
        text = text.split(EDITOR_MARKER, 1)[0]
    else:
        text = click.prompt("English (empty to cancel)", default="", show_default=False)
    return _after_change(session, session.edit(text))


def _alternatives(session: ReviewSession) -> bool:
    click.echo("Asking the model for alternatives...")
    options = session.alternatives(ALTERNATIVES)
    current = session.block.en
    if not options:
        click.echo("The model has no alternatives for this paragraph.")
        return False
    for i, text in enumerate(options, 1):
        mark = "  (current)" if text == current else ""
        click.echo(f"  {i}. {text}{mark}")
    choice = click.prompt(
        f"Choose 1-{len(options)} (empty to keep the current)",
        default="",
        show_default=False,
    ).strip()
    if not choice:
        click.echo("Kept the current English.")
        return False
    if not choice.isdigit() or not 1 <= int(choice) <= len(options):
        click.echo(f"No alternative {choice}; kept the current English.")
        return False
    return _after_change(session, session.choose(options[int(choice) - 1]))


def _after_change(session: ReviewSession, status: Status | None) -> bool:
    """Say what an edit or a chosen alternative did, and move on when it did something."""
    if status is None:
        click.echo("Nothing changed.")
        return False
    click.echo("Edited." if status is Status.EDITED else "Unchanged: approved.")
    return _advance(session)


def _retranslate(session: ReviewSession) -> bool:
    block = session.block
    if block.status.reviewed and not click.confirm(
        f"This paragraph was {block.status.value} by a person; replace its English with a new "
        "machine translation?",
        default=False,
    ):
        return False
    before = block.en
    click.echo("Translating...")
    session.retranslate()
    click.echo("Retranslated." if session.block.en != before else "Retranslated: the same English.")
    return True


def _editor() -> str | None:
    return os.environ.get("VISUAL") or os.environ.get("EDITOR") or None


def _show(session: ReviewSession) -> None:
    block = session.block
    where = section_label(session.section)
    if session.order != sorted(session.order):
        where += f" ({session.number}/{session.total} in this order)"
    score = f" · score {block.score:.2f}" if block.score is not None else ""
    click.echo("")
    click.secho(f"[{where}] {block.kind.value} · {block.status.value}{score}", bold=True)
    for flag in block.flags:
        click.secho(f"⚑ {flag.message or flag.code}", fg="yellow")
    click.echo(f"ZH  {block.zh}")
    click.echo(f"EN  {block.en if block.en is not None else '(not translated yet)'}")
    click.echo(KEYS)


def _summary(session: ReviewSession) -> None:
    done = session.done
    parts = [f"{done[k]} {k}" for k in ("approved", "edited", "retranslated") if done[k]]
    this = ", ".join(parts) if parts else "nothing changed"
    click.echo(
        f"This session: {this}. Reviewed {session.reviewed} of {session.paragraphs} paragraphs; "
        f"{session.remaining} to go."
    )
    if parts:
        click.echo(f"Saved to {session.path} (previous version: {session.path}~).")
