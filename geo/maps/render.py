"""The story map as a folium map: one marker per place, quotes from every source in its popup.

Works with no network: the country outlines in ``data/basemap`` are drawn under the markers,
so the map is readable when OpenStreetMap tiles cannot load, and a note on the map says so.

Clicks in Streamlit. ``st_folium`` returns ``last_object_clicked`` (for a CircleMarker that
is the *mouse* position, not the place's) and ``last_object_clicked_tooltip``, the tooltip's
``textContent``. Every tooltip ends with a hidden ``[[place id]]``, so the page maps a click
back to a place with :func:`place_id_from_tooltip`; :func:`nearest_place_id` is the fallback
for a click without tooltip text. Each marker/polygon also carries ``placeId`` in its Leaflet
options, for scripts running in the page.

Places and outlines reach the page as data: :class:`StoryLayer` and :class:`Basemap` hold
one JSON string each, parsed by a short script of ours (see :mod:`geo.maps.elements` for why no
outside text is ever compiled as a template).
"""
from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import folium
from folium.elements import JSCSSMixin
from folium.template import Template

from geo.maps.assets import use_vendored_assets
from geo.maps.elements import DataElement
from geo.maps.mapdata import (
    OUTLET_COLOURS,
    drawing_order,
    opening_bounds,
    outlet_colours,
    place_record,
    publication_order,
    story_record,
    story_title,
)
from geo.maps.mapdata import bounds as mapdata_bounds  # the name ``bounds`` is folium's too
from geo.maps.outlines import BASEMAP, natural_earth_name, outline_names
from geo.models import Quote, StoryMap, StoryPlace
from geo.story.quotes import unique

STATIC = Path(__file__).resolve().parent / "static"
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
CREDITS = ('Places: <a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0) &middot; '
           'Outlines: <a href="https://www.naturalearthdata.com/">Natural Earth</a>')
POPUP_MAX_WIDTH = 320  # fits the page's map column (about 450 px wide)
_ID_IN_TOOLTIP = re.compile(r"\[\[([^\[\]]+)\]\]\s*$")


def esc(text: str) -> str:
    """HTML-escape article text, also for a JS template literal and for Jinja.

    folium puts popup and tooltip HTML inside JavaScript backticks, where `` ` ``, ``${``
    and ``\\`` are live; as HTML entities they are inert and display the same. ``{`` as an
    entity means no ``{{``/``{%``/``{#`` survives for a template engine to find.
    """
    return (html.escape(text, quote=True)
            .replace("\\", "&#92;").replace("`", "&#96;").replace("$", "&#36;")
            .replace("{", "&#123;"))


def js_string(text: str) -> str:
    """``text`` as a JavaScript string literal that is safe inside ``<script>``: JSON, with
    ``</`` and ``<!--`` broken up so no article text can end or comment out the script, and
    ``{`` as ``\\u007b`` so no template syntax survives in the page's code."""
    return (json.dumps(text, ensure_ascii=False).replace("</", "<\\/")
            .replace("<!--", "<\\!--").replace("\u2028", "\\u2028")
            .replace("\u2029", "\\u2029").replace("{", "\\u007b"))


#: After a place's name, and a quote, that a reader's correction placed (no outside text).
CORRECTED_BADGE = (" <span class='storymap-corrected' title='Placed by a reader&#39;s "
                   "correction' style='font-size:.8em;color:#1a6b2f;border:1px solid #7fbf8f;"
                   "border-radius:3px;padding:0 3px;white-space:nowrap'>corrected</span>")


def highlighted(q: Quote) -> str:
    """The quote's sentence, escaped, with the mention wrapped in ``<mark>``."""
    a, b = q.highlight
    s = q.sentence
    if not (0 <= a <= b <= len(s)):  # offsets out of the sentence: show it unmarked
        return esc(s)
    return f"{esc(s[:a])}<mark>{esc(s[a:b])}</mark>{esc(s[b:])}"


