"""scripts/build_data.py on tiny hand-made Natural Earth layers (no downloads)."""
import importlib.util
import json

from shapely.geometry import LineString, Point

from .conftest import ROOT

_spec = importlib.util.spec_from_file_location("build_data", ROOT / "scripts" / "build_data.py")
build_data = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_data)


def _feature(props: dict, geometry: dict) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def _line(coords: list) -> dict:
    return {"type": "LineString", "coordinates": coords}


def test_waters_one_row_per_river_and_lake_with_the_forms_news_writes(tmp_path):
    river = {"featurecla": "River", "name": "Tinyriver", "scalerank": 5}
    layers = {layer: [] for layer in build_data.WATER_LAYERS}
    layers["ne_10m_rivers_lake_centerlines"] = [
        # two segments meeting end to end are one river; the namesake far away another
        _feature({**river, "name_alt": "Wee"}, _line([[10, 0], [11, 0], [12, 0]])),
        _feature(river, _line([[12, 0], [12, 2]])),
        _feature({**river, "scalerank": 9}, _line([[50, 40], [51, 40]])),
        _feature({"featurecla": "Lake Centerline", "name": "Onlylake"}, _line([[0, 5], [1, 5]])),
    ]
    layers["ne_10m_lakes"] = [_feature(
        {"featurecla": "Lake", "name": "Lago de Poco", "scalerank": 3},
        {"type": "Polygon", "coordinates": [[[20, 20], [21, 20], [21, 21], [20, 21], [20, 20]]]})]
    for layer, feats in layers.items():
        (tmp_path / f"{layer}.json").write_text(
            json.dumps({"type": "FeatureCollection", "features": feats}), encoding="utf-8")
    out = tmp_path / "waters.tsv"
    assert build_data.build_waters(tmp_path, out) == 3  # no river of lake centrelines alone
    header, *lines = out.read_text(encoding="utf-8").splitlines()
    assert header.split("\t") == ["id", "feature", "name", "names", "bare", "lat", "lon",
                                  "scalerank"]
    rows = [dict(zip(header.split("\t"), line.split("\t"))) for line in lines]
    lake, big, small = sorted(rows, key=lambda r: (r["feature"], r["scalerank"]))
    assert (lake["feature"], lake["name"], lake["names"], lake["bare"]) == (
        "LK", "Lago de Poco", "Lake Poco", "")
    assert (float(lake["lat"]), float(lake["lon"])) == (20.5, 20.5)
    assert (big["name"], big["names"], big["bare"]) == (
        "Tinyriver River", "River Tinyriver|Wee River|River Wee", "Tinyriver")
    # the middle of the joined river (4 degrees long), on it
    point = Point(float(big["lon"]), float(big["lat"]))
    assert LineString([(10, 0), (12, 0), (12, 2)]).distance(point) < 1e-4
    assert (float(big["lat"]), float(big["lon"])) == (0.0, 12.0)
    # a small river's bare name is not kept (alone it is more often a word)
    assert (small["scalerank"], small["bare"], float(small["lon"])) == ("9", "", 50.5)
