"""The recogniser's rules as named spaCy components, so the whole recogniser is one ``nlp``.

    >>> from geo.recognition.recogniser import build_nlp
    >>> nlp = build_nlp(gazetteer)                                # doctest: +SKIP
    >>> nlp.pipe_names                                            # doctest: +SKIP
    ['tok2vec', 'entity_ruler', 'ner', 'senter', 'storymap_datelines', 'storymap_sentences',
     'storymap_places', 'storymap_government']
    >>> [p[:3] for p in nlp("Moscow said troops left Aleppo.")._.storymap_places]  # doctest: +SKIP
    [[0, 6, 'GPE'], [24, 30, 'GPE']]

Each component reads what the ones before it wrote and writes plain data, so the ``nlp``
can be saved (``nlp.to_disk``), loaded (``spacy.load`` after importing this module) and
run in worker processes (``nlp.pipe(n_process=2)``):

``storymap_datelines``
    "MOSCOW -", "COLUMBUS, Ohio (AP) —", "BEIRUT:" at a line or sentence start name where
    the story was filed (``doc.spans["storymap_datelines"]``); the agency in parentheses
    is a byline, not a place (``doc.spans["storymap_agencies"]``).
``storymap_sentences``
    A sentence never runs across a line break or a dateline: headings end at their line,
    the story starts after the dateline's dash.
``storymap_places``
    Place mentions from the entities and the rules (see ``PlaceRules``), as
    ``doc._.storymap_places``: ``[start_char, end_char, label, hint, government, embedded]``
    where ``embedded`` marks a place named only inside an organisation's name ("US" in
    "US Geological Survey"): a name in the text, but no place of the story.
``storymap_government``
    Marks mentions that stand for a government ("Moscow said", "the Kremlin confirmed",
    "Washington's envoy"): the place is still the place; the reader is told.
"""
from __future__ import annotations

import calendar
import os
import re
from collections import Counter
from pathlib import Path

from spacy.attrs import ENT_IOB, IS_TITLE, LOWER, ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from geo.resolution.features import FEATURE_WORDS
from geo.resolution.gazetteer import Gazetteer, demonyms, load_supplement, major_names
from geo.resolution.names import key, variants

if not Doc.has_extension("storymap_places"):
    Doc.set_extension("storymap_places", default=None)

PLACE_LABELS = {"GPE", "LOC", "FAC"}
#: Words that make a name an administrative unit ("Hebei province", "Anderson County").
UNIT_WORDS = {"city", "town", "village", "borough", "township", "county", "municipality",
              "province", "state", "commonwealth", "district", "region", "parish",
              "prefecture", "governorate", "oblast", "krai", "raion", "canton", "department",
              "voivodeship", "emirate", "territory"}
#: Unit words taken into a mention after its name ("Min County", "Akita Prefecture").
TRAILING_UNITS = UNIT_WORDS - {"city", "town", "state", "commonwealth", "department", "territory"}
NAME_PREFIXES = {"East", "West", "North", "South", "Central", "Upper", "Lower", "Greater",
                 "Northern", "Southern", "Eastern", "Western"}
#: Words for a natural feature that end no person's name, even capitalised.
_FEATURE_ONLY = {"volcano", "glacier", "icecap", "crater", "fjord", "lagoon", "waterfall"}
#: Lower-case words for a site at a town ("the Pirbright laboratory", "Dadaab camps").
SITE_NOUNS = {"camp", "camps", "racecourse", "laboratory", "lab", "airport", "airfield",
              "airbase", "port", "harbour", "harbor", "prison", "jail", "hospital", "mine",
              "refinery", "dam", "station", "farm", "market", "bridge", "crossing",
              "stadium", "barracks", "checkpoint", "reactor", "plant", "slaughterhouse",
              "shipyard", "quarry"}
PREPOSITIONS = ["in", "near", "from", "to", "at", "outside", "into", "toward", "towards",
                "across", "around", "of"]
_PREPOSITION_SET = frozenset(PREPOSITIONS)
DIRECTIONS = {"north": "N", "south": "S", "east": "E", "west": "W", "northeast": "NE",
              "northwest": "NW", "southeast": "SE", "southwest": "SW", "central": "C"}
#: Words before a name that make it a person's ("Mr", "his girlfriend", "Sen.").
PERSON_CUES = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lady", "lord", "sen", "rep",
               "gov", "gen", "col", "capt", "lt", "sgt", "cpl", "pvt", "officer", "deputy",
               "judge", "justice", "coach", "president", "minister", "mayor", "pastor",
               "father", "mother", "son", "daughter", "brother", "sister", "wife", "husband",
               "girlfriend", "boyfriend", "fiance", "fiancee", "friend", "uncle", "aunt",
               "cousin", "nephew", "niece", "grandson", "granddaughter", "grandmother",
               "grandfather", "widow", "named", "baby", "toddler", "actor", "actress",
               "singer", "player", "st"}
