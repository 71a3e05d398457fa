#!/usr/bin/env python3
"""Rebuild the offline geographic data files in data/ from npm packages.

Inputs are the unpacked tarballs of three public npm packages (no Node.js code
is run; the JSON files are read directly):

    tmp=$(mktemp -d) && cd "$tmp"
    npm pack world-atlas@2 us-atlas@3 @geo-maps/earth-seas-10m
    for f in *.tgz; do mkdir "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done
    cd /work/main && python scripts/build_data.py "$tmp"

(Every npm tarball unpacks into a folder called ``package/``, hence one folder per
tarball.  The script finds each package by the ``name`` in its package.json
anywhere up to four levels below the given directory, so an ``npm install``
``node_modules`` tree works too.)  Never commit the tarballs or node_modules.

Outputs (all written under data/ of this repository, or --out):

* countries.tsv   iso_n3, name, lat, lon  -- world-atlas countries-50m.json
* us_admin.tsv    kind, fips, name, state, lat, lon -- us-atlas counties-10m.json
* seas.tsv        name, lat, lon -- only if @geo-maps/earth-seas-10m has named
                  features (version 0.6.0 has none: it is one unnamed
                  MultiPolygon, so the file is skipped and a note is printed)
* physical.tsv    id, kind, feature, name, names, lat, lon, scalerank, region -- named
                  seas, gulfs, bays, straits, islands, island groups, ranges, peaks and
                  regions of Natural Earth's 1:10m physical layers, with
                  ``--natural-earth DIR`` (GeoJSON files; no npm or PyPI package ships
                  them with their names), alone or beside the npm packages
* waters.tsv      id, feature, name, names, bare, lat, lon, scalerank -- named rivers,
                  lakes, reservoirs and glaciers of seven Natural Earth 1:10m physical
                  layers, with ``--natural-earth DIR`` too (see water_rows)
* basemap/countries-110m.geojson -- world-atlas countries-110m.json outlines (geo/resolution/areas.py)
* basemap/countries-50m.json -- the map's 1:50m outlines (scripts/build_basemap.py)
* SOURCES.md      provenance, versions and licences of the above

Points: the centroid of the feature's largest polygon (area measured in
degrees squared scaled by cos(latitude), a cheap equal-area approximation), or
shapely's representative_point() of that polygon if the centroid falls outside
it.  Coordinates are written with 4 decimals.

TopoJSON is decoded here (decode_topology / geometry_to_geojson): quantized,
delta-encoded arcs are accumulated and mapped through the transform, negative
arc indices (~i) mean arc i reversed, and consecutive arcs in a ring share
their joining point, which is kept once.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from shapely.affinity import translate
from shapely.geometry import MultiPolygon, Polygon, box, shape
from shapely.ops import linemerge

REPO = Path(__file__).resolve().parent.parent

# State FIPS code -> USPS two-letter code (50 states, DC and 5 territories; the
# 56 entries of us-atlas' "states" object).
STATE_FIPS = {
    "01": "AL", "02": "AK", "04": "AZ", "05": "AR", "06": "CA", "08": "CO",
    "09": "CT", "10": "DE", "11": "DC", "12": "FL", "13": "GA", "15": "HI",
    "16": "ID", "17": "IL", "18": "IN", "19": "IA", "20": "KS", "21": "KY",
    "22": "LA", "23": "ME", "24": "MD", "25": "MA", "26": "MI", "27": "MN",
    "28": "MS", "29": "MO", "30": "MT", "31": "NE", "32": "NV", "33": "NH",
    "34": "NJ", "35": "NM", "36": "NY", "37": "NC", "38": "ND", "39": "OH",
    "40": "OK", "41": "OR", "42": "PA", "44": "RI", "45": "SC", "46": "SD",
    "47": "TN", "48": "TX", "49": "UT", "50": "VT", "51": "VA", "53": "WA",
    "54": "WV", "55": "WI", "56": "WY",
    "60": "AS", "66": "GU", "69": "MP", "72": "PR", "78": "VI",
}

PACKAGES = {
    "world": "world-atlas",
    "us": "us-atlas",
    "seas": "@geo-maps/earth-seas-10m",
}


# --------------------------------------------------------------------------
# TopoJSON decoding
# --------------------------------------------------------------------------

def decode_arcs(topology: dict) -> list[list[list[float]]]:
    """Return the topology's arcs as absolute [lon, lat] positions."""
    tr = topology.get("transform")
    arcs = topology["arcs"]
    if not tr:
        return [[list(p[:2]) for p in arc] for arc in arcs]
    sx, sy = tr["scale"]
    tx, ty = tr["translate"]
    out = []
    for arc in arcs:
        x = y = 0
        pts = []
        for p in arc:
            x += p[0]
            y += p[1]
            pts.append([x * sx + tx, y * sy + ty])
        out.append(pts)
    return out


