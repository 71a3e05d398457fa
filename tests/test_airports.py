"""Airports and air bases in the gazetteer, under the forms news writes."""
from geo.resolution.airports import (
    AVIATION,
    airport_city_forms,
    airport_forms,
    airport_name,
    airport_without_city,
)

from .conftest import km


def test_news_forms_of_an_airports_name():
    assert airport_forms("Tyndall Afb Airport") == ["Tyndall Air Force Base", "Tyndall AFB"]
    assert airport_forms("Homestead Arb Airport") == ["Homestead Air Reserve Base",
                                                      "Homestead ARB"]
    assert airport_forms("Futenma Marine Corps Air Station") == \
        ["Marine Corps Air Station Futenma"]
    assert airport_forms("Chennai International Airport") == ["Chennai Airport"]
    assert airport_forms("Salgado Filho Airport") == ["Salgado Filho International Airport"]
    assert airport_forms("Al Udeid Air Base") == []
    assert airport_name("Homestead Arb Airport") == "Homestead Air Reserve Base"
    assert airport_name("Al Udeid Air Base") == "Al Udeid Air Base"


def test_an_airline_airport_is_also_its_citys():
    assert airport_city_forms("Licenciado Benito Juarez International Airport",
                              "Mexico City") == ["Mexico City International Airport",
                                                 "Mexico City Airport"]
    assert airport_city_forms("Chennai International Airport", "Chennai") == []


def test_an_airport_without_its_citys_name():
    """News writes "Lambert International Airport", "Dulles International Airport"."""
    assert airport_without_city("St Louis Lambert International Airport", "St. Louis") == \
        "Lambert International Airport"
    assert airport_without_city("Chennai International Airport", "Chennai") is None
    assert airport_without_city("Kahului Airport", "Kahului") is None


def test_only_names_with_an_aviation_word_are_indexed():
    assert AVIATION.search("Spangdahlem Air Base") and AVIATION.search("Kahului Airport")
    assert not AVIATION.search("Martin Field") and not AVIATION.search("Lowell Field")


def test_the_gazetteer_holds_airports_and_bases(gazetteer):
    """The facilities of many stories ("Al Udeid Air Base", "Tyndall Air Force Base",
    "Mexico City International Airport") at their own points, not their towns'."""
    def facility(name):
        return next(c for c in gazetteer.lookup(name) if c.kind == "facility")

    chennai = facility("Chennai International Airport")
    assert km(chennai.lat, chennai.lon, 12.99, 80.17) < 3  # 16 km from the city's point
    assert facility("Al Udeid Air Base").country_code == "QA"
    assert facility("Tyndall Air Force Base").country_code == "US"
    assert facility("Mexico City International Airport").country_code == "MX"
    assert facility("Marine Corps Air Station Futenma").country_code == "JP"
    assert not [c for c in gazetteer.lookup("Martin Field") if c.kind == "facility"]
    # "Lambert International Airport (St. Louis)": St. Louis's, not the small Lambert
    # Airport of Illinois, which has no airline to make it international
    lambert = [c for c in gazetteer.lookup("Lambert International Airport")]
    assert [(c.kind, round(c.lat, 1)) for c in lambert] == [("facility", 38.7)]


def test_an_airport_the_gazetteer_names_after_its_city_is_found_by_the_city(pipeline):
    """"Hamid Karzai International Airport, Kabul": the gazetteer knows it as "Kabul
    International Airport"; an unknown base with its country after it ("Soto Cano Air Base,
    Honduras") is a mention left unplaced, not a wrong guess."""
    from geo.models import Article

    text = ("Evacuees reached Hamid Karzai International Airport, Kabul, on Monday. Marines "
            "have deployed to Soto Cano Air Base, Honduras, since June.")
    pairs = pipeline.resolver(pipeline.recogniser(Article("a", text, source="S")))
    got = {m.text: p for m, p in pairs}
    airport = got["Hamid Karzai International Airport"]
    assert airport.feature == "AIRP" and km(airport.lat, airport.lon, 34.566, 69.212) < 4
    assert "Soto Cano Air Base" in got and got["Soto Cano Air Base"] is None