def popup_html(sp: StoryPlace, n_sources: int, silent: Sequence[str] = (),
               colours: Mapping[str, str] | None = None) -> str:
    """Quotes grouped by source (with the outlet's colour when ``colours`` gives it), in a
    box that scrolls when long, then the spellings seen, when more than one, and the
    ``silent`` sources, which never name the place. A place, and each quote, that a
    reader's correction placed is marked so: the export shows whose judgement it is."""
    badge = CORRECTED_BADGE if sp.place.corrected else ""
    parts = [f"<h4>{esc(sp.place.name)}{badge}</h4>",
             f"<div class='storymap-muted'>{esc(sources_line(sp, n_sources))}</div>"]
    if len(sp.aliases) > 1:
        parts.append("<div class='storymap-spellings'>Written: "
                     + ", ".join(f"<i>{esc(a)}</i>" for a in sp.aliases) + "</div>")
    for source in sp.sources:
        quotes = unique(q for q in sp.quotes if q.source == source)  # a sentence once
        items = "".join(f"<li>{highlighted(q)}{CORRECTED_BADGE if q.corrected else ''}</li>"
                        for q in quotes)
        colour = (colours or {}).get(source)
        chip = (f"<span class='storymap-chip' style='background:{colour}'></span>"
                if colour else "")
        parts.append(f"<div class='storymap-source'>{chip}<b>{esc(source)}</b>"
                     f"<ul>{items}</ul></div>")
    if silent:
        parts.append("<div class='storymap-silent'>Not mentioned by: "
                     + ", ".join(f"<b>{esc(s)}</b>" for s in silent) + "</div>")
    return ("<div class='storymap-popup' style='max-height:320px;overflow-y:auto'>"
            f"{''.join(parts)}</div>")


def sources_line(sp: StoryPlace, n_sources: int) -> str:
    return f"{len(sp.sources)} of {n_sources} source{'s' if n_sources != 1 else ''}"


#: After a corrected place's tooltip (``storymap.js`` adds it to a filtered one too).
CORRECTED_TIP = " · corrected"


def tooltip_text(sp: StoryPlace, n_sources: int) -> str:
    """What hovering shows, e.g. ``Aleppo — 2 of 3 sources`` (``· corrected`` after it when
    a reader's correction placed it)."""
    mark = CORRECTED_TIP if sp.place.corrected else ""
    return f"{sp.place.name} — {sources_line(sp, n_sources)}{mark}"


def tooltip_html(sp: StoryPlace, n_sources: int) -> str:
    """The tooltip, ending with the place id hidden, for :func:`place_id_from_tooltip`."""
    return f"{esc(tooltip_text(sp, n_sources))}<span hidden>[[{esc(sp.place.id)}]]</span>"


def place_id_from_tooltip(tooltip: str | None) -> str | None:
    """The place id in ``st_folium(...)["last_object_clicked_tooltip"]``, or None."""
    match = _ID_IN_TOOLTIP.search(tooltip or "")
    return html.unescape(match.group(1)) if match else None


def nearest_place_id(story: StoryMap, lat: float, lng: float) -> str | None:
    """The place closest to a click (fallback when the tooltip is missing)."""
    def dist(sp: StoryPlace) -> float:
        dlon = (sp.place.lon - lng) * math.cos(math.radians(lat))
        return (sp.place.lat - lat) ** 2 + dlon ** 2
    return min(story.places, key=dist).place.id if story.places else None


