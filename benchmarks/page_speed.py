"""How fast the page is: cold start and click -> panel. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/page_speed.py [--repeat 10] [--cold 5]

Measured (targets: cold start <= 3 s on the bundled corpus, click -> panel <= 300 ms):

1. Cold start, in a network-less Debian chromium driven by Playwright (the browser and
   its tab are opened first and not counted; no host but 127.0.0.1 resolves, which keeps
   Playwright out of the page's ~130 requests: routing them through it cost ~0.2 s). ``t0`` is when ``streamlit run serve.py
   --server.address 127.0.0.1`` (as ``scripts/run.sh`` runs it) is spawned on a free port;
   the tab opens the page as soon as the health check answers, and the clock stops at the
   first animation frame in which the st_folium iframe shows a Leaflet marker, stamped
   by the page itself (``Date.now()``, the clock ``time.time()`` reads): Playwright's own
   polling for it added 0.3-0.6 s that no reader waits. Three cases:
   - *first run*: a fresh ``HOME`` and story database, so the seed story is made: the
     corpus is geoparsed (spaCy + gazetteer load included: ``serve.py`` starts it at
     start-up); the gazetteer index is already built (``STORYMAP_CACHE_DIR`` keeps pointing
     at the usual one);
   - *restart*: the server is restarted with that same database: the seed story is read
     from it, spaCy is not loaded (what a user sees after the first run);
   - *second visitor*: a new tab on the still-running server (modules already imported).
   Each is split into: server up (health check answers), page load -> markers, total.
   ``--cold N`` makes N of each and then prints their medians (of the total; of page load
   -> markers for the second visitor): on a shared machine one start says little.
2. Click -> panel, three ways:
   - *browser*: mouse click on the Hmeimim marker -> the side panel shows its name, in
     the page's own clock (end to end: streamlit-folium's 250 ms hold on map events, the
     component's round trip, the script rerun, the browser's render);
   - *server rerun*: AppTest, the time of ``at.run()`` after setting the selected place in
     session state: one full script rerun as a click causes (map rebuilt, panel, tables),
     median of ``--repeat`` runs;
   - *panel functions*: ``geo.page.view.panel`` + ``panel_html`` alone, median.
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
from tests.test_page_browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    HMEIMIM,
    MAP_FRAME,
    free_port,
    map_frame,
    start_streamlit,
    stop,
)

#: Offline as a machine without a network is: only the local server's name resolves.
OFFLINE_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


def code_version() -> str:
    from geo.version import digest

    return digest()  # read afresh, not the per-process memo: files may change under us


VERSION_AT_START = code_version()


#: Stamps (``Date.now()``) the first animation frame in which the map's iframe shows a
#: marker or shape (what ``wait_for_map`` looks for) inside its box: streamlit-folium
#: shrinks the iframe while its map loads and sizes it after.
WATCH_MARKERS = """(() => { if (window !== window.top) return;
    const seen = () => {
        const f = document.querySelector("%s");
        const d = f && f.contentDocument;
        const el = d && d.querySelector(".storymap-pin, .marker-cluster, path.leaflet-interactive");
        const r = el && el.getBoundingClientRect(), box = f && f.getBoundingClientRect();
        if (r && r.width > 0 && r.height > 0 && r.top < box.height && r.bottom > 0 &&
            r.left < box.width && r.right > 0) window.__markersAt = Date.now();
        else requestAnimationFrame(seen);
    };
    requestAnimationFrame(seen);
})()""" % MAP_FRAME


def new_tab(browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.add_init_script(WATCH_MARKERS)
    return page


def markers_at(page) -> float:
    """When the markers showed (``time.time()``'s clock): asked every 100 ms, lighter on
    the page than ``wait_for_map``'s polling of the iframe."""
    page.wait_for_function("() => window.__markersAt", polling=100, timeout=120_000)
    return page.evaluate("() => window.__markersAt") / 1000


def cold_start(browser, env: dict[str, str], label: str,
               visitors: int = 1) -> dict[str, float]:
    """Starts the server, opens the page ``visitors`` times; their totals by label."""
    totals = {}
    page = new_tab(browser)
    port = free_port()
    t0 = time.time()
    proc = start_streamlit(port, env)
    up = time.time() - t0
    try:
        for v in range(visitors):
            if v:
                page.close()
                page = new_tab(browser)
            t1 = time.time()
            page.goto(f"http://127.0.0.1:{port}/")
            t2 = markers_at(page)
            if v == 0 and code_version() != VERSION_AT_START:
                print("  (geo/ or data/ changed while this ran: a changed gazetteer may "
                      "have been rebuilt)")
            name = label if v == 0 else "second visitor (same server)"
            total = f"total {t2 - t0:6.2f} s" if v == 0 else "(server already up)"
            print(f"  {name:<34} server up {up if v == 0 else 0:5.2f} s | page -> markers "
                  f"{t2 - t1:5.2f} s | {total}")
            totals[name] = t2 - (t0 if v == 0 else t1)
            if v == visitors - 1:
                click_to_panel_browser(page)
    finally:
        page.close()
        stop(proc)
    return totals


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
    from geo.page import view

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
    parser.add_argument("--cold", type=int, default=1,
                        help="cold starts of each kind (their medians are printed too)")
    args = parser.parse_args()
    print(f"Storymap page speed on {ROOT / 'corpus'} ({os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f})")
    if not Path(CHROMIUM).exists():
        print("  (no /usr/bin/chromium: browser figures skipped)")
    else:
        from playwright.sync_api import sync_playwright

        cache_dir = os.environ.get("STORYMAP_CACHE_DIR",
                                   str(Path.home() / ".cache" / "storymap"))
        runs: list[dict[str, float]] = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM,
                                        args=CHROMIUM_ARGS + OFFLINE_ARGS)
            try:
                for _ in range(args.cold):  # one story database for a first run and
                    with tempfile.TemporaryDirectory() as home:  # the restart after it
                        env = {"HOME": home, "STORYMAP_CACHE_DIR": cache_dir,
                               "STORYMAP_DB": str(Path(home) / "stories.db")}
                        run = cold_start(browser, env, "first run (new story database)")
                        run.update(cold_start(browser, env, "restart (story from the database)",
                                              visitors=2))
                        runs.append(run)
            finally:
                browser.close()
        if len(runs) > 1:
            for name in runs[0]:
                times = sorted(run[name] for run in runs)
                print(f"  median of {len(runs)}: {name:<34} {statistics.median(times):5.2f} s "
                      f"({times[0]:.2f}-{times[-1]:.2f})")
    server_rerun(args.repeat)


if __name__ == "__main__":
    main()
