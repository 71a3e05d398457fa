"""Storymap's server: ``streamlit run serve.py`` serves the page, ``streamlit_app.py``, and
warms it while the first browser is still loading (``scripts/run.sh`` runs it).

Streamlit runs a page only when a browser connects, so the first reader after a start also
waited for the page's first imports (folium, pandas, the map code) and data files: its run
took ~1.1 s on a 2-core machine, ~0.2 s warmed, and came after the second or so the browser
spends loading Streamlit's own JavaScript. ``st.App``'s lifespan runs when the server
starts; it starts the warming on a thread of its own, so the server answers at once, and a
page run that needs a module still being imported waits for that import (Python's import
lock) instead of doing it again.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st
from streamlit.logger import get_logger

LOG = get_logger(__name__)
WARM_THREAD = "storymap-warm"


def warm() -> None:
    """Imports what the page's first run imports, reads what its map reads and the story a
    first visit opens (into the page's cache), then moves it all out of the garbage
    collector's reach (as the page's first run would). On a new story database, whose first
    run parses the seed story, loads the language model instead (into the page's cache)."""
    # streamlit_folium's imports (folium, branca, jinja2, pandas), not streamlit_folium
    # itself: it registers its component only when imported by a page run.
    import folium.plugins  # noqa: F401
    import pandas  # noqa: F401
    import pyarrow  # noqa: F401  (the places table's)
    import streamlit.emojis  # noqa: F401  (the page icon's)

    from geo.errors import StorymapError
    from geo.export import geojson  # noqa: F401
    from geo.maps import render
    from geo.page import stories as page_stories
    from geo.story.store import Store
    from geo.story.stories import needs_seed

    render.preload()
    try:
        with Store.open() as store:
            seeding = needs_seed(store)
            if not seeding:
                page_stories.preload(store)
    except StorymapError:  # the page says what is wrong with the database
        return
    finally:
        page_stories.settle_long_lived()
    if seeding:
        page_stories.load_pipeline()


def _not_warming(record: logging.LogRecord) -> bool:
    """Drops Streamlit's "missing ScriptRunContext" warnings of the warming thread: it fills
    the page's model cache outside a page run on purpose."""
    return record.threadName != WARM_THREAD


def _warm_in_background() -> None:
    try:
        warm()
    except Exception:  # the page does this work itself, and reports what fails
        LOG.warning("Warming the page at start-up failed", exc_info=True)


@asynccontextmanager
async def lifespan(_app: st.App) -> AsyncIterator[None]:
    get_logger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        _not_warming)
    threading.Thread(target=_warm_in_background, name=WARM_THREAD, daemon=True).start()
    yield


app = st.App("streamlit_app.py", lifespan=lifespan)
