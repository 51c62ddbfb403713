"""The local review server: loopback only, a free port, a random token, one worker thread.

Requests are handled on their own threads (so a browser's idle pre-connection never blocks the
page), but everything that touches the project, the memory or the engine runs on one worker
thread that owns them: the session is opened there, and each request hands its work over and
waits. Actions are thus done one at a time, in order, and SQLite stays on its thread.

A review restarted on the same project comes back at the same address: the port and token of
its last review are kept in bilingual's state folder (a file readable by the user alone, as
the project is), and used again when the port is free. The tab left open from before finds the
server where it was, with the drafts it kept in the browser (its storage belongs to that
address), and sends them. When the port is taken, the review gets a new port and token.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import socketserver
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

if TYPE_CHECKING:
    from bilingual.review.session import ReviewSession

HOST = "127.0.0.1"  # never another interface: the page edits files on this machine


class _Server(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    # Binding again to the port of a review just stopped (its connections in TIME_WAIT). Not on
    # Windows, where the option would let a second server take a port already served.
    allow_reuse_address = os.name != "nt"


def _address_file(project: Path) -> Path:
    from platformdirs import user_state_path

    key = hashlib.sha256(str(project.resolve()).encode("utf-8")).hexdigest()[:16]
    return user_state_path("bilingual") / "reviews" / f"{key}.json"


def remembered(project: Path) -> tuple[int, str] | None:
    """The port and token of the last review of `project`, if any were kept."""
    try:
        data = json.loads(_address_file(project).read_text(encoding="utf-8"))
        port, token = data["port"], data["token"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not (isinstance(port, int) and 1024 <= port <= 65535 and isinstance(token, str)):
        return None
    if not 20 <= len(token) <= 100 or not token.replace("-", "").replace("_", "").isalnum():
        return None
    return port, token


def remember(project: Path, port: int, token: str) -> None:
    """Keep the address for the next review of `project` (best effort: a review without a
    writable state folder still works, it only gets a new address next time)."""
    path = _address_file(project)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"project": str(project.resolve()), "port": port, "token": token}, f)
        os.replace(tmp, path)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows the URL, not a request log


class ReviewServer:
    """A review page for one project, bound at once to 127.0.0.1 on a free port."""

    def __init__(
        self,
        open_session: Callable[[], ReviewSession],
        port: int = 0,
        *,
        project: Path | None = None,
    ) -> None:
        """`project`: come back at the address of its last review when the port is free, and
        keep this one for the next."""
        from bilingual.review.web.app import Guard, make_app
        from bilingual.review.web.state import WebReview

        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="review")
        try:
            self.review = self._worker.submit(lambda: WebReview(open_session())).result()
        except BaseException:
            self._worker.shutdown(wait=False)
            raise
        self.token = secrets.token_urlsafe(24)
        before = remembered(project) if project is not None and not port else None
        if before is not None:
            port, self.token = before
        self.guard = Guard(make_app(self.call, self.review), self.token)
        try:
            self.httpd = make_server(
                HOST, port, self.guard, server_class=_Server, handler_class=_QuietHandler
            )
        except OSError:
            if before is None:
                self._worker.shutdown(wait=False)
                raise
            # The last review's port is taken: a new address (and token) this time.
            self.token = secrets.token_urlsafe(24)
            self.guard.token = self.token
            self.httpd = make_server(
                HOST, 0, self.guard, server_class=_Server, handler_class=_QuietHandler
            )
        self.port = int(self.httpd.server_port)
        self.guard.allow(self.port)
        if project is not None:
            remember(project, self.port, self.token)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/{self.token}/"

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run `fn` on the worker thread that owns the session; return or raise its result."""
        return self._worker.submit(fn, *args, **kwargs).result()

    def serve_forever(self) -> None:
        self.httpd.serve_forever(poll_interval=0.2)

    def shutdown(self) -> None:
        """Stop serving (from another thread) and let the worker finish what it was doing."""
        self.httpd.shutdown()

    def close(self, cleanup: Callable[[], None] | None = None) -> None:
        """Close the socket; run `cleanup` (closing the memory, say) on the worker thread."""
        self.httpd.server_close()
        if cleanup is not None:
            self._worker.submit(cleanup).result()
        self._worker.shutdown(wait=True)


__all__ = ["HOST", "ReviewServer"]
