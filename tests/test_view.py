"""geo.page.view: what the page shows, on the real seed story and on small hand-built stories."""
from __future__ import annotations

import csv
import io

from geo.maps.render import tooltip_html
from geo.models import Article, Place, Quote, StoryMap, StoryPlace
from geo.page import view

HMEIMIM = "storymap:hmeimim-air-base"
EVIL = "Troops left Aleppo <script>alert(1)</script> after `x` ${y} talks."


def quote(article: str, source: str, sentence: str, mention: str, offset: int = 100,
          nth: int = 0) -> Quote:
    i = -1
    for _ in range(nth + 1):
        i = sentence.index(mention, i + 1)
    return Quote(article, source, mention, offset + i, offset + i + len(mention), sentence, offset)


def small_story() -> StoryMap:
    """Three outlets: Aleppo in all (one quote hostile), an area in two, Homs in one."""
    articles = (Article("a1", "...", "Outlet A", title="<b>A</b>", url="javascript:alert(1)"),
                Article("a2", "...", "Outlet B", url="https://b.example/story?x=1&y='2'"),
                Article("a3", "...", "Outlet C"))
    aleppo = StoryPlace(Place("geonames:170063", "Aleppo", "city", 36.2, 37.13), (
        quote("a1", "Outlet A", EVIL, "Aleppo"),
        quote("a2", "Outlet B", "Aleppo again: shelling near Aleppo.", "Aleppo", 0),
        quote("a2", "Outlet B", "Aleppo again: shelling near Aleppo.", "Aleppo", 0, nth=1),
        quote("a3", "Outlet C", "Aid reached Halab late.", "Halab", 40),
    ))
    zone = {"type": "Polygon", "coordinates": [[[36.3, 35.6], [37.0, 35.6], [37.0, 36.2],
                                                [36.3, 36.2], [36.3, 35.6]]]}
    idlib = StoryPlace(Place("area:idlib", "Idlib zone", "area", 35.9, 36.6, geometry=zone),
                       (quote("a2", "Outlet B", "The Idlib zone was shelled.", "Idlib zone", 7),
                        quote("a3", "Outlet C", "Families fled the Idlib zone.", "Idlib zone")))
    homs = StoryPlace(Place("geonames:169577", "Homs", "city", 34.73, 36.72),
                      (quote("a1", "Outlet A", "Homs was quiet.", "Homs", 5),))
    return StoryMap(articles, (aleppo, idlib, homs))


# -- filters -----------------------------------------------------------------------------

def names(places) -> list[str]:
    return [sp.place.name for sp in places]


def test_filter_by_min_sources_kind_and_source() -> None:
    story = small_story()
    assert names(view.filter_places(story)) == ["Aleppo", "Idlib zone", "Homs"]
    assert names(view.filter_places(story, min_sources=2)) == ["Aleppo", "Idlib zone"]
    assert names(view.filter_places(story, min_sources=3)) == ["Aleppo"]
    assert names(view.filter_places(story, kinds=["city"])) == ["Aleppo", "Homs"]
    assert names(view.filter_places(story, sources=["Outlet A"])) == ["Aleppo", "Homs"]
    # min_sources counts only the chosen sources
    assert names(view.filter_places(story, sources=["Outlet A", "Outlet C"], min_sources=2)) \
        == ["Aleppo"]
    assert view.filter_places(story, sources=[]) == []
    assert names(view.filter_places(story, min_sources=0)) == names(story.places)


def test_filters_on_the_seed_story(seed_story) -> None:
    everything = view.filter_places(seed_story)
    assert len(everything) == len(seed_story.places)
    four = view.filter_places(seed_story, min_sources=4)
    assert {sp.place.name for sp in four} >= {"Hmeimim Air Base", "Tartus", "Syria", "Russia"}
    assert all(len(sp.sources) >= 4 for sp in four)
    facilities = view.filter_places(seed_story, kinds=["facility"])
    assert facilities and {sp.place.kind for sp in facilities} == {"facility"}
    martel = view.filter_places(seed_story, sources=["Frances Martel"])
    assert HMEIMIM not in {sp.place.id for sp in martel}
    assert view.kinds_of(seed_story)[0] in ("country", "city")


