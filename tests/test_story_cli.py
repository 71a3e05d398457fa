"""``python -m geo story``: import, list, export, rm, rename, and clear failures."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from geo.cli import main
from geo.story import cli as story_cli
from geo.story.store import SCHEMA_VERSION, Store

from .conftest import ROOT

PAGES = Path(__file__).resolve().parent / "pages"


@pytest.fixture
def db(tmp_path, monkeypatch, pipeline):
    """A fresh database, and the session's pipeline in place of loading one."""
    monkeypatch.setattr(story_cli, "load_pipeline", lambda: pipeline)
    path = tmp_path / "stories.db"
    monkeypatch.setenv("STORYMAP_DB", str(path))
    return path


def test_import_list_export_rm(db, tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("---\nsource: Outlet A\n---\nRebels advanced on Aleppo.\n")
    (folder / "courier.html").write_bytes((PAGES / "courier.html").read_bytes())
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    lines = tmp_path / "more.jsonl"
    lines.write_text(json.dumps({"text": "Aid convoys reached Idlib from Gaziantep in Turkey.",
                                 "source": "Outlet C"}) + "\nbad\n")

    assert main(["story", "import", "Syria", str(folder), str(lines)]) == 0
    err = capsys.readouterr().err
    assert "made the seed story" in err
    assert "skipped notes.pdf: only .txt, .md, .html, .htm and .jsonl files are read" in err
    assert "skipped more.jsonl, line 2: not JSON" in err
    assert "[3/3]" in err and "Syria: 3 added, 0 updated, 0 unchanged (3 parsed)" in err

    assert main(["story", "import", "Syria", str(folder / "a.txt")]) == 0
    assert "0 added, 0 updated, 1 unchanged (0 parsed)" in capsys.readouterr().err

    assert main(["story", "list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[:2] for line in out] == [["Seed story", "5 articles"],
                                                      ["Syria", "3 articles"]]

    html, gj = tmp_path / "s.html", tmp_path / "s.geojson"
    assert main(["story", "export", "Syria", "--html", str(html), "--geojson", str(gj)]) == 0
    features = json.loads(gj.read_text(encoding="utf-8"))["features"]
    aliases = {a for f in features for a in f["properties"]["aliases"]}
    assert {"Aleppo", "Latakia", "Idlib"} <= aliases
    assert all(f["properties"]["corrected"] is False for f in features)
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")

    assert main(["story", "rename", "Syria", "Syria 2024"]) == 0
    assert main(["story", "rm", "Syria 2024"]) == 0
    capsys.readouterr()
    assert main(["story", "rm", "Syria 2024"]) == 1
    assert capsys.readouterr().err.strip() == "error: there is no story named 'Syria 2024'"
    with Store(db) as store:
        assert store.names() == ["Seed story"]


def test_nothing_usable_imports_nothing(db, tmp_path, capsys):
    (tmp_path / "empty.txt").write_text("")
    assert main(["story", "import", "S", str(tmp_path / "empty.txt"),
                 "--url", "http://storymap-test.invalid/a", "--timeout", "5"]) == 1
    err = capsys.readouterr().err
    assert "skipped empty.txt: the file is empty" in err
    assert "skipped http://storymap-test.invalid/a: cannot reach storymap-test.invalid" in err
    assert "error: no usable article" in err and not db.exists()


def test_export_needs_a_target(db, capsys):
    assert main(["story", "export", "Seed story"]) == 2
    assert "--html FILE and/or --geojson FILE" in capsys.readouterr().err


def test_unusable_database_is_a_message_not_a_traceback(tmp_path):
    path = tmp_path / "s.db"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    r = subprocess.run([sys.executable, "-m", "geo", "story", "--db", str(path), "list"],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "written by a newer Storymap" in r.stderr


def test_a_stale_story_is_listed_hinted_at_and_refreshed(db, tmp_path, capsys, monkeypatch):
    from geo.story import stories

    (tmp_path / "a.txt").write_text("Rebels advanced on Aleppo.\n")
    assert main(["story", "import", "My story", str(tmp_path / "a.txt")]) == 0
    monkeypatch.setattr(stories, "geoparser_version", lambda: "next")  # geo/ or data/ changed
    capsys.readouterr()

    assert main(["story", "list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0::3] for line in out] == [
        ["My story", "stale: mapped by an earlier geoparser"],
        ["Seed story", "stale: mapped by an earlier geoparser"]]
    assert main(["story", "export", "My story", "--geojson", str(tmp_path / "s.geojson")]) == 0
    hint = [line for line in capsys.readouterr().err.splitlines() if "earlier" in line]
    assert hint == ["note: 'My story' was mapped by an earlier version of the geoparser; "
                    "python -m geo story refresh 'My story' updates it"]

    assert main(["story", "refresh", "My story"]) == 0
    err = capsys.readouterr().err
    assert "[1/1] a" in err and "My story: 1 article mapped again; 1 places" in err
    assert main(["story", "refresh", "My story"]) == 0
    assert "already mapped by this geoparser" in capsys.readouterr().err
    assert main(["story", "list"]) == 0
    assert [len(line.split("\t")) for line in capsys.readouterr().out.splitlines()] == [3, 4]
    assert main(["story", "refresh", "Nothing"]) == 1