@lru_cache(maxsize=4)
def _basemap_js(path: Path) -> str | None:
    """The outlines (``data/basemap/countries-50m.json``, see :mod:`geo.maps.outlines`) as a JS
    string literal of their JSON, read once per path. They travel with every rerun of the
    page's map, so their size is the map's cost: the file is built small."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return js_string(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


class Basemap(DataElement):
    """Country outlines, light grey, under the tiles and everything else, not clickable:
    drawn by ``geo/maps/static/basemap.js``, so offline the map still shows the land."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            {{ this.library }}
            storymapBasemap({{ this._parent.get_name() }}, JSON.parse({{ this.data_js }}));
        {% endmacro %}
    """)

    def __init__(self, data_js: str) -> None:
        super().__init__()
        self._name = "Basemap"
        self.library = _static_js("basemap.js")
        self.data_js = data_js


def add_basemap(m: folium.Map, path: Path) -> frozenset[str]:
    """Draw the outlines in ``path``; returns the countries drawn, which the places' layer
    takes from the basemap by name (``map.storymapLand``)."""
    data_js = _basemap_js(path)
    if data_js is None:
        return frozenset()
    Basemap(data_js).add_to(m)
    return outline_names(path)


#: Leaflet popup options: keep an open popup clear of the zoom and "Whole story" buttons
#: (top left) and of the legend (bottom left) when Leaflet pans the map to show it. The
#: map's script narrows the widths to what a small screen leaves room for.
POPUP_OPTIONS = {"maxWidth": POPUP_MAX_WIDTH, "minWidth": 200,
                 "autoPanPaddingTopLeft": [50, 120], "autoPanPaddingBottomRight": [20, 20]}


@lru_cache(maxsize=4)
def _static_js(name: str) -> str:
    """A script of ours in geo/maps/static (trusted), safe between ``<script>`` tags."""
    return (STATIC / name).read_text(encoding="utf-8").replace("</script", "<\\/script")


class StoryLayer(JSCSSMixin, DataElement):
    """Every place of the story, drawn by ``storymap.js`` from one JSON string of data.

    Places are data, not code: the script parses them (``JSON.parse`` of a JS string
    literal made by :func:`js_string`): outlined shapes for countries, areas and rivers,
    clustered pie markers (one slice per outlet naming the place) for everything else.
    Nothing is compiled per place, so the map costs the same few elements however many
    places there are."""

    default_js = [("markerclusterjs", "leaflet.markercluster/leaflet.markercluster.js")]
    default_css = [("markerclustercss", "leaflet.markercluster/MarkerCluster.css"),
                   ("markerclusterdefaultcss", "leaflet.markercluster/MarkerCluster.Default.css")]

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this.library }}
        storymapLayer({{ this._parent.get_name() }}, JSON.parse({{ this.data_js }}));
        {% endmacro %}
    """)

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__()
        self._name = "StoryLayer"
        self.library = _static_js("storymap.js")
        self.data_js = js_string(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


@lru_cache(maxsize=1)
def map_css() -> str:
    """geo/maps/static/storymap.css: the map's own controls and markers (no outside text)."""
    return (STATIC / "storymap.css").read_text(encoding="utf-8")


class MapNote(DataElement):
    """Legend and credits; shows 'no map tiles' once the tile layer reports an error.

    The legend folds away (a ``<details>``), closed at first on a narrow map, so it never
    covers the map for long."""

    _template = Template("""
        {% macro header(this, kwargs) %}
            <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function (map) {
            var note = L.control({position: "bottomleft"});
            note.onAdd = function () {
                var div = L.DomUtil.create("div", "storymap-note");
                div.innerHTML = {{ this.html_js }};
                div.style.cssText = "background:rgba(255,255,255,.92);padding:4px 8px;"
                    + "font:12px/1.4 sans-serif;border-radius:4px;max-width:300px;"
                    + "max-height:40vh;overflow:auto";
                var details = div.querySelector("details");
                if (details && map.getSize().x < 520) { details.open = false; }
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            note.addTo(map);
            {% if this.tiles %}
            {{ this.tiles.get_name() }}.on("tileerror", function () {
                var el = note.getContainer().querySelector(".storymap-offline");
                if (el) { el.style.display = "block"; }
            });
            {% endif %}
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, legend: str, tiles: folium.TileLayer | None, empty: bool = False):
        super().__init__()
        self._name = "MapNote"
        self.tiles = tiles
        self.css = map_css()
        offline = ("<div class='storymap-offline' style='display:%s;color:#a00'>"
                   "Offline: no map tiles, country outlines only.</div>"
                   % ("none" if tiles else "block"))
        nothing = ("<div class='storymap-empty' style='font-weight:bold'>No place matches the "
                   "filters.</div>" if empty else "")
        self.html_js = js_string(f"{nothing}{offline}{legend}<div>{CREDITS}</div>")


#: Outlets listed in the legend before "and N more" (the panel and the table list all).
LEGEND_OUTLETS = 12


def legend_html(sources: Sequence[str], outlets: bool = True) -> str:
    """Each outlet's colour, as the markers' slices use it; darker shapes: more outlets.
    ``outlets=False`` when the story panel lists the outlets already."""
    colours = outlet_colours(sources)
    shown = list(sources)[:LEGEND_OUTLETS] if outlets else []
    rows = "".join(f"<div><span class='storymap-chip' style='background:{colours[s]}'></span>"
                   f"{esc(s)}</div>" for s in shown)
    more = (f"<div>&hellip; and {len(sources) - LEGEND_OUTLETS} more</div>"
            if outlets and len(sources) > LEGEND_OUTLETS else "")
    heading = (f"Outlets ({len(sources)}): a marker's slices show who names the place"
               if outlets else "Key: a marker's slices show who names the place")
    return (f"<details open><summary>{heading}</summary>{rows}{more}<div style='color:#555'>"
            f"Shapes: darker = named by more outlets.</div></details>") if sources else ""


def build_map(story: StoryMap, *, place_ids: set[str] | None = None,
              selected: str | None = None, tiles: bool = True, popups: bool = True,
              basemap: Path | None = BASEMAP, title: str | None = None,
              page: bool = False) -> folium.Map:
    """The story's places on a map (all, or only ``place_ids``); ``selected`` is outlined.

    ``popups=False`` for the page, whose side panel tells a place's story; the export keeps
    a popup per place. A ``title`` adds the export's story panel (title, sources with their
    articles, source filter, timeline and "Play the story"); its data then rides in the
    places' JSON. ``page=True`` folds that panel and leaves out its source filter: the
    page's own filters apply to the panel and tables too, and the map must not disagree.
    Opens on :func:`geo.maps.mapdata.opening_bounds`; the "Whole story" button fits every
    place. Assets still point at CDNs: pass the map to
    :func:`geo.maps.assets.use_vendored_assets` (``"data_url"`` for ``st_folium``, ``"inline"``
    for a page) before showing it.
    """
    m = folium.Map(location=(20, 0), zoom_start=2, tiles=None, control_scale=True,
                   world_copy_jump=True)
    layer = folium.TileLayer(OSM_TILES, attr=OSM_ATTRIBUTION, name="OpenStreetMap",
                             max_zoom=19).add_to(m) if tiles else None
    land = add_basemap(m, basemap) if basemap is not None else frozenset()
    sources = story.sources
    total = len(sources)
    shown = [sp for sp in story.places if place_ids is None or sp.place.id in place_ids]
    index = {s: i for i, s in enumerate(sources)}
    colours = outlet_colours(sources)
    articles = ({a.id: i for i, a in enumerate(publication_order(story.articles))}
                if title is not None else None)

    def popup(sp: StoryPlace) -> str | None:
        """The export's popup (the page has its panel instead)."""
        if not popups:
            return None
        named = set(sp.sources)
        return popup_html(sp, total, [s for s in sources if s not in named], colours)
    records = [place_record(sp, index, selected=selected == sp.place.id,
                            tooltip=tooltip_html(sp, total), label=tooltip_text(sp, total),
                            popup=popup(sp), articles=articles, land=land)
               for sp in drawing_order(shown)]
    data = {"places": records, "colours": list(OUTLET_COLOURS),
            "popupOptions": POPUP_OPTIONS, "whole": mapdata_bounds(shown)}
    opening = opening_bounds(shown)
    if title is not None:  # the panel's script opens the view, clear of the panel
        data.update(story={**story_record(story, title), "filter": not page, "folded": page},
                    opening=opening)
    elif opening:
        m.fit_bounds(opening, padding=(30, 30), max_zoom=7)
    StoryLayer(data).add_to(m)
    MapNote(legend_html(sources, outlets=title is None), layer, empty=not shown).add_to(m)
    return m


def preload() -> None:
    """Reads, once per process, what every map reads (the outlines, decoded for the
    places' bounds too; our scripts and styles; the vendored Leaflet) by building and
    rendering an empty map. The page's server calls it at start-up (``serve.py``), so its
    first reader does not wait for it."""
    outline_names(BASEMAP)  # mapdata's country outlines come from the same decoded file
    natural_earth_name(None)
    use_vendored_assets(build_map(StoryMap((), ()), title=""), "data_url").get_root().render()


def standalone_html(story: StoryMap, *, title: str | None = None,
                    basemap: Path | None = BASEMAP) -> str:
    """One self-contained HTML page: scripts, styles and basemap inlined, works from file://.

    Its panel is headed ``title``, by default the title most articles carry
    (:func:`geo.maps.mapdata.story_title`). OSM tiles are still requested (they show when
    online); offline, the note says so.
    """
    heading = title if title is not None else story_title(story)
    m = use_vendored_assets(build_map(story, basemap=basemap, title=heading), "inline")
    return m.get_root().render()
