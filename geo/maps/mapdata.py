"""What the map's script draws, as plain data: one record per place, outlet colours, views.

Pure functions from a story to JSON-ready values; ``geo.maps.render`` puts them in the page and
``geo/maps/static/storymap.js`` draws them. Colours come from Okabe & Ito's palette, chosen to stay
distinguishable for readers with colour-blindness.

    >>> outlet_colours(["A", "B"])
    {'A': '#0072B2', 'B': '#E69F00'}
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from geo.ingest.articles import headline, shorten
from geo.maps.outlines import country_outline, natural_earth_name
from geo.models import Article, StoryMap, StoryPlace

#: One colour per outlet, in the story's order (repeats after eight outlets).
OUTLET_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                  "#F0E442", "#000000")
#: Outline shading, light to dark: the more outlets name a place, the darker its shape.
SHADES = ("#fdd49e", "#fdbb84", "#fc8d59", "#e34a33", "#b30000")
#: Kinds too big to frame the opening view: it fits the story's towns, sites and areas.
FRAMING_EXCLUDED = frozenset({"country", "continent"})

Bounds = list[list[float]]  # [[south, west], [north, east]]


def outlet_colours(sources: Sequence[str]) -> dict[str, str]:
    return {s: OUTLET_COLOURS[i % len(OUTLET_COLOURS)] for i, s in enumerate(sources)}


def share(sp: StoryPlace, total: int) -> float:
    return len(sp.sources) / total if total else 1.0


def shade(sp: StoryPlace, total: int) -> str:
    return SHADES[min(len(SHADES) - 1, round(share(sp, total) * (len(SHADES) - 1)))]


def pin_size(sp: StoryPlace, total: int) -> int:
    """Diameter in px of a point place's marker: small, a little bigger when widely named."""
    return round(12 + 10 * share(sp, total))


def geometry_of(sp: StoryPlace) -> dict[str, Any] | None:
    """The shape a place is drawn as: its own (areas, rivers), a country's outline, or None."""
    if sp.place.geometry:
        return sp.place.geometry
    return country_outline(sp.place.country_code) if sp.place.kind == "country" else None


def outline_name(sp: StoryPlace) -> str | None:
    """The basemap's name for the outline a country place is drawn as (None for others)."""
    if sp.place.geometry or sp.place.kind != "country":
        return None
    return natural_earth_name(sp.place.country_code)


def rings(geometry: dict[str, Any] | None) -> list[list[list[tuple[float, float]]]]:
    """Polygon/MultiPolygon coordinates as Leaflet ``[[(lat, lon), ...], ...]`` polygons."""
    g = geometry or {}
    polys = {"Polygon": [g.get("coordinates", [])],
             "MultiPolygon": g.get("coordinates", [])}.get(g.get("type"), [])
    return [[[(lat, lon) for lon, lat, *_ in ring] for ring in poly] for poly in polys]


def lines(geometry: dict[str, Any] | None) -> list[list[tuple[float, float]]]:
    """LineString/MultiLineString coordinates (rivers) as Leaflet polylines."""
    g = geometry or {}
    parts = {"LineString": [g.get("coordinates", [])],
             "MultiLineString": g.get("coordinates", [])}.get(g.get("type"), [])
    return [[(lat, lon) for lon, lat, *_ in part] for part in parts]


def place_record(sp: StoryPlace, index: Mapping[str, int], *, selected: bool, tooltip: str,
                 label: str, popup: str | None,
                 articles: Mapping[str, int] | None = None,
                 land: Collection[str] = frozenset()) -> dict[str, Any]:
    """One place for the map's script. ``index`` gives each of the story's sources its
    position (its colour); ``tooltip``/``popup`` are escaped HTML; ``name`` and ``label``
    are plain text, which the script only ever sets as text; ``corrected`` says a reader's
    correction placed it (the script marks a tooltip it rebuilds). With ``articles`` (article id
    -> position in :func:`story_record`'s list) the record also says which sources and
    articles name the place, for the export's filters and timeline.

    A country the map's basemap outlines (``land``: their names) is sent as that name
    (``outline``), not as coordinates: Russia's outline alone is 120 KB of JSON, and the page
    re-sends its map on every rerun."""
    total = len(index)
    outline = outline_name(sp)
    geometry = None if outline in land else geometry_of(sp)
    colour = shade(sp, total)
    record = {"id": sp.place.id, "name": sp.place.name, "label": label,
              "lat": sp.place.lat, "lon": sp.place.lon,
              "rings": rings(geometry), "lines": lines(geometry),
              "outlets": [index[s] % len(OUTLET_COLOURS) for s in sp.sources if s in index],
              "size": pin_size(sp, total), "edge": "#7f2704", "fill": colour,
              "opacity": round(0.15 + 0.35 * share(sp, total), 3),
              "selected": selected, "corrected": sp.place.corrected, "tooltip": tooltip,
              "popup": popup}
    if outline in land:
        record["outline"] = outline
    if articles is not None:
        record.update(sources=[index[s] for s in sp.sources if s in index],
                      articles=sorted(articles[a] for a in sp.article_ids if a in articles),
                      frame=sp.place.kind not in FRAMING_EXCLUDED)
    return record


