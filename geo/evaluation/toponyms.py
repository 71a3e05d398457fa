"""Toponyms of plain texts in the benchmark format: ``{"id", "toponyms": [{start, end, name, lat, lon}]}``.

    >>> from geo.evaluation.toponyms import Toponymizer
    >>> tz = Toponymizer(pipeline)                          # doctest: +SKIP
    >>> tz.parse_docs([{"id": "1", "text": "Flooding hit Dhaka."}])   # doctest: +SKIP
    [{'id': '1', 'toponyms': [{'start': 13, 'end': 18, 'name': 'Dhaka', 'lat': 23.7, 'lon': 90.4}]}]

Unlike the story map, a toponym is the place *name*: "northeastern Syria" is reported as
"Syria" at Syria's point, "Hebei province" as "Hebei" (a lower-case unit word is no part
of the name; "Anderson County" keeps its capitalised one), a country's adjective
("Syrian") counts as the country where ``demonyms=True`` (some corpora annotate them, as
LGL does), and so do places named inside an organisation's name ("Alachua County
Sheriff's Office") where ``organisations=True``: names in the text, though not places of
the story (the story map leaves them out). A seat of power standing for its government
("the Kremlin said") is none.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from geo.models import Article, Mention, Place
from geo.pipeline import Pipeline
from geo.recognition.places import AIRPORT_NAME
from geo.recognition.recogniser import Recognised
from geo.recognition.words import AT_ITS_TOWN
from geo.resolution.gazetteer import demonyms
from geo.resolution.names import key

#: Report places named inside organisations' names: both gold corpora count them (on the
#: dev halves, LGL F1 .776 with them, .714 without; GeoVirus .903 and .904).
ORGANISATIONS = True


class Toponymizer:
    """Runs the pipeline's recogniser and resolver over benchmark documents."""

    def __init__(self, pipeline: Pipeline, *, demonyms: bool = False,
                 organisations: bool = ORGANISATIONS) -> None:
        self.pipeline = pipeline
        self.demonyms = _demonym_places(pipeline) if demonyms else {}
        self.organisations = organisations

    def parse_docs(self, docs: Iterable[dict], batch_size: int = 16,
                   n_process: int | None = None) -> Iterator[dict]:
        """One output line per input line, in order; recognised and resolved in
        ``n_process`` forked processes (``None``: one per core, see ``geo.parallel``)."""
        from geo.parallel import fork_map, reopen_gazetteers

        articles = [Article(id=str(d["id"]), text=str(d.get("text") or ""), source="")
                    for d in docs]
        p = self.pipeline
        return fork_map(self.parse_articles, articles, n_process, chunk=batch_size,
                        after_fork=lambda: reopen_gazetteers(p.recogniser, p.resolver))

    def parse_articles(self, articles: Sequence[Article]) -> list[dict]:
        """Benchmark lines of a batch of articles, in this process."""
        return [{"id": rec.article.id, "toponyms": self.toponyms(rec)}
                for rec in self.pipeline.recogniser.pipe(articles, batch_size=len(articles) or 1)]

    def toponyms(self, rec: Recognised) -> list[dict]:
        mentions = [_inner(m) for m in rec.mentions]
        if self.organisations:
            mentions = sorted(mentions + [_inner(m) for m in rec.embedded],
                              key=lambda m: m.start)
        rec = replace(rec, mentions=tuple(mentions), embedded=())
        out = [_toponym(m, p) for m, p in self.pipeline.resolver(rec)
               if not _seat(m, p) and not _airport(m, p)]
        if self.demonyms:
            out += self._demonym_toponyms(rec)
        return sorted(out, key=lambda t: t["start"])

    def _demonym_toponyms(self, rec: Recognised) -> list[dict]:
        taken = [(m.start, m.end) for m in rec.mentions]
        out = []
        for start, end, text in rec.norps:
            place = self.demonyms.get(key(text))
            if place and not any(s < end and start < e for s, e in taken):
                out.append(_toponym(Mention(rec.article.id, start, end, text, "NORP"), place))
        return out


def _demonym_places(pipeline: Pipeline) -> dict[str, Place]:
    gaz = pipeline.resolver.gazetteer
    out = {}
    for k, cc in demonyms().items():
        c = gaz.country(cc)
        if c is not None:
            out[k] = Place(id=c.id, name=c.name, kind="country", lat=c.lat, lon=c.lon,
                           country_code=cc)
    return out


#: "sub-Saharan Africa": an adjective before a place's own name.
_SUB_ADJECTIVE = re.compile(r"[Ss]ub-\w+\s+[A-Z]")


def _inner(m: Mention) -> Mention:
    """The place name inside a directional area ("northeastern Syria" -> "Syria"), a
    venue or a port named after its town ("Manchester Arena", "Port of Beirut"), after a
    "sub-" adjective ("sub-Saharan Africa" -> "Africa": LGL and GeoVirus both annotate the
    continent) or before a lower-case unit word ("Hebei province" -> "Hebei")."""
    if m.label == "UNIT" and " " in m.text and m.text.rsplit(" ", 1)[1].islower():
        name = m.text.rsplit(" ", 1)[0]
        return Mention(m.article_id, m.start, m.start + len(name), name, "GPE")
    # "Manchester Arena", "Port of Beirut": the town's name, as where the venue is an
    # organisation's ("Lancaster University")
    site = next(filter(None, (f.match(m.text) for f in AT_ITS_TOWN)), None) \
        if m.label == "FAC" else None
    if site is not None:
        start, end = site.span("town")
        return Mention(m.article_id, m.start + start, m.start + end, site["town"], "GPE")
    if _SUB_ADJECTIVE.match(m.text):
        cut = m.text.index(" ") + 1
        return Mention(m.article_id, m.start + cut, m.end, m.text[cut:], "LOC")
    if m.label != "AREA" or not (m.hint or "").startswith("direction:"):
        return m
    cut = m.text.index(" ") + 1
    return Mention(m.article_id, m.start + cut, m.end, m.text[cut:], "GPE")


def _seat(m: Mention, p: Place | None) -> bool:
    """"The White House said": a building standing for its government (placed with the
    country on the story map) names no place in the text, so it is no toponym."""
    return m.government and p is not None and p.kind == "country" and \
        bool(m.candidates) and m.candidates[0].kind == "facility"


def _airport(m: Mention, p: Place | None) -> bool:
    """"London International Airport": neither LGL nor GeoVirus counts an airport's name as
    a toponym (the story map shows the airport, or lists one it cannot place)."""
    return p.feature == "AIRP" if p is not None else \
        m.label == "FAC" and AIRPORT_NAME.search(m.text) is not None


def _toponym(m: Mention, p: Place | None) -> dict:
    """A mention that found no place keeps its span, with null coordinates."""
    return {"start": m.start, "end": m.end, "name": m.text,
            "lat": round(p.lat, 5) if p else None, "lon": round(p.lon, 5) if p else None}
