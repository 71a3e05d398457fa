"""How fast the page is: cold start and click -> panel. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/page_speed.py [--repeat 10]

Measured (targets: cold start <= 3 s on the bundled corpus, click -> panel <= 300 ms):

1. Cold start, in a network-less Debian chromium driven by Playwright (the browser is
   launched first and not counted). ``t0`` is when ``streamlit run streamlit_app.py
   --server.address 127.0.0.1`` is spawned on a free port; the clock stops when the
   st_folium iframe holds the Leaflet markers (``path.leaflet-interactive``). Three cases:
   - *first run*: a fresh ``HOME`` and story database, so the seed story is made: the
     corpus is geoparsed (spaCy + gazetteer load included); the gazetteer index is already
     built (``STORYMAP_CACHE_DIR`` keeps pointing at the usual one);
   - *restart*: the server is restarted with that same database: the seed story is read
     from it, spaCy is not loaded (what a user sees after the first run);
   - *second visitor*: a new tab on the still-running server (modules already imported).
   Each is split into: server up (health check answers), page load -> markers, total.
2. Click -> panel, three ways:
   - *browser*: mouse click on the Hmeimim marker -> the side panel shows its name, in
     the page's own clock (end to end: streamlit-folium's 250 ms hold on map events, the
     component's round trip, the script rerun, the browser's render);
   - *server rerun*: AppTest, the time of ``at.run()`` after setting the selected place in
     session state: one full script rerun as a click causes (map rebuilt, panel, tables),
     median of ``--repeat`` runs;
   - *panel functions*: ``geo.view.panel`` + ``panel_html`` alone, median.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.mapjs import SHOW_PLACE  # noqa: E402
from tests.test_page_browser import (CHROMIUM, HMEIMIM, MAP_FRAME, free_port,  # noqa: E402
                                     launch, map_frame, offline, start_streamlit, stop,
                                     wait_for_map)



def code_version() -> str:
    from geo.version import digest

    return digest()  # read afresh, not the per-process memo: files may change under us


VERSION_AT_START = code_version()


def cold_start(browser, env: dict[str, str], label: str, visitors: int = 1) -> None:
    port = free_port()
    t0 = time.perf_counter()
    proc = start_streamlit(port, env)
    up = time.perf_counter() - t0
    try:
        for v in range(visitors):
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            offline(page, [])
            t1 = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/")
            wait_for_map(page)
            t2 = time.perf_counter()
            if v == 0 and code_version() != VERSION_AT_START:
                print("  (geo/ or data/ changed while this ran: a changed gazetteer may "
                      "have been rebuilt)")
            name = label if v == 0 else "second visitor (same server)"
            total = f"total {t2 - t0:6.2f} s" if v == 0 else "(server already up)"
            print(f"  {name:<34} server up {up if v == 0 else 0:5.2f} s | page -> markers "
                  f"{t2 - t1:5.2f} s | {total}")
            if v == visitors - 1:
                click_to_panel_browser(page)
            page.close()
    finally:
        stop(proc)


#: Stamps, in the page's own clock, when the panel first names a place (Playwright's
#: polling would add up to half a second of its own to the figure).
WATCH_PANEL = """name => { window.__panelAt = null;
    new MutationObserver((records, observer) => {
        const h = document.querySelector('.storymap-panel h3');
        if (h && h.textContent.includes(name)) { window.__panelAt = performance.now(); observer.disconnect(); }
    }).observe(document.body, {subtree: true, childList: true, characterData: true});
    return performance.now(); }"""


def click_to_panel_browser(page) -> None:
    """Mouse click on a marker -> the panel names it, timed in the page's clock
    (streamlit-folium holds each map event 250 ms before it tells the server)."""
    page.wait_for_timeout(1500)  # let the mount-time rerun settle
    at = map_frame(page).evaluate(SHOW_PLACE, HMEIMIM)
    page.wait_for_timeout(800)  # the cluster has opened and the map stopped
    at = map_frame(page).evaluate(SHOW_PLACE, HMEIMIM)
    box = page.locator(MAP_FRAME).bounding_box()
    t0 = page.evaluate(WATCH_PANEL, "Hmeimim Air Base")
    page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
    page.wait_for_function("() => window.__panelAt !== null", timeout=30_000)
    shown = page.evaluate("() => window.__panelAt") - t0
    print(f"  click -> panel, browser (page clock, from the mouse click): {shown:6.0f} ms")


def server_rerun(repeat: int) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.run()
    story = at.session_state["_story"]
    ids = [sp.place.id for sp in story.places]
    times = []
    for i in range(repeat):
        at.session_state["place"] = ids[i % len(ids)]
        t = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t)
        assert not at.exception
    print(f"  click -> panel, server rerun (AppTest at.run()): median "
          f"{1000 * statistics.median(times):.0f} ms, min {1000 * min(times):.0f} ms, "
          f"max {1000 * max(times):.0f} ms over {repeat}")
    from geo import view

    ptimes = []
    for i in range(repeat * 10):
        t = time.perf_counter()
        view.panel_html(view.panel(story, ids[i % len(ids)]))
        ptimes.append(time.perf_counter() - t)
    print(f"  click -> panel, panel functions alone: median "
          f"{1000 * statistics.median(ptimes):.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    print(f"Storymap page speed on {ROOT / 'corpus'} ({os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f})")
    if not Path(CHROMIUM).exists():
        print("  (no /usr/bin/chromium: browser figures skipped)")
    else:
        from playwright.sync_api import sync_playwright

        cache_dir = os.environ.get("STORYMAP_CACHE_DIR",
                                   str(Path.home() / ".cache" / "storymap"))
        with tempfile.TemporaryDirectory() as home, sync_playwright() as p:
            env = {"HOME": home, "STORYMAP_CACHE_DIR": cache_dir,  # one story database for
                   "STORYMAP_DB": str(Path(home) / "stories.db")}   # both runs: a restart
            browser = launch(p)
            try:
                cold_start(browser, env, "first run (new story database)")
                cold_start(browser, env, "restart (story from the database)", visitors=2)
            finally:
                browser.close()
    server_rerun(args.repeat)


if __name__ == "__main__":
    main()
