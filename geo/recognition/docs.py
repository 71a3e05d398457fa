"""What every recognition component shares: the gazetteer it reads (opened anew in
each worker process), the document's text kept beside its tokens, and the
``doc._.storymap_places`` extension the places component writes."""
from __future__ import annotations

import os
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from geo.resolution.gazetteer import Gazetteer

if not Doc.has_extension("storymap_places"):
    Doc.set_extension("storymap_places", default=None)

# --------------------------------------------------------------------------- gazetteer


class GazetteerHandle:
    """The gazetteer a component reads: opened lazily, and anew in each worker process
    (an SQLite connection must not cross a fork)."""

    _shared: dict[str, Gazetteer] = {}

    def __init__(self, path: str = "") -> None:
        self.path = path
        self._gaz: Gazetteer | None = None
        self._pid = -1

    def __call__(self) -> Gazetteer:
        if self._gaz is None or self._pid != os.getpid():
            shared = self._shared.get(self.path)
            if shared is not None and shared.__dict__.get("_storymap_pid") == os.getpid():
                self._gaz = shared
            else:
                self._gaz = Gazetteer(Path(self.path)) if self.path else Gazetteer.open()
            self._pid = os.getpid()
        return self._gaz


def share_gazetteer(gazetteer: Gazetteer) -> str:
    """Let components in this process use an already open gazetteer; returns its path."""
    gazetteer.__dict__["_storymap_pid"] = os.getpid()
    GazetteerHandle._shared[str(gazetteer.path)] = gazetteer
    return str(gazetteer.path)


# --------------------------------------------------------------------------- text

_TEXT = "storymap_text"


def make_doc(nlp: Language, text: str) -> Doc:
    """The tokenised ``text``, which the components then read from ``doc_text`` without
    rebuilding it."""
    doc = nlp.make_doc(text)
    doc.user_data[_TEXT] = text
    return doc


def doc_text(doc: Doc) -> str:
    """``doc.text``, which spaCy builds anew from the tokens on each access (a millisecond
    for a news article), read once per document by the components (kept in ``user_data``
    from ``make_doc`` or the first read until ``storymap_government``, the last, drops it)."""
    text = doc.user_data.get(_TEXT)
    end = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
    if text is None or len(text) != end:  # (a copy's, or none yet)
        text = doc.user_data[_TEXT] = doc.text
    return text


def forget_text(doc: Doc) -> None:
    """Drop the kept text (by the last component): the doc goes out as it came."""
    doc.user_data.pop(_TEXT, None)


__all__ = ["GazetteerHandle", "doc_text", "forget_text", "make_doc", "share_gazetteer"]
