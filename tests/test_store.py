"""Kept stories: the SQLite store, incremental imports, corrections."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import replace

import pytest

from geo.errors import StoreError, StoryError
from geo.export import geojson
from geo.ingest.articles import load_corpus
from geo.models import Article, Mention
from geo.story.corrections import choose, not_a_place, pin
from geo.story.store import SCHEMA_VERSION, Store, _explain, default_path
from geo.story.stories import (
    SEED_STORY,
    correct,
    current_story,
    ensure_seed,
    import_articles,
    load_story,
    mentions,
    remove_article,
    switch,
)

from .conftest import CORPUS, ROOT

A = Article("a", "Rebels advanced on Aleppo while troops withdrew towards Hama.", "Outlet A")
B = Article("b", "Aid convoys reached Idlib from Gaziantep in Turkey.", "Outlet B")


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "stories.db", timeout=0.2) as s:
        yield s


def test_stories_created_listed_renamed_deleted(store):
    store.create("Syria")
    store.create("Lisbon storm")
    assert store.names() == ["Lisbon storm", "Syria"]
    with pytest.raises(StoryError, match="already exists"):
        store.create("  syria ")
    with pytest.raises(StoryError, match="1 to 80 printable"):
        store.create("\x07")
    store.rename("Syria", "Syria 2024")
    store.delete("Lisbon storm")
    assert [(s.name, s.articles) for s in store.stories()] == [("Syria 2024", 0)]
    with pytest.raises(StoryError, match="no story named 'Lisbon storm'"):
        store.delete("Lisbon storm")


def test_another_process_sees_the_same_stories(tmp_path):
    path = tmp_path / "s.db"
    with Store(path) as one:
        one.create("Syria")
        assert one.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        with Store(path) as two:
            assert two.names() == ["Syria"]
        code = f"from geo.story.store import Store; print(Store({str(path)!r}).names())"
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                             text=True, timeout=60)
        assert out.stdout.strip() == "['Syria']", out.stderr


def test_default_path(monkeypatch, tmp_path):
    monkeypatch.setenv("STORYMAP_DB", str(tmp_path / "x.db"))
    assert default_path() == tmp_path / "x.db"
    monkeypatch.delenv("STORYMAP_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_path() == tmp_path / "storymap" / "stories.db"


def test_newer_schema_is_refused_not_misread(tmp_path):
    path = tmp_path / "s.db"
    Store(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="written by a newer Storymap"):
        Store(path)


def test_not_a_database(tmp_path):
    (tmp_path / "s.db").write_bytes(b"this is a text file, not SQLite" * 100)
    with pytest.raises(StoreError, match="is not a Storymap database"):
        Store(tmp_path / "s.db")


def test_locked_database_says_busy(tmp_path):
    path = tmp_path / "s.db"
    Store(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with Store(path, timeout=0.2) as s, pytest.raises(StoreError, match="is busy"):
            s.create("Syria")
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_read_only_database_says_so(tmp_path):
    path = tmp_path / "s.db"
    Store(path).close()
    ro = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as info:
        ro.execute("INSERT INTO settings VALUES ('a', 'b')")
    ro.close()
    assert "is read-only" in str(_explain(path, info.value))
    if os.geteuid() != 0:  # root writes regardless of permissions
        os.chmod(path, 0o444)
        with pytest.raises(StoreError, match="read-only"), Store(path) as s:
            s.create("Syria")


def test_seed_story_made_once(store, pipeline):
    assert ensure_seed(store, lambda: pipeline)
    assert store.names() == [SEED_STORY] and current_story(store) == SEED_STORY
    store.delete(SEED_STORY)
    assert not ensure_seed(store, lambda: pytest.fail("loaded the pipeline"))
    assert store.names() == []


def test_saved_story_is_the_pipelines_story(store, pipeline, seed_story):
    import_articles(store, "Seed", load_corpus(CORPUS).articles, pipeline)
    with Store(store.path) as again:  # a restart: nothing parsed or resolved
        story = load_story(again, "Seed")
    assert geojson.dumps(story) == geojson.dumps(seed_story)
    assert story.unresolved == seed_story.unresolved


def test_only_new_or_changed_articles_are_parsed(store, pipeline):
    seen = []

    def progress(done, total, what):
        seen.append((done, total, what))

    first = import_articles(store, "Syria", [A], pipeline, progress)
    assert (first.added, first.parsed, seen) == (("a",), 1, [(1, 1, "a")])
    seen.clear()
    second = import_articles(store, "Syria", [A, B], pipeline, progress)
    assert (second.added, second.unchanged, second.parsed, seen) == (("b",), ("a",), 1,
                                                                     [(1, 1, "b")])
    assert {q.text for sp in second.story.places for q in sp.quotes} >= {"Aleppo", "Hama",
                                                                           "Idlib"}
    seen.clear()
    changed = replace(A, text="Rebels advanced on Homs.")
    third = import_articles(store, "Syria", [changed, replace(B, title="New title")], pipeline,
                            progress)
    assert (third.updated, third.parsed, seen) == (("a", "b"), 1, [(1, 1, "a")])
    assert [a.id for a in third.story.articles] == ["a", "b"]
    names = {q.text for sp in third.story.places for q in sp.quotes}
    assert "Homs" in names and "Aleppo" not in names
    other = import_articles(store, "Other", [B], pipeline, progress)
    assert other.parsed == 0  # its parse is kept by text, whichever story


def test_remove_an_article(store, pipeline):
    import_articles(store, "Syria", [A, B], pipeline)
    story = remove_article(store, "Syria", "b", pipeline)
    assert [a.id for a in story.articles] == ["a"]
    assert "Idlib" not in {q.text for sp in story.places for q in sp.quotes}
    with pytest.raises(StoryError, match="no article 'zzz'"):
        remove_article(store, "Syria", "zzz", pipeline)


def _mention(store, name, text):
    return next(m for m, _ in mentions(store, name) if m.text == text)


def test_corrections_persist_are_marked_and_survive_a_reparse(store, pipeline):
    import_articles(store, "Syria", [A, B], pipeline)
    hama = _mention(store, "Syria", "Hama")
    assert len(hama.candidates) > 1, hama.candidates
    other = hama.candidates[1]
    story = correct(store, "Syria", choose(hama, other))
    sp = story.place(other.id)
    assert sp is not None and sp.place.corrected and sp.quotes[0].corrected
    feature = next(f for f in geojson.to_geojson(story)["features"] if f["id"] == other.id)
    assert feature["properties"]["corrected"] and feature["properties"]["mentions"][0]["corrected"]
    untouched = story.place(next(sp.place.id for sp in story.places
                                 if sp.place.name == "Aleppo"))
    assert not untouched.place.corrected and not untouched.quotes[0].corrected

    # a pin for every "Idlib", then "Gaziantep" is not a place
    idlib = _mention(store, "Syria", "Idlib")
    story = correct(store, "Syria", pin(idlib, 35.9, 36.6, "Idlib camp", every=True))
    assert story.place("pin:35.90000,36.60000").place.name == "Idlib camp"
    story = correct(store, "Syria", not_a_place(_mention(store, "Syria", "Gaziantep")))
    assert "Gaziantep" not in {q.text for sp in story.places for q in sp.quotes}
    assert "Gaziantep" not in {m.text for m in story.unresolved}

    # a re-parse of a changed article keeps the corrections; so does a restart
    import_articles(store, "Syria", [replace(B, text=B.text + " Later, shells hit Idlib again.")],
                    pipeline)
    with Store(store.path) as again:
        story = load_story(again, "Syria")
        assert len(again.corrections("Syria")) == 3
    assert len(story.place("pin:35.90000,36.60000").quotes) == 2
    assert story.place(other.id).place.corrected


def test_a_later_correction_wins_and_can_be_undone(store, pipeline):
    import_articles(store, "Syria", [A], pipeline)
    aleppo = _mention(store, "Syria", "Aleppo")
    first = store.add_correction("Syria", pin(aleppo, 1.0, 2.0, "One"))
    correct(store, "Syria", pin(aleppo, 3.0, 4.0, "Two", every=True))
    story = load_story(store, "Syria")
    assert story.place("pin:3.00000,4.00000") and not story.place("pin:1.00000,2.00000")
    store.remove_correction("Syria", first)
    assert len(store.corrections("Syria")) == 1


def test_unplaced_mentions_are_listed_and_can_be_placed(store, pipeline):
    text = "Shelling was reported in Kafr Zzyzxqua, north of Aleppo."
    story = import_articles(store, "S", [Article("u", text, "Outlet")], pipeline).story
    assert [m.text for m in story.unresolved] == ["Kafr Zzyzxqua"]
    story = correct(store, "S", pin(story.unresolved[0], 36.3, 37.1, "Kafr Zzyzxqua"))
    assert story.unresolved == () and story.place("pin:36.30000,37.10000").place.corrected


@pytest.mark.parametrize("lat, lon, name", [(91, 0, "x"), (0, float("nan"), "x"),
                                            (0, 0, " ")])
def test_bad_pins_are_refused(lat, lon, name):
    with pytest.raises(StoryError):
        pin(Mention("a", 19, 25, "Aleppo", "GPE"), lat, lon, name)


def test_switch_is_seen_by_every_process(store, pipeline):
    import_articles(store, "Syria", [A], pipeline)
    assert switch(store, "Syria").articles[0].id == "a"
    with Store(store.path) as again:
        assert current_story(again) == "Syria"
    store.rename("Syria", "Aleppo")
    assert current_story(store) == "Aleppo"


def test_every_write_raises_the_revision(store):
    """The page's cache of a loaded story is keyed by it: two changes in one second (which
    ``updated`` cannot tell apart) still give two revisions."""
    seen = [store.revision()]
    store.create("Syria")
    seen.append(store.revision())
    store.rename("Syria", "Syria 2024")
    seen.append(store.revision())
    with Store(store.path) as other:  # another process's write counts too
        other.set_setting("current", "Syria 2024")
    seen.append(store.revision())
    assert seen == sorted(set(seen)) and len(seen) == 4
    store.names()
    assert store.revision() == seen[-1]  # reading changes nothing


def test_seed_from_given_articles_then_never_again(store, pipeline):
    from geo.story.stories import needs_seed, seed

    assert needs_seed(store)
    calls = []
    seed(store, [A, B], pipeline, lambda done, total, what: calls.append((done, total, what)))
    assert not needs_seed(store) and current_story(store) == SEED_STORY
    assert calls == [(1, 2, "a"), (2, 2, "b")]
    store.delete(SEED_STORY)
    assert not needs_seed(store)  # deleting the seed story does not bring it back


def test_story_from_stored_is_load_story(store, pipeline):
    from geo.story.stories import story_from

    import_articles(store, "Syria", [A, B], pipeline)
    assert story_from(store.resolved("Syria"), store.corrections("Syria")) == \
        load_story(store, "Syria")


# -- the geoparser's version: stale stories and their update ---------------------------------

@pytest.fixture
def checkout(tmp_path):
    """A copy of what the geoparser's digest reads, as a fresh clone would have it (new
    file times)."""
    root = tmp_path / "checkout"
    shutil.copytree(ROOT / "geo", root / "geo", ignore=shutil.ignore_patterns("__pycache__"),
                    copy_function=shutil.copy)
    shutil.copytree(ROOT / "data", root / "data", ignore=shutil.ignore_patterns("cache"),
                    copy_function=shutil.copy)
    shutil.copy(ROOT / "requirements-model.txt", root)
    return root


def test_the_geoparsers_version_is_a_digest_of_contents(checkout):
    from geo import version

    before = version.digest(checkout)
    assert before == version.digest(ROOT) and len(version.geoparser_version()) == 16
    os.utime(checkout / "geo" / "resolution" / "resolver.py", (0, 0))  # times are not contents
    (checkout / "geo" / "maps" / "render.py").write_text("# output only\n")
    (next((checkout / "data" / "stories").rglob("*.*"))).write_text("an evaluation story\n")
    assert version.digest(checkout) == before

    for changed in ("geo/resolution/resolver.py", "data/ranker.json", "requirements-model.txt"):
        path = checkout / changed
        text = path.read_bytes()
        path.write_bytes(text + b"\n")
        assert version.digest(checkout) != before, changed
        path.write_bytes(text.replace(b"\n", b"\r\n"))  # a CRLF checkout is the same
        assert version.digest(checkout) == before, changed
    (checkout / "data" / "new.tsv").write_text("a\tb\n")
    assert version.digest(checkout) != before


def test_a_story_mapped_by_an_earlier_geoparser_is_stale_and_updated(store, pipeline,
                                                                      monkeypatch):
    from geo.story import stories

    store.create("Empty")
    import_articles(store, "Syria", [A, B], pipeline)
    hama = _mention(store, "Syria", "Hama")
    other = hama.candidates[1]
    correct(store, "Syria", choose(hama, other))
    before = load_story(store, "Syria")
    assert not stories.is_stale(store, "Syria") and not stories.is_stale(store, "Empty")

    monkeypatch.setattr(stories, "geoparser_version", lambda: "next")  # geo/ or data/ changed
    assert stories.is_stale(store, "Syria")
    assert not stories.is_stale(store, "Empty")  # nothing in it to map again
    assert load_story(store, "Syria") == before  # shown as it was until updated

    seen = []
    story = stories.refresh(store, "Syria", pipeline,
                            lambda done, total, what: seen.append((done, total, what)))
    assert seen == [(1, 2, "a"), (2, 2, "b")]  # parsed again by this geoparser
    assert not stories.is_stale(store, "Syria")
    assert store.info("Syria").parser == "geoparser next"
    assert story.place(other.id).place.corrected  # the correction still applies
    assert story == before


def test_a_story_from_before_versions_were_kept_is_stale(tmp_path, pipeline):
    from geo.story.stories import is_stale

    path = tmp_path / "old.db"
    with Store(path) as store:
        import_articles(store, "Syria", [A], pipeline)
    with sqlite3.connect(path) as db:  # the schema as Storymap wrote it before
        db.execute("ALTER TABLE stories DROP COLUMN parser")
        db.execute("PRAGMA user_version = 1")
    with Store(path) as store:
        assert [(s.name, s.parser) for s in store.stories()] == [("Syria", None)]
        assert is_stale(store, "Syria") and load_story(store, "Syria").places
