"""The page's story tools as Streamlit widgets: the story database, the story switcher,
making, renaming and deleting stories, updating a story mapped by an earlier geoparser,
adding articles (files, pasted text, a web page), removing one, and correcting a place or
placing an unplaced mention.

``streamlit_app.py`` calls these in order; what they show is computed in
``geo.page.state``. Stories live in ``geo.story.store`` (``STORYMAP_DB``), so a restart or a
second browser finds them as they were. A database that cannot be used (busy, read-only,
from a newer Storymap) is an ``st.error`` saying so, never a traceback.
"""
from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from geo.errors import ArticleError, StorymapError
from geo.ingest.articles import LoadResult, load_corpus
from geo.ingest.importing import fetch_article, load_files, pasted_article
from geo.maps.mapdata import display_title
from geo.models import Mention, Place
from geo.page import state as page_state
from geo.page import view
from geo.story.corrections import choose, not_a_place, pin
from geo.story.store import Store, default_path
from geo.story.stories import (
    current_story,
    import_articles,
    is_stale,
    needs_seed,
    refresh,
    remove_article,
    seed,
)

if TYPE_CHECKING:
    from streamlit.delta_generator import DeltaGenerator
    from streamlit.elements.lib.mutable_expander_container import ExpanderContainer

    from geo.pipeline import Pipeline

#: The page's pipeline, loaded (and cached) by the page only when something needs parsing.
Loader = Callable[[], "Pipeline"]

#: The story select box's key; the URL parameter naming the story is ``story``.
STORY = "story"
#: The page's view of one story: forgotten when another story is shown.
VIEW_KEYS = ("f_sources", "f_kinds", "f_dates", "min_sources", "place", "focus", "f_search",
             "_restored", "_report", "_placing")
#: Unplaced mentions listed at most (the rest are counted).
MAX_UNPLACED = 40
UPLOAD_TYPES = ["txt", "md", "html", "htm", "jsonl"]
#: The key of the "Wrong place?" expander (True while open).
WRONG_PLACE = "wrong_place"


def settle_long_lived() -> None:
    """Moves what lives as long as the server (modules, the model, the gazetteer) out of the
    garbage collector's reach. Streamlit collects all generations after every run, and
    walking those objects held the GIL ~30-60 ms per click: under 20 readers, most of a
    click's cost. The run's own objects are still collected after it."""
    gc.collect()
    gc.freeze()


@st.cache_resource(show_spinner="Loading the language model and gazetteer…")
def load_pipeline() -> Pipeline:
    """The language model and gazetteer, loaded once per process (the first run of a new
    story database needs them; ``serve.py`` starts loading them then, before a browser
    connects). spaCy is imported only here."""
    from geo.pipeline import Pipeline

    loaded = Pipeline.load()
    settle_long_lived()
    return loaded


@st.cache_resource(show_spinner=False, max_entries=8)
def _load(path: str, name: str, revision: int, _store: Store) -> page_state.Loaded:
    """A story read once per (database, name, revision), shared by every session: a map
    click, which reruns only the map's fragment, never reads SQLite."""
    return page_state.load(_store, name, revision)


def preload(store: Store) -> None:
    """Reads the story a first visit opens (the one last switched to, else the first) into
    the page's cache. ``serve.py`` calls it at start-up, so the first reader does not wait
    for SQLite (0.1-0.3 s of a restart's first run on a 2-core machine)."""
    name = page_state.pick_story(store.names(), None, current_story(store))
    if name:
        _load(str(store.path), name, store.revision(), store)


def opened(label: str, key: str, expanded: bool = False) -> ExpanderContainer | None:
    """An expander whose contents are built only while it is open (None when closed): the
    story tools cost the opening view nothing, neither in the run nor in the browser,
    which loads the code of every kind of widget it is sent. Keyed, it stays open across
    reruns; opening it reruns the page."""
    box = st.expander(label, expanded=expanded, key=key, on_change="rerun")
    return box if box.open else None


def _error(exc: StorymapError) -> None:
    st.error(view.md_escape(str(exc)))


