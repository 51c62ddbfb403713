"""The local review server: loopback only, a free port, a random token, one worker thread.

Requests are handled on their own threads (so a browser's idle pre-connection never blocks the
page), but everything that touches the project, the memory or the engine runs on one worker
thread that owns them: the session is opened there, and each request hands its work over and
waits. Actions are thus done one at a time, in order, and SQLite stays on its thread.
"""

from __future__ import annotations

import secrets
import socketserver
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

if TYPE_CHECKING:
    from bilingual.review.session import ReviewSession

HOST = "127.0.0.1"  # never another interface: the page edits files on this machine


class _Server(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = False


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows the URL, not a request log


class ReviewServer:
    """A review page for one project, bound at once to 127.0.0.1 on a free port."""

    def __init__(self, open_session: Callable[[], ReviewSession], port: int = 0) -> None:
        from bilingual.review.web.app import Guard, make_app
        from bilingual.review.web.state import WebReview

        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="review")
        try:
            self.review = self._worker.submit(lambda: WebReview(open_session())).result()
        except BaseException:
            self._worker.shutdown(wait=False)
            raise
        self.token = secrets.token_urlsafe(24)
        self.guard = Guard(make_app(self.call, self.review), self.token)
        self.httpd = make_server(
            HOST, port, self.guard, server_class=_Server, handler_class=_QuietHandler
        )
        self.port = int(self.httpd.server_port)
        self.guard.allow(self.port)

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
