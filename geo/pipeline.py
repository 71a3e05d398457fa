"""The whole chain: articles -> mentions -> places -> quotes -> story map.

    >>> from geo.ingest.articles import load_corpus
    >>> from geo.pipeline import Pipeline
    >>> pipeline = Pipeline.load()          # doctest: +SKIP
    >>> story = pipeline(load_corpus("corpus").articles)    # doctest: +SKIP

The CLI and the page both call this; each stage is a plain function or a small callable
object over the data classes in ``geo.models``, so each is tested alone.
"""
from __future__ import annotations

import atexit
import gc
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from geo.models import Article, StoryMap
from geo.recognition.recogniser import Recognised, Recogniser
from geo.resolution.gazetteer import Gazetteer
from geo.resolution.geocode import Geocoder, get_geocoder
from geo.resolution.resolver import Resolver
from geo.story.assemble import assemble

Progress = Callable[[int, int, str], None]

# At exit the collector would walk the loaded model's and gazetteer's objects again, to
# free what the process is about to give back whole (0.2 s of a `geo parse`): frozen, it
# leaves them. (Python never promises to finalise objects still alive at exit.)
atexit.register(gc.freeze)


def _quiet(done: int, total: int, what: str) -> None:
    """The default progress callback: says nothing."""


@dataclass
class Pipeline:
    """The loaded resources (spaCy model, gazetteer, geocoder), reusable across stories."""

    recogniser: Recogniser
    resolver: Resolver
    #: Processes that recognise articles: ``None`` is one per core (``geo.parallel``; a
    #: story of fewer than 32 articles is recognised in this process), 1 is this one only.
    processes: int | None = None

    @classmethod
    def load(cls, geocoder: str = "offline", *, log: Callable[[str], None] | None = None,
             sentences: bool = True, processes: int | None = None,
             **geocoder_options) -> Pipeline:
        """``sentences=False`` skips sentence splitting (no quotes needed: benchmarks)."""
        gazetteer = Gazetteer.open(progress=log) if log else Gazetteer.open()
        gc: Geocoder = get_geocoder(geocoder, gazetteer=gazetteer, **geocoder_options)
        return cls(Recogniser(gazetteer, sentences=sentences), Resolver(gc, gazetteer),
                   processes)

    def __call__(self, articles: Sequence[Article], progress: Progress = _quiet) -> StoryMap:
        """Recognise article by article (in ``processes`` processes), then resolve the story
        as a whole: each article's names are read in the light of what the others name."""
        recs: list[Recognised] = []
        for i, rec in enumerate(self.recogniser.pipe(articles, n_process=self.processes), 1):
            recs.append(rec)
            progress(i, len(articles), rec.article.id)
        return assemble(articles, zip(recs, self.resolver.resolve_story(recs)))


def build_storymap(articles: Sequence[Article], *, pipeline: Pipeline | None = None,
                   progress: Progress = _quiet) -> StoryMap:
    """One-call form for scripts: loads the default pipeline when none is given."""
    return (pipeline or Pipeline.load())(articles, progress)


__all__ = ["Pipeline", "build_storymap"]
