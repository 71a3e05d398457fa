"""Geocoders: one interface, an offline backend and geopy's online ones behind it.

    >>> from geo.geocode import get_geocoder
    >>> gc = get_geocoder("offline")                         # doctest: +SKIP
    >>> gc.geocode("Tartous").name                           # doctest: +SKIP
    'Tartus'
    >>> gc = get_geocoder("nominatim", user_agent="storymap-demo")   # doctest: +SKIP

As in geopy: ``geocode(query, exactly_one=True)`` returns one ``Place`` or ``None`` when
nothing is found; ``exactly_one=False`` returns every candidate (the resolver ranks them
with the article's context). Online backends are opt-in, rate-limited (geopy's
``RateLimiter``), cached, and wrapped in ``FallbackGeocoder`` so that a network failure
falls back to the offline gazetteer instead of failing the story.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from geo.errors import ConfigurationError, GeocodingError
from geo.gazetteer import KIND_PRIOR, Candidate, Gazetteer
from geo.models import Place
from geo.names import strip_accents

log = logging.getLogger(__name__)


class Geocoder(Protocol):
    """What the resolver needs of a backend."""

    name: str

    def geocode(self, query: str, *, exactly_one: bool = True) -> Place | list[Place] | None: ...


def display_name(name: str) -> str:
    """GeoNames keeps diacritics ("Ţarţūs"); English news readers expect "Tartus"."""
    return strip_accents(name)


def place_from_candidate(c: Candidate, confidence: float = 1.0) -> Place:
    return Place(id=c.id, name=display_name(c.name), kind=c.kind, lat=c.lat, lon=c.lon,
                 country_code=c.country_code, admin1=c.admin1, population=c.population,
                 confidence=confidence, geometry=c.geometry, provider=c.provider,
                 attribution=c.source, raw={"main_name": c.main_name})


class GeoNamesGeocoder:
    """Offline: the embedded gazetteer (GeoNames + Natural Earth + curated supplement)."""

    name = "offline"

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def geocode(self, query: str, *, exactly_one: bool = True) -> Place | list[Place] | None:
        cands = sorted(self.gazetteer.lookup(query), key=prior, reverse=True)
        places = [place_from_candidate(c) for c in cands]
        if exactly_one:
            return places[0] if places else None
        return places


def prior(c: Candidate | Place) -> tuple[int, int]:
    """Context-free ranking: kind first (country over town), then population."""
    return KIND_PRIOR.get(c.kind, 1), c.population


class GeopyGeocoder:
    """Any geopy geocoder, rate-limited and cached, its ``Location``s mapped to ``Place``s."""

    def __init__(self, wrapped, *, min_delay_seconds: float = 1.0,
                 cache: dict[tuple[str, bool], object] | None = None) -> None:
        from geopy.extra.rate_limiter import RateLimiter

        self.wrapped = wrapped
        self.name = type(wrapped).__name__.lower()
        self._geocode: Callable = RateLimiter(wrapped.geocode, min_delay_seconds=min_delay_seconds,
                                              max_retries=1, swallow_exceptions=False)
        self.cache = {} if cache is None else cache

    def geocode(self, query: str, *, exactly_one: bool = True) -> Place | list[Place] | None:
        from geopy.exc import GeopyError

        cache_key = (query, exactly_one)
        if cache_key not in self.cache:
            try:
                self.cache[cache_key] = self._geocode(query, exactly_one=exactly_one)
            except GeopyError as exc:
                raise GeocodingError(f"{self.name}: {exc.__class__.__name__}: {exc}") from exc
        found = self.cache[cache_key]
        if found is None:
            return None if exactly_one else []
        if exactly_one:
            return self._place(found)
        return [self._place(loc) for loc in found]

    def _place(self, loc) -> Place:
        raw = dict(getattr(loc, "raw", {}) or {})
        ident = raw.get("osm_id") or raw.get("place_id") or f"{loc.latitude:.4f},{loc.longitude:.4f}"
        kind = {"country": "country", "state": "region", "water": "water", "river": "water",
                "sea": "water", "aerodrome": "facility", "military": "facility"}.get(
            raw.get("type") or raw.get("addresstype") or "", "city")
        return Place(id=f"{self.name}:{raw.get('osm_type', '')}{ident}",
                     name=str(loc.address).split(",")[0], kind=kind, lat=loc.latitude,
                     lon=loc.longitude, provider=self.name, attribution=_credit(self.name),
                     raw=raw)


def _credit(name: str) -> str:
    return "© OpenStreetMap contributors (ODbL)" if name == "nominatim" else name


class FallbackGeocoder:
    """Ask ``primary``; on a ``GeocodingError`` (network down, quota) ask ``fallback``.

    After a failure the primary is skipped for the rest of the run, so an offline machine
    pays for one timeout, not one per place.
    """

    def __init__(self, primary: Geocoder, fallback: Geocoder) -> None:
        self.primary, self.fallback = primary, fallback
        self.name = f"{primary.name}+{fallback.name}"
        self.failure: str | None = None

    def geocode(self, query: str, *, exactly_one: bool = True) -> Place | list[Place] | None:
        if self.failure is None:
            try:
                found = self.primary.geocode(query, exactly_one=exactly_one)
                if found:
                    return found
            except GeocodingError as exc:
                self.failure = str(exc)
                log.warning("online geocoder failed (%s); using the offline gazetteer", exc)
        return self.fallback.geocode(query, exactly_one=exactly_one)


def get_geocoder(name: str = "offline", *, gazetteer: Gazetteer | None = None,
                 **options) -> Geocoder:
    """``offline`` (default) or any geopy service name ("nominatim", ...) with fallback.

    Online services need ``user_agent`` (Nominatim's usage policy); ``min_delay_seconds``
    defaults to 1, the policy's limit.
    """
    gaz = gazetteer or Gazetteer.open()
    offline = GeoNamesGeocoder(gaz)
    if name == "offline":
        return offline
    from geopy.geocoders import get_geocoder_for_service

    try:
        cls = get_geocoder_for_service(name)
    except Exception as exc:  # geopy raises its own ConfigurationError listing valid names
        raise ConfigurationError(f"unknown geocoder {name!r}: {exc}") from None
    delay = options.pop("min_delay_seconds", 1.0)
    options.setdefault("timeout", 5)
    if name == "nominatim":
        options.setdefault("user_agent", "storymap/0.1")
    return FallbackGeocoder(GeopyGeocoder(cls(**options), min_delay_seconds=delay), offline)
