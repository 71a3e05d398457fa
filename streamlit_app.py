"""Storymap page: the story's places on a map; click one to see what every source says.

``scripts/run.sh`` serves it with ``streamlit run serve.py``, which also warms the page's
first run while the first browser loads (``streamlit run streamlit_app.py`` works too, but
its first reader waits for that). The page only wires widgets to ``geo``: ``geo.page.view``
computes what is shown, ``geo.maps.render`` draws the map, ``geo.page.stories`` holds the story
tools. Stories are kept in ``STORYMAP_DB`` (default: the user's data folder);
``STORYMAP_CORPUS`` is the folder the seed story is made from on first use (default:
``corpus/``).
"""
from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

st.set_page_config(page_title="Storymap", page_icon="🗺️", layout="wide",
                   initial_sidebar_state=440)  # wide enough for the places table

from streamlit_folium import st_folium  # noqa: E402

from geo.export.geojson import dumps  # noqa: E402
from geo.maps.assets import use_vendored_assets  # noqa: E402
from geo.maps.render import build_map, standalone_html  # noqa: E402
from geo.models import StoryMap  # noqa: E402
from geo.page import stories as page_stories  # noqa: E402
from geo.page import view  # noqa: E402

CORPUS = Path(os.environ.get("STORYMAP_CORPUS") or Path(__file__).parent / "corpus")
MAP_KEY = "map"
TABLE_KEY = "places_table"
#: The places table's expander: closed, the table is not built and the browser does not
#: load the table's code (~1.2 MB of JavaScript, 0.3 s of a 2-core machine's opening view).
TABLE_OPEN = "places_table_open"


@st.cache_resource(show_spinner=False)
def settled_at_start() -> None:
    page_stories.settle_long_lived()


@st.cache_data(show_spinner=False, max_entries=4)
def export_html(key: str, _story: StoryMap) -> str:
    return standalone_html(_story)


@st.cache_data(show_spinner=False, max_entries=4)
def export_geojson(key: str, _story: StoryMap) -> str:
    return dumps(_story)


def on_map_change(story_key: str, name: str) -> None:
    """A click on the map selects a place; a pan or a zoom is kept as the URL's view. Both
    rerun only the map's fragment: the URL is set here."""
    returned = st.session_state.get(MAP_KEY) or {}
    before = st.session_state.get("_returned") or {}
    st.session_state["_returned"] = returned
    story = st.session_state.get("_story")
    if story is None or st.session_state.get("_story_key") != story_key:
        return
    if any(returned.get(k) != before.get(k) for k in view.CLICK_KEYS):
        pid = view.place_id_from_click(story, returned)
        if pid:
            st.session_state["place"] = pid
    shown = view.map_view(returned)
    if shown is not None:
        st.session_state["view"] = shown
    set_url(story, name)


def set_url(story: StoryMap, name: str) -> None:
    """The URL from the page's state, whole: a fragment's run starts from the browser's
    URL, which may be a run behind."""
    st.query_params.from_dict({**view.params_from_state(story, st.session_state),
                               page_stories.STORY: name})


def on_search() -> None:
    pid = st.session_state.get("f_search")
    sp = st.session_state["_story"].place(pid) if pid else None
    if sp is not None:
        st.session_state["place"] = pid
        st.session_state["focus"] = view.focus_view(sp.place)


def on_table_select() -> None:
    rows = st.session_state[TABLE_KEY].selection.rows
    ids = st.session_state.get("_table_ids", [])
    if rows and rows[0] < len(ids):
        st.session_state["place"] = ids[rows[0]]
        sp = st.session_state["_story"].place(ids[rows[0]])
        if sp is not None:  # pan the map there (st_folium moves it without reloading)
            st.session_state["focus"] = view.focus_view(sp.place)


# -- the story: kept in the story database, chosen, added to -------------------------------
pipeline = page_stories.load_pipeline  # spaCy: loaded only when something needs parsing
settled_at_start()
with st.sidebar:
    st.header("Story")
    store = page_stories.open_store(CORPUS, pipeline)
    name = page_stories.story_switcher(store)
    loaded = page_stories.load(store, name) if name else None
    if loaded and page_stories.import_tools(store, name, pipeline, not loaded.story.articles):
        loaded = page_stories.load(store, name)  # with what was just added