def _ring(indices: list[int], arcs: list) -> list[list[float]]:
    coords: list[list[float]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        if coords:
            coords.extend(arc[1:])  # first point repeats the previous last one
        else:
            coords.extend(arc)
    if coords and coords[0] != coords[-1]:
        coords.append(list(coords[0]))
    # a ring needs 4 positions; pad degenerate ones like topojson-client does
    while len(coords) < 4 and coords:
        coords.append(list(coords[0]))
    return coords


def geometry_to_geojson(geom: dict, arcs: list, tr: dict | None) -> dict | None:
    """Convert one TopoJSON geometry object to a GeoJSON geometry dict."""
    t = geom.get("type")
    if t is None:
        return None

    def point(p):
        if not tr:
            return list(p[:2])
        return [p[0] * tr["scale"][0] + tr["translate"][0],
                p[1] * tr["scale"][1] + tr["translate"][1]]

    if t == "Polygon":
        return {"type": t, "coordinates": [_ring(r, arcs) for r in geom["arcs"]]}
    if t == "MultiPolygon":
        return {"type": t, "coordinates": [[_ring(r, arcs) for r in poly]
                                           for poly in geom["arcs"]]}
    if t == "LineString":
        return {"type": t, "coordinates": _line(geom["arcs"], arcs)}
    if t == "MultiLineString":
        return {"type": t, "coordinates": [_line(a, arcs) for a in geom["arcs"]]}
    if t == "Point":
        return {"type": t, "coordinates": point(geom["coordinates"])}
    if t == "MultiPoint":
        return {"type": t, "coordinates": [point(p) for p in geom["coordinates"]]}
    if t == "GeometryCollection":
        return {"type": t, "geometries": [g for g in (geometry_to_geojson(x, arcs, tr)
                                                       for x in geom["geometries"]) if g]}
    raise ValueError(f"unknown TopoJSON geometry type {t!r}")


def _line(indices, arcs):
    coords = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        coords.extend(arc[1:] if coords else arc)
    return coords


def topo_features(topology: dict, name: str) -> list[dict]:
    """GeoJSON features of the GeometryCollection topology.objects[name]."""
    arcs = decode_arcs(topology)
    tr = topology.get("transform")
    obj = topology["objects"][name]
    geoms = obj["geometries"] if obj["type"] == "GeometryCollection" else [obj]
    feats = []
    for g in geoms:
        feats.append({
            "type": "Feature",
            "id": g.get("id"),
            "properties": g.get("properties") or {},
            "geometry": geometry_to_geojson(g, arcs, tr),
        })
    return feats


# --------------------------------------------------------------------------
# Geometry helpers
# --------------------------------------------------------------------------

def _polygons(geom) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    if hasattr(geom, "geoms"):
        return [p for g in geom.geoms for p in _polygons(g)]
    return []


def _crosses_antimeridian(poly: Polygon) -> bool:
    """world-atlas v2 polygons are stitched across the antimeridian (Russia's
    Chukotka, Fiji): their rings jump between lon +180 and -180. Antarctica also
    spans 360 degrees but reaches the pole edge and is already a planar shape."""
    x0, y0, x1, y1 = poly.bounds
    return x1 - x0 > 180 and y0 > -89 and y1 < 89


def unwrap(poly: Polygon) -> Polygon:
    """Shift the western-hemisphere part of an antimeridian-crossing polygon by
    +360 so it is one planar shape (lon may then exceed 180)."""
    if not _crosses_antimeridian(poly):
        return poly

    def shift(ring):
        return [(x + 360 if x < 0 else x, y) for x, y in ring.coords]

    out = Polygon(shift(poly.exterior), [shift(r) for r in poly.interiors])
    if not out.is_valid:
        out = max(_polygons(out.buffer(0)), key=lambda p: p.area)
    return out


def norm_lon(lon: float) -> float:
    return lon - 360 if lon > 180 else lon


def _approx_area(poly: Polygon) -> float:
    """Planar degree area scaled by cos(latitude): roughly proportional to km²."""
    lat = poly.centroid.y
    return poly.area * math.cos(math.radians(lat))


def largest_polygon(geojson_geom: dict) -> Polygon | None:
    geom = shape(geojson_geom)
    polys = [unwrap(p) for p in _polygons(geom) if not p.is_empty and p.area > 0]
    if not polys:
        return None
    return max(polys, key=_approx_area)


def label_point(poly: Polygon) -> tuple[float, float]:
    """(lat, lon): centroid, or representative_point() if the centroid is outside."""
    c = poly.centroid
    if not poly.contains(c):
        c = poly.representative_point()
    return c.y, norm_lon(c.x)


def feature_point(geojson_geom: dict) -> tuple[float, float] | None:
    """(lat, lon) label point of a feature; for a geometry that simplification
    collapsed to zero area (us-atlas' Falls Church, VA) the centre of its bounding box."""
    poly = largest_polygon(geojson_geom)
    if poly is not None:
        return label_point(poly)
    geom = shape(geojson_geom)
    if geom.is_empty:
        return None
    c = geom.envelope.centroid
    return c.y, norm_lon(c.x)


def fmt(v: float) -> str:
    s = f"{v:.4f}"
    return "0.0000" if s == "-0.0000" else s


# --------------------------------------------------------------------------
# Package discovery
# --------------------------------------------------------------------------

def find_package(root: Path, pkg_name: str) -> Path | None:
    for depth in range(0, 5):
        for pj in sorted(root.glob("/".join(["*"] * depth + ["package.json"]))):
            try:
                meta = json.loads(pj.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if meta.get("name") == pkg_name:
                return pj.parent
    return None


def package_meta(pkg_dir: Path) -> dict:
    return json.loads((pkg_dir / "package.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------

def build_countries(world_dir: Path, out: Path) -> int:
    topo = json.loads((world_dir / "countries-50m.json").read_text(encoding="utf-8"))
    rows = []
    for f in topo_features(topo, "countries"):
        pt = feature_point(f["geometry"])
        if pt is None:
            continue
        lat, lon = pt
        # Geometry-wide area decides the order of rows sharing an iso_n3
        # (036 is both Australia and Ashmore and Cartier Is.): largest first.
        area = sum(_approx_area(unwrap(p)) for p in _polygons(shape(f["geometry"])))
        rows.append((f["id"] or "", f["properties"].get("name", ""), lat, lon, area))
    rows.sort(key=lambda r: (r[0] == "", r[0], -r[4], r[1]))
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("iso_n3\tname\tlat\tlon\n")
        for iso, name, lat, lon, _ in rows:
            fh.write(f"{iso}\t{name}\t{fmt(lat)}\t{fmt(lon)}\n")
    return len(rows)


def build_us_admin(us_dir: Path, out: Path) -> int:
    topo = json.loads((us_dir / "counties-10m.json").read_text(encoding="utf-8"))
    rows = []
    for kind, obj in (("state", "states"), ("county", "counties")):
        feats = topo_features(topo, obj)
        feats.sort(key=lambda f: f["id"])
        for f in feats:
            fips = f["id"]
            pt = feature_point(f["geometry"])
            if pt is None:
                continue
            lat, lon = pt
            state = STATE_FIPS[fips[:2]]
            rows.append((kind, fips, f["properties"].get("name", ""), state, lat, lon))
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("kind\tfips\tname\tstate\tlat\tlon\n")
        for kind, fips, name, state, lat, lon in rows:
            fh.write(f"{kind}\t{fips}\t{name}\t{state}\t{fmt(lat)}\t{fmt(lon)}\n")
    return len(rows)


NAME_KEYS = ("name", "NAME", "name_en", "label", "Name")


def build_seas(seas_dir: Path, out: Path) -> tuple[int, str]:
    """Write seas.tsv if the package has named features; returns (rows, note)."""
    data = json.loads((seas_dir / "map.geo.json").read_text(encoding="utf-8"))
    if data.get("type") == "FeatureCollection":
        feats = data.get("features", [])
    elif data.get("type") == "Feature":
        feats = [data]
    else:  # bare geometry / GeometryCollection: no properties at all
        feats = []
    rows = []
    for f in feats:
        props = f.get("properties") or {}
        name = next((props[k] for k in NAME_KEYS if props.get(k)), None)
        if not name or not f.get("geometry"):
            continue
        poly = largest_polygon(f["geometry"])
        if poly is None:
            continue
        lat, lon = label_point(poly)
        rows.append((str(name), lat, lon))
    if not rows:
        n_geoms = len(data.get("geometries", feats))
        return 0, (f"map.geo.json is a {data.get('type')} of {n_geoms} geometry(ies) "
                   "with no properties, so no sea names; seas.tsv not written")
    rows.sort()
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("name\tlat\tlon\n")
        for name, lat, lon in rows:
            fh.write(f"{name}\t{fmt(lat)}\t{fmt(lon)}\n")
    return len(rows), ""


def _round_ring(ring, nd):
    out = []
    for x, y in ring:
        p = [round(x, nd), round(y, nd)]
        if not out or out[-1] != p:
            out.append(p)
    if len(out) >= 2 and out[0] != out[-1]:
        out.append(list(out[0]))
    return out if len(out) >= 4 else None


def _round_polygon(poly, nd):
    rings = [_round_ring(r, nd) for r in poly]
    if not rings or rings[0] is None:
        return None
    return [rings[0]] + [r for r in rings[1:] if r is not None]


def split_antimeridian(coords: list) -> list:
    """GeoJSON polygon coordinates -> list of polygon coordinates that do not
    cross the antimeridian (so Leaflet draws no band across the map)."""
    poly = Polygon(coords[0], coords[1:])
    if not _crosses_antimeridian(poly):
        return [coords]
    flat = unwrap(poly)
    parts = _polygons(flat.intersection(box(-180, -90, 180, 90)))
    parts += _polygons(translate(flat.intersection(box(180, -90, 540, 90)), xoff=-360))
    return [[list(p.exterior.coords)] + [list(r.coords) for r in p.interiors]
            for p in parts if not p.is_empty]


def build_basemap(world_dir: Path, out: Path, nd: int = 3) -> int:
    topo = json.loads((world_dir / "countries-110m.json").read_text(encoding="utf-8"))
    feats = []
    for f in topo_features(topo, "countries"):
        g = f["geometry"]
        if g is None:
            continue
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        polys = [q for p in polys for q in split_antimeridian(p)]
        polys = [p for p in (_round_polygon(p, nd) for p in polys) if p]
        if not polys:
            continue
        geom = ({"type": "Polygon", "coordinates": polys[0]} if len(polys) == 1
                else {"type": "MultiPolygon", "coordinates": polys})
        feats.append({"type": "Feature",
                      "properties": {"name": f["properties"].get("name", "")},
                      "geometry": geom})
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        json.dump({"type": "FeatureCollection", "features": feats}, fh,
                  separators=(",", ":"), ensure_ascii=False)
    return len(feats)


# --------------------------------------------------------------------------
# Natural Earth physical features (seas, gulfs, islands, ranges, ...)
# --------------------------------------------------------------------------

#: The Natural Earth 1:10m physical layers read (GeoJSON files of these names, as in the
#: CC0 conversion martynafford/natural-earth-geojson, folder 10m/physical/).
NE_LAYERS = ("ne_10m_geography_marine_polys", "ne_10m_geography_regions_polys",
             "ne_10m_geography_regions_points", "ne_10m_geography_regions_elevation_points")
#: Natural Earth ``featurecla`` -> (Storymap kind, GeoNames-style feature code); classes
#: not listed (continents, poles, spot elevations, "Dragons-be-here") are left out.
NE_CLASSES = {
    "ocean": ("water", "OCN"), "sea": ("water", "SEA"), "gulf": ("water", "GULF"),
    "bay": ("water", "BAY"), "strait": ("water", "STRT"), "sound": ("water", "SD"),
    "channel": ("water", "CHN"), "lagoon": ("water", "LGN"), "fjord": ("water", "FJD"),
    "inlet": ("water", "INLT"), "generic": ("water", "BAY"), "river": ("water", "STM"),
    "reef": ("water", "RF"), "lake": ("water", "LK"), "waterfall": ("water", "FLLS"),
    "island": ("region", "ISL"), "island group": ("region", "ISLS"),
    "range/mtn": ("region", "MTS"), "mountain": ("region", "MT"), "pass": ("region", "PASS"),
    "plateau": ("region", "PLAT"), "desert": ("region", "DSRT"), "pen/cape": ("region", "PEN"),
    "peninsula": ("region", "PEN"), "cape": ("region", "CAPE"), "geoarea": ("region", "RGN"),
    "coast": ("region", "CST"), "plain": ("region", "PLN"), "delta": ("region", "DLTA"),
    "basin": ("region", "BSN"), "valley": ("region", "VAL"), "lowland": ("region", "LWL"),
    "tundra": ("region", "TNDR"), "isthmus": ("region", "ISTH"), "wetlands": ("region", "WTLD"),
    "gorge": ("region", "GRGE"), "foothills": ("region", "HLLS"), "depression": ("region", "DPR"),
}
#: Cartographic abbreviations in Natural Earth labels, spelled out.
NE_ABBREVIATIONS = {
    "I.": "Island", "Is.": "Islands", "Mt.": "Mount", "Mts.": "Mountains", "Mtn.": "Mountain",
    "Pk.": "Peak", "Pen.": "Peninsula", "Ra.": "Range", "Plat.": "Plateau",
    "Cord.": "Cordillera", "Arch.": "Archipelago", "Str.": "Strait", "Sd.": "Sound",
    "Pt.": "Point", "St.": "Saint", "Mte.": "Monte", "C.": "Cape", "Cr.": "Creek",
    "Fk.": "Fork", "Br.": "Branch", "Ch.": "Channel", "Res.": "Reservoir", "Mid.": "Middle",
}
#: "Îles Marquesas" -> "Marquesas Islands": a foreign generic before the name, English after.
_FOREIGN_GENERIC = {"îles": "Islands", "iles": "Islands", "islas": "Islands",
                    "ilhas": "Islands", "isla": "Island", "ilha": "Island", "île": "Island"}


def _ne_title(name: str) -> str:
    """"SOUTH ISLAND" -> "South Island"; mixed case is kept as written."""
    name = " ".join(name.split())
    if not name.isupper():
        return name
    words = []
    for w in name.lower().split(" "):
        words.append(w if w in ("of", "de", "la", "and", "the", "del", "des", "du") and words
                     else w[:1].upper() + w[1:])
    return " ".join(words)


def group_point(geojson_geom: dict) -> tuple[float, float] | None:
    """(lat, lon) of an island group: the area-weighted centre of all its islands (not of
    the largest one, which may sit at one end of a chain such as the Aleutians), with
    longitudes taken on one side of the antimeridian when the group straddles it."""
    polys = [p for p in _polygons(shape(geojson_geom)) if not p.is_empty and p.area > 0]
    if not polys:
        return None
    xs = [p.centroid.x for p in polys]
    wrap = max(xs) - min(xs) > 180
    total = sx = sy = 0.0
    for p, x in zip(polys, xs):
        a = _approx_area(p)
        total += a
        sx += a * (x + 360 if wrap and x < 0 else x)
        sy += a * p.centroid.y
    return sy / total, norm_lon(sx / total)


def ne_names(raw: str, alt: str | None = None) -> list[str]:
    """A Natural Earth label's English names, the spelled-out form first:
    "Unimak I." -> ["Unimak Island", "Unimak I."]; "ÎLES MARQUESAS" -> ["Îles Marquesas",
    "Marquesas Islands", "Marquesas"]. Island groups and ranges named "X Islands" /
    "X Mountains" are also known by the plural "Xs" ("Kurils", "Rockies")."""
    out: list[str] = []
    labels = f"{raw}/{alt or ''}".replace(",", "/").split("/")
    for label in (a for a in labels if a.strip()):
        label = _ne_title(label.strip())
        words = label.split(" ")
        full = " ".join(NE_ABBREVIATIONS.get(w, w) for w in words)
        out += [full, label]
        first = words[0].lower()
        if first in _FOREIGN_GENERIC and len(words) > 1 and words[1].lower() not in (
                "de", "del", "des", "du", "da", "do", "of"):
            rest = " ".join(words[1:])
            out.append(rest + " " + _FOREIGN_GENERIC[first])
            if _FOREIGN_GENERIC[first] == "Islands" and rest.endswith("s"):
                out.append(rest)  # "Îles Marquesas": "the Marquesas"
    plural = []
    for n in out:
        head, _, generic = n.rpartition(" ")
        # not for an adjective in -an ("Hawaiians" are people) nor a head in -s (the Jones
        # Mountains are not "Jones")
        if head and generic in ("Islands", "Mountains") and head[0].isupper() and \
                not head.endswith(("an", "s")):
            plural.append(head[:-1] + "ies" if head.endswith("y") else head + "s")
    return list(dict.fromkeys(n for n in out + plural if n and len(n) > 2))


def read_layer(ne_dir: Path, layer: str) -> list[dict]:
    """The features of one Natural Earth layer, from ``layer``.json or .geojson."""
    path = ne_dir / f"{layer}.json"
    if not path.exists():
        path = ne_dir / f"{layer}.geojson"
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def build_physical(ne_dir: Path, out: Path) -> int:
    """physical.tsv: named seas, gulfs, bays, straits, islands, island groups, ranges,
    peaks, deserts, peninsulas and other regions of Natural Earth's 1:10m physical layers,
    one label point each (polygons: as for countries; points: as given)."""
    rows = []
    for layer in NE_LAYERS:
        for i, f in enumerate(read_layer(ne_dir, layer)):
            p = f.get("properties") or {}
            cls = NE_CLASSES.get((p.get("featurecla") or "").strip().lower())
            if not cls or not p.get("name") or not f.get("geometry"):
                continue
            if "Polygon" not in f["geometry"]["type"]:
                pt = (f["geometry"]["coordinates"][1], f["geometry"]["coordinates"][0])
            elif cls[1] == "ISLS":
                pt = group_point(f["geometry"])
            else:
                pt = feature_point(f["geometry"])
            if pt is None:
                continue
            names = ne_names(p["name"], p.get("namealt") or p.get("name_alt"))
            if not names:
                continue
            rank = p.get("scalerank")
            rows.append((f"ne:{layer.removeprefix('ne_10m_geography_')}:{p.get('ne_id') or i}",
                         cls[0], cls[1], names[0], "|".join(names[1:]), pt[0], pt[1],
                         "" if rank is None else str(int(rank)), p.get("region") or ""))
    rows.sort(key=lambda r: (r[1], r[3], r[0]))
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("id\tkind\tfeature\tname\tnames\tlat\tlon\tscalerank\tregion\n")
        for r in rows:
            fh.write("\t".join([*r[:5], fmt(r[5]), fmt(r[6]), *r[7:]]) + "\n")
    return len(rows)


# --------------------------------------------------------------------------
# Natural Earth rivers, lakes and glaciers
# --------------------------------------------------------------------------

#: The Natural Earth 1:10m layers of rivers, lakes and glaciers read (GeoJSON files of these
#: names, as NE_LAYERS) and the GeoNames-style code of their features; the North American
#: and European layers add smaller rivers and lakes to the world layers.
WATER_LAYERS = {
    "ne_10m_rivers_lake_centerlines": "STM", "ne_10m_rivers_north_america": "STM",
    "ne_10m_rivers_europe": "STM", "ne_10m_lakes": "LK", "ne_10m_lakes_north_america": "LK",
    "ne_10m_lakes_europe": "LK", "ne_10m_glaciated_areas": "GLCR"}
#: The layers whose ``name_alt`` is another name of the feature ("Chang Jiang": "Yangtze");
#: in the regional river layers it names the river downstream ("Oka": "Volga").
WATER_ALT_LAYERS = {"ne_10m_rivers_lake_centerlines", "ne_10m_lakes"}
#: Segments or polygons of one name this close (degrees) are one feature: a river's
#: segments meet end to end, and the world and regional layers draw the same river twice.
WATER_JOIN_DEGREES = 0.1
#: Words that make a label the feature's full name ("Beaver Creek", "Lago Titicaca",
#: "Qinghai Hu", "Vatnajökull" has none), first or last; lower case.
WATER_GENERICS = {
    "STM": {"river", "creek", "fork", "branch", "canal", "channel", "delta", "brook", "bayou",
            "slough", "rio", "río", "rivière", "riviere", "wadi", "oued", "bahr", "nahr",
            "darya", "jiang"},
    "LK": {"lake", "lakes", "reservoir", "pond", "lagoon", "sea", "bay", "channel", "dam",
           "loch", "lough", "lac", "lago", "lagoa", "laguna", "ozero", "lacul", "limni",
           "jezioro", "danau", "buhayrat", "embalse", "presa", "represa", "réservoir",
           "barragem", "hu", "nuur", "nur", "köli", "kli", "gölü", "golu", "see", "co",
           "shuiku", "baraji", "meer", "sagar"},
    "GLCR": {"glacier", "icefield", "icefiled", "ice", "icecap", "cap", "sheet", "field"},
}  # "icefiled": Natural Earth's "Cambria Icefiled"
#: Natural Earth's scale rank (0 the largest features) up to which a feature's bare name
#: is kept: news names a great river alone ("the Indus", "the Mekong"), a small one with
#: its generic; alone, "Republican", "Ebola", "Nation" or "Medicine" is something else.
BARE_MAX_RANK = 6
#: Lake words of other languages, before or after the name, that English writes "Lake X":
#: "Lago de Managua", "Ozero Teletskoye", "Qinghai Hu", "Khövsgöl Nuur".
_LAKE_BEFORE = {"lac", "lago", "lagoa", "ozero", "lacul", "limni", "jezioro", "danau",
                "buhayrat"}
_LAKE_AFTER = {"hu", "nuur", "nur", "köli", "kli", "gölü", "golu", "see"}
#: A river label's leading direction, spelled out: "S. Fork Kuskokwim" (elsewhere "S." is
#: also "Serra", so this is not in NE_ABBREVIATIONS).
_DIRECTIONS = {"N.": "North", "S.": "South", "E.": "East", "W.": "West"}


def water_label(raw: str) -> tuple[str, list[str]]:
    """A water label and the other names it carries: "S. Fork Kuskokwim" -> "South Fork
    Kuskokwim"; "Conn (Lough)" -> "Lough Conn"; "Atango (Chapalanga)" -> "Atango" and
    "Chapalanga"; "Goksu (northern branch)" -> "Goksu" (a remark is no name)."""
    label, other = " ".join(raw.split()), []
    if label.endswith(")") and " (" in label:
        label, _, inner = label[:-1].partition(" (")
        if inner.lower() in WATER_GENERICS["LK"]:
            label = f"{inner} {label}"
        elif inner[:1].isupper():
            other.append(inner)
    head, _, rest = label.partition(" ")
    if head in _DIRECTIONS and rest:
        label = f"{_DIRECTIONS[head]} {rest}"
    return label, other


def water_forms(name: str, code: str) -> tuple[list[str], list[str]]:
    """(forms, bare) of one name: the forms news writes, which always reach the feature,
    and the bare name, which reaches it only where no other place has it. "Indus" ->
    (["Indus River", "River Indus"], ["Indus"]); "Lake Erie" -> (["Lake Erie"], []);
    "Lago Titicaca" -> (["Lago Titicaca", "Lake Titicaca"], []); "Big Cr." -> (["Big Cr."],
    []); "Vatnajökull" -> (["Vatnajökull Glacier"], ["Vatnajökull"]). A label with its
    generic keeps it: alone, the "Nasser" of "Lake Nasser" or the "Great Salt" of "Great
    Salt Lake" is no name of the lake, and "Jackson Lake" reversed is the town of Lake
    Jackson, Texas."""
    words = name.split(" ")
    spelled = [NE_ABBREVIATIONS.get(w, w).lower() for w in words]
    first, last = spelled[0], spelled[-1]
    if len(words) > 1 and {first, last} & WATER_GENERICS[code]:
        if code == "LK" and first in _LAKE_BEFORE:
            rest = " ".join(words[2:] if spelled[1] in ("de", "di", "du", "del") else words[1:])
            return [name, f"Lake {rest}"], []
        if code == "LK" and last in _LAKE_AFTER:
            head = " ".join(words[:-1])
            return [name, f"Lake {head}", f"{head} Lake"], []
        return [name], []
    return {"STM": [f"{name} River", f"River {name}"], "LK": [f"Lake {name}", f"{name} Lake"],
            "GLCR": [f"{name} Glacier"]}[code], [name]


def _join_groups(geoms: list) -> list[list[int]]:
    """Indices of the geometries of one name, grouped where they lie within
    WATER_JOIN_DEGREES of each other (directly or through others)."""
    parent = list(range(len(geoms)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(geoms)):
        for j in range(i + 1, len(geoms)):
            if root(i) != root(j) and geoms[i].distance(geoms[j]) <= WATER_JOIN_DEGREES:
                parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(geoms)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def river_point(geoms: list) -> tuple[float, float]:
    """(lat, lon) on a river: the middle of its longest stretch once its segments are
    joined end to end, so the point lies on the water (a bend's centroid may not)."""
    lines = [g for geom in geoms for g in getattr(geom, "geoms", [geom])]
    merged = linemerge(lines)
    longest = max(getattr(merged, "geoms", [merged]), key=lambda g: g.length)
    p = longest.interpolate(0.5, normalized=True)
    return p.y, norm_lon(p.x)


#: Degrees a river's drawn line may stray from Natural Earth's 1:10m line (about 2 km).
RIVER_SIMPLIFY = 0.02


RIVER_LINES = "river_lines.json"


def river_line(geoms: list) -> list[list[list[float]]]:
    """A river's course as MultiLineString coordinates ([lon, lat], 3 decimals): its
    segments joined end to end and simplified, so the map can draw the whole river and the
    resolver can put its pin at the stretch a story is about."""
    lines = [g for geom in geoms for g in getattr(geom, "geoms", [geom])]
    merged = linemerge(lines)
    parts = []
    for line in getattr(merged, "geoms", [merged]):
        coords = [[round(norm_lon(x), 3), round(y, 3)]
                  for x, y, *_ in line.simplify(RIVER_SIMPLIFY).coords]
        if len(coords) >= 2:
            parts.append(coords)
    return parts


def area_point(geoms: list) -> tuple[float, float]:
    """(lat, lon) of a lake or glacier: the label point of its largest polygon."""
    polys = [unwrap(p) for g in geoms for p in _polygons(g) if not p.is_empty and p.area > 0]
    return label_point(max(polys, key=_approx_area))


def _water_parts(ne_dir: Path) -> dict[tuple[str, str], list[tuple[str, int, dict]]]:
    """(feature code, name) -> the named features of that name: (layer, index, feature)."""
    parts: dict[tuple[str, str], list[tuple[str, int, dict]]] = {}
    for layer, code in WATER_LAYERS.items():
        for i, f in enumerate(read_layer(ne_dir, layer)):
            name = " ".join(((f.get("properties") or {}).get("name") or "").split())
            if name and f.get("geometry"):
                parts.setdefault((code, name), []).append((layer, i, f))
    return parts


def water_names(code: str, raw: str, alts: list[str], rank: int) -> tuple[list[str], list[str]]:
    """(forms, bare) of one feature (see ``water_forms``): its label's and its alternates',
    bare names only of its label and only at a scale rank up to BARE_MAX_RANK."""
    label, other = water_label(raw)
    forms, bare = [], []
    for n in ne_names("/".join([label, *other])):
        named, short = water_forms(n, code)
        forms += named
        bare += short if rank <= BARE_MAX_RANK else []
    # "Yellow" of the Huang is never bare; "Finger Lakes" is the group a lake is in
    for n in ne_names("/".join(a for a in alts if not a.endswith("Lakes"))):
        forms += water_forms(n, code)[0]
    forms = list(dict.fromkeys(forms))
    return forms, [b for b in dict.fromkeys(bare) if b not in forms and len(b) > 2]


def water_rows(ne_dir: Path) -> list[tuple]:
    """One row per named river, lake or glacier: the features of one name that touch (see
    ``_join_groups``) are one; those far apart (the Colorado of Texas and of Arizona) not.
    Lake centrelines count as river segments but make no river alone (the lake layers have
    the lake), and a lake layer's "X River" is a stretch of a river the river layers have."""
    rows = []
    for (code, raw), feats in _water_parts(ne_dir).items():
        geoms = [shape(f["geometry"]) for _, _, f in feats]
        for group in _join_groups(geoms):
            props = [feats[i][2]["properties"] for i in group]
            if (code == "STM" and not any("River" in p.get("featurecla", "") for p in props)) \
                    or (code != "STM" and water_label(raw)[0].endswith(" River")):
                continue
            ranks = [int(p["scalerank"]) for p in props if p.get("scalerank") is not None]
            alts = [p["name_alt"] for p, i in zip(props, group)
                    if feats[i][0] in WATER_ALT_LAYERS and p.get("name_alt")]
            forms, bare = water_names(code, raw, alts, min(ranks, default=99))
            if not forms:
                continue
            reservoir = any(p.get("featurecla") == "Reservoir" for p in props)
            parts = [geoms[i] for i in group]
            lat, lon = (river_point if code == "STM" else area_point)(parts)
            layer, index, _ = feats[group[0]]
            rows.append((f"ne:{layer.removeprefix('ne_10m_')}:{index}",
                         "RSV" if reservoir else code, forms[0], "|".join(forms[1:]),
                         "|".join(bare), lat, lon, str(min(ranks)) if ranks else "",
                         river_line(parts) if code == "STM" else None))
    return sorted(rows, key=lambda r: (r[1], r[2], r[0]))


def build_waters(ne_dir: Path, out: Path) -> int:
    """waters.tsv: Natural Earth's named rivers, lakes, reservoirs and glaciers; beside it
    river_lines.json, each river's course by its waters.tsv id."""
    rows = water_rows(ne_dir)
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("id\tfeature\tname\tnames\tbare\tlat\tlon\tscalerank\n")
        for r in rows:
            fh.write("\t".join([*r[:5], fmt(r[5]), fmt(r[6]), r[7]]) + "\n")
    lines = {r[0]: r[8] for r in rows if r[8]}
    (out.parent / RIVER_LINES).write_text(json.dumps(
        {"about": "Rivers' courses (GeoJSON MultiLineString coordinates, lon/lat) by "
                  "waters.tsv id; Natural Earth 1:10m (public domain), simplified to "
                  f"{RIVER_SIMPLIFY} degrees. Written by scripts/build_data.py.",
         "lines": lines}, separators=(",", ":")) + "\n", encoding="utf-8")
    return len(rows)


def physical_sources(n_rows: int) -> list[str]:
    return [
        "## physical.tsv",
        "",
        f"Columns `id kind feature name names lat lon scalerank region`, {n_rows} rows: the named",
        "features of four Natural Earth 1:10m physical layers (`geography_marine_polys`:",
        "oceans, seas, gulfs, bays, straits, sounds, channels, lagoons, fjords;",
        "`geography_regions_polys`: islands, island groups, mountain ranges, deserts,",
        "plateaus, peninsulas, plains, deltas and other regions; `geography_regions_points`:",
        "islands, capes, waterfalls; `geography_regions_elevation_points`: named peaks and",
        "passes). `kind` is `water` or `region`; `feature` a GeoNames-style code (SEA, GULF,",
        "ISL, ISLS, MTS, MT, PEN, DSRT, ...). `name` is the label with Natural Earth's",
        "cartographic abbreviations spelled out (\"Unimak I.\" -> \"Unimak Island\"), title-cased",
        "where the label is in capitals; `names` (`|`-separated) holds the label as written,",
        "Natural Earth's alternate name, \"X Islands\" for \"Îles X\"/\"Islas X\", and the plural",
        "short form of island groups and ranges (\"Kurils\", \"Rockies\"; not for names in",
        "-an or -s such as \"Hawaiian\", \"Jones\"). Points of polygons are computed as above, except island",
        "groups: the area-weighted centre of all their parts; point layers keep their points.",
        "",
        "Input: Natural Earth 1:10m physical vectors (version 4.0.0, 2017) as GeoJSON, from",
        "the GitHub repository `martynafford/natural-earth-geojson` (commit 0b9a6ce, folder",
        "`10m/physical/`; `ne_10m_geography_regions_polys` unpacked from its `.7z`):",
        "`python scripts/build_data.py --natural-earth DIR` with the four files in DIR",
        "(and waters.tsv's seven, below; no package registry ships these layers with their",
        "names).",
        "",
        "Licence: Natural Earth data is public domain (naturalearthdata.com); the GeoJSON",
        "conversion is CC0. Credit: \"Made with Natural Earth\".",
        "",
    ]


def replace_section(sources: Path, lines: list[str], before: str | None = None) -> None:
    """Replace the section of SOURCES.md that starts with ``lines[0]`` (a heading), or add
    it before the heading ``before`` (at the end if there is none)."""
    text = sources.read_text(encoding="utf-8") if sources.exists() else ""
    block = "\n".join(lines)
    start = text.find(lines[0])
    if start < 0:
        marker = text.find(before) if before else -1
        start = end = marker if marker >= 0 else len(text)
        if start == len(text) and text and not text.endswith("\n\n"):
            block = "\n" + block
    else:
        nxt = text.find("\n## ", start + 3)
        end = nxt + 1 if nxt >= 0 else len(text)
    sources.write_text(text[:start] + block + "\n" + text[end:], encoding="utf-8")


def update_physical_section(sources: Path, n_rows: int) -> None:
    """Replace (or add) the physical.tsv section of SOURCES.md."""
    replace_section(sources, physical_sources(n_rows), before="## basemap/")


def waters_sources(n_rows: int) -> list[str]:
    return [
        "## waters.tsv",
        "",
        f"Columns `id feature name names bare lat lon scalerank`, {n_rows} rows: the named",
        "rivers, lakes, reservoirs and glaciers of seven Natural Earth 1:10m physical layers",
        "(`rivers_lake_centerlines`, `rivers_north_america`, `rivers_europe`, `lakes`,",
        "`lakes_north_america`, `lakes_europe`, `glaciated_areas`). `feature` is STM (river or",
        "creek), LK (lake), RSV (Natural Earth's class Reservoir) or GLCR (glacier, ice cap,",
        "icefield). One row per feature: the segments or polygons of one name within 0.1",
        "degrees of each other, directly or through others, are one feature (a river's",
        "segments meet end to end; the world and regional layers draw some rivers twice);",
        "the same name far apart is another feature (the Colorado of Texas and of Arizona).",
        "Lake centrelines count as river segments but make no river alone; a lake layer's",
        "polygon named \"X River\" (a stretch of a river) is left out.",
        "",
        "Names: labels spelled out as in physical.tsv, plus \"Cr.\", \"Fk.\", \"Br.\", \"Ch.\",",
        "\"Res.\", \"Mid.\" and a river's leading \"N.\"/\"S.\"/\"E.\"/\"W.\"; \"Conn (Lough)\" is",
        "\"Lough Conn\", another name in brackets is an alternate. `name` and `names`",
        "(`|`-separated) are the forms news writes, which always reach the feature: a label",
        "without a generic word as \"X River\" and \"River X\" (rivers), \"Lake X\" and \"X Lake\"",
        "(lakes), \"X Glacier\" (glaciers); a label with one as written (\"Beaver Creek\",",
        "\"Lake Erie\", \"Jackson Lake\", \"Kuybyshev Reservoir\"), and also as \"Lake X\" for a",
        "lake word of another language (\"Lago de Managua\", \"Ozero Teletskoye\", \"Qinghai Hu\",",
        "\"Khövsgöl Nuur\"). Natural Earth's `name_alt` adds more such forms, read from",
        "`rivers_lake_centerlines` and `lakes` only (in the regional river layers it names the",
        "river downstream), and not where it names a group (\"Finger Lakes\"). `bare` is the",
        "label without a generic word (\"Indus\", \"Vänern\", \"Vatnajökull\") of a feature of",
        "scale rank 6 or less (news names a great river alone, a small one with its generic:",
        "alone, \"Republican\", \"Ebola\", \"Nation\" are something else); the gazetteer gives it",
        "to the feature only where no other place has it. A label with a generic word gives",
        "no bare name (the \"Nasser\" of \"Lake Nasser\" is a person), nor does an alternate",
        "(\"Yellow\" of the Huang).",
        "",
        "Points: a river's is the middle of its longest stretch once its segments are joined",
        "end to end (shapely `linemerge`, then `interpolate(0.5, normalized=True)`), so it lies",
        "on the river (GeoNames puts a river at its mouth, so a long river's point may be",
        "hundreds of km from that); a lake's or glacier's is the label point of its largest",
        "polygon, as above. `scalerank` is the smallest of the feature's parts.",
        "",
        "`river_lines.json` (written beside it) holds each river's course by its `id`: its",
        "segments joined as above, simplified to 0.02 degrees (shapely `simplify`), as GeoJSON",
        "MultiLineString coordinates (lon, lat; 3 decimals). The map draws the river along it and",
        "the resolver puts its pin at the point of it nearest the story's other places.",
        "",
        "Input: as physical.tsv (the same commit and folder; `rivers_lake_centerlines`,",
        "`rivers_north_america`, `lakes` and `glaciated_areas` unpacked from their `.7z`):",
        "`python scripts/build_data.py --natural-earth DIR` builds these files.",
        "",
        "Licence: Natural Earth data is public domain (naturalearthdata.com); the GeoJSON",
        "conversion is CC0. Credit: \"Made with Natural Earth\".",
        "",
    ]


def update_waters_section(sources: Path, n_rows: int) -> None:
    """Replace (or add) the waters.tsv section of SOURCES.md, after physical.tsv's."""
    replace_section(sources, waters_sources(n_rows), before="## basemap/")


def tsv_rows(path: Path) -> int:
    """The number of data rows of a TSV file with a header line."""
    with path.open(encoding="utf-8") as fh:
        return sum(1 for _ in fh) - 1


def write_sources(out: Path, metas: dict, counts: dict, seas_note: str) -> None:
    w, u, s = metas["world"], metas["us"], metas.get("seas")
    cmd = ("tmp=$(mktemp -d) && (cd \"$tmp\" && npm pack world-atlas@2 us-atlas@3 "
           "@geo-maps/earth-seas-10m && for f in *.tgz; do mkdir \"${f%.tgz}\" && "
           "tar xzf \"$f\" -C \"${f%.tgz}\"; done) && python scripts/build_data.py \"$tmp\"")
    lines = [
        "# Sources of the files in data/",
        "",
        "Generated by `scripts/build_data.py`; do not edit by hand. Rebuild all of them with:",
        "",
        "```sh",
        cmd,
        "```",
        "",
        "Label points are the centroid of each feature's largest polygon (by approximate",
        "area), or shapely's `representative_point()` of that polygon when the centroid",
        "falls outside it; 4 decimals, WGS84 lat/lon.",
        "",
        "## countries.tsv",
        "",
        f"Columns `iso_n3 name lat lon`, {counts['countries']} rows, one per feature of "
        f"`countries-50m.json` in npm `world-atlas@{w['version']}` (Natural Earth 4.1.0 "
        "Admin 0 countries, 1:50m).",
        "`iso_n3` is the ISO 3166-1 numeric code as a 3-digit string. Natural Earth gives",
        "no code to Somaliland, Kosovo, N. Cyprus, Indian Ocean Ter. and Siachen Glacier:",
        "their `iso_n3` is empty (they are the last rows). `036` is used by both Australia",
        "and Ashmore and Cartier Is.; for a repeated code the largest country comes first,",
        "so readers should keep the first row per code.",
        "",
        f"Licence: package `world-atlas` {w.get('license')} (Copyright Michael Bostock); "
        "Natural Earth data is public domain.",
        "",
        "## us_admin.tsv",
        "",
        f"Columns `kind fips name state lat lon`, {counts['us_admin']} rows: `kind=state` "
        "(2-digit FIPS, 50 states + DC + AS, GU, MP, PR, VI) and `kind=county` (5-digit "
        "FIPS; county-equivalents, including territories), from the `states` and "
        f"`counties` objects of `counties-10m.json` in npm `us-atlas@{u['version']}` "
        "(US Census Bureau cartographic boundary files, 2017). `state` is the USPS code "
        "mapped from the state FIPS code; `name` is as in us-atlas (e.g. `Autauga`, no "
        "\"County\" suffix). Falls Church, VA (51610) collapsed to zero area in the "
        "simplified topology; its point is the centre of its vertices' bounding box.",
        "",
        f"Licence: package `us-atlas` {u.get('license')} (Copyright Michael Bostock); "
        "US Census Bureau data is public domain.",
        "",
        "## seas.tsv",
        "",
    ]
    if seas_note:
        ver = s["version"] if s else "?"
        lines += [
            f"Not built. `@geo-maps/earth-seas-10m@{ver}` was checked: {seas_note}.",
            f"(Its licence field says {s.get('license') if s else '?'} for the code; its README "
            "says the data, derived from OpenStreetMap, is under ODbL.)",
        ]
    else:
        lines += [
            f"Columns `name lat lon`, {counts['seas']} rows, from npm "
            f"`@geo-maps/earth-seas-10m@{s['version']}`. Licence field: {s.get('license')} "
            "(code); README says the OpenStreetMap-derived data is under ODbL.",
        ]
    lines += [
        "",
        "## basemap/countries-110m.geojson",
        "",
        f"GeoJSON FeatureCollection of {counts['basemap']} country outlines from "
        f"`countries-110m.json` in npm `world-atlas@{w['version']}` (Natural Earth 1:110m), "
        "only the `name` property, coordinates rounded to 3 decimals, compact JSON;",
        "polygons crossing the antimeridian (Russia, Fiji) are split at 180 degrees. Used",
        "by `geo/resolution/areas.py` to cut a country into parts (the map draws the 1:50m outlines).",
        "",
        f"Licence: as countries.tsv (package {w.get('license')}, Natural Earth data public domain).",
        "",
    ]
    out.write_text("\n".join(lines), encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("src", type=Path, nargs="?",
                    help="directory holding the unpacked npm tarballs (omit to rebuild only "
                         "physical.tsv and waters.tsv)")
    ap.add_argument("--natural-earth", type=Path, metavar="DIR",
                    help="folder with the Natural Earth 1:10m physical GeoJSON files: "
                         "(re)build physical.tsv and waters.tsv")
    ap.add_argument("--out", type=Path, default=REPO / "data", help="output directory")
    args = ap.parse_args(argv)
    if args.src is None and args.natural_earth is None:
        ap.error("give the npm packages' folder, --natural-earth DIR, or both")
    args.out.mkdir(parents=True, exist_ok=True)
    if args.src is None:
        n = build_physical(args.natural_earth, args.out / "physical.tsv")
        update_physical_section(args.out / "SOURCES.md", n)
        w = build_waters(args.natural_earth, args.out / "waters.tsv")
        update_waters_section(args.out / "SOURCES.md", w)
        print(f"physical: {n} rows\nwaters: {w} rows")
        return 0

    dirs = {k: find_package(args.src, n) for k, n in PACKAGES.items()}
    for k in ("world", "us"):
        if dirs[k] is None:
            ap.error(f"package {PACKAGES[k]} not found under {args.src}")
    metas = {k: package_meta(d) for k, d in dirs.items() if d}
    args.out.mkdir(parents=True, exist_ok=True)

    counts = {}
    counts["countries"] = build_countries(dirs["world"], args.out / "countries.tsv")
    counts["us_admin"] = build_us_admin(dirs["us"], args.out / "us_admin.tsv")
    if dirs["seas"] is None:
        seas_note = "package not found in the source directory"
    else:
        counts["seas"], seas_note = build_seas(dirs["seas"], args.out / "seas.tsv")
    counts["basemap"] = build_basemap(dirs["world"],
                                      args.out / "basemap" / "countries-110m.geojson")
    write_sources(args.out / "SOURCES.md", metas, counts, seas_note)
    from build_basemap import build as build_outlines
    from build_basemap import update_sources as outlines_sources
    counts["outlines"] = build_outlines(dirs["world"], args.out / "basemap" / "countries-50m.json")
    outlines_sources(args.out / "SOURCES.md", counts["outlines"])
    if args.natural_earth is not None:
        counts["physical"] = build_physical(args.natural_earth, args.out / "physical.tsv")
        counts["waters"] = build_waters(args.natural_earth, args.out / "waters.tsv")
    if (args.out / "physical.tsv").exists():
        update_physical_section(args.out / "SOURCES.md", tsv_rows(args.out / "physical.tsv"))
    if (args.out / "waters.tsv").exists():
        update_waters_section(args.out / "SOURCES.md", tsv_rows(args.out / "waters.tsv"))
    if (args.out / "volcanoes.tsv").exists():  # built by build_volcanoes.py: keep its section
        from build_volcanoes import update_section as volcanoes_section
        volcanoes_section(args.out / "SOURCES.md", tsv_rows(args.out / "volcanoes.tsv"))

    for k, v in counts.items():
        print(f"{k}: {v} rows/features")
    if seas_note:
        print(f"seas: skipped -- {seas_note}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
