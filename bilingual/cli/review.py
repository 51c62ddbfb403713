"""`bilingual review`: go through a project paragraph by paragraph in the terminal."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bilingual.cli.options import glossary_option, memory_options
from bilingual.document import Status, section_label
from bilingual.errors import BilingualError
from bilingual.textutil import plural

if TYPE_CHECKING:
    from bilingual.document import Article
    from bilingual.memory import Memory
    from bilingual.names.glossary import Glossary
    from bilingual.review.session import ReviewSession
    from bilingual.translation.run import Route

KEYS = [
    "a approve (or confirm the draft)",
    "e edit",
    "l alternatives",
    "r retranslate",
    "c comment",
    "n next",
    "p previous",
    "g go to §",
    "q quit",
]
EDITOR_MARKER = "# ---- Everything from this line down is ignored. The Chinese: ----"
ALTERNATIVES = 4


@click.command(short_help="Review the English of a project, paragraph by paragraph.")
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

    Shows one paragraph per screen (its handout number §N, status, flags, the Chinese and the
    English) and takes single keys: a approve, e edit (in $VISUAL/$EDITOR, or inline, pre-filled,
    when none is set), l alternatives from the model, r retranslate with the current glossary
    (before/after, then y to take it), c comment, n next, p previous, g go to §N, q quit; a
    paragraph longer than the screen comes in pages (space for more, b back). Resumes at the
    first paragraph not yet reviewed. Every action is saved at
    once (the previous version is kept as PROJECT.json~), and reviewed paragraphs go into the
    translation memory, so a later `bilingual translate` returns them.

    With --web, the same review happens in a page in the browser, served on 127.0.0.1 only
    with a random token in its address; Ctrl+C stops it.
    """
    from bilingual.memory import open_memory
    from bilingual.review.session import ReviewSession

    glossary = None
    if glossary_path is not None:
        from bilingual.names.glossary import load_glossary

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
    from bilingual.review.session import ReviewSession
    from bilingual.review.web.server import ReviewServer

    opened: list[Memory] = []

    def open_session() -> ReviewSession:
        # Runs on the server's worker thread, which owns the session and the memory from here on.
        memory = None if no_memory else open_memory(memory_path)
        if memory is not None:
            opened.append(memory)
        return ReviewSession(
            project, memory=memory, routes=_lazy_routes(memory), glossary=glossary, flagged=flagged
        )

    server = ReviewServer(open_session, project=project)
    # --flagged: the page opens on its "Flagged" filter (the fragment never reaches the server).
    url = server.url + ("#filter=flagged" if flagged else "")
    click.echo(url)
    click.echo(
        f"Reviewing {project} in the browser; every change is saved at once. Ctrl+C to stop.",
        err=True,
    )
    if open_browser:
        import webbrowser

        if not webbrowser.open(url):
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
    """Plan a route only when a command needs the engine (alternatives, retranslate): the
    engine, model and settings the project's provenance records (Argos when it records none)."""
    from bilingual.translation.run import routes_of_record

    return routes_of_record(memory)


def _loop(session: ReviewSession) -> None:
    screen = _Screen(session)
    if session.remaining == 0:
        screen.notice.append(
            "The paragraph is reviewed already."
            if session.paragraphs == 1
            else f"All {session.paragraphs} paragraphs are reviewed already."
        )
    screen.show()
    while True:
        key = _key()
        if key is None or key == "q":
            click.echo("")
            return
        try:
            show = screen.act(key)
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
            screen.show()


# Arrow keys as a terminal sends them (click.getchar returns the whole sequence).
_ARROWS = {"\x1b[B": "n", "\x1b[C": "n", "\x1b[A": "p", "\x1b[D": "p"}


def _key() -> str | None:
    """One key press, without Enter on a terminal; None at the end of input or on Ctrl+C/D.

    Piped input (a script, the tests) is read one character at a time, line breaks skipped.
    """
    try:
        if sys.stdin.isatty():
            ch = click.getchar()
        else:
            ch = sys.stdin.read(1)
            while ch in ("\n", "\r", " "):
                ch = sys.stdin.read(1)
    except (KeyboardInterrupt, EOFError):
        return None
    if not ch:
        return None
    return _ARROWS.get(ch, ch if ch.startswith("\x1b") else ch.lower())


