"""A story of 1,000 articles from a dozen (or 60) outlets: build, page, click, export.

    .venv/bin/python benchmarks/page_scale.py [--articles 1000] [--outlets 12]

The articles are the dev halves of the benchmark corpora (``../shared/bench``: LGL and
GeoVirus, news texts), as many times as needed, each copy made distinct (a last line naming
the copy) so none is skipped as already parsed; each gets front matter with an outlet label
(``--outlets`` of them), a title, a url and a date spread over a month. Prints:

1. ``geo build`` (whole command: loading, parsing in one process per core, resolving, HTML
   and GeoJSON): wall time, export sizes;
2. the page (``streamlit run`` with a fresh ``STORYMAP_DB`` whose seed story is this
   corpus, so parsing is part of the first view): spawn -> first marker in a network-less
   chromium, the DOM size (page plus map frame), click -> panel on a marker, and the server's
   memory (RSS, its worker processes excluded) after the first view and after the clicks;
3. the export opened from file:// with the network blocked: open -> markers.

Targets (issue 11): first marker <= 30 s, DOM <= 50,000 nodes, click -> panel <= 1 s.
Everything stays on 127.0.0.1. Asserts nothing: a benchmark prints figures.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.page_load import rss_mb  # noqa: E402
from geo.evaluation.scores import in_split  # noqa: E402
from tests.mapjs import COUNT_PLACES, MAP  # noqa: E402
from tests.test_page_browser import (  # noqa: E402
    CHROMIUM,
    MAP_FRAME,
    click_place,
    free_port,
    launch,
    offline,
    start_streamlit,
    stop,
    wait_for_map,
)

BENCH = ROOT.parent / "shared" / "bench"
DOM_NODES = """() => document.getElementsByTagName('*').length"""
#: The towns and sites the map holds (markers, clustered or not), in the map's order.
MARKER_IDS = """() => {
    const map = %s, ids = [];
    map.eachLayer(l => {
        if (l instanceof L.MarkerClusterGroup) l.getLayers().forEach(m => ids.push(m.options.placeId));
    });
    return ids;
}""" % MAP
PANEL_TITLE = ".storymap-panel h3"


def dev_texts() -> list[str]:
    texts = []
    for name in ("lgl.jsonl", "geovirus.jsonl"):
        with open(BENCH / name, encoding="utf-8") as lines:  # (not splitlines: U+2028)
            docs = [json.loads(line) for line in lines if line.strip()]
        for doc in docs:
            if in_split(str(doc["id"]), "dev"):
                texts.append(doc["text"])
    return texts


def write_corpus(folder: Path, n: int, outlets: int) -> None:
    """``n`` articles, each distinct, with outlet, title, url and date in front matter."""
    texts = dev_texts()
    for i in range(n):
        text = texts[i % len(texts)]
        title = "".join(c for c in " ".join(text.split()[:8]) if c.isprintable()).replace('"', "'")
        body = f"{text}\n\n(Copy {i // len(texts) + 1} of this report.)\n"
        front = (f'---\nsource: "Outlet {i % outlets + 1:02d}"\ntitle: "{title}"\n'
                 f'url: "https://news.example.org/{i}"\npublished: 2026-10-{i % 30 + 1:02d}\n---\n')
        (folder / f"a{i:04d}.txt").write_text(front + body, encoding="utf-8")


def build(folder: Path, out: Path) -> Path:
    html, geojson = out / "story.html", out / "story.geojson"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "geo", "build", str(folder), "--html", str(html),
                    "--geojson", str(geojson)], cwd=ROOT, check=True, capture_output=True)
    print(f"geo build          {time.perf_counter() - t0:6.1f} s whole command; export "
          f"{html.stat().st_size / 1e6:.1f} MB HTML, {geojson.stat().st_size / 1e6:.1f} MB GeoJSON")
    return html


def page(browser, folder: Path, home: Path) -> None:
    port = free_port()
    env = {"HOME": str(home), "STORYMAP_DB": str(home / "stories.db"),
           "STORYMAP_CORPUS": str(folder),
           "STORYMAP_CACHE_DIR": os.environ.get("STORYMAP_CACHE_DIR",
                                                str(Path.home() / ".cache" / "storymap"))}
    t0 = time.perf_counter()
    proc = start_streamlit(port, env)
    try:
        tab = browser.new_page(viewport={"width": 1440, "height": 900})
        offline(tab, [])
        tab.goto(f"http://127.0.0.1:{port}/")
        wait_for_map(tab, timeout=600_000)
        first = time.perf_counter() - t0
        tab.wait_for_timeout(2000)  # let the page finish below the map (table, matrix)
        frame = tab.locator(MAP_FRAME).element_handle().content_frame()
        nodes = tab.evaluate(DOM_NODES) + frame.evaluate(DOM_NODES)
        places = frame.evaluate(COUNT_PLACES)
        print(f"page               first marker {first:6.1f} s after `streamlit run` "
              f"(parsing included); {places} places; DOM {nodes:,} nodes (page + map)")
        print(f"                   server RSS after the first view {rss_mb(proc.pid):.0f} MB")
        times, shown = [], ""
        for pid in frame.evaluate(MARKER_IDS)[:5]:
            click_place(tab, pid)
            t = time.perf_counter()
            tab.wait_for_function(  # the panel names another place than before
                "([sel, was]) => { const h = document.querySelector(sel);"
                " return h && h.textContent && h.textContent !== was; }",
                arg=[PANEL_TITLE, shown], timeout=30_000)
            times.append(time.perf_counter() - t)
            shown = tab.locator(PANEL_TITLE).first.text_content()
        if times:
            print(f"                   click -> panel {', '.join(f'{1000 * x:.0f}' for x in times)}"
                  f" ms; server RSS {rss_mb(proc.pid):.0f} MB")
        tab.close()
    finally:
        stop(proc)


def open_export(browser, html: Path) -> None:
    tab = browser.new_page(viewport={"width": 1440, "height": 900})
    tab.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
              else r.abort())  # the file itself only: no network
    t0 = time.perf_counter()
    tab.goto(html.as_uri())
    tab.locator(".storymap-pin, .marker-cluster").first.wait_for(timeout=120_000)
    print(f"export             open -> markers {time.perf_counter() - t0:5.2f} s (file://, offline)")
    tab.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--outlets", type=int, default=12)
    args = ap.parse_args()
    print(f"{args.articles} articles, {args.outlets} outlets ({os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f})")
    with tempfile.TemporaryDirectory() as tmp:
        folder, home = Path(tmp) / "corpus", Path(tmp) / "home"
        folder.mkdir()
        home.mkdir()
        write_corpus(folder, args.articles, args.outlets)
        html = build(folder, Path(tmp))
        if not Path(CHROMIUM).exists():
            print("(no /usr/bin/chromium: page and export figures skipped)")
            return
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = launch(p)
            try:
                page(browser, folder, home)
                open_export(browser, html)
            finally:
                browser.close()


if __name__ == "__main__":
    main()
