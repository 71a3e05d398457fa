"""What a whole story says about where it is, and each candidate's features against it.

    >>> story = story_evidence({("a", "syria"): [syria], ("a", "homs"): homs})   # doctest: +SKIP
    >>> ctx = story.context("a", "homs")        # the story seen from one mention of "Homs"
    >>> row = features(homs_city, MentionInfo("Homs", "GPE"), ctx, candidate_set(homs), rule=9.1)  # doctest: +SKIP

A story is several articles about one event: the countries, provinces and counties they
name, the places whose reading is not in doubt ("anchors") and the point they cluster
around (the focus). Evidence from the mention's own article counts fully and the other
articles' at half weight, so an article that wanders keeps its own; a name is never
evidence for itself. ``features`` turns one candidate into the numbers the ranker
(``geo.resolution.rank``) weighs; ``FEATURES`` names them. One of them is ``rule``: the hand-tuned
score of ``geo.resolution.resolver.score`` (kind, population, the article's countries and states,
capitals, "X, Y" qualifiers), so the learned model starts from what the rules knew.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import islice

from geo.evaluation.scores import EARTH_KM
from geo.models import Place
from geo.resolution.geocode import prior
from geo.resolution.names import key, spelled_out

#: Sizes assumed where the gazetteer has no population, so a sea or a state is not a hamlet.
NOMINAL_POPULATION = {"country": 5_000_000, "region": 1_000_000, "water": 1_000_000,
                      "facility": 100_000, "area": 1_000_000, "continent": 100_000_000}
#: NER labels that name a place only sometimes ("Tartus" ORG, "Aleppo" NORP, "Toyota" ORG).
UNSURE_LABELS = frozenset({"ORG", "NORP", "FAC", "PREP", "PERSON", "SPOT"})
#: A mention that names an administrative unit: "Hebei province", "Min County", "Province
#: of Idlib", "Akita Prefecture". The unit's own name is ``base`` (or ``rest``).
UNIT_WORD = re.compile(
    r"^(?:(?P<word_of>province|prefecture|county|district|governorate|oblast|department|"
    r"municipality|region)\s+of\s+(?P<rest>.+)|(?P<base>.+?)\s+(?P<word>province|prefecture|"
    r"county|township|district|governorate|oblast|krai|okrug|raion|rayon|region|municipality|"
    r"parish|borough|department|canton|voivodeship|emirate|division|autonomous region))$",
    re.IGNORECASE)
#: How many other places' points are kept to measure a candidate's distance to the story.
MAX_ANCHORS = 12
#: km from every place the story names beyond which a small town is a far-fetched reading.
FAR_KM = 1_000
#: An anchor's reading must be this many times bigger than its runner-up's.
ANCHOR_MARGIN = 20
_LOG_MAX_KM = math.log1p(20_000)

FEATURES = ("rule", "rule_top", "log_size", "size_share", "kind_city",
            "kind_region", "kind_country", "kind_other", "unit_only", "adm2", "unit_region",
            "unit_other", "in_country", "in_unit", "votes", "anchor_km",
            "near_anchor", "focus_km", "no_anchor", "unsure_city", "label_loc",
            "small_far", "county_votes", "county_named", "list_kind", "other_name")


#: A natural feature named with its kind: "Katla volcano", "Eyjafjallajökull Glacier".
FEATURE_WORDS = ("volcano", "glacier", "ice cap", "icecap", "mountain", "mountains", "peak",
                 "river", "lake", "island", "plateau", "valley", "desert", "canyon", "reef",
                 "crater", "fjord", "lagoon", "waterfall", "hill", "hills", "pass",
                 "peninsula")
FEATURE_WORD = re.compile(rf"^(?P<base>.+?)\s+(?P<word>{'|'.join(FEATURE_WORDS)})$",
                          re.IGNORECASE)
#: Feature words for water: "Smoky Mountains" is no river called Smoky, "Indus River" no
#: mountain (a glacier may be either: "Eyjafjallajökull Glacier" is the volcano).
WATER_WORDS = frozenset({"river", "lake", "lagoon", "fjord", "waterfall", "reef"})
LAND_OR_WATER_WORDS = frozenset({"glacier", "ice cap", "icecap"})


def feature_base(text: str) -> str | None:
    """"Katla volcano" -> "Katla": the feature's own name, when the mention carries its kind."""
    m = FEATURE_WORD.match(text.strip())
    return m.group("base").strip() if m else None


