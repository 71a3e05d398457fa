"""Importing a reader's own articles: web pages, pasted text, JSON lines, and (opt-in) URLs.

    >>> from geo.ingest.importing import pasted_article
    >>> pasted_article("Troops left Aleppo.", source="Outlet A").source
    'Outlet A'

Everything here ends as ``geo.models.Article`` values and keeps ``geo.ingest.articles``' rules,
because anyone can hand the page a file: sizes are capped before anything is read, text is
decoded the same way, a file is named by its name and never by a server path, and one bad
file, line or URL is a named problem (``ArticleError``) that never stops the others.

A web page's main text, title, date and site name come from trafilatura, which drops the
menus, footers and "most read" boxes around an article. It runs offline on saved pages;
``fetch_article`` is the only function here that touches the network, and only when asked:
one request with a deadline and a size cap, public addresses only (no probing of the
server's own network), and a failure says why in words a reader understands.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from geo.errors import ArticleError
from geo.ingest.articles import (
    MAX_BYTES,
    LoadResult,
    decode,
    dedupe_ids,
    only_read,
    read_corpus_file,
    size_problem,
)
from geo.ingest.articles import SUFFIXES as TEXT_SUFFIXES
from geo.ingest.articles import load_files as load_text_files
from geo.models import Article

HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
#: Every kind of file an import reads.
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES
#: Seconds a URL fetch may take, all told.
FETCH_TIMEOUT = 15.0
#: Fewer characters of main text is a page of menus, not an article.
MIN_PAGE_TEXT = 80
#: Longest title, source or date kept from a page or a form; longer is not metadata.
MAX_FIELD = 300
_FIELDS = ("source", "title", "url", "published")
_SLUG = re.compile(r"[^a-z0-9]+")
_FETCHES = itertools.count(1)
_NO_NETWORK = ("resolve", "Name or service not known", "nodename nor servname",
               "Temporary failure in name resolution", "Network is unreachable")


def _slug(text: str, limit: int = 48) -> str:
    """A file-name-like id from a title or an address: lower case ASCII words and dashes."""
    return _SLUG.sub("-", text.lower()).strip("-")[:limit].strip("-")


def _field(name: str, key: str, value: object) -> str | None:
    """One metadata field as plain, bounded text; a URL must be a web address (a
    ``javascript:`` link in an export would run when clicked)."""
    if value is None or value == "":
        return None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ArticleError(name, f"'{key}' must be text")
    text = " ".join(str(value).split())
    if len(text) > MAX_FIELD:
        raise ArticleError(name, f"'{key}' is {len(text):,} characters; the limit is {MAX_FIELD}")
    if key == "url" and urlsplit(text).scheme.lower() not in ("http", "https"):
        raise ArticleError(name, "'url' must start with http:// or https://")
    return text or None


def pasted_article(text: str, *, source: str | None = None, title: str | None = None,
                   url: str | None = None, published: str | None = None,
                   name: str = "pasted text") -> Article:
    """An article from text typed or pasted into a form, with its optional fields.

    Its id is made from the title (or first words) and the text's hash, so pasting two
    different articles under one title keeps both; ``name`` labels it in messages."""
    if not isinstance(text, str):
        raise ArticleError(name, "'text' must be text")
    if problem := size_problem(len(text.encode("utf-8", "surrogatepass"))):
        raise ArticleError(name, problem)
    if "\x00" in text:
        raise ArticleError(name, "the text holds NUL characters; it looks like a binary file")
    if not text.strip():
        raise ArticleError(name, "the text is empty")
    meta = {k: _field(name, k, v) for k, v in
            (("source", source), ("title", title), ("url", url), ("published", published))}
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    stem = _slug(meta["title"] or " ".join(text.split()[:8])) or "pasted"
    article_id = f"{stem}-{digest}"
    host = urlsplit(meta["url"]).hostname if meta["url"] else None
    return Article(id=article_id, text=text, source=meta["source"] or host or "pasted text",
                   title=meta["title"], url=meta["url"], published=meta["published"], path=name)


def article_from_html(name: str, data: bytes, *, url: str | None = None) -> Article:
    """The article in a web page: main text, title, date and site name, boilerplate dropped.

    ``name`` is the file's name (its stem the id) or the fetched URL. trafilatura decodes
    the bytes itself, honouring the page's declared charset."""
    import trafilatura

    if problem := size_problem(len(data)):
        raise ArticleError(name, problem)
    if not data.strip():
        raise ArticleError(name, "the file is empty")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ArticleError(name, "this looks like a binary file, not a web page")
    try:
        doc = trafilatura.bare_extraction(data, url=url, with_metadata=True,
                                          include_comments=False, include_tables=False,
                                          include_images=False, include_links=False)
    except Exception as exc:  # noqa: BLE001 - any extractor failure is this page's problem only
        raise ArticleError(name, f"the page cannot be read ({type(exc).__name__})") from None
    text = (doc.text or "") if doc is not None else ""
    if len(text.strip()) < MIN_PAGE_TEXT:
        raise ArticleError(name, "no article text found in the page (only menus or links)")
    meta = {"source": doc.sitename or doc.hostname, "title": doc.title,
            "published": doc.date, "url": doc.url or url}
    meta = {k: _safe_field(v, k) for k, v in meta.items()}
    stem = _slug(urlsplit(url).netloc + " " + urlsplit(url).path) if url else Path(name).stem
    return Article(id=stem or "page", text=text, source=meta["source"] or stem or "page",
                   title=meta["title"], url=meta["url"], published=meta["published"], path=name)


