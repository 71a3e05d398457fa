"""How fast the page is: cold start and click -> panel. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/page_speed.py [--repeat 10]

Measured (targets: cold start <= 3 s on the bundled corpus, click -> panel <= 300 ms):

1. Cold start, in a network-less Debian chromium driven by Playwright (the browser is
   launched first and not counted). ``t0`` is when ``streamlit run streamlit_app.py
   --server.address 127.0.0.1`` is spawned on a free port; the clock stops when the
   st_folium iframe holds the Leaflet markers (``path.leaflet-interactive``). Three cases:
   - *first run*: a fresh ``HOME``, so Streamlit's disk cache is empty and the corpus is
     geoparsed (spaCy + gazetteer load included); the gazetteer index is already built
     (``STORYMAP_CACHE_DIR`` keeps pointing at the usual one);
   - *restart*: the server is restarted with that same ``HOME``: the geoparsed corpus comes
     from the disk cache (what a user sees after the first run);
   - *second visitor*: a new tab on the still-running server (modules already imported).
   Each is split into: server up (health check answers), page load -> markers, total.
2. Click -> panel, three ways:
   - *browser*: mouse click on the Hmeimim marker -> the side panel shows its name
     (end to end: the component's round trip, the script rerun, the browser's render);
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

from tests.test_page_browser import (CHROMIUM, HMEIMIM, click_place,  # noqa: E402
                                     free_port, launch, offline, start_streamlit, stop,
                                     wait_for_map)

PANEL = ".storymap-panel"


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
                print("  (geo/ or data/ changed while this ran: the disk cache missed, "
                      "and a changed gazetteer may have been rebuilt)")
            name = label if v == 0 else "second visitor (same server)"
            total = f"total {t2 - t0:6.2f} s" if v == 0 else "(server already up)"
            print(f"  {name:<34} server up {up if v == 0 else 0:5.2f} s | page -> markers "
                  f"{t2 - t1:5.2f} s | {total}")
            if v == visitors - 1:
                click_to_panel_browser(page)
            page.close()
    finally:
        stop(proc)


def click_to_panel_browser(page) -> None:
    page.wait_for_timeout(1500)  # let the mount-time rerun settle
    t = time.perf_counter()
    click_place(page, HMEIMIM)  # includes a synchronous setView + 300 ms wait; subtracted
    t_click = time.perf_counter()
    page.locator(PANEL, has_text="Hmeimim Air Base").wait_for(timeout=30_000)
    done = time.perf_counter()
    print(f"  click -> panel, browser end to end: {1000 * (done - t_click):6.0f} ms "
          f"(from the mouse click; zooming to the marker took {1000 * (t_click - t):.0f} ms)")


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
            env = {"HOME": home, "STORYMAP_CACHE_DIR": cache_dir}
            browser = launch(p)
            try:
                cold_start(browser, env, "first run (empty disk cache)")
                cold_start(browser, env, "restart (story from disk cache)", visitors=2)
            finally:
                browser.close()
    server_rerun(args.repeat)


if __name__ == "__main__":
    main()