def fits_feature_word(text: str, p: Place) -> bool:
    """Whether ``p`` is of the kind the mention's feature word says: water for "Pungwe
    River", land (not a unit) for "Smoky Mountains" (True for a mention without one)."""
    m = FEATURE_WORD.match(text.strip())
    word = " ".join(m.group("word").lower().split()) if m else ""
    if not word or word in LAND_OR_WATER_WORDS:
        return True
    # an administrative unit is no natural feature ("San Jose Island" is no Costa Rican
    # province called San José), nor a peak an island (nor Chile's Mount San José)
    if word in ("island", "islands"):
        return p.feature.startswith("ISL") or word in key(p.name)
    return (p.kind == "water") == (word in WATER_WORDS) and not p.feature.startswith("ADM")


def unit_word(text: str) -> str | None:
    """"Hebei province" -> "province", "Province of Cavite" -> "province": the unit word a
    name carries, lower-cased."""
    m = UNIT_WORD.match(text.strip())
    return (m["word"] or m["word_of"]).lower() if m else None


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


@dataclass(frozen=True)
class NameEvidence:
    """What one name contributes: the units it names, its votes, its point if unambiguous."""

    countries: frozenset[str] = frozenset()
    #: GeoNames code paths of the provinces or counties it names ("CN.10", "US.TX.201").
    units: frozenset[str] = frozenset()
    votes: Mapping[str, float] = field(default_factory=dict)
    anchor: tuple[float, float] | None = None
    #: One vote shared by the counties (second-level units) it could be or be in, keyed
    #: by the reading's kind and the county ("city:US.TX.471", "region:US.TX.471").
    county_votes: Mapping[str, float] = field(default_factory=dict)


def name_evidence(cands: Sequence[Place], known: Collection[str] = ()) -> NameEvidence:
    """A name's likeliest reading (by kind and size, see ``lead``) taken as evidence, and,
    spread over all its candidates, one vote for the provinces it could be in."""
    if not cands:
        return NameEvidence()
    ranked = sorted(cands, key=prior, reverse=True)
    top = lead(ranked, known)
    countries, units = set(), set()
    if top.country_code and top.kind in ("country", "region"):
        countries.add(top.country_code)
    if top.kind == "region" and top.admin_code.count(".") >= 1:
        units.add(top.admin_code)
    where = {_province(p) for p in cands if p.kind in ("city", "region") and _province(p)}
    votes = {w: 1.0 / len(where) for w in where}
    counties = {f"{p.kind}:{_county(p)}" for p in cands
                if p.kind in ("city", "region") and _county(p)}
    anchor = None
    if top.kind in ("city", "region", "facility") and (
            len(ranked) == 1 or size(top) >= ANCHOR_MARGIN * max(size(ranked[1]), 1)):
        anchor = (top.lat, top.lon)
    return NameEvidence(frozenset(countries), frozenset(units), votes, anchor,
                        {c: 1.0 / len(counties) for c in counties})


def lead(ranked: Sequence[Place], known: Collection[str] = ()) -> Place:
    """The reading a name gives as evidence: its first by prior (``ranked``), unless that is
    a region whose name other countries' regions share ("Los Ríos": Chile's, Ecuador's,
    the Dominican Republic's) and exactly one of those is a country the story names
    unambiguously (``known``, see ``known_countries``): then that country's region."""
    top = ranked[0]
    if top.kind != "region":
        return top
    regions = {p.country_code: p for p in reversed(ranked) if p.kind == "region"}
    named = [cc for cc in regions if cc in known]
    return regions[named[0]] if len(regions) > 1 and len(named) == 1 else top