#: Speech and decision verbs whose subject, when a place, is its government.
GOVERNMENT_VERBS = {
    "said", "says", "say", "saying", "announced", "announces", "announce", "confirmed",
    "confirms", "confirm", "denied", "denies", "deny", "warned", "warns", "warn",
    "stated", "states", "insisted", "insists", "claimed", "claims", "accused", "accuses",
    "rejected", "rejects", "reject", "demanded", "demands", "demand", "urged", "urges",
    "urge", "offered", "offers", "offer", "agreed", "agrees", "agree", "refused", "refuses",
    "refuse", "threatened", "threatens", "threaten", "vowed", "vows", "vow", "pledged",
    "pledges", "pledge", "promised", "promises", "decided", "decides", "ordered",
    "orders", "signed", "signs", "sign", "recognised", "recognized", "recognises",
    "recognizes", "condemned", "condemns", "condemn", "welcomed", "welcomes", "welcome",
    "responded", "responds", "respond", "declined", "declines", "decline", "imposed",
    "imposes", "impose", "sanctioned", "sanctions", "approved", "approves", "approve",
    "retaliated", "retaliates", "protested", "protests", "protest", "called", "calls",
    "sought", "seeks", "seek", "wants", "want", "wanted", "hopes", "hoped", "believes",
    "believed", "considers", "considered", "expects", "expected", "plans", "planned",
    "intends", "intended", "argued", "argues", "argue", "maintained", "maintains",
    "blamed", "blames", "blame", "dismissed", "dismisses", "dismiss", "backed", "backs",
    "back", "supported", "supports", "support", "opposed", "opposes", "oppose",
    "expelled", "expels", "expel", "recalled", "recalls", "summoned", "summons",
    "negotiated", "negotiates", "negotiate", "mediated", "mediates", "responded",
    "acknowledged", "acknowledges", "acknowledge", "reiterated", "reiterates",
    "declared", "declares", "declare", "suspended", "suspends", "suspend", "halted",
    "halts", "halt", "vetoed", "vetoes", "veto", "objected", "objects", "object",
    "insisted", "stressed", "stresses", "stress", "told", "tells", "tell", "asked",
    "asks", "ask", "invited", "invites", "invite", "proposed", "proposes", "propose",
    "deployed", "deploys", "deploy", "sent", "sends", "send", "launched", "launches",
    "launch", "struck", "strikes", "strike", "bombed", "bombs", "retaliate", "has",
    "have", "had", "is", "was", "will", "would", "could", "may", "might", "must",
    "should", "can", "did", "does", "do", "appears", "appeared", "seems", "seemed",
    "reportedly", "also", "has", "now", "then", "still", "repeatedly", "formally",
    "officially", "quickly", "strongly", "publicly"}
#: The subset that must be seen after the auxiliaries/adverbs above to count.
GOVERNMENT_CORE = GOVERNMENT_VERBS - {
    "has", "have", "had", "is", "was", "will", "would", "could", "may", "might", "must",
    "should", "can", "did", "does", "do", "appears", "appeared", "seems", "seemed",
    "reportedly", "also", "now", "then", "still", "repeatedly", "formally", "officially",
    "quickly", "strongly", "publicly"}
#: Nouns after a place's possessive that make it the government ("Moscow's envoy").
OFFICIAL_NOUNS = {"government", "officials", "official", "ministry", "minister", "ministers",
                  "envoy", "envoys", "ambassador", "ambassadors", "embassy", "diplomats",
                  "diplomat", "spokesman", "spokeswoman", "spokesperson", "delegation",
                  "negotiators", "leadership", "leaders", "leader", "president", "regime",
                  "administration", "authorities", "foreign", "defence", "defense",
                  "cabinet", "parliament", "decision", "position", "stance", "demands",
                  "proposal", "offer", "response", "policy", "sanctions", "veto", "prime",
                  "military", "army", "forces", "navy", "intelligence", "mission"}
#: Names that stand for a government themselves (curated seats of power).
SEATS_OF_POWER = {"kremlin", "white house", "downing street", "elysee", "elysee palace",
                  "pentagon", "zhongnanhai", "quai d orsay", "foggy bottom", "capitol hill",
                  "whitehall", "blue house"}
#: A newspaper or broadcaster named after a place ("the New York Times", "China Daily").
_MEDIA = re.compile(r"\b(?:Times|Post|Daily|Journal|Herald|Tribune|Gazette|Chronicle|"
                    r"Courier|Telegraph|Observer|Star|Sun|Globe|Mail|Express|Standard|"
                    r"Press|Radio|TV|Television|News|Record|Register|Review|Bulletin|"
                    r"Examiner|Inquirer|Enquirer|Dispatch|Sentinel|Ledger|Democrat|Republican|"
                    r"Advocate|Independent|Guardian|Monitor|Messenger|Leader|Free Press)\b")
#: Head words of organisations' names: a span with one is no place, but may start with one.
_ORG_WORDS = re.compile(r"\b(?:Office|Department|Dept\.|Council|Committee|Commission|Board|"
                        r"Police|Sheriff'?s?|Agency|Authority|Administration|Bureau|Survey|"
                        r"Service|Ministry|University|College|School|Hospital|Court|Party|"
                        r"Association|Society|Company|Corporation|Inc\.|Ltd|Club|Union|Bank)\b")
#: "Marburg virus", "West Nile fever": named after a place, not about it.
_NAMED_AFTER = re.compile(
    r"\s+(?:hemorrhagic\s+|haemorrhagic\s+)?(?:virus|viruses|fever|disease|flu|strain|"
    r"syndrome|encephalitis|agreements?|accords?|protocol|convention)\b",
    re.I)
_DIRECTION = re.compile(
    r"\b(?:(north|south)[- ]?(east|west)|north|south|east|west|central)(?:ern)?\s*$", re.I)
#: A dateline: capitals at a line or sentence start, an optional ", State" and agency, a dash.
_DATELINE = re.compile(
    r"(?:^|(?<=[.!?\"\u201d]\s)|(?<=[.!?]\s\s))[ \t]*"
    r"(?P<name>[A-Z][A-Z.'\u2019\-]+(?:[ \t][A-Z][A-Z.'\u2019\-]+){0,3})"
    r"(?:,[ \t]*(?P<state>[A-Z][A-Za-z.]{1,14}(?:[ \t][A-Z][A-Za-z.]+)?))?"
    r"(?:[ \t]*\((?P<agency>[A-Za-z][A-Za-z.\- ]{1,20})\))?"
    r"[ \t]*(?:[-\u2013\u2014]+|:)[ \t]*(?=\S)", re.M)


