"""The review page's HTTP side: a Bottle app behind a guard.

Bottle is one module with no dependencies (a small, well-kept WSGI framework): it gives the
routing, JSON bodies and error pages, and it is imported only when `review --web` starts, so
`bilingual --help` pays nothing for it.

The guard runs before Bottle sees anything. Every request must name the session's random token
as the first path segment (`/TOKEN/...`; the page's own links are relative, so they carry it),
be addressed to the loopback host and port the server is bound to (a DNS-rebinding page has
another Host), and, when it comes from a page, come from this origin (no cross-site requests);
a request that changes something must say its Origin. Every answer carries a strict
Content-Security-Policy: scripts and styles from this server only, no inline code.
"""

from __future__ import annotations

import hmac
import json
import re
import warnings
from collections.abc import Callable, Iterable
from importlib import resources
from typing import Any, NoReturn

from bilingual.errors import (
    BilingualError,
    BilingualWarning,
    ModelNotInstalled,
    ReviewError,
    Stale,
)
from bilingual.review.web.state import WebReview

Call = Callable[..., Any]  # runs a WebReview method on the thread that owns the session
STATIC = {
    "app.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
    ("Cache-Control", "no-store"),
]
MAX_BODY = 1 << 20
#: The page sends flat objects; anything nested deeper is not from it (and Python's JSON
#: parser recurses: 100,000 `[` would exhaust its stack).
MAX_DEPTH = 16
# Text no handout can hold: control characters but tab and newlines, and lone surrogates.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(r"[\[\]{}]")


def json_body(raw: bytes) -> dict[str, Any]:
    """A request body as the page sends it: a JSON object, UTF-8, nested at most MAX_DEPTH
    deep. ValueError (with the reason, in a few words) for anything else."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("the body is not UTF-8") from None
    depth = deepest = 0
    for m in _BRACKETS.finditer(_JSON_STRING.sub('""', text)):
        depth += 1 if m.group() in "[{" else -1
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            raise ValueError(f"JSON nested more than {MAX_DEPTH} deep")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise ValueError("not valid JSON") from None
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    return data


def checked_text(value: Any, key: str) -> str | None:
    """`value` if it is a text a handout can hold (or None); ValueError saying why not."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key} must be a string")
    bad = _UNWRITABLE.search(value)
    if bad:
        code = ord(bad.group())
        what = "a lone surrogate" if 0xD800 <= code <= 0xDFFF else "a control character"
        raise ValueError(f"{key} holds {what} (U+{code:04X}), which no handout can hold")
    return value


def static_file(name: str) -> bytes:
    return (resources.files("bilingual.review.web") / "static" / name).read_bytes()


