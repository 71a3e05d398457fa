from geo.models import Place
from geo.resolution.resolver import Context, best, context, score


def city(name, cc, pop, admin1=None, pid=None):
    return Place(id=pid or f"{name}-{cc}-{admin1}", name=name, kind="city", lat=0, lon=0,
                 country_code=cc, admin1=admin1, population=pop)


def country(name, cc, pop):
    return Place(id=f"c-{cc}", name=name, kind="country", lat=0, lon=0, country_code=cc,
                 population=pop)


NONE = Context(frozenset(), frozenset())


def test_population_decides_without_context():
    moscow_ru, moscow_id = city("Moscow", "RU", 10_000_000), city("Moscow", "US", 25_000, "ID")
    assert best([moscow_id, moscow_ru], NONE).country_code == "RU"


def test_named_state_pulls_its_town():
    paris_fr, paris_tx = city("Paris", "FR", 2_100_000), city("Paris", "US", 25_000, "TX")
    assert best([paris_fr, paris_tx], NONE).country_code == "FR"
    tx = Context(frozenset({"US"}), frozenset({("US", "TX")}))
    assert best([paris_fr, paris_tx], tx).admin1 == "TX"


def test_qualifier_after_a_comma_decides():
    sp_il, sp_mo = city("Springfield", "US", 114_000, "IL"), city("Springfield", "US", 160_000, "MO")
    assert best([sp_il, sp_mo], NONE, qualifier="Illinois").admin1 == "IL"
    assert best([sp_il, sp_mo], NONE, qualifier="Mo").admin1 == "MO"


def test_capital_of_a_named_country_beats_a_bigger_namesake():
    dc = city("Washington", "US", 689_000, "DC")
    state = Place(id="wa", name="Washington", kind="region", lat=0, lon=0, country_code="US",
                  admin1="WA")
    us = Context(frozenset({"US"}), frozenset())
    assert best([state, dc], us).id == dc.id


def test_country_over_town_and_context_from_unambiguous_mentions():
    ga_country = country("Georgia", "GE", 3_700_000)
    ga_town = city("Georgia", "XX", 2_000)
    assert best([ga_town, ga_country], NONE).kind == "country"
    ctx = context([[country("Syria", "SY", 17_000_000)], [ga_town, ga_country]])
    assert ctx.countries == {"SY", "GE"}


def test_confidence_is_low_when_candidates_are_close():
    a, b = city("Springfield", "US", 110_000, "IL"), city("Springfield", "US", 115_000, "MA")
    assert best([a, b], NONE).confidence < 0.7
    assert best([city("Aleppo", "SY", 2_000_000)], NONE).confidence > 0.9
    assert score(a, NONE) < score(a, NONE, qualifier="Illinois")


def test_nothing_found_is_none():
    assert best([], NONE) is None


def test_an_area_of_a_country_across_the_antimeridian():
    """Russia's outline reaches past 180 degrees (Chukotka): its north-west is not there."""
    from shapely.geometry import shape

    from geo.resolution.areas import directional_area

    russia = Place(id="ru", name="Russia", kind="country", lat=60, lon=100, country_code="RU")
    nw = directional_area(russia, "NW")
    assert 20 < nw.lon < 100 and nw.lat > 55
    east = directional_area(russia, "E")
    assert east.lon > 100
    minx, _, maxx, _ = shape(east.geometry).bounds
    assert -180 <= minx and maxx <= 180  # drawn on both sides of the antimeridian


def test_an_area_of_a_country_is_of_its_main_territory():
    """"southern France" is not French Guiana, "western United States" not Hawaii or
    Alaska; an island chain stays whole ("eastern Indonesia" is Papua's side)."""
    from geo.resolution.areas import directional_area

    def area(cc, d):
        return directional_area(Place(id=cc, name=cc, kind="country", lat=0, lon=0,
                                      country_code=cc), d)
    south_fr = area("FR", "S")
    assert 42 < south_fr.lat < 46 and -2 < south_fr.lon < 8
    west_us = area("US", "W")
    assert 30 < west_us.lat < 50 and -125 < west_us.lon < -100
    assert area("ID", "E").lon > 130


def test_a_feature_word_says_land_or_water():
    from geo.resolution.features import fits_feature_word

    river = Place(id="r", name="Smoky River", kind="water", lat=0, lon=0, feature="STM")
    volcano = Place(id="v", name="Katla", kind="region", lat=0, lon=0, feature="VLC")
    assert fits_feature_word("Pungwe River", river) and not fits_feature_word("Katla lake", volcano)
    assert not fits_feature_word("Smoky Mountains", river)
    assert fits_feature_word("Eyjafjallajökull Glacier", volcano)  # ice on either
    assert fits_feature_word("Smoky", river)  # no feature word: no say
