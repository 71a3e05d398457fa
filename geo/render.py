"""The story map as a folium map: one marker per place, quotes from every source in its popup.

Works with no network: the country outlines in ``data/basemap`` are drawn under the markers,
so the map is readable when OpenStreetMap tiles cannot load, and a note on the map says so.

Clicks in Streamlit. ``st_folium`` returns ``last_object_clicked`` (for a CircleMarker that
is the *mouse* position, not the place's) and ``last_object_clicked_tooltip``, the tooltip's
``textContent``. Every tooltip ends with a hidden ``[[place id]]``, so the page maps a click
back to a place with :func:`place_id_from_tooltip`; :func:`nearest_place_id` is the fallback
for a click without tooltip text. Each marker/polygon also carries ``placeId`` in its Leaflet
options, for scripts running in the page.
"""
from __future__ import annotations

import html
import json
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import folium
from folium.template import Template

from geo.assets import use_vendored_assets
from geo.elements import DataElement
from geo.models import Quote, StoryMap, StoryPlace

BASEMAP = Path(__file__).resolve().parent.parent / "data" / "basemap" / "countries-110m.geojson"
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
CREDITS = ('Places: <a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0) &middot; '
           'Outlines: <a href="https://www.naturalearthdata.com/">Natural Earth</a>')
#: Light to dark: the more sources mention a place, the darker and bigger its marker.
PALETTE = ("#fdd49e", "#fdbb84", "#fc8d59", "#e34a33", "#b30000")
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


def highlighted(q: Quote) -> str:
    """The quote's sentence, escaped, with the mention wrapped in ``<mark>``."""
    a, b = q.highlight
    s = q.sentence
    if not (0 <= a <= b <= len(s)):  # offsets out of the sentence: show it unmarked
        return esc(s)
    return f"{esc(s[:a])}<mark>{esc(s[a:b])}</mark>{esc(s[b:])}"


def popup_html(sp: StoryPlace, n_sources: int) -> str:
    """Quotes grouped by source, in a box that scrolls when long."""
    parts = [f"<h4 style='margin:0 0 4px'>{esc(sp.place.name)}</h4>",
             f"<div style='color:#555;margin-bottom:6px'>{esc(sources_line(sp, n_sources))}</div>"]
    for source in sp.sources:
        quotes = [q for q in sp.quotes if q.source == source]
        items = "".join(f"<li style='margin-bottom:4px'>{highlighted(q)}</li>" for q in quotes)
        parts.append(f"<div class='storymap-source'><b>{esc(source)}</b>"
                     f"<ul style='margin:2px 0 8px;padding-left:18px'>{items}</ul></div>")
    return ("<div class='storymap-popup' style='max-height:320px;overflow-y:auto;"
            f"min-width:260px'>{''.join(parts)}</div>")


def sources_line(sp: StoryPlace, n_sources: int) -> str:
    return f"{len(sp.sources)} of {n_sources} source{'s' if n_sources != 1 else ''}"


def tooltip_text(sp: StoryPlace, n_sources: int) -> str:
    """What hovering shows, e.g. ``Aleppo — 2 of 3 sources``."""
    return f"{sp.place.name} — {sources_line(sp, n_sources)}"


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


def style_for(n: int, total: int) -> tuple[float, str]:
    """Marker radius and colour for a place mentioned by ``n`` of ``total`` sources."""
    share = n / total if total else 1.0
    return 6 + 10 * share, PALETTE[min(len(PALETTE) - 1, round(share * (len(PALETTE) - 1)))]


@lru_cache(maxsize=4)
def _load_basemap(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def add_basemap(m: folium.Map, path: Path) -> None:
    """Country outlines as a light grey, non-clickable layer under everything else."""
    data = _load_basemap(path)
    if data is None:
        return
    folium.GeoJson(
        data, name="Countries", control=False, interactive=False, smooth_factor=1.5,
        style_function=lambda _: {"color": "#8c8c8c", "weight": 0.6,
                                  "fillColor": "#f2efe9", "fillOpacity": 1.0},
    ).add_to(m)


def _rings(geometry: dict[str, Any]) -> list[list[list[tuple[float, float]]]]:
    """Polygon/MultiPolygon coordinates as folium ``[[(lat, lon), ...], ...]`` polygons."""
    polys = {"Polygon": [geometry.get("coordinates", [])],
             "MultiPolygon": geometry.get("coordinates", [])}.get(geometry.get("type"), [])
    return [[[(lat, lon) for lon, lat, *_ in ring] for ring in poly] for poly in polys]


def add_place(m: folium.Map, sp: StoryPlace, total: int, selected: bool) -> None:
    """One clickable marker (and a shaded polygon for an area), tagged with the place id."""
    radius, colour = style_for(len(sp.sources), total)
    tooltip, popup = tooltip_html(sp, total), popup_html(sp, total)
    for poly in _rings(sp.place.geometry or {}):
        folium.Polygon(poly, color=colour, weight=1.5, fill=True, fill_color=colour,
                       fill_opacity=0.25,
                       ).add_child(PlaceTag(sp.place.id, tooltip, popup)).add_to(m)
    folium.CircleMarker(
        (sp.place.lat, sp.place.lon), radius=radius, color="#222" if selected else "#7f2704",
        weight=3 if selected else 1, fill=True, fill_color=colour, fill_opacity=0.9,
    ).add_child(PlaceTag(sp.place.id, tooltip, popup)).add_to(m)


#: Leaflet popup options: keep an open popup clear of the zoom buttons (top left) and of
#: the legend (bottom left) when Leaflet pans the map to show it.
POPUP_OPTIONS = {"maxWidth": POPUP_MAX_WIDTH, "minWidth": 260,
                 "autoPanPaddingTopLeft": [50, 80], "autoPanPaddingBottomRight": [20, 20]}


class PlaceTag(DataElement):
    """Binds a place's tooltip and popup to its parent layer and stores the place id in
    the layer's options (``layer.options.placeId``).

    One template compiled once for every place: ``folium.Popup``/``folium.Tooltip`` compile
    a jinja template per instance (most of a rerun's time), and a popup built with jQuery
    from a JS template literal. Here the HTML travels as JS string literals
    (:func:`js_string`)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.options.placeId = {{ this.place_id_js }};
            {% if this.tooltip %}{{ this._parent.get_name() }}.bindTooltip({{ this.tooltip_js }}, {"sticky": true});{% endif %}
            {% if this.popup %}{{ this._parent.get_name() }}.bindPopup({{ this.popup_js }}, {{ this.popup_options|tojson }});{% endif %}
        {% endmacro %}
    """)

    def __init__(self, place_id: str, tooltip: str | None = None, popup: str | None = None):
        super().__init__()
        self._name = "PlaceTag"
        self.place_id, self.place_id_js = place_id, js_string(place_id)
        self.tooltip, self.tooltip_js = tooltip, js_string(tooltip or "")
        self.popup, self.popup_js = popup, js_string(popup or "")
        self.popup_options = POPUP_OPTIONS