def _safe_field(value: str | None, key: str) -> str | None:
    """A page's own metadata: kept when it is plain, bounded and (for a URL) a web address,
    dropped otherwise, since a page's odd metadata is no reason to refuse its article."""
    try:
        return _field("page", key, value)
    except ArticleError:
        return None


def articles_from_jsonl(name: str, data: bytes) -> LoadResult:
    """One article per line ``{"text", "source"?, "title"?, "url"?, "published"?}``; a bad
    line is named ("file.jsonl, line 3") and the others kept."""
    result = LoadResult()
    try:
        text, warning = decode(name, data)
    except ArticleError as exc:
        result.problems.append(exc)
        return result
    if warning:
        result.warnings.append(warning)
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{name}, line {n}"
        try:
            try:
                record = json.loads(line)
            except ValueError as exc:
                raise ArticleError(where, f"not JSON ({exc.msg})") from None
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise ArticleError(where, 'needs a "text" string')
            result.articles.append(pasted_article(
                record["text"], name=where, **{k: record.get(k) for k in _FIELDS}))
        except ArticleError as exc:
            result.problems.append(exc)
    return result


def load_files(files: Iterable[tuple[str, bytes]]) -> LoadResult:
    """Articles from ``(file name, bytes)`` pairs of any kind an import reads (uploads, or a
    folder's files): ``.txt``/``.md`` as ``geo.ingest.articles`` reads them, ``.html``/``.htm``
    pages, ``.jsonl`` lines. Ids are made unique; every refused file is a problem."""
    result = LoadResult()
    for name, data in files:
        lower = name.lower()
        if lower.endswith(TEXT_SUFFIXES):
            part = load_text_files([(name, data)])
        elif lower.endswith(JSONL_SUFFIXES):
            part = articles_from_jsonl(name, data)
        elif lower.endswith(HTML_SUFFIXES):
            part = LoadResult()
            try:
                part.articles.append(article_from_html(name, data))
            except ArticleError as exc:
                part.problems.append(exc)
        else:
            result.problems.append(ArticleError(name, only_read(SUFFIXES)))
            continue
        result.articles += part.articles
        result.problems += part.problems
        result.warnings += part.warnings
    result.articles = dedupe_ids(result.articles)
    return result


def load_paths(paths: Sequence[str | Path]) -> LoadResult:
    """Articles from files and folders named on a command line, in the order given (a
    folder's files sorted by name). A folder's files are named relative to it; sub-folders,
    links out of a folder and special files are refused as ``geo.ingest.articles`` refuses them."""
    problems: list[ArticleError] = []

    def files() -> Iterator[tuple[str, bytes]]:
        for given in map(str, paths):
            if os.path.isdir(given):
                folder = os.path.realpath(given)
                try:
                    names = sorted(n for n in os.listdir(folder) if not n.startswith("."))
                except OSError as exc:
                    problems.append(ArticleError(given, f"cannot be read ({exc.strerror})"))
                    continue
            elif os.path.lexists(given):
                folder, names = os.path.realpath(os.path.dirname(given) or "."), [
                    os.path.basename(given)]
            else:
                problems.append(ArticleError(given, "no such file or folder"))
                continue
            for name in names:
                try:
                    yield name, read_corpus_file(folder, name, SUFFIXES)
                except ArticleError as exc:
                    problems.append(exc)

    result = load_files(files())
    result.problems = problems + result.problems
    return result


