"""Geocoders: one interface, an offline backend and geopy's online ones behind it.

    >>> from geo.resolution.geocode import get_geocoder
    >>> gc = get_geocoder("offline")                         # doctest: +SKIP
    >>> gc.geocode("Tartous").name                           # doctest: +SKIP
    'Tartus'
    >>> gc = get_geocoder("nominatim", user_agent="storymap-demo")   # doctest: +SKIP
    >>> gc = get_geocoder("nominatim", domain="localhost:8080", scheme="http")  # doctest: +SKIP

As in geopy: ``geocode(query, exactly_one=True)`` returns one ``Place`` or ``None`` when
nothing is found; ``exactly_one=False`` returns every candidate (the resolver ranks them
with the article's context). Online backends are opt-in, rate-limited (geopy's
``RateLimiter``), cached, bounded in time, and wrapped in ``FallbackGeocoder`` so that a
network failure or a bad answer falls back to the offline gazetteer instead of failing the
story.
"""
from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Protocol, TypeVar

from geo.errors import ConfigurationError, GeocodingError
from geo.models import Place
from geo.resolution.gazetteer import KIND_PRIOR, Candidate, Gazetteer
from geo.resolution.names import strip_accents

log = logging.getLogger(__name__)

#: Seconds one online request may take, and all of a geocoder's requests together (a
#: build's): a server that hangs costs one timeout, one that is merely slow the deadline.
TIMEOUT_SECONDS = 5.0
DEADLINE_SECONDS = 30.0

T = TypeVar("T")


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
                 confidence=confidence, admin_code=c.admin_code, feature=c.feature,
                 geometry=c.geometry, provider=c.provider, attribution=c.source,
                 raw={"main_name": c.main_name, "unit_only": c.unit_only})


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


_KINDS = {"country": "country", "state": "region", "water": "water", "river": "water",
          "sea": "water", "aerodrome": "facility", "military": "facility"}
_OSM_ID = re.compile(r"(?:node|way|relation)?[0-9]{1,20}")


class GeopyGeocoder:
    """Any geopy geocoder, rate-limited, cached and bounded in time; its ``Location``s are
    checked and mapped to ``Place``s.

    Answers come from a server, so they are data: a malformed one (not JSON, missing or
    non-numeric coordinates, no name) is a ``GeocodingError``, and names stay plain text.
    Each request gets ``timeout`` seconds of wall-clock time (a socket timeout only bounds
    each read: a server trickling bytes would hold it for ever), and all requests together
    ``deadline_seconds``, after which every call fails at once. Only a 429 is retried (once,
    by the ``RateLimiter``): for anything else the offline fallback is the retry.
    """

    def __init__(self, wrapped, *, min_delay_seconds: float = 1.0,
                 timeout: float = TIMEOUT_SECONDS, deadline_seconds: float = DEADLINE_SECONDS,
                 cache: dict[tuple[str, bool], Place | list[Place] | None] | None = None) -> None:
        from geopy.extra.rate_limiter import RateLimiter

        self.wrapped = wrapped
        self.name = type(wrapped).__name__.lower()
        self.timeout, self.deadline_seconds = timeout, deadline_seconds
        self.spent = 0.0  # seconds waited on the service so far
        self._geocode: Callable = RateLimiter(self._request, min_delay_seconds=min_delay_seconds,
                                              max_retries=1, error_wait_seconds=min_delay_seconds,
                                              swallow_exceptions=False)
        self.cache = {} if cache is None else cache

    def geocode(self, query: str, *, exactly_one: bool = True) -> Place | list[Place] | None:
        from geopy.exc import GeocoderRateLimited

        cache_key = (query, exactly_one)
        if cache_key not in self.cache:
            try:
                self.cache[cache_key] = self._geocode(query, exactly_one)
            except GeocoderRateLimited as exc:
                raise GeocodingError(f"{self.name}: {_describe(exc)}") from exc
        return self.cache[cache_key]

    def _request(self, query: str, exactly_one: bool) -> Place | list[Place] | None:
        """One request and its checked answer. Every failure but a 429 becomes ours here, so
        that the ``RateLimiter`` (which retries geopy's errors) does not retry it."""
        from geopy.exc import GeocoderRateLimited

        limit = min(self.timeout, self.deadline_seconds - self.spent)
        if limit <= 0:
            raise GeocodingError(f"{self.name}: the {self.deadline_seconds:g} s allowed for "
                                  "online requests are spent")
        start = time.monotonic()
        try:
            found = _within(limit, self.wrapped.geocode, query, exactly_one=exactly_one,
                            timeout=limit)
        except GeocoderRateLimited:
            raise
        except TimeoutError:
            raise GeocodingError(f"{self.name}: no answer within {limit:.1f} s") from None
        except Exception as exc:  # geopy's errors, or whatever parsing a malformed answer raised
            raise GeocodingError(f"{self.name}: {_describe(exc)}") from exc
        finally:
            self.spent += time.monotonic() - start
        if not found:
            return None if exactly_one else []
        if exactly_one:
            return self._place(found)
        return [self._place(loc) for loc in found]

    def _place(self, loc) -> Place:
        from geopy.location import Location

        if not isinstance(loc, Location) or not isinstance(loc.address, str):
            raise GeocodingError(f"{self.name}: not a place: {_describe(loc)}")
        name = loc.address.split(",")[0].strip()
        # geopy reads missing coordinates as (0, 0); no place a story names is there
        if not name or (loc.latitude, loc.longitude) == (0.0, 0.0):
            raise GeocodingError(f"{self.name}: an answer without a name or coordinates")
        raw = loc.raw if isinstance(loc.raw, dict) else {}
        osm = f"{raw.get('osm_type', '')}{raw.get('osm_id') or raw.get('place_id') or ''}"
        ident = osm if _OSM_ID.fullmatch(osm) else f"{loc.latitude:.4f},{loc.longitude:.4f}"
        osm_class = raw.get("type") or raw.get("addresstype")
        kind = _KINDS.get(osm_class, "city") if isinstance(osm_class, str) else "city"
        return Place(id=f"{self.name}:{ident}", name=name, kind=kind, lat=loc.latitude,
                     lon=loc.longitude, provider=self.name, attribution=_credit(self.name),
                     raw=raw)


