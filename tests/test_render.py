"""The folium map and the standalone export, checked on the HTML (no browser)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import folium
import pytest

from geo.assets import ICON_ONLY, use_vendored_assets
from geo.models import Article, Place, Quote, StoryMap, StoryPlace
from geo.render import (build_map, esc, highlighted, nearest_place_id, place_id_from_tooltip,
                        popup_html, standalone_html, tooltip_text)

EVIL = "Troops left Aleppo <script>alert(1)</script> after \"talks\" and 'threats' `x` ${y}."


def quote(article: str, source: str, sentence: str, mention: str, offset: int = 100) -> Quote:
    """A quote whose sentence starts at ``offset`` in its article."""
    i = sentence.index(mention)
    return Quote(article, source, mention, offset + i, offset + i + len(mention), sentence, offset)


def make_story() -> StoryMap:
    """Three outlets; Aleppo in all three (one quote hostile), Idlib zone an area, Homs in one."""
    articles = (Article("a1", "...", "Outlet A"), Article("a2", "...", "Outlet B"),
                Article("a3", "...", "Outlet C"))
    aleppo = StoryPlace(Place("geonames:170063", "Aleppo", "city", 36.2021, 37.1343), (
        quote("a1", "Outlet A", EVIL, "Aleppo"),
        quote("a2", "Outlet B", "Shelling resumed near Aleppo on Monday.", "Aleppo", 0),
        quote("a3", "Outlet C", "Aid reached Aleppo late.", "Aleppo", 40),
    ))
    zone = {"type": "Polygon", "coordinates": [[[36.3, 35.6], [37.0, 35.6], [37.0, 36.2],
                                                [36.3, 36.2], [36.3, 35.6]]]}
    idlib = StoryPlace(Place("area:idlib-zone", "Idlib zone", "area", 35.9, 36.63, geometry=zone),
                       (quote("a2", "Outlet B", "The Idlib zone was shelled.", "Idlib zone", 7),
                        quote("a3", "Outlet C", "Families fled the Idlib zone.", "Idlib zone", 9)))
    homs = StoryPlace(Place("geonames:169577", "Homs", "city", 34.7268, 36.7234),
                      (quote("a1", "Outlet A", "Homs was quiet.", "Homs", 5),))
    return StoryMap(articles, (aleppo, idlib, homs))


@pytest.fixture
def basemap(tmp_path: Path) -> Path:
    """A one-country stand-in for data/basemap/countries-110m.geojson."""
    path = tmp_path / "countries.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"name": "Syria"},
        "geometry": {"type": "Polygon", "coordinates": [[[35.7, 32.3], [42.4, 32.3],
                                                         [42.4, 37.3], [35.7, 37.3],
                                                         [35.7, 32.3]]]}}]}))
    return path


@pytest.fixture
def page(basemap: Path) -> str:
    return standalone_html(make_story(), basemap=basemap)


def scripts_of(html: str) -> str:
    """The map's own script (after the last inlined library)."""
    return html[html.rindex("<body>"):]


def map_places(page: str) -> list[dict]:
    """The places as the map's script reads them: its JSON string, decoded as a browser
    would (JSON string literal, ``<\\!--`` unbroken), then parsed."""
    literal = re.search(r'storymapLayer\(\w+, JSON\.parse\(("(?:[^"\\]|\\.)*")\)\)', page).group(1)
    return json.loads(json.loads(literal.replace("<\\!--", "<!--")))["places"]


def test_escape_covers_html_and_js_template_literals() -> None:
    assert esc("<b>\"'`${a}\\") == "&lt;b&gt;&quot;&#x27;&#96;&#36;&#123;a}&#92;"


def test_highlight_uses_quote_offsets() -> None:
    q = quote("a", "S", "Near <Aleppo> today.", "Aleppo", 50)
    assert highlighted(q) == "Near &lt;<mark>Aleppo</mark>&gt; today."