# --------------------------------------------------------------------------- gazetteer


class _GazetteerHandle:
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
    _GazetteerHandle._shared[str(gazetteer.path)] = gazetteer
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


# --------------------------------------------------------------------------- focused NER

#: The model's own NER, kept (disabled) under this name when ``storymap_focused_ner`` runs it.
NER_MODEL = "ner_model"


@Language.factory("storymap_focused_ner", default_config={"model_name": NER_MODEL, "before": 4,
                                                          "after": 4, "full_share": 0.85,
                                                          "gazetteer_path": ""})
def make_focused_ner(nlp: Language, name: str, model_name: str, before: int, after: int,
                     full_share: float, gazetteer_path: str) -> FocusedNER:
    return FocusedNER(nlp, model_name, (before, after), full_share, gazetteer_path)


class FocusedNER:
    """The model's NER, run only where a place name can be: on the tokens within ``window``
    (before, after) tokens of capitalised words (not stop words) that the gazetteer knows ("Texas", "Kuala
    Lumpur"), of a capitalised word after a place preposition ("near Kafr Nabl": a place
    the gazetteer lacks) or a country's adjective ("Syrian"), or of a curated name the
    ``entity_ruler`` found. Elsewhere ("the man said it was
    raining", "According to John Smith") no place is taken from the model. The NER's own
    tok2vec sees 4 tokens either side, so with a window of 4 a name's own vectors are the
    full model's, and with 3 before and 2 after (the recogniser's,
    ``geo.recognition.recogniser.NER_WINDOW``) nearly so: "The US Geological Survey" is still seen as an
    organisation (with 2 before it is not). The parse costs what its tokens cost: these
    cues and window keep 28% of LGL's tokens where every capitalised word and 3 either side
    kept 46%, with F1 and acc@161 on the dev halves of LGL and GeoVirus within .001. A
    document that is mostly candidates (``full_share``) is parsed whole; a window of
    (0, 0) always parses whole.

    Sits where ``ner`` was (and is named ``ner``); the model itself is the disabled
    component ``model_name``, so the ``nlp`` saves and loads as before."""

    def __init__(self, nlp: Language, model_name: str = NER_MODEL,
                 window: tuple[int, int] = (4, 4), full_share: float = 0.85,
                 gazetteer_path: str = "") -> None:
        self.nlp = nlp
        self.model_name = model_name
        self.window = window
        self.full_share = full_share
        self.stop_words = frozenset(nlp.Defaults.stop_words)
        self.gazetteer = _GazetteerHandle(gazetteer_path)
        self._kinds: dict[int, int] = {}
        self._keys: dict[int, str] = {}
        self._demonyms = frozenset(demonyms())

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs, batch_size: int = 32):
        ner = self.nlp.get_pipe(self.model_name)
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._batch(ner, batch)
                batch = []
        if batch:
            yield from self._batch(ner, batch)

    def _batch(self, ner, docs: list[Doc]) -> list[Doc]:
        """Two passes: the model reads near the cues; where it calls a name the cues did
        not know a place ("Sharaa" beside "Russia"), it reads that name's other mentions
        too ("President Ahmed al-Sharaa": a person) in windows of their own."""
        plans = [self._cues(doc) for doc in docs]
        keeps = [self._keep(len(doc), cues) for doc, (cues, _, _) in zip(docs, plans)]
        out = self._parse(ner, docs, keeps)
        again: list[tuple[Doc, list[int] | None]] = []
        for doc, (cues, orths, kinds), keep, sub in zip(docs, plans, keeps, out):
            if keep is None:
                continue
            placed = {self._key(doc.vocab, orths[keep[t.i]]) for e in sub.ents
                      if e.label_ in PLACE_LABELS for t in e
                      if kinds[keep[t.i]] == _CAPITALISED}
            read = set(keep)
            unread = [i for i, (o, k) in enumerate(zip(orths, kinds)) if k == _CAPITALISED
                      and i not in read and self._key(doc.vocab, o) in placed] if placed else []
            if not unread:
                _copy_entities(doc, sub, keep)
                continue
            # read again: the stretches of the new windows, each with what it now joins
            # ("Governor Yury [Yevdokimov]"); the other stretches keep their entities
            union = self._keep(len(doc), sorted(cues + unread))
            if union is None:
                again.append((doc, None))
                continue
            wanted = set(unread)
            stretch = [i for run in _runs(union) if wanted.intersection(run) for i in run]
            _copy_entities(doc, sub, keep, skip=set(stretch))
            again.append((doc, stretch))
        if again:
            for (doc, keep), sub in zip(again, self._parse(ner, [d for d, _ in again],
                                                           [k for _, k in again])):
                if keep is not None:
                    _copy_entities(doc, sub, keep)
        return docs

    @staticmethod
    def _parse(ner, docs: list[Doc], keeps: list[list[int] | None]) -> list[Doc]:
        """The model over the kept tokens of each document (as documents of their own)."""
        subs = [doc if keep is None else _subdoc(doc, keep)[0] for doc, keep in zip(docs, keeps)]
        return list(ner.pipe(subs, batch_size=len(subs)))

    def _key(self, vocab, orth: int) -> str:
        """A word's spelling-insensitive key ("Shara'a" is "Sharaa"), cached by its id."""
        k = self._keys.get(orth)
        if k is None:
            k = self._keys[orth] = key(vocab.strings[orth])
        return k

    def _kind(self, vocab, orth: int) -> int:
        """A word's kind for ``_keep``, cached by its id: a country's adjective ("Syrian"),
        capitalised (not a stop word), a place preposition, or other."""
        kind = self._kinds.get(orth)
        if kind is None:
            text = vocab.strings[orth]
            lower = text.lower()
            capitalised = text[:1].isupper() and lower not in self.stop_words
            kind = self._kinds[orth] = (
                _DEMONYM if capitalised and key(text) in self._demonyms
                else _CAPITALISED if capitalised
                else _PREPOSITION if lower in _PREPOSITION_SET else 0)
        return kind

    def _cues(self, doc: Doc) -> tuple[list[int], list[int], list[int]]:
        """(sorted cue indices, each token's word id, each token's kind)."""
        # token attributes as arrays and word kinds by lexeme: no Token object per token
        orths, iobs = doc.to_array([ORTH, ENT_IOB]).T.tolist() if len(doc) else ([], [])
        kinds = [self._kind(doc.vocab, o) for o in orths]
        capitalised: list[tuple[int, int]] = []  # (index, orth) not a ruler's name
        cues: list[int] = []  # the ruler's names and names after a place preposition
        for i, (kind, iob) in enumerate(zip(kinds, iobs)):
            if iob == 3 or kind == _DEMONYM:
                cues.append(i)
            elif kind == _CAPITALISED:
                if i and kinds[i - 1] == _PREPOSITION:
                    cues.append(i)
                else:
                    capitalised.append((i, orths[i]))
        # names of one to three capitalised words: "Texas", "Kuala Lumpur"
        strings = doc.vocab.strings
        names: dict[str, list[int]] = {}
        for j, (i, _) in enumerate(capitalised):
            words: list[str] = []
            for k, o in capitalised[j:j + 3]:
                if k != i + len(words):
                    break
                words.append(strings[o])
                names.setdefault(" ".join(words), []).extend(range(i, k + 1))
        known = self.gazetteer().named(names) if names else set()
        return sorted(set(cues).union(*(names[k] for k in known))), orths, kinds

    def _keep(self, n: int, cues: list[int]) -> list[int] | None:
        """Sorted indices of the tokens within the window of some cue, or None for the
        whole document."""
        if self.window == (0, 0) or n == 0:
            return None
        before, after = self.window
        marks = bytearray(n)
        last = -1  # the last index marked so far: windows are added left to right
        for i in cues:
            lo = max(i - before, last + 1)
            if 0 < lo - last - 1 <= _GAP:
                lo = last + 1  # no short gap between windows: it would split a name
            hi = min(n, i + after + 1)
            if hi > lo:
                marks[lo:hi] = b"\x01" * (hi - lo)
                last = hi - 1
        if marks.count(1) >= self.full_share * n:
            return None
        return [i for i in range(n) if marks[i]]


