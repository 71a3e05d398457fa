"""The story map as GeoJSON: one Feature per place, the schema shared by the CLI and the page.

    >>> from geo.export.geojson import to_geojson
    >>> to_geojson(story)["type"]            # doctest: +SKIP
    'FeatureCollection'

Properties: ``id``, ``name``, ``kind``, ``lat``/``lon`` (the pin), ``aliases`` (surface
forms seen), ``sources``, ``n_sources``, ``confidence``, ``provider``, ``attribution``,
``corrected`` (a reader placed one of its mentions by hand) and ``mentions``, a list of
``{article, source, text, start, end, quote, quote_start, government, corrected}`` where
``text`` is the exact surface form (``article_text[start:end]``), ``quote`` the verbatim
sentence containing it, ``government`` true where the name stands for a government ("Moscow
said") and ``corrected`` true where a reader's correction placed the mention.
Text is stored raw; whoever shows it as HTML escapes it.
"""
from __future__ import annotations

import json
from typing import Any

from geo.models import StoryMap, StoryPlace


def feature(sp: StoryPlace) -> dict[str, Any]:
    """One place as a GeoJSON Feature: its polygon for an area, its course for a river (the
    pin in ``lat``/``lon``), else its point."""
    p = sp.place
    geometry = p.geometry or {"type": "Point", "coordinates": [round(p.lon, 5), round(p.lat, 5)]}
    return {
        "type": "Feature",
        "id": p.id,
        "geometry": geometry,
        "properties": {
            "id": p.id,
            "name": p.name,
            "kind": p.kind,
            "lat": round(p.lat, 5),
            "lon": round(p.lon, 5),
            "aliases": list(sp.aliases),
            "sources": list(sp.sources),
            "n_sources": len(sp.sources),
            "confidence": round(p.confidence, 3),
            "provider": p.provider,
            "attribution": p.attribution,
            "corrected": p.corrected,
            "mentions": [
                {
                    "article": q.article_id,
                    "source": q.source,
                    "text": q.text,
                    "start": q.start,
                    "end": q.end,
                    "quote": q.sentence,
                    "quote_start": q.sentence_start,
                    "government": q.government,
                    "corrected": q.corrected,
                }
                for q in sp.quotes
            ],
        },
    }


def to_geojson(story: StoryMap) -> dict[str, Any]:
    """The FeatureCollection for a story, with the sources it was built from."""
    return {
        "type": "FeatureCollection",
        "features": [feature(sp) for sp in story.places],
        "properties": {
            "sources": list(story.sources),
            "articles": [{"id": a.id, "source": a.source, "title": a.title, "url": a.url}
                         for a in story.articles],
        },
    }


def dumps(story: StoryMap) -> str:
    """GeoJSON text, UTF-8 friendly (no ``\\u`` escapes for non-ASCII names)."""
    return json.dumps(to_geojson(story), ensure_ascii=False, indent=1)