def _line(prompt: str, prefill: str = "") -> str | None:
    """A line typed by the reviewer, pre-filled with `prefill` to edit (None: cancelled)."""
    if not sys.stdin.isatty():
        click.echo(prompt, nl=False)
        line = sys.stdin.readline()
        return line.rstrip("\r\n") if line else None
    import readline

    readline.set_startup_hook(lambda: readline.insert_text(prefill))
    try:
        return input(prompt)
    except (EOFError, KeyboardInterrupt):
        click.echo("")
        return None
    finally:
        readline.set_startup_hook()


class _Screen:
    """The terminal review: one paragraph per screen, wrapped to the terminal's width and fitted
    to its height. The notice of what was saved, the header and the keys always show; a
    paragraph too long for the rows between them is shown in pages (space for more, b back),
    the Chinese and the English paged together, so each page shows the Chinese beside the
    English it reads as, and the header never scrolls away."""

    # Rows kept free under the keys: a message after a key ("This is the last paragraph") and
    # the cursor's line, so neither scrolls the screen's top away.
    RESERVED_ROWS = 2
    NOTICE_EN_LINES = 2  # of the English just saved, in the notice
    MIN_BODY_ROWS = 4

    def __init__(self, session: ReviewSession) -> None:
        self.session = session
        #: Lines to show at the top of the next screen: what the last action saved.
        self.notice: list[str] = []
        self.page = 0
        self.pages = 1
        self._shown: str | None = None  # the block the page number belongs to

    @property
    def columns(self) -> int:
        return max(shutil.get_terminal_size((80, 24)).columns, 40)

    @property
    def rows(self) -> int | None:
        """The terminal's height; None when the output is not a terminal (nothing to fit)."""
        if not os.environ.get("LINES") and not sys.stdout.isatty():
            return None
        return max(shutil.get_terminal_size((80, 24)).lines, 10)

    def wrap(self, text: str, label: str = "") -> list[str]:
        # wcwidth and the review library load only when a review starts: --help stays quick.
        from bilingual.cli.wrap import width, wrap

        return wrap(text, self.columns, first=label, indent=" " * width(label) if label else "")

    def echo_wrapped(self, text: str, label: str = "", **style: Any) -> None:
        for line in self.wrap(text, label):
            click.secho(line, **style)

    # The screen --------------------------------------------------------------------------------
    def show(self) -> None:
        from bilingual.cli.wrap import width, wrap_items

        session, block = self.session, self.session.block
        if block.id != self._shown:
            self._shown, self.page = block.id, 0
        top: list[tuple[str, dict[str, Any]]] = [(line, {"fg": "green"}) for line in self.notice]
        if self.notice:
            top.append(("", {}))
        self.notice = []
        where = section_label(session.section)
        if session.order != sorted(session.order):
            where += f" ({session.number}/{session.total} in this order)"
        score = f" · score {block.score:.2f}" if block.score is not None else ""
        left = f"[{where}] {block.kind.value} · {block.status.value}{score}"
        right = f"{session.reviewed} of {session.paragraphs} reviewed"
        if session.drafts:
            right += f" · {session.drafts} draft{'s' if session.drafts != 1 else ''}"
        gap = self.columns - width(left) - width(right)
        if gap >= 2:
            top.append((left + " " * gap + right, {"bold": True}))
        else:
            top += [(left, {"bold": True}), (right, {})]
        top.append(("─" * self.columns, {}))

        def legend() -> list[tuple[str, dict[str, Any]]]:
            keys = wrap_items(self._keys(), self.columns)
            return [("─" * self.columns, {}), *((line, {}) for line in keys)]

        self.pages = 1
        bottom = legend()
        body = self._body(top, bottom)
        if self.pages > 1:  # the legend names the paging keys: it may take another line
            bottom = legend()
            body = self._body(top, bottom)
        click.clear()
        for line, style in [*top, *body, *bottom]:
            click.secho(line, **style)

    def _keys(self) -> list[str]:
        return ["space more", "b back", *KEYS] if self.pages > 1 else KEYS

    def _body(
        self, top: list[tuple[str, dict[str, Any]]], bottom: list[tuple[str, dict[str, Any]]]
    ) -> list[tuple[str, dict[str, Any]]]:
        """The paragraph's lines that fit between `top` and `bottom`: all of them, or this page."""
        from bilingual.translation.checks import flag_words

        block = self.session.block
        flags = [line for f in block.flags for line in self.wrap(flag_words(f), "⚑ ")]
        comment = self.wrap(block.comment, "//  ") if block.comment else []
        sections: list[tuple[list[str], str, dict[str, Any]]] = [
            (self.wrap(block.zh, "ZH  "), "ZH  ", {}),
            (self.wrap(block.en if block.en is not None else "(not translated yet)", "EN  "),
             "EN  ", {}),
        ]  # fmt: skip
        if block.draft is not None:
            draft = self.wrap(block.draft + "  (draft: a confirms it)", "✎   ")
            sections.append((draft, "✎   ", {"fg": "magenta"}))
        rows = self.rows
        total = len(flags) + len(comment) + sum(len(lines) for lines, _, _ in sections)
        room = None if rows is None else rows - len(top) - len(bottom) - self.RESERVED_ROWS
        if room is None or total <= room:
            self.pages, self.page = 1, 0
            paged = [(lines, style) for lines, _, style in sections]
            return _styled(flags, comment, paged)
        room = max(room - 1, self.MIN_BODY_ROWS)  # a line says which page this is
        # Findings and the comment stay on every page, cut short when they would crowd it.
        flags = _clip_lines(flags, max(1, room // 4))
        comment = _clip_lines(comment, max(1, room // 6))
        room = max(room - len(flags) - len(comment), len(sections))
        # A short section (a one-line Chinese title, a draft) shows whole on every page; the
        # long ones are paged together, each page showing the same share of each.
        short = [len(lines) <= room // (2 * len(sections)) for lines, _, _ in sections]
        left = room - sum(
            len(x[0]) for x, is_short in zip(sections, short, strict=True) if is_short
        )
        long = [
            len(lines)
            for (lines, _, _), is_short in zip(sections, short, strict=True)
            if not is_short
        ]
        pages = 1
        while sum(-(-n // pages) for n in long) > max(left, len(long)) and pages < max(long):
            pages += 1
        self.pages = pages
        self.page = min(self.page, pages - 1)
        shown = []
        for (lines, label, style), is_short in zip(sections, short, strict=True):
            if is_short:
                shown.append((lines, style))
                continue
            start = self.page * len(lines) // pages
            end = (self.page + 1) * len(lines) // pages
            piece = lines[start:end] or [" " * len(label) + "…"]
            if start > 0:  # the label on the first line of every page, not only the first
                piece = [label + piece[0][len(label) :], *piece[1:]]
            shown.append((piece, style))
        out = _styled(flags, comment, shown)
        more = "space: more, b: back" if self.page + 1 < pages else "b: back, n: next paragraph"
        out.append((f"Page {self.page + 1} of {pages} of this paragraph ({more}).", {"dim": True}))
        return out

    def turn(self, step: int) -> bool:
        """Show the next (1) or previous (-1) page of a long paragraph."""
        page = self.page + step
        if not 0 <= page < self.pages:
            if self.pages == 1:
                click.echo("The whole paragraph is on the screen.")
            elif step > 0:
                click.echo("That was the last page of this paragraph (n: next paragraph).")
            else:
                click.echo("This is the first page of this paragraph.")
            return False
        self.page = page
        return True

    def saved(self, what: str) -> None:
        """Note what was saved, with the start of the English and what the checks say now: short,
        so it stays on the screen above the next paragraph."""
        from bilingual.translation.checks import flag_words

        block = self.session.block
        self.notice.append(f"✓ {section_label(self.session.section)} saved: {what}.")
        self.notice.extend(_clip_lines(self.wrap(block.en or "", "  EN  "), self.NOTICE_EN_LINES))
        if block.flags:
            for flag in block.flags[:2]:
                self.notice.extend(_clip_lines(self.wrap(flag_words(flag), "  ⚑ "), 1))
            if len(block.flags) > 2:
                self.notice.append(f"  ⚑ and {len(block.flags) - 2} more (shown below).")
        else:
            self.notice.append("  No flags.")

    # Actions -----------------------------------------------------------------------------------
    def act(self, key: str) -> bool:
        """Do what `key` asks; True when the (possibly new) current paragraph should be shown."""
        from bilingual.cli.wrap import wrap_items
        from bilingual.errors import ProjectChanged

        session = self.session
        if key in (" ", "\x1b[6~"):  # space, Page Down
            return self.turn(1)
        if key in ("b", "\x1b[5~"):  # Page Up
            return self.turn(-1)
        try:
            if key == "a":
                had_draft = session.block.draft is not None
                changed = session.accept()
                if not changed:
                    click.echo("Already reviewed; left as it is.")
                    return False
                self.saved("draft confirmed, edited" if had_draft else "approved")
                return self.advance()
            if key == "e":
                return self.edit()
            if key == "l":
                return self.alternatives()
            if key == "r":
                return self.retranslate()
            if key == "c":
                return self.comment()
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
                title = ", 0 for the title" if session.article.title is not None else ""
                number = click.prompt(f"Go to § (1-{session.paragraphs}{title})", type=int)
                session.go_to(number)
                return True
        except ProjectChanged:
            # Another process wrote the project: going on would overwrite its work.
            raise click.ClickException(
                f"{session.path} changed on disk during the review; nothing more was saved. "
                "Run `bilingual review` again to continue from the new version."
            ) from None
        for line in wrap_items(KEYS, self.columns):
            click.echo(line)
        return False

    def advance(self) -> bool:
        session = self.session
        if session.next():
            return True
        left = session.remaining
        self.notice.append(
            "That was the last paragraph"
            + (f"; {left} not reviewed yet (g to go to one, q to quit)." if left else ".")
        )
        return True

    def edit(self) -> bool:
        from bilingual.review.session import normalize_english

        block = self.session.block
        # A draft (left in the page, imported unconfirmed) is what the reviewer goes on from.
        current = block.draft if block.draft is not None else block.en or ""
        if _editor() is not None:
            text = _edit_in_editor(f"{current}\n\n{EDITOR_MARKER}\n{block.zh}\n")
            if text is None:
                click.echo("Not saved in the editor; nothing changed.")
                return False
            text = text.split(EDITOR_MARKER, 1)[0]
        else:
            click.echo("Edit the English; Enter saves, an empty line cancels.")
            text = _line("EN> ", current)
            if text is None:
                return False
        if not normalize_english(text):
            click.echo("Nothing changed.")
            return False
        # Draft and confirmed: only a confirmation counts as reviewed and feeds the memory.
        click.echo(
            "Confirm this English? y or Enter: confirm (reviewed, into the memory) · "
            "d: keep it as a draft · any other key: discard it"
        )
        choice = _key()
        if choice in ("y", "\r", "\n"):
            return self.after_change(self.session.edit(text))
        if choice == "d":
            if not self.session.save_draft(text):
                click.echo("Nothing changed.")
                return False
            self.notice.append(
                f"✎ {section_label(self.session.section)}: draft kept, not confirmed "
                "(a confirms it, e edits it)."
            )
            return True
        click.echo("Discarded; nothing changed.")
        return False

    def after_change(self, status: Status | None) -> bool:
        """Say what an edit or a chosen alternative saved, and move on when it did something."""
        if status is None:
            click.echo("Nothing changed.")
            return False
        self.saved("edited" if status is Status.EDITED else "unchanged, approved")
        return self.advance()

    def alternatives(self) -> bool:
        from bilingual.translation.checks import flag_title

        session = self.session
        click.echo("Asking the model for alternatives...")
        options = session.alternatives(ALTERNATIVES)
        current = session.block.en
        if not options:
            click.echo("The model has no alternatives for this paragraph.")
            return False
        for i, option in enumerate(options, 1):
            flags = session.flags_for(option.text)
            verdict = "; ".join(flag_title(f.code) for f in flags) or "no flags"
            mark = "current · " if option.text == current else ""
            self.echo_wrapped(option.text, f"  {i}. ")
            self.echo_wrapped(
                f"({mark}#{i} of the model{_confidence(option)} · {verdict})", "     ", dim=True
            )
        click.echo(f"Press 1-{len(options)} to take one, any other key to keep the current.")
        choice = _key()
        if choice is None or not choice.isdigit() or not 1 <= int(choice) <= len(options):
            click.echo("Kept the current English.")
            return False
        return self.after_change(session.choose(options[int(choice) - 1].text))

    def retranslate(self) -> bool:
        from bilingual.translation.checks import flag_words

        session = self.session
        block = session.block
        click.echo("Translating with the current glossary...")
        proposal = session.propose_retranslation()
        if proposal.en == block.en:
            click.echo("The retranslation gives the same English; nothing changed.")
            return False
        self.echo_wrapped(block.en or "(none)", "  before  ")
        self.echo_wrapped(proposal.en or "", "  after   ", fg="cyan")
        verdict = "; ".join(flag_words(f) for f in proposal.flags) or "no flags"
        self.echo_wrapped(verdict, "  checks  ", dim=True)
        if block.status.reviewed:
            click.secho(
                f"A person {block.status.value} this paragraph: taking the new English replaces theirs.",
                fg="yellow",
            )
        click.echo("Take the new English? y yes · any other key no")
        if _key() != "y":
            click.echo("Kept the current English.")
            return False
        session.take(proposal)
        self.saved("retranslated")
        return True

    def comment(self) -> bool:
        current = self.session.block.comment or ""
        click.echo("Comment on this paragraph; Enter saves, an empty line removes it.")
        text = _line("//  ", current)
        if text is None or not self.session.set_comment(text):
            click.echo("Nothing changed.")
            return False
        self.notice.append(
            f"✓ {section_label(self.session.section)}: comment "
            + ("saved." if self.session.block.comment else "removed.")
        )
        return True


def _clip_lines(lines: list[str], limit: int) -> list[str]:
    """At most `limit` lines, the last ending in … when some were left out."""
    if len(lines) <= limit:
        return lines
    kept = lines[:limit]
    kept[-1] = kept[-1].rstrip() + " …"
    return kept


def _styled(
    flags: list[str], comment: list[str], sections: list[tuple[list[str], dict[str, Any]]]
) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = [(line, {"fg": "yellow"}) for line in flags]
    for lines, style in sections:
        out += [(line, style) for line in lines]
    out += [(line, {"fg": "cyan"}) for line in comment]
    return out


def _editor() -> str | None:
    return os.environ.get("VISUAL") or os.environ.get("EDITOR") or None


def _edit_in_editor(text: str) -> str | None:
    """`text` edited in $VISUAL/$EDITOR, or None when the editor quit without saving.

    The file lives in bilingual's own folder, named after this process, so one left behind by a
    review that was killed (even with kill -9) is swept away by the next review."""
    import contextlib

    from platformdirs import user_cache_path

    folder = user_cache_path("bilingual") / "edits"
    folder.mkdir(parents=True, exist_ok=True)
    _sweep_edits(folder)
    path = folder / f"edit-{os.getpid()}.txt"
    try:
        path.write_text(text, encoding="utf-8")
        before = path.stat().st_mtime_ns
        click.edit(filename=str(path))
        if path.stat().st_mtime_ns == before:
            return None
        return path.read_text(encoding="utf-8")
    finally:
        with contextlib.suppress(OSError):
            path.unlink()


def _sweep_edits(folder: Path) -> None:
    """Remove the edit files of reviews that are no longer running."""
    import contextlib

    from bilingual.fsutil import process_alive

    for leftover in folder.glob("edit-*.txt"):
        pid = leftover.stem.removeprefix("edit-")
        if pid.isdigit() and int(pid) != os.getpid() and not process_alive(int(pid)):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _summary(session: ReviewSession) -> None:
    done = session.done
    parts = [f"{done[k]} {k}" for k in ("approved", "edited", "retranslated") if done[k]]
    if done["drafted"]:
        parts.append(f"{done['drafted']} draft{'s' if done['drafted'] != 1 else ''} kept")
    this = ", ".join(parts) if parts else "nothing changed"
    click.echo(
        f"This session: {this}. Reviewed {session.reviewed} of "
        f"{plural(session.paragraphs, 'paragraph')}; "
        f"{session.remaining} to go."
    )
    if parts:
        click.echo(f"Saved to {session.path} (previous version: {session.path}~).")


def _confidence(option: Any) -> str:
    """ " · confidence 66%": the model's mean probability per word piece, when it said."""
    value = option.confidence
    return "" if value is None else f" · confidence {value:.0%}"