_CAPITALISED, _PREPOSITION, _DEMONYM = 1, 2, 3
#: Tokens between two windows that are read as well ("Ahmed [al-] Shara'a").
_GAP = 3


def _subdoc(doc: Doc, keep: list[int]) -> tuple[Doc, list[int]]:
    """The kept tokens as a document of their own, with the entities already set on them
    (the ruler's: the NER keeps them as they are)."""
    words = [doc[i].text for i in keep]
    spaces = [bool(doc[i].whitespace_) for i in keep]
    ents = []
    for i in keep:
        t = doc[i]
        ents.append(f"{t.ent_iob_}-{t.ent_type_}" if t.ent_iob in (1, 3) else None)
    return Doc(doc.vocab, words=words, spaces=spaces, ents=ents), keep


def _runs(index: list[int]) -> list[list[int]]:
    """Sorted token indices as their stretches of consecutive indices."""
    runs: list[list[int]] = []
    for i in index:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _copy_entities(doc: Doc, sub: Doc, index: list[int], skip: set[int] = frozenset()) -> None:
    """The sub-document's new entities onto ``doc`` (the ones already set stay, ids and
    all), but none that starts on a ``skip`` token; a new entity across a gap between kept
    stretches ends at the gap."""
    preset = list(doc.ents)
    taken = {i for e in preset for i in range(e.start, e.end)}
    new = []
    for e in sub.ents:
        start = index[e.start]
        if start in skip:
            continue
        end = start + 1
        for j in range(e.start + 1, e.end):
            if index[j] != index[j - 1] + 1:
                break
            end = index[j] + 1
        if taken.isdisjoint(range(start, end)):
            new.append(Span(doc, start, end, label=e.label))
    doc.set_ents(preset + new, default="outside")


# --------------------------------------------------------------------------- datelines


@Language.factory("storymap_datelines", default_config={"gazetteer_path": ""})
def make_datelines(nlp: Language, name: str, gazetteer_path: str) -> Datelines:
    return Datelines(gazetteer_path)


class Datelines:
    """"NEWARK --", "BAIKONUR, Kazakhstan —", "COLUMBUS, Ohio (AP) -": the filing place.

    The name must be a place in the gazetteer; a dateline is a strong cue, so any town
    counts. The agency in parentheses ("(AP)", "(Xinhua)") is kept apart as a byline."""

    def __init__(self, gazetteer_path: str = "") -> None:
        self.gazetteer = _GazetteerHandle(gazetteer_path)

    def __call__(self, doc: Doc) -> Doc:
        names, agencies, bodies = [], [], []
        for m in _DATELINE.finditer(doc_text(doc)):
            name = m.group("name").rstrip(" .-'\u2019")
            letters = [c for c in name if c.isalpha()]
            if len(letters) < 3 or not self._is_place(name):
                continue
            span = doc.char_span(m.start("name"), m.start("name") + len(name), label="GPE",
                                 alignment_mode="contract")
            if span is not None:
                names.append(span)
            if m.group("agency"):
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


