"""The page in a real, network-less browser: `streamlit run` + Debian chromium via Playwright.

Every request not to 127.0.0.1 is aborted, so the map must draw from the vendored assets.
Screenshots land in /tmp/page*.png for a human to look at.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from tests.mapjs import COUNT_PLACES, SHOW_PLACE

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
HMEIMIM = "storymap:hmeimim-air-base"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_streamlit(port: int, env: dict[str, str] | None = None) -> subprocess.Popen:
    """``streamlit run`` on 127.0.0.1:port, returned once it answers its health check.

    Unless ``env`` names a ``STORYMAP_DB``, the server gets a fresh story database of its
    own (removed by ``stop``), so no test ever touches the user's."""
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"),  # as run.sh
           "--server.address", "127.0.0.1", "--server.port", str(port),
           "--server.headless", "true"]  # (never open a browser of its own)
    env = {"MALLOC_ARENA_MAX": "2", **(env or {})}  # as scripts/run.sh runs the server
    db_dir = None
    if "STORYMAP_DB" not in env:
        db_dir = tempfile.TemporaryDirectory(prefix="storymap-db-")
        env["STORYMAP_DB"] = os.path.join(db_dir.name, "stories.db")
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proc.db_dir = db_dir
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                return proc
        except OSError:
            time.sleep(0.05)  # finely: benchmarks/page_speed.py's "server up" ends here
    proc.kill()
    raise RuntimeError("streamlit did not start within 60 s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    if getattr(proc, "db_dir", None) is not None:
        proc.db_dir.cleanup()


@pytest.fixture(scope="module")
def server():
    port = free_port()
    proc = start_streamlit(port)
    yield f"http://127.0.0.1:{port}/"
    stop(proc)


def launch(p):
    return p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def offline(page, blocked: list[str]) -> None:
    """Abort every request that is not to the local server (and remember it)."""
    def route(r):
        if r.request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()
    page.context.route("**/*", route)


def map_frame(page):
    """The Playwright Frame of the st_folium iframe (for evaluate)."""
    return page.locator(MAP_FRAME).element_handle().content_frame()


def markers(page) -> int:
    """Places drawn on the map (shapes, and markers whether clustered or not)."""
    return map_frame(page).evaluate(COUNT_PLACES)


def wait_for_markers(page, ok, timeout: float = 60) -> int:
    """Poll the marker count (the map iframe is replaced when the map changes)."""
    deadline = time.monotonic() + timeout
    n = -1
    while time.monotonic() < deadline:
        try:
            wait_for_map(page, 5_000)
            n = markers(page)
            if ok(n):
                return n
        except Exception:  # the iframe was swapped mid-call: try again
            pass
        page.wait_for_timeout(200)
    return n


def wait_for_map(page, timeout: float = 120_000):
    page.wait_for_selector(MAP_FRAME, timeout=timeout)
    page.frame_locator(MAP_FRAME).locator(
        ".storymap-pin, .marker-cluster, path.leaflet-interactive >> visible=true").first.wait_for(
        timeout=timeout)


def click_place(page, place_id: str) -> None:
    """Show a place's marker (opening its cluster, as a click on it would), then click it
    with the mouse, as a user would."""
    at = map_frame(page).evaluate(SHOW_PLACE, place_id)
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])