def test_the_readers_state_is_carried_to_the_storys_next_version() -> None:
    """A correction or an import makes a new version of the story: the reader's filters,
    selection and view stay where they still make sense (from the session, not the URL)."""
    story = small_story()
    state = {"place": "geonames:169577", "f_sources": ["Outlet A", "Outlet B"],
             "f_kinds": ["city", "area"], "min_sources": 2, "view": (35.9, 36.6, 8)}
    kept = view.carried_state(story, story, state)
    assert {k: kept[k] for k in state} == state
    assert kept["opening_view"] == (35.9, 36.6, 8)
    # Homs corrected off the map, Outlet B's article removed
    b_gone = tuple(a for a in story.articles if a.source != "Outlet B")
    after = StoryMap(b_gone, story.places[:2])
    carried = view.carried_state(story, after, state)
    assert "place" not in carried and carried["f_sources"] == ["Outlet A"]
    # every kind shown stays every kind, a new one included
    everything = {**state, "f_kinds": view.kinds_of(story)}
    river = StoryPlace(Place("geonames:1", "Orontes", "water", 35.0, 36.5),
                       story.places[2].quotes)
    grown = StoryMap(story.articles, (*story.places, river))
    assert "water" in view.carried_state(story, grown, everything)["f_kinds"]


def test_place_rows_and_unique_labels() -> None:
    story = small_story()
    rows = view.place_rows(story.places)
    assert rows[0] == {"Place": "Aleppo", "Kind": "city", "Sources": 3, "Mentions": 4}
    assert view.place_table(story.places)["Place"] == ["Aleppo", "Idlib zone", "Homs"]
    assert view.place_table([]) == {"Place": [], "Kind": [], "Sources": [], "Mentions": []}
    twin = StoryPlace(Place("x:2", "Aleppo", "region", 36, 37), story.places[2].quotes)
    assert view.row_labels([story.places[0], twin]) == ["Aleppo (geonames:170063)",
                                                         "Aleppo (x:2)"]


# -- the matrix --------------------------------------------------------------------------

def test_source_matrix_counts_and_single_source_places() -> None:
    story = small_story()
    m = view.source_matrix(story, story.places)
    assert m.sources == ("Outlet A", "Outlet B", "Outlet C")
    assert m.rows == ("Aleppo", "Idlib zone", "Homs")
    assert m.counts == ((1, 2, 1), (0, 1, 1), (1, 0, 0))
    assert m.only == (None, None, "Outlet A")
    assert m.cells() == [["✓", "✓ 2", "✓"], ["", "✓", "✓"], ["✓", "", ""]]


def test_matrix_csv_has_every_row_and_no_formula() -> None:
    m = view.Matrix(("=HYPERLINK(1)", "Aleppo"), ("a", "b"), ("+Outlet", "B"),
                    ((1, 0), (2, 3)), (None, None))
    rows = list(csv.reader(io.StringIO(view.matrix_csv(m))))
    assert rows == [["Place", "'+Outlet", "B"], ["'=HYPERLINK(1)", "1", "0"],
                    ["Aleppo", "2", "3"]]


def test_matrix_html_escapes_and_shades_single_source_rows() -> None:
    story = small_story()
    evil = StoryMap(story.articles + (Article("a4", "...", "<script>x</script>"),),
                    story.places)
    html = view.matrix_html(view.source_matrix(evil, evil.places))
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert html.count("class='storymap-only'") == 1 and "title='only Outlet A'" in html
    assert "<td style='padding:2px 8px;border-bottom:1px solid #eee;text-align:center'>✓ 2" \
        in html


def test_seed_matrix_hmeimim_row(seed_story) -> None:
    m = view.source_matrix(seed_story, seed_story.places)
    row = m.counts[m.place_ids.index(HMEIMIM)]
    assert dict(zip(m.sources, row)) == {"Frances Martel": 0, "Article 001": 1, "RT News": 1,
                                         "Article 003": 1, "Article 004": 1}
    assert any(m.only)  # some places only one outlet names


# -- the side panel ----------------------------------------------------------------------

def test_panel_for_hmeimim_on_the_seed_story(seed_story) -> None:
    p = view.panel(seed_story, HMEIMIM)
    assert p is not None and p.name == "Hmeimim Air Base"
    assert [b.source for b in p.blocks] == ["Article 001", "RT News", "Article 003",
                                            "Article 004"]
    spellings = {s for b in p.blocks for s in b.spellings}
    assert any(s.startswith("Hmeimim") for s in spellings)
    assert any(s.startswith("Khmeimim") for s in spellings)
    assert p.silent == ("Frances Martel",)
    assert p.sources_line == "4 of 5 sources"
    html = view.panel_html(p)
    assert html.count("<mark>") == 4
    assert "Not mentioned by: <b>Frances Martel</b>" in html
    assert "\n\n" not in html


