"""What the Streamlit page shows, computed without Streamlit: filters, tables, the side panel.

    >>> from geo.page.view import filter_places, panel, panel_html      # doctest: +SKIP
    >>> shown = filter_places(story, min_sources=2)                   # doctest: +SKIP
    >>> html = panel_html(panel(story, shown[0].place.id))            # doctest: +SKIP

``streamlit_app.py`` only turns these values into widgets, so everything here is tested
without a browser (``tests/test_view.py``). Article text is hostile until escaped: every
string that reaches HTML goes through :func:`geo.maps.render.esc`, and links only keep
``http(s)`` URLs.
"""
from __future__ import annotations

import csv
import hashlib
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from geo.maps.mapdata import display_title, link, outlet_colours
from geo.maps.outlines import country_outline
from geo.maps.render import (
    CORRECTED_BADGE,
    esc,
    nearest_place_id,
    place_id_from_tooltip,
    sources_line,
)
from geo.models import Article, Place, Quote, StoryMap, StoryPlace

#: What the page asks ``st_folium`` to send back: a click's tooltip (which ends with the
#: place id) and the click counter, so clicking the same marker again still reruns; and
#: the map's view, so a pan or a zoom reruns the map's fragment (never the app) and the
#: URL keeps the view.
RETURNED_OBJECTS = ("last_object_clicked_tooltip", "last_object_clicked_count", "zoom",
                    "center")
#: What in a ``st_folium`` value changes with a click (the rest, with a pan or a zoom).
CLICK_KEYS = ("last_object_clicked_count", "last_object_clicked_tooltip")
#: A map view: centre latitude and longitude, zoom level.
View = tuple[float, float, int]


# -- cache keys --------------------------------------------------------------------------

def ids_key(ids: Iterable[str]) -> str:
    """A short digest of a set of ids (places shown, articles kept): part of the cache key
    of a filtered export."""
    return hashlib.sha256("\x00".join(sorted(ids)).encode("utf-8")).hexdigest()[:16]


# -- the page's state in its URL -------------------------------------------------------------

#: URL parameters that repeat, one value each (``?source=A&source=B``).
LIST_PARAMS = ("source", "kind")