def open_panel(page, place_id: str, has_text: str):
    """Click a marker until its panel shows: a click that lands while the page is still
    rerunning (cold cache, as in CI) is dropped by st_folium, and a user would click again."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    panel = page.locator(".storymap-panel", has_text=has_text)
    for _ in range(3):
        click_place(page, place_id)
        try:
            panel.wait_for(timeout=15_000)
            return panel
        except PlaywrightTimeout:
            continue
    panel.wait_for(timeout=1)  # raises, naming what never appeared
    return panel


def test_map_draws_offline_click_shows_panel_and_filter_changes_markers(server):
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            offline(page, blocked)
            page.goto(server)
            wait_for_map(page)
            n_all = markers(page)
            assert n_all >= 20  # 26 places on the seed corpus
            page.wait_for_timeout(500)
            page.screenshot(path="/tmp/page.png", full_page=True)

            panel = open_panel(page, HMEIMIM, "Hmeimim Air Base")
            text = panel.inner_text()
            assert "Hmeimim Air Base" in text
            for source in ("Article 001", "RT News", "Article 003", "Article 004"):
                assert source in text
            assert "Hmeimim" in text and "Khmeimim" in text
            assert "Not mentioned by: Frances Martel" in " ".join(text.split())
            assert page.locator(".storymap-panel mark").count() == 4
            page.wait_for_timeout(500)
            page.screenshot(path="/tmp/page_clicked.png", full_page=True)

            # Min sources 1 -> 4: the slider's thumb, moved with the keyboard.
            thumb = page.locator("[data-testid='stSlider'] input[type='range']")
            thumb.focus()
            for _ in range(3):
                thumb.press("ArrowRight")
            n_four = wait_for_markers(page, lambda n: 0 < n < n_all)
            assert 0 < n_four < n_all
            assert n_four == 5  # Syria, Russia, Moscow: 5 of 5; Hmeimim, Tartus: 4
            page.wait_for_timeout(500)
            page.screenshot(path="/tmp/page_filtered.png", full_page=True)
        finally:
            browser.close()
    # The only remote requests are map tiles (which the offline note accounts for): no CDN.
    assert blocked and all(u.startswith("https://tile.openstreetmap.org/") for u in blocked), \
        sorted({u.split("/")[2] for u in blocked})


def settled_page(browser, url: str):
    """A network-less 1400x1000 tab on ``url``, once the map has drawn and settled."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    offline(page, [])
    page.goto(url)
    wait_for_map(page)
    page.wait_for_timeout(1000)
    return page


def test_picking_a_table_row_selects_the_place_and_pans_the_map(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = settled_page(browser, server)
            zoom_before = map_frame(page).evaluate("() => window.map.getZoom()")
            # the table is built once its expander is opened
            assert page.locator("[data-testid='stDataFrame']").count() == 0
            page.locator("[data-testid='stSidebar'] [data-testid='stExpander'] summary",
                         has_text="Table of places").click()
            grid = page.locator("[data-testid='stSidebar'] [data-testid='stDataFrame']")
            grid.wait_for(timeout=30_000)
            grid.scroll_into_view_if_needed()
            box = grid.bounding_box()
            # Rows are 35 px under a 35 px header; the row-selection column is on the left.
            # Row 4 is Tartus (places sorted by sources, then mentions, then name).
            page.mouse.click(box["x"] + 16, box["y"] + 35 + 4 * 35 + 17)
            page.locator(".storymap-panel", has_text="Tartus").wait_for(timeout=30_000)
            text = " ".join(page.locator(".storymap-panel").inner_text().split())
            assert "Not mentioned by: Frances Martel" in text
            frame = map_frame(page)
            page.wait_for_function("() => true")
            deadline = time.monotonic() + 10
            while frame.evaluate("() => window.map.getZoom()") == zoom_before \
                    and time.monotonic() < deadline:
                page.wait_for_timeout(200)
            centre = frame.evaluate("() => window.map.getCenter()")
            assert abs(centre["lat"] - 34.89) < 1 and abs(centre["lng"] - 35.89) < 1
            page.wait_for_timeout(500)
            page.screenshot(path="/tmp/page_table.png")
        finally:
            browser.close()


def test_the_view_a_reader_zoomed_to_is_in_the_url_and_a_link_reopens_it(server):
    """Zooming with the wheel over the map puts the view in the URL; that URL, opened in a
    new tab, shows the map at the same centre and zoom."""
    from urllib.parse import parse_qs, urlsplit

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = settled_page(browser, server)
            zoom_before = map_frame(page).evaluate("() => window.map.getZoom()")
            box = page.locator(MAP_FRAME).bounding_box()
            page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.5)
            page.mouse.wheel(0, -400)
            deadline = time.monotonic() + 30
            shared = None
            while time.monotonic() < deadline:
                shared = parse_qs(urlsplit(page.url).query).get("view", [None])[0]
                if shared and int(shared.split(",")[2]) > zoom_before:
                    break
                page.wait_for_timeout(200)
            assert shared and int(shared.split(",")[2]) > zoom_before, page.url
            lat, lon, zoom = shared.split(",")
            here = map_frame(page).evaluate("() => [window.map.getCenter(), window.map.getZoom()]")
            assert here[1] == int(zoom)
            assert abs(here[0]["lat"] - float(lat)) < 1e-3 and abs(here[0]["lng"] - float(lon)) < 1e-3

            other = browser.new_page(viewport={"width": 1400, "height": 1000})
            offline(other, [])
            other.goto(page.url)
            other.wait_for_selector(MAP_FRAME, timeout=120_000)  # (no marker need be in view)
            deadline = time.monotonic() + 60
            there = None
            while time.monotonic() < deadline:
                try:
                    there = map_frame(other).evaluate(
                        "() => window.map && [window.map.getCenter(), window.map.getZoom()]")
                except Exception:  # the iframe is still loading
                    there = None
                if there and there[1] == int(zoom):
                    break
                other.wait_for_timeout(200)
            assert there, "no map"
            assert there[1] == int(zoom)
            assert abs(there[0]["lat"] - float(lat)) < 1e-3
            assert abs(there[0]["lng"] - float(lon)) < 1e-3
        finally:
            browser.close()