def known_countries(candidate_lists: Iterable[Sequence[Place]]) -> frozenset[str]:
    """The countries names give without ambiguity: a country's name, or a region's name no
    place in another country shares ("Guayas"; not "Pedernales", also towns in Ecuador and
    Mexico)."""
    out = set()
    for cands in candidate_lists:
        if not cands:
            continue
        top = max(cands, key=prior)
        if top.country_code and (top.kind == "country" or top.kind == "region" and
                                 len({p.country_code for p in cands}) == 1):
            out.add(top.country_code)
    return frozenset(out)


@lru_cache(maxsize=65536)
def _code_paths(code: str) -> tuple[str, ...]:
    """"CN.10.1306" -> ("CN.10", "CN.10.1306"): the code paths of the units, first-level
    down, that contain it (a few thousand codes, each asked of many candidates)."""
    parts = code.split(".")
    return tuple(".".join(parts[:i]) for i in range(2, len(parts) + 1))


def _province(p: Place) -> str:
    """"CN.10" of "CN.10.1306": the first-level unit's code path, or ""."""
    paths = _code_paths(p.admin_code)
    return paths[0] if paths else ""


def _county_votes(p: Place, votes: Mapping[str, float], dominant: Place | None) -> float:
    """The votes for ``p``'s county, from the counties the story may name ("Henry County":
    Paris, Tennessee) and from its towns that may lie in it, but not the towns' for a
    namesake of a town far bigger ("Washington", also a town of Washington County,
    Pennsylvania, says nothing for Paris, Pennsylvania, beside Paris, France)."""
    county = _county(p)
    from_towns = votes.get(f"city:{county}", 0.0)
    if dominant is not None and p is not dominant:
        from_towns = 0.0
    return votes.get(f"region:{county}", 0.0) + from_towns


def _county(p: Place) -> str:
    """"US.TX.471" of a town in Walker County, Texas, or of the county itself: the
    second-level unit's code path, or "" (no second-level unit known)."""
    paths = _code_paths(p.admin_code)
    return paths[1] if len(paths) >= 2 else ""


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

    # Worked out once per context for all the candidates measured against it:

    @cached_property
    def anchor_trig(self) -> tuple[_Trig, ...]:
        """The anchors as ``_trig`` has them."""
        return tuple(_trig(lat, lon) for lat, lon in self.anchors)

    @cached_property
    def focus_trig(self) -> tuple[_Trig, ...]:
        """The focus as ``_trig`` has it (none if no focus)."""
        return (_trig(*self.focus),) if self.focus else ()

    @cached_property
    def countries_only(self) -> Context:
        """The context but its countries and the counties it names: what a town sees that
        shares a state's or country's own name (see ``features``). A county the story
        names is still evidence ("Lebanon" beside "Boone County": Lebanon, Indiana); the
        story's other towns and states are not ("Ontario" beside Los Angeles is still
        the province)."""
        return Context(self.countries, county_votes=self.county_votes)


#: (sum of values, number of names contributing) of one unit, country or point.
_Sum = tuple[float, int]


_ZERO: _Sum = (0.0, 0)


@dataclass
class _Tally:
    """One kind of evidence (countries, units, votes, county votes or anchor counts) summed
    over the story, per article and per name key, so a mention's view of it (the story
    without its own name) is a few subtractions instead of a pass over every name."""

    story: dict = field(default_factory=dict)
    by_article: dict[str, dict] = field(default_factory=dict)
    by_name: dict[str, dict] = field(default_factory=dict)

    def add(self, article: str, name: str, values: Mapping) -> None:
        """One (article, name) entry's value of each of its items."""
        if not values:
            return
        for into in (self.story, self.by_article.setdefault(article, {}),
                     self.by_name.setdefault(name, {})):
            for item, value in values.items():
                s, n = into.get(item, _ZERO)
                into[item] = (s + value, n + 1)

    def without(self, article: str, name: str, own: Mapping, item) -> tuple[_Sum, _Sum]:
        """(whole story, the article alone) without ``name``: ``own`` is its entry's values."""
        s, n = self.story.get(item, _ZERO)
        ns, nn = self.by_name.get(name, {}).get(item, _ZERO)
        a, an = self.by_article.get(article, {}).get(item, _ZERO)
        mine = item in own
        return (s - ns, n - nn), (a - (own[item] if mine else 0.0), an - mine)