def state_from_params(story: StoryMap, params: Mapping[str, str],
                      lists: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """The page's widget state from a shared URL, every value checked against the story
    (a stale or hand-made URL falls back to the defaults, never to an error)."""
    kinds = kinds_of(story)
    state: dict[str, Any] = {
        # None chosen means every source: a story from 60 outlets opens without 60 chips.
        "f_sources": [s for s in lists.get("source", ()) if s in story.sources],
        "f_kinds": [k for k in lists.get("kind", ()) if k in kinds] or kinds}
    try:
        state["min_sources"] = min(max(1, int(params.get("min", "1"))), max(1, len(story.sources)))
    except ValueError:
        state["min_sources"] = 1
    span = date_span(story)
    if span and span[0] < span[1]:
        def day(key: str, default: date) -> date:
            try:
                return min(max(date.fromisoformat(params.get(key, "")), span[0]), span[1])
            except ValueError:
                return default
        since, until = day("from", span[0]), day("to", span[1])
        state["f_dates"] = (since, until) if since <= until else span
    if story.place(params.get("place", "")) is not None:
        state["place"] = params["place"]
    shared = parse_view(params.get("view", ""))
    if shared is not None:
        state["view"] = state["opening_view"] = shared
    return state


def params_from_state(story: StoryMap, state: Mapping[str, Any]) -> dict[str, Any]:
    """The URL parameters that reproduce the page's view; defaults are left out."""
    out: dict[str, Any] = {}
    if state.get("place"):
        out["place"] = state["place"]
    if state.get("f_sources") and set(state["f_sources"]) != set(story.sources):
        out["source"] = list(state["f_sources"])
    if state.get("f_kinds") is not None and set(state["f_kinds"]) != set(kinds_of(story)):
        out["kind"] = list(state["f_kinds"])
    if state.get("min_sources", 1) > 1:
        out["min"] = str(state["min_sources"])
    span, dates = date_span(story), state.get("f_dates")
    if span and dates and tuple(dates) != span:
        out["from"], out["to"] = dates[0].isoformat(), dates[1].isoformat()
    if state.get("view"):
        out["view"] = view_param(state["view"])
    return out


def carried_state(old: StoryMap, new: StoryMap, state: Mapping[str, Any]) -> dict[str, Any]:
    """The reader's view of a story carried to its next version (articles added, a place
    corrected): checked against the new story as a shared URL is, but read from the
    session. The browser's URL may be a message behind (a click sent before the last run's
    URL arrived) and would bring back an older selection."""
    params = params_from_state(old, state)
    lists = {k: params.pop(k) for k in LIST_PARAMS if k in params}
    return state_from_params(new, params, lists)


#: The zoom a place picked in the table or the search box is shown at when it has no
#: outline: a town with its surroundings, a facility closer.
FOCUS_ZOOM = {"continent": 3, "country": 4, "region": 6, "area": 6, "water": 5, "city": 8,
              "facility": 9}


def focus_view(p: Place) -> View:
    """The map view that shows a place picked outside the map: an outlined place whole
    (its largest part: Russia without the islands across the date line), else by kind."""
    outline = p.geometry or (country_outline(p.country_code) if p.kind == "country" else None)
    extent = _largest_extent(outline) if outline else None
    zoom = (max(2, min(9, int(math.log2(360 / max(extent, 0.05))) + 1)) if extent
            else FOCUS_ZOOM.get(p.kind, 7))
    return round(p.lat, 4), round(p.lon, 4), zoom


def _largest_extent(geometry: Mapping[str, Any]) -> float | None:
    """The larger side, in degrees, of the bounding box of a geometry's largest polygon
    (latitude counted 1.5 times: the map is wider than high)."""
    polygons = (geometry.get("coordinates") or []) if geometry.get("type") == "MultiPolygon" \
        else [geometry.get("coordinates") or []] if geometry.get("type") == "Polygon" else []
    best = None
    for rings in polygons:
        if not rings or not rings[0]:
            continue
        lons, lats = [c[0] for c in rings[0]], [c[1] for c in rings[0]]
        w, h = max(lons) - min(lons), max(lats) - min(lats)
        if best is None or w * h > best[0] * best[1]:
            best = (w, h)
    return max(best[0], 1.5 * best[1]) if best else None


def view_param(v: View) -> str:
    """A map view as the URL's ``view``: "lat,lon,zoom", to about 10 m."""
    return f"{v[0]:.4f},{v[1]:.4f},{v[2]}"


def parse_view(text: str) -> View | None:
    """The map view of a URL's ``view`` parameter, or None if it is not one."""
    try:
        lat, lon, zoom = text.split(",")
        v = (float(lat), float(lon), int(zoom))
    except ValueError:
        return None
    ok = -90 <= v[0] <= 90 and -180 <= v[1] <= 180 and 1 <= v[2] <= 19
    return v if ok else None


def map_view(returned: Mapping[str, Any] | None) -> View | None:
    """The map's view in a ``st_folium`` return value (its ``center`` and ``zoom``)."""
    centre = (returned or {}).get("center")
    if not isinstance(centre, Mapping):
        return None
    try:
        lat, lon, zoom = float(centre["lat"]), float(centre["lng"]), int(returned["zoom"])
    except (KeyError, TypeError, ValueError):
        return None
    # Leaflet lets a reader pan round the world: the same place, one longitude
    return parse_view(view_param((lat, (lon + 180) % 360 - 180, zoom)))


# -- filtering and tables -----------------------------------------------------------------

def kinds_of(story: StoryMap) -> list[str]:
    """The kinds of place present, most common first."""
    counts: dict[str, int] = {}
    for sp in story.places:
        counts[sp.place.kind] = counts.get(sp.place.kind, 0) + 1
    return sorted(counts, key=lambda k: (-counts[k], k))


def filter_places(story: StoryMap, *, sources: Iterable[str] | None = None,
                  kinds: Iterable[str] | None = None, min_sources: int = 1) -> list[StoryPlace]:
    """Places named by at least ``min_sources`` of the chosen ``sources`` (None: all
    sources), whose kind is one of ``kinds`` (None: any kind), in the story's order."""
    chosen = None if sources is None else set(sources)
    allowed = None if kinds is None else set(kinds)
    out = []
    for sp in story.places:
        if allowed is not None and sp.place.kind not in allowed:
            continue
        n = len(sp.sources) if chosen is None else sum(s in chosen for s in sp.sources)
        if n >= max(1, min_sources):
            out.append(sp)
    return out


def place_rows(places: Sequence[StoryPlace]) -> list[dict[str, Any]]:
    """The places table: one row per place, in the order given."""
    return [{"Place": sp.place.name, "Kind": sp.place.kind, "Sources": len(sp.sources),
             "Mentions": len(sp.quotes)} for sp in places]


def place_table(places: Sequence[StoryPlace]) -> dict[str, list[Any]]:
    """:func:`place_rows` as columns, which keeps the column names when there is no row."""
    cols: dict[str, list[Any]] = {"Place": [], "Kind": [], "Sources": [], "Mentions": []}
    for row in place_rows(places):
        for k, v in row.items():
            cols[k].append(v)
    return cols


def row_labels(places: Sequence[StoryPlace]) -> list[str]:
    """Place names, made unique (two places may share a name) for use as a table index."""
    seen: dict[str, int] = {}
    for sp in places:
        seen[sp.place.name] = seen.get(sp.place.name, 0) + 1
    return [sp.place.name if seen[sp.place.name] == 1 else f"{sp.place.name} ({sp.place.id})"
            for sp in places]


@dataclass(frozen=True)
class Matrix:
    """Mentions per (place, source): ``counts[i][j]`` for ``rows[i]`` and ``sources[j]``.

    ``only[i]`` is the one source naming ``rows[i]`` when exactly one does, else None:
    those are the places the page makes stand out.
    """

    rows: tuple[str, ...]
    place_ids: tuple[str, ...]
    sources: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    only: tuple[str | None, ...]

    def cells(self, mark: str = "✓") -> list[list[str]]:
        """``mark`` plus the count when above one (``✓ 3``), or "" for no mention."""
        return [["" if c == 0 else (mark if c == 1 else f"{mark} {c}") for c in row]
                for row in self.counts]


def matrix_html(m: Matrix) -> str:
    """The matrix as an HTML table (lighter than a data grid), text escaped; rows only one
    source names are shaded and say which source in their title."""
    colours = outlet_colours(m.sources)
    head = "".join(f"<th style='{_TH}'><span class='storymap-chip' style='display:inline-block;"
                   f"width:10px;height:10px;border-radius:50%;margin-right:4px;"
                   f"background:{colours[s]}'></span>{esc(s)}</th>" for s in m.sources)
    body = []
    for label, cells, only in zip(m.rows, m.cells(), m.only):
        shade = " style='background:#fde0c5'" if only else ""
        title = f" title='only {esc(only)}'" if only else ""
        tds = "".join(f"<td style='{_TD};text-align:center'>{c}</td>" for c in cells)
        body.append(f"<tr class='{'storymap-only' if only else ''}'{shade}{title}>"
                    f"<th style='{_TD};text-align:left'>{esc(label)}</th>{tds}</tr>")
    return ("<div class='storymap-matrix' style='overflow-x:auto'>"
            "<table style='border-collapse:collapse;font-size:.9em;width:100%'>"
            f"<thead><tr><th style='{_TH}'>Place</th>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></div>")


#: Places the page's matrix shows (the most-named first): a story of a thousand articles
#: names thousands of places, and a table of every place x every outlet would be most of
#: the page's weight; the whole matrix is a CSV download (:func:`matrix_csv`).
MATRIX_ROWS = 50
#: A cell starting with one of these is a formula to a spreadsheet: written as text.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def matrix_csv(m: Matrix) -> str:
    """The whole matrix as CSV (one row per place, a count per source), safe to open in a
    spreadsheet: names that would read as formulas are prefixed with an apostrophe."""
    def cell(text: str) -> str:
        return "'" + text if text.startswith(_FORMULA) else text
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Place", *map(cell, m.sources)])
    writer.writerows([cell(label), *row] for label, row in zip(m.rows, m.counts))
    return out.getvalue()


_TH = "padding:4px 8px;border-bottom:2px solid #ccc;text-align:center;vertical-align:bottom"
_TD = "padding:2px 8px;border-bottom:1px solid #eee"


def source_matrix(story: StoryMap, places: Sequence[StoryPlace]) -> Matrix:
    """Which source names which place, and how often."""
    sources = story.sources
    counts, only = [], []
    for sp in places:
        per = {s: 0 for s in sources}
        for q in sp.quotes:
            per[q.source] = per.get(q.source, 0) + 1
        counts.append(tuple(per[s] for s in sources))
        only.append(sp.sources[0] if len(sp.sources) == 1 else None)
    return Matrix(tuple(row_labels(places)), tuple(sp.place.id for sp in places),
                  tuple(sources), tuple(counts), tuple(only))


# -- the side panel ------------------------------------------------------------------------

@dataclass(frozen=True)
class ArticleRef:
    id: str
    title: str | None
    url: str | None  # only http(s) URLs are kept


@dataclass(frozen=True)
class Excerpt:
    """One sentence of one article, with every mention of the place in it."""

    article_id: str
    sentence: str
    spans: tuple[tuple[int, int], ...]  # offsets inside ``sentence``, sorted, disjoint
    government: bool = False  # the name stands for a government here ("Moscow said")
    corrected: bool = False  # a reader's correction placed a mention in it here

    def html(self) -> str:
        """The sentence escaped, each mention in ``<mark>``; newlines become spaces."""
        out, pos = [], 0
        for a, b in self.spans:
            out.append(f"{esc(self.sentence[pos:a])}<mark>{esc(self.sentence[a:b])}</mark>")
            pos = b
        out.append(esc(self.sentence[pos:]))
        return " ".join("".join(out).split())


@dataclass(frozen=True)
class SourceBlock:
    source: str
    articles: tuple[ArticleRef, ...]
    spellings: tuple[str, ...]  # most frequent first
    excerpts: tuple[Excerpt, ...]
    colour: str = "#e34a33"  # the outlet's colour on the map
    published: date | None = None  # its earliest article's date, if known


@dataclass(frozen=True)
class Panel:
    place_id: str
    name: str
    kind: str
    lat: float
    lon: float
    sources_line: str  # "4 of 5 sources"
    blocks: tuple[SourceBlock, ...]  # in order of first mention
    silent: tuple[str, ...]  # sources of the story that never name the place
    corrected: bool = False  # a reader placed at least one of its mentions by hand


def excerpts(quotes: Iterable[Quote]) -> tuple[Excerpt, ...]:
    """Quotes grouped by sentence, so a sentence naming the place twice appears once."""
    grouped: dict[tuple[str, int], tuple[str, list[tuple[int, int]]]] = {}
    government: set[tuple[str, int]] = set()
    corrected: set[tuple[str, int]] = set()
    for q in quotes:
        sentence, spans = grouped.setdefault((q.article_id, q.sentence_start), (q.sentence, []))
        if q.government:
            government.add((q.article_id, q.sentence_start))
        if q.corrected:
            corrected.add((q.article_id, q.sentence_start))
        a, b = q.highlight
        if 0 <= a <= b <= len(sentence):
            spans.append((a, b))
    out = []
    for (article_id, start), (sentence, spans) in grouped.items():
        merged: list[tuple[int, int]] = []
        for a, b in sorted(set(spans)):
            if merged and a < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
            else:
                merged.append((a, b))
        out.append(Excerpt(article_id, sentence, tuple(merged),
                           (article_id, start) in government, (article_id, start) in corrected))
    return tuple(out)


def panel(story: StoryMap, place_id: str | None) -> Panel | None:
    """What the side panel shows for a place, or None if the story has no such place.

    Sources come in the order they published (undated ones last, in story order), each in
    its colour on the map. Pass a :func:`restrict`-ed story to apply the page's filters."""
    sp = story.place(place_id) if place_id else None
    if sp is None:
        return None
    by_id = {a.id: a for a in story.articles}
    colours = outlet_colours(story.sources)
    blocks = []
    for source in sp.sources:
        quotes = [q for q in sp.quotes if q.source == source]
        refs = []
        for aid in dict.fromkeys(q.article_id for q in quotes):
            a = by_id.get(aid)
            refs.append(ArticleRef(aid, display_title(a) if a else None,
                                   link(a.url) if a else None))
        dates = [d for d in (article_date(by_id.get(q.article_id)) for q in quotes) if d]
        blocks.append(SourceBlock(source, tuple(refs),
                                  StoryPlace(sp.place, tuple(quotes)).aliases,
                                  excerpts(quotes), colours.get(source, "#e34a33"),
                                  min(dates) if dates else None))
    blocks.sort(key=lambda b: (b.published is None, b.published or date.min))
    silent = tuple(s for s in story.sources if s not in sp.sources)
    return Panel(sp.place.id, sp.place.name, sp.place.kind, sp.place.lat, sp.place.lon,
                 sources_line(sp, len(story.sources)), tuple(blocks), silent,
                 sp.place.corrected)


def article_date(article: Article | None) -> date | None:
    """The date an article was published (``published`` as ISO 8601), or None."""
    text = (article.published or "").strip() if article else ""
    try:
        return date.fromisoformat(text[:10]) if len(text) >= 10 else None
    except ValueError:
        return None


def date_span(story: StoryMap) -> tuple[date, date] | None:
    """The first and last publication dates of the story's articles, if any is dated."""
    dates = sorted(d for d in map(article_date, story.articles) if d)
    return (dates[0], dates[-1]) if dates else None


def restrict(story: StoryMap, *, sources: Iterable[str] | None = None,
             since: date | None = None, until: date | None = None) -> StoryMap:
    """The story told by the chosen sources within the dates (undated articles stay): the
    one story the page's map, panel, table, matrix and exports all show."""
    chosen = None if sources is None else set(sources)

    def keep(a: Article) -> bool:
        d = article_date(a)
        return ((chosen is None or a.source in chosen)
                and (d is None or ((since is None or d >= since)
                                   and (until is None or d <= until))))
    articles = tuple(a for a in story.articles if keep(a))
    if len(articles) == len(story.articles):
        return story
    ids = {a.id for a in articles}
    places = []
    for sp in story.places:
        quotes = tuple(q for q in sp.quotes if q.article_id in ids)
        if quotes:
            places.append(StoryPlace(sp.place, quotes))
    unresolved = tuple(m for m in story.unresolved if m.article_id in ids)
    return StoryMap(articles, tuple(places), unresolved)


#: After a quote where the place's name stands for its government ("Moscow said").
GOVERNMENT_BADGE = (" <span class='storymap-government' title='Here the name stands for the "
                    "government, not the place' style='font-size:.8em;color:#555;border:1px "
                    "solid #bbb;border-radius:3px;padding:0 3px;white-space:nowrap'>"
                    "government</span>")


def panel_html(p: Panel) -> str:
    """The panel as one HTML block, every piece of text escaped, no blank lines (so
    Markdown leaves it alone)."""
    badge = CORRECTED_BADGE if p.corrected else ""
    parts = [f"<div class='storymap-panel'><h3 style='margin-bottom:0'>{esc(p.name)}{badge}"
             "</h3>",
             f"<div style='color:#666;margin-bottom:.5em'>{esc(p.kind)} &middot; "
             f"{esc(p.sources_line)} &middot; {p.lat:.3f}, {p.lon:.3f}</div>"]
    for b in p.blocks:
        spelled = ", ".join(f"&ldquo;{esc(s)}&rdquo;" for s in b.spellings)
        links = []
        for ref in b.articles:
            label = esc(ref.title or ref.id)
            links.append(f"<a href='{esc(ref.url)}' target='_blank' rel='noopener noreferrer'>"
                         f"{label}</a>" if ref.url else f"<i>{label}</i>")
        items = "".join(f"<li>{e.html()}{GOVERNMENT_BADGE if e.government else ''}"
                        f"{CORRECTED_BADGE if e.corrected else ''}</li>" for e in b.excerpts)
        when = f" &middot; {b.published.isoformat()}" if b.published else ""
        parts.append(
            f"<div class='storymap-source' style='border-left:6px solid {b.colour};"
            "padding:.2em .8em;margin:.6em 0;background:#fafafa'>"
            f"<div><b>{esc(b.source)}</b>{when} &middot; {' &middot; '.join(links)}</div>"
            f"<div style='color:#666;font-size:.9em'>Spelled: {spelled}</div>"
            f"<ul style='margin:.3em 0'>{items}</ul></div>")
    if p.silent:
        names = ", ".join(f"<b>{esc(s)}</b>" for s in p.silent)
        parts.append(f"<div class='storymap-silent'>Not mentioned by: {names}</div>")
    else:
        parts.append("<div class='storymap-silent'>Every source mentions it.</div>")
    parts.append("</div>")
    return "".join(parts)


# -- map clicks ----------------------------------------------------------------------------

def place_id_from_click(story: StoryMap, returned: Mapping[str, Any] | None) -> str | None:
    """The place a ``st_folium`` return value points at, or None.

    The tooltip's hidden ``[[id]]`` is used when it names a place of the story; else, if a
    ``last_object_clicked`` position came back, the nearest place.
    """
    if not returned:
        return None
    pid = place_id_from_tooltip(returned.get("last_object_clicked_tooltip"))
    if pid and story.place(pid) is not None:
        return pid
    clicked = returned.get("last_object_clicked")
    if isinstance(clicked, Mapping) and "lat" in clicked and "lng" in clicked:
        try:
            return nearest_place_id(story, float(clicked["lat"]), float(clicked["lng"]))
        except (TypeError, ValueError):
            return None
    return None


def md_escape(text: str) -> str:
    """Plain text safe inside Streamlit Markdown: punctuation backslash-escaped, ``<`` as
    an entity, newlines as spaces (file names and sources come from the user)."""
    text = " ".join(str(text).split())
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~>$:])", r"\\\1", text).replace("<", "&lt;")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def summary(story: StoryMap, shown: Sequence[StoryPlace]) -> str:
    """One line: how many articles, sources and places (and how many are shown)."""
    n = len(story.places)
    places = _n(n, "place") if len(shown) == n else f"{len(shown)} of {_n(n, 'place')} shown"
    unplaced = len(story.unresolved)
    return (f"{_n(len(story.articles), 'article')} from {_n(len(story.sources), 'source')}"
            f" · {places}"
            + (f" · {_n(unplaced, 'mention')} not placed" if unplaced else ""))


__all__ = ["LIST_PARAMS", "MATRIX_ROWS", "RETURNED_OBJECTS", "ArticleRef", "Excerpt", "Matrix",
           "CLICK_KEYS", "FOCUS_ZOOM", "View", "focus_view", "map_view", "parse_view",
           "view_param", "Panel", "SourceBlock", "article_date", "carried_state", "date_span",
           "excerpts", "filter_places", "ids_key", "kinds_of", "matrix_csv", "matrix_html",
           "md_escape", "panel", "panel_html", "params_from_state", "place_id_from_click",
           "place_rows", "place_table", "restrict", "row_labels", "source_matrix",
           "state_from_params", "summary"]