if loaded is None or not loaded.story.articles:
    st.title("Storymap")
    st.info("Make a story in the sidebar." if loaded is None else
            "This story has no articles yet: add files, pasted text or a web page in the "
            "sidebar.")
    st.stop()
with st.sidebar:
    page_stories.article_tools(store, name, pipeline, loaded)
    page_stories.correction_list(store, loaded)

story, story_key = loaded.story, loaded.key
# -- filters (from the URL on a first visit, carried over when the story changes), search,
# and the places table -------------------------------------------------------------------
if st.session_state.get("_restored") != story_key:  # a first visit, or a new version
    previous = st.session_state.get("_story") if "_restored" in st.session_state else None
    if previous is None:
        restored = view.state_from_params(story, st.query_params.to_dict(),
                                          {k: st.query_params.get_all(k)
                                           for k in view.LIST_PARAMS})
    else:
        restored = view.carried_state(previous, story, st.session_state)
        for key in ("place", "focus", "view", "opening_view", "_returned"):
            st.session_state.pop(key, None)  # the old selection and view, unless carried
    st.session_state.update(restored)
    st.session_state["_restored"] = story_key
st.session_state["_story_key"] = story_key
st.session_state["_story"] = story
with st.sidebar:
    st.header("Filter")
    chosen_sources = st.multiselect("Sources", story.sources, key="f_sources",
                                    placeholder=f"All {len(story.sources)} sources")
    kinds = view.kinds_of(story)
    chosen_kinds = st.multiselect("Kinds of place", kinds, key="f_kinds")
    span = view.date_span(story)
    since, until = (st.slider("Published", span[0], span[1], key="f_dates")
                    if span and span[0] < span[1] else (None, None))
told = view.restrict(story, sources=chosen_sources or None, since=since, until=until)
with st.sidebar:
    n_sources = len(told.sources)
    if st.session_state.get("min_sources", 1) > max(n_sources, 1):  # fewer sources chosen
        st.session_state["min_sources"] = max(n_sources, 1)
    min_sources = (st.slider("Named by at least … sources", 1, n_sources, key="min_sources")
                   if n_sources > 1 else 1)
shown = view.filter_places(told, kinds=chosen_kinds, min_sources=min_sources)
st.session_state["_table_ids"] = [sp.place.id for sp in shown]
with st.sidebar:
    names = {sp.place.id: sp.place.name for sp in shown}
    st.selectbox("Find a place", list(names), index=None, key="f_search",
                 format_func=names.__getitem__,
                 placeholder="Type a place's name", on_change=on_search)
    st.header("Places")
    table_box = st.container()  # filled after the map, so the map reaches the browser first
set_url(story, name)

# -- the page ---------------------------------------------------------------------------
@st.fragment
def map_and_panel(story: StoryMap, story_key: str, shown_ids: frozenset[str],
                  title: str) -> None:
    """The map and the side panel: a click on the map reruns only this fragment, never the
    page (table, matrix, sidebar). st_folium renders the map from its folium tree on every
    run (reusing a rendered tree changes what it emits), but the map's script outlines the
    clicked place itself, so a click leaves the map's message unchanged and the browser
    takes it from its cache."""
    if story_key != st.session_state.get("_story_key"):
        # a map event sent before the story changed (a correction, an import) reran this
        # with the old story: draw the page as it is now instead
        st.rerun()
    left, right = st.columns([5, 3], gap="medium")
    with left:
        # a place picked in the table or the search box, else the view of a shared URL
        focus, opening = st.session_state.get("focus"), st.session_state.get("opening_view")
        shown_view = focus or opening
        centre, zoom = ((shown_view[0], shown_view[1]), shown_view[2]) if shown_view \
            else (None, None)
        # The map's own folded panel: the articles in time, and "Play the story".
        m = use_vendored_assets(build_map(story, place_ids=set(shown_ids), popups=False,
                                          title=title, page=True), "data_url")
        st_folium(m, key=MAP_KEY, height=560, use_container_width=True,
                  returned_objects=list(view.RETURNED_OBJECTS),
                  center=centre, zoom=zoom, on_change=lambda: on_map_change(story_key, title))
        st.caption("Map tiles come from OpenStreetMap and need a network; offline, the "
                   "country outlines bundled with the app are shown instead. Places: "
                   "[GeoNames](https://www.geonames.org/) (CC BY 4.0); outlines: "
                   "[Natural Earth](https://www.naturalearthdata.com/).")
    with right:
        selected = view.panel(story, st.session_state.get("place"))
        if selected is None:
            st.info("Click a marker on the map, or pick a place in the sidebar's table, to "
                    "see what every source says about it.")
        else:
            if selected.place_id not in shown_ids:
                st.caption("This place is hidden by the current filters.")
            st.markdown(view.panel_html(selected), unsafe_allow_html=True)
            page_stories.correction_tools(store, loaded, selected.place_id)


