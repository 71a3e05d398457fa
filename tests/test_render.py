"""The folium map and the standalone export, checked on the HTML (no browser)."""
from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import folium
import pytest

from geo.maps.assets import ICON_ONLY, use_vendored_assets
from geo.maps.mapdata import (
    OPENING_WORDS,
    display_title,
    link,
    opening_bounds,
    published_on,
    story_title,
)
from geo.maps.outlines import decode_arc, encode_arc
from geo.maps.render import (
    build_map,
    esc,
    highlighted,
    nearest_place_id,
    place_id_from_tooltip,
    popup_html,
    standalone_html,
    tooltip_text,
)
from geo.models import Article, Place, Quote, StoryMap, StoryPlace

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


SYRIA_BOX = [(35.7, 32.3), (42.4, 32.3), (42.4, 37.3), (35.7, 37.3), (35.7, 32.3)]


def outlines_json(countries: dict[str, list[tuple[float, float]]]) -> str:
    """A basemap file (the format of data/basemap/countries-50m.json): one ring a country."""
    grid = 0.005
    arcs = [encode_arc([(round((lon + 180) / grid), round((lat + 90) / grid))
                        for lon, lat in ring]) for ring in countries.values()]
    return json.dumps({"format": "storymap-outlines-1", "grid": grid, "origin": [-180, -90],
                       "arcs": arcs, "countries": [{"name": name, "polygons": [[[i]]]}
                                                   for i, name in enumerate(countries)]})


@pytest.fixture
def basemap(tmp_path: Path) -> Path:
    """A one-country stand-in for data/basemap/countries-50m.json."""
    path = tmp_path / "countries.json"
    path.write_text(outlines_json({"Syria": SYRIA_BOX}))
    return path


@pytest.fixture
def page(basemap: Path) -> str:
    return standalone_html(make_story(), basemap=basemap)


def scripts_of(html: str) -> str:
    """The map's own script (after the last inlined library)."""
    return html[html.rindex("<body>"):]


def map_data(page: str) -> dict:
    """The data the map's script reads: its JSON string, decoded as a browser would (JSON
    string literal, ``<\\!--`` unbroken), then parsed."""
    literal = re.search(r'storymapLayer\(\w+, JSON\.parse\(("(?:[^"\\]|\\.)*")\)\)', page).group(1)
    return json.loads(json.loads(literal.replace("<\\!--", "<!--")))


def map_places(page: str) -> list[dict]:
    return map_data(page)["places"]


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
    assert "Offline: no map tiles" in body and "L.tileLayer" not in body


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
    """The page's map opens on its places; the export's script does, clear of its panel."""
    body = build_map(make_story(), basemap=None).get_root().render()
    assert re.search(r"fitBounds\(\s*\[\[34\.7268, 36\.3\], \[36\.2021, 37\.1343\]\]", body)
    assert map_data(page)["opening"] == [[34.7268, 36.3], [36.2021, 37.1343]]


def test_a_river_frames_the_opening_view_by_its_pin_and_is_drawn_whole() -> None:
    """The Euphrates pinned at Raqqa widens the opening view to Raqqa, not to its mouth in
    the Gulf; the whole course is sent to be drawn."""
    course = {"type": "MultiLineString", "coordinates": [[[38.0, 37.0], [39.0, 35.95],
                                                         [47.5, 30.5]]]}
    river = StoryPlace(Place("ne:1", "Euphrates", "water", 35.95, 39.0, geometry=course),
                       (quote("a1", "Outlet A", "They crossed the Euphrates.", "Euphrates", 11),))
    story = make_story()
    story = replace(story, places=(*story.places, river))
    assert opening_bounds(story.places) == [[34.7268, 36.3], [36.2021, 39.0]]
    page = build_map(story, basemap=None).get_root().render()
    record = next(p for p in map_places(page) if p["id"] == "ne:1")
    assert len(record["lines"][0]) == 3


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
    assert len(re.findall(r"\n\s*storymapBasemap\(map_\w+, JSON\.parse", body)) == 1
    assert "interactive: false" in body


