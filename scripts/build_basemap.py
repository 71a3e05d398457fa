"""Build data/basemap/countries-50m.json: Natural Earth 1:50m country outlines, small enough
to travel with every map (the page re-sends its map on each rerun; the export is one file).

Input: ``countries-50m.json`` of npm ``world-atlas@2`` (TopoJSON). Output: the same topology
(shared borders stored once), with

* each arc simplified (Douglas-Peucker, ``TOLERANCE`` degrees, about one pixel at zoom 8) and
  snapped to a ``GRID`` degree grid;
* each arc written as a string of zigzag varints, 5 bits a character in the base64url
  alphabet, x and y deltas alternating (a quarter of the size of JSON number pairs, and no
  character that needs escaping in JSON, HTML or a script);
* the polygons crossing the antimeridian (Russia, Fiji) split at 180 degrees into arcs of
  their own, so Leaflet draws no band across the map;
* only each country's ``name``, and polygons as lists of rings of arc indices (``~i``: arc
  ``i`` reversed), as in TopoJSON.

Encoder and decoder: ``geo/maps/outlines.py``; the map decodes with ``geo/maps/static/basemap.js``.

    python scripts/build_basemap.py WORLD_ATLAS_DIR   # the unpacked npm package
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from shapely.geometry import LineString

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_data import REPO, decode_arcs, geometry_to_geojson, split_antimeridian  # noqa: E402

sys.path.insert(0, str(REPO))
from geo.maps.outlines import encode_arc  # noqa: E402

GRID = 0.005
TOLERANCE = 0.005
ORIGIN = (-180.0, -90.0)

Point = tuple[int, int]


def snap(points: list[list[float]]) -> list[Point]:
    """Positions on the grid, repeats dropped."""
    out: list[Point] = []
    for lon, lat in points:
        p = (round((lon - ORIGIN[0]) / GRID), round((lat - ORIGIN[1]) / GRID))
        if not out or out[-1] != p:
            out.append(p)
    return out


def simplify(points: list[list[float]]) -> list[list[float]]:
    """Douglas-Peucker keeping the ends (shared with the neighbouring arcs)."""
    if len(points) <= 2:
        return points
    return [list(p) for p in LineString(points).simplify(TOLERANCE, preserve_topology=True).coords]


def _crosses(arc: list[list[float]]) -> bool:
    return any(abs(b[0] - a[0]) > 180 for a, b in zip(arc, arc[1:]))


def _flat(nested) -> list[int]:
    return [i for x in nested for i in (_flat(x) if isinstance(x, list) else [x])]


def build(world_dir: Path, out: Path) -> int:
    topo = json.loads((world_dir / "countries-50m.json").read_text(encoding="utf-8"))
    arcs = [simplify(a) for a in decode_arcs(topo)]
    crossing = {i for i, a in enumerate(arcs) if _crosses(a)}
    kept: list[list[Point]] = []
    renumber: dict[int, int] = {}

    def ref(i: int) -> int:
        j = i if i >= 0 else ~i
        if j not in renumber:
            renumber[j] = len(kept)
            kept.append(snap(arcs[j]))
        return renumber[j] if i >= 0 else ~renumber[j]

    countries = []
    for g in topo["objects"]["countries"]["geometries"]:
        if g.get("type") is None:
            continue
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        if crossing & {i if i >= 0 else ~i for i in _flat(polys)}:
            polys = _split(g, arcs, kept)
        else:
            polys = [[[ref(i) for i in ring] for ring in poly] for poly in polys]
        countries.append({"name": g["properties"]["name"], "polygons": polys})
    data = {"format": "storymap-outlines-1", "grid": GRID, "origin": list(ORIGIN),
            "arcs": [encode_arc(a) for a in kept], "countries": countries}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
    return len(countries)


def _split(g: dict, arcs: list, kept: list[list[Point]]) -> list[list[list[int]]]:
    """A crossing country's polygons cut at 180 degrees, each ring an arc of its own."""
    geom = geometry_to_geojson(g, arcs, None)
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    out = []
    for poly in (q for p in polys for q in split_antimeridian(p)):
        rings = []
        for ring in poly:
            kept.append(snap([list(p) for p in ring]))
            rings.append([len(kept) - 1])
        out.append(rings)
    return out


SECTION = """## basemap/countries-50m.json

Country outlines for the map (the grey land under the places, and the shape of a country
the story names): {n} countries from `countries-50m.json` in npm `world-atlas@2.0.2`
(Natural Earth 1:50m admin 0), built by `scripts/build_basemap.py`: arcs simplified
(Douglas-Peucker, {tol} degrees) and snapped to a {grid} degree grid, about a pixel at zoom 8;
stored as TopoJSON-like shared arcs, each a string of delta varints (see the script);
Russia and Fiji split at 180 degrees. Decoded by `geo/maps/outlines.py` and
`geo/maps/static/basemap.js`.

    python scripts/build_basemap.py "$tmp/world-atlas-2.0.2/package"

Licence: as countries.tsv (package ISC, Natural Earth data public domain).
"""


def update_sources(sources: Path, n: int) -> None:
    """Write this file's section of SOURCES.md, replacing an older one."""
    text = sources.read_text(encoding="utf-8")
    block = SECTION.format(n=n, tol=TOLERANCE, grid=GRID)
    start = text.find("## basemap/countries-50m.json")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + block
    else:
        end = text.find("\n## ", start + 1)
        text = text[:start] + block + (text[end + 1:] if end >= 0 else "")
    sources.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("world_atlas", type=Path, help="the unpacked world-atlas@2 package")
    ap.add_argument("--out", type=Path, default=REPO / "data")
    args = ap.parse_args(argv)
    n = build(args.world_atlas, args.out / "basemap" / "countries-50m.json")
    update_sources(args.out / "SOURCES.md", n)
    print(f"basemap: {n} countries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