st.title("Storymap")
st.caption(view.summary(told, shown))
# The map and its panel take longest to build and to draw, so the rest of the page is sent
# first: the browser fetches the code of its widgets (HTML tables, downloads, buttons) while
# the map is built, instead of one kind after another once the map has arrived.
map_box = st.container()
st.subheader("Who names what")
matrix = view.source_matrix(told, shown[:view.MATRIX_ROWS])
if matrix.rows:
    st.markdown(view.matrix_html(matrix), unsafe_allow_html=True)
    st.caption(f"✓ = named (with the count when more than once). Highlighted: the "
               f"{sum(1 for o in matrix.only if o)} places only one source names.")
    if len(shown) > len(matrix.rows):
        st.download_button(
            f"The {len(matrix.rows)} places most sources name are shown, of {len(shown)}: "
            "the whole table (CSV)",
            lambda: view.matrix_csv(view.source_matrix(told, shown)),
            file_name="storymap-who-names-what.csv", mime="text/csv", key="dl_matrix",
            on_click="ignore")
else:
    st.caption("No place matches the filters.")
page_stories.unplaced_tools(store, loaded)

with st.sidebar:
    st.header("Export")
    # Built only when clicked (on a thread of its own), so they never slow the page down.
    exported = StoryMap(told.articles, tuple(shown), told.unresolved)
    export_key = (f"{story_key}:{view.ids_key(sp.place.id for sp in shown)}:"
                  f"{view.ids_key(a.id for a in told.articles)}")
    st.download_button("Standalone map (HTML)", lambda: export_html(export_key, exported),
                       file_name="storymap.html", mime="text/html", key="dl_html",
                       on_click="ignore", help="One file with everything inlined: opens "
                       "offline in any browser.")
    st.download_button("Places (GeoJSON)", lambda: export_geojson(export_key, exported),
                       file_name="storymap.geojson", mime="application/geo+json",
                       key="dl_geojson", on_click="ignore")
    st.caption("The exports hold what the filters show.")
    st.caption("Place names and coordinates: [GeoNames](https://www.geonames.org/), "
               "CC BY 4.0.")

with map_box:
    map_and_panel(told, story_key, frozenset(sp.place.id for sp in shown), name)

with table_box:
    if (box := page_stories.opened("Table of places", TABLE_OPEN)) is not None:
        with box:
            st.dataframe(view.place_table(shown), key=TABLE_KEY, on_select=on_table_select,
                         selection_mode="single-row", hide_index=True, width="stretch",
                         column_config={
                             "Place": st.column_config.TextColumn(width=140),
                             "Kind": st.column_config.TextColumn(width=72),
                             "Sources": st.column_config.NumberColumn(width=64,
                                                                      help="Sources naming it"),
                             "Mentions": st.column_config.NumberColumn(width=72)},
                         height=min(38 + 35 * max(len(shown), 1), 420))
            st.caption("Pick a row, or click a marker, to see what each source says.")