class _View(Mapping):
    """What the story's other names say of each country, unit or province, from one
    mention: a unit named in its own article weighs 1, only in others 0.5 (``summed``
    False); votes are summed at those weights (``summed`` True). Computed on lookup, by
    ``get`` (the features ask it of every candidate; most items are missing)."""

    def __init__(self, tally: _Tally, article: str, name: str, own: Mapping,
                 summed: bool) -> None:
        self._story = tally.story
        self._by_article = tally.by_article.get(article, {})
        self._by_name = tally.by_name.get(name, {})
        self._own, self._summed = own, summed

    def get(self, item: object, default: float | None = None) -> float | None:
        """As ``_Tally.without``, inlined: (whole story, the article alone) less the name."""
        found = self._story.get(item)
        if found is None:
            return default
        s, n = found
        ns, nn = self._by_name.get(item, _ZERO)
        if n - nn <= 0:
            return default
        a, an = self._by_article.get(item, _ZERO)
        mine = item in self._own
        if self._summed:
            return 0.5 * (s - ns) + 0.5 * (a - (self._own[item] if mine else 0.0))
        return 1.0 if an - mine > 0 else 0.5

    def __getitem__(self, item: object) -> float:
        value = self.get(item)
        if value is None:
            raise KeyError(item)
        return value

    def __iter__(self) -> Iterator:
        return (k for k in self._story if k in self)

    def __contains__(self, item: object) -> bool:
        return self.get(item) is not None

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass
class StoryEvidence:
    """Every (article, name key)'s evidence; ``context`` views it from one mention.

    The totals are kept over the story, per article and per name, so a context costs what
    it returns, not a pass over the story's names (a 1,000-article story has ~10^4)."""

    names: dict[tuple[str, str], NameEvidence]
    counts: Counter = field(default_factory=Counter)
    focus: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        self._tallies = {f: _Tally() for f in ("countries", "units", "votes", "county_votes")}
        self._anchors = _Tally()
        #: point -> (first entry naming it, its name key, first entry of another name)
        self._first: dict[tuple[float, float], list] = {}
        for i, ((a, k), ev) in enumerate(self.names.items()):
            self._tallies["countries"].add(a, k, dict.fromkeys(ev.countries, 1.0))
            self._tallies["units"].add(a, k, dict.fromkeys(ev.units, 1.0))
            self._tallies["votes"].add(a, k, ev.votes)
            self._tallies["county_votes"].add(a, k, ev.county_votes)
            if ev.anchor is not None:
                self._anchors.add(a, k, {ev.anchor: self.counts[(a, k)]})
                first = self._first.setdefault(ev.anchor, [i, k, None])
                if first[2] is None and k != first[1]:
                    first[2] = i
        self._ranked = sorted(self._first, key=lambda pt: (-self._anchors.story[pt][0],
                                                            self._first[pt][0]))
        self._seen: dict[tuple[str, str], Context] = {}

    def context(self, article_id: str, name: str) -> Context:
        """The story without ``name``, its own article's evidence weighing double."""
        if (article_id, name) not in self._seen:
            ev = self.names.get((article_id, name), NameEvidence())
            t = self._tallies
            own = {"countries": dict.fromkeys(ev.countries, 1.0),
                   "units": dict.fromkeys(ev.units, 1.0), "votes": ev.votes,
                   "county_votes": ev.county_votes}
            views = {f: _View(t[f], article_id, name, own[f], f.endswith("votes")) for f in t}
            self._seen[(article_id, name)] = Context(
                views["countries"], views["units"], views["votes"],
                self._kept_anchors(article_id, name, ev), self.focus, views["county_votes"])
        return self._seen[(article_id, name)]

    def _kept_anchors(self, article: str, name: str,
                      ev: NameEvidence) -> tuple[tuple[float, float], ...]:
        """The ``MAX_ANCHORS`` points most often named, own article weighing double. Only
        the points of the mention's article or name move in the story's ranking: they are
        re-weighed, and the rest taken in story order until enough are found."""
        tally = self._anchors
        own = {ev.anchor: self.counts[(article, name)]} if ev.anchor is not None else {}
        moved = set(tally.by_name.get(name, ())) | set(tally.by_article.get(article, ()))
        weighed = []
        for pt in moved:
            (s, n), (a, _) = tally.without(article, name, own, pt)
            if n > 0:
                i, first_name, other = self._first[pt]
                weighed.append((-(0.5 * s + 0.5 * a), i if first_name != name else other, pt))
        rest = islice((pt for pt in self._ranked if pt not in moved), MAX_ANCHORS)
        weighed += [(-0.5 * tally.story[pt][0], self._first[pt][0], pt) for pt in rest]
        return tuple(pt for _, _, pt in sorted(weighed)[:MAX_ANCHORS])


