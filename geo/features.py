"""What a whole story says about where it is, and each candidate's features against it.

    >>> story = story_evidence({("a", "syria"): [syria], ("a", "homs"): homs})   # doctest: +SKIP
    >>> ctx = story.context("a", "homs")        # the story seen from one mention of "Homs"
    >>> row = features(homs_city, MentionInfo("Homs", "GPE"), ctx, candidate_set(homs), rule=9.1)  # doctest: +SKIP

A story is several articles about one event: the countries, provinces and counties they
name, the places whose reading is not in doubt ("anchors") and the point they cluster
around (the focus). Evidence from the mention's own article counts fully and the other
articles' at half weight, so an article that wanders keeps its own; a name is never
evidence for itself. ``features`` turns one candidate into the numbers the ranker
(``geo.rank``) weighs; ``FEATURES`` names them. One of them is ``rule``: the hand-tuned
score of ``geo.resolve.score`` (kind, population, the article's countries and states,
capitals, "X, Y" qualifiers), so the learned model starts from what the rules knew.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from geo.evaluate import haversine_km
from geo.models import Place

#: Sizes assumed where the gazetteer has no population, so a sea or a state is not a hamlet.
NOMINAL_POPULATION = {"country": 5_000_000, "region": 1_000_000, "water": 1_000_000,
                      "facility": 100_000, "area": 1_000_000, "continent": 100_000_000}
#: NER labels that name a place only sometimes ("Tartus" ORG, "Aleppo" NORP, "Toyota" ORG).
UNSURE_LABELS = frozenset({"ORG", "NORP", "FAC", "PREP", "PERSON"})
#: A mention that names an administrative unit: "Hebei province", "Min County", "Province
#: of Idlib", "Akita Prefecture". The unit's own name is ``base`` (or ``rest``).
UNIT_WORD = re.compile(
    r"^(?:(?:province|prefecture|county|district|governorate|oblast|department|municipality|"
    r"region)\s+of\s+(?P<rest>.+)|(?P<base>.+?)\s+(?:province|prefecture|county|township|"
    r"district|governorate|oblast|krai|okrug|raion|rayon|region|municipality|parish|borough|"
    r"department|canton|voivodeship|emirate|autonomous region))$", re.IGNORECASE)
#: How many other places' points are kept to measure a candidate's distance to the story.
MAX_ANCHORS = 12
#: An anchor's reading must be this many times bigger than its runner-up's.
ANCHOR_MARGIN = 20
_LOG_MAX_KM = math.log1p(20_000)

FEATURES = ("rule", "rule_top", "log_size", "size_share", "kind_city",
            "kind_region", "kind_country", "kind_other", "unit_only", "adm2", "unit_region",
            "unit_other", "in_country", "in_unit", "votes", "anchor_km",
            "near_anchor", "focus_km", "no_anchor", "unsure_city", "label_loc",
            "small_far", "county_votes")


def unit_base(text: str) -> str | None:
    """"Hebei province" -> "Hebei": the unit's own name when the mention carries a unit word."""
    m = UNIT_WORD.match(text.strip())
    if not m:
        return None
    return (m.group("base") or m.group("rest")).strip() or None


def size(p: Place) -> int:
    """Population, or a nominal size for kinds whose population the gazetteer lacks."""
    if p.kind == "region" and not p.population:
        return NOMINAL_POPULATION["region"] // (5 if p.feature == "ADM2" else 1)
    return p.population or NOMINAL_POPULATION.get(p.kind, 0)


def _prior(p: Place) -> tuple[int, int]:
    from geo.gazetteer import KIND_PRIOR

    return KIND_PRIOR.get(p.kind, 1), p.population


@dataclass(frozen=True)
class NameEvidence:
    """What one name contributes: the units it names, its votes, its point if unambiguous."""

    countries: frozenset[str] = frozenset()
    #: GeoNames code paths of the provinces or counties it names ("CN.10", "US.TX.201").
    units: frozenset[str] = frozenset()
    votes: Mapping[str, float] = field(default_factory=dict)
    anchor: tuple[float, float] | None = None
    #: One vote shared by the counties (second-level units) it could be or be in.
    county_votes: Mapping[str, float] = field(default_factory=dict)


