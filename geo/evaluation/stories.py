"""Story-level evaluation: is the map right for a reader's story?

A *story set* is a folder of stories, each a folder of articles (``.txt``/``.md`` with front
matter, read by :func:`geo.ingest.articles.load_corpus`) plus a hand-written ``gold.yaml``::

    data/stories/<split>/<story_slug>/NN_<outlet>.txt
    data/stories/<split>/<story_slug>/gold.yaml

``gold.yaml`` lists the places a reader needs on the map (``must_places``, each with
``name``, ``lat``, ``lon``, ``tolerance_km`` and optional ``aliases``), places that may
appear without being wrong (``may_places``: the same mappings, or a bare name when any
position will do), and words of the texts that must never become markers (``not_places``:
people, agencies, organisations). See ``data/stories/README.md``.

Scoring (one story map against its gold):

- A must-place is **found** when some story place lies within ``tolerance_km`` of it *and*
  one of that place's quotes has a surface text equal to the must-place's name or one of
  its aliases. Surface texts and names are compared after :func:`normalise` (case,
  accents, a leading "the", a trailing "'s" and administrative unit words such as
  "province" are ignored). A miss is explained: *misplaced* (the name was placed, but too
  far away), *unresolved* (recognised, never placed), *other-name* (a place within
  tolerance has a surface text sharing a word with the name, e.g. "Yongkang District" for
  Tainan, but not the name itself), or *not recognised*.
- A story place is a **false marker** when every one of its surface texts is listed in
  ``not_places`` (an agency or a person on the map, wherever it lands), or when it lies
  within tolerance of no must-place nor positioned may-place and none of its surface
  texts is a bare-name may-place or whole words of one ("Atlantic" of "tropical
  Atlantic": a bare name is written as the text has it, the recogniser may take its
  proper-noun part).

    >>> from geo.evaluation.stories import evaluate_stories, format_report
    >>> report = evaluate_stories("data/stories")          # doctest: +SKIP
    >>> print(format_report(report))                       # doctest: +SKIP

Command line (``python -m geo.evaluation.stories DIR [--split dev|test] [--json OUT]``), or through
:func:`main`. ``DIR`` may be the whole set, one split, or one story folder.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from geo.models import StoryMap, StoryPlace
from geo.paths import DATA
from geo.resolution.features import feature_base, unit_base

GOLD_FILE = "gold.yaml"
SPLITS = ("dev", "test")
DEFAULT_ROOT = DATA / "stories"

#: Words naming the kind of an administrative unit: "Hatay province" is "Hatay".
UNIT_WORDS = ("province", "provinces", "region", "district", "department", "county", "state",
              "municipality", "prefecture", "governorate", "city")
#: Letters that Unicode decomposition leaves alone.
_FOLD = str.maketrans({"ı": "i", "ø": "o", "æ": "ae", "ð": "d", "þ": "th", "ł": "l", "đ": "d",
                       "ß": "ss", "’": "'", "‘": "'", "`": "'"})
#: Lower-case direction words before a name ("central Kahramanmaras", "northern France") are
#: dropped; capitalised ones are part of the name ("South Island", "North Korea").
_DIRECTION_RE = re.compile(r"^(?:(?:north|south)[- ]?(?:east|west)(?:ern)?|northern|southern|"
                           r"eastern|western|central|north|south|east|west)\s+(?=\S)")
_UNIT_RE = re.compile(rf"^(?:(?:the\s+)?(?:{'|'.join(UNIT_WORDS)})\s+of\s+)|"
                      rf"\s+(?:{'|'.join(UNIT_WORDS)})$")


class GoldError(ValueError):
    """A ``gold.yaml`` that is not well-formed; the message names the file and the entry."""


# --------------------------------------------------------------------------- gold


@dataclass(frozen=True)
class GoldPlace:
    """A gold place. ``lat``/``lon``/``tolerance_km`` are ``None`` for a bare-name may-place."""

    name: str
    lat: float | None = None
    lon: float | None = None
    tolerance_km: float | None = None
    aliases: tuple[str, ...] = ()

    @property
    def positioned(self) -> bool:
        return self.lat is not None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Gold:
    story: str
    must: tuple[GoldPlace, ...]
    may: tuple[GoldPlace, ...] = ()
    not_places: tuple[str, ...] = ()
    path: str | None = None


def _place(entry: Any, where: str, *, bare_ok: bool) -> GoldPlace:
    if isinstance(entry, str) and bare_ok:
        if not entry.strip():
            raise GoldError(f"{where}: empty name")
        return GoldPlace(entry.strip())
    if not isinstance(entry, dict):
        raise GoldError(f"{where}: expected a mapping with name, lat, lon, tolerance_km")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise GoldError(f"{where}: 'name' must be a non-empty string")
    where = f"{where} ({name})"
    try:
        lat, lon, tol = (float(entry[k]) for k in ("lat", "lon", "tolerance_km"))
    except KeyError as exc:
        raise GoldError(f"{where}: missing {exc.args[0]!r}") from None
    except (TypeError, ValueError):
        raise GoldError(f"{where}: lat, lon and tolerance_km must be numbers") from None
    if not -90 <= lat <= 90 or not -180 <= lon <= 180:
        raise GoldError(f"{where}: coordinates ({lat}, {lon}) out of range")
    if not tol > 0:
        raise GoldError(f"{where}: tolerance_km must be > 0")
    aliases = entry.get("aliases") or ()
    if isinstance(aliases, str) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise GoldError(f"{where}: 'aliases' must be a list of names")
    unknown = set(entry) - {"name", "lat", "lon", "tolerance_km", "aliases", "note"}
    if unknown:
        raise GoldError(f"{where}: unknown keys {sorted(unknown)}")
    return GoldPlace(name.strip(), lat, lon, tol, tuple(a.strip() for a in aliases))


def parse_gold(data: Any, path: str = GOLD_FILE) -> Gold:
    """A :class:`Gold` from parsed YAML; raises :class:`GoldError` naming what is wrong."""
    if not isinstance(data, dict):
        raise GoldError(f"{path}: expected a mapping")
    must_raw = data.get("must_places")
    if not isinstance(must_raw, list) or not must_raw:
        raise GoldError(f"{path}: 'must_places' must be a non-empty list")
    must = tuple(_place(e, f"{path}: must_places[{i}]", bare_ok=False)
                 for i, e in enumerate(must_raw))
    may_raw = data.get("may_places") or []
    if not isinstance(may_raw, list):
        raise GoldError(f"{path}: 'may_places' must be a list")
    may = tuple(_place(e, f"{path}: may_places[{i}]", bare_ok=True) for i, e in enumerate(may_raw))
    not_raw = data.get("not_places") or []
    if not isinstance(not_raw, list) or not all(isinstance(n, str) and n.strip() for n in not_raw):
        raise GoldError(f"{path}: 'not_places' must be a list of names")
    seen: dict[str, str] = {}
    for p in must + may:
        for n in p.names:
            key = normalise(n)
            if key in seen and seen[key] != p.name:
                raise GoldError(f"{path}: {n!r} names both {seen[key]!r} and {p.name!r}")
            seen[key] = p.name
    for n in not_raw:
        if normalise(n) in seen:
            raise GoldError(f"{path}: {n!r} is both a gold place and a not_place")
    story = data.get("story")
    if not isinstance(story, str) or not story.strip():
        raise GoldError(f"{path}: 'story' must be a non-empty string")
    return Gold(story.strip(), must, may, tuple(n.strip() for n in not_raw), path)


def load_gold(path: str | Path) -> Gold:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise GoldError(f"{path}: not valid YAML ({exc.__class__.__name__})") from None
    return parse_gold(data, str(path))


# --------------------------------------------------------------------------- matching


def normalise(text: str) -> str:
    """Comparable form of a place name: no case, accents, leading "the", trailing "'s",
    administrative unit word or lower-case direction word ("Hatay province", "the city of
    Tainan", "central Kahramanmaras" -> "hatay", "tainan", "kahramanmaras")."""
    text = _DIRECTION_RE.sub("", text.strip())
    s = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = re.sub(r"[\s\-‐‑–—]+", " ", s).strip(" .,;:\"'()")
    s = re.sub(r"^the\s+", "", s)
    s = re.sub(r"'s?$", "", s).strip()
    bare = _UNIT_RE.sub("", s).strip()
    return bare or s


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _distance(sp: StoryPlace, gp: GoldPlace) -> float:
    return km(sp.place.lat, sp.place.lon, gp.lat, gp.lon)  # type: ignore[arg-type]


def _within_words(text: str, phrase: str) -> bool:
    """``text`` is ``phrase`` or a run of its whole words (both normalised)."""
    return f" {text} " in f" {phrase} "


def _surfaces(sp: StoryPlace) -> set[str]:
    return {normalise(q.text) for q in sp.quotes}


def _words(sp: StoryPlace) -> set[str]:
    return {w for s in _surfaces(sp) for w in s.split() if len(w) > 2}


def _name_words(gp: GoldPlace) -> set[str]:
    return {w for n in gp.names for w in normalise(n).split() if len(w) > 2}


# --------------------------------------------------------------------------- scores


@dataclass
class Miss:
    name: str
    reason: str       # misplaced | unresolved | other-name | not-recognised
    detail: str


@dataclass
class FalseMarker:
    name: str
    kind: str
    lat: float
    lon: float
    aliases: list[str]
    reason: str       # not-a-place | off-gold
    detail: str


@dataclass
class QuoteProblem:
    article: str
    text: str
    issue: str        # offset | highlight | cut-word | line-break
    sentence: str


@dataclass
class StoryScore:
    split: str
    slug: str
    story: str
    articles: int
    sources: list[str]
    needed: int
    found: list[str]
    misses: list[Miss]
    markers: int
    false_markers: list[FalseMarker]
    quote_problems: list[QuoteProblem] = field(default_factory=list)
    quotes: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return len(self.found) / self.needed if self.needed else 1.0


@dataclass
class Report:
    root: str
    stories: list[StoryScore]

    def totals(self, split: str | None = None) -> dict[str, Any]:
        chosen = [s for s in self.stories if split is None or s.split == split]
        needed = sum(s.needed for s in chosen)
        found = sum(len(s.found) for s in chosen)
        markers = sum(s.markers for s in chosen)
        false = sum(len(s.false_markers) for s in chosen)
        return {"stories": len(chosen), "articles": sum(s.articles for s in chosen),
                "quotes": sum(s.quotes for s in chosen),
                "quote_problems": sum(len(s.quote_problems) for s in chosen),
                "needed": needed, "found": found, "recall": found / needed if needed else None,
                "markers": markers, "false_markers": false,
                "false_rate": false / markers if markers else None}

    def to_dict(self) -> dict[str, Any]:
        splits = sorted({s.split for s in self.stories})
        return {"root": self.root,
                "totals": {**{sp: self.totals(sp) for sp in splits}, "all": self.totals()},
                "stories": [{**asdict(s), "recall": s.recall} for s in self.stories]}


def score_story(story: StoryMap, gold: Gold, *, split: str = "", slug: str = "") -> StoryScore:
    """Score one story map against its gold (pure: no spaCy, no files)."""
    places = list(story.places)
    found: list[str] = []
    misses: list[Miss] = []
    # an unplaced "Katla volcano" or "Hebei province" is an unplaced "Katla", "Hebei"
    unresolved = {normalise(t) for m in story.unresolved
                  for t in (m.text, feature_base(m.text), unit_base(m.text)) if t}
    for gp in gold.must:
        names = {normalise(n) for n in gp.names}
        near = [sp for sp in places if _distance(sp, gp) <= gp.tolerance_km]  # type: ignore[operator]
        if any(_surfaces(sp) & names for sp in near):
            found.append(gp.name)
            continue
        named = [sp for sp in places if _surfaces(sp) & names]
        if named:
            sp = min(named, key=lambda p: _distance(p, gp))
            misses.append(Miss(gp.name, "misplaced",
                               f"placed at {sp.place.name} ({sp.place.kind}, {sp.place.lat:.2f}, "
                               f"{sp.place.lon:.2f}), {_distance(sp, gp):,.0f} km away"))
        elif names & unresolved:
            misses.append(Miss(gp.name, "unresolved", "recognised but not placed"))
        elif near_named := [p for p in near if _words(p) & _name_words(gp)]:
            sp = min(near_named, key=lambda p: _distance(p, gp))
            misses.append(Miss(gp.name, "other-name",
                               f"{sp.place.name} lies {_distance(sp, gp):,.0f} km away but is "
                               f"named {', '.join(repr(a) for a in sp.aliases)}"))
        else:
            misses.append(Miss(gp.name, "not-recognised",
                               "no mention of it was placed or left unplaced"))

    banned = {normalise(n) for n in gold.not_places}
    positioned = [gp for gp in gold.must + gold.may if gp.positioned]
    bare = {normalise(n) for gp in gold.may if not gp.positioned for n in gp.names}
    false: list[FalseMarker] = []
    for sp in places:
        surfaces = _surfaces(sp)
        marker = dict(name=sp.place.name, kind=sp.place.kind, lat=round(sp.place.lat, 4),
                      lon=round(sp.place.lon, 4), aliases=list(sp.aliases))
        if surfaces and surfaces <= banned:
            false.append(FalseMarker(**marker, reason="not-a-place",
                                     detail="every surface form is in not_places"))
            continue
        if any(_distance(sp, gp) <= gp.tolerance_km for gp in positioned):  # type: ignore[operator]
            continue
        if any(_within_words(t, b) for t in surfaces for b in bare):
            continue
        nearest = min(positioned, key=lambda gp: _distance(sp, gp), default=None)
        detail = (f"nearest gold place {nearest.name} is {_distance(sp, nearest):,.0f} km away"
                  if nearest else "the gold has no positioned place")
        false.append(FalseMarker(**marker, reason="off-gold", detail=detail))

    quotes = [q for sp in places for q in sp.quotes]
    return StoryScore(split=split, slug=slug, story=gold.story, articles=len(story.articles),
                      sources=list(story.sources), needed=len(gold.must), found=found,
                      misses=misses, markers=len(places), false_markers=false,
                      quote_problems=quote_problems(story), quotes=len(quotes))


def _cuts_a_word(text: str, q: Any) -> bool:
    """The quoted window starts or ends inside a word of the article."""
    s0, s1 = q.sentence_start, q.sentence_start + len(q.sentence)
    return ((0 < s0 < len(text) and text[s0 - 1].isalnum() and text[s0].isalnum())
            or (0 < s1 < len(text) and text[s1 - 1].isalnum() and text[s1].isalnum()))


def quote_problems(story: StoryMap) -> list[QuoteProblem]:
    """Quotes a reader would find wrong: the mention is not at its offsets in the article
    (``offset``), the highlight does not cover the mention (``highlight``), the quoted window
    starts or ends inside a word (``cut-word``), or the quoted "sentence" runs across a line
    break, i.e. glues a title, caption or paragraph to the next (``line-break``)."""
    texts = {a.id: a.text for a in story.articles}
    out = []
    for sp in story.places:
        for q in sp.quotes:
            a, b = q.highlight
            if q.article_id in texts and texts[q.article_id][q.start:q.end] != q.text:
                issue = "offset"
            elif q.sentence[a:b] != q.text:
                issue = "highlight"
            elif q.article_id in texts and _cuts_a_word(texts[q.article_id], q):
                issue = "cut-word"
            elif "\n" in q.sentence.strip():
                issue = "line-break"
            else:
                continue
            out.append(QuoteProblem(q.article_id, q.text, issue, q.sentence))
    return out


# --------------------------------------------------------------------------- story set


@dataclass(frozen=True)
class StoryDir:
    split: str
    slug: str
    path: Path


def find_stories(root: str | Path, split: str | None = None) -> list[StoryDir]:
    """Story folders under ``root``: the whole set (``root/<split>/<slug>/gold.yaml``), one
    split folder, or one story folder. Sorted by split, then slug."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: no such folder")
    if (root / GOLD_FILE).is_file():
        dirs = [root]
    else:
        dirs = sorted(p.parent for p in root.glob(f"*/{GOLD_FILE}"))
        dirs += sorted(p.parent for p in root.glob(f"*/*/{GOLD_FILE}"))
    out = []
    for d in dirs:
        sp = d.parent.name if d.parent.name in SPLITS else ""
        if split is None or sp == split:
            out.append(StoryDir(sp, d.name, d))
    return sorted(out, key=lambda s: (s.split, s.slug))


def _article_problems(problems: Iterable[Exception]) -> list[str]:
    """The loader's complaints, less the one about ``gold.yaml`` not being an article."""
    return [str(p) for p in problems
            if Path(str(getattr(p, "path", "") or "")).name != GOLD_FILE]


def story_problems(story_dir: str | Path) -> list[str]:
    """Why a story folder is not a well-formed evaluation story (empty list when it is):
    a readable gold, at least 3 articles, at least 2 distinct sources, articles with
    titles and urls."""
    from geo.ingest.articles import load_corpus

    story_dir = Path(story_dir)
    problems: list[str] = []
    try:
        load_gold(story_dir / GOLD_FILE)
    except (GoldError, OSError) as exc:
        problems.append(str(exc))
    loaded = load_corpus(story_dir)
    problems += _article_problems(loaded.problems)
    if len(loaded.articles) < 3:
        problems.append(f"{story_dir}: {len(loaded.articles)} articles; at least 3 needed")
    if len({a.source for a in loaded.articles}) < 2:
        problems.append(f"{story_dir}: fewer than 2 distinct sources")
    for a in loaded.articles:
        if not a.title or not a.url or a.source == a.id:
            problems.append(f"{story_dir}: {a.id} lacks source, title or url in its front matter")
    return problems


def evaluate_stories(root: str | Path = DEFAULT_ROOT, pipeline: Callable[..., StoryMap] | None = None,
                     *, split: str | None = None,
                     progress: Callable[[str], None] | None = None) -> Report:
    """Run ``pipeline`` (default: :meth:`geo.pipeline.Pipeline.load`) on every story under
    ``root`` and score each against its ``gold.yaml``."""
    from geo.ingest.articles import load_corpus

    stories = find_stories(root, split)
    golds = [load_gold(sd.path / GOLD_FILE) for sd in stories]   # a bad gold fails before spaCy
    if pipeline is None:
        from geo.pipeline import Pipeline

        pipeline = Pipeline.load()
    scores = []
    for sd, gold in zip(stories, golds):
        if progress:
            progress(f"{sd.split}/{sd.slug}" if sd.split else sd.slug)
        loaded = load_corpus(sd.path)
        story = pipeline(loaded.articles)
        score = score_story(story, gold, split=sd.split, slug=sd.slug)
        score.problems = _article_problems(loaded.problems)
        scores.append(score)
    return Report(str(root), scores)


# --------------------------------------------------------------------------- report


def _pct(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def format_report(report: Report) -> str:
    """A readable report: each story's misses and false markers, then totals by split."""
    lines = [f"Story evaluation: {report.root}", ""]
    for s in report.stories:
        head = f"[{s.split}] {s.slug}" if s.split else s.slug
        lines.append(f"{head} - {s.story}")
        lines.append(f"  {s.articles} articles, {len(s.sources)} sources "
                     f"({', '.join(s.sources)})")
        lines.append(f"  must-places found {len(s.found)}/{s.needed}; "
                     f"markers {s.markers}, false {len(s.false_markers)}")
        for m in s.misses:
            lines.append(f"    miss   {m.name}: {m.reason} - {m.detail}")
        for f in s.false_markers:
            lines.append(f"    false  {f.name} [{f.kind} {f.lat:.2f},{f.lon:.2f}] "
                         f"as {', '.join(repr(a) for a in f.aliases)}: {f.reason} - {f.detail}")
        if s.quote_problems:
            kinds: dict[str, int] = {}
            for qp in s.quote_problems:
                kinds[qp.issue] = kinds.get(qp.issue, 0) + 1
            lines.append(f"    quotes {len(s.quote_problems)}/{s.quotes} with a problem ("
                         + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) + ")")
            for qp in s.quote_problems[:3]:
                snippet = " ".join(qp.sentence.split())
                snippet = snippet if len(snippet) <= 90 else snippet[:87] + "..."
                lines.append(f"      {qp.issue}: {qp.text!r} in {qp.article}: \"{snippet}\"")
        for p in s.problems:
            lines.append(f"    problem {p}")
        lines.append("")
    lines.append(f"{'split':<6} {'stories':>7} {'articles':>8} {'found/needed':>13} {'recall':>7} "
                 f"{'markers':>8} {'false':>6} {'false/markers':>13} {'bad quotes':>11}")
    splits = sorted({s.split for s in report.stories if s.split})
    for sp in [*splits, None]:
        t = report.totals(sp)
        lines.append(f"{sp or 'all':<6} {t['stories']:>7} {t['articles']:>8} "
                     f"{t['found']:>6}/{t['needed']:<6} {_pct(t['recall']):>7} {t['markers']:>8} "
                     f"{t['false_markers']:>6} {_pct(t['false_rate']):>13} "
                     f"{t['quote_problems']:>5}/{t['quotes']:<5}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``eval-story [DIR] [--split dev|test] [--json OUT]``: print the report; 0 on success,
    1 when a gold file is malformed, 2 on bad usage (no such folder, no stories)."""
    parser = argparse.ArgumentParser(prog="python -m geo eval-story",
                                     description="Score story maps against hand-written gold.")
    parser.add_argument("root", nargs="?", default=str(DEFAULT_ROOT),
                        help="the story set, one split folder, or one story folder")
    parser.add_argument("--split", choices=SPLITS, help="only this split")
    parser.add_argument("--json", metavar="OUT", help="also write the scores as JSON")
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        if not find_stories(args.root, args.split):
            print(f"error: no story folder with a {GOLD_FILE} under {args.root}", file=sys.stderr)
            return 2
        report = evaluate_stories(args.root, split=args.split,
                                  progress=lambda s: print(f"story {s}", file=sys.stderr,
                                                           flush=True))
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except GoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(format_report(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report.to_dict(), indent=1, ensure_ascii=False),
                                   encoding="utf-8")
    return 0


__all__ = ["Gold", "GoldError", "GoldPlace", "Report", "StoryScore", "evaluate_stories",
           "quote_problems",
           "find_stories", "format_report", "load_gold", "main", "normalise", "parse_gold",
           "score_story", "story_problems"]

if __name__ == "__main__":
    raise SystemExit(main())
