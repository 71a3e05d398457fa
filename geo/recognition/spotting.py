"""A learned second look at the names the rules left out: is this gazetteer name a place?

    >>> nlp = build_nlp(gazetteer)          # "storymap_spotter" runs after "storymap_places"
    >>> doc = nlp("Police in Randwick said the road was closed.")  # doctest: +SKIP

The small NER model labels many small towns as persons or organisations, or not at all
("Randwick", "Pirbright", "Malakal"), and the rules of ``geo.recognition.places`` take
such a name only with a strong cue. ``storymap_spotter`` takes every capitalised run of words
that the rules did not make a place, finds the longest stretches of it that the gazetteer
knows (any size), and asks a logistic model (``data/spotter.json``, written by
``scripts/train_spotter.py`` from the dev halves of LGL and GeoVirus) whether each is a
place, from the cues a reader uses: the words around it ("in", "near", "Mr", "said",
"County"), what the NER called it, how big and how common the name is, whether the
article names it as a place or a person elsewhere, lists it with places, or names its
country or state. The file holds only numbers, so loading it runs no code. Accepted
names are added to ``doc._.storymap_places`` with the label ``SPOT``, which the resolver
treats as an unsure label (a town in no country the article names is not taken). As in
the rules, an article's surnames, nationalities and newspapers' names are never taken.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

from geo.errors import ConfigurationError
from geo.models import SPOTTED_LABEL
from geo.paths import DATA
from geo.recognition.docs import GazetteerHandle, doc_text
from geo.recognition.places import (
    FEATURE_TAILS,
    POSSESSIVE,
    after_prefix,
    after_relation,
    listed_with,
    media_tokens,
    news_agency,
    thing_names,
    titled_surnames,
)
from geo.recognition.words import (
    DISEASE_AFTER,
    FACILITY_AFTER,
    MONTHS,
    NAME_PARTICLES,
    NOT_NAMES,
    ORG_WORDS,
    PERSON_CUES,
    ROAD_WORDS,
    SPEECH,
    UNIT_WORDS,
)
from geo.resolution.gazetteer import Candidate, demonyms, load_supplement
from geo.resolution.names import key
from geo.resolution.rank import linear_score, read_model

MODEL_PATH = DATA / "spotter.json"
_ROAD_IDS = frozenset(get_string_id(w) for w in ROAD_WORDS)  # compared in token arrays
_TAIL_IDS = frozenset(get_string_id(w.lower()) for w in FEATURE_TAILS)
LABEL = SPOTTED_LABEL
#: Longest name tried, in words.
MAX_WORDS = 3
#: Names whose gazetteer entries are kept between documents.
CACHE_SIZE = 200_000
#: Words before a name that make a place of it ("in Randwick", "near Malakal").
PLACE_PREPOSITIONS = {"in", "at", "near", "from", "to", "outside", "into", "toward", "towards",
                      "across", "around", "between", "through", "via", "throughout", "inside"}
_ENDS = {".", "!", "?", '"', "\u201d", ":", ";", "--", "-", "\u2014", "\u2013"}

FEATURES = ("bias", "log_pop", "no_pop", "namesakes", "region", "other_kind", "main_name",
            "ner_person", "ner_org", "ner_norp", "ner_other", "ner_none", "ner_exact",
            "run_longer", "prev_prep", "prev_of", "prev_title", "prev_the", "prev_comma",
            "next_speech", "next_unit", "next_org", "next_possessive", "next_comma",
            "sent_start", "all_caps", "words", "place_elsewhere", "person_elsewhere",
            "listed", "in_named_unit", "in_named_country", "lower_in_text", "places")
#: ``log_pop`` of a city of half a million (``row``: log10(population + 1) / 7).
BIG_CITY_LOG = math.log10(500_000) / 7
_LOG_POP, _MAIN_NAME, _IN_NAMED_COUNTRY, _NER_PERSON, _NEXT_ORG = (
    FEATURES.index(f) for f in ("log_pop", "main_name", "in_named_country", "ner_person",
                                "next_org"))


@dataclass(frozen=True)
class Spotter:
    """p(place) = logistic(sum_i coef_i (x_i - mean_i) / scale_i); taken above ``threshold``."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    threshold: float

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> Spotter:
        try:
            d = read_model(path, FEATURES, "scripts/train_spotter.py")
            return cls(d["mean"], d["scale"], d["coef"], float(d["threshold"]))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigurationError(f"{path}: cannot read the spotter ({exc})") from None

    def probability(self, x: Sequence[float]) -> float:
        z = linear_score(self, x)
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