def name_evidence(cands: Sequence[Place]) -> NameEvidence:
    """A name's likeliest reading (by kind and size) taken as evidence, and, spread over
    all its candidates, one vote for the provinces it could be in."""
    if not cands:
        return NameEvidence()
    ranked = sorted(cands, key=_prior, reverse=True)
    top = ranked[0]
    countries, units = set(), set()
    if top.country_code and top.kind in ("country", "region"):
        countries.add(top.country_code)
    if top.kind == "region" and top.admin_code.count(".") >= 1:
        units.add(top.admin_code)
    where = {_province(p) for p in cands if p.kind in ("city", "region") and _province(p)}
    votes = {w: 1.0 / len(where) for w in where}
    counties = {_county(p) for p in cands if p.kind in ("city", "region") and _county(p)}
    anchor = None
    if top.kind in ("city", "region", "facility") and (
            len(ranked) == 1 or size(top) >= ANCHOR_MARGIN * max(size(ranked[1]), 1)):
        anchor = (top.lat, top.lon)
    return NameEvidence(frozenset(countries), frozenset(units), votes, anchor,
                        {c: 1.0 / len(counties) for c in counties})


def _province(p: Place) -> str:
    """"CN.10" of "CN.10.1306": the first-level unit's code path, or ""."""
    parts = p.admin_code.split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 else ""


def _county(p: Place) -> str:
    """"US.TX.471" of a town in Walker County, Texas, or of the county itself: the
    second-level unit's code path, or "" (no second-level unit known)."""
    parts = p.admin_code.split(".")
    return ".".join(parts[:3]) if len(parts) >= 3 else ""


@dataclass(frozen=True)
class Context:
    """Where the story is, as seen from one mention (its own name left out). Values are
    weights: 1 for the mention's own article, 0.5 for only another article of the story."""

    countries: Mapping[str, float] = field(default_factory=dict)
    units: Mapping[str, float] = field(default_factory=dict)
    votes: Mapping[str, float] = field(default_factory=dict)
    anchors: tuple[tuple[float, float], ...] = ()
    focus: tuple[float, float] | None = None
    county_votes: Mapping[str, float] = field(default_factory=dict)


@dataclass
class StoryEvidence:
    """Every (article, name key)'s evidence; ``context`` views it from one mention."""

    names: dict[tuple[str, str], NameEvidence]
    counts: Counter = field(default_factory=Counter)
    focus: tuple[float, float] | None = None

    def context(self, article_id: str, name: str) -> Context:
        countries: dict[str, float] = {}
        units: dict[str, float] = {}
        votes: Counter = Counter()
        county_votes: Counter = Counter()
        anchors: dict[tuple[float, float], float] = {}
        for (a, k), ev in self.names.items():
            if k == name:
                continue
            weight = 1.0 if a == article_id else 0.5
            for cc in ev.countries:
                countries[cc] = max(countries.get(cc, 0.0), weight)
            for u in ev.units:
                units[u] = max(units.get(u, 0.0), weight)
            for w, v in ev.votes.items():
                votes[w] += weight * v
            for w, v in ev.county_votes.items():
                county_votes[w] += weight * v
            if ev.anchor is not None:
                anchors[ev.anchor] = anchors.get(ev.anchor, 0.0) + self.counts[(a, k)] * weight
        kept = tuple(sorted(anchors, key=lambda pt: -anchors[pt])[:MAX_ANCHORS])
        return Context(countries, units, dict(votes), kept, self.focus, dict(county_votes))


def story_evidence(names: Mapping[tuple[str, str], Sequence[Place]],
                   counts: Mapping[tuple[str, str], int] | None = None) -> StoryEvidence:
    """``(article id, name key) -> candidates`` of a whole story -> its evidence."""
    evidence = {k: name_evidence(c) for k, c in names.items()}
    counts = Counter(counts or {k: 1 for k in names})
    points = [ev.anchor for ev in evidence.values() if ev.anchor is not None]
    return StoryEvidence(evidence, counts, medoid(points))