def test_panel_merges_a_sentence_with_two_mentions_and_escapes_everything() -> None:
    story = small_story()
    p = view.panel(story, "geonames:170063")
    b = {blk.source: blk for blk in p.blocks}
    assert len(b["Outlet B"].excerpts) == 1  # one sentence, both mentions marked
    assert b["Outlet B"].excerpts[0].html() == \
        "<mark>Aleppo</mark> again: shelling near <mark>Aleppo</mark>."
    assert b["Outlet C"].spellings == ("Halab",)
    assert p.silent == ()
    html = view.panel_html(p)
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "${" not in html and "`" not in html
    assert "&lt;b&gt;A&lt;/b&gt;" in html and "<b>A</b>" not in html  # hostile title
    assert "javascript:" not in html  # hostile URL dropped, title shown unlinked
    assert "href='https://b.example/story?x=1&amp;y=&#x27;2&#x27;'" in html
    assert "Every source mentions it." in html


def test_panel_names_silent_sources_and_unknown_place_is_none() -> None:
    story = small_story()
    assert view.panel(story, "geonames:169577").silent == ("Outlet B", "Outlet C")
    assert view.panel(story, "nope") is None
    assert view.panel(story, None) is None


def test_panel_calls_an_untitled_article_by_its_opening_words_not_its_file_name() -> None:
    text = "Shelling resumed in Aleppo on Monday, officials said, as aid convoys waited."
    story = StoryMap((Article("003_51b3c3bcfa4b6a7d", text, "Article 003"),),
                     (StoryPlace(Place("geonames:170063", "Aleppo", "city", 36.2, 37.13),
                                 (quote("003_51b3c3bcfa4b6a7d", "Article 003", text, "Aleppo",
                                        0),)),))
    html = view.panel_html(view.panel(story, "geonames:170063"))
    assert "003_51b3c3bcfa4b6a7d" not in html and "Shelling resumed in Aleppo" in html


# -- clicks, loading, keys ---------------------------------------------------------------

def test_click_maps_back_to_the_place() -> None:
    story = small_story()
    homs = story.places[2]
    # st_folium returns the tooltip's textContent: the visible text then the hidden id.
    text = f"Homs — 1 of 3 sources[[{homs.place.id}]]"
    assert view.place_id_from_click(story, {"last_object_clicked_tooltip": text}) == homs.place.id
    assert view.place_id_from_click(story, {"last_object_clicked_tooltip": None,
                                            "last_object_clicked": {"lat": 34.7, "lng": 36.7}}
                                    ) == homs.place.id
    assert view.place_id_from_click(story, {"last_object_clicked_tooltip": "x[[gone]]"}) is None
    assert view.place_id_from_click(story, None) is None
    assert view.place_id_from_click(story, {}) is None
    assert "[[" in tooltip_html(homs, 3)  # the render module still tags tooltips with the id


def test_click_on_the_seed_story(seed_story) -> None:
    sp = seed_story.place(HMEIMIM)
    tip = f"{sp.place.name} — 4 of 5 sources[[{HMEIMIM}]]"
    assert view.place_id_from_click(seed_story, {"last_object_clicked_tooltip": tip}) == HMEIMIM


def test_load_uploads_keeps_good_files_and_lists_bad_ones() -> None:
    from geo.ingest.articles import load_files

    result = load_files([
        ("a.txt", b"---\nsource: Outlet A\n---\nTroops left Aleppo."),
        ("a.md", b"Aleppo again."),  # same stem: deduplicated id
        ("empty.txt", b"   "),
        ("bin.txt", b"\x00\x01\x02"),
        ("notes.pdf", b"%PDF"),
    ])
    assert [a.id for a in result.articles] == ["a", "a-2"]
    assert result.articles[0].source == "Outlet A"
    assert {p.path for p in result.problems} == {"empty.txt", "bin.txt", "notes.pdf"}