class MapNote(DataElement):
    """Legend and credits; shows 'tiles unavailable' once the tile layer reports an error."""

    _template = Template("""
        {% macro header(this, kwargs) %}
            <style>
                .leaflet-container { background: #cfe0ea; }  /* sea, when there are no tiles */
            </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var note = L.control({position: "bottomleft"});
            note.onAdd = function () {
                var div = L.DomUtil.create("div", "storymap-note");
                div.innerHTML = {{ this.html|tojson }};
                div.style.cssText = "background:rgba(255,255,255,.9);padding:4px 8px;"
                    + "font:12px/1.4 sans-serif;border-radius:4px;max-width:320px";
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            note.addTo({{ this._parent.get_name() }});
            {% if this.tiles %}
            {{ this.tiles.get_name() }}.on("tileerror", function () {
                var el = note.getContainer().querySelector(".storymap-offline");
                if (el) { el.style.display = "block"; }
            });
            {% endif %}
        })();
        {% endmacro %}
    """)

    def __init__(self, legend: str, tiles: folium.TileLayer | None):
        super().__init__()
        self._name = "MapNote"
        self.tiles = tiles
        offline = ("<div class='storymap-offline' style='display:%s;color:#a00'>"
                   "Map tiles unavailable (offline): showing country outlines only.</div>"
                   % ("none" if tiles else "block"))
        self.html = f"{offline}{legend}<div>{CREDITS}</div>"


def legend_html(total: int) -> str:
    """One dot per possible source count, sized and coloured as the markers."""
    dots = []
    for n in range(1, total + 1):
        radius, colour = style_for(n, total)
        d = round(radius)
        dots.append(f"<span style='display:inline-block;width:{d}px;height:{d}px;"
                    f"border-radius:50%;background:{colour};border:1px solid #7f2704;"
                    f"vertical-align:middle;margin:0 3px 0 6px'></span>{n}")
    return f"<div>Sources mentioning the place: {''.join(dots)} of {total}</div>" if dots else ""


def _fit(m: folium.Map, places: list[StoryPlace]) -> None:
    points = [(sp.place.lat, sp.place.lon) for sp in places]
    for sp in places:
        points += [pt for poly in _rings(sp.place.geometry or {}) for ring in poly for pt in ring]
    if points:
        lats, lons = [p[0] for p in points], [p[1] for p in points]
        m.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]],
                     padding=(30, 30), max_zoom=7)


def build_map(story: StoryMap, *, place_ids: set[str] | None = None,
              selected: str | None = None, tiles: bool = True,
              basemap: Path | None = BASEMAP) -> folium.Map:
    """The story's places on a map (all, or only ``place_ids``); ``selected`` is outlined.

    Assets still point at CDNs: pass the map to :func:`geo.assets.use_vendored_assets`
    (``"data_url"`` for ``st_folium``, ``"inline"`` for a page) before showing it.
    """
    m = folium.Map(location=(20, 0), zoom_start=2, tiles=None, control_scale=True,
                   world_copy_jump=True)
    layer = folium.TileLayer(OSM_TILES, attr=OSM_ATTRIBUTION, name="OpenStreetMap",
                             max_zoom=19).add_to(m) if tiles else None
    if basemap is not None:
        add_basemap(m, basemap)
    total = len(story.sources)
    shown = [sp for sp in story.places if place_ids is None or sp.place.id in place_ids]
    for sp in sorted(shown, key=lambda sp: len(sp.sources)):  # most-cited drawn on top
        add_place(m, sp, total, selected == sp.place.id)
    MapNote(legend_html(total), layer).add_to(m)
    _fit(m, shown)
    return m


def standalone_html(story: StoryMap, *, basemap: Path | None = BASEMAP) -> str:
    """One self-contained HTML page: scripts, styles and basemap inlined, works from file://.

    OSM tiles are still requested (they show when online); offline, the note says so.
    """
    m = use_vendored_assets(build_map(story, basemap=basemap), "inline")
    return m.get_root().render()