# --------------------------------------------------------------------------- sentences


@Language.component("storymap_sentences")
def sentences(doc: Doc) -> Doc:
    """Sentence starts at every line break and after a dateline; none inside a dateline.

    Runs after ``senter`` (without it there are no sentences to fix)."""
    if not doc.has_annotation("SENT_START"):
        return doc
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if tok.is_space:
            continue
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
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


# --------------------------------------------------------------------------- places

#: "in May", "since March": months are dates after a preposition, not towns or islands.
_MONTHS = frozenset(calendar.month_name[1:])
#: Words that join the names of a list ("Harvey, Harper and Kingman").
_AND = ("and", "or")
#: Entities that are times and amounts: "May" (DATE) is no island of Cape Verde ("Maio").
_NOT_NAMES = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
#: Entity labels a town's name may wrongly get ("Baie de Henne" ORG, "Türkoğlu" PERSON).
_QUALIFIABLE = {"ORG", "PERSON", "FAC", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT"}

#: Population from which a town at the head of an organisation's name ("DeKalb Police")
#: is taken as named there (smaller namesakes are more often a founder's or a family's).
EMBEDDED_TOWN = 5_000
#: Population from which a town listed beside a place ("Decatur and Avondale Estates") is
#: taken as one (if the article's other places are in its country).
LIST_TOWN = 1_000


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
        self.gazetteer = _GazetteerHandle(gazetteer_path)
        self.relabel_min_population = relabel_min_population
        self.small_town = small_town
        self.embedded_town = embedded_town
        self.list_town = list_town
        self.not_places = {key(n) for n in load_supplement().get("not_places", [])}
        self.major = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.major.add("MAJOR", [nlp.make_doc(n) for n in major_names()])

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
            if span is None or ent.label_ in _NOT_NAMES:
                continue
            if ent.ent_id_:
                if not (span[0].lower_.removesuffix("ern") in DIRECTIONS and len(span) > 1
                        and span[1].text[:1].isupper() and span[0].text[:1].islower()):
                    spans.append((span, ent.ent_id_))
                    continue
                span = Span(doc, span.start + 1, span.end, label=span.label_)
            if ent.label_ in PLACE_LABELS and _ORG_WORDS.search(span.text):
                # "Alachua County Sheriff's Office" (GPE): an organisation, named after a place
                inside = self._embedded(span, ctx)
                ctx.inside_orgs.update((s.start, s.end) for s in inside)
                spans += [(s, None) for s in inside]
                continue
            for part in _comma_parts(span) if ent.label_ in PLACE_LABELS else [span]:
                if self.is_place(part, ctx):
                    spans.append((part, None))
            if ent.label_ in ("ORG", "FAC"):
                spans += [(s, None) for s in self._embedded(span, ctx)]
        spans += [(s, None) for s in doc.spans.get("storymap_datelines", [])
                  if not ctx.person(s)]
        spans += [(s, None) for s in self._major_names(doc, ctx)]
        spans += [(s, None) for s in self._after_prepositions(doc, ents, ctx)
                  if self.is_place(s, ctx)]
        spans += [(s, None) for s in self._qualified(doc, ents)]
        spans += [(s, None) for s in self._before_sites(doc, ents, ctx)]
        spans += [(s, None) for s in self._natural_features(doc, ents, ctx)]
        spans += [(s, None) for s in _abbreviations(doc, [s for s, _ in spans])]
        spans += [(s, None) for s in self._list_members(doc, spans, ctx)]
        spans = [(s, h) for s, h in spans if not _NAMED_AFTER.match(ctx.text, s.end_char)
                 and not ctx.media & set(range(s.start, s.end))
                 and not ctx.agencies & set(range(s.start, s.end))]
        spans += [(s, None) for s in self._same_name_elsewhere(doc, spans, ctx)]
        chosen = {(s.start, s.end): hint for s, hint in spans}
        out = []
        for s in filter_spans([s for s, _ in spans]):
            longer = self._longest(s)
            hint = chosen[(s.start, s.end)] if longer is s else None
            longer, unit = self._with_unit(longer, hint)
            out.append((longer.start_char, longer.end_char, "UNIT" if unit else longer.label_,
                        hint, False, ctx.embedded(longer) and longer.start not in ctx.datelines))
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
        if _is_acronym(text) and not self._is_country_abbreviation(text, span):
            return False  # "SANA", "HTS", "AP": agencies and groups, unless "US", "UAE"
        if self._only_state_abbreviation(text) and not _ap_abbreviation_in_context(span):
            return False  # "La" in "La Paz" is no Louisiana; "Ga." after "Atlanta," is
        if all(t.lower_.removesuffix("ern") in DIRECTIONS for t in span):
            return False  # "North East", "Central": a direction, not a name
        if span.label_ in ("GPE", "LOC", "PREP"):
            return True
        if ctx is not None and key(text) in ctx.never_places and not self._names_region(text):
            return False
        return self._names_big_place(text)

    def _names_big_place(self, text: str) -> bool:
        """A country, region or city of 100,000 (by its own name; a former name such as
        "Calcutta" must be a city of a million)."""
        return any(c.kind != "city" or c.population >= (
            self.relabel_min_population if c.main_name else 10 * self.relabel_min_population)
                   for c in self.gazetteer().lookup(text) if not c.abbreviation)

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

    def _names_region(self, text: str) -> bool:
        return any(c.kind in ("country", "region", "continent") and not c.abbreviation
                   for c in self.gazetteer().lookup(text))

    def _is_big(self, text: str) -> bool:
        """A country, region, continent or city of 100,000: too big to be a first name's
        accident ("Georgia", "Jordan", "Paris")."""
        return any(c.kind != "city" or c.population >= self.relabel_min_population
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
            if _ORG_WORDS.search(org[n:].text) and not _ORG_WORDS.search(head.text) and \
                    self._names_town(head.text) and \
                    not (n == 1 and ctx.written_lower(head.text)):
                return [Span(org.doc, head.start, head.end, label="GPE")]
        return []

    def _names_town(self, text: str) -> bool:
        """A town by its own name, big enough that a public body named after it ("DeKalb
        Police", "Lancaster University") is more likely its than a founder's."""
        return any(c.kind == "city" and c.main_name and c.population >= self.embedded_town
                   for c in self.gazetteer().lookup(text))

    def _major_names(self, doc: Doc, ctx: _Context) -> list[Span]:
        """Country, continent and US state names the model missed or buried in an
        organisation's name ("SOS Children's Villages Sudan"), never inside a person's."""
        out = []
        for _, s, e in self.major(doc):
            span = Span(doc, s, e, label="GPE")
            if ctx.people & set(range(s, e)):
                continue
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
        for joined, start, end in _after_words(doc):
            name = doc[start + 1:end]
            if len(name) > 3 or labelled & set(range(name.start, name.end)) or \
                    name.text in _MONTHS:
                continue
            if joined and start - 1 not in places:
                continue  # "Darfur and Malakal": only a place's partner is a place
            if self._names_big_place(name.text):
                out.append(Span(doc, name.start, name.end, label="GPE"))
            elif any(c.kind == "city" and c.main_name and c.population >= self.small_town
                     for c in self.gazetteer().lookup(name.text)):
                out.append(Span(doc, name.start, name.end, label="PREP"))
        return out

    def _list_members(self, doc: Doc, spans: list[tuple[Span, str | None]],
                      ctx: _Context) -> list[Span]:
        """"Suba, Migori, Homa Bay and Rongo", "Hamilton and Middletown": the other names of
        a list (joined by commas, "and", "or") one of whose names is a place are places too
        where the gazetteer knows them: a country, region or city of 100,000 as such, a
        smaller town if the article's other places are in its country (label PREP)."""
        sure = [s for s, _ in spans if s.label_ in ("GPE", "LOC")]
        taken = {i for s in sure for i in range(s.start, s.end)}
        out, seen = [], set()
        for s in sure:
            for a, b in _listed_with(doc, s.start, s.end):
                if (a, b) in seen or taken.intersection(range(a, b)):
                    continue
                seen.add((a, b))
                span = Span(doc, a, b, label="PREP")
                if span.text in _MONTHS or not self.is_place(span, ctx):
                    continue
                if self._names_big_place(span.text):
                    out.append(Span(doc, a, b, label="GPE"))
                elif any(c.kind == "city" and c.main_name and c.population >= self.list_town
                         for c in self.gazetteer().lookup(span.text)):
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
            if t.i == 0 or not (t.is_lower or t.lower_ in _FEATURE_ONLY):
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
        """"the Pirbright laboratory", "Randwick racecourse", "Kenya's Dadaab camps": a
        name the model labelled as something else (or not at all), right before a
        lower-case word for a site, names the town the site is at when the gazetteer has
        one. Unsure (label PREP): the resolver takes it only in a country the article
        names; a word the article also writes in lower case is no name ("Police station")."""
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
                    key(name.text) in self.not_places:
                continue
            if any(c.kind in ("city", "region") for c in self.gazetteer().lookup(name.text)):
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
                if ctx.person(span) or _NAMED_AFTER.match(ctx.text, span.end_char) or \
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
        """"East Java", "West Bengal": take a direction word before the name into it when the
        longer name is in the gazetteer (the shorter one is then a different place)."""
        if span.start == 0 or span.label_ == "FAC":
            return span
        prev = span.doc[span.start - 1]
        if prev.text not in NAME_PREFIXES:
            return span
        longer = span.doc[span.start - 1:span.end]
        if any(c.main_name or c.kind == "region" for c in self.gazetteer().lookup(longer.text)):
            return Span(span.doc, longer.start, longer.end, label=span.label_)
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
        for e in ents:
            if e.label_ in ("ORG", "FAC", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT"):
                for i in range(e.start, e.end):
                    self.orgs[i] = e
        self.media = {i for e in ents if e.label_ in ("ORG", "WORK_OF_ART") and _MEDIA.search(e.text)
                      for i in range(e.start, e.end)}
        self.datelines = {s.start for s in doc.spans.get("storymap_datelines", [])}
        self.inside_orgs: set[tuple[int, int]] = set()
        self.agencies = {i for s in doc.spans.get("storymap_agencies", [])
                         for i in range(s.start, s.end)}
        place_ends = {e.end: e for e in ents if e.label_ in PLACE_LABELS}
        self.agencies |= {i for e in ents if e.label_ in ("ORG", "GPE", "NORP", "PERSON")
                          and _parenthesised(e) for i in range(e.start, e.end)
                          if _is_credit(e) and not _abbreviates(e, place_ends.get(e.start - 1))}
        # persons' name parts: surnames (and whole names) block any place; first names
        # block only small places ("Olivia", not "Georgia"); a one-word PERSON entity that
        # is a big place is the model's mistake ("Sri Lanka's", "Alexandria" police)
        # a name the model reads as an organisation or a person at every one of three or
        # more mentions ("Lincoln visited", "a Lincoln impersonator") is not the city there
        # (a state or country still is: "Guerrero")
        senses: dict[str, set[str]] = {}
        for e in ents:
            senses.setdefault(key(e.text), set()).add(e.label_)
        counts = Counter(key(e.text) for e in ents)
        self.never_places = {k for k, labels in senses.items() if counts[k] >= 3
                             and labels <= {"ORG", "PERSON"}}
        self.surnames: set[str] = set()
        self.first_names: set[str] = set()
        self.persons = [e for e in ents if e.label_ == "PERSON"]
        for e in self.persons:
            parts = [t for t in e if t.text[:1].isupper() and t.lower_.rstrip(".") not in PERSON_CUES]
            if len(parts) > 1:
                for t in parts[1:]:
                    self.surnames.update(variants(t.text))
                self.first_names.update(variants(parts[0].text))
        self.surnames.update(_titled_surnames(doc))
        self.people = {i for e in ents if e.label_ == "WORK_OF_ART" for i in range(e.start, e.end)}
        for e in self.persons:
            inner = _strip_the(e)
            if inner is not None and len(inner) <= 3 and not (
                    set(variants(inner.text)) & (self.surnames | self.first_names)) and \
                    rules._is_big(inner.text):
                continue  # "Sri Lanka's" (PERSON): a place, judged as one
            self.people.update(range(e.start, e.end))
        self.other_ents = {i for e in ents if e.label_ in (
            "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "LAW",
            "LANGUAGE", "EVENT", "PRODUCT", "WORK_OF_ART") for i in range(e.start, e.end)}

    def person(self, span: Span) -> bool:
        """A person's name or part of one: inside a PERSON entity, after a title or a
        relation word ("Sen.", "his girlfriend"), or a name the article gives a person."""
        doc = span.doc
        if self.people & set(range(span.start, span.end)):
            return True
        vs = variants(span.text)
        if any(v in self.surnames for v in vs):
            return True
        if len(span) == 1 and not self.rules._is_big(span.text):
            prev = doc[span.start - 1] if span.start > 0 else None
            if prev is not None and prev.lower_.rstrip(".") in PERSON_CUES - {"st"}:
                return True
            if any(v in self.first_names for v in vs):
                return True
            nxt = doc[span.end] if span.end < len(doc) else None
            if nxt is not None and nxt.lower_ in _SPEECH:
                return True  # "Kristina said": a small town does not speak; a person does
        return False

    def embedded(self, span: Span) -> bool:
        """Named only inside an organisation's name: within a longer ORG entity, or right
        before one ("U.S. National Hurricane Center" tagged as GPE + ORG)."""
        if (span.start, span.end) in self.inside_orgs:
            return True
        org = self.orgs.get(span.start)
        if org is not None and (org.start, org.end) != (span.start, span.end) and \
                org.end >= span.end and not _is_place_itself(org, span):
            return True
        return self.org_at(span.end) and span.doc[span.end - 1].whitespace_ != "" and \
            span.doc[span.end].text[:1].isupper()

    def written_lower(self, word: str) -> bool:
        """The article also writes the word in lower case ("police", "federal"): a common
        word, not a name, where it is capitalised at the head of an organisation's name."""
        return re.search(rf"\b{re.escape(word.lower())}\b", self.text) is not None

    def org_at(self, i: int) -> bool:
        org = self.orgs.get(i)
        return org is not None and org.start == i and org.label_ == "ORG"


#: Person cues that can also stand before a place ("St. Louis", "a town named Lincoln").
_NOT_TITLES = {"st", "named"}


def _titled_surnames(doc: Doc) -> set[str]:
    """"Mrs. Lincoln", "Sen. Barack Obama", "Gov. Perry": the last name after a title or a
    relation word names a person in the whole article ("Lincoln's profile"), whatever
    the model labelled it at each mention."""
    out: set[str] = set()
    lowers = doc.to_array(LOWER).tolist() if len(doc) else []
    for i in (i for i, w in enumerate(lowers[:-1]) if w in _TITLE_IDS):
        j = i + 1
        while j < len(doc) and j - i <= 3 and doc[j].is_title and not doc[j].is_stop:
            j += 1
        if j > i + 1:
            out.update(variants(doc[j - 1].text))
    return out


#: Ids of the lower-case title words, with and without their periods ("mrs", "mrs."):
#: the scan above compares numbers, not a Token per word.
_TITLE_IDS = frozenset(get_string_id(c + dot) for c in PERSON_CUES - _NOT_TITLES
                       for dot in ("", ".", ".."))


_PREPOSITION_IDS = frozenset(get_string_id(w) for w in PREPOSITIONS)
_AND_IDS = frozenset(get_string_id(w) for w in ("and", "or"))


_FEATURE_IDS = frozenset(get_string_id(w) for w in FEATURE_WORDS)
_SITE_IDS = frozenset(get_string_id(w) for w in SITE_NOUNS)


def _words_in(doc: Doc, ids: frozenset[int]) -> list:
    """The tokens whose lower-case form is one of ``ids``: found in the attribute array,
    so only they become Token objects."""
    if not len(doc):
        return []
    return [doc[i] for i, w in enumerate(doc.to_array(LOWER).tolist()) if w in ids]


def _after_words(doc: Doc) -> list[tuple[bool, int, int]]:
    """(joined by "and"/"or", start, end) of each place preposition or "and"/"or" followed
    by one or more title-case words, at every length ("in New", "in New York"): what a
    spaCy ``Matcher`` with ``{"IS_TITLE": True, "OP": "+"}`` finds, in its order, from two
    attribute arrays instead of a Token per word."""
    if not len(doc):
        return []
    rows = doc.to_array([LOWER, IS_TITLE]).tolist()
    out = []
    for i, (word, _) in enumerate(rows):
        joined = word in _AND_IDS
        if joined or word in _PREPOSITION_IDS:
            k = i + 1
            while k < len(rows) and rows[k][1]:
                k += 1
                out.append((joined, i, k))
    return out


def _is_place_itself(org: Span, span: Span) -> bool:
    """An entity that is the place plus a leading "the" or a trailing possessive."""
    inner = _strip_the(org)
    return inner is not None and (inner.start, inner.end) == (span.start, span.end)


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


def _name_right(doc: Doc, i: int) -> int:
    """End of the capitalised name (up to 3 words, not a stop word first) starting at i."""
    j = i
    if i < len(doc) and not doc[i].is_stop:
        while j < len(doc) and j - i < 3 and doc[j].is_title and not doc[j].is_punct:
            j += 1
    return j


def _name_left(doc: Doc, j: int) -> int:
    """Start of the capitalised name (up to 3 words, not a stop word first) ending at j."""
    i = j
    while i > 0 and j - i < 3 and doc[i - 1].is_title and not doc[i - 1].is_punct:
        i -= 1
    while i < j and doc[i].is_stop:
        i += 1
    return i


def _listed_with(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """The names listed with ``doc[start:end]``, joined to it by commas, "and" or "or"
    ("Suba, Migori, Homa Bay and Rongo"), as token ranges."""
    out, i = [], end
    while i < len(doc):  # rightwards: ", X", " and X", ", and X"
        j = i + 1 if doc[i].text == "," or doc[i].lower_ in _AND else i
        if j == i + 1 and doc[i].text == "," and j < len(doc) and doc[j].lower_ in _AND:
            j += 1
        k = _name_right(doc, j) if j > i else j
        if k == j:
            break
        out.append((j, k))
        i = k
    i = start
    while i > 0:  # leftwards: "X, ", "X and ", "X, and "
        j = i - 1 if doc[i - 1].text == "," or doc[i - 1].lower_ in _AND else i
        if j == i - 1 and doc[j].lower_ in _AND and j > 0 and doc[j - 1].text == ",":
            j -= 1
        k = _name_left(doc, j) if j < i else j
        if k == j:
            break
        out.append((k, j))
        i = k
    return out


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


def _directional(doc: Doc, places: list[tuple], rules: PlaceRules) -> list[tuple]:
    """"northeastern Syria", "East Texas": an area of a country or state. Widen such
    mentions to the direction word and hint it (``direction:NE``), unless the whole is a
    name of its own ("West Virginia", "South Africa")."""
    text = doc_text(doc)
    out = []
    for p in places:
        start, end, label, hint, gov, emb = p
        if label in ("GPE", "LOC") and hint is None:
            words = text[start:end].split(None, 1)
            head = _DIRECTION.match(words[0]) if len(words) == 2 else None
            if head and head.end() == len(words[0]) and _is_region(rules, words[1]) and \
                    not _whole_name(rules, text[start:end]):
                d = _direction_code(words[0])
                if d:
                    out.append((start, end, "AREA", f"direction:{d}", gov, emb))
                    continue
            before = text[max(0, start - 20):start]
            head = _DIRECTION.search(before)
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


def _whole_name(rules: PlaceRules, name: str) -> bool:
    """"West Virginia", "South Sudan", "West Java" (Jawa Barat): a place's own name, or
    another name of a country or province, is no direction plus a place."""
    return any(c.main_name or c.kind in ("country", "region") and c.feature.startswith("ADM")
               for c in rules.gazetteer().lookup(name))


def _is_region(rules: PlaceRules, name: str) -> bool:
    return any(c.kind in ("country", "region", "continent") and c.main_name
               for c in rules.gazetteer().lookup(name))


def _direction_code(word: str) -> str | None:
    d = re.sub(r"ern$", "", word.lower().replace("-", "").replace(" ", ""))
    return DIRECTIONS.get(d)


# --------------------------------------------------------------------------- government


@Language.component("storymap_government")
def government(doc: Doc) -> Doc:
    """Flags place mentions that stand for a government: the subject of a speech or
    decision verb ("Moscow said", "Washington has offered", "the Kremlin confirmed"), a
    possessive before an official noun ("Moscow's envoy"), or a seat of power
    ("the Kremlin") in either position; never an area or a place inside an organisation."""
    places = doc._.storymap_places or []
    text = doc_text(doc) if places else ""
    doc.user_data.pop(_TEXT, None)  # the last component: the doc goes out as it came
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
    ("talks at the Kremlin")."""
    if key(text[start:end]) not in SEATS_OF_POWER:
        return False
    before = text[max(0, start - 16):start].lower().split()
    while before and before[-1] in ("the",):
        before.pop()
    return not (before and before[-1] in _LOCATIVE)


_SPEECH = {"said", "says", "told", "added", "explained", "recalled", "wrote", "laughed"}
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
    if toks[0].lower_ in ("'s", "\u2019s"):
        return len(toks) > 1 and toks[1].lower_ in OFFICIAL_NOUNS
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


__all__ = ["Datelines", "FocusedNER", "NER_MODEL", "PlaceRules", "doc_text", "government",
           "make_doc", "sentences", "share_gazetteer"]