@contextmanager
def reported() -> Iterator[None]:
    """Shows a store, story or article error where the action was, and goes on."""
    try:
        yield
    except StorymapError as exc:
        _error(exc)


def _flash(action: Callable[[], None]) -> None:
    """Runs a callback's action; its error is kept and shown by ``_show_flash`` (a
    callback's own output would land at the top of the page)."""
    try:
        action()
    except StorymapError as exc:
        st.session_state["_flash"] = str(exc)


def _show_flash() -> None:
    if message := st.session_state.pop("_flash", None):
        st.error(view.md_escape(message))


# -- the database and the seed story -------------------------------------------------------

def open_store(corpus: Path, pipeline: Loader) -> Store:
    """This session's connection to the story database (one per session, so writes never
    share a transaction), with the seed story made from ``corpus`` on its first use. Stops
    the page with an error when the database cannot be used."""
    path = default_path()
    store = st.session_state.get("_store")
    try:
        if store is None or store.path != path:
            store = st.session_state["_store"] = Store.open(path)
        if needs_seed(store):
            _seed(store, corpus, pipeline)
    except StorymapError as exc:
        st.title("Storymap")
        _error(exc)
        st.stop()
    return store


def _seed(store: Store, corpus: Path, pipeline: Loader) -> None:
    loaded = load_corpus(corpus)
    bar = st.progress(0.0, f"Geoparsing the {len(loaded.articles)} articles of the seed story…")
    seed(store, loaded.articles, pipeline(), _progress(bar))
    bar.empty()
    st.session_state["_report"] = page_state.report(loaded, None)


def _progress(bar: DeltaGenerator) -> Callable[[int, int, str], None]:
    """The pipeline's progress callback, moving ``bar``."""
    def progress(done: int, total: int, what: str) -> None:
        bar.progress(done / max(total, 1), f"Geoparsed {done} of {total}: {view.md_escape(what)}")
    return progress


def load(store: Store, name: str) -> page_state.Loaded:
    """The story as the page shows it (cached); stops the page on a database error."""
    try:
        return _load(str(store.path), name, store.revision(), store)
    except StorymapError as exc:
        _error(exc)
        st.stop()


# -- choosing, making, renaming, deleting stories -----------------------------------------

def forget_view() -> None:
    """Another story: its filters and selection start afresh (and leave the URL)."""
    for k in VIEW_KEYS:
        st.session_state.pop(k, None)
    st.query_params.clear()


def _show(store: Store, name: str) -> None:
    store.set_setting("current", name)
    st.session_state[STORY] = name
    forget_view()


def _switched(store: Store) -> None:
    _flash(lambda: _show(store, st.session_state[STORY]))


def _create(store: Store) -> None:
    def action() -> None:
        _show(store, store.create(st.session_state.get("new_story", "")))
        st.session_state["new_story"] = ""
    _flash(action)


def _rename(store: Store, old: str) -> None:
    def action() -> None:
        new = store.rename(old, st.session_state.get("rename_story", ""))
        st.session_state[STORY] = new
        st.session_state["rename_story"] = ""
    _flash(action)


def _delete(store: Store, name: str) -> None:
    def action() -> None:
        store.delete(name)
        st.session_state["confirm_delete"] = False
        st.session_state.pop(STORY, None)
        forget_view()
    _flash(action)


def story_switcher(store: Store) -> str | None:
    """The story select box and the tools to make, rename and delete stories; the story
    shown (None when there is none). A first visit opens the URL's story, else the one
    last switched to (by anyone), else the first."""
    _show_flash()
    try:
        names = store.names()
        if st.session_state.get(STORY) not in names:
            st.session_state[STORY] = page_state.pick_story(
                names, st.query_params.get(STORY), current_story(store))
    except StorymapError as exc:
        _error(exc)
        st.stop()
    name = st.session_state.get(STORY)
    if name:
        st.selectbox("Story shown", names, key=STORY, on_change=_switched, args=(store,),
                     label_visibility="collapsed")
    if box := opened("New, rename, delete", "manage_stories", expanded=not name):
        with box:
            st.text_input("New story's name", key="new_story", max_chars=80)
            st.button("Create the story", on_click=_create, args=(store,))
            if name:
                shown = view.md_escape(name)  # widget labels are Markdown
                st.text_input(f"Rename “{shown}” to", key="rename_story", max_chars=80)
                st.button("Rename", on_click=_rename, args=(store, name))
                sure = st.checkbox(f"Yes, delete “{shown}” and its articles",
                                   key="confirm_delete")
                st.button("Delete the story", disabled=not sure, on_click=_delete,
                          args=(store, name))
    return name