def test_md_escape_and_summary() -> None:
    assert view.md_escape("a_b *c* [x](javascript:y) <img>") == \
        "a\\_b \\*c\\* \\[x\\]\\(javascript\\:y\\) &lt;img\\>"
    story = small_story()
    assert view.summary(story, story.places) == "3 articles from 3 sources · 3 places"
    assert view.summary(story, story.places[:1]) == \
        "3 articles from 3 sources · 1 of 3 places shown"


def test_a_government_mention_is_marked_in_the_panel() -> None:
    from geo.models import Article, Place, Quote, StoryMap, StoryPlace
    from geo.page.view import panel, panel_html

    said = Quote("a", "Outlet A", "Moscow", 0, 6, "Moscow said the talks went well.", 0, True)
    lies = Quote("b", "Outlet B", "Moscow", 13, 19, "Snow fell on Moscow.", 0)
    story = StoryMap((Article("a", "x", "Outlet A"), Article("b", "x", "Outlet B")),
                     (StoryPlace(Place("geonames:524901", "Moscow", "city", 55.75, 37.6),
                                 (said, lies)),))
    p = panel(story, "geonames:524901")
    assert [e.government for b in p.blocks for e in b.excerpts] == [True, False]
    html = panel_html(p)
    assert html.count("storymap-government") == 1
    assert html.index("storymap-government") < html.index("Snow fell")
    from geo.export.geojson import to_geojson

    mentions = to_geojson(story)["features"][0]["properties"]["mentions"]
    assert [m["government"] for m in mentions] == [True, False]


def _dated_story():
    from geo.models import Article, Place, Quote, StoryMap, StoryPlace

    arts = (Article("a", "x", "Late Post", published="2024-03-05"),
            Article("b", "x", "Early News", published="2024-03-01T08:00:00Z"),
            Article("c", "x", "Undated Daily"))
    q = [Quote(a.id, a.source, "Homs", 0, 4, f"Homs in {a.id}.", 0) for a in arts]
    homs = StoryPlace(Place("geonames:169577", "Homs", "city", 34.7, 36.7), tuple(q))
    idlib = StoryPlace(Place("geonames:169389", "Idlib", "city", 35.9, 36.6), (q[0],))
    return StoryMap(arts, (homs, idlib))


def test_panel_orders_sources_by_date_in_their_map_colours() -> None:
    from geo.maps.mapdata import outlet_colours
    from geo.page.view import panel, panel_html

    story = _dated_story()
    p = panel(story, "geonames:169577")
    assert [b.source for b in p.blocks] == ["Early News", "Late Post", "Undated Daily"]
    colours = outlet_colours(story.sources)
    assert [b.colour for b in p.blocks] == [colours[b.source] for b in p.blocks]
    assert "2024-03-01" in panel_html(p) and colours["Early News"] in panel_html(p)


def test_restrict_applies_sources_and_dates_to_every_place() -> None:
    from datetime import date

    from geo.page.view import date_span, restrict

    story = _dated_story()
    assert date_span(story) == (date(2024, 3, 1), date(2024, 3, 5))
    early = restrict(story, until=date(2024, 3, 2))
    assert [a.id for a in early.articles] == ["b", "c"]  # undated articles stay
    assert [sp.place.name for sp in early.places] == ["Homs"]  # Idlib only in "a"
    one = restrict(story, sources=["Late Post"])
    assert one.sources == ("Late Post",) and len(one.places) == 2
    assert all(q.source == "Late Post" for sp in one.places for q in sp.quotes)
    assert restrict(story) is story


def test_a_place_picked_outside_the_map_is_shown_at_its_kind_s_zoom() -> None:
    # outlined: the whole of it (Russia small, Syria bigger), at its point
    russia = Place("geonames:2017370", "Russia", "country", 60.0, 100.0, country_code="RU")
    syria = Place("geonames:163843", "Syria", "country", 35.0, 38.0, country_code="SY")
    assert view.focus_view(russia)[:2] == (60.0, 100.0)
    assert 2 <= view.focus_view(russia)[2] <= 3 < 5 <= view.focus_view(syria)[2] <= 7
    idlib = small_story().places[1].place  # an area with its polygon, 0.7 degrees wide
    assert view.focus_view(idlib)[2] == 9
    # no outline: by kind
    tartus = Place("geonames:163345", "Tartus", "city", 34.889, 35.886)
    assert view.focus_view(tartus) == (34.889, 35.886, 8)
    assert view.focus_view(Place("x", "Somewhere", "nothing-known", 1.0, 2.0))[2] == 7