def test_popup_groups_quotes_by_source_and_escapes() -> None:
    story = make_story()
    html = popup_html(story.places[0], 3)
    assert [m for m in re.findall(r"<b>(.*?)</b>", html)] == ["Outlet A", "Outlet B", "Outlet C"]
    assert html.count("<mark>Aleppo</mark>") == 3
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "`" not in html and "${" not in html and '"talks"' not in html


def test_one_marker_per_place_and_polygon_for_area(page: str) -> None:
    places = map_places(scripts_of(page))
    assert sorted(p["id"] for p in places) == ["area:idlib-zone", "geonames:169577",
                                               "geonames:170063"]
    assert [len(p["rings"]) for p in places if p["id"] == "area:idlib-zone"] == [1]
    assert sum(len(p["rings"]) for p in places) == 1
    order = [p["id"] for p in places]
    assert order[0] == "area:idlib-zone"  # shapes first, under the markers
    assert order.index("geonames:170063") > order.index("geonames:169577")  # most named on top


def test_place_filter_and_selection() -> None:
    m = build_map(make_story(), place_ids={"geonames:169577"}, selected="geonames:169577",
                  tiles=False, basemap=None)
    body = m.get_root().render()
    places = map_places(body)
    assert [(p["id"], p["selected"]) for p in places] == [("geonames:169577", True)]
    assert "Map tiles unavailable" in body and "L.tileLayer" not in body


def test_tooltip_text_and_place_id_round_trip(page: str) -> None:
    story = make_story()
    assert tooltip_text(story.places[0], 3) == "Aleppo — 3 of 3 sources"
    tooltips = [p["tooltip"] for p in map_places(page)]
    assert "Idlib zone — 2 of 3 sources<span hidden>[[area:idlib-zone]]</span>" in tooltips
    islands = re.findall(r'JSON\.parse\(("(?:[^"\\]|\\.)*")\)', page)
    assert len(islands) == 2 and not any("</" in i for i in islands)  # none closes <script>
    # What st_folium returns: the tooltip's textContent, trimmed.
    assert place_id_from_tooltip("Homs — 1 of 3 sources[[geonames:169577]]") == "geonames:169577"
    assert place_id_from_tooltip("no id here") is None and place_id_from_tooltip(None) is None
    assert nearest_place_id(story, 34.8, 36.7) == "geonames:169577"


def test_hostile_quote_is_inert(page: str) -> None:
    assert "alert(1)" in page
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_standalone_has_no_remote_scripts_or_styles(page: str) -> None:
    tags = re.findall(r"<(?:script|link)\b[^>]*>", page)
    assert all("src=" not in t and "href=" not in t for t in tags), tags
    for cdn in ("https://cdn", "unpkg", "jsdelivr", "cdnjs", "code.jquery", "bootstrapcdn"):
        assert cdn not in page
    assert "Leaflet 1.9.4" in page and "jQuery" not in page
    assert '\\"name\\":\\"Syria\\"' in page  # basemap embedded
    assert "GeoNames" in page and "Natural Earth" in page


def test_fit_bounds_to_places(page: str) -> None:
    assert re.search(r"fitBounds\(\s*\[\[34\.7268, 36\.3\], \[36\.2021, 37\.1343\]\]", page)


def test_data_url_mode_for_streamlit_folium() -> None:
    m = use_vendored_assets(build_map(make_story(), basemap=None), "data_url")
    assert [n for n, _ in m.default_js] == ["leaflet"]
    assert [n for n, _ in m.default_css] == ["leaflet_css"]
    assert all(u.startswith("data:") for _, u in m.default_js + m.default_css)
    assert folium.Map.default_js[0][1].startswith("https://")  # class list untouched
    assert {n for n, _ in folium.Map.default_js + folium.Map.default_css} - {
        "leaflet", "leaflet_css"} == ICON_ONLY


def test_icons_are_refused() -> None:
    m = folium.Map(tiles=None)
    folium.Marker((0, 0), icon=folium.Icon()).add_to(m)
    with pytest.raises(ValueError, match="awesome-markers"):
        use_vendored_assets(m)


def test_bundled_basemap_is_drawn() -> None:
    body = build_map(make_story(), tiles=False).get_root().render()
    assert body.count("L.geoJson(") == 1 and "interactive: false" in body
