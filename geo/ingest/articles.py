"""Loading articles: one text file each, with optional YAML front matter.

    >>> from geo.ingest.articles import load_corpus
    >>> result = load_corpus("corpus")                      # doctest: +SKIP
    >>> [a.id for a in result.articles][:1], result.problems   # doctest: +SKIP
    (['000_65565713dc3966dd'], [])

A file that cannot be used is reported (its name and the problem) and skipped, never fatal:
one bad upload must not lose the other articles. Body text is kept byte-for-byte (after
decoding), so mention offsets point into exactly what the reader sees.

Files are hostile until proven otherwise, because anyone can upload one:

- Text is UTF-8 (with or without BOM), UTF-16 or UTF-32 with a BOM, else Windows-1252 with
  a warning.
- Front matter is flat ``key: value`` lines of at most ``MAX_FRONT_MATTER`` characters. It is
  read as a stream of YAML events, never built into objects, and refused at the first anchor,
  alias or nested list/mapping, so an alias bomb or deep nesting costs nothing. Only
  ``source``, ``title``, ``url`` and ``published`` are kept; other keys are ignored.
- In a corpus folder, links to outside the folder are never followed, only regular files are
  opened (never a FIFO or device), and a file's size is checked before it is read. Every
  skipped file is named, except hidden ones (``.DS_Store``, ``.gitkeep``), which are ignored.
- Messages name files relative to the folder, never by server path: the page shows them to
  every visitor.
"""
from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from geo.errors import ArticleError
from geo.models import Article

#: Larger files are refused: a news article is a few KB; 2 MB is a book.
MAX_BYTES = 2_000_000
#: Larger front matter is refused: four short fields need a few hundred characters.
MAX_FRONT_MATTER = 16_384
#: How deep an undocumented key's lists and mappings may nest (``tags: [a, b]`` is 1).
MAX_NESTING = 8
SUFFIXES = (".txt", ".md")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_FIELDS = ("source", "title", "url", "published")
_NULLS = ("~", "null", "Null", "NULL")
_BINARY = "this looks like a binary file, not text"
#: UTF-32 first: its little-endian BOM starts with UTF-16's.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
#: Never follow a link, never block on a FIFO swapped in after the check (no-ops on Windows).
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
               | getattr(os, "O_BINARY", 0))


