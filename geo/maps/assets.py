"""Make a folium map load Leaflet and its plugins from ``geo/maps/static/vendor`` instead of CDNs.

The app must work with no network. folium's ``Map`` links Leaflet, jQuery, Bootstrap and
awesome-markers from CDNs; offline those requests fail and nothing is drawn. Two modes:

``inline``  every script and style is embedded in the page's ``<head>``; for the standalone
            HTML export (``folium.Map.get_root().render()``), which must work from file://.

``data_url`` each asset becomes a ``data:`` URL left in ``Map.default_js``/``default_css``.
            This is the mode for ``streamlit_folium.st_folium``: the component drops every
            ``<script src>`` from the map's header, collects the ``default_js``/``default_css``
            of each element as ``js_links``/``css_links``, and loads them one by one with
            ``<script src=...>`` in its iframe, awaiting each ``onload``. A CDN link that fails
            rejects that promise, so the map script never runs and the iframe stays 0 px
            high. Inline ``<script>`` in the header would not help either: the component adds
            the header with ``head.innerHTML +=``, which never executes scripts. ``data:``
            URLs need no server, no Streamlit static-file config and no network.

Bootstrap, Font Awesome, glyphicons and awesome-markers are dropped: folium only uses them
for ``folium.Icon`` markers. jQuery is dropped too: only folium's ``Popup`` needs it (our
popups are bound by ``geo/maps/static/storymap.js``), and it would be ~100 KB more in every
page message. :func:`use_vendored_assets` refuses maps with either (it raises).
"""
from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Literal

import folium
from branca.element import Element, Figure
from folium.elements import JSCSSMixin

from geo.maps.elements import Verbatim

VENDOR_DIR = Path(__file__).parent / "static" / "vendor"

#: folium's resource names -> vendored file (relative to VENDOR_DIR).
VENDORED_JS = {"leaflet": "leaflet/leaflet.js",
               "markerclusterjs": "leaflet.markercluster/leaflet.markercluster.js"}
VENDORED_CSS = {"leaflet_css": "leaflet/leaflet.css",
                "markerclustercss": "leaflet.markercluster/MarkerCluster.css",
                "markerclusterdefaultcss": "leaflet.markercluster/MarkerCluster.Default.css"}

#: folium resources only needed by ``folium.Icon`` (Bootstrap / awesome-markers) and
#: ``folium.Popup`` (jQuery); dropped.
ICON_ONLY = frozenset({
    "bootstrap", "awesome_markers", "bootstrap_css", "glyphicons_css",
    "awesome_markers_font_css", "awesome_markers_css", "awesome_rotate_css", "jquery",
})

Mode = Literal["inline", "data_url"]


@lru_cache(maxsize=None)
def read_js(rel: str) -> str:
    """A vendored script, safe to put between ``<script>`` tags."""
    return (VENDOR_DIR / rel).read_text(encoding="utf-8").replace("</script", "<\\/script")


@lru_cache(maxsize=None)
def read_css(rel: str) -> str:
    """A vendored stylesheet with its ``url(images/...)`` inlined as data URLs.

    Inlined, the stylesheet has no base URL, so relative image paths would break (the
    layer-control icon). The default marker icon is left alone: Leaflet derives its icon
    path from that URL, and we never draw default markers.
    """
    path = VENDOR_DIR / rel
    css = path.read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("marker-"):
            return match.group(0)
        data = base64.b64encode((path.parent / "images" / name).read_bytes()).decode()
        return f"url(data:image/png;base64,{data})"

    return re.sub(r"url\(images/([\w.-]+\.png)\)", inline, css)


def data_url(text: str, mime: str) -> str:
    """``text`` as a base64 ``data:`` URL (base64 so no character needs escaping)."""
    return f"data:{mime};base64,{base64.b64encode(text.encode('utf-8')).decode()}"


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in element._children.values():
        yield from _walk(child)


def _check_no_icons(m: folium.Map) -> None:
    """Refuse ``folium.Icon`` and ``folium.Popup``: their assets (awesome-markers and
    Bootstrap; jQuery) are not vendored."""
    if any(isinstance(e, folium.Icon) for e in _walk(m)):
        raise ValueError("folium.Icon needs awesome-markers/Bootstrap, which are not "
                         "vendored; use CircleMarker or DivIcon")
    if any(isinstance(e, folium.Popup) for e in _walk(m)):
        raise ValueError("folium.Popup needs jQuery, which is not vendored; bind popups "
                         "in the map's script (geo/maps/static/storymap.js)")


def _vendored(links: list[tuple[str, str]], table: dict[str, str]) -> list[tuple[str, str]]:
    """Keep the links we vendor, drop icon-only ones, fail loudly on anything else."""
    kept = []
    for name, url in links:
        if name in table:
            kept.append((name, table[name]))
        elif name not in ICON_ONLY:
            raise ValueError(f"no vendored copy of {name!r} ({url}); add it to "
                             "geo/maps/static/vendor and geo/maps/assets.py")
    return kept


def use_vendored_assets(m: folium.Map, mode: Mode = "inline") -> folium.Map:
    """Point every JS/CSS resource of ``m`` (and its plugins) at the vendored copies.

    Call it once, after the last element was added and before rendering. Returns ``m``.
    """
    _check_no_icons(m)
    figure = m.get_root()
    for element in _walk(m):
        if not isinstance(element, JSCSSMixin):
            continue
        js = _vendored(list(element.default_js), VENDORED_JS)
        css = _vendored(list(element.default_css), VENDORED_CSS)
        if mode == "data_url":
            # Instance attributes: never mutate folium's class-level lists.
            element.default_js = [(n, data_url(read_js(r), "text/javascript")) for n, r in js]
            element.default_css = [(n, data_url(read_css(r), "text/css")) for n, r in css]
            continue
        element.default_js, element.default_css = [], []
        assert isinstance(figure, Figure), "the map must belong to a Figure"
        for name, rel in css:
            figure.header.add_child(Verbatim(f"<style>{read_css(rel)}</style>"), name=name)
        for name, rel in js:
            figure.header.add_child(Verbatim(f"<script>{read_js(rel)}</script>"), name=name)
    return m