def story_evidence(names: Mapping[tuple[str, str], Sequence[Place]],
                   counts: Mapping[tuple[str, str], int] | None = None) -> StoryEvidence:
    """``(article id, name key) -> candidates`` of a whole story -> its evidence."""
    known = known_countries(names.values())
    evidence = {k: name_evidence(c, known) for k, c in names.items()}
    counts = Counter(counts or {k: 1 for k in names})
    points = [ev.anchor for ev in evidence.values() if ev.anchor is not None]
    return StoryEvidence(evidence, counts, medoid(points))


def medoid(points: Sequence[tuple[float, float]]) -> tuple[float, float] | None:
    """The point with the least total distance to the others: a focus outliers do not drag."""
    if not points:
        return None
    pts = list(dict.fromkeys(points))[:40]
    trig = [_trig(*p) for p in pts]
    totals = {p: sum(map(_km, _terms(t, trig))) for p, t in zip(pts, trig)}
    return min(pts, key=totals.__getitem__)


#: A point's latitude and longitude in radians and the cosine of its latitude.
_Trig = tuple[float, float, float]


def _trig(lat: float, lon: float) -> _Trig:
    la = math.radians(lat)
    return la, math.radians(lon), math.cos(la)


def _terms(a: _Trig, points: Iterable[_Trig]) -> list[float]:
    """The haversine terms from ``a`` to each point: ``geo.evaluation.scores.haversine_km``'s
    arithmetic step for step, so distances come out the same to the last bit."""
    la1, lo1, c1 = a
    return [math.sin((la2 - la1) / 2) ** 2 + c1 * c2 * math.sin((lo2 - lo1) / 2) ** 2
            for la2, lo2, c2 in points]


def _km(h: float) -> float:
    """The great-circle km of a haversine term (as ``haversine_km``)."""
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


#: What joins two names of a list: "A, B and C", "A and B", "A, B, or C", "A; B".
_JOIN = r"(?:,|;|,?\s+(?:and|or))(?:\s+(?:[a-z0-9]+\s+){1,3}in)?"  # "..., eight in"
#: A name of the list that is no mention ("Grant, Mahnomen, Otter Tail": Mahnomen unread).
_UNREAD = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}"
_LIST_JOINT = re.compile(rf"\s*(?:[,;]\s*{_UNREAD}\s*)*{_JOIN}\s*$")


def list_runs(text: str, spans: Sequence[tuple[int, int]]) -> list[list[int]]:
    """The spans (in text order) grouped into runs of names joined by list joints only:
    what ``list_siblings`` and ``listed_units`` read, found once per article."""
    runs: list[list[int]] = []
    for i, (start, _) in enumerate(spans):
        if i and _LIST_JOINT.match(text[spans[i - 1][1]:start]):
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


#: Two names joined by "and"/"or" alone: a pair of one kind ("Egypt and Niger").
_PAIR = re.compile(r"\s+(?:and|or)\s+")