@dataclass
class LoadResult:
    """Articles that loaded, ``ArticleError``s for files that did not, and warnings."""

    articles: list[Article] = field(default_factory=list)
    problems: list[ArticleError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class _NotFlat(Exception):
    """Valid YAML that is not flat ``key: value`` lines (kept apart from YAML's own errors)."""


def size_problem(size: int) -> str | None:
    """Why a file of ``size`` bytes is refused, if it is: one message for stat and read."""
    return f"the file is {size:,} bytes; the limit is {MAX_BYTES:,}" if size > MAX_BYTES else None


def only_read(suffixes: tuple[str, ...]) -> str:
    """The problem of a file of another kind: "only .txt and .md files are read"."""
    return f"only {', '.join(suffixes[:-1])} and {suffixes[-1]} files are read"


def decode(name: str, data: bytes) -> tuple[str, str | None]:
    """Text of a file and a warning if it was read as Windows-1252; ``ArticleError`` if unusable."""
    if problem := size_problem(len(data)):
        raise ArticleError(name, problem)
    text, warning = _decode_text(name, data)
    if not text.strip():
        raise ArticleError(name, "the file is empty")
    if "\x00" in text[:8192]:
        raise ArticleError(name, _BINARY)
    return text, warning


def _decode_text(name: str, data: bytes) -> tuple[str, str | None]:
    """A BOM names the encoding; else UTF-8, else Windows-1252 (old Word exports) with a warning.

    UTF-16/32 are decoded before the NUL-byte test for binary files, which they would fail."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), None
            except UnicodeDecodeError as exc:
                raise ArticleError(name, f"starts with a {encoding.upper()} byte-order mark but "
                                         f"is not valid {encoding.upper()} (byte {exc.start})"
                                   ) from None
    if b"\x00" in data[:8192]:
        raise ArticleError(name, _BINARY)
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ArticleError(name, f"not valid UTF-8 (byte {exc.start}) nor Windows-1252") from None
        return text, f"{name}: not valid UTF-8 (byte {exc.start}); read as Windows-1252"


def flat_fields(events: Iterable[yaml.Event]) -> dict[str, str]:
    """The documented fields of one YAML mapping, from its parser events.

    The documented fields must be plain values. Other keys may hold lists or mappings
    (Jekyll's ``tags: [a, b]``), skipped unread up to ``MAX_NESTING`` levels. Refuses at the
    first anchor, alias or over-deep nesting, before the parser reads further: that is what
    keeps an alias bomb or 40 KB of ``[`` cheap. Null and empty values are absent.
    """
    fields: dict[str, str] = {}
    in_mapping, documents, key, skipping = False, 0, None, 0
    for event in events:
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _NotFlat("uses YAML anchors or aliases (& or *), which are not allowed")
        if skipping:  # inside the list or mapping of an undocumented key
            if isinstance(event, yaml.CollectionStartEvent):
                skipping += 1
                if skipping > MAX_NESTING:
                    raise _NotFlat(f"nests lists or mappings deeper than {MAX_NESTING} levels")
            elif isinstance(event, yaml.CollectionEndEvent):
                skipping -= 1
                key = None if not skipping else key
            continue
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _NotFlat("holds more than one YAML document")
        elif isinstance(event, yaml.CollectionStartEvent) and in_mapping:
            if key is None:
                raise _NotFlat("has a list or mapping as a key; only 'key: value' lines "
                               "are allowed")
            if key in _FIELDS:
                raise _NotFlat(f"gives '{key}' a list or mapping; it must be plain text")
            skipping = 1
        elif isinstance(event, yaml.MappingStartEvent):
            in_mapping = True
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.ScalarEvent)) and not in_mapping:
            raise _NotFlat("must be 'key: value' lines")
        elif isinstance(event, yaml.ScalarEvent) and key is None:
            key = event.value
        elif isinstance(event, yaml.ScalarEvent):
            if key in _FIELDS:
                null = event.value == "" or (event.implicit[0] and event.value in _NULLS)
                fields[key] = "" if null else event.value
            key = None
    return {k: v for k, v in fields.items() if v}


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """What YAML found wrong and on which line of the file (the block starts on line 2)."""
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        return f"{exc.problem or exc.context} (line {exc.problem_mark.line + 2})"
    if isinstance(exc, yaml.reader.ReaderError):
        return f"{exc.reason} (character U+{exc.character:04X})"
    return type(exc).__name__


def split_front_matter(name: str, text: str) -> tuple[dict[str, str], str]:
    """``(metadata, body)``. Only the known string fields are kept from the YAML block.

    Every failure, YAML's or not (``"\\UFFFFFFFF"`` raises OverflowError inside PyYAML), is
    this file's ``ArticleError``, so it cannot stop the other files loading."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    block = m.group(1)
    if len(block) > MAX_FRONT_MATTER:
        raise ArticleError(name, f"front matter is {len(block):,} characters; "
                                 f"the limit is {MAX_FRONT_MATTER:,}")
    try:
        meta = flat_fields(yaml.parse(block, Loader=yaml.SafeLoader))
    except _NotFlat as exc:
        raise ArticleError(name, f"front matter {exc}") from None
    except yaml.YAMLError as exc:
        raise ArticleError(name, f"front matter is not valid YAML: {_yaml_problem(exc)}") from None
    except Exception as exc:  # noqa: BLE001 - any parser failure is this file's problem only
        raise ArticleError(name, f"front matter cannot be read ({type(exc).__name__})") from None
    return meta, text[m.end():]


#: A first line this short, with no closing punctuation, is the article's headline.
HEADLINE_MAX = 120
#: Longest source label made from a title (the legend and the filters show it).
LABEL_MAX = 48


def shorten(text: str, limit: int) -> str:
    """``text`` on one line (runs of whitespace as one space), cut to ``limit`` characters
    with an ellipsis when longer: a label, an option or a list entry."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def headline(body: str) -> str | None:
    """The article's first line when it reads as a headline (short, not a sentence, with
    text after it): pasted and saved articles usually start with one."""
    first, _, rest = body.strip().partition("\n")
    first = " ".join(first.split())
    if (rest.strip() and 0 < len(first) <= HEADLINE_MAX and first[-1] not in ".!?:;,"
            and len(first.split()) >= 2):
        return first
    return None


def source_label(source: str | None, title: str | None, body: str, stem: str) -> str:
    """Who the article is from, as the map's legend names it: the front matter's ``source``;
    without one, the article's title or headline (shortened), for a reader knows an article
    by its title; the file's stem only when the text gives nothing better."""
    if source:
        return source
    named = " ".join(title.split()) if title else headline(body)
    return shorten(named, LABEL_MAX) if named else stem


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
    source = source_label(meta.get("source"), meta.get("title"), body, stem)
    article = Article(id=stem, text=body, source=source,
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
            result.problems.append(ArticleError(name, only_read(SUFFIXES)))
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


def read_corpus_file(folder: str, name: str, suffixes: tuple[str, ...] = SUFFIXES) -> bytes:
    """At most ``MAX_BYTES + 1`` bytes of ``name`` in ``folder`` (a real path), or
    ``ArticleError`` saying why it is skipped.

    Nothing is opened before it is known to be a regular file inside the folder: a link to
    /etc/passwd is never followed, a FIFO never opened (reading it would block), an oversized
    file never read. The read is bounded anyway, in case the file grows after the check.
    """
    path = os.path.join(folder, name)
    try:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            path = os.path.realpath(path)
            if os.path.commonpath([folder, path]) != folder:
                raise ArticleError(name, "is a link to outside the folder")
            if not os.path.exists(path):
                raise ArticleError(name, "is a broken link")
            st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise ArticleError(name, "is a folder (sub-folders are not read)")
        if not stat.S_ISREG(st.st_mode):
            raise ArticleError(name, "is not a regular file (a pipe, socket or device)")
        if not name.lower().endswith(suffixes):
            raise ArticleError(name, only_read(suffixes))
        if problem := size_problem(st.st_size):
            raise ArticleError(name, problem)
        with os.fdopen(os.open(path, _OPEN_FLAGS), "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):  # swapped since the check
                raise ArticleError(name, "is not a regular file (a pipe, socket or device)")
            return f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ArticleError(name, f"cannot be read ({exc.strerror})") from None


def load_corpus(directory: str | Path) -> LoadResult:
    """Every ``.txt``/``.md`` article in a folder, sorted by file name; every other file that
    is not hidden is named in ``problems`` with the reason it was skipped."""
    if not os.path.isdir(directory):
        raise ArticleError(str(directory), "no such folder")
    folder = os.path.realpath(directory)
    try:
        names = sorted(n for n in os.listdir(folder) if not n.startswith("."))
    except OSError as exc:
        raise ArticleError(str(directory), f"cannot be read ({exc.strerror})") from None
    skipped: list[ArticleError] = []

    def files() -> Iterator[tuple[str, bytes]]:
        for name in names:
            try:
                yield name, read_corpus_file(folder, name)
            except ArticleError as exc:
                skipped.append(exc)

    result = load_files(files())
    result.problems = sorted(result.problems + skipped, key=lambda p: p.path)
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
