"""``storymap_lines``, ``storymap_datelines`` and ``storymap_sentences``: entities cut at
line breaks, where a story was filed, and sentences that never run across a line break or a
dateline."""
from __future__ import annotations

from itertools import chain

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from geo.recognition.docs import GazetteerHandle, doc_text
from geo.recognition.words import DATELINE, DATELINE_BARE


@Language.factory("storymap_datelines", default_config={"gazetteer_path": ""})
def make_datelines(nlp: Language, name: str, gazetteer_path: str) -> Datelines:
    return Datelines(gazetteer_path)


class Datelines:
    """"NEWARK --", "BAIKONUR, Kazakhstan —", "COLUMBUS, Ohio (AP) -": the filing place.

    The name must be a place in the gazetteer; a dateline is a strong cue, so any town
    counts. The agency in parentheses ("(AP)", "(Xinhua)") is kept apart as a byline."""

    def __init__(self, gazetteer_path: str = "") -> None:
        self.gazetteer = GazetteerHandle(gazetteer_path)

    def __call__(self, doc: Doc) -> Doc:
        names, agencies, bodies = [], [], []
        text = doc_text(doc)
        for m in chain(DATELINE.finditer(text), DATELINE_BARE.finditer(text)):
            name = m.group("name").rstrip(" .-'\u2019")
            letters = [c for c in name if c.isalpha()]
            if len(letters) < 3 or not self._is_place(name):
                continue
            span = doc.char_span(m.start("name"), m.start("name") + len(name), label="GPE",
                                 alignment_mode="contract")
            if span is not None:
                names.append(span)
            if m.groupdict().get("agency"):  # (a bare dateline has none)
                a = doc.char_span(m.start("agency"), m.end("agency"), label="ORG",
                                  alignment_mode="expand")
                if a is not None:
                    agencies.append(a)
            body = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
            if body is not None:
                bodies.append(Span(doc, body.start, body.start + 1, label="BODY"))
        doc.spans["storymap_datelines"] = names
        doc.spans["storymap_agencies"] = agencies
        doc.spans["storymap_dateline_ends"] = bodies
        return doc

    def _is_place(self, name: str) -> bool:
        return any(c.kind in ("city", "region", "country") and (c.main_name or c.population >= 100_000)
                   for c in self.gazetteer().lookup(name))


# --------------------------------------------------------------------------- line breaks


def _line_break(tok: Token) -> bool:
    """A line ends at the token (it is the break, or ends its line)."""
    return "\n" in tok.whitespace_ or (tok.is_space and "\n" in tok.text)


@Language.component("storymap_lines")
def lines(doc: Doc) -> Doc:
    """Entities cut at every line break, each part keeping the label: a heading, an address
    or a table's rows are names apart, not one ("Si Sa Ket / Udon Thani", two provinces the
    model read as one person; "Simonton Street / Key West", the town of an address).

    Runs right after the NER, before any rule reads the entities."""
    ents, cut = [], False
    for ent in doc.ents:
        start = ent.start
        for tok in ent:
            if _line_break(tok):
                cut = True
                end = tok.i if tok.is_space else tok.i + 1
                if end > start:
                    ents.append(Span(doc, start, end, label=ent.label, span_id=ent.id))
                start = tok.i + 1
        if start == ent.start:
            ents.append(ent)
        elif start < ent.end:
            ents.append(Span(doc, start, ent.end, label=ent.label, span_id=ent.id))
    if cut:
        doc.ents = ents
    return doc


# --------------------------------------------------------------------------- sentences


@Language.component("storymap_sentences")
def sentences(doc: Doc) -> Doc:
    """Sentence starts at every line break and after a dateline; none inside a dateline.

    Runs after ``senter`` (without it there are no sentences to fix)."""
    if not doc.has_annotation("SENT_START"):
        return doc
    for tok in doc[1:]:
        if not tok.is_space and _line_break(doc[tok.i - 1]):
            tok.is_sent_start = True
    for span in doc.spans.get("storymap_datelines", []):
        for tok in span[1:]:
            tok.is_sent_start = False
    for span in doc.spans.get("storymap_dateline_ends", []):
        span[0].is_sent_start = True
        for tok in doc[span.start + 1:min(len(doc), span.start + 3)]:
            if not tok.is_punct:
                tok.is_sent_start = False
    return doc


__all__ = ["Datelines", "lines", "sentences"]
