"""The reader's map in a real browser: at the opening view every key place of the seed story
can be reached with the pointer alone (a cluster may take one click), shapes that overlap
list each other, and the page works on a phone. Screenshots: /tmp/reading_*.png."""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from tests.mapjs import MAP, SHOW_PLACE
from tests.test_page_browser import (  # noqa: F401
    CHROMIUM,
    HMEIMIM,
    MAP_FRAME,
    launch,
    map_frame,
    markers,
    offline,
    server,
    wait_for_map,
)

pytestmark = pytest.mark.skipif(not __import__("pathlib").Path(CHROMIUM).exists(),
                                reason="needs Debian chromium")

#: The nine places a reader of the seed story looks for, as the panel names them.
KEY_PLACES = {
    "geonames:524901": "Moscow", "geonames:170654": "Damascus", "geonames:170063": "Aleppo",
    "storymap:hmeimim-air-base": "Hmeimim Air Base", "geonames:163345": "Tartus",
    "storymap:qamishli-airport": "Qamishli Airport", "geonames:4140963": "Washington",
    "geonames:5128581": "New York City",
    "storymap:east-of-euphrates-syria": "East of the Euphrates (Syria)",
}

#: Where on screen a reader would click to reach a place at the current view: its own
#: marker or shape if it shows, else the cluster that holds it. Nothing is moved.
TARGET = """(pid) => { const map = %s;
    let found = null, group = null;
    map.eachLayer(l => {
        if (l instanceof L.MarkerClusterGroup) group = l;
        else if (l.options && l.options.placeId === pid) found = l;
    });
    if (!found && group) group.eachLayer(l => { if (l.options.placeId === pid) found = l; });
    if (!found) return null;
    let el = found._icon || found._path, what = "place";
    if (!el && group) { const parent = group.getVisibleParent(found);
                        if (parent) { el = parent._icon; what = "cluster"; } }
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return {what: what, x: r.x + r.width / 2, y: r.y + r.height / 2,
            inside: r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight};
}""" % MAP

#: A point inside a shape where the reader's pointer meets a shape, not a marker or a
#: cluster (found on a grid over the shape's box), in the map document's coordinates.
SHAPE_POINT = """(pid) => { const map = %s;
    let found = null;
    map.eachLayer(l => { if (l.options && l.options.placeId === pid && l.getLatLngs) found = l; });
    const rings = [];
    (function flat(a) { if (a.length && a[0] instanceof L.LatLng) rings.push(a); else a.forEach(flat); })(found.getLatLngs());
    const inside = (ll) => { let hit = false; rings.forEach(r => { for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
        if ((r[i].lat > ll.lat) !== (r[j].lat > ll.lat) &&
            ll.lng < (r[j].lng - r[i].lng) * (ll.lat - r[i].lat) / (r[j].lat - r[i].lat) + r[i].lng) hit = !hit; } });
        return hit; };
    const b = found.getBounds(), box = map.getContainer().getBoundingClientRect();
    for (let fy = 0.1; fy < 1; fy += 0.1) for (let fx = 0.1; fx < 1; fx += 0.1) {
        const ll = L.latLng(b.getSouth() + fy * (b.getNorth() - b.getSouth()),
                            b.getWest() + fx * (b.getEast() - b.getWest()));
        if (!inside(ll)) continue;
        const p = map.latLngToContainerPoint(ll), x = box.x + p.x, y = box.y + p.y;
        const el = document.elementFromPoint(x, y);
        if (el && el.tagName.toLowerCase() === "path") return {x: x, y: y};
    }
    return null; }""" % MAP


def reach(page, pid: str, name: str) -> float:
    """Click what shows for ``pid`` (a cluster first if need be, then the place) with the
    mouse; returns seconds from the last click to the panel naming the place."""
    frame_box = page.locator(MAP_FRAME).bounding_box()
    frame = map_frame(page)
    for _ in range(3):
        at = frame.evaluate(TARGET, pid)
        assert at is not None and at["inside"], f"{name} is not on screen: {at}"
        if at["what"] == "place":
            break
        page.mouse.click(frame_box["x"] + at["x"], frame_box["y"] + at["y"])
        page.wait_for_timeout(900)  # the cluster zooms or spreads out
    if pid.startswith("storymap:east-of"):
        point = frame.evaluate(SHAPE_POINT, pid)
        if point is None:  # markers cover the shape at this zoom: one click on them first
            page.mouse.click(frame_box["x"] + at["x"], frame_box["y"] + at["y"])
            page.wait_for_timeout(900)
            point = frame.evaluate(SHAPE_POINT, pid)
        assert point is not None, f"no free point on {name}"
        at = point
    start = time.perf_counter()
    page.mouse.click(frame_box["x"] + at["x"], frame_box["y"] + at["y"])
    title = page.locator(".storymap-panel h3", has_text=name)
    chooser = page.frame_locator(MAP_FRAME).locator(".storymap-under button", has_text=name)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if title.count():
            return time.perf_counter() - start
        if chooser.count():  # overlapping shapes: the reader picks it from the list
            start = time.perf_counter()
            chooser.first.click()
            title.wait_for(timeout=20_000)
            return time.perf_counter() - start
        page.wait_for_timeout(50)
    raise AssertionError(f"the panel never named {name}")