def test_an_airports_name_before_a_lower_case_airport_is_the_airport(pipeline):
    """"Havana's Jose Marti airport": the airport, at its own point; "Kabul airport" stays
    the city (the corpora count the town's name)."""
    from geo.models import Article

    text = "Flights to Havana's Jose Marti airport resumed. Others landed at Kabul airport."
    pairs = pipeline.resolver(pipeline.recogniser(Article("a", text, source="S")))
    got = {m.text: p for m, p in pairs}
    assert got["Jose Marti airport"].feature == "AIRP"
    assert got["Kabul"].kind == "city" and "Kabul airport" not in got


def test_an_air_base_the_gazetteer_lacks_is_the_airport_named_after_its_town(pipeline):
    """"Manas Air Base" (the U.S. transit centre at Bishkek's airport): Manas International
    Airport, not the town of Manas 265 km away in the south."""
    from geo.models import Article, Mention
    from geo.recognition.recogniser import Recognised

    text = "Troops flew out of Manas Air Base in Kyrgyzstan on Friday."
    mentions = (Mention("a", 19, 33, "Manas Air Base", "FAC"),
                Mention("a", 37, 47, "Kyrgyzstan", "GPE"))
    pairs = pipeline.resolver(Recognised(Article("a", text, source="S"), mentions, ()))
    base = pairs[0][1]
    assert base.feature == "AIRP" and km(base.lat, base.lon, 43.06, 74.48) < 10


def test_a_venue_the_gazetteer_lacks_is_at_the_town_it_is_named_after(pipeline):
    """"the Manchester Arena", "Managua Cathedral", "the Tbilisi Zoo": the venue is the story's place (not
    only a town inside an organisation's name, off the map), at its town; a university is
    not (mostly a scholar's affiliation)."""
    from geo.models import Article

    text = ("A bomb went off at the Manchester Arena in the United Kingdom. A professor at "
            "Lancaster University said so.")
    rec = pipeline.recogniser(Article("a", text, source="S"))
    pairs = dict((m.text, p) for m, p in pipeline.resolver(rec))
    arena = pairs["Manchester Arena"]
    assert arena is not None and km(arena.lat, arena.lon, 53.49, -2.24) < 5
    assert "Lancaster University" not in pairs and "Lancaster" not in pairs
    text = "Flooding hit the Tbilisi Zoo in Georgia on Sunday."
    pairs = dict((m.text, p) for m, p in pipeline.resolver(pipeline.recogniser(
        Article("a", text, source="S"))))
    zoo = pairs["Tbilisi Zoo"]
    assert zoo is not None and km(zoo.lat, zoo.lon, 41.72, 44.78) < 8


def test_a_port_is_at_its_town_and_a_towns_own_name_is_the_town(pipeline):
    """"Port of Beirut" (the model reads "Port" and "Beirut" apart): the port, at Beirut;
    "the Port of Los Angeles" at the city though the article names no country (a port is
    at its town, unlike an airport named after the city it serves); "Port of Spain" is
    the capital of Trinidad and Tobago, not a port of Spain."""
    from geo.models import Article

    def placed(text):
        rec = pipeline.recogniser(Article("a", text, source="S"))
        return {m.text: p for m, p in pipeline.resolver(rec)}

    port = placed("Explosions at Port of Beirut killed 220 in Lebanon.")["Port of Beirut"]
    assert port is not None and km(port.lat, port.lon, 33.90, 35.52) < 5
    port = placed("Ships left the Port of Los Angeles on Monday.")["Port of Los Angeles"]
    assert port is not None and km(port.lat, port.lon, 34.05, -118.24) < 30
    town = placed("Flights to Port of Spain resumed.")["Port of Spain"]
    assert town is not None and town.country_code == "TT"