def medoid(points: Sequence[tuple[float, float]]) -> tuple[float, float] | None:
    """The point with the least total distance to the others: a focus outliers do not drag."""
    if not points:
        return None
    pts = list(dict.fromkeys(points))[:40]
    return min(pts, key=lambda p: sum(haversine_km(*p, *q) for q in pts))


@dataclass(frozen=True)
class MentionInfo:
    """What the ranker knows of the mention itself."""

    text: str
    label: str = "GPE"


@dataclass(frozen=True)
class CandidateSet:
    """Facts about a name's whole candidate list, shared by its candidates."""

    total_size: int
    #: The name is a country's, state's or continent's own ("California", "Mexico").
    own_name: bool = False
    #: Countries with a first-level unit of that name: there, a city of 100,000 or more
    #: is the unit's seat ("Tartus", "Homs"), not a namesake.
    seats: frozenset[str | None] = frozenset()


def candidate_set(cands: Sequence[Place]) -> CandidateSet:
    own = [p for p in cands if p.raw.get("main_name", True) and (
        p.kind in ("country", "continent") or (p.kind == "region" and p.admin_code.count(".") == 1))]
    seats = frozenset() if any(p.kind == "country" for p in own) else \
        frozenset(p.country_code for p in own)
    return CandidateSet(sum(size(p) for p in cands), bool(own), seats)


def _log_km(km: float) -> float:
    return math.log1p(km) / _LOG_MAX_KM


def _in_unit(code: str, units: Mapping[str, float]) -> float:
    """Weight of the deepest named unit that contains the code path (0 if none)."""
    best = 0.0
    parts = code.split(".")
    for i in range(2, len(parts) + 1):
        best = max(best, units.get(".".join(parts[:i]), 0.0))
    return best


def features(p: Place, m: MentionInfo, ctx: Context, cs: CandidateSet, rule: float = 0.0,
             rule_top: bool = False) -> list[float]:
    """The candidate's numbers, in the order of ``FEATURES``.

    As in the rules, a town that shares a state's or country's own name ("California",
    Missouri) gets no evidence from where the story's other places are: they are in that
    state or country (but the seat of a province named like it does: "Tartus")."""
    s = size(p)
    kind = p.kind
    if cs.own_name and kind == "city" and not (
            p.population >= 100_000 and p.country_code in cs.seats):
        ctx = Context(ctx.countries)
    base = unit_base(m.text)
    anchor_km = min((haversine_km(p.lat, p.lon, *a) for a in ctx.anchors), default=None)
    focus_km = haversine_km(p.lat, p.lon, *ctx.focus) if ctx.focus else None
    share = s / cs.total_size if cs.total_size else 1.0
    far = anchor_km is None or anchor_km > 1000
    return [
        rule / 10,
        float(rule_top),
        math.log10(s + 1) / 7,
        share,
        float(kind == "city"),
        float(kind == "region"),
        float(kind == "country"),
        float(kind not in ("country", "region", "city")),
        float(p.raw.get("unit_only", False)),
        float(p.feature == "ADM2"),
        float(base is not None and kind == "region"),
        float(base is not None and kind != "region"),
        ctx.countries.get(p.country_code or "", 0.0) if kind != "country" else 0.0,
        _in_unit(p.admin_code, ctx.units) if kind != "country" else 0.0,
        min(ctx.votes.get(_province(p), 0.0), 3.0) / 3 if kind in ("city", "region") else 0.0,
        _log_km(anchor_km) if anchor_km is not None else 1.0,
        float(anchor_km is not None and anchor_km < 161),
        _log_km(focus_km) if focus_km is not None else 1.0,
        float(anchor_km is None),
        float(m.label in UNSURE_LABELS and kind == "city"),
        float(m.label == "LOC"),
        # a tiny namesake far from everything the story names: usually not the place
        float(kind == "city" and p.population < 5_000 and far),
        # "Huntsville" beside "Walker County": the town in that county, the county of that town
        min(ctx.county_votes.get(_county(p), 0.0), 3.0) / 3 if kind in ("city", "region") else 0.0,
    ]


__all__ = ["FEATURES", "CandidateSet", "Context", "MentionInfo", "NameEvidence",
           "StoryEvidence", "UNIT_WORD", "candidate_set", "features", "medoid",
           "name_evidence", "size", "story_evidence", "unit_base"]
