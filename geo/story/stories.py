"""Stories of your own: what the page and ``python -m geo story`` call.

    >>> from geo.story.stories import import_articles, load_story
    >>> from geo.story.store import Store
    >>> store = Store.open()                                              # doctest: +SKIP
    >>> result = import_articles(store, "Syria", articles, pipeline)      # doctest: +SKIP
    >>> result.added, result.parsed                                       # doctest: +SKIP
    (['a', 'b'], 2)
    >>> load_story(store, "Syria").places[0].place.name                  # doctest: +SKIP
    'Damascus'

Articles are added to a story, never swapped for it: an article whose id is new joins, one
whose id is known and whose text changed replaces the old one, an identical one changes
nothing. Only texts that have no parse yet (by hash) go through spaCy, with the progress
callback; then the whole story is resolved again (cheap, and each article's names are read
in the light of the others') and saved with its mentions, places and candidates, so
opening it later parses and resolves nothing. A story is saved with the geoparser's
fingerprint (``geo.version``): when the geoparser changes, ``is_stale`` says so and
``refresh`` maps the story again. Corrections are applied on every load
(``geo.story.corrections``), so they survive re-parsing.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from geo.ingest.articles import load_corpus
from geo.models import Article, Mention, Place, StoryMap
from geo.paths import CORPUS
from geo.story.corrections import Correction, apply
from geo.story.store import Parse, Store, StoredArticle
from geo.version import geoparser_version

if TYPE_CHECKING:  # loading spaCy is the caller's choice
    from geo.pipeline import Pipeline, Progress

#: The story made from the bundled corpus the first time a database is opened.
SEED_STORY = "Seed story"
SEED_CORPUS = CORPUS


def _quiet(done: int, total: int, what: str) -> None:
    """The default progress callback: says nothing."""


@dataclass(frozen=True)
class ImportResult:
    """What an import did: article ids added, replaced (changed text or fields) and already
    there; how many texts were parsed; and the story map after it."""

    story: StoryMap
    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    parsed: int


def text_hash(article: Article) -> str:
    """The key of an article's parse: its text alone (the parse depends on nothing else)."""
    return hashlib.sha256(article.text.encode("utf-8", "surrogatepass")).hexdigest()


def parser_fingerprint() -> str:
    """What a parse and a resolution depend on besides the text: the geoparser's code, data
    and model (``geo.version``), read without loading spaCy. A kept parse by another
    fingerprint is made again; a story saved by another is stale (``is_stale``)."""
    return f"geoparser {geoparser_version()}"


def _resolve(store: Store, name: str, articles: Sequence[Article], pipeline: Pipeline,
             progress: Progress) -> int:
    """Parse what has no parse yet, resolve the story, save it; how many texts were parsed."""
    from geo.models import Recognised

    parser = parser_fingerprint()
    hashes = [text_hash(a) for a in articles]
    parses: dict[str, Parse] = store.parses(hashes, parser)
    todo = list({h: a for a, h in zip(articles, hashes) if h not in parses}.items())
    for i, ((h, _), rec) in enumerate(zip(todo, pipeline.recogniser.pipe(a for _, a in todo)),
                                      1):
        parses[h] = (rec.mentions, rec.sentences)
        progress(i, len(todo), rec.article.id)
    recs = [Recognised(a, tuple(replace(m, article_id=a.id) for m in parses[h][0]),
                       parses[h][1]) for a, h in zip(articles, hashes)]
    resolved = pipeline.resolver.resolve_story(recs) if recs else []
    store.save(name, list(zip(articles, hashes)), {h: parses[h] for h in hashes}, parser,
               resolved)
    return len(todo)


def import_articles(store: Store, name: str, articles: Sequence[Article], pipeline: Pipeline,
                    progress: Progress = _quiet) -> ImportResult:
    """Adds articles to the story ``name`` (made if it does not exist) and returns what
    changed and the new story map. ``progress(done, total, article_id)`` is called for each
    article parsed."""
    if not store.has(name):
        store.create(name)
    current = {a.id: a for a, _ in store.articles(name)}
    added, updated, unchanged = [], [], []
    for a in articles:
        (unchanged if current.get(a.id) == a else updated if a.id in current else added
         ).append(a.id)
        current[a.id] = a
    parsed = _resolve(store, name, list(current.values()), pipeline, progress) \
        if added or updated else 0
    return ImportResult(load_story(store, name), tuple(added), tuple(updated),
                        tuple(unchanged), parsed)