def list_siblings(runs: Sequence[Sequence[int]], text: str,
                  spans: Sequence[tuple[int, int]]) -> list[list[int]]:
    """For each span, the indexes of the other names of its list (``list_runs``): three or
    more names joined by commas or "and"/"or", or two joined by "and"/"or" alone ("Egypt
    and Niger"; two joined by a comma are often a town and its state, "Rockville,
    Maryland")."""
    out: list[list[int]] = [[] for _ in spans]
    for run in runs:
        if len(run) >= 3 or len(run) == 2 and _PAIR.fullmatch(
                text[spans[run[0]][1]:spans[run[1]][0]]):
            for i in run:
                out[i] = [j for j in run if j != i]
    return out


#: A unit word in the plural after a list or before it, and its singular: "Becker, Clay
#: and Otter Tail counties", "the provinces of Anhui, Hunan and Hubei".
PLURAL_UNITS = {"counties": "County", "provinces": "Province", "prefectures": "Prefecture",
                "districts": "District", "governorates": "Governorate", "oblasts": "Oblast",
                "parishes": "Parish", "townships": "Township", "boroughs": "Borough",
                "departments": "Department", "cantons": "Canton", "regions": "Region",
                "municipalities": "Municipality", "states": "State", "divisions": "Division"}
#: Plural feature words a list of names goes with: "the Mississippi and Ohio Rivers", "the
#: San Jacinto and Trinity basins" (a river's basin is drawn as the river).
PLURAL_FEATURES = {"rivers": "River", "lakes": "Lake", "basins": "River"}
#: Every plural word that says what the names of its list are.
LIST_WORDS = {**PLURAL_UNITS, **PLURAL_FEATURES}
#: Plural words for settlements: "the coastal cities of Portoviejo, Manta and Pedernales"
#: are towns where one has the name (the "town" reading of ``town_words``).
PLURAL_TOWNS = {"cities": "town", "towns": "town", "villages": "town"}
_LISTED = {**LIST_WORDS, **PLURAL_TOWNS}
_PLURAL_AFTER = re.compile(rf"^(?:\s*{_JOIN}\s*{_UNREAD})*"  # names not read: "... and Swift"
                           rf"\s+((?i:{'|'.join(_LISTED)}))\b")
_PLURAL_BEFORE = re.compile(rf"\b((?i:{'|'.join(_LISTED)}))(?:\s+(?i:of\s+(?:the\s+)?)|"
                            r"[a-z\s'’-]{0,50}:\s*)$")  # "the counties hit: A, B" too


def listed_units(text: str, spans: Sequence[tuple[int, int]],
                 runs: Sequence[Sequence[int]]) -> list[str | None]:
    """For each span (in text order), the unit word its list (``list_runs``) names it with,
    or None: "Becker, Clay and Otter Tail counties" are Becker County, Clay County and
    Otter Tail County; "the provinces of Anhui and Hubei" are provinces (two names will do
    here: the plural word says it is a list)."""
    out: list[str | None] = [None] * len(spans)
    for run in runs:
        if len(run) < 2:
            continue
        after = _PLURAL_AFTER.match(text[spans[run[-1]][1]:spans[run[-1]][1] + 80])
        before = _PLURAL_BEFORE.search(text[max(0, spans[run[0]][0] - 70):spans[run[0]][0]])
        word = after or before
        if word is not None:
            for i in run:
                out[i] = _LISTED[word.group(1).lower()]
    return out


#: "the state of Washington", "a Washington state farm", "Borno State": the state, not a town
#: (but "Iran state media", "a Mexico state visit" are the country's government).
_STATE_BEFORE = re.compile(r"\bstate\s+of\s+(?:the\s+)?$", re.IGNORECASE)
_STATE_AFTER = re.compile(r"^\s+state\b(?![\s-]+(?:media|television|tv|news|radio|broadcaster|"
                          r"run|owned|controlled|department|visit|funeral|dinner|secretary))",
                          re.IGNORECASE)


