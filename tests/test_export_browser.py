"""The standalone export in a real browser, from file://, with every network request refused."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Iterator

import pytest

from geo.maps.render import standalone_html
from geo.models import Article, StoryMap
from tests.mapjs import COUNT_PLACES, SHOW_PLACE
from tests.test_render import basemap, make_story  # noqa: F401  (basemap is a fixture)

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = Path("/tmp/shots")
ALEPPO, HOMS, IDLIB = "geonames:170063", "geonames:169577", "area:idlib-zone"
HOSTILE_TITLE = "Talks <img src=x onerror=\"document.title='pwned'\"> {{ 7*7 }}"


def dated_story() -> StoryMap:
    """The test story with titles, addresses and dates: published B (1 Jan), C (2 Jan),
    A (3 Jan); A's address is a script, so it must not become a link."""
    story = make_story()
    meta = {"a1": (HOSTILE_TITLE, "javascript:alert(1)", "2024-01-03"),
            "a2": ("Shelling near Aleppo", "https://b.example/shelling", "2024-01-01"),
            "a3": ("Aid reaches Aleppo", "http://c.example/aid", "2024-01-02")}
    articles = tuple(Article(a.id, a.text, a.source, *meta[a.id]) for a in story.articles)
    return replace(story, articles=articles)


@pytest.fixture
def export(tmp_path: Path, basemap: Path) -> Path:  # noqa: F811
    path = tmp_path / "story.html"
    path.write_text(standalone_html(dated_story(), basemap=basemap), encoding="utf-8")
    return path


def open_export(p, export: Path, width: int, height: int, blocked: list, problems: list):
    """A page showing the export offline; only file: requests go through."""
    browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
    context = browser.new_context(viewport={"width": width, "height": height})

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
    return browser, page