@Language.factory("storymap_spotter", default_config={"gazetteer_path": "", "model_path": ""})
def make_spotter(nlp: Language, name: str, gazetteer_path: str, model_path: str) -> SpotNames:
    return SpotNames(gazetteer_path, Spotter.load(Path(model_path) if model_path else MODEL_PATH))


class SpotNames:
    """Adds the gazetteer names the model takes for places to ``doc._.storymap_places``."""

    def __init__(self, gazetteer_path: str, model: Spotter | None) -> None:
        self.gazetteer = GazetteerHandle(gazetteer_path)
        self.model = model
        self.not_places = {key(n) for n in load_supplement().get("not_places", [])}
        self.demonyms = frozenset(demonyms())
        self._known: dict[str, list[Candidate]] = {}

    def __call__(self, doc: Doc) -> Doc:
        places = doc._.storymap_places
        if places is None:
            return doc
        bodies = [e for e in doc.ents if e.label_ in ("ORG", "FAC")]
        for span, row in self.candidates(doc):
            if self.model.probability(row) >= self.model.threshold or _big_city_at_home(row):
                places.append([span.start_char, span.end_char, LABEL, None, False,
                               _inside_body(span, bodies)])
        places.sort(key=lambda p: p[0])
        return doc

    def candidates(self, doc: Doc) -> list[tuple[Span, list[float]]]:
        """Every name the rules left out that the gazetteer knows, with its features."""
        places = doc._.storymap_places or []
        cues = _DocCues(doc, places, self)
        out = []
        for span, cands, run in self._names(doc, cues):
            if not cues.ruled_out(span):
                out.append((span, cues.row(span, cands, run)))
        return out

    def lookup(self, text: str) -> list[Candidate]:
        return [c for c in self.gazetteer().lookup(text) if not c.abbreviation]

    def _names(self, doc: Doc, cues: _DocCues) -> list[tuple[Span, list[Candidate], tuple]]:
        """The longest gazetteer names (up to ``MAX_WORDS``) in each capitalised run, with
        the run."""
        self._prefetch(cues)
        out = []
        for start, end in cues.runs:
            i = start
            while i < end:
                for n in range(min(MAX_WORDS, end - i), 0, -1):
                    j = i + n - 1
                    if cues.stop[i] or cues.stop[j] or not (cues.alpha[i] and cues.alpha[j]) \
                            or cues.street(j, end):
                        continue
                    cands = self.known(cues.text[cues.idx[i]:cues.idx[j] + cues.length[j]])
                    if cands:
                        out.append((Span(doc, i, i + n), cands, (start, end)))
                        i += n
                        break
                else:
                    i += 1
        return out

    def _prefetch(self, cues: _DocCues) -> None:
        """Mark the document's new words and word groups that no place bears, in one
        query (most capitalised words name no place: their lookups are skipped)."""
        texts = {cues.text[cues.idx[i]:cues.idx[j] + cues.length[j]]
                 for start, end in cues.runs for i in range(start, end)
                 for j in range(i, min(i + MAX_WORDS, end))
                 if not (cues.stop[i] or cues.stop[j]) and cues.alpha[i] and cues.alpha[j]}
        new = texts.difference(self._known)
        if len(self._known) + len(new) >= CACHE_SIZE:
            self._known.clear()
        self._known.update(dict.fromkeys(new - self.gazetteer().named(new), []))

    def known(self, text: str) -> list[Candidate]:
        """The gazetteer's entries for a name that may be one (cached: names recur)."""
        if text not in self._known:
            if len(self._known) >= CACHE_SIZE:
                self._known.clear()
            k = key(text)
            self._known[text] = [] if text in MONTHS or k in self.not_places or len(k) < 3 \
                else self.lookup(text)
        return self._known[text]


def _big_city_at_home(row: Sequence[float]) -> bool:
    """A city of half a million by its own name, in a country the article names, that the
    model reads as no person ("Kigali has denied any involvement" in an article on Rwanda
    and Congo): a place, however many the article already has (the model's prior)."""
    return row[_LOG_POP] >= BIG_CITY_LOG and row[_MAIN_NAME] == 1.0 and \
        row[_IN_NAMED_COUNTRY] == 1.0 and row[_NER_PERSON] == 0.0 and row[_NEXT_ORG] == 0.0


