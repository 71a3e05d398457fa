"""Resolved mentions -> the story map: places with every quote that names them.

Apart from the pipeline so that a kept story (``geo.story.stories``) and a reader's corrections
(``geo.story.corrections``) are assembled without importing spaCy: the page opens a stored story
in a fraction of the time the language model takes to load.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from geo.models import (
    SPOTTED_LABEL,
    Article,
    Mention,
    Place,
    Quote,
    Recognised,
    StoryMap,
    StoryPlace,
)
from geo.story.quotes import quote


def assemble(articles: Sequence[Article],
             resolved: Iterable[tuple[Recognised, list[tuple[Mention, Place | None]]]]) -> StoryMap:
    """Group resolved mentions by place, with their quotes; places most-cited first.

    Unplaced mentions are kept for the reader to place, except the learned spotter's
    guesses (``SPOTTED_LABEL``): a capitalised word it took for a place that no place of
    the story's geography confirms is most often no place at all."""
    quotes: dict[str, list[Quote]] = {}
    places: dict[str, Place] = {}
    unresolved: list[Mention] = []
    for rec, pairs in resolved:
        for mention, place in pairs:
            if place is None:
                if mention.label != SPOTTED_LABEL:
                    unresolved.append(mention)
                continue
            known = places.get(place.id)
            if known is None or place.confidence > known.confidence:
                places[place.id] = place
            quotes.setdefault(place.id, []).append(quote(rec.article, mention, rec.sentences))
    story_places = [StoryPlace(places[pid], tuple(qs)) for pid, qs in quotes.items()]
    story_places.sort(key=lambda sp: (-len(sp.sources), -len(sp.quotes), sp.place.name))
    return StoryMap(tuple(articles), tuple(story_places), tuple(unresolved))


__all__ = ["assemble"]
