"""The review page's state and HTTP app without a browser: the Bottle app behind its guard,
called as a WSGI application (wsgiref's test defaults), on a real project and memory."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
from test_web import make_project

from bilingual.document import Article, Status
from bilingual.memory import Memory
from bilingual.review.session import ReviewSession
from bilingual.review.web.app import CSP, Guard, make_app
from bilingual.review.web.server import remember, remembered
from bilingual.review.web.state import WebReview

TOKEN = "t0ken-for-the-tests_abcdefghij"
PORT = 8765
ORIGIN = f"http://127.0.0.1:{PORT}"


class Client:
    def __init__(self, project: Path, memory: Memory) -> None:
        self.review = WebReview(ReviewSession(project, memory=memory))
        self.app = Guard(make_app(lambda fn, *a, **k: fn(*a, **k), self.review), TOKEN)
        self.app.allow(PORT)

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        host: str = f"127.0.0.1:{PORT}",
        origin: str | None = ORIGIN,
        token: str = TOKEN,
        query: str = "",
    ) -> tuple[int, dict[str, str], Any]:
        data = b"" if body is None else json.dumps(body).encode()
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "PATH_INFO": f"/{token}/{path}",
            "QUERY_STRING": query,
            "HTTP_HOST": host,
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(data)),
            "wsgi.input": io.BytesIO(data),
        }
        if origin is not None:
            environ["HTTP_ORIGIN"] = origin
        setup_testing_defaults(environ)
        answer: dict[str, Any] = {}

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> None:
            answer["status"], answer["headers"] = int(status.split()[0]), dict(headers)

        raw = b"".join(self.app(environ, start_response))
        is_json = answer["headers"].get("Content-Type", "").startswith("application/json")
        return answer["status"], answer["headers"], json.loads(raw) if is_json else raw


@pytest.fixture
def client(tmp_path: Path):
    project = make_project(tmp_path / "p.json")
    with Memory(tmp_path / "m.sqlite3") as memory:
        yield Client(project, memory)


def test_web_app_draft_then_confirm_without_a_browser(client):
    status, headers, project = client.call("GET", "api/project")
    assert status == 200 and headers["Content-Security-Policy"] == CSP
    assert project["memory"] is True and len(project["key"]) == 16
    block = project["blocks"][1]
    # English without approve: a draft, kept, not counted, not in the memory.
    status, _, answer = client.call(
        "POST", f"api/blocks/{block['id']}", {"base": block["version"], "en": "A draft."}
    )
    assert status == 200 and answer["block"]["draft"] == "A draft."
    assert answer["block"]["status"] == "machine" and answer["progress"]["reviewed"] == 0
    assert answer["progress"]["drafts"] == 1
    assert client.review.session.memory.all_human() == []
    # The old version is stale now: refused, with what the block is now.
    status, _, stale = client.call(
        "POST", f"api/blocks/{block['id']}", {"base": block["version"], "approve": True}
    )
    assert status == 409 and stale["block"]["draft"] == "A draft."
    # approve alone confirms the draft: edited, counted, in the memory.
    status, _, answer = client.call(
        "POST", f"api/blocks/{block['id']}", {"base": stale["block"]["version"], "approve": True}
    )
    assert status == 200 and answer["block"]["status"] == "edited"
    assert answer["block"]["en"] == "A draft." and answer["block"]["draft"] is None
    assert answer["progress"] == {"paragraphs": 4, "reviewed": 1, "flagged": 1, "drafts": 0}
    saved = Article.load(client.review.session.path).blocks[1]
    assert (saved.en, saved.status) == ("A draft.", Status.EDITED)
    (entry,) = client.review.session.memory.all_human()
    assert entry.target == "A draft." and entry.project == client.review.session.project


def test_web_app_matches_and_concordance_without_a_browser(client):
    client.review.session.memory.store_human(
        "第二段说，2000人被逮捕。", "Part two says 2000 people were detained.", "edited", "/x.json"
    )
    _, _, project = client.call("GET", "api/project")
    block = project["blocks"][2]
    status, _, found = client.call("GET", f"api/blocks/{block['id']}/matches")
    assert status == 200 and found["memory"] is True
    (match,) = found["paragraph"]
    assert (
        match["en"] == "Part two says 2000 people were detained." and match["similarity"] == 93
    )  # one character more in 13
    status, _, zh = client.call("GET", "api/concordance", query="q=%E9%80%AE%E6%8D%95")  # 逮捕
    assert status == 200 and [r["en"] for r in zh["results"]] == [match["en"]]
    _, _, en = client.call("GET", "api/concordance", query="q=DETAINED")
    assert [r["zh"] for r in en["results"]] == ["第二段说，2000人被逮捕。"]
    status, _, long = client.call("GET", "api/concordance", query="q=" + "x" * 201)
    assert status == 400 and "at most 200" in long["error"]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"host": "evil.example:8765"}, "wrong Host"),
        ({"origin": "http://evil.example"}, "other sites"),
        ({"origin": None}, "must come from the review page"),
        ({"token": "wrong"}, "needs the session's token"),
    ],
)
def test_web_app_guard_refuses_without_a_browser(client, kwargs, message):
    _, _, project = client.call("GET", "api/project")
    block = project["blocks"][1]
    before = client.review.session.path.read_bytes()
    status, headers, answer = client.call(
        "POST", f"api/blocks/{block['id']}", {"base": block["version"], "en": "X"}, **kwargs
    )
    assert status == 403 and message in answer["error"]
    assert headers["Content-Security-Policy"] == CSP
    assert client.review.session.path.read_bytes() == before


def test_web_server_remembers_the_address_of_a_projects_review(tmp_path):
    project = tmp_path / "p.json"
    assert remembered(project) is None
    remember(project, 41234, TOKEN)
    assert remembered(project) == (41234, TOKEN)
    assert remembered(tmp_path / "other.json") is None
    # A damaged or tampered file is ignored (a new address is made), never trusted.
    from bilingual.review.web.server import _address_file

    path = _address_file(project)
    assert path.stat().st_mode & 0o077 == 0  # the user's alone, like the token it holds
    low_port = json.dumps({"port": 80, "token": TOKEN})
    for text in ["{", low_port, '{"port": 41234, "token": "<script>"}']:
        path.write_text(text)
        assert remembered(project) is None
