"""Checks of the committed offline geographic data in data/ (built by
scripts/build_data.py from the world-atlas, us-atlas and @geo-maps npm packages)."""
import csv
import json
import math
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"


def haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def read_tsv(name):
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def countries():
    return read_tsv("countries.tsv")


@pytest.fixture(scope="module")
def country_by_iso(countries):
    out = {}
    for r in countries:  # first row wins for a repeated code (036)
        if r["iso_n3"]:
            out.setdefault(r["iso_n3"], r)
    return out


@pytest.fixture(scope="module")
def us_admin():
    return read_tsv("us_admin.tsv")


def dist_km(row, lat, lon):
    return haversine_km(float(row["lat"]), float(row["lon"]), lat, lon)


def near(row, lat, lon, km):
    d = dist_km(row, lat, lon)
    assert d <= km, f"{row['name']}: {row['lat']},{row['lon']} is {d:.0f} km from {lat},{lon}"


# ---------------------------------------------------------------- countries

def test_countries_shape(countries):
    with (DATA / "countries.tsv").open(encoding="utf-8") as fh:
        assert fh.readline().rstrip("\n").split("\t") == ["iso_n3", "name", "lat", "lon"]
    assert 230 <= len(countries) <= 260
    for r in countries:
        assert r["iso_n3"] == "" or (len(r["iso_n3"]) == 3 and r["iso_n3"].isdigit()), r
        assert r["name"]
        lat, lon = float(r["lat"]), float(r["lon"])
        assert -90 <= lat <= 90 and -180 <= lon <= 180, r
        assert len(r["lat"].split(".")[1]) == 4 and len(r["lon"].split(".")[1]) == 4


def test_syria(country_by_iso):
    assert country_by_iso["760"]["name"] == "Syria"
    near(country_by_iso["760"], 35.0, 38.5, 300)


def test_usa_point_in_lower_48(country_by_iso):
    us = country_by_iso["840"]
    lat, lon = float(us["lat"]), float(us["lon"])
    assert 24 < lat < 50 and -125 < lon < -66
    near(us, 39.0, -98.0, 500)


def test_france_metropolitan(country_by_iso):
    near(country_by_iso["250"], 46.5, 2.5, 300)


def test_russia_exists_and_is_in_siberia(country_by_iso):
    ru = country_by_iso["643"]
    assert ru["name"] == "Russia"
    # Its largest polygon crosses the antimeridian; the point must not be dragged
    # into the Atlantic by treating +180/-180 as far apart.
    assert 50 < float(ru["lat"]) < 72 and 60 < float(ru["lon"]) < 130


def test_fiji_not_broken_by_antimeridian(country_by_iso):
    near(country_by_iso["242"], -17.8, 178.0, 200)


def test_repeated_code_keeps_largest_first(country_by_iso):
    assert country_by_iso["036"]["name"] == "Australia"
    near(country_by_iso["036"], -25.0, 134.0, 500)


def test_a_few_more_countries(country_by_iso):
    near(country_by_iso["076"], -10.0, -53.0, 800)   # Brazil
    near(country_by_iso["826"], 53.0, -2.0, 400)    # United Kingdom, Great Britain
    near(country_by_iso["392"], 36.5, 138.5, 500)   # Japan, Honshu
    near(country_by_iso["578"], 64.0, 13.0, 500)    # Norway mainland, not Svalbard


# ---------------------------------------------------------------- US admin

def test_us_admin_shape(us_admin):
    with (DATA / "us_admin.tsv").open(encoding="utf-8") as fh:
        assert fh.readline().rstrip("\n").split("\t") == \
            ["kind", "fips", "name", "state", "lat", "lon"]
    states = [r for r in us_admin if r["kind"] == "state"]
    counties = [r for r in us_admin if r["kind"] == "county"]
    assert len(states) == 56
    assert len(counties) > 3100
    assert len(states) + len(counties) == len(us_admin)
    assert len({r["state"] for r in states}) == 56
    state_code = {r["fips"]: r["state"] for r in states}
    for r in counties:
        assert len(r["fips"]) == 5 and r["fips"].isdigit(), r
        assert r["state"] == state_code[r["fips"][:2]], r
    fips = [(r["kind"], r["fips"]) for r in us_admin]
    assert len(fips) == len(set(fips))


def test_ohio_state(us_admin):
    ohio = [r for r in us_admin if r["kind"] == "state" and r["name"] == "Ohio"]
    assert len(ohio) == 1 and ohio[0]["fips"] == "39" and ohio[0]["state"] == "OH"
    near(ohio[0], 40.3, -82.8, 150)


def test_rapides_parish(us_admin):
    rows = [r for r in us_admin if r["kind"] == "county" and r["name"] == "Rapides"]
    assert len(rows) == 1 and rows[0]["state"] == "LA" and rows[0]["fips"] == "22079"
    near(rows[0], 31.2, -92.5, 60)


def test_autauga_and_alaska(us_admin):
    autauga = [r for r in us_admin if r["name"] == "Autauga"]
    assert len(autauga) == 1 and autauga[0]["state"] == "AL" and autauga[0]["fips"] == "01001"
    ak = [r for r in us_admin if r["kind"] == "state" and r["state"] == "AK"][0]
    assert 58 < float(ak["lat"]) < 70 and -165 < float(ak["lon"]) < -140


# ---------------------------------------------------------------- basemap

