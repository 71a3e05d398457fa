"""Many readers at once: N sessions click markers on one `streamlit run` server for T seconds.

Each reader speaks Streamlit's own websocket protocol (the protobuf messages its browser
client sends), so the figures are the server's, not N browsers' on the same two cores: a
reader opens the page, then clicks a random place of the story (the map component's value
becomes that place's tooltip, as st_folium sends it, and the fragment that holds the map
and the panel reruns), waits for the panel naming the place, thinks 0.5-1.5 s, and clicks
again. Prints errors, click-to-panel p50/p95/max, and the server's memory (RSS) before,
at its peak during, 30 s after the sessions end and once Streamlit has dropped their
state (its disconnected-session TTL, 120 s, plus 15 s).

    .venv/bin/python benchmarks/page_load.py [--sessions 20] [--seconds 60] [--corpus DIR]

Everything stays on 127.0.0.1; the loops are bounded in count and time.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_page_browser import free_port, start_streamlit, stop  # noqa: E402

#: Streamlit keeps a closed session's state this long for a reconnecting browser
#: (``server.disconnectedSessionTTL``): memory is judged again after it.
SESSION_TTL = 120
_PLACES = re.compile(r'storymapLayer\(\w+, JSON\.parse\(("(?:[^"\\]|\\.)*")\)\)')


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Reader:
    """One browser tab's worth of protocol: rerun requests out, deltas in."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.map_widget: str | None = None
        self.fragment: str = ""
        self.places: dict[str, str] = {}  # place id -> tooltip text
        self.clicks = 0
        self.cached: dict[str, str] = {}  # big messages kept by hash, as the browser keeps them

    async def connect(self):
        self.ws = await connect(self.url, subprotocols=["streamlit"], max_size=2**28)

    async def rerun(self, widget_json: str | None = None) -> list[ForwardMsg]:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = ""
        state.cached_message_hashes.extend(sorted(self.cached))
        if widget_json is not None and self.map_widget:
            w = state.widget_states.widgets.add()
            w.id, w.json_value = self.map_widget, widget_json
            state.fragment_id = self.fragment
        await self.ws.send(msg.SerializeToString())
        received = []
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), 30)
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            received.append(fwd)
            if fwd.metadata.cacheable:
                self.cached[fwd.hash] = fwd.delta.new_element.markdown.body
            kind = fwd.WhichOneof("type")
            if kind == "delta":
                self._learn(fwd)
            if kind == "script_finished":
                return received

    def _learn(self, fwd: ForwardMsg) -> None:
        """Remember the map component's widget id, its fragment, and the story's places."""
        delta = fwd.delta
        if delta.WhichOneof("type") != "new_element":
            return
        el = delta.new_element
        if el.WhichOneof("type") != "component_instance":
            return
        ci = el.component_instance
        if "st_folium" not in ci.component_name:
            return
        self.map_widget, self.fragment = ci.id, delta.fragment_id
        found = _PLACES.search(json.loads(ci.json_args).get("script", ""))
        if found:  # the map's data: one JSON string (see geo.maps.render.StoryLayer)
            data = json.loads(json.loads(found.group(1).replace("<\\!--", "<!--")))
            self.places = {p["id"]: re.sub(r"<[^>]+>", "", p["tooltip"]) for p in data["places"]}

    async def click(self, place_id: str) -> float:
        self.clicks += 1
        value = json.dumps({"last_object_clicked_tooltip": self.places[place_id],
                            "last_object_clicked_count": self.clicks})
        t0 = time.perf_counter()
        msgs = await self.rerun(value)
        elapsed = time.perf_counter() - t0
        bodies = [self.cached.get(m.ref_hash, "") if m.WhichOneof("type") == "ref_hash"
                  else m.delta.new_element.markdown.body for m in msgs]
        panel = any("storymap-panel" in body for body in bodies)
        if not panel:
            raise RuntimeError(f"no panel after clicking {place_id}")
        return elapsed


async def reader_loop(url: str, until: float, times: list[float], errors: list[str],
                      rng: random.Random) -> None:
    reader = Reader(url)
    try:
        await reader.connect()
        await reader.rerun()
        if not reader.places:
            raise RuntimeError("no map in the page")
        ids = sorted(reader.places)
        while time.monotonic() < until:
            times.append(await reader.click(rng.choice(ids)))
            await asyncio.sleep(rng.uniform(0.5, 1.5))
    except Exception as exc:  # counted and reported: a benchmark, not a test
        errors.append(f"{exc.__class__.__name__}: {exc}")
    finally:
        if getattr(reader, "ws", None) is not None:
            await reader.ws.close()


async def run(url: str, sessions: int, seconds: float, pid: int) -> dict:
    times: list[float] = []
    errors: list[str] = []
    peak = [rss_mb(pid)]

    async def sample() -> None:
        while True:
            peak.append(rss_mb(pid))
            await asyncio.sleep(0.5)

    sampler = asyncio.ensure_future(sample())
    until = time.monotonic() + seconds
    rng = random.Random(7)
    await asyncio.gather(*(reader_loop(url, until, times, errors, random.Random(rng.random()))
                           for _ in range(sessions)))
    sampler.cancel()
    return {"times": times, "errors": errors, "peak": max(peak)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--corpus", help="STORYMAP_CORPUS for the server (default: bundled)")
    args = ap.parse_args(argv)
    port = free_port()
    server = start_streamlit(port, {"STORYMAP_CORPUS": args.corpus} if args.corpus else None)
    url = f"ws://127.0.0.1:{port}/_stcore/stream"
    try:
        # A warm-up reader, so the story is geoparsed and cached before measuring (the
        # first run may end early while the pipeline loads: try again, a few times).
        for _ in range(3):
            warm = asyncio.run(run(url, 1, 0.1, server.pid))
            if not warm["errors"]:
                break
        else:
            print("warm-up failed:", warm["errors"][0])
            return 1
        before = rss_mb(server.pid)
        result = asyncio.run(run(url, args.sessions, args.seconds, server.pid))
        time.sleep(30)
        after = rss_mb(server.pid)
        time.sleep(SESSION_TTL + 15 - 30)  # Streamlit drops a closed session's state then
        settled = rss_mb(server.pid)
    finally:
        stop(server)
    t = sorted(result["times"])
    pct = (lambda q: t[min(len(t) - 1, int(q * len(t)))] if t else float("nan"))
    print(f"sessions {args.sessions}, {args.seconds:.0f} s: {len(t)} clicks, "
          f"{len(result['errors'])} errors")
    print(f"click-to-panel p50 {pct(.5) * 1000:.0f} ms, p95 {pct(.95) * 1000:.0f} ms, "
          f"max {t[-1] * 1000 if t else float('nan'):.0f} ms, "
          f"mean {statistics.fmean(t) * 1000 if t else float('nan'):.0f} ms")
    print(f"server RSS: before {before:.0f} MB, peak {result['peak']:.0f} MB, "
          f"30 s after {after:.0f} MB ({(after - before) / before * 100:+.0f}%), "
          f"{SESSION_TTL + 15} s after {settled:.0f} MB ({(settled - before) / before * 100:+.0f}%)")
    for e in sorted(set(result["errors"]))[:5]:
        print("error:", e)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
