"""Command line: ``python -m geo build|parse|eval|story``.

``build [CORPUS_DIR] --html OUT.html --geojson OUT.geojson`` makes the story map;
``parse IN.jsonl [-o OUT.jsonl]`` writes benchmark-format toponyms; ``eval GOLD.jsonl
[PEER.jsonl ...]`` parses and scores against the gold, beside the peers' outputs.

    $ python -m geo build corpus --html map.html --geojson places.geojson
    loaded 5 articles from corpus
    [5/5] 004_d25adca8fd393205
    27 places, 2 mentions not placed; wrote map.html, places.geojson

Progress and problems go to stderr, one line each, naming the file; the exit status is 0
on success, 1 when nothing could be built, 2 on bad usage.
"""
from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from geo.errors import ConfigurationError, StorymapError
from geo.ingest.articles import load_corpus
from geo.paths import CORPUS
from geo.story import cli as story_cli

DEFAULT_CORPUS = CORPUS


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _progress(done: int, total: int, what: str) -> None:
    _say(f"[{done}/{total}] {what}")


def build(args: argparse.Namespace) -> int:
    from geo.export.files import write_exports
    from geo.pipeline import Pipeline

    if args.geocoder == "offline" and (args.geocoder_domain or args.geocoder_scheme):
        _say("error: --geocoder-domain and --geocoder-scheme need an online --geocoder "
             "(such as nominatim)")
        return 2
    loaded = load_corpus(args.corpus)
    for problem in loaded.problems:
        _say(f"skipped {problem}")
    for warning in loaded.warnings:
        _say(f"warning: {warning}")
    if not loaded.articles:
        _say(f"error: no usable article (.txt or .md) in {args.corpus}")
        return 1
    _say(f"loaded {len(loaded.articles)} articles from {args.corpus}")
    options = {k: v for k, v in (("user_agent", args.user_agent), ("domain", args.geocoder_domain),
                                 ("scheme", args.geocoder_scheme)) if v}
    pipeline = Pipeline.load(args.geocoder, log=_say, processes=args.processes, **options)
    story = pipeline(loaded.articles, _progress)
    written = write_exports(story, html=args.html, geojson=args.geojson)
    _say(f"{len(story.places)} places, {len(story.unresolved)} mentions not placed"
         + (f"; wrote {', '.join(written)}" if written else ""))
    if not written:
        for sp in story.places:
            print(f"{sp.place.name}\t{sp.place.kind}\t{sp.place.lat:.4f}\t{sp.place.lon:.4f}\t"
                  f"{len(sp.sources)} sources\t{len(sp.quotes)} mentions")
    return 0


def _domain(text: str) -> str:
    """argparse type of ``--geocoder-domain``: HOST[:PORT] only (see ``check_domain``)."""
    from geo.resolution.geocode import check_domain

    try:
        return check_domain(text)
    except ConfigurationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _read_docs(path: str) -> list[dict]:
    """Lines ``{"id", "text"}`` of a JSONL file; a bad line is an error naming it."""
    import json

    docs = []
    with (sys.stdin if path == "-" else open(path, encoding="utf-8")) as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                if not isinstance(d, dict) or "id" not in d or not isinstance(d.get("text"), str):
                    raise ValueError('needs "id" and a string "text"')
            except ValueError as exc:
                raise ConfigurationError(f"{path}, line {n}: not a document ({exc})") from None
            docs.append(d)
    return docs


def _toponymizer(args: argparse.Namespace):
    from geo.evaluation.toponyms import Toponymizer
    from geo.pipeline import Pipeline

    return Toponymizer(Pipeline.load(log=_say, sentences=False), demonyms=args.demonyms)