class Guard:
    """WSGI middleware: token, Host and Origin checks, and the security headers."""

    def __init__(self, app: Call, token: str) -> None:
        self.app = app
        self.token = token
        self.hosts: set[str] = set()
        self.origins: set[str] = set()

    def allow(self, port: int) -> None:
        """Accept requests to this server's port (known once the socket is bound)."""
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{h}" for h in self.hosts}

    def __call__(self, environ: dict[str, Any], start_response: Call) -> Iterable[bytes]:
        def respond(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            return start_response(status, headers + SECURITY_HEADERS, exc_info)

        host = environ.get("HTTP_HOST", "")
        if host not in self.hosts:
            return _refuse(respond, "403 Forbidden", "wrong Host: this server answers 127.0.0.1")
        origin = environ.get("HTTP_ORIGIN")
        method = environ.get("REQUEST_METHOD", "GET")
        if origin is not None and origin not in self.origins:
            return _refuse(respond, "403 Forbidden", "requests from other sites are refused")
        if method not in ("GET", "HEAD") and origin is None:
            return _refuse(respond, "403 Forbidden", "a change must come from the review page")
        path = environ.get("PATH_INFO", "")
        first, _, rest = path.lstrip("/").partition("/")
        if not hmac.compare_digest(first.encode(), self.token.encode()):
            return _refuse(respond, "403 Forbidden", "the address needs the session's token")
        if path.rstrip("/") == f"/{first}" and not path.endswith("/"):
            respond("302 Found", [("Location", f"/{first}/"), ("Content-Length", "0")])
            return [b""]
        environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + f"/{first}"
        environ["PATH_INFO"] = "/" + rest
        return self.app(environ, respond)


def _refuse(respond: Call, status: str, message: str) -> list[bytes]:
    body = json.dumps({"error": message}).encode()
    respond(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def make_app(call: Call, review: WebReview) -> Any:
    """The Bottle app of one review; `call(fn, *args)` runs `fn` where the session lives."""
    import bottle

    bottle.BaseRequest.MEMFILE_MAX = MAX_BODY
    app = bottle.Bottle()
    app.config["json.enable"] = False  # answers are JSON already: `answer` writes them

    def refuse(reason: str, status: int = 400) -> NoReturn:
        """Answer 400 (or `status`) and say so in one line on the review's terminal."""
        request = bottle.request
        warnings.warn(
            BilingualWarning(f"review page: refused {request.method} {request.path}: {reason}"),
            stacklevel=2,
        )
        raise bottle.HTTPError(status, reason)

    def answer(fn: Call, *args: Any, **kwargs: Any) -> str:
        bottle.response.content_type = "application/json; charset=utf-8"
        try:
            result = call(fn, *args, **kwargs)
        except Stale as exc:
            bottle.response.status = 409
            result = {"error": str(exc), "block": exc.current}
        except ModelNotInstalled as exc:
            bottle.response.status = 503
            result = {"error": str(exc)}
        except (ReviewError, BilingualError) as exc:
            bottle.response.status = 400 if isinstance(exc, ReviewError) else 500
            result = {"error": str(exc)}
        except OSError as exc:
            bottle.response.status = 500
            result = {"error": f"could not save the project: {exc.strerror or exc}"}
        except Exception as exc:  # a bug: one line on the terminal, never a traceback
            bottle.response.status = 500
            result = {"error": f"internal error ({type(exc).__name__}); nothing was saved"}
            warnings.warn(
                BilingualWarning(
                    f"review page: internal error in {bottle.request.path}: "
                    f"{type(exc).__name__}: {exc} (please report it)"
                ),
                stacklevel=2,
            )
        return json.dumps(result, ensure_ascii=False)

    def body() -> dict[str, Any]:
        ctype = bottle.request.content_type.split(";")[0].strip().lower()
        if ctype not in ("application/json", "application/json-rpc"):
            refuse("expected a JSON object")
        raw = bottle.request._get_body_string(MAX_BODY)  # 413 beyond MAX_BODY, as bottle does
        try:
            return json_body(raw)
        except ValueError as exc:
            refuse(str(exc))

    def text(data: dict[str, Any], key: str) -> str | None:
        try:
            return checked_text(data.get(key), key)
        except ValueError as exc:
            refuse(str(exc))

    @app.get("/")
    def index() -> bytes:
        bottle.response.content_type = "text/html; charset=utf-8"
        return static_file("index.html")

    @app.get("/static/<name>")
    def asset(name: str) -> bytes:
        if name not in STATIC:
            bottle.abort(404, "no such file")
        bottle.response.content_type = STATIC[name]
        return static_file(name)

    @app.get("/api/project")
    def project() -> str:
        return answer(review.project)

    @app.get("/api/glossary")
    def glossary() -> str:
        return answer(review.glossary)

    @app.post("/api/blocks/<block_id>")
    def update(block_id: str) -> str:
        data = body()
        return answer(
            review.update,
            block_id,
            text(data, "base") or "",
            en=text(data, "en"),
            approve=data.get("approve") is True,
            comment=text(data, "comment"),
        )

    @app.get("/api/blocks/<block_id>/matches")
    def matches(block_id: str) -> str:
        return answer(review.matches, block_id)

    @app.get("/api/concordance")
    def concordance() -> str:
        return answer(review.concordance, bottle.request.query.getunicode("q", default="") or "")

    @app.post("/api/blocks/<block_id>/alternatives")
    def alternatives(block_id: str) -> str:
        body()
        return answer(review.alternatives, block_id)

    @app.post("/api/blocks/<block_id>/retranslate")
    def retranslate(block_id: str) -> str:
        body()
        return answer(review.propose, block_id)

    @app.post("/api/blocks/<block_id>/take")
    def take(block_id: str) -> str:
        data = body()
        return answer(review.take, block_id, text(data, "base") or "", text(data, "en") or "")

    @app.post("/api/glossary")
    def add_term() -> str:
        data = body()
        return answer(
            review.add_term,
            text(data, "zh") or "",
            text(data, "en") or "",
            text(data, "note") or "",
        )

    @app.error(400)
    @app.error(404)
    @app.error(405)
    @app.error(500)
    def error(err: Any) -> str:
        bottle.response.content_type = "application/json"
        return json.dumps({"error": str(err.body or err.status)})

    return app


__all__ = ["CSP", "Guard", "make_app", "static_file"]
