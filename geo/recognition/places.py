"""``storymap_places``: entities and news-text rules -> place mentions
(``doc._.storymap_places``, see ``PlaceRules``)."""
from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Sequence

from geopy.distance import great_circle
from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from geo.recognition.docs import GazetteerHandle, doc_text
from geo.recognition.words import (
    BODY_IN_PLACE,
    DIRECTION_ENDING,
    DIRECTIONS,
    FEATURE_ONLY,
    FIRST_LEVEL_WORDS,
    MEDIA,
    MONTHS,
    NAME_PARTICLES,
    NAME_PREFIXES,
    NAMED_AFTER,
    NEWSPAPER_AFTER,
    NOT_IN_NAMES,
    NOT_NAMES,
    ORG_WORDS,
    PERSON_CUES,
    PLACE_LABELS,
    PREPOSITION_SET,
    PREPOSITIONS,
    ROAD_WORDS,
    SAINTS_INSTITUTION,
    SITE_NOUNS,
    SPEECH,
    STATION_OF_TOWN,
    STORM_NAME,
    STORMS_LIST,
    TOWN_FACILITY,
    TOWN_SITE,
    TRAILING_UNITS,
    UNIT_WORDS,
    VEHICLE,
)
from geo.resolution.features import FEATURE_WORDS, LIST_WORDS
from geo.resolution.gazetteer import (
    Candidate,
    demonyms,
    load_supplement,
    major_names,
    us_state_codes,
)
from geo.resolution.names import key, variants

