"""Recognition: one spaCy ``nlp`` that finds an article's place mentions.

``recogniser`` builds it (``build_nlp``) and turns its output into ``Mention`` values; the
rules are named spaCy components, one module each, so the whole recogniser is one ``nlp``.

    >>> from geo.recognition.recogniser import build_nlp
    >>> nlp = build_nlp(gazetteer)                                # doctest: +SKIP
    >>> nlp.pipe_names                                            # doctest: +SKIP
    ['entity_ruler', 'ner', 'senter', 'storymap_datelines', 'storymap_sentences',
     'storymap_places', 'storymap_spotter', 'storymap_government']
    >>> [p[:3] for p in nlp("Moscow said troops left Aleppo.")._.storymap_places]  # doctest: +SKIP
    [[0, 6, 'GPE'], [24, 30, 'GPE']]

Each component reads what the ones before it wrote and writes plain data, so the ``nlp``
can be saved (``nlp.to_disk``), loaded (``spacy.load`` after importing
``geo.recognition.recogniser``) and run in worker processes (``nlp.pipe(n_process=2)``):

``storymap_focused_ner`` (``focused_ner``)
    The model's NER, run only near names the gazetteer knows, names after a place
    preposition and country adjectives.
``storymap_datelines`` (``datelines``)
    "MOSCOW -", "COLUMBUS, Ohio (AP) —", "BEIRUT:" at a line or sentence start name where
    the story was filed (``doc.spans["storymap_datelines"]``); the agency in parentheses
    is a byline, not a place (``doc.spans["storymap_agencies"]``).
``storymap_sentences`` (``datelines``)
    A sentence never runs across a line break or a dateline: headings end at their line,
    the story starts after the dateline's dash.
``storymap_places`` (``places``)
    Place mentions from the entities and the rules (see ``PlaceRules``), as
    ``doc._.storymap_places``: ``[start_char, end_char, label, hint, government, embedded]``
    where ``embedded`` marks a place named only inside an organisation's name ("US" in
    "US Geological Survey"): a name in the text, but no place of the story.
``storymap_spotter`` (``spotting``)
    A learned second look at capitalised names the gazetteer knows and the rules left out.
``storymap_government`` (``government``)
    Marks mentions that stand for a government ("Moscow said", "the Kremlin confirmed",
    "Washington's envoy"): the place is still the place; the reader is told.

``words`` holds the word lists and patterns the rules read; ``docs`` what they share.
"""
from __future__ import annotations

import sys
import types
from typing import Any


def _import_spacy_without_its_cli() -> None:
    """Import spaCy without its command line. spaCy's package imports ``spacy.cli`` (typer,
    weasel, requests, httpx: 0.2 s of each start, a fifth of loading) only to offer
    ``spacy.info``, which no part of this program calls. While spaCy is imported, stand-ins
    take the places of ``spacy.cli`` and ``spacy.cli.info``; then they are removed, so a
    later ``import spacy.cli`` finds the real package, and ``spacy.info`` imports the real
    function when called."""
    if "spacy" in sys.modules:
        return

    def info(*args: Any, **kwargs: Any) -> Any:
        from spacy.cli.info import info as real

        return real(*args, **kwargs)

    cli = types.ModuleType("spacy.cli")
    cli.__path__ = []
    stand_in = types.ModuleType("spacy.cli.info")
    stand_in.info = info  # type: ignore[attr-defined]
    sys.modules.update({"spacy.cli": cli, "spacy.cli.info": stand_in})
    try:
        import spacy  # noqa: F401
    finally:
        for name in ("spacy.cli", "spacy.cli.info"):
            if sys.modules.get(name) in (cli, stand_in):
                del sys.modules[name]


_import_spacy_without_its_cli()
