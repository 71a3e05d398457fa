"""Named stories kept in one SQLite file: articles, their parses, resolved mentions with
their places and candidates, and the reader's corrections.

    >>> from geo.story.store import Store
    >>> with Store.open() as store:                       # doctest: +SKIP
    ...     store.names()
    ['Seed story']

SQLite from the standard library, in WAL mode, so the page and a command line (or two
pages) can read while one writes, and a restart finds every story as it was. Each write is
one transaction: a story is never half saved. The schema's version is SQLite's
``user_version``; ``MIGRATIONS[i]`` takes a database from version ``i`` to ``i + 1``, and a
database from a newer Storymap is refused rather than misread. Every SQLite failure
becomes a ``StoreError`` that says what is wrong (busy, read-only, not a database, newer)
and what to do, never a traceback.

A parse (the recogniser's mentions and sentences) is kept by the article text's hash and
the parser's fingerprint, so an article is parsed once, whichever story it is in; the
resolved mentions are kept per story, with the fingerprint they were made by, so opening a
story parses and resolves nothing, and a story mapped by an earlier geoparser is known.
"""
from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from geo.errors import StoreError, StoryError
from geo.models import Alternative, Article, Mention, Place
from geo.story.corrections import Correction

#: Longest story name.
MAX_NAME = 80
MIGRATIONS = (
    """
    CREATE TABLE stories (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        created TEXT NOT NULL,
        updated TEXT NOT NULL);
    CREATE TABLE articles (
        story INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        position INTEGER NOT NULL,
        hash TEXT NOT NULL,
        text TEXT NOT NULL,
        source TEXT NOT NULL,
        title TEXT, url TEXT, published TEXT, path TEXT,
        sentences TEXT NOT NULL,
        PRIMARY KEY (story, id));
    CREATE TABLE parses (
        hash TEXT NOT NULL,
        parser TEXT NOT NULL,
        mentions TEXT NOT NULL,
        sentences TEXT NOT NULL,
        PRIMARY KEY (hash, parser));
    CREATE TABLE mentions (
        story INTEGER NOT NULL,
        article TEXT NOT NULL,
        position INTEGER NOT NULL,
        mention TEXT NOT NULL,
        place TEXT,
        FOREIGN KEY (story, article) REFERENCES articles(story, id) ON DELETE CASCADE);
    CREATE INDEX mentions_by_story ON mentions(story, article, position);
    CREATE TABLE corrections (
        id INTEGER PRIMARY KEY,
        story INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        article TEXT, start INTEGER, "end" INTEGER,
        place TEXT,
        created TEXT NOT NULL);
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # the geoparser version a story was last mapped by (NULL: before versions were kept)
    "ALTER TABLE stories ADD COLUMN parser TEXT",
)
SCHEMA_VERSION = len(MIGRATIONS)

#: Run at the end of every write transaction (see ``Store.revision``).
_BUMP = ("INSERT INTO settings VALUES ('revision', '1') ON CONFLICT (key) DO UPDATE "
         "SET value = CAST(value AS INTEGER) + 1")

#: ``StoryInfo`` rows, of the stories a WHERE clause (or "") keeps.
_INFO = ("SELECT s.name, COUNT(a.id), s.updated, s.parser FROM stories s "
         "LEFT JOIN articles a ON a.story = s.id {} GROUP BY s.id")

#: One article's parse: its mentions (without their article id) and sentence bounds.
Parse = tuple[tuple[Mention, ...], tuple[tuple[int, int], ...]]
#: One article of a stored story: the article, its sentences, its resolved mentions.
StoredArticle = tuple[Article, tuple[tuple[int, int], ...], list[tuple[Mention, Place | None]]]


def default_path() -> Path:
    """``$STORYMAP_DB``, else ``stories.db`` in the user's data folder (XDG)."""
    if env := os.environ.get("STORYMAP_DB"):
        return Path(env).expanduser()
    data = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data) / "storymap" / "stories.db"


