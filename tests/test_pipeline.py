"""The seed story end to end: what issue 2's 'done when' asks of the map."""
import pytest

from geo.export.geojson import to_geojson
from geo.models import Article

from .conftest import km

#: name -> (a surface form it must be found under, true lat, lon, tolerance km)
EXPECTED = {
    "Moscow": ("Moscow", 55.75, 37.62, 20),
    "Damascus": ("Damascus", 33.51, 36.29, 20),
    "Aleppo": ("Aleppo", 36.20, 37.16, 20),
    "Hmeimim": ("Hmeimim air base", 35.40, 35.95, 10),
    "Tartus": ("Tartus", 34.89, 35.89, 15),
    "Qamishli": ("Qamishli airport", 37.02, 41.19, 15),
    "Washington": ("Washington", 38.90, -77.04, 20),
    "New York": ("New York", 40.71, -74.01, 30),
    "Mediterranean": ("Mediterranean", 35.0, 18.0, 800),
    "east of the Euphrates": ("territories east of the Euphrates River", 36.0, 40.5, 150),
    "northeastern Syria": ("northeastern Syria", 36.3, 40.5, 200),
    "Rojava": ("Rojava", 36.6, 40.5, 200),
    "Syria": ("Syria", 35.0, 38.5, 250),
    "Russia": ("Russia", 60.0, 90.0, 1200),
    "Iran": ("Iran", 32.5, 54.0, 400),
    "United States": ("US", 39.5, -98.5, 500),
}


def place_with_alias(story, alias):
    found = [sp for sp in story.places if alias in sp.aliases]
    assert len(found) == 1, f"{alias!r} is in {len(found)} places"
    return found[0]


@pytest.mark.parametrize("name", EXPECTED)
def test_seed_places_are_near_their_true_position(seed_story, name):
    alias, lat, lon, tol = EXPECTED[name]
    p = place_with_alias(seed_story, alias).place
    assert km(p.lat, p.lon, lat, lon) < tol, (p.name, p.lat, p.lon)


def test_the_kremlin_as_government_is_russia_and_as_a_building_is_pinned(seed_story):
    """"The meeting, held at the Kremlin": the building, pinned. "The Kremlin confirmed":
    Russia's government, its quote with Russia and flagged; never the building's pin."""
    kremlin = [sp for sp in seed_story.places if "Kremlin" in sp.aliases]
    assert sorted(sp.place.kind for sp in kremlin) == ["country", "facility"]
    building = next(sp for sp in kremlin if sp.place.kind == "facility")
    assert km(building.place.lat, building.place.lon, 55.75, 37.62) < 5
    assert building.quotes and not any(q.government for q in building.quotes)
    russia = next(sp for sp in kremlin if sp.place.kind == "country")
    assert russia.place.country_code == "RU"
    assert all(q.government for q in russia.quotes if q.text == "Kremlin")


def test_hmeimim_is_one_place_with_both_spellings_from_four_sources(seed_story):
    sp = place_with_alias(seed_story, "Khmeimim Airbase")
    assert {"Hmeimim airbase", "Hmeimim air base", "Khmeimim Air Base"} <= set(sp.aliases)
    assert len(sp.sources) == 4
    assert "RT News" in sp.sources


def test_every_quote_is_verbatim_and_contains_its_mention(seed_story):
    texts = {a.id: a.text for a in seed_story.articles}
    for sp in seed_story.places:
        for q in sp.quotes:
            assert texts[q.article_id][q.start:q.end] == q.text
            assert texts[q.article_id][q.sentence_start:q.sentence_start + len(q.sentence)] == q.sentence
            assert q.sentence[slice(*q.highlight)] == q.text


def test_no_feature_for_what_is_not_a_place(seed_story):
    aliases = {a for sp in seed_story.places for a in sp.aliases}
    for not_place in ["Assad", "Sharaa", "Al-Sharaa", "Tass", "SANA", "Islamic State",
                      "Hayat Tahrir al-Sham", "HTS", "Putin", "Trump", "West", "Kurdish"]:
        assert not_place not in aliases


def test_areas_are_polygons(seed_story):
    for alias in ["northeastern Syria", "Rojava", "territories east of the Euphrates River"]:
        assert place_with_alias(seed_story, alias).place.geometry["type"] == "Polygon"


def test_geojson_schema(seed_story):
    fc = to_geojson(seed_story)
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == len(seed_story.places)
    texts = {a.id: a.text for a in seed_story.articles}
    for f in fc["features"]:
        props = f["properties"]
        assert f["geometry"]["type"] in {"Point", "Polygon", "LineString"}
        assert {"name", "kind", "aliases", "sources", "mentions"} <= set(props)
        for m in props["mentions"]:
            assert texts[m["article"]][m["start"]:m["end"]] == m["text"]
            assert m["text"] in m["quote"]
    assert fc["properties"]["sources"] == list(seed_story.sources)


def test_story_from_one_unplaceable_article(pipeline):
    story = pipeline([Article(id="x", text="Nothing here but words.", source="S")])
    assert story.places == () and story.unresolved == ()


def test_unplaced_spotter_guesses_are_dropped_other_unplaced_mentions_kept():
    from geo.models import SPOTTED_LABEL, Mention, Recognised
    from geo.story.assemble import assemble

    article = Article(id="a", text="Zzyx and Qorva met.", source="S")
    guess = Mention("a", 0, 4, "Zzyx", SPOTTED_LABEL)
    named = Mention("a", 9, 14, "Qorva", "GPE")
    rec = Recognised(article, (guess, named), ((0, len(article.text)),))
    story = assemble([article], [(rec, [(guess, None), (named, None)])])
    assert story.unresolved == (named,)


def test_rivers_in_a_flood_story(pipeline):
    text = ("Floods along the Indus River forced thousands from their homes in Sukkur, "
            "Pakistan. Rescuers searched the Neches River in Texas; hikers in the Smoky "
            "Mountains were safe.")
    story = pipeline([Article(id="f", text=text, source="S")])
    rivers = {sp.place.name: sp.place for sp in story.places if sp.place.feature == "STM"}
    assert set(rivers) == {"Indus River", "Neches River"}
    assert km(rivers["Neches River"].lat, rivers["Neches River"].lon, 30.9, -94.5) < 150
    # the mountains are no river called Smoky (Alberta's): left unplaced
    assert [m.text for m in story.unresolved] == ["Smoky Mountains"]


def test_volcanoes_in_an_eruption_story(pipeline):
    text = ("Ash from Mount Etna closed Catania airport on Monday. In Iceland, scientists "
            "watched the Katla volcano, and lava flowed from Eyjafjallajökull again.")
    story = pipeline([Article(id="v", text=text, source="S")])
    volcanoes = {sp.place.name: sp.place for sp in story.places if sp.place.feature == "VLC"}
    assert {"Mount Etna", "Katla", "Eyjafjallajokull"} <= set(volcanoes)
    assert km(volcanoes["Mount Etna"].lat, volcanoes["Mount Etna"].lon, 37.75, 15.0) < 10
