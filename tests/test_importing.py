"""Importing web pages, pasted text, JSON lines and (against a local server) URLs."""
from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from geo.errors import ArticleError
from geo.ingest.articles import MAX_BYTES
from geo.ingest.importing import (
    article_from_html,
    fetch_article,
    load_files,
    load_paths,
    pasted_article,
)

PAGES = Path(__file__).resolve().parent / "pages"
BOILERPLATE = ("Most read", "Privacy", "cookies", "Subscribe", "Related stories", "Advertise",
               "Sign in", "Jane Roe")


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def test_web_page_keeps_the_article_and_drops_the_boilerplate():
    a = article_from_html("courier.html", page("courier.html"))
    assert a.id == "courier" and a.path == "courier.html"
    assert (a.source, a.title, a.published) == (
        "The Daily Courier", "Russian convoys leave Hmeimim air base", "2024-12-20")
    assert a.url == "https://courier.example/world/2024/12/20/russian-convoys-leave-hmeimim"
    assert "Hmeimim air base near Latakia" in a.text and "Diplomats in Ankara" in a.text
    assert not [b for b in BOILERPLATE if b in a.text]


def test_web_page_in_its_declared_charset():
    a = article_from_html("gazette.html", page("gazette.html"))
    assert "\u201cWe have never seen anything like it,\u201d" in a.text and "café" in a.text
    assert (a.source, a.title) == ("The Gazette", "Fighting near Aleppo")
    assert not [b for b in BOILERPLATE if b in a.text]


@pytest.mark.parametrize("data, problem", [
    (page("menu.html"), "no article text found"),
    (b"", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, "binary"),
    (b"<html>" + b" " * (MAX_BYTES + 1), "the limit is"),
])
def test_unusable_pages_are_refused_with_their_reason(data, problem):
    with pytest.raises(ArticleError, match=problem) as info:
        article_from_html("page.html", data)
    assert info.value.path == "page.html"


def test_pasted_text_with_its_fields():
    a = pasted_article("Troops left Aleppo at dawn.", source="Outlet A", title="Aleppo",
                       url="https://a.example/1", published="2024-12-01")
    assert (a.source, a.title, a.url, a.published, a.text) == (
        "Outlet A", "Aleppo", "https://a.example/1", "2024-12-01", "Troops left Aleppo at dawn.")
    assert a.id.startswith("aleppo-")
    assert pasted_article("Troops left Aleppo at dawn.", title="Aleppo").id == a.id
    assert pasted_article("Troops left Homs.", title="Aleppo").id != a.id
    bare = pasted_article("Troops left Homs.", url="https://news.example/x")
    assert bare.source == "news.example" and bare.title is None


@pytest.mark.parametrize("kwargs, problem", [
    ({"text": "  \n"}, "the text is empty"),
    ({"text": "a\x00b"}, "NUL"),
    ({"text": "Aleppo.", "url": "javascript:alert(1)"}, "http:// or https://"),
    ({"text": "Aleppo.", "title": "x" * 301}, "the limit is 300"),
    ({"text": "x" * (MAX_BYTES + 1)}, "the limit is"),
])
def test_bad_pastes_are_refused(kwargs, problem):
    with pytest.raises(ArticleError, match=problem):
        pasted_article(**kwargs)


def test_json_lines_each_line_an_article_bad_lines_named():
    lines = [json.dumps({"text": "Shelling hit Idlib.", "source": "Outlet B", "title": "Idlib"}),
             "not json", json.dumps({"title": "no text"}), "",
             json.dumps({"text": "Aid reached Gaziantep.", "url": "ftp://x"}),
             json.dumps({"text": "Talks in Ankara.", "published": "2024-12-02"})]
    result = load_files([("more.jsonl", "\n".join(lines).encode())])
    assert [a.text for a in result.articles] == ["Shelling hit Idlib.", "Talks in Ankara."]
    assert [str(p) for p in result.problems] == [
        "more.jsonl, line 2: not JSON (Expecting value)",
        'more.jsonl, line 3: needs a "text" string',
        "more.jsonl, line 5: 'url' must start with http:// or https://"]


def test_paths_folders_and_files_every_refusal_named(tmp_path):
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "a.txt").write_text("---\nsource: Outlet A\n---\nFighting near Aleppo.\n")
    (folder / "courier.html").write_bytes(page("courier.html"))
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    (folder / "sub").mkdir()
    (folder / "empty.md").write_text("")
    (folder / ".hidden.txt").write_text("ignored")
    extra = tmp_path / "lines.jsonl"
    extra.write_text(json.dumps({"text": "Aid reached Idlib."}) + "\n")
    result = load_paths([folder, extra, tmp_path / "gone.txt"])
    assert [a.id for a in result.articles][:2] == ["a", "courier"]
    assert len(result.articles) == 3 and result.articles[2].text == "Aid reached Idlib."
    problems = {str(p) for p in result.problems}
    assert problems == {
        "notes.pdf: only .txt, .md, .html, .htm and .jsonl files are read",
        "sub: is a folder (sub-folders are not read)", "empty.md: the file is empty",
        f"{tmp_path / 'gone.txt'}: no such file or folder"}  # a path given is named as given


def test_extraction_never_goes_online(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("extraction tried the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert "Tartus" in article_from_html("courier.html", page("courier.html")).text


class _Pages(BaseHTTPRequestHandler):
    """Saved pages, a slow one, a huge one and a missing one, on 127.0.0.1 only."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.path == "/slow":
            time.sleep(3)
        if self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"<p>" + b"x" * 65_536 + b"</p>"
            for _ in range(MAX_BYTES // len(chunk) + 2):
                self.wfile.write(chunk)
            return
        name = self.path.strip("/")
        if name not in ("courier.html", "gazette.html", "slow"):
            self.send_error(404)
            return
        body = page("courier.html" if name == "slow" else name)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_a_page(server):
    a = fetch_article(f"{server}/gazette.html", timeout=10, allow_private=True)
    assert a.title == "Fighting near Aleppo" and "outskirts of Aleppo" in a.text
    assert a.path == f"{server}/gazette.html" and a.id.startswith("127-0-0-1")
    assert a.url == f"{server}/gazette.html"


def test_fetch_refuses_the_servers_own_network_unless_allowed(server):
    with pytest.raises(ArticleError, match="private or local address"):
        fetch_article(f"{server}/courier.html", timeout=10)


@pytest.mark.parametrize("path, problem", [
    ("/missing.html", "the server answered HTTP 404"),
    ("/huge", f"over the limit of {MAX_BYTES:,} bytes"),
])
def test_fetch_failures_say_why(server, path, problem):
    with pytest.raises(ArticleError, match=problem):
        fetch_article(server + path, timeout=10, allow_private=True)


def test_fetch_has_one_deadline(server):
    t0 = time.monotonic()
    with pytest.raises(ArticleError, match="did not answer within 1 s"):
        fetch_article(f"{server}/slow", timeout=1, allow_private=True)
    assert time.monotonic() - t0 < 2.5


def test_fetch_offline_or_unknown_host_fails_clearly():
    with pytest.raises(ArticleError, match="no network connection, or no such host"):
        fetch_article("http://storymap-test.invalid/page.html", timeout=5)
    with pytest.raises(ArticleError, match="only web addresses"):
        fetch_article("file:///etc/passwd")