#: Publication dates the timeline places: a day, a month or a year, as ISO 8601 writes them.
_PARTIAL_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def published_on(article: Article) -> str | None:
    """The article's publication date as ``YYYY[-MM[-DD]]`` (a valid date), or None.

    ISO strings sort in time order, so the script orders and filters them as text; a
    timestamp keeps its day."""
    text = (article.published or "").strip()[:10]
    if not _PARTIAL_DATE.fullmatch(text):
        return None
    y, m, d = (int(x) for x in (text + "-01-01")[:10].split("-"))
    try:
        date(y, m, d)
    except ValueError:
        return None
    return text


def publication_order(articles: Sequence[Article]) -> list[Article]:
    """Dated articles by date, then undated ones, each group in story order."""
    return sorted(articles, key=lambda a: (published_on(a) is None, published_on(a) or ""))


def link(url: str | None) -> str | None:
    """``url`` if it is an http(s) address with a host: no other scheme becomes a link."""
    text = (url or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    return text if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def story_title(story: StoryMap) -> str:
    """The title most of the story's articles carry (the first such, on a tie), else a
    generic one: an export needs a heading even for untitled articles."""
    titles = Counter(a.title.strip() for a in story.articles if a.title and a.title.strip())
    return titles.most_common(1)[0][0] if titles else "Story map"


#: Length of an untitled article's opening words, as its title in the sources list.
OPENING_WORDS = 60


def display_title(article: Article) -> str:
    """What the sources list calls an article: its title, else its headline, else its
    opening words; never its file name, which says nothing to a reader."""
    if article.title and article.title.strip():
        return " ".join(article.title.split())
    return headline(article.text) or shorten(article.text, OPENING_WORDS)


def story_record(story: StoryMap, title: str) -> dict[str, Any]:
    """The export's heading, outlets and articles (publication order) for its controls.

    Text is plain (the script sets it as text); ``url`` only when :func:`link` keeps it."""
    index = {s: i for i, s in enumerate(story.sources)}
    return {"title": title, "sources": list(story.sources),
            "articles": [{"id": a.id, "source": index[a.source], "title": display_title(a),
                          "url": link(a.url), "published": published_on(a)}
                         for a in publication_order(story.articles)]}


def _points(sp: StoryPlace) -> list[tuple[float, float]]:
    """The points a view must hold to show the place: an area's outline; a river's pin,
    the stretch the story is about (its whole course would frame half a continent)."""
    pts = [pt for poly in rings(geometry_of(sp)) for ring in poly for pt in ring]
    return pts or [(sp.place.lat, sp.place.lon)]


def drawing_order(places: Sequence[StoryPlace]) -> list[StoryPlace]:
    """Big shapes first so smaller ones stay clickable on top of them (a country under its
    provinces and areas); among equals, the most-named last, i.e. on top."""
    def extent(sp: StoryPlace) -> float:
        if geometry_of(sp) is None:
            return 0.0
        (s, w), (n, e) = bounds([sp])  # a place always has a point
        return (n - s) * (e - w)
    return sorted(places, key=lambda sp: (-extent(sp), len(sp.sources)))


def bounds(places: Sequence[StoryPlace],
           keep: Callable[[StoryPlace], bool] = lambda sp: True) -> Bounds | None:
    """The box around ``places`` that ``keep`` accepts (their shapes included)."""
    pts = [pt for sp in places if keep(sp) for pt in _points(sp)]
    if not pts:
        return None
    lats, lons = [p[0] for p in pts], [p[1] for p in pts]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def opening_bounds(places: Sequence[StoryPlace]) -> Bounds | None:
    """The opening view: the story's towns, sites, waters and areas, not whole countries
    or continents (which would zoom the map out until the towns overlap); all places when
    the story names nothing smaller."""
    return (bounds(places, lambda sp: sp.place.kind not in FRAMING_EXCLUDED)
            or bounds(places))