def browser_at(export: Path, width: int, height: int) -> Iterator[tuple]:
    if not CHROMIUM.exists():
        pytest.skip("needs Debian chromium at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    problems: list[str] = []
    with sync_playwright() as p:
        browser, page = open_export(p, export, width, height, blocked, problems)
        yield page, blocked, problems
        browser.close()


@pytest.fixture
def browser_page(export: Path) -> Iterator[tuple]:
    yield from browser_at(export, 1440, 900)


@pytest.fixture
def phone_page(export: Path) -> Iterator[tuple]:
    yield from browser_at(export, 390, 844)


def open_popup(page, place_id: str):
    """Click the place's marker until its popup shows: a click that lands while the map
    is still moving to its opening view misses the marker, and a reader clicks again."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    popup = page.locator(".leaflet-popup-content .storymap-popup")
    for _ in range(3):
        at = page.evaluate(SHOW_PLACE, place_id)
        page.mouse.click(at["x"], at["y"])
        try:
            popup.wait_for(timeout=5_000)
            return popup
        except PlaywrightTimeout:
            page.wait_for_timeout(500)
    popup.wait_for(timeout=1)  # raises, naming what never appeared
    return popup


def shown(page) -> int:
    return page.evaluate(COUNT_PLACES)


def test_marker_popup_shows_every_source_offline(browser_page: tuple) -> None:
    page, blocked, problems = browser_page
    popup = open_popup(page, ALEPPO)
    text = popup.inner_text()
    for source in ("Outlet A", "Outlet B", "Outlet C"):
        assert source in text
    assert "Shelling resumed near Aleppo on Monday." in text
    assert "<script>alert(1)</script>" in text  # shown as text, not run
    assert popup.locator("mark").all_inner_texts() == ["Aleppo"] * 3
    assert popup.locator("script").count() == 0
    page.wait_for_timeout(300)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "export_test_popup_1440.png"))
    assert not problems, problems


def test_popup_names_the_silent_sources(browser_page: tuple) -> None:
    page, _, problems = browser_page
    popup = open_popup(page, HOMS)
    assert "Homs was quiet." in popup.inner_text()
    silent = popup.locator(".storymap-silent")
    assert silent.locator("b").all_inner_texts() == ["Outlet B", "Outlet C"]
    assert not problems, problems


def test_offline_note_and_only_tiles_requested(browser_page: tuple) -> None:
    page, blocked, problems = browser_page
    page.locator(".storymap-offline").wait_for(state="visible")
    assert page.locator(".storymap-note").inner_text().count("GeoNames") == 1
    assert page.locator(".storymap-pin").count() == 2  # Aleppo, Homs (the area is a shape)
    assert page.locator("path.leaflet-interactive").count() == 1  # the Idlib zone
    assert blocked and all(u.startswith("https://tile.openstreetmap.org/") for u in blocked)
    assert not problems, problems


def test_title_and_sources_with_their_articles(browser_page: tuple) -> None:
    page, _, problems = browser_page
    panel = page.locator(".storymap-story")
    assert panel.locator(".storymap-title").inner_text() == HOSTILE_TITLE  # as text
    assert page.title() == HOSTILE_TITLE and panel.locator("img").count() == 0
    names = panel.locator(".storymap-outlet-name").all_inner_texts()
    assert names == ["Outlet A", "Outlet B", "Outlet C"]
    links = panel.locator(".storymap-articles a")
    assert links.all_inner_texts() == ["Shelling near Aleppo", "Aid reaches Aleppo"]
    assert [links.nth(i).get_attribute("href") for i in range(2)] == [
        "https://b.example/shelling", "http://c.example/aid"]
    assert "2024-01-03" in panel.locator(".storymap-outlet").first.inner_text()
    assert panel.locator("a[href^='javascript']").count() == 0
    colours = panel.locator(".storymap-outlet").evaluate_all(
        "els => els.map(e => getComputedStyle(e).borderLeftColor)")
    assert colours == ["rgb(0, 114, 178)", "rgb(230, 159, 0)", "rgb(0, 158, 115)"]
    assert not problems, problems


def test_unticking_an_outlet_hides_the_places_only_it_names(browser_page: tuple) -> None:
    page, _, problems = browser_page
    assert shown(page) == 3
    page.get_by_role("checkbox", name="Outlet A").click()
    assert shown(page) == 2  # Homs is named by Outlet A only
    page.evaluate(SHOW_PLACE, ALEPPO)  # still there
    assert "2 of 3 places" in page.locator(".storymap-count").inner_text()
    page.get_by_role("checkbox", name="Outlet A").click()
    assert shown(page) == 3
    assert not problems, problems


def test_date_range_filters_places(browser_page: tuple) -> None:
    page, _, problems = browser_page
    first = page.get_by_role("combobox", name="First date shown")
    last = page.get_by_role("combobox", name="Last date shown")
    last.select_option("2024-01-02")  # drops A's article (3 Jan)
    assert shown(page) == 2
    first.select_option("2024-01-02")  # only C's article is left
    assert shown(page) == 2  # Aleppo and the Idlib zone
    first.select_option("2024-01-03")  # From past To: To follows
    assert shown(page) == 2  # Aleppo and Homs (A)
    assert not problems, problems


def test_playing_the_story_adds_places_article_by_article(browser_page: tuple) -> None:
    page, _, problems = browser_page
    page.get_by_role("button", name="Play the story").click()
    assert shown(page) == 2  # B's article (the first published): Aleppo and the Idlib zone
    page.get_by_role("button", name="Pause").click()
    step = page.locator(".storymap-step").inner_text()
    assert step.startswith("Article 1 of 3: 2024-01-01, Outlet B")
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / "export_test_play_1440.png"))
    dots = page.locator(".storymap-dot")
    dots.last.click()  # the last article: the whole story
    assert shown(page) == 3
    page.get_by_role("button", name="Play the story").click()
    assert shown(page) == 2  # played again from the first article
    page.get_by_role("button", name="Show all").click()
    assert shown(page) == 3 and page.locator(".storymap-step").inner_text() == ""
    assert not problems, problems


def test_phone_panel_folded_and_nothing_clipped(phone_page: tuple) -> None:
    page, _, problems = phone_page
    summary = page.locator(".storymap-story summary")
    assert page.locator(".storymap-story .storymap-body").is_hidden()
    box = summary.bounding_box()
    assert box["x"] >= 100 and box["x"] + box["width"] <= 390  # clear of zoom, Whole story
    popup = open_popup(page, HOMS)
    page.wait_for_timeout(500)
    wrapper = page.locator(".leaflet-popup").bounding_box()
    assert wrapper["x"] >= 0 and wrapper["x"] + wrapper["width"] <= 390
    assert wrapper["y"] >= 0 and wrapper["y"] + wrapper["height"] <= 844
    assert "Not mentioned by" in popup.inner_text()
    page.screenshot(path=str(SHOTS / "export_test_popup_390.png"))
    page.locator(".leaflet-popup-close-button").click()
    summary.click()
    body = page.locator(".storymap-story")
    body.locator(".storymap-body").wait_for()
    panel = body.bounding_box()
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= 390
    assert panel["y"] + panel["height"] <= 844
    page.screenshot(path=str(SHOTS / "export_test_panel_390.png"))
    page.get_by_role("checkbox", name="Outlet A").click()
    assert shown(page) == 2
    assert not problems, problems
