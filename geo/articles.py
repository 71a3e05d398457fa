"""Loading articles: one text file each, with optional YAML front matter.

    >>> from geo.articles import load_corpus
    >>> result = load_corpus("corpus")                      # doctest: +SKIP
    >>> [a.id for a in result.articles][:1], result.problems   # doctest: +SKIP
    (['000_65565713dc3966dd'], [])

A file that cannot be used is reported (path and problem) and skipped, never fatal: one bad
upload must not lose the other articles. Body text is kept byte-for-byte (after decoding), so
mention offsets point into exactly what the reader sees.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from geo.errors import ArticleError
from geo.models import Article

#: Larger files are refused: a news article is a few KB; 2 MB is a book.
MAX_BYTES = 2_000_000
SUFFIXES = (".txt", ".md")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_FIELDS = ("source", "title", "url", "published")


@dataclass
class LoadResult:
    """Articles that loaded, ``ArticleError``s for files that did not, and warnings."""

    articles: list[Article] = field(default_factory=list)
    problems: list[ArticleError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def decode(name: str, data: bytes) -> tuple[str, str | None]:
    """Text of a file and a warning if it was not UTF-8; raises ``ArticleError`` if unusable."""
    if not data.strip():
        raise ArticleError(name, "the file is empty")
    if len(data) > MAX_BYTES:
        raise ArticleError(name, f"the file is {len(data):,} bytes; the limit is {MAX_BYTES:,}")
    if b"\x00" in data[:8192]:
        raise ArticleError(name, "this looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ArticleError(name, f"not valid UTF-8 (byte {exc.start}) nor Windows-1252") from None
        return text, f"{name}: not valid UTF-8 (byte {exc.start}); read as Windows-1252"


def split_front_matter(name: str, text: str) -> tuple[dict[str, str], str]:
    """``(metadata, body)``. Only the known string fields are kept from the YAML block."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    try:
        meta = yaml.safe_load(m.group(1)) or {}
    except yaml.YAMLError as exc:
        raise ArticleError(name, f"front matter is not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(meta, dict):
        raise ArticleError(name, "front matter must be 'key: value' lines")
    return {k: str(meta[k]) for k in _FIELDS if meta.get(k) not in (None, "")}, text[m.end():]


def parse_article(name: str, data: bytes, *, article_id: str | None = None
                  ) -> tuple[Article, str | None]:
    """One article from a file's bytes, and a decoding warning if any.

    ``name`` is the file name used in messages; its stem is the id unless ``article_id``.
    """
    text, warning = decode(name, data)
    meta, body = split_front_matter(name, text)
    if not body.strip():
        raise ArticleError(name, "the article has no text after its front matter")
    stem = article_id or Path(name).stem
    article = Article(id=stem, text=body, source=meta.get("source") or stem,
                      title=meta.get("title"), url=meta.get("url"),
                      published=meta.get("published"), path=name)
    return article, warning


def load_files(files: Iterable[tuple[str, bytes]]) -> LoadResult:
    """Articles from ``(file name, bytes)`` pairs (a folder's files, or uploads).

    Only ``.txt``/``.md`` are read; a bad file becomes a problem, never fatal, and ids are
    made unique."""
    result = LoadResult()
    for name, data in files:
        if not name.lower().endswith(SUFFIXES):
            result.problems.append(ArticleError(name, "only .txt and .md files are read"))
            continue
        try:
            article, warning = parse_article(name, data)
        except ArticleError as exc:
            result.problems.append(exc)
            continue
        result.articles.append(article)
        if warning:
            result.warnings.append(warning)
    result.articles = dedupe_ids(result.articles)
    return result


def load_corpus(directory: str | Path) -> LoadResult:
    """Every ``.txt``/``.md`` article in a folder, sorted by file name."""
    root = Path(directory)
    if not root.is_dir():
        raise ArticleError(str(root), "no such folder")
    unreadable: list[ArticleError] = []

    def files() -> Iterator[tuple[str, bytes]]:
        for path in sorted(p for p in root.iterdir() if p.is_file() and not p.name.startswith(".")):
            if path.suffix.lower() not in SUFFIXES:
                continue
            try:
                yield str(path), path.read_bytes()
            except OSError as exc:
                unreadable.append(ArticleError(str(path), f"cannot be read ({exc.strerror})"))

    result = load_files(files())
    result.problems += unreadable
    return result


def dedupe_ids(articles: list[Article]) -> list[Article]:
    """Ids must be unique for quotes to point at one article: suffix repeats with ``-2`` etc."""
    seen: dict[str, int] = {}
    out = []
    for a in articles:
        n = seen.get(a.id, 0) + 1
        seen[a.id] = n
        if n > 1:
            a = Article(**{**a.__dict__, "id": f"{a.id}-{n}"})
        out.append(a)
    return out