def remove_article(store: Store, name: str, article_id: str, pipeline: Pipeline) -> StoryMap:
    """The story without that article, its other articles resolved again (none parsed)."""
    from geo.errors import StoryError

    articles = [a for a, _ in store.articles(name)]
    if article_id not in {a.id for a in articles}:
        raise StoryError(f"the story '{name}' has no article '{article_id}'")
    _resolve(store, name, [a for a in articles if a.id != article_id], pipeline, _quiet)
    return load_story(store, name)


def is_stale(store: Store, name: str) -> bool:
    """True if the story has articles mapped by another geoparser than this one: an update
    (``refresh``) may place them differently."""
    info = store.info(name)
    return info.articles > 0 and info.parser != parser_fingerprint()


def refresh(store: Store, name: str, pipeline: Pipeline,
            progress: Progress = _quiet) -> StoryMap:
    """The story parsed and resolved again by this geoparser (texts another story already
    has a parse of by it are not parsed twice); its corrections apply as before."""
    _resolve(store, name, [a for a, _ in store.articles(name)], pipeline, progress)
    return load_story(store, name)


def mentions(store: Store, name: str) -> list[tuple[Mention, Place | None]]:
    """Every mention of the story as the resolver left it, with its candidates (best
    first, ``Mention.candidates``) and its place or ``None``: what a correction starts from."""
    return [pair for _, _, pairs in store.resolved(name) for pair in pairs]


def load_story(store: Store, name: str) -> StoryMap:
    """The story map as saved, with the corrections applied: no parsing, no resolving."""
    return story_from(store.resolved(name), store.corrections(name))


def story_from(stored: Sequence[StoredArticle], corrections: Sequence[Correction]) -> StoryMap:
    """The story map of ``Store.resolved``'s articles with the corrections applied (for a
    caller that also wants the stored mentions without reading them twice)."""
    from geo.models import Recognised

    resolved = [(Recognised(a, tuple(m for m, _ in pairs), sentences), pairs)
                for a, sentences, pairs in stored]
    return apply([a for a, _, _ in stored], resolved, corrections)


def correct(store: Store, name: str, correction: Correction) -> StoryMap:
    """Keeps the correction (see ``geo.story.corrections.choose``, ``pin``, ``not_a_place``) and
    returns the story map with it applied."""
    store.add_correction(name, correction)
    return load_story(store, name)


def needs_seed(store: Store) -> bool:
    """True until the seed story has been made once (deleting it does not bring it back)."""
    return not store.setting("seeded")


def seed(store: Store, articles: Sequence[Article], pipeline: Pipeline,
         progress: Progress = _quiet) -> None:
    """Makes the seed story from these articles and the current story if there is none."""
    import_articles(store, SEED_STORY, articles, pipeline, progress)
    store.set_setting("seeded", "1")
    if not store.setting("current"):
        store.set_setting("current", SEED_STORY)


def ensure_seed(store: Store, pipeline: Callable[[], Pipeline],
                corpus: Path = SEED_CORPUS) -> bool:
    """Makes the seed story from the bundled corpus the first time a database is used (not
    again once deleted); ``pipeline`` is called only then. True if it was made."""
    if not needs_seed(store):
        return False
    seed(store, load_corpus(corpus).articles, pipeline())
    return True


def current_story(store: Store) -> str | None:
    """The story last switched to (by any process), if it still exists."""
    name = store.setting("current")
    return name if name and store.has(name) else None


def switch(store: Store, name: str) -> StoryMap:
    """Makes ``name`` the current story and returns its story map."""
    story = load_story(store, name)
    store.set_setting("current", name)
    return story


__all__ = ["ImportResult", "SEED_STORY", "correct", "current_story", "ensure_seed",
           "import_articles", "is_stale", "load_story", "mentions", "needs_seed",
           "parser_fingerprint", "refresh", "remove_article", "seed", "story_from", "switch",
           "text_hash"]