def state_words(text: str, spans: Sequence[tuple[int, int]]) -> list[bool]:
    """For each span, whether the text calls it a state ("the state of Washington",
    "Washington state"): then it is a first-level unit where one has the name."""
    return [bool(_STATE_BEFORE.search(text[max(0, a - 20):a]) or
                 _STATE_AFTER.match(text[b:b + 40])) for a, b in spans]


_TOWN_BEFORE = re.compile(r"\b(city|town|village)\s+of\s+$", re.IGNORECASE)
_VILLAGE_AFTER = re.compile(r"\s+village\b")


def town_words(text: str, spans: Sequence[tuple[int, int]]) -> list[str | None]:
    """For each span, the word the text calls it a town with ("the city of Kidal", "the
    town of Menaka", "the village of Mati", "Mati village"), lower-cased, or None: then
    it is a town where one has the name, not the province named after it."""
    out: list[str | None] = []
    for a, b in spans:
        before = _TOWN_BEFORE.search(text[max(0, a - 20):a])
        out.append(before.group(1).lower() if before else
                   "village" if _VILLAGE_AFTER.match(text, b) else None)
    return out


def list_kinds(siblings: Iterable[Sequence[Place]]) -> tuple[tuple[str, float], ...]:
    """The share of a list's other names whose biggest reading is of each kind: in
    "Alberta, Ontario and Washington" the state, in "Moscow, Beijing and Washington" the
    city. A province named after its seat, a city of 100,000 in it ("Osh", "Benghazi"),
    counts half as each."""
    shares: Counter = Counter()
    n = 0
    for cands in siblings:
        if not cands:
            continue
        n += 1
        top = max(cands, key=size)
        if top.kind == "region" and any(is_seat(p, top) for p in cands):
            shares["city"] += 0.5
            shares["region"] += 0.5
        else:
            shares[top.kind] += 1
    return tuple(sorted((k, v / n) for k, v in shares.items())) if n else ()


def is_seat(p: Place, unit: Place) -> bool:
    """``p`` is a city of 100,000 in ``unit`` (their code paths agree to the unit's depth)."""
    return p.kind == "city" and p.population >= 100_000 and bool(unit.admin_code) and \
        f"{p.admin_code}.".startswith(f"{unit.admin_code}.")


@dataclass(frozen=True)
class MentionInfo:
    """What the ranker knows of the mention itself."""

    text: str
    label: str = "GPE"
    #: ``list_kinds`` of the list it is named in (empty outside a list).
    listed: tuple[tuple[str, float], ...] = ()

    @cached_property
    def spelled(self) -> str:
        return spelled_out(key(self.text))

    @cached_property
    def unit_base(self) -> str | None:
        """``unit_base(text)``, once per mention rather than once per candidate."""
        return unit_base(self.text)


@dataclass(frozen=True)
class CandidateSet:
    """Facts about a name's whole candidate list, shared by its candidates."""

    total_size: int
    #: The name is a country's, state's or continent's own ("California", "Mexico").
    own_name: bool = False
    #: Countries with a first-level unit of that name: there, a city of 100,000 or more
    #: is the unit's seat ("Tartus", "Homs"), not a namesake.
    seats: frozenset[str | None] = frozenset()
    #: The countries, continents and states whose own name it is.
    owners: tuple[Place, ...] = ()
    #: The name's ``dominant_town``: its namesakes get no county evidence from the story's
    #: towns (``_county_votes``).
    dominant: Place | None = None


def candidate_set(cands: Sequence[Place]) -> CandidateSet:
    own = [p for p in cands if p.raw.get("main_name", True) and (
        p.kind in ("country", "continent") or (p.kind == "region" and p.admin_code.count(".") == 1))]
    seats = frozenset() if any(p.kind == "country" for p in own) else \
        frozenset(p.country_code for p in own)
    return CandidateSet(sum(size(p) for p in cands), bool(own), seats, tuple(own),
                        dominant_town(cands))