def dated(story: StoryMap) -> StoryMap:
    """The test story's articles with titles, addresses and dates (B, then C, then A)."""
    meta = {"a1": ("Talks <b>", "javascript:alert(1)", "2024-01-03T10:00:00Z"),
            "a2": ("Shelling", "https://b.example/s?x=1&y=2", "2024-01-01"),
            "a3": (None, "ftp://c.example/aid", "Jan 2, 2024")}
    return replace(story, articles=tuple(Article(a.id, a.text, a.source, *meta[a.id])
                                         for a in story.articles))


def test_export_island_has_title_sources_and_articles_in_publication_order(basemap) -> None:
    data = map_data(standalone_html(dated(make_story()), basemap=basemap))
    story = data["story"]
    assert story["title"] == "Talks <b>"  # plain text: the script sets it as text
    assert story["sources"] == ["Outlet A", "Outlet B", "Outlet C"]
    assert story["articles"] == [
        {"id": "a2", "source": 1, "title": "Shelling", "url": "https://b.example/s?x=1&y=2",
         "published": "2024-01-01"},
        {"id": "a1", "source": 0, "title": "Talks <b>", "url": None,
         "published": "2024-01-03"},
        {"id": "a3", "source": 2, "title": "...", "url": None, "published": None}]
    by_id = {p["id"]: p for p in data["places"]}
    homs = by_id["geonames:169577"]
    assert homs["articles"] == [1] and homs["sources"] == [0]
    assert by_id["area:idlib-zone"]["articles"] == [0, 2]
    assert by_id["geonames:170063"]["sources"] == [0, 1, 2]
    assert all(p["frame"] for p in data["places"])


def test_the_page_panel_is_folded_and_leaves_filtering_to_the_page(basemap) -> None:
    def panel(m) -> dict:
        return map_data(m.get_root().render())["story"]
    page = panel(build_map(dated(make_story()), basemap=basemap, title="T", page=True))
    export = panel(build_map(dated(make_story()), basemap=basemap, title="T"))
    assert (page["filter"], page["folded"]) == (False, True)
    assert (export["filter"], export["folded"]) == (True, False)
    assert page["articles"] == export["articles"]


def test_an_untitled_article_is_listed_by_its_headline_or_opening_words() -> None:
    assert display_title(Article("x1", "Floods hit Mumbai\nRain fell.", "S")) == "Floods hit Mumbai"
    opening = display_title(Article("x2", "Rain fell all day on the city. " * 5, "S"))
    assert opening.startswith("Rain fell all day") and opening.endswith("…")
    assert len(opening) == OPENING_WORDS
    assert display_title(Article("x3", "Rain.", "S", " A   title ")) == "A title"


def test_title_argument_and_fallback(basemap) -> None:
    story = make_story()
    assert story_title(story) == "Story map"  # no article has a title
    assert story_title(dated(story)) == "Talks <b>"
    page = standalone_html(story, title="Aleppo {{ 7*7 }}", basemap=basemap)
    assert map_data(page)["story"]["title"] == "Aleppo {{ 7*7 }}"


def test_page_map_carries_no_story_panel_data() -> None:
    """The page's message stays as it was: no panel, no per-place article lists."""
    body = build_map(make_story(), popups=False, basemap=None).get_root().render()
    data = map_data(body)
    assert "story" not in data and "opening" not in data
    assert not any({"articles", "sources", "frame"} & set(p) for p in data["places"])
    assert "storymapStory(map, data, drawn)" in body  # the script is there, unused


@pytest.mark.parametrize("text, expected", [
    ("2024-01-03", "2024-01-03"), ("2024-01-03T10:00:00Z", "2024-01-03"),
    ("2023-02", "2023-02"), ("2023", "2023"), ("2023-13", None), ("2023-02-30", None),
    ("Jan 2, 2024", None), ("", None), (None, None)])
def test_published_dates_the_timeline_accepts(text, expected) -> None:
    assert published_on(Article("a", "", "S", published=text)) == expected


