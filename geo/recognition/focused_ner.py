"""``storymap_focused_ner``: the model's NER, run only where a place name can be."""
from __future__ import annotations

from collections.abc import Set as AbstractSet

from spacy.attrs import ENT_IOB, ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from geo.recognition.docs import GazetteerHandle
from geo.recognition.words import PLACE_LABELS, PREPOSITION_SET
from geo.resolution.gazetteer import demonyms
from geo.resolution.names import key

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
    (before, after) tokens of capitalised words (not stop words) that the gazetteer knows
    ("Texas", "Kuala Lumpur"), of a capitalised word after a place preposition ("near Kafr
    Nabl": a place the gazetteer lacks) or a country's adjective ("Syrian"), or of a curated
    name the ``entity_ruler`` found. Elsewhere ("the man said it was raining", "According
    to John Smith") no place is taken from the model. The NER's own tok2vec sees 4 tokens
    either side, so with a window of 4 a name's own vectors are the full model's, and with
    3 before and 2 after (the recogniser's, ``geo.recognition.recogniser.NER_WINDOW``)
    nearly so: "The US Geological Survey" is still seen as an organisation (with 2 before
    or 1 after it is not). The parse costs what its tokens cost: these cues and window keep
    28% of LGL's tokens where every capitalised word and 3 either side kept 46%, with F1
    and acc@161 on the dev halves of LGL and GeoVirus within .001. A document that is
    mostly candidates (``full_share``) is parsed whole; a window of (0, 0) always parses
    whole.

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
        self.gazetteer = GazetteerHandle(gazetteer_path)
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
                else _PREPOSITION if lower in PREPOSITION_SET else 0)
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


def _copy_entities(doc: Doc, sub: Doc, index: list[int],
                   skip: AbstractSet[int] = frozenset()) -> None:
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


__all__ = ["FocusedNER", "NER_MODEL"]
