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
one JSON string each, parsed by a short script of ours (see :mod:`geo.elements` for why no
outside text is ever compiled as a template).
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
def _basemap_js(path: Path) -> str | None:
    """The outlines as a JS string literal of their GeoJSON text, read once per path."""
    if not path.exists():
        return None
    return js_string(json.dumps(json.loads(path.read_text(encoding="utf-8")),
                                separators=(",", ":")))


class Basemap(DataElement):
    """Country outlines as a light grey, non-clickable layer under everything else."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            L.geoJson(JSON.parse({{ this.data_js }}), {
                interactive: false, smoothFactor: 1.5,
                style: function () { return {color: "#8c8c8c", weight: 0.6,
                                             fillColor: "#f2efe9", fillOpacity: 1.0}; }
            }).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, data_js: str) -> None:
        super().__init__()
        self._name = "Basemap"
        self.data_js = data_js


def add_basemap(m: folium.Map, path: Path) -> None:
    data_js = _basemap_js(path)
    if data_js is not None:
        Basemap(data_js).add_to(m)


def _rings(geometry: dict[str, Any]) -> list[list[list[tuple[float, float]]]]:
    """Polygon/MultiPolygon coordinates as Leaflet ``[[(lat, lon), ...], ...]`` polygons."""
    polys = {"Polygon": [geometry.get("coordinates", [])],
             "MultiPolygon": geometry.get("coordinates", [])}.get(geometry.get("type"), [])
    return [[[(lat, lon) for lon, lat, *_ in ring] for ring in poly] for poly in polys]


def place_data(sp: StoryPlace, total: int, selected: bool) -> dict[str, Any]:
    """What the map's script needs to draw one place: position, outline, style, and its
    tooltip and popup as escaped HTML."""
    radius, colour = style_for(len(sp.sources), total)
    return {"id": sp.place.id, "lat": sp.place.lat, "lon": sp.place.lon,
            "rings": _rings(sp.place.geometry or {}), "radius": radius, "colour": colour,
            "selected": selected, "tooltip": tooltip_html(sp, total),
            "popup": popup_html(sp, total)}


#: Leaflet popup options: keep an open popup clear of the zoom buttons (top left) and of
#: the legend (bottom left) when Leaflet pans the map to show it.
POPUP_OPTIONS = {"maxWidth": POPUP_MAX_WIDTH, "minWidth": 260,
                 "autoPanPaddingTopLeft": [50, 80], "autoPanPaddingBottomRight": [20, 20]}


class StoryLayer(DataElement):
    """Every place of the story, drawn by one script from one JSON string of data.

    Places are data, not code: the script parses them (``JSON.parse`` of a JS string
    literal made by :func:`js_string`) and makes one clickable circle per place, plus a
    shaded polygon for an area, each with ``options.placeId``, a sticky tooltip and a
    popup. Nothing here is compiled per place, so building and rendering the map costs
    the same few elements however many places there are."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
            var popupOptions = {{ this.popup_options_js }};  // a constant of ours
            JSON.parse({{ this.data_js }}).forEach(function (p) {
                var layers = p.rings.map(function (rings) {
                    return L.polygon(rings, {color: p.colour, weight: 1.5, fill: true,
                                             fillColor: p.colour, fillOpacity: 0.25});
                });
                layers.push(L.circleMarker([p.lat, p.lon], {
                    radius: p.radius, color: p.selected ? "#222" : "#7f2704",
                    weight: p.selected ? 3 : 1, fill: true, fillColor: p.colour,
                    fillOpacity: 0.9}));
                layers.forEach(function (layer) {
                    layer.options.placeId = p.id;
                    layer.bindTooltip(p.tooltip, {sticky: true});
                    layer.bindPopup(p.popup, popupOptions);
                    layer.addTo(map);
                });
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, places: list[dict[str, Any]]) -> None:
        super().__init__()
        self._name = "StoryLayer"
        self.places = places
        self.data_js = js_string(json.dumps(places, ensure_ascii=False, separators=(",", ":")))
        self.popup_options_js = json.dumps(POPUP_OPTIONS)


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
    ordered = sorted(shown, key=lambda sp: len(sp.sources))  # most-cited drawn on top
    StoryLayer([place_data(sp, total, selected == sp.place.id) for sp in ordered]).add_to(m)
    MapNote(legend_html(total), layer).add_to(m)
    _fit(m, shown)
    return m


def standalone_html(story: StoryMap, *, basemap: Path | None = BASEMAP) -> str:
    """One self-contained HTML page: scripts, styles and basemap inlined, works from file://.

    OSM tiles are still requested (they show when online); offline, the note says so.
    """
    m = use_vendored_assets(build_map(story, basemap=basemap), "inline")
    return m.get_root().render()