@dataclass(frozen=True)
class StoryInfo:
    """A story in the list: its name, how many articles, when it last changed (UTC ISO),
    and the parser fingerprint it was last mapped by (None if never)."""

    name: str
    articles: int
    updated: str
    parser: str | None = None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _explain(path: Path, exc: sqlite3.Error) -> StoreError:
    """The reader's message for an SQLite failure on the database at ``path``."""
    text = str(exc).lower()
    where = f"the story database {path}"
    if "locked" in text or "busy" in text:
        return StoreError(f"{where} is busy: another Storymap is writing to it; try again "
                          "in a moment")
    if "readonly" in text or "read-only" in text:
        return StoreError(f"{where} is read-only; make it writable, or set STORYMAP_DB to "
                          "another file")
    if "not a database" in text or "malformed" in text:
        return StoreError(f"{where} is not a Storymap database (or is damaged); move it "
                          "away or set STORYMAP_DB to another file")
    if "unable to open" in text:
        return StoreError(f"{where} cannot be opened; check the folder exists and is "
                          "writable, or set STORYMAP_DB to another file")
    return StoreError(f"{where} failed: {exc}")


def _check_name(name: str) -> str:
    """A story name as kept: single-spaced, 1 to ``MAX_NAME`` printable characters."""
    name = " ".join(str(name).split())
    if not name or len(name) > MAX_NAME or not name.isprintable():
        raise StoryError(f"a story name must be 1 to {MAX_NAME} printable characters")
    return name


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))


def _mention_json(m: Mention) -> str:
    d = asdict(m)
    del d["article_id"]
    return _dump(d)


def _mention(article_id: str, d: dict[str, Any]) -> Mention:
    d["candidates"] = tuple(Alternative(**a) for a in d.get("candidates", ()))
    return Mention(article_id=article_id, **d)


def _place_json(p: Place | None) -> str | None:
    return None if p is None else _dump(asdict(p))


def _place(text: str | None) -> Place | None:
    if text is None:
        return None
    d = json.loads(text)
    d["candidates"] = tuple(Alternative(**a) for a in d.get("candidates", ()))
    return Place(**d)


