from geo.gazetteer import Gazetteer, build, demonyms

from .conftest import km


def _best(gaz, name):
    return max(gaz.lookup(name), key=lambda c: c.population)


def test_spelling_variants_reach_the_same_entry(gazetteer):
    assert {c.id for c in gazetteer.lookup("Tartus")} & {c.id for c in gazetteer.lookup("Tartous")}
    assert {c.id for c in gazetteer.lookup("Hmeimim")} == {c.id for c in gazetteer.lookup("Khmeimim")}


def test_alternate_names_and_arabic_article(gazetteer):
    q = _best(gazetteer, "Qamishli")
    assert q.country_code == "SY" and km(q.lat, q.lon, 37.05, 41.22) < 10


def test_countries_states_counties_and_curated_places(gazetteer):
    syria = [c for c in gazetteer.lookup("Syria") if c.kind == "country"][0]
    assert km(syria.lat, syria.lon, 35.0, 38.5) < 300
    us = [c for c in gazetteer.lookup("U.S.") if c.kind == "country"][0]
    assert us.country_code == "US"
    ohio = [c for c in gazetteer.lookup("Ohio") if c.kind == "region"][0]
    assert km(ohio.lat, ohio.lon, 40.3, -82.8) < 150
    rapides = gazetteer.lookup("Rapides Parish")
    assert rapides and rapides[0].admin1 == "LA"
    euphrates = gazetteer.lookup("Euphrates River")[0]
    assert euphrates.kind == "water" and euphrates.geometry["type"] == "LineString"
    assert gazetteer.get("storymap:hmeimim-air-base").kind == "facility"


def test_codes_are_not_indexed_as_names(gazetteer):
    # "MOW" is an alternate name (airport code) of Moscow in GeoNames: noise in English text.
    assert all(c.country_code != "RU" for c in gazetteer.lookup("MOW"))


def test_unknown_name_finds_nothing(gazetteer):
    assert gazetteer.lookup("Xqzzyplace") == []


def test_demonyms_map_to_countries():
    d = demonyms()
    assert d["syrian"] == "SY" and d["american"] == "US"


def test_build_writes_a_readable_index(tmp_path):
    path = tmp_path / "g.sqlite"
    messages = []
    build(path, messages.append)
    gaz = Gazetteer(path)
    assert gaz.lookup("Aleppo") and any("GeoNames" in m for m in messages)
