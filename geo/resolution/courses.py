"""Where along a river a story is: the point of its course nearest the story's focus.

    >>> at_story(tigris, (36.34, 43.13))        # doctest: +SKIP   (Mosul)
    Place(name='Tigris River', lat=36.3..., lon=43.1..., ...)

A river is one entry with one reference point (the middle of its longest stretch), but a
story about Mosul means the Tigris at Mosul, not 300 km downstream. The course
(``data/river_lines.json``, Natural Earth) stays the place's geometry, drawn whole; only
its pin moves to the stretch the story is about.
"""
from __future__ import annotations

import math
from dataclasses import replace

from shapely.geometry import MultiLineString, Point
from shapely.ops import nearest_points

from geo.models import Place


def at_story(place: Place | None, focus: tuple[float, float] | None) -> Place | None:
    """``place`` with its pin at the point of its course nearest ``focus`` (lat, lon); the
    place unchanged if it has no course or the story no focus."""
    g = place.geometry if place is not None else None
    parts = {"LineString": lambda c: [c], "MultiLineString": lambda c: c}.get(
        (g or {}).get("type"))
    if place is None or focus is None or parts is None:
        return place
    # degrees of longitude shrink towards the poles: compare in a locally even grid
    k = math.cos(math.radians(focus[0]))
    course = MultiLineString([[(lon * k, lat) for lon, lat, *_ in part]
                              for part in parts(g["coordinates"])])
    _, near = nearest_points(Point(focus[1] * k, focus[0]), course)
    return replace(place, lat=round(near.y, 4), lon=round(near.x / k, 4))


__all__ = ["at_story"]
