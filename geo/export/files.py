"""Writing a story's exports to files: the one place the CLI's commands do it.

    >>> write_exports(story, html="map.html", geojson="places.geojson")   # doctest: +SKIP
    ['places.geojson', 'map.html']
"""
from __future__ import annotations

from pathlib import Path

from geo.export import geojson as geojson_format
from geo.models import StoryMap


def write_exports(story: StoryMap, *, html: str | None = None,
                  geojson: str | None = None) -> list[str]:
    """Write the GeoJSON and/or the standalone HTML map; returns the paths written."""
    written = []
    if geojson:
        Path(geojson).write_text(geojson_format.dumps(story), encoding="utf-8")
        written.append(geojson)
    if html:
        from geo.maps.render import standalone_html  # folium: only when a map is asked for

        Path(html).write_text(standalone_html(story), encoding="utf-8")
        written.append(html)
    return written