def dominant_town(cands: Sequence[Place]) -> Place | None:
    """The town of the name ``ANCHOR_MARGIN`` times bigger than any other ("Paris",
    France), or None."""
    towns = sorted((p for p in cands if p.kind == "city"), key=size, reverse=True)
    return towns[0] if towns and (
        len(towns) == 1 or size(towns[0]) >= ANCHOR_MARGIN * max(size(towns[1]), 1)) else None


def _owner_fits(owners: Sequence[Place], ctx: Context) -> bool:
    """The name's towns are read as namesakes of a country or continent of that name
    ("Norway", Maine), and of a state in a country the story names ("California" in a
    story on Missouri). A parish of Jamaica does not make Manchester, New Hampshire, a
    namesake in a story on New Hampshire, nor a province of the Dominican Republic 450 km
    off San Juan, Puerto Rico, one in a story on Puerto Rico."""
    return any(p.kind != "region" or ctx.countries.get(p.country_code or "", 0.0) > 0
               for p in owners)


def _log_km(km: float) -> float:
    return math.log1p(km) / _LOG_MAX_KM


def _in_unit(code: str, units: Mapping[str, float]) -> float:
    """Weight of the deepest named unit that contains the code path (0 if none)."""
    best = 0.0
    for path in _code_paths(code):
        best = max(best, units.get(path, 0.0))
    return best


def _nearest_km(a: _Trig, points: Sequence[_Trig]) -> float | None:
    """km from ``a`` to the nearest of ``points`` (``None`` if none). The km grow with the
    haversine term, so only the smallest term is turned into km: the same number as the
    least of the distances."""
    return _km(min(_terms(a, points))) if points else None


def features(p: Place, m: MentionInfo, ctx: Context, cs: CandidateSet, rule: float = 0.0,
             rule_top: bool = False) -> list[float]:
    """The candidate's numbers, in the order of ``FEATURES``.

    As in the rules, a town that shares a country's own name, or a state's where the story
    is ("California", Missouri; see ``_owner_fits``), gets no evidence from where the
    story's other places are: they are in that state or country (but the seat of a
    province named like it does: "Tartus"); only a county the story names speaks for it."""
    s = size(p)
    kind = p.kind
    if cs.own_name and kind == "city" and not (
            p.population >= 100_000 and p.country_code in cs.seats) and \
            _owner_fits(cs.owners, ctx):
        ctx = ctx.countries_only
    base = m.unit_base
    at = _trig(p.lat, p.lon)
    anchor_km = _nearest_km(at, ctx.anchor_trig)
    focus_km = _nearest_km(at, ctx.focus_trig)
    share = s / cs.total_size if cs.total_size else 1.0
    far = anchor_km is None or anchor_km > FAR_KM
    county_votes = _county_votes(p, ctx.county_votes, cs.dominant)
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
        min(county_votes, 3.0) / 3 if kind in ("city", "region") else 0.0,
        # the same, however many counties bear the name ("Alexandria" beside "Douglas
        # County": one of a dozen Douglas Counties holds an Alexandria)
        float(kind in ("city", "region") and county_votes > 0),
        # listed among names of one kind ("Alberta, Ontario and Washington": the state)
        dict(m.listed).get(kind, 0.0),
        # reached by another of its names ("Pittsburgh" is also Pittsburg, California's;
        # "New York" begins New York City's own; a country's short names are many)
        float(kind != "country" and not p.raw.get("main_name", True)
              and not spelled_out(key(p.name)).startswith(m.spelled)),
    ]


__all__ = ["FAR_KM", "FEATURES", "FEATURE_WORD", "FEATURE_WORDS", "LIST_WORDS", "PLURAL_FEATURES",
           "PLURAL_UNITS", "UNIT_WORD", "CandidateSet", "Context", "MentionInfo", "NameEvidence",
           "StoryEvidence", "candidate_set", "dominant_town", "feature_base", "features",
           "fits_feature_word", "is_seat", "known_countries", "lead", "list_kinds", "list_runs",
           "list_siblings", "listed_units", "medoid", "name_evidence", "size", "state_words",
           "story_evidence", "town_words", "unit_base", "unit_word"]
