import pytest
from geopy.exc import GeocoderUnavailable
from geopy.location import Location

from geo.errors import ConfigurationError, GeocodingError
from geo.geocode import FallbackGeocoder, GeoNamesGeocoder, GeopyGeocoder, get_geocoder
from geo.models import Place

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

    def geocode(self, query, exactly_one=True):
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
    def geocode(self, query, exactly_one=True):
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


def test_real_nominatim_without_network_falls_back(gazetteer):
    gc = get_geocoder("nominatim", gazetteer=gazetteer, timeout=2)
    assert gc.geocode("Aleppo").country_code == "SY"


def test_unknown_service_names_the_problem(gazetteer):
    with pytest.raises(ConfigurationError, match="unknown geocoder 'nowhere'"):
        get_geocoder("nowhere", gazetteer=gazetteer)