def _inside_body(span: Span, bodies: Sequence[Span]) -> bool:
    """Named inside a longer organisation's or building's name, one with capitalised
    words of its own ("the International Federation of the Red Cross"; not the model's
    "Grand Goave to"): embedded, as the rules mark such names (counted where a corpus
    counts them, not put on the map)."""
    return any(b.start <= span.start and span.end <= b.end and
               any(t.text[:1].isupper() for t in b if not span.start <= t.i < span.end)
               for b in bodies)


class _DocCues:
    """What one document says around its candidate names, computed once."""

    def __init__(self, doc: Doc, places: list, spotter: SpotNames) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.padded = f" {self.text} "
        self.spotter = spotter
        ents = doc.ents
        self.label: dict[int, str] = {}
        self.ent_of: dict[int, tuple[int, int]] = {}
        for e in ents:
            for i in range(e.start, e.end):
                self.label[i] = e.label_
                self.ent_of[i] = (e.start, e.end)
        taken: set[int] = set()
        self.place_keys: set[str] = set()
        self.place_end: set[int] = set()
        self.place_start: set[int] = set()
        for p in places:
            span = doc.char_span(p[0], p[1], alignment_mode="expand")
            if span is None:
                continue
            taken.update(range(span.start, span.end))
            self.place_start.add(span.start)
            self.place_end.add(span.end)
            self.place_keys.add(key(span.text))
        self.places = len(places)
        self.person_words = {key(t.text) for e in ents if e.label_ == "PERSON" for t in e}
        # as in the rules: the last word of a person's name ("Willie Campbell's") is that
        # person's surname here, and a country's adjective ("Somali" NORP) names no place
        self.surnames = {key(POSSESSIVE.sub("", e.text.split()[-1])) for e in ents
                         if e.label_ == "PERSON" and len(e.text.split()) > 1}
        self.surnames |= titled_surnames(doc, full_names=True)
        self.media = media_tokens(ents)
        self.things = thing_names(doc)
        self.countries, self.units = self._named_units(places)
        self.runs = self._runs(doc, taken)
        self.disease_at: list[int] | None = None

    def street(self, j: int, end: int) -> bool:
        """The run's words up to ``j`` are (part of) a street's name: "Main Street", "E. Main"
        before "Street"; or of a water's or an island's the rules left out: "San Jacinto"
        before "River"."""
        return self.words[j] in _ROAD_IDS or (j + 1 < end and (
            self.words[j + 1] in _ROAD_IDS or self.words[j + 1] in _TAIL_IDS))

    def ruled_out(self, span: Span) -> bool:
        """A name the rules never take: a surname of the article's, a name after a relation
        word ("his wife, Amelia"), a country's adjective
        the model calls a nationality, a name in a newspaper's ("The New York Times") or a
        news agency's ("news agency Xinhua"), a storm's ("Typhoon Haiyan"), or one the
        article names a disease after ("Marburg virus": its other bare "Marburg"s are the
        disease too, unless the rules or the model read a place), one after a prefix
        ("euro-Atlantic"), or an airport or base
        named after a person ("Salgado Filho International Airport": the rules take the
        facility at its town where the name is a town's)."""
        k = key(span.text)
        return k in self.surnames or span.start in self.media or k in self.things or \
            after_relation(span.doc, span.start) or (
            self.label.get(span.start) == "NORP" and k in self.spotter.demonyms) or \
            self.names_something(span.text) or after_prefix(span) or \
            news_agency(self.text, span.start_char, span.end_char) or \
            FACILITY_AFTER.match(self.text, span.end_char) is not None

    def names_something(self, name: str) -> bool:
        """Whether some mention of ``name`` is followed by "virus", "fever", "disease"...
        (found once per article: most articles name no disease)."""
        if self.disease_at is None:
            self.disease_at = [m.start() for m in DISEASE_AFTER.finditer(self.text)]
        return any(self.text.endswith(name, 0, at) and not self.text[at - len(name) - 1:
                                                                      at - len(name)].isalnum()
                   for at in self.disease_at)

    def _runs(self, doc: Doc, taken: set[int]) -> list[tuple[int, int]]:
        """Maximal runs of capitalised words outside the places and dates already found,
        joined across a hyphen or a particle where the whole is a name the gazetteer knows
        ("Kvemo-Kartli", "Caxias do Sul"; not "D-Kanawha", "Plainview-Elgin"); read from
        token arrays: most tokens are lower case and never become objects."""
        alpha, lower, stop, idx, length, words = doc.to_array(
            ["IS_ALPHA", "IS_LOWER", "IS_STOP", "IDX", "LENGTH", "LOWER"]).T.tolist() \
            if len(doc) else ([], [], [], [], [], [])
        self.stop, self.idx, self.length, self.alpha = stop, idx, length, alpha
        self.words = words
        runs: list[tuple[int, int]] = []
        for i, (a, lo) in enumerate(zip(alpha, lower)):
            if not a or lo or i in taken or not self.text[idx[i]].isupper() or \
                    self.label.get(i) in NOT_NAMES:
                continue
            if runs and (runs[-1][1] == i or runs[-1][1] == i - 1 and
                         self._joined_name(runs[-1][1] - 1, i)):
                runs[-1] = (runs[-1][0], i + 1)
            else:
                runs.append((i, i + 1))
        return runs

    def _joined_name(self, a: int, b: int) -> bool:
        """Tokens ``a`` and ``b`` are one name joined by a hyphen or a particle between
        them ("Kvemo-Kartli", "Caxias do Sul"), the gazetteer says."""
        text, idx, length = self.text, self.idx, self.length
        between = text[idx[a] + length[a]:idx[b]]
        return (between == "-" or between[:1] == between[-1:] == " " and
                between.strip() in NAME_PARTICLES) and \
            bool(self.spotter.known(text[idx[a]:idx[b] + length[b]]))

    def _named_units(self, places: list) -> tuple[set[str], set[tuple[str, str]]]:
        """Countries and (country, state) pairs the article's places name."""
        countries, units = set(), set()
        for p in places:
            for c in self.spotter.lookup(self.text[p[0]:p[1]]):
                if c.kind == "country" and c.country_code:
                    countries.add(c.country_code)
                elif c.kind == "region" and c.main_name and c.country_code and c.admin1:
                    units.add((c.country_code, c.admin1))
        return countries, units

    def row(self, span: Span, cands: list[Candidate], run: tuple[int, int]) -> list[float]:
        """The candidate's numbers, in the order of ``FEATURES`` (``run``: the capitalised
        words it was found in)."""
        doc = self.doc
        text = self.text[span.start_char:span.end_char]
        prev = doc[span.start - 1] if span.start > 0 else None
        nxt = doc[span.end] if span.end < len(doc) else None
        pv = prev.lower_.rstrip(".") if prev is not None else ""
        nv = nxt.lower_ if nxt is not None else ""
        label = self.label.get(span.start)
        if any(self.label.get(i) != label for i in range(span.start + 1, span.end)):
            label = "MIXED"
        pop = max((c.population for c in cands if c.kind == "city"), default=0)
        towns = [c for c in cands if c.kind == "city"]
        run_start, run_end = run
        k = key(text)
        return [
            1.0,
            math.log10(pop + 1) / 7,
            float(pop == 0),
            math.log1p(len(cands)) / 5,
            float(any(c.kind == "region" for c in cands)),
            float(any(c.kind not in ("city", "region") for c in cands)),
            float(any(c.main_name for c in cands)),
            float(label == "PERSON"),
            float(label in ("ORG", "FAC")),
            float(label == "NORP"),
            float(label not in ("PERSON", "ORG", "FAC", "NORP", None)),
            float(label is None),
            float(self.ent_of.get(span.start) == (span.start, span.end)),
            float(run_start < span.start or run_end > span.end),
            float(pv in PLACE_PREPOSITIONS),
            float(pv == "of"),
            float(pv in PERSON_CUES and pv != "st"),
            float(pv == "the"),
            float(pv == ","),
            float(nv in SPEECH),
            float(nv in UNIT_WORDS),
            float(nxt is not None and ORG_WORDS.match(nxt.text) is not None),
            float(nv in ("'s", "\u2019s")),
            float(nv == "," and span.end + 1 in self.place_start),
            float(prev is None or prev.text in _ENDS or "\n" in prev.whitespace_
                  or prev.is_space),
            float(text.isupper()),
            float(len(span)),
            float(k in self.place_keys),
            float(k in self.person_words),
            float(any(a in self.place_start or b in self.place_end
                      for a, b in listed_with(doc, span.start, span.end))),
            float(any((c.country_code, c.admin1) in self.units for c in towns)),
            float(any(c.country_code in self.countries for c in towns)),
            float(f" {text.lower()} " in self.padded),
            math.log1p(self.places) / 3,
        ]


__all__ = ["FEATURES", "LABEL", "MODEL_PATH", "SpotNames", "Spotter"]
