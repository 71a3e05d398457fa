"""What the page's story tools show, computed without Streamlit: the story as loaded from the
store, the mentions a reader can correct, their candidates and why one was picked, the
mentions left unplaced with their quotes, and what an import did.

    >>> from geo.page.state import load, place_mentions            # doctest: +SKIP
    >>> loaded = load(store, "Seed story", store.revision())        # doctest: +SKIP
    >>> place_mentions(loaded, "geonames:170654")[0].text           # doctest: +SKIP
    'Damascus'

``geo.page.stories`` turns these values into widgets; everything here is tested without a
browser. Strings are plain text: the widgets escape them (``view.md_escape``) or show them
as text, and HTML goes through ``geo.maps.render.esc``.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from geo.ingest.articles import LoadResult, shorten
from geo.maps.outlines import natural_earth_name
from geo.maps.render import esc
from geo.models import Alternative, Mention, Place, StoryMap
from geo.page.view import Excerpt
from geo.story.corrections import Correction
from geo.story.store import Store
from geo.story.stories import ImportResult, story_from

#: Longest quote shown in a mention's label (a select box's option).
LABEL_QUOTE = 70

MentionKey = tuple[str, int, int]


def mention_key(m: Mention) -> MentionKey:
    """A mention's identity in its story: its article and span."""
    return m.article_id, m.start, m.end


@dataclass(frozen=True)
class Unplaced:
    """A mention the resolver left without a place, with its source and sentence."""

    mention: Mention
    source: str
    excerpt: Excerpt

    def html(self) -> str:
        """The name, its source and the sentence, escaped, the name marked in it."""
        return (f"<b>{esc(self.mention.text)}</b> &middot; {esc(self.source)}: "
                f"&ldquo;{self.excerpt.html()}&rdquo;")


@dataclass(frozen=True)
class Loaded:
    """A story as the page shows it, read once per change of the database (``revision``):
    the story map with corrections applied, every mention as the resolver left it (with its
    candidates) by ``mention_key``, and the mentions no place was found for."""

    name: str
    key: str  # changes whenever the story shown changes: the key of the page's caches
    story: StoryMap
    mentions: Mapping[MentionKey, Mention]
    unplaced: tuple[Unplaced, ...]
    corrections: tuple[Correction, ...] = ()

    def source_of(self, m: Mention) -> str:
        return next((a.source for a in self.story.articles if a.id == m.article_id), "")


def load(store: Store, name: str, revision: int) -> Loaded:
    """The story ``name`` from the store, read in one pass (``revision`` is the store's,
    read by the caller as the cache key)."""
    stored = store.resolved(name)
    corrections = tuple(store.corrections(name))
    story = story_from(stored, corrections)
    mentions = {mention_key(m): m for _, _, pairs in stored for m, _ in pairs}
    unplaced_keys = {mention_key(m) for m in story.unresolved}
    sources = {a.id: a.source for a in story.articles}
    unplaced = tuple(Unplaced(m, sources.get(a.id, ""), _excerpt(a.text, sentences, m))
                     for a, sentences, pairs in stored for m, _ in pairs
                     if mention_key(m) in unplaced_keys)
    key = hashlib.sha256(f"{store.path}\x00{name}\x00{revision}".encode()).hexdigest()[:16]
    return Loaded(name, key, story, mentions, unplaced, corrections)


def _excerpt(text: str, sentences: Iterable[tuple[int, int]], m: Mention) -> Excerpt:
    """The sentence holding the mention (or 120 characters either side), the name marked."""
    start, end = next(((s, e) for s, e in sentences if s <= m.start < e),
                      (max(0, m.start - 120), min(len(text), m.end + 120)))
    return Excerpt(m.article_id, text[start:end], ((m.start - start, m.end - start),))


def pick_story(names: Sequence[str], *wanted: str | None) -> str | None:
    """The first wanted story that exists (names compare case aside, as the store does),
    else the first story, else None."""
    lower = {n.lower(): n for n in names}
    for w in wanted:
        if w and w.lower() in lower:
            return lower[w.lower()]
    return names[0] if names else None