# -- adding and removing articles -----------------------------------------------------------

def update_tool(store: Store, name: str, pipeline: Loader) -> None:
    """For a story mapped by an earlier geoparser: a note, and a button that maps it again
    with a progress bar, then shows the new map (corrections still apply)."""
    with reported():
        if not is_stale(store, name):
            return
        n = store.info(name).articles
        st.caption("Mapped by an earlier version of the geoparser.")
        if not st.button(f"Update the map ({n} article{'' if n == 1 else 's'})",
                         key="refresh_story"):
            return
        bar = st.progress(0.0, f"Geoparsing the story again ({n} articles)…")
        try:
            refresh(store, name, pipeline(), _progress(bar))
        finally:
            bar.empty()
        st.session_state["_report"] = page_state.Report("The map is up to date.", (), ())
        st.rerun()


def import_tools(store: Store, name: str, pipeline: Loader, empty: bool) -> bool:
    """A stale story's update (``update_tool``), then files, pasted text and (opt-in) a web
    page, each added to the story ``name``; the last import's report stays until the next
    one. True if articles were added."""
    update_tool(store, name, pipeline)
    added = False
    if box := opened("Add articles", "add_articles", expanded=empty):
        with box:
            files_tab, paste_tab, web_tab = st.tabs(["Files", "Paste", "Web page"])
            with files_tab:
                added = _files_form(store, name, pipeline)
            with paste_tab:
                added = _paste_form(store, name, pipeline) or added
            with web_tab:
                added = _web_form(store, name, pipeline) or added
    _show_report()
    return added


def _files_form(store: Store, name: str, pipeline: Loader) -> bool:
    with st.form("add_files", clear_on_submit=True, border=False):
        files = st.file_uploader("Article files", type=UPLOAD_TYPES, accept_multiple_files=True,
                                 help=".txt and .md (optional YAML front matter: source, "
                                 "title, url, published), saved web pages (.html), or "
                                 '.jsonl, one {"text", "source", …} per line')
        sent = st.form_submit_button("Add the files")
    return bool(sent and files) and _import(
        store, name, pipeline, load_files((Path(f.name).name, f.getvalue()) for f in files))


def _paste_form(store: Store, name: str, pipeline: Loader) -> bool:
    n = st.session_state.get("_pasted", 0)  # a new key empties the form after a success
    with st.form("paste", border=False):
        text = st.text_area("Article text", key=f"paste_text_{n}", height=140)
        source = st.text_input("Source", key=f"paste_source_{n}", placeholder="optional")
        title = st.text_input("Title", key=f"paste_title_{n}", placeholder="optional")
        url = st.text_input("Web address", key=f"paste_url_{n}", placeholder="optional")
        published = st.text_input("Published", key=f"paste_date_{n}",
                                  placeholder="optional, YYYY-MM-DD")
        sent = st.form_submit_button("Add the text")
    if not sent:
        return False
    loaded = LoadResult()
    try:
        loaded.articles.append(pasted_article(text, source=source, title=title, url=url,
                                              published=published))
    except ArticleError as exc:
        loaded.problems.append(exc)
    if _import(store, name, pipeline, loaded):  # an empty form for the next text (a
        st.session_state["_pasted"] = n + 1    # refused one stays, to be fixed)
        st.rerun()
    return False