HOSTILE = b"""---
source: "<img src=x onerror=alert('src')>Evil Times"
title: "<script>alert('title')</script>"
url: "javascript:alert('url')"
---
Troops left Damascus <script>alert(1)</script> on Monday. Later they reached Homs.
"""
PLAIN = b"""---
source: Plain Post
url: https://example.org/story
---
Shelling resumed in Damascus on Monday, officials in Moscow said.
"""


def test_uploaded_hostile_article_is_shown_as_text(server):
    from playwright.sync_api import sync_playwright

    from tests.test_stories_browser import add_files, new_story

    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            offline(page, [])
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(server)
            wait_for_map(page)
            new_story(page, "Hostile uploads")  # a story of their own, so only they show
            add_files(page, [
                {"name": "evil.txt", "mimeType": "text/plain", "buffer": HOSTILE},
                {"name": "plain.md", "mimeType": "text/markdown", "buffer": PLAIN},
                {"name": "empty.txt", "mimeType": "text/plain", "buffer": b"  "},
            ])
            page.get_by_text("2 articles from 2 sources").wait_for(timeout=60_000)
            page.get_by_text("the file is empty").wait_for(timeout=10_000)
            wait_for_markers(page, lambda n: n == 3)  # Damascus, Homs, Moscow
            panel = open_panel(page, "geonames:170654", "Damascus")
            text = panel.inner_text()
            assert "<script>alert(1)</script>" in text  # shown as text...
            assert "<img src=x onerror=alert('src')>Evil Times" in text
            assert page.locator(".storymap-panel script, .storymap-panel img").count() == 0
            assert page.locator(".storymap-panel a[href^='javascript']").count() == 0
            assert page.locator(".storymap-panel a[href='https://example.org/story']").count() == 1
            page.wait_for_timeout(800)
            page.screenshot(path="/tmp/page_upload.png")
        finally:
            browser.close()
    assert dialogs == []  # ...and never run


def click_download(page, label: str):
    """Click a download button until the file comes: as with markers, a click that lands
    during a rerun is dropped, and a user would click again."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    button = page.get_by_role("button", name=label)
    for _ in range(2):
        button.scroll_into_view_if_needed()
        try:
            with page.expect_download(timeout=30_000) as info:
                button.click()
            return info.value
        except PlaywrightTimeout:
            continue
    with page.expect_download(timeout=30_000) as info:  # the last try raises, if it fails
        button.click()
    return info.value


def test_download_buttons_serve_the_exports(server, tmp_path):
    import json

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000},
                                    accept_downloads=True)
            offline(page, [])
            page.goto(server + "?story=Seed+story")  # not the uploads' story
            wait_for_map(page)
            files = {}
            for label, name in (("Standalone map (HTML)", "storymap.html"),
                                ("Places (GeoJSON)", "storymap.geojson")):
                download = click_download(page, label)
                assert download.suggested_filename == name
                path = tmp_path / name
                download.save_as(path)
                files[name] = path.read_text(encoding="utf-8")
        finally:
            browser.close()
    assert "Hmeimim Air Base" in files["storymap.html"]
    assert "L.map(" in files["storymap.html"] and "unpkg.com" not in files["storymap.html"]
    geojson = json.loads(files["storymap.geojson"])
    assert geojson["type"] == "FeatureCollection"
    assert "Hmeimim Air Base" in {f["properties"]["name"] for f in geojson["features"]}