def _within(seconds: float, call: Callable[..., T], *args, **kwargs) -> T:
    """``call(*args, **kwargs)``, or ``TimeoutError`` after ``seconds`` of wall-clock time.

    The call runs in a daemon thread that is abandoned on timeout: it ends when its socket
    times out or the server lets go, and never holds up the build or the exit.
    """
    future: Future = Future()

    def run() -> None:
        try:
            future.set_result(call(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)

    threading.Thread(target=run, name="storymap-geocoder", daemon=True).start()
    return future.result(timeout=seconds)


def _describe(thing: object) -> str:
    """Server text for a log line: cut short, control characters escaped (no terminal tricks)."""
    if isinstance(thing, Exception):
        return f"{type(thing).__name__}: {str(thing)[:200]!r}"
    return repr(thing)[:200]


def _credit(name: str) -> str:
    return "© OpenStreetMap contributors (ODbL)" if name == "nominatim" else name


class FallbackGeocoder:
    """Ask ``primary``; on a ``GeocodingError`` (network down, quota, bad answer, deadline)
    ask ``fallback``.

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


_HOST = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"(?:{_HOST}(?:\.{_HOST})*|\[[0-9A-Fa-f:.]+\])(?::([0-9]{{1,5}}))?")


def check_domain(domain: str) -> str:
    """``domain`` if it is HOST[:PORT]: geopy pastes it into the URL, so a path, query or
    user part would change what is asked, and of whom."""
    m = _DOMAIN.fullmatch(domain)
    if not m or (m.group(1) and not 0 < int(m.group(1)) < 65536):
        raise ConfigurationError(f"geocoder domain {domain!r} is not HOST[:PORT]")
    return domain


def get_geocoder(name: str = "offline", *, gazetteer: Gazetteer | None = None,
                 min_delay_seconds: float = 1.0, timeout: float = TIMEOUT_SECONDS,
                 deadline_seconds: float = DEADLINE_SECONDS, **options) -> Geocoder:
    """``offline`` (default) or any geopy service name ("nominatim", ...) with fallback.

    ``options`` go to the geopy class: ``user_agent`` (Nominatim's usage policy asks for
    one), ``domain`` and ``scheme`` for a self-hosted server. ``min_delay_seconds`` defaults
    to 1, the policy's limit; ``timeout`` bounds each request, ``deadline_seconds`` them all.
    """
    gaz = gazetteer or Gazetteer.open()
    offline = GeoNamesGeocoder(gaz)
    if name == "offline":
        return offline
    from geopy.adapters import URLLibAdapter
    from geopy.exc import GeopyError
    from geopy.geocoders import get_geocoder_for_service

    try:
        cls = get_geocoder_for_service(name)
    except Exception as exc:  # geopy raises its own ConfigurationError listing valid names
        raise ConfigurationError(f"unknown geocoder {name!r}: {exc}") from None
    if "domain" in options:
        check_domain(options["domain"])
    # urllib makes one attempt per request; geopy's default (requests) has urllib3 retry a
    # timed-out one twice more, on a server the deadline has already given up on
    options.setdefault("adapter_factory", URLLibAdapter)
    if name == "nominatim":
        options.setdefault("user_agent", "storymap/0.1")
    try:
        service = cls(**options)
    except (GeopyError, TypeError, ValueError) as exc:  # e.g. a scheme other than http(s)
        raise ConfigurationError(f"geocoder {name!r}: {exc}") from None
    online = GeopyGeocoder(service, min_delay_seconds=min_delay_seconds, timeout=timeout,
                           deadline_seconds=deadline_seconds)
    return FallbackGeocoder(online, offline)
