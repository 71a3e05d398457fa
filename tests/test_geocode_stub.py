"""geopy's Nominatim against a stub server on 127.0.0.1: every way a server can fail ends
in the offline fallback within bounded time, and a good answer is used as sent."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from geo.pipeline import Pipeline
from geo.resolution.geocode import FallbackGeocoder, get_geocoder
from geo.resolution.resolver import Resolver

from .conftest import CORPUS, ROOT

#: The longest a hanging or trickling answer lasts (the fixture ends it sooner).
HANG_SECONDS = 30
#: Generous bound on what a failing server may add; a correctness check, not a benchmark.
BOUND_SECONDS = 15


def place(name: str, lat: float = 36.2, lon: float = 37.15, **fields) -> dict:
    """One Nominatim search result, as the real server words it."""
    return {"place_id": 1, "osm_type": "relation", "osm_id": 123, "lat": str(lat),
            "lon": str(lon), "display_name": f"{name}, Syria", "type": "city", **fields}


class Stub(ThreadingHTTPServer):
    """A Nominatim that answers every search per ``mode``: ``json`` (``answer(query)``),
    429, 500, ``garbage``, ``hang`` (silence), ``trickle`` (a byte at a time), ``slow``."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.mode: str | int = "json"
        self.answer = lambda query: [place(query)]
        self.queries: list[str] = []
        self.release = threading.Event()

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.server_port}"