@contextmanager
def desktop_reader(server: str, on_socket: Callable | None = None) -> Iterator:
    """A 1440x900 tab on the page, network-less, once the map has drawn; ``on_socket``
    sees the page's websocket to the server."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            offline(page, [])
            if on_socket is not None:
                page.on("websocket", on_socket)
            page.goto(server)
            wait_for_map(page)
            yield page
        finally:
            browser.close()


def test_every_key_place_is_reachable_from_the_opening_view(server):  # noqa: F811
    timings = {}
    with desktop_reader(server) as page:
        page.wait_for_timeout(1500)
        page.screenshot(path="/tmp/reading_opening.png")
        for pid, name in KEY_PLACES.items():
            page.goto(server)  # back to the opening view, as a new reader
            wait_for_map(page)
            page.wait_for_timeout(800)
            timings[name] = reach(page, pid, name)
        page.screenshot(path="/tmp/reading_selected.png")
    print("click -> panel (s):", {k: round(v, 3) for k, v in timings.items()})
    assert set(timings) == set(KEY_PLACES.values())


def test_phone_shows_map_then_panel_without_clipping(server):  # noqa: F811
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True,
                                    has_touch=True)
            offline(page, [])
            page.goto(server + "?place=storymap%3Ahmeimim-air-base")
            wait_for_map(page)
            panel = page.locator(".storymap-panel")
            panel.wait_for(timeout=30_000)
            assert "Hmeimim Air Base" in panel.inner_text()  # restored from the URL
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 390 + 1, width  # nothing wider than the screen
            frame = map_frame(page)
            legend = frame.locator(".storymap-note details")
            assert not legend.evaluate("d => d.open")  # folded on a narrow map
            page.wait_for_timeout(800)
            page.screenshot(path="/tmp/reading_phone.png")
            page.screenshot(path="/tmp/reading_phone_full.png", full_page=True)
        finally:
            browser.close()


def test_the_page_plays_the_story_article_by_article(server):  # noqa: F811
    """The map's folded panel in the page: open it, play, and only the first article's
    places remain; "Show all" brings the filtered story back."""
    with desktop_reader(server) as page:
        frame = page.frame_locator(MAP_FRAME)
        assert frame.locator(".storymap-story .storymap-body").is_hidden()  # folded
        before = markers(page)
        frame.locator(".storymap-story summary").click()
        assert frame.locator(".storymap-story input[type=checkbox]").count() == 0
        frame.get_by_role("button", name="Play the story").click()
        # The page's map column is narrow: playing folds the panel and names the step
        # under the title, so the map shows.
        step = frame.locator(".storymap-summary-step")
        step.wait_for(timeout=5_000)
        assert step.inner_text().startswith("Article 1 of 5")
        first = markers(page)
        assert 0 < first < before
        page.screenshot(path="/tmp/reading_play.png")
        frame.locator(".storymap-story summary").click()
        frame.get_by_role("button", name="Show all").click()
        assert markers(page) == before


def test_a_click_reruns_the_page_once(server):  # noqa: F811
    """The map's script sends a click at once, in streamlit-folium's own format, and marks
    it sent: streamlit-folium's held update then finds nothing new, so one click is one
    message to the server (a wrong value or key order would send a second)."""
    sent: list[int] = []
    with desktop_reader(server, on_socket=lambda ws: ws.on(
            "framesent", lambda payload: sent.append(len(payload)))) as page:
        page.wait_for_timeout(1500)  # the mount-time rerun is over
        map_frame(page).evaluate(SHOW_PLACE, HMEIMIM)
        page.wait_for_timeout(800)  # the cluster has opened
        at = map_frame(page).evaluate(SHOW_PLACE, HMEIMIM)
        box = page.locator(MAP_FRAME).bounding_box()
        sent.clear()
        page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
        page.locator(".storymap-panel h3", has_text="Hmeimim Air Base").wait_for()
        page.wait_for_timeout(1000)  # past streamlit-folium's 250 ms hold
        assert len(sent) == 1, sent