def _web_form(store: Store, name: str, pipeline: Loader) -> bool:
    if not st.toggle("Fetch web pages", key="allow_fetch",
                     help="Off unless you turn it on: the only part of Storymap that goes "
                          "online. Offline, save the page and add it as a file."):
        st.caption("Turn on to add an article from its web address (needs the internet).")
        return False
    with st.form("fetch", clear_on_submit=True, border=False):
        url = st.text_input("Web address", placeholder="https://…")
        sent = st.form_submit_button("Fetch and add")
    if not (sent and url.strip()):
        return False
    loaded = LoadResult()
    with st.spinner("Fetching the page…"):
        try:
            loaded.articles.append(fetch_article(url))
        except ArticleError as exc:
            loaded.problems.append(exc)
    return _import(store, name, pipeline, loaded)


def _import(store: Store, name: str, pipeline: Loader, loaded: LoadResult) -> bool:
    """Adds the loaded articles to the story with a progress bar while new ones are
    geoparsed, and keeps the report; True if the import went through."""
    result = None
    if loaded.articles:
        bar = st.progress(0.0, f"Reading {len(loaded.articles)} article(s)…")
        try:
            result = import_articles(store, name, loaded.articles, pipeline(), _progress(bar))
        except StorymapError as exc:
            st.session_state["_flash"] = str(exc)
        finally:
            bar.empty()
    st.session_state["_report"] = page_state.report(loaded, result)
    return result is not None


def _show_report() -> None:
    rep: page_state.Report | None = st.session_state.get("_report")
    _show_flash()
    if rep is None:
        return
    if rep.done:
        st.success(view.md_escape(rep.done))
    for line in rep.refused:
        st.warning("Not added: " + view.md_escape(line))
    for line in rep.warnings:
        st.caption(view.md_escape(line))


def article_tools(store: Store, name: str, pipeline: Loader,
                  loaded: page_state.Loaded) -> None:
    """The story's articles, and removing one (its places go with it)."""
    articles = loaded.story.articles
    box = opened(f"Articles in this story ({len(articles)})", "story_articles")
    if box is None:
        return
    labels = {a.id: f"{a.source} · {display_title(a)}" for a in articles}
    with box:
        st.markdown("\n".join(f"- {view.md_escape(label)}" for label in labels.values()))
        st.selectbox("Remove an article", list(labels), index=None, key="remove_article",
                     format_func=labels.__getitem__, placeholder="Choose an article")
        st.button("Remove it from the story", key="remove_button",
                  disabled=st.session_state.get("remove_article") is None,
                  on_click=_remove, args=(store, name, pipeline))


def correction_list(store: Store, loaded: page_state.Loaded) -> None:
    """The story's corrections, newest first, and undoing one (the resolver's pick, or an
    earlier correction, shows again)."""
    if not loaded.corrections:
        return
    box = opened(f"Corrections ({len(loaded.corrections)})", "story_corrections")
    if box is None:
        return
    labels = {c.id: page_state.correction_label(c) for c in reversed(loaded.corrections)}
    with box:
        st.selectbox("Undo a correction", list(labels), index=None, key="undo_correction",
                     format_func=labels.__getitem__, placeholder="Choose a correction")
        st.button("Undo it", key="undo_button",
                  disabled=st.session_state.get("undo_correction") is None,
                  on_click=_undo, args=(store, loaded.name))


def _undo(store: Store, name: str) -> None:
    correction_id = st.session_state.pop("undo_correction", None)
    if correction_id is not None:
        _flash(lambda: store.remove_correction(name, correction_id))


def _remove(store: Store, name: str, pipeline: Loader) -> None:
    article_id = st.session_state.pop("remove_article", None)
    if article_id:
        _flash(lambda: remove_article(store, name, article_id, pipeline()))


# -- corrections ------------------------------------------------------------------------------

def correction_tools(store: Store, loaded: page_state.Loaded, place_id: str) -> None:
    """"Wrong place?" under the panel: pick one of the place's mentions, then correct it.
    Built only while open, so a click on the map sends no form."""
    mentions = page_state.place_mentions(loaded, place_id)
    if not mentions:
        return
    box = opened("Wrong place?", WRONG_PLACE)
    if box is None:
        return
    with box:
        labels = [page_state.mention_label(loaded, m) for m in mentions]
        i = (st.selectbox("Which mention", range(len(mentions)), key=f"fix_mention:{place_id}",
                          format_func=labels.__getitem__) if len(mentions) > 1 else 0)
        if len(mentions) == 1:
            st.caption(view.md_escape(labels[0]))
        m = mentions[i]
        correction_form(store, loaded, m, "fix")