def place_mentions(loaded: Loaded, place_id: str) -> list[Mention]:
    """The stored mentions (with candidates) of the quotes of a place, in story order."""
    sp = loaded.story.place(place_id)
    if sp is None:
        return []
    return [m for q in sp.quotes
            if (m := loaded.mentions.get((q.article_id, q.start, q.end))) is not None]


def mention_label(loaded: Loaded, m: Mention) -> str:
    """Plain text for a select box: the name as written, its source and its sentence."""
    sp = next((sp for sp in loaded.story.places for q in sp.quotes
               if (q.article_id, q.start) == (m.article_id, m.start)), None)
    quote = next((q.sentence for q in sp.quotes if q.start == m.start
                  and q.article_id == m.article_id), "") if sp else ""
    return f"“{m.text}” · {loaded.source_of(m)} · {shorten(quote, LABEL_QUOTE)}"


def area(admin1: str | None, country_code: str | None) -> str:
    """Where a candidate is, as a reader reads it: its country's name, after the state in
    the US (postal codes readers know; elsewhere GeoNames' admin1 codes are numbers and
    letters that tell a reader nothing)."""
    country = natural_earth_name(country_code) or country_code or ""
    state = admin1 if country_code == "US" else None
    return ", ".join(x for x in (state, country) if x)


def candidate_label(a: Alternative) -> str:
    """One candidate as plain text: name, state (US) and country, kind, population."""
    where = area(a.admin1, a.country_code)
    pop = f" · pop. {a.population:,}" if a.population else ""
    return f"{a.name}{f' ({where})' if where else ''} · {a.kind}{pop}"


def candidate_rows(m: Mention, chosen: str | None) -> dict[str, list[str]]:
    """The mention's candidates as table columns, the one now chosen marked."""
    cols: dict[str, list[str]] = {"": [], "Name": [], "Area, country": [], "Population": []}
    for a in m.candidates:
        cols[""].append("✓" if a.id == chosen else "")
        cols["Name"].append(a.name)
        cols["Area, country"].append(area(a.admin1, a.country_code))
        cols["Population"].append(f"{a.population:,}" if a.population else "")
    return cols


def why(m: Mention, place: Place | None) -> str:
    """Why the mention is where it is: the reader's correction, or the resolver's reason."""
    if place is None:
        reason = m.reason.removeprefix("not placed: ")  # the resolver's own wording
        return f"Not placed: {reason}." if reason else "Not placed."
    if place.corrected:
        return f"{place.name}: {place.reason}."
    return f"{place.name}, because: {m.reason or place.reason or 'the best match'}."


def every_label(m: Mention) -> str:
    return f"every “{m.text}” in the story"


def correction_label(c: Correction) -> str:
    """One kept correction as plain text: which mentions, and what they now are."""
    which = f"every “{c.name}”" if c.every else f"“{c.name}” in {c.article_id}"
    if c.place is None:
        return f"{which}: not a place"
    what = "a pin" if c.place.provider == "reader" else area(c.place.admin1,
                                                               c.place.country_code)
    return f"{which} → {c.place.name}{f' ({what})' if what else ''}"


@dataclass(frozen=True)
class Report:
    """What an import did, in plain text: one line of what changed, each refused file (or
    URL, or pasted text) with its reason, and warnings."""

    done: str | None
    refused: tuple[str, ...]
    warnings: tuple[str, ...]


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def report(loaded: LoadResult, result: ImportResult | None) -> Report:
    """The report of an import of ``loaded`` (``result`` None: nothing could be imported)."""
    done = None
    if result is not None:
        parts = [f"{_n(len(result.added), 'article')} added"]
        if result.updated:
            parts.append(f"{len(result.updated)} updated")
        if result.unchanged:
            parts.append(f"{len(result.unchanged)} already in the story")
        done = ", ".join(parts) + "."
    refused = tuple(f"{p.path}: {p.problem}" for p in loaded.problems)
    return Report(done, refused, tuple(loaded.warnings))


__all__ = ["Loaded", "Report", "Unplaced", "candidate_label", "candidate_rows", "correction_label",
           "every_label",
           "load", "mention_key", "mention_label", "pick_story", "place_mentions", "report",
           "why"]