class Handler(BaseHTTPRequestHandler):
    server: Stub

    def do_GET(self) -> None:
        stub = self.server
        query = parse_qs(urlsplit(self.path).query).get("q", [""])[0]
        stub.queries.append(query)
        try:
            if stub.mode == "hang":
                stub.release.wait(HANG_SECONDS)
            elif stub.mode == "trickle":
                self._send(200, b"", length=HANG_SECONDS * 5 + 1)
                for _ in range(HANG_SECONDS * 5):
                    if stub.release.wait(0.2):
                        break
                    self.wfile.write(b" ")
                    self.wfile.flush()
            elif stub.mode in (429, 500):
                self._send(stub.mode, b'{"error": "busy"}')
            elif stub.mode == "garbage":
                self._send(200, b"<html>\x1b[31m{{ 7*7 }} not JSON")
            else:
                if stub.mode == "slow":
                    time.sleep(0.5)
                self._send(200, json.dumps(stub.answer(query)).encode())
        except OSError:  # the client gave up first: as intended
            pass

    def _send(self, status: int, body: bytes, length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def log_message(self, *args) -> None:
        """Quiet: the test reads ``Stub.queries``."""


@pytest.fixture
def stub() -> Iterator[Stub]:
    server = Stub()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()
    thread.join(5)


def online(domain: str, gazetteer, **limits) -> FallbackGeocoder:
    """Nominatim at ``domain`` over http, no proxy (nothing leaves 127.0.0.1), no delay."""
    return get_geocoder("nominatim", gazetteer=gazetteer, domain=domain, scheme="http",
                        proxies={}, min_delay_seconds=0, **limits)


def falls_back(gc: FallbackGeocoder, stub: Stub, asked: int = 1) -> None:
    """The first query fails over to offline; later ones go straight there."""
    assert gc.geocode("Aleppo") == gc.fallback.geocode("Aleppo")
    assert gc.failure
    assert gc.geocode("Damascus") == gc.fallback.geocode("Damascus")
    assert len(stub.queries) == asked


def test_a_good_answer_is_used(stub, gazetteer):
    stub.answer = lambda query: [place(query, 36.2021, 37.1343, osm_type="node", osm_id=42)]
    gc = online(stub.domain, gazetteer)
    p = gc.geocode("Aleppo")
    assert (p.id, p.name, p.provider, round(p.lat, 4)) == ("nominatim:node42", "Aleppo",
                                                         "nominatim", 36.2021)
    assert [q.name for q in gc.geocode("Homs", exactly_one=False)] == ["Homs"]
    assert gc.failure is None and stub.queries == ["Aleppo", "Homs"]


def test_hostile_names_stay_plain_text(stub, gazetteer):
    names = ["{{ 7*7 }}", "<script>alert(1)</script>", "${7*7}", "\x1b[2J"]
    stub.answer = lambda query: [place(n, osm_type="<img src=x onerror=alert(1)>") for n in names]
    found = online(stub.domain, gazetteer).geocode("Aleppo", exactly_one=False)
    assert [p.name for p in found] == names
    assert all(p.id == "nominatim:36.2000,37.1500" for p in found)


@pytest.mark.parametrize("mode, asked", [(429, 2), (500, 1), ("garbage", 1)])
def test_server_errors_fall_back(stub, gazetteer, mode, asked):
    stub.mode = mode  # a 429 is retried once, by geopy's RateLimiter; nothing else is
    falls_back(online(stub.domain, gazetteer), stub, asked)


@pytest.mark.filterwarnings("ignore:Latitude normalization")  # geopy's, on the lat of 95
@pytest.mark.parametrize("answer", [
    [{"display_name": "Aleppo, Syria"}],                               # no coordinates
    [{"lat": "north", "lon": "37.1", "display_name": "Aleppo"}],        # not numbers
    [{"lat": "1e400", "lon": "37.1", "display_name": "Aleppo"}],        # not finite
    [{"lat": "95", "lon": "37.1", "display_name": "Aleppo"}],           # off the globe
    [{"lat": ["36"], "lon": "37.1", "display_name": "Aleppo"}],         # not even text
    [{"lat": "36.2", "lon": "37.1"}],                                   # no name
    [{"lat": "36.2", "lon": "37.1", "display_name": 7}],                # a name not text
    "Aleppo", [1, 2], {"places": []}, 42,                               # not results at all
])
def test_malformed_json_falls_back(stub, gazetteer, answer):
    stub.answer = lambda query: answer
    falls_back(online(stub.domain, gazetteer), stub)


def test_connection_refused_falls_back(gazetteer):
    with socket.socket() as s:  # a port that was free a moment ago: nobody listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    gc = online(f"127.0.0.1:{port}", gazetteer)
    assert gc.geocode("Aleppo") == gc.fallback.geocode("Aleppo")
    assert "Connection refused" in gc.failure


def test_a_hanging_server_costs_one_timeout(stub, gazetteer):
    stub.mode = "hang"
    gc = online(stub.domain, gazetteer)  # the default timeout and deadline
    start = time.monotonic()
    for name in ["Aleppo", "Homs", "Hama", "Idlib", "Raqqa", "Tartus"]:
        assert gc.geocode(name) == gc.fallback.geocode(name)
    assert time.monotonic() - start < BOUND_SECONDS
    time.sleep(1.5)  # a retry behind our back (urllib3's) would have reached the stub by now
    assert stub.queries == ["Aleppo"]


def test_a_trickling_server_is_cut_off_at_the_timeout(stub, gazetteer):
    stub.mode = "trickle"  # each byte within the socket timeout, the answer never complete
    gc = online(stub.domain, gazetteer, timeout=2)
    start = time.monotonic()
    assert gc.geocode("Aleppo") == gc.fallback.geocode("Aleppo")
    assert time.monotonic() - start < BOUND_SECONDS
    assert "no answer within" in gc.failure


def test_a_slow_server_stops_at_the_deadline(stub, gazetteer):
    stub.mode = "slow"  # every answer good, after half a second
    gc = online(stub.domain, gazetteer, deadline_seconds=1.2)
    names = ["Aleppo", "Homs", "Hama", "Idlib", "Raqqa", "Tartus", "Latakia", "Daraa"]
    providers = [gc.geocode(name).provider for name in names]
    assert providers[:2] == ["nominatim"] * 2 and providers[-1] != "nominatim"
    assert len(stub.queries) <= 3 and gc.primary.spent < 2


def test_a_story_with_a_hanging_server_is_bounded(stub, gazetteer, pipeline):
    from geo.ingest.articles import load_corpus

    articles = load_corpus(CORPUS).articles
    start = time.monotonic()
    pipeline(articles)
    offline = time.monotonic() - start
    stub.mode = "hang"
    hung = Pipeline(pipeline.recogniser, Resolver(online(stub.domain, gazetteer), gazetteer))
    start = time.monotonic()
    story = hung(articles)
    assert time.monotonic() - start - offline < BOUND_SECONDS
    assert {"Moscow", "Damascus", "Tartus"} <= {sp.place.name for sp in story.places}
    assert len(stub.queries) == 1


def test_cli_build_against_a_hanging_self_hosted_server(stub, tmp_path):
    stub.mode = "hang"
    out = tmp_path / "m.geojson"
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    r = subprocess.run([sys.executable, "-m", "geo", "build", str(CORPUS), "--geojson", str(out),
                        "--geocoder", "nominatim", "--geocoder-domain", stub.domain,
                        "--geocoder-scheme", "http"],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "online geocoder failed" in r.stderr and len(stub.queries) == 1
    names = {f["properties"]["name"] for f in json.loads(out.read_text())["features"]}
    assert {"Moscow", "Damascus", "Tartus"} <= names