def _parse_all(tz, docs: list[dict], processes: int | None = None) -> list[dict]:
    out = []
    every = max(1, len(docs) // 20)
    for i, line in enumerate(tz.parse_docs(docs, n_process=processes), 1):
        out.append(line)
        if i % every == 0 or i == len(docs):
            _say(f"[{i}/{len(docs)}] documents parsed")
    return out


def parse(args: argparse.Namespace) -> int:
    import json

    if args.dask is not None:
        from geo.archive import parse_archive

        if "-" in args.input:
            _say("error: --dask reads files (shards), not stdin")
            return 2
        n = parse_archive(args.input, args.output, scheduler=args.dask, workers=args.processes,
                          places=args.places, demonyms=args.demonyms, log=_say)
        _say(f"{n} documents parsed on dask")
        return 0
    if args.places:
        _say("error: --places needs --dask")
        return 2
    docs = [d for path in args.input for d in _read_docs(path)]
    lines = _parse_all(_toponymizer(args), docs, args.processes)
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def evaluate(args: argparse.Namespace) -> int:
    from geo.evaluation import scores as ev

    docs = [d for d in _read_docs(args.gold) if ev.in_split(str(d["id"]), args.split)]
    gold = {str(d["id"]): d.get("toponyms", []) for d in docs}
    pred = {line["id"]: line["toponyms"] for line in _parse_all(_toponymizer(args), docs)}
    print(ev.HEADER)
    print(ev.row("storymap", ev.score(gold, pred)))
    for peer in args.peers:
        print(ev.row(Path(peer).stem, ev.score(gold, ev.read_jsonl(peer))))
    if args.split != "all":
        print(f"({len(docs)} documents: the {args.split} half)")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m geo", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="geoparse a folder of articles into a map and GeoJSON")
    b.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS),
                   help="folder of .txt/.md articles (default: the bundled corpus)")
    b.add_argument("--html", help="write the standalone story map here")
    b.add_argument("--geojson", help="write the places as GeoJSON here")
    b.add_argument("--geocoder", default="offline",
                   help="offline (default) or a geopy service such as nominatim (needs network; "
                        "falls back to offline)")
    b.add_argument("--user-agent", help="user agent for online geocoders")
    b.add_argument("--geocoder-domain", type=_domain, metavar="HOST[:PORT]",
                   help="server of the online geocoder, e.g. a self-hosted Nominatim "
                        "(default: the service's public one)")
    b.add_argument("--geocoder-scheme", choices=("http", "https"),
                   help="https (default) or http, for a self-hosted server without TLS")
    b.add_argument("--processes", type=int, default=None,
                   help="recognise articles in this many processes (default: one per core)")
    b.set_defaults(run=build)
    pa = sub.add_parser("parse", help='toponyms of JSONL documents {"id", "text"}')
    pa.add_argument("input", nargs="+", help="JSONL file(s), or - for stdin")
    pa.add_argument("-o", "--output", help="write JSONL here (default: stdout); with --dask, "
                                           "a path ending in .parquet writes Parquet")
    pa.add_argument("--dask", nargs="?", const="local", default=None, metavar="SCHEDULER",
                    help="parse on Dask: a LocalCluster (one worker per --processes, default "
                         "one per core), or the scheduler at this address (tcp://host:8786)")
    pa.add_argument("--places", metavar="PLACES.jsonl",
                    help="with --dask: also write the archive's places (a group-by)")
    pa.add_argument("--demonyms", action="store_true",
                    help='count a country\'s adjective ("Syrian") as a toponym of the country')
    pa.add_argument("--processes", type=int, default=None,
                    help="parse in this many processes (default: one per core)")
    pa.set_defaults(run=parse)
    ev = sub.add_parser("eval", help="parse a gold JSONL file and score it (EUPEG protocol)")
    ev.add_argument("gold", help='JSONL with "id", "text" and gold "toponyms"')
    ev.add_argument("peers", nargs="*", help="other systems' prediction files to score beside")
    ev.add_argument("--demonyms", action="store_true", help="as for parse")
    ev.add_argument("--split", choices=["all", "dev", "test"], default="all",
                    help="score half of the documents (a fixed split by id): tune on dev, "
                         "report test")
    ev.set_defaults(run=evaluate)
    es = sub.add_parser("eval-story", add_help=False,
                        help="score story folders against their hand-written gold.yaml "
                             "(see data/stories/README.md; --help for options)")
    es.add_argument("args", nargs=argparse.REMAINDER)
    es.set_defaults(run=_eval_story)
    story_cli.register(sub)
    return p


def _eval_story(args: argparse.Namespace) -> int:
    from geo.evaluation import stories as story_eval

    return story_eval.main(args.args)


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except StorymapError as exc:
        _say(f"error: {exc}")
        return 1