def test_basemap_geojson():
    path = DATA / "basemap" / "countries-110m.geojson"
    assert path.stat().st_size < 800_000
    fc = json.loads(path.read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection"
    feats = fc["features"]
    assert len(feats) > 150
    names = set()
    for f in feats:
        assert f["type"] == "Feature"
        assert list(f["properties"]) == ["name"] and f["properties"]["name"]
        names.add(f["properties"]["name"])
        g = f["geometry"]
        assert g["type"] in ("Polygon", "MultiPolygon")
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        assert polys
        for poly in polys:
            for ring in poly:
                assert len(ring) >= 4 and ring[0] == ring[-1]
                for (x, y), (x2, _) in zip(ring, ring[1:]):
                    assert -180 <= x <= 180 and -90 <= y <= 90
                    assert x == round(x, 3) and y == round(y, 3)
                    # no edge jumps across the map (would draw a band in Leaflet)
                    assert abs(x2 - x) < 180, f["properties"]["name"]
    assert {"France", "Russia", "United States of America", "Fiji"} <= names


def test_basemap_geometry_contains_capitals():
    from shapely import geometry as shapely_geometry

    fc = json.loads((DATA / "basemap" / "countries-110m.geojson").read_text(encoding="utf-8"))
    by_name = {f["properties"]["name"]: shapely_geometry.shape(f["geometry"])
               for f in fc["features"]}
    assert by_name["France"].contains(shapely_geometry.Point(2.35, 48.86))      # Paris
    assert by_name["Russia"].contains(shapely_geometry.Point(37.62, 55.75))     # Moscow
    assert by_name["Brazil"].contains(shapely_geometry.Point(-47.88, -15.79))   # Brasilia


def test_outlines_50m_are_small_and_whole():
    """The map's land and country shapes (geo/maps/outlines.py): 1:50m, split at 180 degrees,
    small enough to travel with every map."""
    from geo.maps.outlines import BASEMAP, _shapes

    assert BASEMAP == DATA / "basemap" / "countries-50m.json"
    assert BASEMAP.stat().st_size < 300_000
    shapes = _shapes(BASEMAP)
    assert len(shapes) == 241
    for name, g in shapes.items():
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        for ring in (r for poly in polys for r in poly):
            assert len(ring) >= 4 and ring[0] == ring[-1], name
            for (x, y), (x2, y2) in zip(ring, ring[1:]):
                assert -180 <= x <= 180 and -90 <= y <= 90, name
                # no band across the map (Antarctica spans it: its ring closes along the
                # bottom edge, below -84 degrees)
                assert abs(x2 - x) < 180 or (name == "Antarctica" and y < -84), name


def test_outlines_50m_coasts_fit_zoom_8():
    """At 1:110m Tartus lay 8 km out at sea; now its coast is within about a kilometre."""
    from shapely import geometry as shapely_geometry

    from geo.maps.outlines import BASEMAP, _shapes

    shapes = {n: shapely_geometry.shape(g) for n, g in _shapes(BASEMAP).items()}
    assert shapes["Syria"].distance(shapely_geometry.Point(35.887, 34.889)) < 0.01  # Tartus
    assert shapes["Syria"].contains(shapely_geometry.Point(36.29, 33.51))       # Damascus
    assert shapes["France"].contains(shapely_geometry.Point(2.35, 48.86))       # Paris
    assert shapes["Russia"].contains(shapely_geometry.Point(37.62, 55.75))      # Moscow
    assert shapes["Russia"].contains(shapely_geometry.Point(-175.0, 66.5))      # Chukotka
    assert shapes["Fiji"].contains(shapely_geometry.Point(178.0, -17.8))        # Viti Levu


def test_sources_md_mentions_every_file():
    text = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    for name in ("countries.tsv", "us_admin.tsv", "seas.tsv",
                 "basemap/countries-110m.geojson", "basemap/countries-50m.json",
                 "world-atlas@", "us-atlas@",
                 "public domain", "ISC"):
        assert name in text, name


# ---------------------------------------------------------------- physical features

def test_physical_features_shape():
    rows = read_tsv("physical.tsv")
    with (DATA / "physical.tsv").open(encoding="utf-8") as fh:
        assert fh.readline().rstrip("\n").split("\t") == [
            "id", "kind", "feature", "name", "names", "lat", "lon", "scalerank", "region"]
    assert 1500 <= len(rows) <= 4000
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["kind"] in ("water", "region") and r["feature"] and r["name"], r
        assert -90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180, r
        assert not r["name"].endswith((" I.", " Is.", " Mts.", " Pen.", " Ra.")), r
    by_name = {r["name"]: r for r in rows}
    near(by_name["Bay of Bengal"], 15.0, 88.0, 600)
    near(by_name["Tasman Sea"], -40.0, 160.0, 800)
    assert by_name["Unimak Island"]["feature"] == "ISL"  # "Unimak I." spelled out
    assert "Kurils" in by_name["Kuril Islands"]["names"].split("|")


def test_waters_shape():
    rows = read_tsv("waters.tsv")
    with (DATA / "waters.tsv").open(encoding="utf-8") as fh:
        assert fh.readline().rstrip("\n").split("\t") == [
            "id", "feature", "name", "names", "bare", "lat", "lon", "scalerank"]
    assert 4000 <= len(rows) <= 8000
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["feature"] in ("STM", "LK", "RSV", "GLCR") and r["name"], r
        assert -90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180, r
    by_name = {r["name"]: r for r in rows}
    near(by_name["Indus River"], 28.0, 69.5, 300)  # its middle, in Sindh
    near(by_name["Lake Victoria"], -1.0, 33.0, 150)
    assert by_name["Big Creek"]["names"] == "Big Cr."  # "Cr." spelled out, no "River"
    assert by_name["Mýrdalsjökull Glacier"]["bare"] == "Mýrdalsjökull"
