"""``python -m geo story``: kept stories from the command line.

    $ python -m geo story import Syria corpus/ saved-page.html more.jsonl
    skipped notes.pdf: only .txt, .md, .html, .htm and .jsonl files are read
    [1/7] 000_65565713dc3966dd
    ...
    Syria: 7 added, 0 updated, 0 unchanged (7 parsed); 31 places, 2 mentions not placed
    $ python -m geo story list
    $ python -m geo story refresh Syria
    $ python -m geo story export Syria --html syria.html --geojson syria.geojson
    $ python -m geo story rm Syria

Stories live in the database of ``geo.story.store`` (``--db``, else ``$STORYMAP_DB``, else the
user's data folder); the seed story is made the first time a database is used. A story
mapped by an earlier version of the geoparser is marked ``stale`` by ``list`` (``export``
says so too) and mapped again by ``refresh``. As with
``build``, progress and problems go to stderr, each refused file or URL named with its
reason while the rest is imported; the exit status is 0 on success, 1 when nothing could
be done (no usable article, no such story, a database that cannot be used).
"""
from __future__ import annotations

import argparse
import functools
import shlex
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from geo.story.store import Store

if TYPE_CHECKING:
    from geo.pipeline import Pipeline


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _progress(done: int, total: int, what: str) -> None:
    _say(f"[{done}/{total}] {what}")


def load_pipeline() -> Pipeline:
    """The offline pipeline, loaded only by commands that parse (tests swap in theirs)."""
    from geo.pipeline import Pipeline

    return Pipeline.load(log=_say)


def _store(args: argparse.Namespace, pipeline: Callable[[], Pipeline] = load_pipeline) -> Store:
    """The database, with the seed story made on its first use (the only time a command
    that does not parse loads the pipeline)."""
    from geo.story.stories import ensure_seed

    store = Store.open(args.db)
    if ensure_seed(store, pipeline):
        _say("made the seed story from the bundled corpus")
    return store


def import_(args: argparse.Namespace) -> int:
    from geo.errors import ArticleError
    from geo.ingest.importing import fetch_article, load_paths
    from geo.story.stories import import_articles

    loaded = load_paths(args.paths)
    for url in args.url:
        try:
            loaded.articles.append(fetch_article(url, timeout=args.timeout))
        except ArticleError as exc:
            loaded.problems.append(exc)
    for problem in loaded.problems:
        _say(f"skipped {problem}")
    for warning in loaded.warnings:
        _say(f"warning: {warning}")
    if not loaded.articles:
        _say("error: no usable article (.txt, .md, .html, .htm, .jsonl or URL) to import")
        return 1
    pipeline = functools.cache(lambda: load_pipeline())  # loaded once, for seed and import
    with _store(args, pipeline) as store:
        result = import_articles(store, args.name, loaded.articles, pipeline(), _progress)
    _say(f"{args.name}: {len(result.added)} added, {len(result.updated)} updated, "
         f"{len(result.unchanged)} unchanged ({result.parsed} parsed); "
         f"{len(result.story.places)} places, {len(result.story.unresolved)} mentions not placed")
    return 0


def list_(args: argparse.Namespace) -> int:
    from geo.story.stories import is_stale

    with _store(args) as store:
        for info in store.stories():
            stale = "\tstale: mapped by an earlier geoparser" if is_stale(store, info.name) else ""
            print(f"{info.name}\t{info.articles} articles\tupdated {info.updated}{stale}")
    return 0


def _refresh_hint(name: str) -> str:
    return (f"note: '{name}' was mapped by an earlier version of the geoparser; "
            f"python -m geo story refresh {shlex.quote(name)} updates it")


def refresh(args: argparse.Namespace) -> int:
    from geo.story.stories import is_stale
    from geo.story.stories import refresh as refresh_story

    pipeline = functools.cache(lambda: load_pipeline())  # loaded once, for seed and refresh
    with _store(args, pipeline) as store:
        if not is_stale(store, args.name):
            _say(f"{args.name}: already mapped by this geoparser")
            return 0
        story = refresh_story(store, args.name, pipeline(), _progress)
    n = len(story.articles)
    _say(f"{args.name}: {n} article{'' if n == 1 else 's'} mapped again; "
         f"{len(story.places)} places, {len(story.unresolved)} mentions not placed")
    return 0


def export(args: argparse.Namespace) -> int:
    from geo.export.files import write_exports
    from geo.story.stories import is_stale, load_story

    if not (args.html or args.geojson):
        _say("error: say where to write: --html FILE and/or --geojson FILE")
        return 2
    with _store(args) as store:
        story = load_story(store, args.name)
        if is_stale(store, args.name):
            _say(_refresh_hint(args.name))
    written = write_exports(story, html=args.html, geojson=args.geojson)
    _say(f"{args.name}: {len(story.places)} places; wrote {', '.join(written)}")
    return 0


def rm(args: argparse.Namespace) -> int:
    with _store(args) as store:
        store.delete(args.name)
    _say(f"deleted the story '{args.name}'")
    return 0


def rename(args: argparse.Namespace) -> int:
    with _store(args) as store:
        new = store.rename(args.old, args.new)
    _say(f"renamed '{args.old}' to '{new}'")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Adds ``story`` and its subcommands to ``python -m geo``'s parser."""
    st = sub.add_parser("story", help="kept stories: import articles, list, refresh, export, "
                                          "delete")
    st.add_argument("--db", help="story database (default: $STORYMAP_DB, else "
                                 "~/.local/share/storymap/stories.db)")
    cmds = st.add_subparsers(dest="story_command", required=True)
    im = cmds.add_parser("import", help="add articles to a story (made if new); only new or "
                                        "changed articles are parsed")
    im.add_argument("name", help="the story's name")
    im.add_argument("paths", nargs="*",
                    help="folders and files: .txt/.md (front matter), .html/.htm pages, .jsonl "
                         'lines {"text", "source", "title", "url", "published"}')
    im.add_argument("--url", action="append", default=[],
                    help="also fetch this web page (needs the internet; repeatable)")
    im.add_argument("--timeout", type=float, default=15.0,
                    help="seconds allowed for each --url (default 15)")
    im.set_defaults(run=import_)
    ls = cmds.add_parser("list", help="the stories, with how many articles each; 'stale' "
                                      "if mapped by an earlier geoparser")
    ls.set_defaults(run=list_)
    rf = cmds.add_parser("refresh", help="map a stale story again with this geoparser "
                                         "(its corrections are kept)")
    rf.add_argument("name")
    rf.set_defaults(run=refresh)
    ex = cmds.add_parser("export", help="write a story as a standalone map and/or GeoJSON")
    ex.add_argument("name")
    ex.add_argument("--html", help="write the standalone story map here")
    ex.add_argument("--geojson", help="write the places as GeoJSON here")
    ex.set_defaults(run=export)
    rmp = cmds.add_parser("rm", help="delete a story and everything in it")
    rmp.add_argument("name")
    rmp.set_defaults(run=rm)
    rn = cmds.add_parser("rename", help="give a story another name")
    rn.add_argument("old")
    rn.add_argument("new")
    rn.set_defaults(run=rename)
