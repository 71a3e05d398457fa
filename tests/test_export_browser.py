"""The standalone export in a real browser, from file://, with every network request refused."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from geo.render import standalone_html
from tests.mapjs import SHOW_PLACE
from tests.test_render import basemap, make_story  # noqa: F401  (basemap is a fixture)

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOT = Path("/tmp/export.png")

@pytest.fixture
def browser_page(tmp_path: Path, basemap: Path) -> Iterator[tuple]:  # noqa: F811
    if not CHROMIUM.exists():
        pytest.skip("needs Debian chromium at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    export = tmp_path / "story.html"
    export.write_text(standalone_html(make_story(), basemap=basemap), encoding="utf-8")
    blocked: list[str] = []
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1000, "height": 700})

        def refuse(route) -> None:
            if route.request.url.startswith("file:"):
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        context.route("**/*", refuse)
        page = context.new_page()
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.goto(export.as_uri())
        page.wait_for_selector(".leaflet-interactive")
        yield page, blocked, problems
        browser.close()


def test_marker_popup_shows_every_source_offline(browser_page: tuple) -> None:
    page, blocked, problems = browser_page
    box = page.locator(".folium-map").bounding_box()
    at = page.evaluate(SHOW_PLACE, "geonames:170063")
    page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
    popup = page.locator(".leaflet-popup-content .storymap-popup")
    popup.wait_for()
    text = popup.inner_text()
    for source in ("Outlet A", "Outlet B", "Outlet C"):
        assert source in text
    assert "Shelling resumed near Aleppo on Monday." in text
    assert "<script>alert(1)</script>" in text  # shown as text, not run
    assert popup.locator("mark").all_inner_texts() == ["Aleppo"] * 3
    assert popup.locator("script").count() == 0
    page.wait_for_timeout(300)
    page.screenshot(path=str(SCREENSHOT))
    assert not problems, problems


def test_offline_note_and_only_tiles_requested(browser_page: tuple) -> None:
    page, blocked, problems = browser_page
    page.locator(".storymap-offline").wait_for(state="visible")
    assert page.locator(".storymap-note").inner_text().count("GeoNames") == 1
    assert page.locator(".storymap-pin").count() == 2  # Aleppo, Homs (the area is a shape)
    assert page.locator("path.leaflet-interactive").count() == 1  # the Idlib zone
    assert blocked and all(u.startswith("https://tile.openstreetmap.org/") for u in blocked)
    assert not problems, problems