class _Capture(logging.Handler):
    """trafilatura logs why a download failed instead of raising: keep the messages of the
    one thread doing our fetch (by its unique name), so concurrent fetches do not mix."""

    def __init__(self, thread_name: str) -> None:
        super().__init__(logging.DEBUG)
        self.thread_name, self.messages = thread_name, []

    def emit(self, record: logging.LogRecord) -> None:
        if record.threadName == self.thread_name:
            self.messages.append(record.getMessage())


def _why(url: str, logged: list[str], timeout: float) -> str:
    """A reader's reason for a failed download, from what trafilatura logged."""
    text = " ".join(logged)
    host = urlsplit(url).hostname or url
    if "SSRF protection" in text:
        return "is a private or local address; only public web pages are fetched"
    if any(s in text for s in _NO_NETWORK):
        return (f"cannot reach {host}: no network connection, or no such host "
                "(importing from a URL needs the internet; save the page and import the file)")
    if "refused" in text.lower():
        return f"{host} refused the connection"
    if "timed out" in text.lower() or "timeout" in text.lower():
        return f"{host} did not answer within {timeout:g} s"
    if "exceeds MAX_FILE_SIZE" in text:
        return f"the page is over the limit of {MAX_BYTES:,} bytes"
    if "too many" in text.lower() or "Max retries" in text:
        return f"{host} kept failing or redirecting; try again later"
    return f"the page could not be downloaded from {host}"


def fetch_article(url: str, *, timeout: float = FETCH_TIMEOUT,
                  allow_private: bool = False) -> Article:
    """Download one web page with trafilatura and read its article; ``ArticleError`` naming
    the URL and the reason otherwise. Opt-in: nothing else in Storymap goes online.

    The whole fetch has one deadline (``timeout`` seconds) and a ``MAX_BYTES`` cap; the
    server's own network (loopback, private ranges) is refused unless ``allow_private``,
    which only tests and a reader's own intranet need."""
    from trafilatura.downloads import fetch_response
    from trafilatura.settings import use_config

    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ArticleError(url, "only web addresses starting with http:// or https:// are fetched")
    url = parts.geturl()
    config = use_config()
    for option, value in (("DOWNLOAD_TIMEOUT", str(max(1, int(timeout)))),
                          ("MAX_FILE_SIZE", str(MAX_BYTES)), ("MAX_REDIRECTS", "2"),
                          ("SSRF_PROTECTION", "off" if allow_private else "on"),
                          ("INSECURE_SSL_FALLBACK", "off"),
                          ("USER_AGENTS", "Mozilla/5.0 (compatible; Storymap)")):
        config.set("DEFAULT", option, value)
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["response"] = fetch_response(url, config=config)
        except Exception as exc:  # noqa: BLE001 - reported below as this URL's problem
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True, name=f"storymap-fetch-{next(_FETCHES)}")
    logger = logging.getLogger("trafilatura")
    capture = _Capture(worker.name)
    logger.addHandler(capture)
    try:
        worker.start()
        worker.join(timeout)
    finally:
        logger.removeHandler(capture)
    if worker.is_alive():
        raise ArticleError(url, f"{parts.hostname} did not answer within {timeout:g} s")
    response = box.get("response")
    if response is None:
        logged = capture.messages + ([str(box["error"])] if "error" in box else [])
        raise ArticleError(url, _why(url, logged, timeout))
    if response.status != 200:
        raise ArticleError(url, f"the server answered HTTP {response.status}")
    return article_from_html(url, response.data or b"", url=response.url or url)


__all__ = ["FETCH_TIMEOUT", "SUFFIXES", "article_from_html", "articles_from_jsonl",
           "fetch_article", "load_files", "load_paths", "pasted_article"]