def unplaced_tools(store: Store, loaded: page_state.Loaded) -> None:
    """The mentions no place was found for, each with its quote and "Place it"."""
    if not loaded.unplaced:
        return
    st.subheader(f"Not placed ({len(loaded.unplaced)})")
    st.caption("Names the gazetteer could not place. Place one by hand, or mark it as no "
               "place.")
    placing = st.session_state.get("_placing")
    for i, u in enumerate(loaded.unplaced[:MAX_UNPLACED]):
        text, button = st.columns([6, 1], vertical_alignment="center")
        text.markdown(f"<div class='storymap-unplaced'>{u.html()}</div>",
                      unsafe_allow_html=True)
        key = page_state.mention_key(u.mention)
        button.button("Place it", key=f"place_it_{i}", on_click=st.session_state.__setitem__,
                      args=("_placing", key))
        if key == placing:
            with st.container(border=True):
                correction_form(store, loaded, u.mention, "place_it")
    if len(loaded.unplaced) > MAX_UNPLACED:
        st.caption(f"… and {len(loaded.unplaced) - MAX_UNPLACED} more.")


def correction_form(store: Store, loaded: page_state.Loaded, m: Mention, key: str) -> None:
    """The mention's candidates and why it is where it is; then one of them, a pin, or "not
    a place", for this mention or every mention of the name. Saved, then the page reruns
    with the corrected place selected."""
    place = _place_of(loaded, m)
    st.caption(view.md_escape(page_state.why(m, place)))
    if m.candidates:
        st.table(page_state.candidate_rows(m, place.id if place else None), hide_index=True)
    at = place or (m.candidates[0] if m.candidates else None)
    ident = f"{key}:{m.article_id}:{m.start}"
    with st.form(f"{ident}:form", border=False):
        every = st.radio("Correct", ["this mention", page_state.every_label(m)],
                         key=f"{ident}:scope", horizontal=True,
                         format_func=view.md_escape) != "this mention"  # options are Markdown
        alt = None
        if m.candidates:
            labels = [page_state.candidate_label(a) for a in m.candidates]
            alt = m.candidates[st.selectbox("It is", range(len(labels)), key=f"{ident}:alt",
                                            format_func=labels.__getitem__)]
        use = st.form_submit_button("Use this place", disabled=not m.candidates)
        st.caption("Or drop a pin where it really is:")
        lat_box, lon_box = st.columns(2)
        lat = lat_box.number_input("Latitude", -90.0, 90.0, at.lat if at else 0.0,
                                   format="%.4f", key=f"{ident}:lat")
        lon = lon_box.number_input("Longitude", -180.0, 180.0, at.lon if at else 0.0,
                                   format="%.4f", key=f"{ident}:lon")
        name = st.text_input("Pin's name", m.text, key=f"{ident}:name", max_chars=200)
        drop = st.form_submit_button("Drop a pin here")
        st.caption("Or the name is no place here (a person, a team, a ship):")
        off = st.form_submit_button("Not a place")
    if use or drop or off:
        with reported():
            correction = (choose(m, alt, every=every) if use and alt is not None
                          else pin(m, lat, lon, name, every=every) if drop
                          else not_a_place(m, every=every))
            store.add_correction(loaded.name, correction)
            _select(correction.place.id if correction.place else None)
            st.session_state.pop("_placing", None)
            st.rerun()


def _place_of(loaded: page_state.Loaded, m: Mention) -> Place | None:
    """The place the story now gives the mention (after corrections), if any."""
    return next((sp.place for sp in loaded.story.places for q in sp.quotes
                 if (q.article_id, q.start) == (m.article_id, m.start)), None)


def _select(place_id: str | None) -> None:
    """After a correction, show the place the mention now has (if it has one)."""
    if place_id:
        st.session_state["place"] = place_id


__all__ = ["article_tools", "correction_form", "correction_list", "correction_tools",
           "forget_view",
           "import_tools", "load", "open_store", "reported",
           "story_switcher", "unplaced_tools", "update_tool"]
