"""A reader's corrections of places, applied to a story's resolved mentions.

    >>> from geo.story.corrections import pin
    >>> pin(mention, 36.2, 37.1, "Aleppo citadel").place.provider     # doctest: +SKIP
    'reader'

A correction says, for one mention or for every mention of its name in the story, which
place is meant (one of the mention's candidates, or a pin the reader dropped) or that the
name is not a place at all. Corrections are kept apart from what the resolver chose and
applied after it, every time, so they survive a re-parse; the latest correction that
matches a mention wins. ``apply`` is pure: the same resolution and corrections always give
the same story map, with the corrected quotes and places marked ``corrected``.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from geo.errors import StoryError
from geo.models import Alternative, Article, Mention, Place, Recognised, StoryMap, StoryPlace
from geo.resolution.names import key
from geo.story.assemble import assemble

#: Longest name a reader may give a pin.
MAX_NAME = 200
#: Kinds a pin may be (``PLACE_KINDS`` less ``area``, which needs a polygon).
PIN_KINDS = ("city", "region", "country", "facility", "water", "continent")

Resolved = Sequence[tuple[Recognised, Sequence[tuple[Mention, Place | None]]]]


@dataclass(frozen=True)
class Correction:
    """``place`` is what ``name`` means (``None``: not a place). With ``article_id`` and
    ``start``/``end`` it is about that one mention, else about every mention of ``name``
    (compared as name keys: case, accents and punctuation aside). ``id`` is the store's."""

    name: str
    place: Place | None
    article_id: str | None = None
    start: int | None = None
    end: int | None = None
    id: int | None = None

    @property
    def every(self) -> bool:
        return self.article_id is None


def _scope(mention: Mention, every: bool) -> dict:
    return {"name": mention.text} if every else {
        "name": mention.text, "article_id": mention.article_id, "start": mention.start,
        "end": mention.end}


def choose(mention: Mention, alternative: Alternative, *, every: bool = False) -> Correction:
    """The reader picks one of the mention's candidates."""
    place = Place(id=alternative.id, name=alternative.name, kind=alternative.kind,
                  lat=alternative.lat, lon=alternative.lon,
                  country_code=alternative.country_code, admin1=alternative.admin1,
                  population=alternative.population, confidence=1.0,
                  reason="chosen by a reader", corrected=True)
    return Correction(place=place, **_scope(mention, every))


def pin(mention: Mention, lat: float, lon: float, name: str, *, kind: str = "city",
        every: bool = False) -> Correction:
    """The reader drops a pin and names it; ``StoryError`` for a pin off the globe."""
    if not (isinstance(lat, (int, float)) and isinstance(lon, (int, float))
            and math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90
            and -180 <= lon <= 180):
        raise StoryError(f"a pin needs a latitude in [-90, 90] and a longitude in "
                         f"[-180, 180], not ({lat}, {lon})")
    name = " ".join(str(name).split())
    if not name or len(name) > MAX_NAME:
        raise StoryError(f"a pin needs a name of 1 to {MAX_NAME} characters")
    if kind not in PIN_KINDS:
        raise StoryError(f"a pin's kind is one of {', '.join(PIN_KINDS)}, not {kind!r}")
    place = Place(id=f"pin:{lat:.5f},{lon:.5f}", name=name, kind=kind, lat=float(lat),
                  lon=float(lon), confidence=1.0, provider="reader",
                  reason="pinned by a reader", corrected=True)
    return Correction(place=place, **_scope(mention, every))


def not_a_place(mention: Mention, *, every: bool = False) -> Correction:
    """The reader says the name is no place here ("Jordan" the player): off the map, and off
    the list of mentions to place."""
    return Correction(place=None, **_scope(mention, every))


def _matches(corrections: Iterable[Correction]):
    """Two lookups, mention -> (order, correction) and name key -> (order, correction)."""
    one: dict[tuple[str, int, int, str], tuple[int, Correction]] = {}
    every: dict[str, tuple[int, Correction]] = {}
    for i, c in enumerate(corrections):
        if c.every:
            every[key(c.name)] = (i, c)
        else:
            one[(c.article_id, c.start, c.end, c.name)] = (i, c)
    return one, every


def _pick(mention: Mention, one: dict, every: dict) -> Correction | None:
    found = [f for f in (one.get((mention.article_id, mention.start, mention.end, mention.text)),
                         every.get(key(mention.text))) if f]
    return max(found, key=lambda f: f[0])[1] if found else None


def apply(articles: Sequence[Article], resolved: Resolved,
          corrections: Sequence[Correction]) -> StoryMap:
    """The story map with corrections over the resolver's picks, corrected quotes and the
    places they point to marked; a correction that matches no mention changes nothing."""

    one, every = _matches(corrections)
    corrected: set[tuple[str, int]] = set()
    out = []
    for rec, pairs in resolved:
        kept = []
        for mention, place in pairs:
            c = _pick(mention, one, every)
            if c is not None:
                if c.place is None:
                    continue
                place = replace(c.place, candidates=mention.candidates)
                corrected.add((mention.article_id, mention.start))
            kept.append((mention, place))
        out.append((rec, kept))
    story = assemble(articles, out)
    places = []
    for sp in story.places:
        quotes = tuple(replace(q, corrected=True) if (q.article_id, q.start) in corrected else q
                       for q in sp.quotes)
        places.append(StoryPlace(replace(sp.place, corrected=any(q.corrected for q in quotes)),
                                 quotes))
    return replace(story, places=tuple(places))


__all__ = ["Correction", "apply", "choose", "not_a_place", "pin"]
