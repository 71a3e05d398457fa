import time

import pytest
from geopy.exc import GeocoderUnavailable
from geopy.location import Location

from geo.errors import ConfigurationError, GeocodingError
from geo.models import Place
from geo.resolution.geocode import (
    FallbackGeocoder,
    GeoNamesGeocoder,
    GeopyGeocoder,
    check_domain,
    get_geocoder,
)

from .conftest import km


class Contract:
    """What every backend promises (geopy's contract): a Place, None, or a list."""

    def make(self, gazetteer):
        raise NotImplementedError

    def test_found_is_a_place_near_the_truth(self, gazetteer):
        p = self.make(gazetteer).geocode("Damascus")
        assert isinstance(p, Place) and km(p.lat, p.lon, 33.51, 36.29) < 30

    def test_not_found_is_none_or_empty(self, gazetteer):
        gc = self.make(gazetteer)
        assert gc.geocode("Xqzzyplace") is None
        assert gc.geocode("Xqzzyplace", exactly_one=False) == []

    def test_many(self, gazetteer):
        places = self.make(gazetteer).geocode("Moscow", exactly_one=False)
        assert len(places) >= 2 and all(isinstance(p, Place) for p in places)


class TestOffline(Contract):
    def make(self, gazetteer):
        return GeoNamesGeocoder(gazetteer)

    def test_ranks_country_and_population_first(self, gazetteer):
        assert self.make(gazetteer).geocode("Moscow").country_code == "RU"
        assert self.make(gazetteer).geocode("Tartous").name == "Tartus"


class FakeNominatim:
    """Stands in for a geopy geocoder: answers from a table, as a server would."""

    table = {"Damascus": (33.5138, 36.2765), "Moscow": (55.7558, 37.6173)}

    def __init__(self):
        self.calls = 0

    def geocode(self, query, exactly_one=True, timeout=None):
        self.calls += 1
        if query not in self.table:
            return None
        lat, lon = self.table[query]
        locs = [Location(f"{query}, somewhere", (lat, lon), {"osm_id": 1, "osm_type": "node"}),
                Location(f"{query}, elsewhere", (lat + 10, lon), {"osm_id": 2, "osm_type": "node"})]
        return locs[0] if exactly_one else locs


class TestGeopyBackend(Contract):
    def make(self, gazetteer):
        return GeopyGeocoder(FakeNominatim(), min_delay_seconds=0)

    def test_answers_are_cached(self, gazetteer):
        gc = self.make(gazetteer)
        gc.geocode("Damascus")
        gc.geocode("Damascus")
        assert gc.wrapped.calls == 1


class Down:
    def geocode(self, query, exactly_one=True, timeout=None):
        raise GeocoderUnavailable("no network")


def test_geopy_errors_become_ours():
    with pytest.raises(GeocodingError, match="GeocoderUnavailable"):
        GeopyGeocoder(Down(), min_delay_seconds=0).geocode("Aleppo")


def test_fallback_to_offline_when_online_fails_and_stops_asking(gazetteer):
    down = GeopyGeocoder(Down(), min_delay_seconds=0)
    gc = FallbackGeocoder(down, GeoNamesGeocoder(gazetteer))
    assert gc.geocode("Aleppo").country_code == "SY"
    assert gc.failure and "no network" in gc.failure
    assert gc.geocode("Damascus").country_code == "SY"


class Answers:
    """A geopy geocoder whose parsing produced ``found`` (what a malformed answer yields)."""

    def __init__(self, found):
        self.found = found

    def geocode(self, query, exactly_one=True, timeout=None):
        return self.found


@pytest.mark.parametrize("found", [
    Location("Aleppo", (0, 0), {}),                 # geopy's reading of missing lat/lon
    Location(" , Syria", (36.2, 37.1), {}),         # no name
    Location(["Aleppo"], (36.2, 37.1), {}),         # a name that is not text
    "Aleppo",                                       # not a Location at all
], ids=["no-coordinates", "no-name", "name-not-text", "not-a-location"])
def test_malformed_answers_are_errors_not_places(found):
    with pytest.raises(GeocodingError):
        GeopyGeocoder(Answers(found), min_delay_seconds=0).geocode("Aleppo")


def test_odd_record_fields_do_not_reach_ids_or_kinds():
    raw = {"osm_type": "<b>node</b>", "osm_id": {"x": 1}, "type": ["city"]}
    p = GeopyGeocoder(Answers(Location("Aleppo, Syria", (36.2, 37.1), raw)),
                      min_delay_seconds=0).geocode("Aleppo")
    assert (p.id, p.kind, p.name) == ("answers:36.2000,37.1000", "city", "Aleppo")


class Slow:
    """Answers after ``seconds`` whatever the timeout, as a server trickling bytes does."""

    def __init__(self, seconds):
        self.seconds, self.calls = seconds, 0

    def geocode(self, query, exactly_one=True, timeout=None):
        self.calls += 1
        time.sleep(self.seconds)
        return Location(f"{query}, Syria", (36.2, 37.1), {})


def test_a_slow_service_is_cut_off_at_the_timeout():
    start = time.monotonic()
    with pytest.raises(GeocodingError, match="no answer within 0.2 s"):
        GeopyGeocoder(Slow(3), min_delay_seconds=0, timeout=0.2).geocode("Aleppo")
    assert time.monotonic() - start < 2


def test_all_requests_share_one_deadline():
    slow = Slow(0.2)
    gc = GeopyGeocoder(slow, min_delay_seconds=0, timeout=5, deadline_seconds=0.5)
    with pytest.raises(GeocodingError):
        for name in ["Aleppo", "Homs", "Hama", "Idlib", "Raqqa", "Tartus"]:
            gc.geocode(name)
    assert slow.calls <= 3 and gc.spent < 1


@pytest.mark.parametrize("domain", ["nominatim.example.org", "localhost:8080", "127.0.0.1:7070",
                                    "[::1]:8080"])
def test_domains_are_host_and_port(domain):
    assert check_domain(domain) == domain


@pytest.mark.parametrize("domain", ["evil.example/search?x=", "user@host", "host:99999",
                                    "host:", "http://host", "-host", "ho st", ""])
def test_other_domains_are_refused(domain, gazetteer):
    with pytest.raises(ConfigurationError, match="not HOST"):
        get_geocoder("nominatim", gazetteer=gazetteer, domain=domain)


def test_bad_scheme_is_a_configuration_error(gazetteer):
    with pytest.raises(ConfigurationError, match="schemes"):
        get_geocoder("nominatim", gazetteer=gazetteer, scheme="ftp")


def test_unknown_service_names_the_problem(gazetteer):
    with pytest.raises(ConfigurationError, match="unknown geocoder 'nowhere'"):
        get_geocoder("nowhere", gazetteer=gazetteer)
