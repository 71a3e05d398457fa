"""Plain data passed between the pipeline's stages.

articles -> mentions -> places -> quotes -> story map. Every stage takes and returns these
frozen values, so each stage can be tested alone and nothing downstream sees spaCy or geopy
types.

    >>> from geo.models import Article
    >>> Article(id="a", text="Troops left Aleppo.", source="Outlet A").id
    'a'
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Kinds of place, used for filtering and styling. An ``area`` carries a polygon.
PLACE_KINDS = ("country", "region", "city", "facility", "water", "area", "continent")


#: The label of a name that only the learned spotter (``geo.recognition.spotting``) took for a place.
SPOTTED_LABEL = "SPOT"


@dataclass(frozen=True)
class Article:
    """One news article: ``id`` is its file's stem, ``text`` the body with front matter removed."""

    id: str
    text: str
    source: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    path: str | None = None


@dataclass(frozen=True)
class Mention:
    """A place name as it appears in an article: ``text == article.text[start:end]``.

    ``label`` is the recogniser's label (GPE, LOC, FAC, AREA, ...); ``hint`` is a gazetteer
    key when a curated pattern matched, so resolution need not guess.
    """

    article_id: str
    start: int
    end: int
    text: str
    label: str
    hint: str | None = None
    #: The name stands for a government or its officials ("Moscow said", "the Kremlin
    #: confirmed"): kept with its place, but flagged so the reader sees the difference.
    government: bool = False
    #: Set by resolution: the places the name could mean, best first, and why the first was
    #: taken (or why none was), so a page can explain the pick and a reader correct it.
    candidates: tuple[Alternative, ...] = field(default=(), compare=False)
    reason: str = field(default="", compare=False)


@dataclass(frozen=True)
class Alternative:
    """One place a mention could mean, with the resolver's score for it (its probability
    among the mention's candidates)."""

    id: str
    name: str
    kind: str
    country_code: str | None
    admin1: str | None
    population: int
    score: float
    lat: float
    lon: float


@dataclass(frozen=True)
class Recognised:
    """An article's place mentions and sentence bounds (for quotes), in text order.

    ``norps`` are the nationality/group entities (start, end, text): not places on a story
    map, but some geoparsing corpora count a country's adjective ("Syrian") as a toponym.
    ``embedded`` are places named only inside an organisation's name ("US" in "US
    Geological Survey"): names in the text, but not places of the story.
    """

    article: Article
    mentions: tuple[Mention, ...]
    sentences: tuple[tuple[int, int], ...]
    norps: tuple[tuple[int, int, str], ...] = ()
    embedded: tuple[Mention, ...] = ()


@dataclass(frozen=True)
class Place:
    """A resolved location. ``id`` is stable across articles (e.g. ``geonames:524901``).

    ``geometry`` is a GeoJSON geometry for areas (a Polygon) and rivers (their course, a
    MultiLineString, the pin (lat, lon) on it), else ``None`` and the place is the point.
    ``confidence`` in [0, 1] says how sure resolution was; ``raw`` is the backend's
    untouched record, as geopy's ``Location.raw``.
    """

    id: str
    name: str
    kind: str
    lat: float
    lon: float
    country_code: str | None = None
    admin1: str | None = None
    population: int = 0
    confidence: float = 1.0
    #: GeoNames' code path of the units it is in or is ("CN.10.1306"), and its feature code
    #: (PPL town, ADM1/ADM2 unit, PCLI country, AIRP airport; "" for other sources).
    admin_code: str = ""
    feature: str = ""
    geometry: dict[str, Any] | None = None
    provider: str = "GeoNames"
    attribution: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    #: Why resolution chose it, and what else the name could mean (from the mention that
    #: gave the place; see ``Mention.candidates``).
    reason: str = field(default="", compare=False)
    candidates: tuple[Alternative, ...] = field(default=(), compare=False, hash=False)
    #: A reader placed at least one of its mentions by hand (``geo.story.corrections``).
    corrected: bool = False


@dataclass(frozen=True)
class Quote:
    """One mention in context: the verbatim sentence and where the mention sits in it.

    ``start``/``end`` are offsets in the article; ``sentence_start`` is the sentence's offset,
    so the highlight inside ``sentence`` is ``[start - sentence_start, end - sentence_start)``.
    """

    article_id: str
    source: str
    text: str
    start: int
    end: int
    sentence: str
    sentence_start: int
    government: bool = False  # see ``Mention.government``
    corrected: bool = False  # placed by a reader's correction, not by the resolver

    @property
    def highlight(self) -> tuple[int, int]:
        """The mention's span inside ``sentence``."""
        return self.start - self.sentence_start, self.end - self.sentence_start


@dataclass(frozen=True)
class StoryPlace:
    """A place of the story with every quote that mentions it, in article order."""

    place: Place
    quotes: tuple[Quote, ...]

    @property
    def aliases(self) -> tuple[str, ...]:
        """Surface forms seen, most frequent first (ties in order of first appearance)."""
        counts: dict[str, int] = {}
        for q in self.quotes:
            counts[q.text] = counts.get(q.text, 0) + 1
        return tuple(sorted(counts, key=lambda t: -counts[t]))

    @property
    def sources(self) -> tuple[str, ...]:
        """Sources that mention the place, in order of first mention."""
        return tuple(dict.fromkeys(q.source for q in self.quotes))

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(q.article_id for q in self.quotes))


@dataclass(frozen=True)
class StoryMap:
    """The whole story: its articles, its places, and mentions that could not be placed."""

    articles: tuple[Article, ...]
    places: tuple[StoryPlace, ...]
    unresolved: tuple[Mention, ...] = ()

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.source for a in self.articles))

    def place(self, place_id: str) -> StoryPlace | None:
        return next((sp for sp in self.places if sp.place.id == place_id), None)