class Store:
    """The story database: open once per process (or page session) and reuse."""

    def __init__(self, path: str | Path, *, timeout: float = 5.0) -> None:
        """Opens, or creates, the database at ``path`` and brings its schema up to date;
        ``timeout`` is how long to wait for another writer before saying it is busy."""
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"the story database's folder {self.path.parent} cannot be "
                             f"made ({exc.strerror}); set STORYMAP_DB to another file") from None
        self._db: sqlite3.Connection | None = None
        with self._errors():
            self._db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None,
                                       check_same_thread=False)
            self._migrate()

    @classmethod
    def open(cls, path: str | Path | None = None, *, timeout: float = 5.0) -> Store:
        """The database at ``path``, else ``default_path()``."""
        return cls(path or default_path(), timeout=timeout)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise _explain(self.path, exc) from None

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            raise StoreError(f"the story database {self.path} is closed")
        return self._db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (``BEGIN IMMEDIATE``) so two writers queue
        instead of failing half way."""
        with self._errors():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
                self.db.execute(_BUMP)
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def revision(self) -> int:
        """A counter every write to the database raises (by any process): what a cache of
        a loaded story is keyed by, since ``updated`` only counts seconds."""
        rows = self._read("SELECT value FROM settings WHERE key = 'revision'")
        return int(rows[0][0]) if rows else 0

    def _read(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        with self._errors():
            return self.db.execute(sql, args).fetchall()

    def _migrate(self) -> None:
        db = self.db
        db.execute("PRAGMA foreign_keys = ON")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"the story database {self.path} was written by a newer Storymap "
                             f"(schema {version}; this one reads up to {SCHEMA_VERSION}); "
                             "upgrade Storymap, or set STORYMAP_DB to another file")
        if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            db.execute("PRAGMA journal_mode = WAL")
        if version == SCHEMA_VERSION:
            return
        with self._write() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]  # another process?
            for step in MIGRATIONS[version:]:
                for statement in filter(str.strip, step.split(";")):
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # stories

    def _story_id(self, name: str) -> int:
        rows = self._read("SELECT id FROM stories WHERE name = ?", (_check_name(name),))
        if not rows:
            raise StoryError(f"there is no story named '{name}'")
        return rows[0][0]

    def has(self, name: str) -> bool:
        return bool(self._read("SELECT 1 FROM stories WHERE name = ?", (_check_name(name),)))

    def stories(self) -> list[StoryInfo]:
        """Every story, by name."""
        rows = self._read(_INFO.format("") + " ORDER BY s.name COLLATE NOCASE")
        return [StoryInfo(*row) for row in rows]

    def names(self) -> list[str]:
        return [s.name for s in self.stories()]

    def info(self, name: str) -> StoryInfo:
        """One story's line of ``stories()``."""
        return StoryInfo(*self._read(_INFO.format("WHERE s.id = ?"),
                                     (self._story_id(name),))[0])

    def create(self, name: str) -> str:
        """A new empty story; ``StoryError`` if the name is taken (case aside)."""
        name = _check_name(name)
        with self._write() as db:
            if db.execute("SELECT 1 FROM stories WHERE name = ?", (name,)).fetchone():
                raise StoryError(f"a story named '{name}' already exists")
            now = _now()
            db.execute("INSERT INTO stories (name, created, updated) VALUES (?, ?, ?)",
                       (name, now, now))
        return name

    def rename(self, old: str, new: str) -> str:
        new = _check_name(new)
        story = self._story_id(old)
        with self._write() as db:
            clash = db.execute("SELECT id FROM stories WHERE name = ?", (new,)).fetchone()
            if clash and clash[0] != story:
                raise StoryError(f"a story named '{new}' already exists")
            db.execute("UPDATE stories SET name = ?, updated = ? WHERE id = ?",
                       (new, _now(), story))
            if self._setting(db, "current") == _check_name(old):
                db.execute("REPLACE INTO settings VALUES ('current', ?)", (new,))
        return new

    def delete(self, name: str) -> None:
        """The story and everything in it (its parses stay while another story uses them)."""
        story = self._story_id(name)
        with self._write() as db:
            db.execute("DELETE FROM stories WHERE id = ?", (story,))
            if self._setting(db, "current") == _check_name(name):
                db.execute("DELETE FROM settings WHERE key = 'current'")
            self._prune(db)

    # settings: the current story, whether the seed was ever made

    @staticmethod
    def _setting(db: sqlite3.Connection, key: str) -> str | None:
        row = db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def setting(self, key: str) -> str | None:
        with self._errors():
            return self._setting(self.db, key)

    def set_setting(self, key: str, value: str) -> None:
        with self._write() as db:
            db.execute("REPLACE INTO settings VALUES (?, ?)", (key, value))

    # articles, parses and resolved mentions

    def articles(self, name: str) -> list[tuple[Article, str]]:
        """The story's articles in order, each with its text's hash."""
        rows = self._read("SELECT id, text, source, title, url, published, path, hash "
                          "FROM articles WHERE story = ? ORDER BY position",
                          (self._story_id(name),))
        return [(Article(*row[:7]), row[7]) for row in rows]

    def parses(self, hashes: Iterable[str], parser: str) -> dict[str, Parse]:
        """Kept parses of these texts by this parser, by hash (mentions' article ids empty)."""
        out: dict[str, Parse] = {}
        for h in set(hashes):
            rows = self._read("SELECT mentions, sentences FROM parses WHERE hash = ? AND "
                              "parser = ?", (h, parser))
            if rows:
                mentions = tuple(_mention("", m) for m in json.loads(rows[0][0]))
                out[h] = mentions, tuple(tuple(s) for s in json.loads(rows[0][1]))
        return out

    def save(self, name: str, articles: Sequence[tuple[Article, str]], parses: dict[str, Parse],
             parser: str, resolved: Sequence[Sequence[tuple[Mention, Place | None]]]) -> None:
        """The story's articles (with hashes), the parse of each (by hash; new ones are
        kept for other stories too) and its resolved mentions, in place of what it held:
        one transaction. The story is marked as mapped by ``parser``; parses by another
        parser are dropped."""
        story = self._story_id(name)
        with self._write() as db:
            for h, (mentions, sentences) in parses.items():
                db.execute("REPLACE INTO parses VALUES (?, ?, ?, ?)",
                           (h, parser, "[" + ",".join(map(_mention_json, mentions)) + "]",
                            _dump(sentences)))
            db.execute("DELETE FROM articles WHERE story = ?", (story,))
            db.execute("DELETE FROM mentions WHERE story = ?", (story,))
            db.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [(story, a.id, i, h, a.text, a.source, a.title, a.url, a.published,
                             a.path, _dump(parses[h][1])) for i, (a, h) in enumerate(articles)])
            db.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?, ?)",
                           [(story, m.article_id, i, _mention_json(m), _place_json(p))
                            for pairs in resolved for i, (m, p) in enumerate(pairs)])
            db.execute("UPDATE stories SET updated = ?, parser = ? WHERE id = ?",
                       (_now(), parser, story))
            db.execute("DELETE FROM parses WHERE parser != ?", (parser,))
            self._prune(db)

    @staticmethod
    def _prune(db: sqlite3.Connection) -> None:
        """Drop parses no story's article uses any more."""
        db.execute("DELETE FROM parses WHERE hash NOT IN (SELECT hash FROM articles)")

    def resolved(self, name: str) -> list[StoredArticle]:
        """Each article with its sentences and resolved mentions, as last saved."""
        story = self._story_id(name)
        rows = self._read("SELECT id, text, source, title, url, published, path, sentences "
                          "FROM articles WHERE story = ? ORDER BY position", (story,))
        articles = [(Article(*row[:7]), tuple(map(tuple, json.loads(row[7])))) for row in rows]
        pairs: dict[str, list[tuple[Mention, Place | None]]] = {a.id: [] for a, _ in articles}
        for article, mention, place in self._read(
                "SELECT article, mention, place FROM mentions WHERE story = ? "
                "ORDER BY article, position", (story,)):
            pairs[article].append((_mention(article, json.loads(mention)), _place(place)))
        return [(a, sentences, pairs[a.id]) for a, sentences in articles]

    # corrections

    def add_correction(self, name: str, correction: Correction) -> int:
        """Keeps a correction; its id, to take it back with ``remove_correction``."""
        story = self._story_id(name)
        c = correction
        with self._write() as db:
            cur = db.execute("INSERT INTO corrections (story, name, article, start, \"end\", "
                             "place, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
                             (story, c.name, c.article_id, c.start, c.end,
                              _place_json(c.place), _now()))
            db.execute("UPDATE stories SET updated = ? WHERE id = ?", (_now(), story))
            return int(cur.lastrowid)

    def corrections(self, name: str) -> list[Correction]:
        """The story's corrections, oldest first (a later one overrides an earlier one)."""
        rows = self._read("SELECT id, name, article, start, \"end\", place FROM corrections "
                          "WHERE story = ? ORDER BY id", (self._story_id(name),))
        return [Correction(name=n, place=_place(p), article_id=a, start=s, end=e, id=i)
                for i, n, a, s, e, p in rows]

    def remove_correction(self, name: str, correction_id: int) -> None:
        story = self._story_id(name)
        with self._write() as db:
            db.execute("DELETE FROM corrections WHERE story = ? AND id = ?",
                       (story, correction_id))


__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Store", "StoryInfo", "default_path"]