#: Words that join the names of a list ("Harvey, Harper and Kingman").
_AND = ("and", "or")
#: Entity labels a town's name may wrongly get ("Baie de Henne" ORG, "Türkoğlu" PERSON).
_QUALIFIABLE = {"ORG", "PERSON", "FAC", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT"}

#: Population from which a town at the head of an organisation's name ("DeKalb Police")
#: is taken as named there (smaller namesakes are more often a founder's or a family's).
EMBEDDED_TOWN = 5_000
#: Population from which a town listed beside a place ("Decatur and Avondale Estates") is
#: taken as one (if the article's other places are in its country).
LIST_TOWN = 1_000
#: A smaller or otherwise-named town of a list lies this close to a town its sure sibling
#: names ("Irpin and Borodyanka").
LIST_NEIGHBOUR_KM = 100.0


@Language.factory("storymap_places", default_config={
    "gazetteer_path": "", "relabel_min_population": 100_000, "small_town": 5_000,
    "embedded_town": EMBEDDED_TOWN, "list_town": LIST_TOWN})
def make_places(nlp: Language, name: str, gazetteer_path: str, relabel_min_population: int,
                small_town: int, embedded_town: int, list_town: int) -> PlaceRules:
    return PlaceRules(nlp, gazetteer_path, relabel_min_population, small_town, embedded_town,
                      list_town)


class PlaceRules:
    """Entities and news-text rules -> place mentions (``doc._.storymap_places``).

    The small English model labels some places as organisations ("Tartus" ORG) and misses
    others, so: curated names come from the ``entity_ruler``; ORG/NORP entities that are
    exactly the name of a sizeable place are kept (the resolver checks them against the
    article's countries); "Paris, Texas" is split; country, continent and US state names
    are matched where the model saw nothing, and so are names after place prepositions
    ("near Aleppo") and datelines, names qualified by their country or state ("Baie de
    Henne, Haiti") and names listed with a place ("Decatur and Avondale Estates"); a name
    the article uses as a place is a place at its other mentions too. Not places: persons'
    names (also first names that are towns, "his girlfriend Olivia", and a surname the
    article gives after a title, "Mrs. Lincoln"), months and other dates, agencies'
    acronyms and bylines ("(AP)"), newspapers, diseases, AP state abbreviations without
    their period or outside a "City, State" context. A place named only inside an
    organisation's name (a country or state, or a town before a public body's head word:
    "DeKalb Police") is marked ``embedded``. Directional areas ("northeastern Syria", "East
    Texas") are widened to AREA; a unit word after a name is
    taken into the mention ("Hebei province", label UNIT).
    """

    def __init__(self, nlp: Language, gazetteer_path: str = "",
                 relabel_min_population: int = 100_000, small_town: int = 5_000,
                 embedded_town: int = EMBEDDED_TOWN, list_town: int = LIST_TOWN) -> None:
        self.gazetteer = GazetteerHandle(gazetteer_path)
        self.relabel_min_population = relabel_min_population
        self.small_town = small_town
        self.embedded_town = embedded_town
        self.list_town = list_town
        self.not_places = {key(n) for n in load_supplement().get("not_places", [])}
        self.demonyms = frozenset(demonyms())
        majors = major_names()
        self.major_names = frozenset(majors)
        self.major = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.major.add("MAJOR", [nlp.make_doc(n) for n in majors])

    # -- the component

    def __call__(self, doc: Doc) -> Doc:
        doc._.storymap_places = [list(p) for p in self.places(doc)]
        return doc

    def places(self, doc: Doc) -> list[tuple[int, int, str, str | None, bool, bool]]:
        ents = doc.ents  # built anew on each access: read once
        ctx = _Context(doc, ents, self)
        spans: list[tuple[Span, str | None]] = []
        for ent in ents:
            span = _strip_the(ent)
            if span is not None and ent.label_ in NOT_NAMES and _letters_only_capitals(span):
                span = Span(doc, span.start, span.end, label="ORG")  # "NSW" read as a number
            elif span is None or ent.label_ in NOT_NAMES:
                continue
            if ent.ent_id_ and len(span) == 1 and span.text.islower():
                continue  # "the pacific coast": the ruler matches any case; names are capitalised
            if ent.ent_id_:
                if not (span[0].lower_.removesuffix("ern") in DIRECTIONS and len(span) > 1
                        and span[1].text[:1].isupper() and span[0].text[:1].islower()):
                    spans.append((span, ent.ent_id_))
                    continue
                span = Span(doc, span.start + 1, span.end, label=span.label_)
            if ent.label_ in PLACE_LABELS and (ORG_WORDS.search(span.text) or
                                               _unit_then_name(span)):
                # "Alachua County Sheriff's Office", "Lamar County Commissioners" (GPE): an
                # organisation or a building, named after a place
                inside = self._embedded(span, ctx)
                ctx.inside_orgs.update((s.start, s.end) for s in inside)
                spans += [(s, None) for s in inside]
                continue
            if ent.label_ == "PERSON" and len(span) > 1 and span[-1].lower_ in NOT_IN_NAMES \
                    and span[-1].lower_ in TRAILING_UNITS:
                if all(t.is_alpha for t in span):
                    span = Span(doc, span.start, span.end, label="GPE")  # "Gorkha District"
                elif owner := _owner_and_unit(span):  # "Rakhine's Maungdaw Township"
                    spans += [(s, None) for s in owner]
                    continue
            if ent.label_ in ("NORP", "ORG", "PERSON") and self._direction_of_region(span):
                span = Span(doc, span.start, span.end, label="GPE")  # "Northern Punjab" (NORP)
            if ent.label_ in ("ORG", "FAC", "PERSON") and 1 < len(span) <= 3 and \
                    span[0].text in _FEATURE_HEADS and span[1].is_title and \
                    not ORG_WORDS.search(span.text):
                span = Span(doc, span.start, span.end, label="LOC")  # "Lake Robinson" (FAC)
            if ent.label_ in ("ORG", "FAC") and 1 < len(span) <= 4 and \
                    span[-1].text in FEATURE_TAILS and not ORG_WORDS.search(span.text) and \
                    all(t.is_title for t in span):
                span = Span(doc, span.start, span.end, label="LOC")  # "Galveston Bay" (FAC)
            if ent.label_ == "ORG" and (pair := self._two_places(span) or
                                        self._country_and_its_place(span)):
                ctx.listed.update((s.start, s.end) for s in pair)  # not inside a firm's name
                spans += [(s, None) for s in pair]
                continue  # "Bahir Dar & Gondar", "Mozambique's Inhambane": places, not a firm
            if ent.label_ in ("ORG", "FAC") and (base := self._facility(span)) is not None:
                ctx.listed.add((base.start, base.end))  # not inside the operator's name
                spans.append((base, None))
                continue  # "Santa Maria Air Base": the base, at the town
            for part in self._parts(span) if span.label_ in PLACE_LABELS else [span]:
                if self.is_place(part, ctx):
                    # "an Ariana Grande concert": perhaps the start of a name the model cut,
                    # so unsure (a town of a country the article names, or a big city)
                    spans.append((Span(doc, part.start, part.end, label="PREP")
                                  if part.label_ == "GPE" and _before_loose_name(part)
                                  else part, None))
            if ent.label_ in ("ORG", "FAC") and span[-1].lower_ not in LIST_WORDS and \
                    span[-1].lower_ not in ROAD_WORDS:  # "W. California Street": no place
                spans += [(s, None) for s in self._embedded(span, ctx)]
        # a dateline ("CLINTON —") is the town even where the model reads a person
        spans += [(s, None) for s in doc.spans.get("storymap_datelines", [])]
        spans += [(s, None) for s in self._major_names(doc, ctx)]
        spans += [(s, None) for s in self._after_prepositions(doc, ents, ctx)
                  if self.is_place(s, ctx)]
        towns = _town_of(doc, ctx.model_places, ctx.words)
        ctx.listed.update((t.start, t.end) for t in towns)  # "the city of Sirte - Moammar"
        spans += [(s, None) for s in towns]
        spans += [(s, None) for s in _party_homes(doc)]
        spans += [(s, None) for s in self._persons_at_places(doc, ctx)]
        spans += [(s, None) for s in self._qualified(doc, ents)]
        spans += [(s, None) for s in self._before_sites(doc, ents, ctx)]
        spans += [(s, None) for s in self._before_titles(doc, ctx)]
        spans += [(s, None) for s in self._stations(doc)]
        spans += [(s, None) for s in self._airports(doc)]
        spans += [(s, None) for s in self._ports(doc)]
        spans += [(s, None) for s in self._addresses(doc)]
        spans += [(s, None) for s in self._before_unit_words(doc, ctx)]
        spans += [(s, None) for s in self._natural_features(doc, ents, ctx)]
        listed = self._unit_lists(doc, ctx)
        ctx.listed.update((s.start, s.end) for s in listed)
        spans += [(s, None) for s in listed]
        spans += [(s, None) for s in self._after_country_possessive(doc, ents, ctx)]
        spans += [(s, None) for s in _abbreviations(doc, [s for s, _ in spans])]
        spans += [(s, None) for s in self._list_members(doc, spans, ctx)]
        spans += [(s, None) for s in self._between_towns(doc, spans, ctx)]
        # a saint's institution ("St. Michael's Catholic School") is that elsewhere in the
        # article too ("lastly St. Michael's pupils")
        saints = {key(s.text) for s, _ in spans
                  if SAINTS_INSTITUTION.match(ctx.text, s.start_char)}

        def kept(s: Span) -> bool:
            return not NAMED_AFTER.match(ctx.text, s.end_char) and \
                not NEWSPAPER_AFTER.match(ctx.text, s.end_char) and not ctx.in_street(s) and \
                not ctx.media & set(range(s.start, s.end)) and \
                not ctx.agencies & set(range(s.start, s.end))

        spans = [(s, h) for s, h in spans if kept(s)]
        elsewhere = [(s, None) for s in self._same_name_elsewhere(doc, spans, ctx)]
        # a list whose only sure name is one the article uses as a place elsewhere ("Cusco
        # - Urubamba - Ollantaytambo", where the model saw this Cusco as nothing)
        spans += elsewhere + [(s, None) for s in self._list_members(doc, elsewhere, ctx)
                              if kept(s)]
        spans = [(s, h) for s, h in spans if key(s.text) not in ctx.things | saints
                 and not after_prefix(s)
                 and not _currency(ctx.text, s.start_char, s.end_char)
                 and not news_agency(ctx.text, s.start_char, s.end_char)]
        spans = [(self._across_and(self._with_particle(s)), h) for s, h in spans]
        spans = self._adjacent_joined(spans)
        chosen = {(s.start, s.end): hint for s, hint in spans}
        out = []
        for s in filter_spans([s for s, _ in spans]):
            longer = _with_feature_tail(self._longest(s))
            hint = chosen[(s.start, s.end)] if longer is s else None
            longer, unit = self._with_unit(longer, hint)
            # a road's name ("Kansas Avenue") is embedded: counted where a corpus counts
            # such names, not put on the map
            out.append((longer.start_char, longer.end_char, "UNIT" if unit else longer.label_,
                        hint, False, ctx.embedded(longer) and longer.start not in ctx.datelines
                        or _ROAD_AFTER.match(ctx.text, longer.end_char) is not None))
        return _directional(doc, out, self)

    # -- membership tests

    def is_place(self, span: Span, ctx: _Context | None = None) -> bool:
        """NER's GPE/LOC, or an ORG/NORP/FAC that names a sizeable place (checked in context
        by the resolver); never a person's name, an agency's acronym, or a stop word."""
        text = span.text
        if not text[:1].isupper() or key(text) in self.not_places:
            return False  # proper names only; "swan" or "the West" are no places
        if ctx is not None and ctx.person(span):
            return False
        if span.label_ == "NORP" and key(text) in self.demonyms:
            return False  # "Somali refugees": a nationality, not the Somali Region
        if _is_acronym(text) and not self._is_country_abbreviation(text, span):
            return False  # "SANA", "HTS", "AP": agencies and groups, unless "US", "UAE"
        if self._only_state_abbreviation(text) and not _ap_abbreviation_in_context(span):
            return False  # "La" in "La Paz" is no Louisiana; "Ga." after "Atlanta," is
        if all(t.lower_.removesuffix("ern") in DIRECTIONS for t in span):
            return False  # "North East", "Central": a direction, not a name
        if span.label_ in ("GPE", "LOC", "PREP"):
            return True
        if ctx is not None and self._capitals_of_a_named_country(span, ctx):
            return True
        if ctx is not None and key(text) in ctx.never_places and not self._names_region(text):
            return False
        return self._names_big_place(text)

    def _direction_of_region(self, span: Span) -> bool:
        """"Northern Punjab", "Southern Sindh": a capitalised direction and a country or
        region, the whole no name of its own (``_directional`` makes it the area)."""
        return len(span) > 1 and span[0].is_title and \
            DIRECTION_ENDING.fullmatch(span[0].text) is not None and \
            _is_region(self, span[1:].text) and not _whole_name(self, span.text)

    def _names_big_place(self, text: str) -> bool:
        """A country, region or city of 100,000 (by its own name; a former name such as
        "Calcutta" must be a city of a million)."""
        return any(c.kind != "city" or c.population >= (
            self.relabel_min_population if c.main_name else 10 * self.relabel_min_population)
                   for c in self.gazetteer().lookup(text) if not c.abbreviation)

    def _capitals_of_a_named_country(self, span: Span, ctx: _Context) -> bool:
        """A region's capitals the model calls an organisation ("The NSW government"): the
        region, when the likeliest reading of a place the article names is in its country
        ("Sydney"); elsewhere such letters are more often an acronym ("ICT", "RCT")."""
        text = span.text
        if not (text.isupper() and "." not in text and len(text) >= 3):
            return False
        lookup = self.gazetteer().lookup
        countries = {c.country_code for c in lookup(text) if c.kind == "region" and c.abbreviation}
        for e in ctx.places:
            cands = lookup(e.text) if e.text != text else []
            if cands and max(cands, key=lambda c: c.population).country_code in countries:
                return True
        return False

    def _is_country_abbreviation(self, text: str, span: Span) -> bool:
        """"US", "UAE", "DRC", "U.K.": a country's short form; a region's ("NSW", "W.Va.")
        only in a "City, State" position (AP style) or as itself after a comma."""
        cands = self.gazetteer().lookup(text)
        if any(c.kind == "country" for c in cands):
            return True
        if not any(c.kind == "region" and c.abbreviation for c in cands):
            return False
        if "." not in text and len(text) >= 3:
            return True  # "NSW", "NSW Minister": a state's capitals (two letters are not enough)
        return _ap_abbreviation_in_context(span)

    def _only_state_abbreviation(self, text: str) -> bool:
        cands = self.gazetteer().lookup(text)
        return bool(cands) and all(c.abbreviation and c.kind == "region" for c in cands) \
            and len(key(text)) <= 5 and not (text.isupper() and "." not in text and len(text) >= 3)

    def _parts(self, span: Span) -> list[Span]:
        """The toponyms of one place entity: "Paris, Texas" two (``_comma_parts``), "the
        Levant on Mount Sinjar" two (``_preposition_parts``), and "Nepal's Western Region"
        two, where the name before the possessive is a country's ("Queen Anne's County"
        stays one); of "North and South Kivu" the whole name written, "South Kivu"."""
        parts = []
        for part in (p for c in _comma_parts(span) for p in _preposition_parts(c)):
            if len(part) > 3 and part[0].text in NAME_PREFIXES and part[1].lower_ == "and" \
                    and part[2].text in NAME_PREFIXES and not self.gazetteer().lookup(part.text):
                # "North and South Kivu": South Kivu (North Kivu is no span of the text)
                part = Span(span.doc, part.start + 2, part.end, label=part.label_)
            cut = next((t.i for t in part[1:-1] if t.text in _POSSESSIVE), None)
            if cut is not None and self._names_country(span.doc[part.start:cut].text):
                parts += [Span(span.doc, part.start, cut, label=part.label_),
                          Span(span.doc, cut + 1, part.end, label=part.label_)]
            else:
                parts.append(part)
        return parts

    def _names_country(self, text: str) -> bool:
        return any(c.kind == "country" for c in self.gazetteer().lookup(text))

    def _names_region(self, text: str) -> bool:
        return any(c.kind in ("country", "region", "continent") and not c.abbreviation
                   for c in self.gazetteer().lookup(text))

    def _is_big(self, text: str) -> bool:
        """A country, region, continent or city of 100,000: too big to be a first name's
        accident ("Georgia", "Jordan", "Paris"); a country only by a name English news
        writes ("Dominique", Dominica's French name, is a first name)."""
        return any((c.kind != "city" or c.population >= self.relabel_min_population) and
                   (c.kind != "country" or text in self.major_names)
                   for c in self.gazetteer().lookup(text) if not c.abbreviation)

    # -- rules

    def _embedded(self, org: Span, ctx: _Context) -> list[Span]:
        """"the Texas Department of Health" names Texas; "Alachua County Sheriff's Office"
        names Alachua County: a leading country, state or county name (marked embedded)."""
        for n in (4, 3, 2, 1):
            head = org[:n]
            if not (len(head) == n < len(org) and head.text[:1].isupper()
                    and not head[-1].is_punct and not _is_acronym(head.text)):
                continue
            longer = org[:n + 1]
            if n + 1 <= len(org) and not longer[-1].is_punct and \
                    any(c.main_name for c in self.gazetteer().lookup(longer.text)
                        if c.kind in ("city", "region")):
                continue  # "Kansas City Power & Light" names Kansas City, not Kansas
            if ctx.person(head) or key(head.text) in self.not_places:
                continue
            if self._names_region(head.text):
                return [Span(org.doc, head.start, head.end, label="GPE")]
            if ORG_WORDS.search(org[n:].text) and not ORG_WORDS.search(head.text) and \
                    self._names_town(head.text) and \
                    not (n == 1 and ctx.written_lower(head.text)):
                return [Span(org.doc, head.start, head.end, label="GPE")]
        return []

    def _facility(self, span: Span) -> Span | None:
        """An airport, a base or a venue the model made an organisation of, without its
        operator's acronym ("JASDF Komatsu Air Base"): one the gazetteer has ("Al Udeid Air
        Base"), or one named after a town ("Santa Maria Air Base", "Manchester Arena": at
        the town)."""
        start = span.start
        while start < span.end - 1 and _letters_only_capitals(span.doc[start:start + 1]):
            start += 1
        name = span.doc[start:span.end]
        if not (town := TOWN_FACILITY.match(name.text) or TOWN_SITE.match(name.text)):
            return None
        if any(c.kind == "facility" for c in self.gazetteer().lookup(name.text)) or \
                self._names_town(town["town"], other_names=True):
            return Span(span.doc, start, span.end, label="FAC")
        return None

    def _names_town(self, text: str, other_names: bool = False) -> bool:
        """A town by its own name (or, with ``other_names``, another of its names:
        "Ramstein" of Ramstein-Miesenbach), big enough that a public body named after it
        ("DeKalb Police", "Lancaster University") is more likely its than a founder's."""
        return any(c.kind == "city" and (c.main_name or other_names) and
                   c.population >= self.embedded_town for c in self.gazetteer().lookup(text))

    def _major_names(self, doc: Doc, ctx: _Context) -> list[Span]:
        """Country, continent and US state names the model missed or buried in an
        organisation's name ("SOS Children's Villages Sudan"), never inside a person's."""
        out = []
        for _, s, e in self.major(doc):
            span = Span(doc, s, e, label="GPE")
            if ctx.people & set(range(s, e)) or _speaks(span) and \
                    ctx.surnames.intersection(variants(span.text)):
                continue  # "Sheriff Scott Israel ... Israel said": his name
            if _is_acronym(span.text) and not self._is_country_abbreviation(span.text, span):
                continue
            if self._only_state_abbreviation(span.text) and not _ap_abbreviation_in_context(span):
                continue
            if e < len(doc) and doc[e].text[:1].isupper() and not doc[e].is_punct and \
                    any(c.main_name for c in self.gazetteer().lookup(doc[s:e + 1].text)):
                continue  # "Kansas City", "Tennessee Colony": a longer name
            out.append(span)
        return out

    def _after_prepositions(self, doc: Doc, ents: tuple[Span, ...], ctx: _Context) -> list[Span]:
        """"near Aleppo", "at Randwick", "Darfur and Malakal": a capitalised name after a
        place preposition (or joined to a place) that the model left unlabelled. A country,
        region or city of 100,000 is a place; a smaller town is one only if the article's
        other places are in its country (label PREP, checked by the resolver)."""
        labelled = {i for e in ents for i in range(e.start, e.end)}
        places = {e.end - 1 for e in ents if e.label_ in PLACE_LABELS}
        out = []
        lookup = self.gazetteer().lookup
        for joined, start, end in _after_words(ctx.words):
            name = doc[start + 1:end]
            if len(name) > 3 or labelled & set(range(name.start, name.end)) or \
                    name.text in MONTHS:
                continue
            if end < len(doc) and doc[end].is_title and any(
                    c.main_name and c.kind in ("city", "region")
                    for c in lookup(doc[start + 1:end + 1].text)):
                # "in Mission Viejo": the longer name, its last word in no entity or alone
                # in one the model read as no place ("Viejo" PERSON)
                tail = [e for e in ents if e.start <= end < e.end]
                if len(name) == 3 or tail and (
                        (tail[0].start, tail[0].end) != (end, end + 1) or
                        tail[0].label_ in PLACE_LABELS):
                    continue
                name = doc[start + 1:end + 1]
            if joined and start - 1 not in places:
                continue  # "Darfur and Malakal": only a place's partner is a place
            if self._names_big_place(name.text):
                out.append(Span(doc, name.start, name.end, label="GPE"))
            elif any(c.kind == "city" and c.main_name and c.population >= self.small_town
                     for c in lookup(name.text)):
                out.append(Span(doc, name.start, name.end, label="PREP"))
        return out

    def _list_members(self, doc: Doc, spans: list[tuple[Span, str | None]],
                      ctx: _Context) -> list[Span]:
        """"Suba, Migori, Homa Bay and Rongo", "Hamilton and Middletown": the other names of
        a list (joined by commas, "and", "or") one of whose names is a place are places too
        where the gazetteer knows them: a country, region or city of 100,000 as such, a
        smaller town if the article's other places are in its country (label PREP)."""
        # (whole names: "Rio Grande do Sul, Tocantins, and Minas Gerais")
        sure = [self._with_particle(s) for s, _ in spans if s.label_ in ("GPE", "LOC")]
        taken = {i for s in sure for i in range(s.start, s.end)}
        out, seen = [], set()
        for s in sure:
            for a, b in listed_with(doc, s.start, s.end):
                if (a, b) in seen or taken.intersection(range(a, b)):
                    continue
                seen.add((a, b))
                span = Span(doc, a, b, label="PREP")
                if span.text in MONTHS or not (self.is_place(span, ctx) or
                                               ctx.lone_person_word(span) and
                                               self.is_place(span)):
                    continue
                towns = [c for c in self.gazetteer().lookup(span.text) if c.kind == "city"]
                if self._names_big_place(span.text):
                    out.append(Span(doc, a, b, label="GPE"))
                elif any(c.main_name and c.population >= self.list_town for c in towns) or \
                        self._beside(towns, s.text):
                    out.append(span)
        return out

    def _between_towns(self, doc: Doc, spans: list[tuple[Span, str | None]],
                       ctx: _Context) -> list[Span]:
        """"crashed between Digne and Barcelonnette" (two organisations to the model): two
        names after "between" whose towns lie near each other in one country are those
        towns, each the other's evidence."""
        taken = {i for s, _ in spans for i in range(s.start, s.end)}
        out = []
        for t in _words_in(doc, _BETWEEN_IDS):
            a = t.i + 1
            b = _name_right(doc, a) if a < len(doc) else a
            if b == a or b + 1 >= len(doc) or doc[b].lower_ != "and":
                continue
            end = _name_right(doc, b + 1)
            first, second = Span(doc, a, b, label="GPE"), Span(doc, b + 1, end, label="GPE")
            if end == b + 1 or taken & set(range(a, end)) or not (
                    self.is_place(first, ctx) and self.is_place(second, ctx)):
                continue
            towns = [c for c in self.gazetteer().lookup(first.text) if c.kind == "city"]
            if self._beside(towns, second.text):  # (sure: each places the other)
                out += [first, second]
        return out

    def _beside(self, towns: list[Candidate], sibling: str) -> bool:
        """A town of the list, by another of its names, lies beside a town its sure sibling
        names ("in Irpin and Borodyanka": Borodianka, 30 km from Irpin)."""
        near = [c for c in self.gazetteer().lookup(sibling) if c.kind == "city"]
        return any(t.country_code == n.country_code and
                   great_circle((t.lat, t.lon), (n.lat, n.lon)).km < LIST_NEIGHBOUR_KM
                   for t in towns for n in near)

    def _unit_lists(self, doc: Doc, ctx: _Context) -> list[Span]:
        """"the provinces of Mashonaland West and Midlands", "Becker, Clay and Otter Tail
        counties", "the villages of Ceamurlia de Jos, Maliuc and Caraorman", "nine counties
        were affected: A, B and C": two or more names listed with a plural word for units or
        settlements are places, whatever the model called them and whether or not the
        gazetteer has them (unknown, they are mentions with their quotes, left unplaced)."""
        taken = ctx.model_places
        out = []
        for t in _words_in(doc, _PLURAL_PLACE_IDS):
            first: tuple[int, int] | None = None
            if t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "of":  # "the provinces of A"
                a = t.i + 2 + (t.i + 2 < len(doc) and doc[t.i + 2].lower_ == "the")
                first = (a, _name_right(doc, a))
            elif t.lower in _UNITS_AFTER_IDS and t.i > 0 and doc[t.i - 1].is_title:
                # "A and B counties" (not "Arab and Muslim states", "Gulf cities")
                first = (_name_left(doc, t.i), t.i)
            elif (colon := _colon_after(doc, t.i)) is not None:  # "counties hit: A, B and C"
                first = (colon + 1, _name_right(doc, colon + 1))
            if first is None or first[0] == first[1]:
                continue
            names = [first, *listed_with(doc, *first, directions=True)]
            if len(names) < 2:
                continue
            for a, b in names:
                span = Span(doc, a, b, label="GPE")
                # the list says what they are: the model's "person" reading is not asked
                if not taken & set(range(a, b)) and span.text not in MONTHS and \
                        key(span.text) not in self.demonyms and self.is_place(span):
                    out.append(span)
        return out

    def _after_country_possessive(self, doc: Doc, ents: tuple[Span, ...],
                                  ctx: _Context) -> list[Span]:
        """"Kenya's overcrowded Dadaab camps", "Japan's Fukushima": a name after a country's
        possessive (and up to two lower-case words) is a place of that country when the
        gazetteer has one there, whatever the model called it (it read "Dadaab" as a
        person); never a name the article gives a person ("Syria's Assad", where the
        article names Bashar al-Assad)."""
        lookup = self.gazetteer().lookup
        places = ctx.model_places
        others = {i: e for e in ents if e.label_ not in PLACE_LABELS
                  for i in range(e.start, e.end)}
        out = []
        for e in ents:
            if e.label_ != "GPE" or e.end >= len(doc) or doc[e.end].text not in _POSSESSIVE:
                continue
            countries = {c.country_code for c in lookup(e.text) if c.kind == "country"}
            if not countries:
                continue
            a = e.end + 1
            while a < len(doc) and a - e.end <= 3 and doc[a].is_lower and doc[a].is_alpha:
                a += 1
            b = _name_right(doc, a)
            if a == b or places & set(range(a, b)):
                continue
            other = others.get(a)
            if other is not None and (other.start, other.end) != (a, b):
                continue  # part of a longer name ("Kenya's Red Cross Society")
            span = Span(doc, a, b, label="GPE")
            if ctx.names_person(span.text) or key(span.text) in self.not_places:
                continue
            if any(c.kind in ("city", "region") and c.country_code in countries and c.main_name
                   for c in lookup(span.text)):
                out.append(span)
        return out

    def _natural_features(self, doc: Doc, ents: tuple[Span, ...],
                          ctx: _Context) -> list[Span]:
        """"Katla volcano", "the Eyjafjallajökull Glacier": a capitalised name with a word
        for a natural feature after it is that feature (LOC, the word included), whatever
        the model called it ("Eyjafjallajökull Volcano" PERSON) and whether or not the
        gazetteer has it: unknown, it is still a mention with its quotes, left unplaced."""
        taken = {i for e in ents if e.label_ in PLACE_LABELS or e.label_ == "NORP"
                 for i in range(e.start, e.end)}
        out = []
        for t in _words_in(doc, _FEATURE_IDS):
            # "Hill", "Lake" capitalised end many people's and places' own names: only the
            # lower-case word, or one no name ends in ("Volcano"), marks a feature
            if t.i == 0 or not (t.is_lower or t.lower_ in FEATURE_ONLY):
                continue
            start = _name_left(doc, t.i)
            if start == t.i or taken & set(range(start, t.i + 1)):
                continue
            name = doc[start:t.i]
            if key(name.text) in self.not_places or \
                    set(variants(name.text)) & ctx.surnames or \
                    any(w.text[:1].islower() or w.like_num for w in name):
                continue
            out.append(Span(doc, start, t.i + 1, label="LOC"))
        return out

    def _before_sites(self, doc: Doc, ents: tuple[Span, ...], ctx: _Context) -> list[Span]:
        """"the Pirbright laboratory", "Randwick racecourse", "Kenya's Dadaab camps",
        "Roselle police": a name the model labelled as something else (or not at all), right
        before a lower-case word for a site or a town's people and offices, names the town
        when the gazetteer has one. Unsure (label PREP): the resolver takes it only in a
        country the article names; a word the article also writes in lower case is no name
        ("Police station")."""
        labelled = {i: e for e in ents for i in range(e.start, e.end)}
        out = []
        for t in _words_in(doc, _SITE_IDS):
            if not t.is_lower or t.i == 0:
                continue
            start = _name_left(doc, t.i)
            if start == t.i:
                continue
            e = labelled.get(t.i - 1)
            if e is not None and (e.label_ in PLACE_LABELS or e.start < start or e.end > t.i):
                continue  # a place already, or a longer name ("Camp David Accords")
            name = Span(doc, start, t.i, label="PREP")
            if ctx.person(name) or (len(name) == 1 and ctx.written_lower(name.text)) or \
                    key(name.text) in self.not_places or key(name.text) in self.demonyms:
                continue  # "German officials" are no place's
            if any(c.kind in ("city", "region") for c in self.gazetteer().lookup(name.text)):
                out.append(name)
        return out

    def _stations(self, doc: Doc) -> list[Span]:
        """"Marine Corps Air Station Iwakuni", "Naval Air Station Jacksonville": a military
        station named after a town the gazetteer knows, whatever entities the model made
        of it (label FAC: placed at the town, as a town's air base is)."""
        text = doc_text(doc)
        out = []
        for m in _STATION.finditer(text):
            town = STATION_OF_TOWN.match(m.group(0))
            span = doc.char_span(m.start(), m.end(), label="FAC")
            if town and span is not None and text[m.end():m.end() + 1] != "-" and \
                    self._names_town(town["town"], other_names=True):
                out.append(span)
        return out

    def _ports(self, doc: Doc) -> list[Span]:
        """"the Port of Beirut", "Port of Ormoc": a port named after a town the gazetteer
        knows, whatever entities the model made of it ("Port" a place and "Beirut" another,
        or a firm; label FAC: placed at the town); "Port of Spain", a town's own name, is
        that town (GPE)."""
        text = doc_text(doc)
        out = []
        for m in _PORT_RUN.finditer(text):
            words = m["town"].split()
            for n in range(len(words), 0, -1):
                end = m.start("town") + len(" ".join(words[:n]))
                if any(c.main_name and c.kind == "city" for c in
                       self.gazetteer().lookup(text[m.start():end])):
                    label = "GPE"
                elif self._names_town(text[m.start("town"):end], other_names=True):
                    label = "FAC"
                else:
                    continue
                span = doc.char_span(m.start(), end, label=label)
                if span is not None:
                    out.append(span)
                break
        return out

    def _airports(self, doc: Doc) -> list[Span]:
        """"Mexico City International Airport", "Washington Dulles International Airport":
        an airport or base the gazetteer holds under the capitalised words that end with
        its kind, whatever entities the model made of them (often none, or a firm); the
        longest such name, without an operator's acronym before it."""
        text = doc_text(doc)
        out = []
        for m in _AIRPORT_RUN.finditer(text):
            words = m.group(0).split()
            for i in range(len(words) - 1):
                name = " ".join(words[i:])
                if any(c.kind == "facility" for c in self.gazetteer().lookup(name)):
                    span = doc.char_span(m.end() - len(name), m.end(), label="FAC")
                    if span is not None and not any(t.ent_id_ for t in span):
                        out.append(span)  # (a curated one keeps its entry)
                    break
            else:  # "Hamid Karzai International Airport, Kabul": the resolver may know it
                # by its city's name; where it does not, a mention left unplaced
                span = doc.char_span(m.start(), m.end(), label="FAC")
                if span is not None and _QUALIFIED_AFTER.match(text, m.end()) and \
                        not doc[span.start].is_stop and not any(t.ent_id_ for t in span):
                    out.append(span)
        for m in _LOWER_AIRPORT.finditer(text):  # "Havana's Jose Marti airport" (not
            words = m.group(1).split()  # "Kabul airport": a town's name, the corpora's)
            for i in range(len(words)):
                name = " ".join(words[i:])
                if any(c.kind == "facility" for c in self.gazetteer().lookup(f"{name} Airport")):
                    span = doc.char_span(m.end(1) - len(name), m.end(), label="FAC")
                    if span is not None and not self.gazetteer().lookup(name) and \
                            not any(t.ent_id_ for t in span):
                        out.append(span)
                    break
        return out

    def _addresses(self, doc: Doc) -> list[Span]:
        """"112 Dorton Hill Rd., Pikeville, KY 41501": the town of a postal address (a US
        state's code and a ZIP code after it), whatever the model made of it."""
        text, codes = doc_text(doc), us_state_codes()
        out = []
        for m in _ADDRESS.finditer(text):
            span = doc.char_span(m.start(1), m.end(1), label="GPE")
            if m[2] in codes and span is not None:
                out.append(span)
        return out

    def _before_unit_words(self, doc: Doc, ctx: _Context) -> list[Span]:
        """"the nearby Amhara region", "Rivers state": a capitalised name before a
        lower-case unit word is that unit where the gazetteer has an administrative unit by
        the name, whatever the model made of it (not "the Kurdish region": a nationality;
        not "the Gulf Coast region": no unit)."""
        taken = ctx.model_places
        out = []
        for t in _words_in(doc, _UNIT_AFTER_NAME_IDS):
            if not t.is_lower or t.i == 0 or t.i - 1 in taken:
                continue
            start = _name_left(doc, t.i)
            span = Span(doc, start, t.i, label="GPE")
            if start == t.i or key(span.text) in self.demonyms or ctx.person(span) or \
                    not self.is_place(span, ctx) or (start >= 2 and doc[start - 1].lower_ in
                                                     NAME_PARTICLES and doc[start - 2].is_title):
                continue  # (nor "Sul" of "Rio Grande do Sul state": the end of a longer name)
            # (or the province around a town of the name: "the Syrdarya region", Sirdaryo)
            if any((c.feature or "").startswith("ADM") for c in self.gazetteer().units(span.text)) \
                    or t.lower_ in FIRST_LEVEL_WORDS and \
                    self.gazetteer().provinces_of_towns(span.text):
                out.append(span)
        return out

    def _before_titles(self, doc: Doc, ctx: _Context) -> list[Span]:
        """"said Avondale Mayor Ed Rieker", "Cookville Fire Chief Wesley McCollum": a name
        right before a town's office written as a title, itself before a person's name,
        is the town the person serves (whatever entity the model made of the run), when
        the gazetteer has a town or region by that name (label PREP: unsure, as above)."""
        out = []
        for t in _words_in(doc, _OFFICE_IDS):
            title_end = t.i + 2 if t.lower_ in ("police", "fire") else t.i + 1
            if not t.is_title or t.i == 0 or title_end >= len(doc) or \
                    (title_end == t.i + 2 and doc[t.i + 1].lower_ != "chief") or \
                    not doc[title_end].is_title:
                continue
            end = t.i  # "Mabini Vice-Mayor", "Lodi Deputy Mayor": the town before the rank
            while end > 1 and (doc[end - 1].text == "-" or doc[end - 1].lower_ in _RANKS):
                end -= 1
            start = _name_left(doc, end)
            name = Span(doc, start, end, label="PREP")
            if start == end or key(name.text) in self.not_places or \
                    key(name.text) in self.demonyms or \
                    ctx.names_person(name.text):
                continue  # "German Mayor", a person's name before the title
            if any(c.kind in ("city", "region") and c.main_name
                   for c in self.gazetteer().lookup(name.text)):
                out.append(name)
        return out

    def _qualified(self, doc: Doc, ents: tuple[Span, ...]) -> list[Span]:
        """"Baie de Henne, Haiti", "Nihonmatsu, northern Japan", "Tega Cay, S.C.": a name
        the model labelled as something else, followed by a comma and a country or state
        (after a lower-case direction word or not), is a place when the gazetteer has a
        town of that name there."""
        at = {e.start: e for e in ents if e.label_ in ("GPE", "LOC")}
        out = []
        for e in ents:
            if e.label_ not in _QUALIFIABLE or e.end + 1 >= len(doc) or doc[e.end].text != ",":
                continue
            j = e.end + 1
            if doc[j].is_lower and doc[j].lower_.removesuffix("ern") in DIRECTIONS:
                j += 1
            span, where = _strip_the(e), at.get(j)
            if span is not None and where is not None and self._town_in(span.text, where.text):
                out.append(Span(doc, span.start, span.end, label="GPE"))
        return out

    def _town_in(self, name: str, where: str) -> bool:
        """Is there a town called ``name`` in the country or state called ``where``?"""
        units = {(c.country_code, c.admin1 if c.kind == "region" else None)
                 for c in self.gazetteer().lookup(where) if c.kind in ("country", "region")}
        return any(c.kind == "city" and ((c.country_code, None) in units or
                                         (c.country_code, c.admin1) in units)
                   for c in self.gazetteer().lookup(name))

    def _same_name_elsewhere(self, doc: Doc, spans: list[tuple[Span, str | None]],
                             ctx: _Context) -> list[Span]:
        """One sense per article: a name the article uses as a place (NER's GPE/LOC, the
        ruler, a dateline) is a place at its other mentions too ("Amherst election",
        "Bicester's"), unless there it is part of a person's name."""
        taken = {i for s, _ in spans for i in range(s.start, s.end)}
        sure = {}
        for s, _ in spans:
            if s.label_ in ("GPE", "LOC") and len(s.text) >= 4 and s.text[:1].isupper() \
                    and not _is_acronym(s.text) and not s.text.isupper() \
                    and key(s.text) not in self.not_places and not ctx.embedded(s) \
                    and any(c.kind != "facility" for c in self.gazetteer().lookup(s.text)):
                sure.setdefault(s.text, s.label_)
        out = []
        for text, label in sure.items():
            start = 0
            while (i := ctx.text.find(text, start)) >= 0:
                start = i + len(text)
                if (i > 0 and ctx.text[i - 1].isalnum()) or \
                        (start < len(ctx.text) and ctx.text[start].isalnum()):
                    continue
                span = doc.char_span(i, start, label=label)
                if span is None or taken & set(range(span.start, span.end)) or \
                        ctx.other_ents & set(range(span.start, span.end)):
                    continue
                if ctx.person(span) or NAMED_AFTER.match(ctx.text, span.end_char) or \
                        ctx.media & set(range(span.start, span.end)) or \
                        ctx.agencies & set(range(span.start, span.end)):
                    continue
                nxt = doc[span.end] if span.end < len(doc) else None
                if nxt is not None and nxt.text[:1].isupper() and not nxt.is_punct and \
                        nxt.lower_ not in UNIT_WORDS and not ctx.org_at(span.end):
                    continue  # "Olivia Smith", "Georgia Power": a longer name starts here
                out.append(span)
                taken.update(range(span.start, span.end))
        return out

    def _longest(self, span: Span) -> Span:
        """"East Java", "West Bengal", "Mashonaland West": take a direction word before or
        after the name into it when the longer name is in the gazetteer (the shorter one is
        then a different place)."""
        if span.label_ == "FAC":
            return span
        doc = span.doc
        for start, end in ((span.start - 1, span.end), (span.start, span.end + 1)):
            if start < 0 or end > len(doc) or \
                    doc[start if start < span.start else end - 1].text not in NAME_PREFIXES:
                continue
            longer = doc[start:end]
            if any(c.main_name or c.kind == "region"
                   for c in self.gazetteer().lookup(longer.text)):
                return Span(doc, start, end, label=span.label_)
        return span

    def _with_particle(self, span: Span) -> Span:
        """"Caxias do Sul", "Rio Grande do Sul", "Santo Domingo de los Tsáchilas", "Deir
        ez-Zor": take a particle (and an article after it) and the capitalised words after
        it into the name (the model often stops at the particle; "Sul" alone is another
        place): the longest the gazetteer knows, else the whole unknown name ("Lagos dos
        Patos" is no Lagos: left unplaced, with its quotes)."""
        doc, i = span.doc, span.end
        if span[-1].whitespace_ and _hyphened_article(doc, i):  # "Deir" + "ez-Zor"
            return Span(doc, span.start, i + 3, label=span.label_)
        if _glued_article(doc, i):  # "Mazar" + "-e-Sharif"
            return Span(doc, span.start, i + 4, label=span.label_)
        if i + 1 >= len(doc) or doc[i].lower_ not in NAME_PARTICLES:
            return span
        j = i + 1 + (doc[i + 1].lower_ in _ARTICLES and i + 2 < len(doc))  # "de los"
        if not doc[j].is_title:
            return span
        names = [doc[span.start:j + n] for n in (2, 1) if j + n <= len(doc)
                 and all(t.is_title for t in doc[j:j + n])]
        known = next((s for s in names if any(c.main_name or c.kind == "region"
                                              for c in self.gazetteer().lookup(s.text))), None)
        longer = known or names[-1]
        return Span(doc, longer.start, longer.end, label=span.label_)

    def _persons_at_places(self, doc: Doc, ctx: _Context) -> list[Span]:
        """"pulled back to Douentza", "east of Khan Younis": a name the model read as a
        person's, right after a place preposition, that is a town's own name (or a city of
        100,000's other spelling) and that the article never uses for a person (no first
        name of another person's, no surname standing alone elsewhere): the town (label
        PREP: placed only in a country the article names)."""
        out = []
        for e in ctx.persons:
            i = e.start - 1
            if i < 0 or doc[i].lower_ not in PREPOSITION_SET or doc[i].lower_ == "of" and not (
                    i > 0 and doc[i - 1].lower_.removesuffix("ern") in DIRECTIONS):
                continue
            words = e.text.split()
            if len(words) == 1 and ctx.names_person(e.text):
                continue  # "to Clinton", where "Bill Clinton" speaks
            if len(words) > 1 and re.search(
                    rf"(?<!{re.escape(words[-2])} )\b{re.escape(words[-1])}\b", ctx.text):
                continue  # "Younis said": a person named by the surname elsewhere
            big = self.relabel_min_population  # "Khan Younis": Khan Yunis's other spelling
            if any(c.kind == "city" and (c.main_name or c.population >= big)
                   for c in self.gazetteer().lookup(e.text)):
                out.append(Span(doc, e.start, e.end, label="PREP"))
        return out

    def _adjacent_joined(self, spans: list[tuple[Span, str | None]]
                         ) -> list[tuple[Span, str | None]]:
        """"Boa Vista" read as two places "Boa" and "Vista": two names side by side on one
        line are one where the gazetteer knows the whole."""
        by_start = {s.start: (s, h) for s, h in spans}
        out, skip = [], set()
        for s, h in sorted(spans, key=lambda x: x[0].start):
            if (s.start, s.end) in skip:
                continue
            nxt = by_start.get(s.end)
            if nxt is not None and s.end < len(s.doc) and s.doc[s.end - 1].whitespace_ == " " \
                    and h is None and nxt[1] is None:
                whole = Span(s.doc, s.start, nxt[0].end, label=s.label_)
                if any(c.main_name for c in self.gazetteer().lookup(whole.text)):
                    out.append((whole, None))
                    skip.add((nxt[0].start, nxt[0].end))
                    continue
            out.append((s, h))
        return out

    def _two_places(self, span: Span) -> list[Span]:
        """"Bahir Dar & Gondar" read as one organisation: two names joined by "&" or "and",
        each a country, region or city of 100,000, and no organisation's word ("Procter &
        Gamble", "Texas A&M" are none); or names joined by slashes, two of them places the
        gazetteer knows, one big ("Pyeongtaek/Songtan/Suwon")."""
        if ORG_WORDS.search(span.text):
            return []
        doc = span.doc
        slashes = [t.i for t in span[1:-1] if t.text == "/" and not t.whitespace_]
        if slashes:  # "the Pyeongtaek/Songtan/Suwon area": names the gazetteer knows
            cuts = [span.start - 1, *slashes, span.end]
            parts = [Span(doc, a + 1, b, label="GPE") for a, b in zip(cuts, cuts[1:])]
            lookup = self.gazetteer().lookup
            known = [p for p in parts if p.text[:1].isupper() and lookup(p.text)]
            return parts if len(known) >= 2 and any(self._is_big(p.text) for p in known) and \
                all(p.text[:1].isupper() for p in parts) else []
        joints = [t.i for t in span[1:-1] if t.text in ("&", "and")]
        if len(joints) != 1:
            return []
        j = joints[0]
        pair = [Span(doc, span.start, j, label="GPE"), Span(doc, j + 1, span.end, label="GPE")]
        return pair if all(p[0].is_title and self._is_big(p.text) for p in pair) else []

    def _country_and_its_place(self, span: Span) -> list[Span]:
        """"Mozambique's Inhambane" (or "... Inhambane province") read as one organisation: a
        country's possessive and a town or region of that country by its own name, with or
        without its unit word (not "Kenya's Red Cross")."""
        cut = next((t.i for t in span[1:-1] if t.text in _POSSESSIVE), None)
        if cut is None or ORG_WORDS.search(span.text):
            return []
        doc = span.doc
        country, place = Span(doc, span.start, cut, label="GPE"), \
            Span(doc, cut + 1, span.end, label="GPE")
        lookup = self.gazetteer().lookup
        codes = {c.country_code for c in lookup(country.text) if c.kind == "country"}
        name = place[:-1] if len(place) > 1 and place[-1].lower_ in TRAILING_UNITS else place
        if codes and place[0].is_title and any(
                c.kind in ("city", "region") and c.country_code in codes and c.main_name
                for c in lookup(name.text)):
            return [country, place]
        return []

    def _across_and(self, span: Span) -> Span:
        """"Andaman and Nicobar islands", "Trinidad and Tobago": one name with "and" inside
        (the model reads one half, or two), where the gazetteer knows the whole."""
        doc = span.doc
        windows = []
        if span.start >= 2 and doc[span.start - 1].lower_ == "and" and \
                doc[span.start - 2].is_title:
            windows += [(span.start - 2, span.end + 1), (span.start - 2, span.end)]
        if span.end + 1 < len(doc) and doc[span.end].lower_ == "and" and \
                doc[span.end + 1].is_title:
            windows += [(span.end + 3, None), (span.end + 2, None)]
        for start, end in windows:
            start, end = (span.start, start) if end is None else (start, end)
            if end <= len(doc) and any(c.main_name and c.kind != "city" for c in
                                       self.gazetteer().lookup(doc[start:end].text)):
                return Span(doc, start, end, label=span.label_)
        return span

    def _with_unit(self, span: Span, hint: str | None) -> tuple[Span, str | None]:
        """"Hebei province", "Min County", "Akita Prefecture", "Jerome Township": the mention
        is the unit, unit word included, labelled UNIT so the resolver takes the unit."""
        doc = span.doc
        last = span[-1].lower_
        if last in TRAILING_UNITS and len(span) > 1:
            return span, last if hint is None else None
        if hint is not None or span.label_ == "FAC" or span.end >= len(doc):
            return span, None
        nxt = doc[span.end]
        if nxt.lower_ in TRAILING_UNITS and not doc[span.end - 1].whitespace_ == "" and \
                not (span.end + 1 < len(doc) and doc[span.end + 1].lower_ == "of"):
            if nxt.lower_ in ("state", "district") and nxt.is_title:
                return span, None
            return Span(doc, span.start, span.end + 1, label=span.label_), nxt.lower_
        return span, None


class _Context:
    """What the rules need to know about one document's entities, computed once."""

    def __init__(self, doc: Doc, ents: tuple[Span, ...], rules: PlaceRules) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.rules = rules
        self.orgs: dict[int, Span] = {}
        for e in ents:  # (not "Ohio Rivers", "Clay Counties": the end of a list of names)
            if e.label_ in ("ORG", "FAC", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT") and \
                    e[-1].lower_ not in LIST_WORDS:
                for i in range(e.start, e.end):
                    self.orgs[i] = e
        self.media = media_tokens(ents)
        #: the tokens of the names the model reads as places, which the rules that find
        #: places it missed leave alone
        self.model_places = frozenset(
            i for e in ents if e.label_ in PLACE_LABELS for i in range(e.start, e.end))
        #: read by the preposition and "town of" rules (see ``word_rows``)
        self.words = word_rows(doc)
        self.datelines = {s.start for s in doc.spans.get("storymap_datelines", [])}
        self.inside_orgs: set[tuple[int, int]] = set()
        #: names a plural unit word lists ("the counties of Boone, Clay...") or the two
        #: places the model read as a firm ("Bahir Dar & Gondar"): places, never inside an
        #: organisation's name, whatever the model's entities say
        self.listed: set[tuple[int, int]] = set()
        self.agencies = {i for s in doc.spans.get("storymap_agencies", [])
                         for i in range(s.start, s.end)}
        place_ends = {e.end: e for e in ents if e.label_ in PLACE_LABELS}
        self.agencies |= {i for e in ents if e.label_ in ("ORG", "GPE", "NORP", "PERSON")
                          and _parenthesised(e) for i in range(e.start, e.end)
                          if _is_credit(e) and not _abbreviates(e, place_ends.get(e.start - 1))}
        # persons' name parts: surnames (and whole names) block any place; first names
        # block only small places ("Olivia", not "Georgia"); a one-word PERSON entity that
        # is a big place is the model's mistake ("Sri Lanka's", "Alexandria" police)
        self.never_places = never_places(ents)
        #: storms', cars' and buildings' names ("Hurricane Harvey", "a Dodge Durango", "the
        #: Kingsbury and Cinnamon Grand hotels"): no place
        self.things = thing_names(doc)
        self.surnames: set[str] = set()
        self.first_names: set[str] = set()
        self.places = [e for e in ents if e.label_ in PLACE_LABELS]
        # no person is called "Northern Aurora": a direction before a name is an area's
        self.persons = [e for e in ents if e.label_ == "PERSON"
                        and not any(t.lower_ in NOT_IN_NAMES for t in e)
                        and not (len(e) > 1 and _AREA_WORD.fullmatch(e[0].text))]
        for e in self.persons:
            # name parts are words between spaces: "Al-Fashir" (a town the model called a
            # person) is one, "Ahmed al-Sharaa" two (variants drop the article: "sharaa")
            words = (POSSESSIVE.sub("", w) for w in e.text.split())
            parts = [w for w in words if _capitalised_word(w)
                     and w.lower().rstrip(".") not in PERSON_CUES]
            if len(parts) > 1:
                for w in parts[1:]:
                    self.surnames.update(variants(w))
                self.first_names.update(variants(parts[0]))
        self.surnames.update(titled_surnames(doc))
        #: every part of a name the article gives a person
        self.person_names = frozenset(self.surnames | self.first_names)
        self.people = {i for e in ents if e.label_ == "WORK_OF_ART" for i in range(e.start, e.end)}
        for e in self.persons:
            inner = _strip_the(e)
            if inner is not None and len(inner) <= 3 and not self.names_person(inner.text) and \
                    rules._is_big(inner.text) and not _after_loose_name(e) and \
                    not _after_title(e):
                continue  # "Sri Lanka's" (PERSON): a place, judged as one
            self.people.update(range(e.start, e.end))
        self.other_ents = {i for e in ents if e.label_ in (
            "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "LAW",
            "LANGUAGE", "EVENT", "PRODUCT", "WORK_OF_ART") for i in range(e.start, e.end)}

    def person(self, span: Span) -> bool:
        """A person's name or part of one: inside a PERSON entity, after a title or a
        relation word ("Sen.", "his girlfriend", "his wife, Amelia"), or a name the article
        gives a person."""
        doc = span.doc
        if self.people & set(range(span.start, span.end)):
            return True
        vs = variants(span.text)
        if any(v in self.surnames for v in vs) or after_relation(doc, span.start):
            return True
        if len(span) == 1 and not self.rules._is_big(span.text):
            prev = doc[span.start - 1] if span.start > 0 else None
            if prev is not None and prev.lower_.rstrip(".") in PERSON_CUES - {"st"}:
                return True
            if any(v in self.first_names for v in vs):
                return True
            nxt = doc[span.end] if span.end < len(doc) else None
            if nxt is not None and nxt.lower_ in SPEECH:
                return True  # "Kristina said": a small town does not speak; a person does
        return False

    def names_person(self, text: str) -> bool:
        """``text`` is (another form of) a part of a name the article gives a person."""
        return not self.person_names.isdisjoint(variants(text))

    def lone_person_word(self, span: Span) -> bool:
        """One word the model alone calls a person ("Suba, Migori, Homa Bay, Rongo"): no
        name part of a person elsewhere in the article, no title or relation before it."""
        doc = span.doc
        return len(span) == 1 and any(e.start == span.start and e.end == span.end
                                      for e in self.persons) and \
            not self.names_person(span.text) and \
            not after_relation(doc, span.start) and not (
                span.start > 0 and doc[span.start - 1].lower_.rstrip(".") in PERSON_CUES)

    def embedded(self, span: Span) -> bool:
        """Named only inside an organisation's name: within a longer ORG entity, at the end
        of a body's name the model missed ("the Organization for Security and Co-operation
        in Europe"), or right before an organisation ("U.S. National Hurricane Center"
        tagged as GPE + ORG) or its head word ("Pacific Command")."""
        if (span.start, span.end) in self.listed:
            return False
        if (span.start, span.end) in self.inside_orgs or \
                BODY_IN_PLACE.search(self.text, max(0, span.start_char - 120), span.start_char):
            return True
        org = self.orgs.get(span.start)
        if org is not None and (org.start, org.end) != (span.start, span.end) and \
                org.end >= span.end and not _is_place_itself(org, span):
            return True
        doc = span.doc
        if self.glued_to_a_name(span):
            return True
        # "Marine Forces Pacific", "U.S. Forces Korea", "Combined Joint Task Force - Horn of
        # Africa" (the dash inside the model's organisation or outside it)
        dash = span.start > 0 and doc[span.start - 1].text in _DASHES
        before = self.orgs.get(span.start - 1) or (self.orgs.get(span.start - 2) if dash else None)
        if before is not None and span.start - before.end <= int(dash):
            head = [t.text for t in before if t.text not in _DASHES]
            if head and (ORG_WORDS.fullmatch(head[-1]) or head[-2:] == ["Task", "Force"]):
                return True
        if span.end >= len(doc) or doc[span.end - 1].whitespace_ == "":
            return False
        nxt = doc[span.end]  # "Pacific Command", "U.S. National Hurricane Center"
        # "Pacific Air Forces": an organisation's word one title-case word further
        after = doc[span.end + 1] if span.end + 1 < len(doc) and nxt.whitespace_ else None
        return nxt.text[:1].isupper() and (self.org_at(span.end) or bool(ORG_WORDS.fullmatch(
            nxt.text)) or after is not None and nxt.is_title and bool(ORG_WORDS.fullmatch(
                after.text)))

    def glued_to_a_name(self, span: Span) -> bool:
        """"Météo-France", "Radio-Canada": a place joined by a hyphen, without spaces, to a
        capitalised word before it that names no place, the whole no place either (not
        "Dallas-Fort Worth", "Guinea-Bissau"): an organisation's name."""
        word = _hyphened_before(span)
        if word is None or not word.is_title or len(word) < 2:  # nor a party's "R-"
            return False
        lookup = self.rules.gazetteer().lookup
        return not lookup(word.text) and not lookup(span.doc[word.i:span.end].text)

    def in_street(self, span: Span) -> bool:
        """Inside a street's name the model read as a facility ("1000 W. California Street")."""
        org = self.orgs.get(span.start)
        return org is not None and org.end >= span.end and org[-1].lower_ in ROAD_WORDS

    def written_lower(self, word: str) -> bool:
        """The article also writes the word in lower case ("police", "federal"): a common
        word, not a name, where it is capitalised at the head of an organisation's name."""
        return re.search(rf"\b{re.escape(word.lower())}\b", self.text) is not None

    def org_at(self, i: int) -> bool:
        org = self.orgs.get(i)
        return org is not None and org.start == i and org.label_ == "ORG"


#: Relation words that a person's name follows in apposition: "Crolley's wife, Amelia".
_RELATIONS = {"wife", "husband", "daughter", "son", "mother", "father", "brother", "sister",
              "girlfriend", "boyfriend", "fiance", "fiancee", "widow"}


def after_relation(doc: Doc, i: int) -> bool:
    """The name at token ``i`` follows a relation word and a comma ("his wife, Amelia",
    "her daughter, Brittany"), "identified (only) as" ("a manager identified only as
    Zhong") or an honour's words ("a festival honoring Saint James", "the feast of St.
    Patrick"): a person, however big a place bears the name."""
    if i > 1 and doc[i - 1].text == "," and doc[i - 2].lower_ in _RELATIONS:
        return True
    before = [t.lower_ for t in doc[max(0, i - 3):i]]
    return before[-2:] == ["identified", "as"] or before == ["identified", "only", "as"] or \
        before[-1:] in (["honoring"], ["honouring"]) or before[-2:] in _HONOUR_OF


#: "in honor of X", "the feast of X": X is a person (a saint, a hero), not a place.
_HONOUR_OF = (["honor", "of"], ["honour", "of"], ["feast", "of"])
#: Person cues that can also stand before a place ("St. Louis", "a town named Lincoln").
_NOT_TITLES = {"st", "named"}


#: A possessive ending: "Campbell's" is the name "Campbell".
POSSESSIVE = re.compile(r"['\u2019]s?$")


def _capitalised_word(word: str) -> bool:
    """"Smith", "al-Sharaa" (a capitalised part after an article): part of a proper name."""
    return any(part[:1].isupper() for part in word.split("-"))


def titled_surnames(doc: Doc, full_names: bool = False) -> set[str]:
    """"Mrs. Lincoln", "Sen. Barack Obama", "Gov. Perry": the last name after a title or a
    relation word names a person in the whole article ("Lincoln's profile"), whatever
    the model labelled it at each mention. With ``full_names``, only the last names of full
    names ("Gen. William D. 'Hank' Taylor"; not "Mr Randwick", which the spotter's model
    weighs itself)."""
    out: set[str] = set()
    lowers = doc.to_array(LOWER).tolist() if len(doc) else []
    for i in (i for i, w in enumerate(lowers[:-1]) if w in _TITLE_IDS):
        # the last capitalised word, over initials and a quoted nickname ('William D.
        # "Hank" Taylor')
        j, last = i + 1, None
        while j < len(doc) and j - i <= 6 and (
                doc[j].is_title and not doc[j].is_stop or doc[j].text in _QUOTES):
            if doc[j].is_title and not doc[j].text.endswith("."):
                last = j
            j += 1
        if last is not None and not (full_names and last == i + 1):
            out.update(variants(doc[last].text))
    return out


#: Quotation marks around a nickname inside a name.
_QUOTES = frozenset(('"', "\u201c", "\u201d", "'", "\u2018", "\u2019"))


#: Ids of the lower-case title words, with and without their periods ("mrs", "mrs."):
#: the scan above compares numbers, not a Token per word.
_TITLE_IDS = frozenset(get_string_id(c + dot) for c in PERSON_CUES - _NOT_TITLES
                       for dot in ("", ".", ".."))


_PREPOSITION_IDS = frozenset(get_string_id(w) for w in PREPOSITIONS)
_AND_IDS = frozenset(get_string_id(w) for w in ("and", "or"))


_FEATURE_IDS = frozenset(get_string_id(w) for w in FEATURE_WORDS)
#: Plural words for units and settlements that a list of names goes with ("the villages
#: of A and B"), and those that also follow their list ("A and B counties"; not "Arab and
#: Muslim states").
_PLURAL_PLACE_IDS = frozenset(get_string_id(w) for w in (
    *LIST_WORDS, "villages", "towns", "cities", "islands"))
#: The unit words ``_before_unit_words`` reads: those taken into a mention, and "state"
#: ("Rivers state": the state, the word left out of the mention as "Washington state"'s).
_UNIT_AFTER_NAME_IDS = frozenset(get_string_id(w) for w in TRAILING_UNITS | {"state"})
_UNITS_AFTER_IDS = frozenset(get_string_id(w) for w in LIST_WORDS
                             if w not in ("states", "regions", "departments"))
_SITE_IDS = frozenset(get_string_id(w) for w in SITE_NOUNS)
#: A town's offices written as a title before the holder's name ("Avondale Mayor Ed
#: Rieker", "Cookville Fire Chief Wesley McCollum"); compared in token arrays.
_OFFICE_IDS = frozenset(get_string_id(w) for w in (
    "mayor", "councillor", "councilor", "councilman", "councilwoman", "selectman",
    "alderman", "sheriff", "police", "fire"))


def _words_in(doc: Doc, ids: frozenset[int]) -> list:
    """The tokens whose lower-case form is one of ``ids``: found in the attribute array,
    so only they become Token objects."""
    if not len(doc):
        return []
    return [doc[i] for i, w in enumerate(doc.to_array(LOWER).tolist()) if w in ids]


def _after_words(words: Sequence[tuple[int, bool]]) -> list[tuple[bool, int, int]]:
    """(joined by "and"/"or", start, end) of each place preposition or "and"/"or" followed
    by one or more title-case words, at every length ("in New", "in New York"): what a
    spaCy ``Matcher`` with ``{"IS_TITLE": True, "OP": "+"}`` would find, in its order, but
    with names cased as ``_name_cased`` says (``words``: see ``word_rows``)."""
    out = []
    for i, (word, _) in enumerate(words):
        joined = word in _AND_IDS
        if joined or word in _PREPOSITION_IDS:
            k = i + 1
            while k < len(words) and words[k][1]:
                k += 1
                out.append((joined, i, k))
    return out


def word_rows(doc: Doc) -> list[tuple[int, bool]]:
    """Each token's lower-case form's id and whether it is cased as a name
    (``_name_cased``)."""
    if not len(doc):
        return []
    return list(zip(doc.to_array(LOWER).tolist(), (_name_cased(t.text) for t in doc)))


def _name_cased(word: str) -> bool:
    """A capital first, then some lower case: "Aleppo", and "McAllen", "Sana'a", "Ta’izz"
    (which ``str.istitle`` rejects), not "NASA" or "and"."""
    return word[:1].isupper() and any(c.islower() for c in word[1:])


#: "the town of Konna", "the nearby town of Tessalit", "the area of Sinjar": whatever the
#: model read the name as.
_TOWN_OF_IDS = frozenset(get_string_id(w) for w in ("city", "town", "village", "hamlet",
                                                     "area", "region", "district", "province"))
_OF_CALLED = frozenset(("of", "called", "named"))
_CAPITAL_ID = get_string_id("capital")
#: An appositive calling the name before it a town: "X, capital of", "X, a town in".
_APPOSITIVE_IDS = frozenset(get_string_id(w) for w in (
    "capital", "city", "town", "village", "hamlet", "port", "suburb", "township",
    "municipality", "neighbourhood", "neighborhood"))
_IS = frozenset(("is", "was"))
_APPOSITIVE_NEXT = frozenset(("of", "in", "near", "on", "located", "north", "south", "east",
                              "west", "northeast", "northwest", "southeast", "southwest", ",",
                              "."))
#: Ranks before an office's title: "Vice-Mayor", "Deputy Mayor", "Acting Police Chief".
_RANKS = frozenset(("vice", "deputy", "acting", "assistant", "interim"))
#: Articles after a name's particle: "Santo Domingo de los Tsáchilas", "Ciudad de la Costa".
_ARTICLES = frozenset(("la", "las", "los", "le", "les"))


def _with_feature_tail(span: Span) -> Span:
    """"San Jose" + "Island": the island (LOC), not the town it is named after."""
    doc = span.doc
    if span.end < len(doc) and doc[span.end].text in FEATURE_TAILS and span[-1].whitespace_ \
            and span.label_ in ("GPE", "LOC", "PREP", "SPOT"):
        return Span(doc, span.start, span.end + 1, label="LOC")
    return span


def _town_of(doc: Doc, places: frozenset[int], rows: Sequence[tuple[int, bool]]
             ) -> list[Span]:
    """The title-case name after "city/town/village/area/region of" (or "called", "named":
    "a nearby village called Hassan Sham"), or after "capital" ("the Sri Lankan capital
    Colombo") that the model did not read as a place: a town (label PREP: placed only in a
    country the article names, or unplaced with its quotes where the gazetteer lacks it;
    ``rows``: see ``word_rows``; ``places``: the tokens of the model's places)."""
    out = []
    for i in range(len(rows) - 2):
        if rows[i][0] in _TOWN_OF_IDS and doc[i + 1].lower_ in _OF_CALLED and rows[i + 2][1]:
            a = i + 2
        elif rows[i][0] == _CAPITAL_ID and doc[i].is_lower and (
                rows[i + 1][1] or doc[i + 1].text == "," and rows[i + 2][1]):
            a = i + 1 + (doc[i + 1].text == ",")  # "the Sri Lankan capital Colombo"
        else:
            continue
        k = a
        while k < len(rows) and k < a + 3 and rows[k][1]:
            k += 1
        if not places & set(range(a, k)):
            out.append(Span(doc, a, k, label="PREP"))
    return out + _appositive_towns(doc, places)


def _appositive_towns(doc: Doc, places: frozenset[int]) -> list[Span]:
    """"Asadabad, capital of eastern province of Kunar", "Konna, a town in central Mali",
    "Mabvuku, a suburb east of Harare", "Lujhu is a rural township in": the title-case
    name before a comma or "is" and a phrase calling it a town, whatever the model read it
    as (label PREP, as ``_town_of``)."""
    out = []
    for t in _words_in(doc, _APPOSITIVE_IDS):
        nxt = doc[t.i + 1].lower_ if t.i + 1 < len(doc) else ""
        if not t.is_lower or nxt not in _APPOSITIVE_NEXT:
            continue
        j = t.i - 1  # back over "the", "a", "provincial", "small coastal" to the comma
        while j > 0 and t.i - j <= 3 and doc[j].is_lower and doc[j].is_alpha and \
                doc[j].lower_ not in _IS:
            j -= 1
        if j < 1 or not (doc[j].text == "," or doc[j].lower_ in _IS and t.i - j > 1 and
                         doc[j + 1].lower_ in ("a", "an")):
            continue
        start = _name_left(doc, j)
        if start < j and doc[start].is_title and not places & set(range(start, j)):
            out.append(Span(doc, start, j, label="PREP"))
    return out


#: Words that begin a natural feature's name: "Lake Robinson", "Mount Elgon" are places
#: whatever the model called them ("Lake Forest College", "Mount Sinai Hospital" are not).
_FEATURE_HEADS = {"Lake", "Mount", "Mt.", "Lago", "Loch"}
#: Words that end a water's or an island's name, capitalised: "Galveston Bay", "Addicks
#: Reservoir", "Buffalo Bayou" are that feature (not a facility, nor the town it is named
#: after: "San Jose Island" is no San Jose), known to the gazetteer or not.
FEATURE_TAILS = {"Bay", "Creek", "Reservoir", "River", "Bayou", "Lagoon", "Canal", "Harbor",
                  "Harbour", "Sound", "Strait", "Channel", "Island", "Islands", "Peninsula", "Sea"}


#: A legislator's party letter: "Brent Boggs, D-Braxton", "Sen. Byron Dorgan, D-N.D.".
_PARTY_LETTER_IDS = frozenset(get_string_id(w) for w in ("D", "R", "I"))
_COMMA_ID, _HYPHEN_ID = get_string_id(","), get_string_id("-")


def _party_homes(doc: Doc) -> list[Span]:
    """The place after a party letter and a hyphen, after a name and a comma ("Rep.
    Barbara Lee, D-Oakland", "Clif Moore, D-McDowell"): where the legislator is from, a
    US state, county or town (up to two title-case words: "R-Elbow Lake"). The token
    arrays are read, not a Token per word (most articles have no such letter)."""
    words = doc.to_array([ORTH]).tolist()
    out = []
    for i in range(1, len(words) - 2):
        if words[i] in _PARTY_LETTER_IDS and words[i - 1] == _COMMA_ID and \
                words[i + 1] == _HYPHEN_ID and doc[i].whitespace_ == "" and \
                doc[i + 1].whitespace_ == "" and doc[i + 2].text[:1].isupper():
            end = i + 3
            if end < len(doc) and doc[end - 1].whitespace_ and doc[end].is_title and \
                    not doc[end].is_sent_start:
                end += 1
            out.append(Span(doc, i + 2, end, label="GPE"))
    return out


def _is_place_itself(org: Span, span: Span) -> bool:
    """An entity that is the place plus a leading "the" or a trailing possessive."""
    inner = _strip_the(org)
    return inner is not None and (inner.start, inner.end) == (span.start, span.end)


#: A capitalised direction adjective: "Northern", "South-Eastern", "Central".
_AREA_WORD = re.compile(r"(?:(?:North|South)[- ]?(?:[Ee]ast|[Ww]est)|North|South|East|West)ern"
                        r"|Central")


#: A military station's name in running text (see ``STATION_OF_TOWN``).
_STATION = re.compile(r"\b(?:Marine\s+Corps|Naval|Coast\s+Guard)\s+(?:Air\s+)?Station\s+"
                      r"[A-Z][\w'-]+(?:\s+[A-Z][a-z][\w'-]*)?")
#: A road's capitalised kind right after a name: the name is the road's ("Alps Road",
#: "Mahnomen County Road 3", "Kansas Avenue").
_ROAD_AFTER = re.compile(r"\s+(?:Street|Road|Avenue|Ave\.?|Lane|Drive|Boulevard|Blvd\.?|Highway|"
                         r"Parkway|Pike|Trail|Turnpike|Expressway|Freeway)\b")
#: A comma and a capitalised word: the town or country a facility's name is placed in.
_QUALIFIED_AFTER = re.compile(r",\s+[A-Z][a-z]")
#: "Port of" and up to three capitalised words: a port named after its town, for ``_ports``.
_PORT_RUN = re.compile(r"\b(?:Port|Harbou?r)\s+of\s+(?P<town>[A-Z][\w'-]*(?:[ ][A-Z][\w'-]*){0,2})")
_AIRPORT_KINDS = r"(?:Airport|Air\s+Base|Air\s+Force\s+Base|Airfield|Air\s+Station)"
#: Capitalised words ending with an airport's or a base's kind ("Mexico City International
#: Airport", "JASDF Komatsu Air Base"), for ``_airports``.
_AIRPORT_RUN = re.compile(rf"(?:[A-Z][\w'.-]*\s+){{1,5}}{_AIRPORT_KINDS}\b")
#: Capitalised words before a lower-case "airport": the airport's name, perhaps.
_LOWER_AIRPORT = re.compile(r"\b((?:[A-Z][\w'.-]*\s+){0,3}[A-Z][\w'.-]*)\s+airport\b")
#: An airport's or base's name, by the words that end it.
AIRPORT_NAME = re.compile(rf"\b{_AIRPORT_KINDS}$")
#: A postal address's town, state code and ZIP code: "Pikeville, KY 41501".
_ADDRESS = re.compile(r"\b([A-Z][\w'-]*(?:[ \t]+[A-Z][\w'-]*){0,2}),[ \t]+([A-Z]{2})\s+"
                      r"\d{5}(?:-\d{4})?\b")  # (a name within one line: an address's lines)
_WEEKDAYS = frozenset(calendar.day_name)
#: What joins a command's name to the area it is named for ("Task Force - Horn of Africa").
_DASHES = frozenset(("-", "\u2013", "\u2014"))
#: Offices written before a name as a title ("Secretary Kerry", "Envoy Booth"), besides
#: the person cues.
_OFFICES = frozenset(("secretary", "ambassador", "envoy", "chancellor", "premier"))


def _after_title(span: Span) -> bool:
    """A title right before the span ("Secretary Kerry", "Sen. Warner"): a person's name,
    whatever place bears it (County Kerry)."""
    if span.start == 0:
        return False
    word = span.doc[span.start - 1].lower_.rstrip(".")
    return word in _OFFICES or word in PERSON_CUES - _NOT_TITLES


def _speaks(span: Span) -> bool:
    """A speech verb right after the span ("Israel said", "Israel told reporters")."""
    return span.end < len(span.doc) and span.doc[span.end].lower_ in SPEECH


def _after_loose_name(span: Span) -> bool:
    """A capitalised word outside any entity right before the span, inside a sentence: the
    span ends a longer name the model cut ("the Philippines Sung Kim": "Kim")."""
    if span.start == 0:
        return False
    prev = span.doc[span.start - 1]
    return prev.is_title and prev.is_alpha and not prev.ent_type_ and not prev.is_sent_start


def _before_loose_name(span: Span) -> bool:
    """A capitalised word outside any entity right after the span, in its sentence, that
    is no date ("Ariana Grande": "Ariana" begins a longer name the model cut; not "Damascus
    Tuesday")."""
    doc = span.doc
    if span.end >= len(doc) or span[-1].whitespace_ != " ":
        return False
    nxt = doc[span.end]
    return nxt.is_title and nxt.is_alpha and not nxt.ent_type_ and not nxt.is_sent_start and \
        nxt.text not in MONTHS and nxt.text not in _WEEKDAYS


def _parenthesised(span: Span) -> bool:
    doc = span.doc
    return span.start > 0 and span.end < len(doc) and doc[span.start - 1].text == "(" and \
        doc[span.end].text == ")"


def _abbreviations(doc: Doc, places: list[Span]) -> list[Span]:
    """Every mention of an abbreviation the article defines for a place ("New South Wales
    (NSW) ... in NSW"): the model often calls such letters an organisation."""
    out = []
    for place in places:
        if place.end + 2 < len(doc) and doc[place.end].text == "(" and \
                doc[place.end + 2].text == ")":
            short = doc[place.end + 1:place.end + 2]
            if _is_acronym(short.text) and _abbreviates(short, place):
                out += [Span(doc, t.i, t.i + 1, label=place.label_) for t in doc
                        if t.text == short.text]
    return out


def _abbreviates(short: Span, name: Span | None) -> bool:
    """"New South Wales (NSW)", "Democratic Republic of the Congo (DRC)": the letters in
    parentheses are the initials of the place just before, which they name from then on
    (not a news agency's credit)."""
    if name is None:
        return False
    initials = "".join(t.text[0] for t in name if t.text[:1].isupper())
    return len(initials) >= 2 and initials == short.text.replace(".", "")


def _is_credit(span: Span) -> bool:
    """"(AP)", "(Xinhua)", "BEIJING (AFP)": a byline in parentheses after capitals or a
    dateline, or a lone acronym in parentheses (an organisation's short name)."""
    doc = span.doc
    before = doc[span.start - 2] if span.start >= 2 else None
    if _is_acronym(span.text) and not any(c.isdigit() for c in span.text):
        return before is None or before.text.isupper() or before.text in (",", "--", "-") \
            or before.is_title
    return before is None or (before.text.isupper() and len(before.text) > 1) or \
        before.is_sent_start or "\n" in before.whitespace_


def _ap_abbreviation_in_context(span: Span) -> bool:
    """An AP state abbreviation ("Ga.", "W.Va.") with its period, after "City," or in
    parentheses ("(D-Ga.)"): that is how US news writes a state, not otherwise."""
    doc = span.doc
    text = span.text
    after = span.doc[span.end].text[:1] if span.end < len(span.doc) else ""
    if re.fullmatch(r"(?:[A-Z][a-z]?\.\s?){2,3}", text + ("." if after == "."
                                                            and not text.endswith(".") else "")):
        return True  # "S.C.", "W. Va.", "N.D.": dotted initials are no word
    if not (text.endswith(".") or after == "."):
        return len(key(text)) == 2 and text.isupper() and span.start > 0 and \
            doc[span.start - 1].text == "," and _capitalised_before(span)  # "Augusta, GA"
    prev = doc[span.start - 1] if span.start > 0 else None
    return prev is not None and (prev.text in (",", "(", "-") and _capitalised_before(span)
                                 or prev.text == "(" or prev.text.endswith("-"))


def _capitalised_before(span: Span) -> bool:
    doc = span.doc
    return span.start >= 2 and doc[span.start - 2].text[:1].isupper()


def _strip_the(ent: Span) -> Span | None:
    """Drop a leading "the", a trailing possessive or dash: quotes highlight the name itself."""
    doc, start, end = ent.doc, ent.start, ent.end
    while start < end and doc[start].lower_ == "the":
        start += 1
    if end - start > 2 and doc[start].lower_ in UNIT_WORDS and doc[start + 1].lower_ == "of":
        start += 2  # "City of Santa Ana", "State of Texas": the name is what follows
    while end > start:
        last = doc[end - 1]
        if not (last.lower_ in _POSSESSIVE or last.is_punct and last.text != "."):
            break
        end -= 1
    if start >= end:
        return None
    if (start, end) == (ent.start, ent.end):
        span = ent
    else:
        span = Span(doc, start, end, label=ent.label_, span_id=ent.ent_id_)
    text = span.text
    return span if text.strip() and any(c.isalpha() for c in text) else None


_POSSESSIVE = frozenset(("'s", "\u2019s", "'", "\u2019"))


def _capitalised(t: Token) -> bool:
    """A word of a name: "Ohio", "U.S.", and "Sa'dah", "McAllen" (not ``is_title``)."""
    return (t.is_title or _name_cased(t.text)) and not t.is_punct


def _name_right(doc: Doc, i: int) -> int:
    """End of the capitalised name (up to 3 words, not a stop word first) starting at i;
    a hyphen inside a name ("Vest-Agder") is part of it."""
    j = i
    if i < len(doc) and not doc[i].is_stop:
        while j < len(doc) and j - i < 3:
            if _capitalised(doc[j]):
                j += 1
            elif j > i and _inner_hyphen(doc, j):
                j += 2
            elif j > i and _hyphened_article(doc, j):
                j += 3
            elif j > i and _glued_article(doc, j):
                j += 4
            else:
                break
    return j


#: Arabic (and Persian) articles written lower case and hyphened inside a name: "Salah
#: ad-Din", "Deir ez-Zor", "Ras al-Ain", "Mazar-i-Sharif".
_ARTICLES_IN_NAMES = frozenset(("al", "el", "ad", "ed", "ar", "as", "ash", "at", "az", "ez",
                                "es", "an", "en", "ul", "ud", "i", "e"))


def _glued_article(doc: Doc, j: int) -> bool:
    """``doc[j:j + 4]`` is "-e-Sharif" of "Mazar-e-Sharif": an article between hyphens."""
    return j + 3 < len(doc) and doc[j].text == "-" and doc[j + 2].text == "-" and \
        doc[j + 1].lower_ in _ARTICLES_IN_NAMES and doc[j + 1].is_lower and \
        doc[j + 3].is_title and not any(t.whitespace_ for t in doc[j - 1:j + 3])


def _hyphened_article(doc: Doc, j: int) -> bool:
    """``doc[j:j + 3]`` is a lower-case article, a hyphen and a capitalised word, glued:
    "ad-Din" of "Salah ad-Din"."""
    return j + 2 < len(doc) and doc[j].lower_ in _ARTICLES_IN_NAMES and doc[j].is_lower and \
        doc[j + 1].text == "-" and not doc[j].whitespace_ and not doc[j + 1].whitespace_ and \
        doc[j + 2].is_title


def _inner_hyphen(doc: Doc, j: int) -> bool:
    """``doc[j]`` is a hyphen joining two capitalised words without spaces ("Kvemo-Kartli")."""
    return doc[j].text == "-" and not doc[j - 1].whitespace_ and not doc[j].whitespace_ and \
        j + 1 < len(doc) and doc[j + 1].is_title


def _name_left(doc: Doc, j: int) -> int:
    """Start of the capitalised name (up to 3 words, not a stop word first) ending at j."""
    i = j
    while i > 0 and j - i < 3:
        if _capitalised(doc[i - 1]):
            i -= 1
        elif i >= 2 and i < j and _inner_hyphen(doc, i - 1) and doc[i - 2].is_title:
            i -= 2  # "Shangri-La"
        else:
            break
    while i < j and doc[i].is_stop:
        i += 1
    return i


def media_tokens(ents: Sequence[Span]) -> set[int]:
    """The tokens of a newspaper's or broadcaster's name ("The New York Times", "China
    Daily", and "the Boston Herald" where the model reads a place and another word): a
    place named there is not a place of the story (but "the California Republican Party"
    is a party, named after its state)."""
    text = doc_text(ents[0].doc) if ents else ""
    return {i for e in ents if (e.label_ in ("ORG", "WORK_OF_ART") and MEDIA.search(e.text)
                                and not e.text.endswith(" Party")) or
            (e.label_ in PLACE_LABELS and NEWSPAPER_AFTER.match(text, e.end_char))
            for i in range(e.start, e.end)}


def _colon_after(doc: Doc, i: int) -> int | None:
    """The colon that ends the clause of ``doc[i]`` within a few words ("counties to be
    kept indoors: Rogaland, ..."), or None."""
    for j in range(i + 1, min(i + 8, len(doc))):
        if doc[j].text == ":":
            return j
        if doc[j].is_punct and doc[j].text != "-" or doc[j].is_title:
            return None
    return None


_BETWEEN_IDS = frozenset((get_string_id("between"),))
#: What separates a list's names: commas, and the en dashes of a route ("Cusco – Urubamba –
#: Ollantaytambo"; not a dateline's dash, "CROMWELL — Police ...").
_LIST_MARKS = frozenset((",", "\u2013"))


def listed_with(doc: Doc, start: int, end: int,
                directions: bool = False) -> list[tuple[int, int]]:
    """The names listed with ``doc[start:end]``, joined to it by commas, en dashes, "and" or
    "or" ("Suba, Migori, Homa Bay and Rongo"), as token ranges; with ``directions``, also
    across a direction word before a name ("northern Clay and southern Owsley")."""
    out, i = [], end
    while i < len(doc):  # rightwards: ", X", " and X", ", and X"
        j = i + 1 if doc[i].text in _LIST_MARKS or doc[i].lower_ in _AND else i
        if j == i + 1 and doc[i].text == "," and j < len(doc) and doc[j].lower_ in _AND:
            j += 1
        if directions and j > i and j < len(doc) and _direction_word(doc[j]):
            j += 1
        k = _name_right(doc, j) if j > i else j
        if k == j:
            break
        out.append((j, k))
        i = k
    i = start
    while i > 0:  # leftwards: "X, ", "X and ", "X, and "
        if directions and i > 1 and _direction_word(doc[i - 1]):
            i -= 1
        j = i - 1 if doc[i - 1].text in _LIST_MARKS or doc[i - 1].lower_ in _AND else i
        if j == i - 1 and doc[j].lower_ in _AND and j > 0 and doc[j - 1].text == ",":
            j -= 1
        k = _name_left(doc, j) if j < i else j
        if k == j:
            break
        out.append((k, j))
        i = k
    return out


#: English prefixes that make an adjective of a place's name: "euro-Atlantic integration",
#: "trans-Pacific", "pan-African" (not a place of the story).
_PREFIXES = frozenset({"euro", "trans", "pan", "anti", "pro", "non", "inter", "intra", "post",
                       "pre", "ex", "neo", "cross", "mid"})


def after_prefix(span: Span) -> bool:
    """The name is glued by a hyphen to a lower-case prefix before it ("euro-Atlantic")."""
    word = _hyphened_before(span)
    return word is not None and word.is_lower and word.lower_ in _PREFIXES


def _hyphened_before(span: Span) -> Token | None:
    """The word joined to the span by a hyphen, without spaces ("Météo" of "Météo-France",
    "euro" of "euro-Atlantic"), or None."""
    doc, i = span.doc, span.start
    if i < 2 or doc[i - 1].text != "-" or doc[i - 1].whitespace_ or doc[i - 2].whitespace_:
        return None
    return doc[i - 2]


def _direction_word(t: Token) -> bool:
    """"northern", "south": a lower-case direction word."""
    return t.is_lower and t.lower_.removesuffix("ern") in DIRECTIONS


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


#: Lower-case words that join two places the model read as one: "Levant on Mount Sinjar".
_JOINING = frozenset(("on", "in", "near", "at"))


def _preposition_parts(span: Span) -> list[Span]:
    """"Levant on Mount Sinjar" (one GPE entity): the names on each side of a lower-case
    preposition between capitalised words ("Isle of Man", "Gulf of Mexico" stay whole)."""
    cuts = [t.i for t in span[1:-1] if t.lower_ in _JOINING and t.is_lower
            and span.doc[t.i + 1].text[:1].isupper()]
    if not cuts:
        return [span]
    bounds = [span.start, *[c for i in cuts for c in (i, i + 1)], span.end]
    return [Span(span.doc, a, b, label=span.label_)
            for a, b in zip(bounds[::2], bounds[1::2]) if b > a]


def _is_acronym(text: str) -> bool:
    letters = text.replace(".", "")
    return letters.isupper() and letters.isalpha() and len(letters) <= 5


def _directional(doc: Doc, places: list[tuple], rules: PlaceRules) -> list[tuple]:
    """"northeastern Syria", "East Texas": an area of a country or state. Widen such
    mentions to the direction word and hint it (``direction:NE``), unless the whole is a
    name of its own ("West Virginia", "South Africa"). A capitalised direction before a
    town the gazetteer knows, where the whole is no name it knows ("North-Western
    Sydney"), is that town's area too (placed at the town)."""
    text = doc_text(doc)
    out = []
    for p in places:
        start, end, label, hint, gov, emb = p
        if label in ("GPE", "LOC") and hint is None:
            words = text[start:end].split(None, 1)
            head = DIRECTION_ENDING.match(words[0]) if len(words) == 2 else None
            if head and head.end() == len(words[0]) and not _whole_name(rules, text[start:end]) \
                    and words[1].rsplit(None, 1)[-1].lower() not in ROAD_WORDS \
                    and (_is_region(rules, words[1]) or _town_in_unknown(rules, text[start:end],
                                                                         words[1])):
                d = _direction_code(words[0])
                if d:
                    out.append((start, end, "AREA", f"direction:{d}", gov, emb))
                    continue
            before = text[max(0, start - 20):start]
            head = DIRECTION_ENDING.search(before)
            if head:
                d = _direction_code(head.group(0).strip())
                if d:
                    s = start - (len(before) - head.start())
                    whole = text[s:end]
                    if whole[:1].isupper() and _whole_name(rules, whole):
                        out.append((s, end, label, hint, gov, emb))  # "West Java"
                    else:
                        out.append((s, end, "AREA", f"direction:{d}", gov, emb))
                    continue
        out.append(p)
    return out


def _currency(text: str, start: int, end: int) -> bool:
    """"$US 1.5 billion", "US$3 million": a currency's country code, no place."""
    return text[start - 1:start] == "$" or text[end:end + 1] == "$"


def news_agency(text: str, start: int, end: int) -> bool:
    """"the official news agency Xinhua", "the Tass news agency": an agency's name (Xinhua
    is also a town in China), not a place."""
    return text[max(0, start - 12):start] == "news agency " or \
        text[end:end + 12] == " news agency"


def storm_names(text: str) -> set[str]:
    """Keys of the names the text gives storms ("Typhoon Haiyan/Yolanda", "Cyclones Ana and
    Gombe"), and of their word ("Typhoon"): none of their mentions is a place."""
    out = {key(w) for m in STORM_NAME.finditer(text)
           for w in (m.group(1), m.group(2), m.group(0).split()[-2]) if w}
    return out | {key(w) for m in STORMS_LIST.finditer(text)
                  for w in re.findall(r"[A-Z][a-z]+", m.group("names"))}


#: Plural words for buildings: "the Shangri-La, Kingsbury and Cinnamon Grand hotels" name
#: hotels, not the towns some of them share a name with; and for fires, often written as
#: part of their names ("the Hill and Woolsey Fires").
_BUILDING_IDS = frozenset(get_string_id(w) for w in (
    "hotels", "churches", "mosques", "temples", "schools", "hospitals", "stadiums",
    "universities", "malls", "restaurants", "prisons"))
_THING_PLURAL_IDS = _BUILDING_IDS | {get_string_id("fires")}


def building_names(doc: Doc) -> set[str]:
    """Keys of the names listed right before a plural word for buildings or fires ("the
    Shangri-La, Kingsbury and Cinnamon Grand hotels", "the Hill and Woolsey Fires"): the
    article's mentions of them are buildings or fires."""
    out: set[str] = set()
    for t in _words_in(doc, _THING_PLURAL_IDS):
        if t.i == 0 or not (t.is_lower or t.lower_ == "fires") or not doc[t.i - 1].is_title:
            continue
        first = (_name_left(doc, t.i), t.i)
        names = [first, *listed_with(doc, *first)] if first[0] < first[1] else []
        if len(names) >= 2:
            out.update(key(doc[a:b].text) for a, b in names)
    return out


def thing_names(doc: Doc) -> set[str]:
    """Keys of the names the article gives storms, cars and buildings: none of their
    mentions is a place (the rules and the spotter both leave them)."""
    text = doc_text(doc)
    return storm_names(text) | vehicle_names(text) | building_names(doc)


def vehicle_names(text: str) -> set[str]:
    """Keys of the car models the text names after their make ("a red Dodge Durango",
    "a Chevrolet Tahoe"): the article's other "Durango"s are the car too, never a place."""
    return {key(m.group(1)) for m in VEHICLE.finditer(text)}


def never_places(ents: Sequence[Span]) -> set[str]:
    """Keys of the names the model reads as an organisation or a person at every one of
    three or more mentions ("Lincoln visited", "a Lincoln impersonator"): not the city
    there (a state or country still is: "Guerrero")."""
    senses: dict[str, set[str]] = {}
    for e in ents:
        senses.setdefault(key(e.text), set()).add(e.label_)
    counts = Counter(key(e.text) for e in ents)
    return {k for k, labels in senses.items() if counts[k] >= 3 and labels <= {"ORG", "PERSON"}}


def _letters_only_capitals(span: Span) -> bool:
    """"NSW", "KZN": capitals the model took for a number or date; judged as an acronym."""
    return len(span) == 1 and span.text.isalpha() and span.text.isupper() and len(span.text) > 1


def _whole_name(rules: PlaceRules, name: str) -> bool:
    """"West Virginia", "South Sudan", "West Java" (Jawa Barat): a place's own name, or
    another name of a country or province, is no direction plus a place."""
    return any(c.main_name or c.kind in ("country", "region") and c.feature.startswith("ADM")
               for c in rules.gazetteer().lookup(name))


def _owner_and_unit(span: Span) -> list[Span]:
    """A name's possessive, then a unit with its unit word, all in words: the two places
    the model read as one person ("Rakhine's Maungdaw Township")."""
    cut = next((t.i for t in span[1:-2] if t.text in _POSSESSIVE), None)
    if cut is None or not all(t.is_alpha for t in span if t.i != cut):
        return []
    doc = span.doc
    return [Span(doc, span.start, cut, label="GPE"), Span(doc, cut + 1, span.end, label="GPE")]


def _unit_then_name(span: Span) -> bool:
    """"Butler County Jail", "Harris County Clerk": a county's name and more capitalised
    words is something named after the county, not the county."""
    return any(t.lower_ in TRAILING_UNITS and t.text[:1].isupper() for t in span[1:-1]) and \
        span[-1].text[:1].isupper()


def _town_in_unknown(rules: PlaceRules, whole: str, name: str) -> bool:
    """"North-Western Sydney": no place has the whole name, a town has the rest."""
    gaz = rules.gazetteer()
    return not gaz.lookup(whole) and any(c.kind == "city" and c.main_name
                                         for c in gaz.lookup(name))


def _is_region(rules: PlaceRules, name: str) -> bool:
    return any(c.kind in ("country", "region", "continent") and c.main_name
               for c in rules.gazetteer().lookup(name))


def _direction_code(word: str) -> str | None:
    d = re.sub(r"ern$", "", word.lower().replace("-", "").replace(" ", ""))
    return DIRECTIONS.get(d)


__all__ = ["AIRPORT_NAME", "FEATURE_TAILS", "POSSESSIVE", "PlaceRules", "after_prefix",
           "listed_with", "media_tokens", "thing_names", "titled_surnames"]
