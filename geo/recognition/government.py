"""``storymap_government``: marks place mentions that stand for a government ("Moscow
said", "the Kremlin confirmed", "Washington's envoy"); the place is still the place."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from geo.recognition.docs import doc_text, forget_text
from geo.recognition.words import (
    GOVERNMENT_CORE,
    GOVERNMENT_VERBS,
    OFFICIAL_NOUNS,
    SEATS_OF_POWER,
    SITE_NOUNS,
)
from geo.resolution.names import key

#: Sites an official-sounding adjective may qualify: "Banda Aceh's military airport" is a
#: place, not the city's government.
_SITES = SITE_NOUNS | {"base", "bases", "facility", "facilities", "installations"}


@Language.component("storymap_government")
def government(doc: Doc) -> Doc:
    """Flags place mentions that stand for a government: the subject of a speech or
    decision verb ("Moscow said", "Washington has offered", "the Kremlin confirmed"), a
    possessive before an official noun ("Moscow's envoy"), or a seat of power
    ("the Kremlin") in either position; never an area or a place inside an organisation."""
    places = doc._.storymap_places or []
    text = doc_text(doc) if places else ""
    forget_text(doc)  # the last component
    for p in places:
        start, end, label, hint, _, embedded = p[:6]
        if embedded or label == "AREA":
            continue
        p[4] = _stands_for_government(doc, start, end) or _seat_of_power(text, start, end)
    return doc


_LOCATIVE = {"in", "at", "inside", "near", "outside", "into", "to", "from", "around", "within",
             "of", "across", "toward", "towards", "behind", "by", "walls"}


def _seat_of_power(text: str, start: int, end: int) -> bool:
    """"the Kremlin" stands for the government unless it is where something happens
    ("talks at the Kremlin"); before an official's title it stands for it wherever it is
    ("a statement from Pentagon Press Secretary John Kirby")."""
    if key(text[start:end]) not in SEATS_OF_POWER:
        return False
    after = text[end:end + 30].lower().split()
    if after and (after[0] in OFFICIAL_NOUNS or after[:2] == ["press", "secretary"]):
        return True
    before = text[max(0, start - 16):start].lower().split()
    while before and before[-1] in ("the",):
        before.pop()
    return not (before and before[-1] in _LOCATIVE)


_BE = {"is", "was", "were", "are", "be", "been", "being"}


def _stands_for_government(doc: Doc, start: int, end: int) -> bool:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    i = span.end
    toks = [t for t in doc[i:i + 6]]
    if not toks:
        return False
    # possessive + official noun: "Moscow's foreign ministry", "Washington's envoy"
    if toks[0].lower_ in ("'s", "\u2019s"):  # (not "Banda Aceh's military airport": a site)
        return len(toks) > 1 and toks[1].lower_ in OFFICIAL_NOUNS and not (
            len(toks) > 2 and toks[2].lower_ in _SITES)
    # "Moscow, which ..., said" is too far to see without a parser: only adjacent verbs
    j = 0
    while j < len(toks) and toks[j].lower_ in GOVERNMENT_VERBS - GOVERNMENT_CORE:
        j += 1
    if j >= len(toks):
        return False
    progressive = _progressive_core(toks[j].lower_)  # "Russia was backing Assad"
    if toks[j].lower_ not in GOVERNMENT_CORE and not progressive:
        return False
    # the name must be the subject: at a clause start (sentence or paragraph start, after a
    # comma, "and", "but", "that", "as", "while", "when", "because" or "the")
    first = span.start - 1 if span.start > 0 and doc[span.start - 1].lower_ == "the" \
        else span.start
    prev = doc[first - 1] if first > 0 else None
    while prev is not None and prev.is_space:  # a line break before a paragraph
        prev = doc[prev.i - 1] if prev.i > 0 else None
    if prev is not None and not doc[first].is_sent_start and not (
            prev.is_sent_start or prev.is_punct or prev.lower_ in (
            "and", "but", "that", "as", "while", "when", "because", "after", "since",
            "though", "although", "if", "which", "where", "so", "yet", "then", "said",
            "says", "added", "noted", "while", "whereas")):
        return False
    # "Aleppo was struck": passive; "Russia was backing": active
    return progressive or not any(t.lower_ in _BE for t in toks[:j])


def _progressive_core(word: str) -> bool:
    """An -ing form of a speech or decision verb ("backing", "seeking", "planning")."""
    if not word.endswith("ing") or len(word) < 6:
        return False
    stem = word[:-3]
    return any(base + end in GOVERNMENT_CORE for base in (stem, stem + "e", stem[:-1])
               for end in ("", "s", "d", "ed"))


__all__ = ["government"]