@pytest.mark.parametrize("url, expected", [
    ("https://x.example/a", "https://x.example/a"), (" HTTP://x.example ", "HTTP://x.example"),
    ("http://x.y/", "http://x.y/"), ("javascript:alert(1)", None),
    ("JAVASCRIPT:alert(1)", None), ("data:text/html,x", None), ("//x.example", None),
    ("http://", None), ("http://[::1", None), ("", None), (None, None)])
def test_only_http_addresses_become_links(url, expected) -> None:
    assert link(url) == expected


def test_country_drawn_from_the_basemap_by_name(basemap) -> None:
    """A country the basemap outlines travels as its name, not its coordinates."""
    syria = StoryPlace(Place("geonames:163843", "Syria", "country", 35.0, 38.0,
                             country_code="SY"),
                       (quote("a1", "Outlet A", "Syria spoke.", "Syria", 3),))
    story = replace(make_story(), places=make_story().places + (syria,))
    record = next(p for p in map_places(standalone_html(story, basemap=basemap))
                  if p["id"] == "geonames:163843")
    assert record["outline"] == "Syria" and record["rings"] == [] and not record["frame"]
    alone = build_map(story, basemap=None).get_root().render()  # no basemap: coordinates
    record = next(p for p in map_places(alone) if p["id"] == "geonames:163843")
    assert "outline" not in record and len(record["rings"]) == 1


def test_popup_lists_spellings_and_outlet_colours() -> None:
    sp = StoryPlace(Place("p", "Aleppo", "city", 36.2, 37.1), (
        quote("a1", "Outlet A", "Halab was shelled.", "Halab"),
        quote("a2", "Outlet B", "Aleppo was shelled.", "Aleppo")))
    html = popup_html(sp, 3, ["Outlet C"], {"Outlet A": "#0072B2", "Outlet B": "#E69F00"})
    assert "Written: <i>Halab</i>, <i>Aleppo</i>" in html
    assert "background:#0072B2" in html and "background:#E69F00" in html
    assert "Not mentioned by: <b>Outlet C</b>" in html
    assert "Written" not in popup_html(make_story().places[2], 3)  # one spelling: no line


def test_outline_arcs_round_trip() -> None:
    points = [(0, 0), (5, -3), (100000, 36000), (99999, 36001)]
    lonlat = decode_arc(encode_arc(points), 0.005, (-180, -90))
    assert lonlat == [[-180.0, -90.0], [-179.975, -90.015], [320.0, 90.0], [319.995, 90.005]]


def test_a_place_a_reader_corrected_is_marked_in_popup_tooltip_and_data(basemap) -> None:
    story = make_story()
    aleppo, idlib, homs = story.places
    pinned = StoryPlace(replace(homs.place, name="<b>Pin</b> `${x}`", corrected=True),
                        (replace(homs.quotes[0], corrected=True),))
    by_resolver = replace(aleppo.quotes[1], article_id="a3", source="Outlet C")
    pinned = replace(pinned, quotes=pinned.quotes + (by_resolver,))
    story = replace(story, places=(aleppo, idlib, pinned))

    html = popup_html(pinned, 3)
    heading = re.search(r"<h4>(.*?)</h4>", html).group(1)
    assert heading.startswith("&lt;b&gt;Pin&lt;/b&gt; &#96;&#36;&#123;x}")
    assert "corrected" in heading
    items = re.findall(r"<li>(.*?)</li>", html)
    assert ["storymap-corrected" in li for li in items] == [True, False]  # the reader's only
    assert "storymap-corrected" not in popup_html(aleppo, 3)
    assert tooltip_text(pinned, 3).endswith("— 2 of 3 sources · corrected")
    assert not tooltip_text(aleppo, 3).endswith("corrected")

    places = {p["id"]: p for p in map_places(standalone_html(story, basemap=basemap))}
    record = places[pinned.place.id]
    assert record["corrected"] and not places[aleppo.place.id]["corrected"]
    assert "storymap-corrected" in record["popup"] and "· corrected" in record["tooltip"]
    assert "<b>Pin" not in record["popup"] and "<b>Pin" not in record["tooltip"]  # escaped
    assert record["label"] == "<b>Pin</b> `${x}` — 2 of 3 sources · corrected"  # set as text
