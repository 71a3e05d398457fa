"""The Streamlit page, run headless with streamlit.testing.v1.AppTest (no browser)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")
HMEIMIM = "storymap:hmeimim-air-base"


def run_app(**state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in state.items():
        at.session_state[k] = v
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def panel_html(at: AppTest) -> str | None:
    found = [m.value for m in at.markdown if "storymap-panel" in m.value]
    return found[0] if found else None


def places_table(at: AppTest):
    """The sidebar's places table, its expander opened first (closed, it is not built)."""
    if not any(list(d.value.columns)[:2] == ["Place", "Kind"] for d in at.dataframe):
        opened(at, "places_table_open")
    return next(d for d in at.dataframe if list(d.value.columns)[:2] == ["Place", "Kind"])


@pytest.fixture(autouse=True)
def fresh_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test its own story database: none ever touches the user's."""
    path = tmp_path / "stories.db"
    monkeypatch.setenv("STORYMAP_DB", str(path))
    return path


@pytest.fixture(scope="module")
def corpus_app(tmp_path_factory: pytest.TempPathFactory) -> AppTest:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STORYMAP_DB", str(tmp_path_factory.mktemp("db") / "stories.db"))
        return run_app()


def test_page_runs_on_the_corpus(corpus_app: AppTest) -> None:
    at = corpus_app
    assert at.title[0].value == "Storymap"
    assert any("5 articles from 5 sources" in c.value for c in at.caption)
    assert panel_html(at) is None  # nothing selected yet: a hint instead
    assert any("Click a marker" in i.value for i in at.info)
    assert not at.dataframe  # the places table waits for its expander to be opened
    table = places_table(at).value
    assert len(table) >= 20 and {"Hmeimim Air Base", "Tartus", "Syria"} <= set(table["Place"])
    assert any("GeoNames" in c.value and "CC BY" in c.value for c in at.caption)
    assert any("need a network" in c.value for c in at.caption)


def test_download_buttons_exist(corpus_app: AppTest) -> None:
    labels = {b.label for b in corpus_app.get("download_button")}
    assert {"Standalone map (HTML)", "Places (GeoJSON)"} <= labels


def test_matrix_shows_the_most_named_places_and_offers_the_whole_table(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from geo.page import view

    monkeypatch.setattr(view, "MATRIX_ROWS", 4)  # as a story of thousands of places would
    at = run_app()
    html = next(m.value for m in at.markdown if "storymap-matrix" in m.value)
    assert html.count("<tr") == 1 + 4  # the header and four places
    button = next(b for b in at.get("download_button") if "whole table" in b.label)
    assert button.label.startswith("The 4 places most sources name are shown, of ")
    assert len(places_table(at).value) > 4  # the table still lists every place


def test_source_matrix_marks_single_source_places(corpus_app: AppTest) -> None:
    html = next(m.value for m in corpus_app.markdown if "storymap-matrix" in m.value)
    heads = [re.sub(r"<[^>]+>", "", h) for h in
             re.findall(r"<th style='[^']*'>(.*?)</th>", html.split("</thead>")[0])]
    assert heads == ["Place", "Frances Martel", "Article 001", "RT News", "Article 003",
                     "Article 004"]
    row = re.search(r"<tr[^>]*><th[^>]*>Hmeimim Air Base</th>(.*?)</tr>", html).group(1)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row) == ["", "✓", "✓", "✓", "✓"]
    assert html.count("storymap-only") >= 5
    assert any("only one source names" in c.value for c in corpus_app.caption)


def test_selecting_hmeimim_shows_every_source_and_the_silent_one() -> None:
    at = run_app(place=HMEIMIM)
    html = panel_html(at)
    assert html and "Hmeimim Air Base" in html
    for source in ("Article 001", "RT News", "Article 003", "Article 004"):
        assert f"<b>{source}</b>" in html
    assert html.count("<mark>") == 4
    assert "<mark>Hmeimim" in html and "<mark>Khmeimim" in html
    silent = html[html.index("storymap-silent"):]
    assert "Frances Martel" in silent and "RT News" not in silent


def test_filters_reduce_the_places() -> None:
    at = run_app()
    n_all = len(places_table(at).value)
    at.slider(key="min_sources").set_value(4).run()
    assert not at.exception
    four = places_table(at).value
    assert set(four["Place"]) == {"Syria", "Russia", "Moscow",
                                  "Hmeimim Air Base", "Tartus"}
    assert len(four) < n_all
    at.slider(key="min_sources").set_value(1).run()
    at.multiselect[1].set_value(["facility"]).run()  # kinds of place
    assert set(places_table(at).value["Kind"]) == {"facility"}
    at.multiselect[1].set_value(view_kinds(at)).run()
    at.multiselect[0].set_value(["RT News"]).run()  # one source only
    rt = places_table(at).value
    assert 0 < len(rt) < n_all


def view_kinds(at: AppTest) -> list[str]:
    return list(at.multiselect[1].options)


HOSTILE = """---
source: "<img src=x onerror=alert('src')>Evil Times"
title: "<script>alert('title')</script>"
url: "javascript:alert('url')"
---
Troops left Damascus <script>alert(1)</script> on Monday. Later they reached Homs.
"""

PLAIN = """---
source: Plain Post
url: https://example.org/story
---
Shelling resumed in Damascus on Monday, officials in Moscow said.
"""


def test_hostile_article_is_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "evil.txt").write_text(HOSTILE, encoding="utf-8")
    (tmp_path / "plain.md").write_text(PLAIN, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    monkeypatch.setenv("STORYMAP_CORPUS", str(tmp_path))
    at = run_app()
    assert any("empty\\.txt" in w.value and "the file is empty" in w.value for w in at.warning)
    story = at.session_state["_story"]
    damascus = next(sp.place.id for sp in story.places if sp.place.name == "Damascus")
    at.session_state["place"] = damascus
    at.run()
    assert not at.exception
    html = panel_html(at)
    assert html is not None
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(" in html
    assert "&lt;script&gt;alert(" in html  # the title
    assert "javascript:" not in html  # the hostile url is not linked
    assert "href='https://example.org/story'" in html
    for md in at.markdown:  # nothing live anywhere on the page
        assert "<script" not in md.value.lower() and "<img" not in md.value.lower()
    assert "Plain Post" in html and "Not mentioned by" not in html


def test_no_source_chosen_is_every_source_and_single_article_corpus(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app()
    assert at.multiselect[0].value == [] and "All 5 sources" in at.multiselect[0].placeholder
    every = len(places_table(at).value)
    at.multiselect[0].set_value(["RT News"]).run()
    assert 0 < len(places_table(at).value) < every
    at.multiselect[0].set_value([]).run()
    assert len(places_table(at).value) == every
    at.multiselect[1].set_value([]).run()  # no kind of place
    assert not at.exception
    assert len(places_table(at).value) == 0
    assert any("No place matches" in c.value for c in at.caption)

    (tmp_path / "one.txt").write_text("Shelling resumed in Damascus on Monday.", "utf-8")
    monkeypatch.setenv("STORYMAP_CORPUS", str(tmp_path))
    monkeypatch.setenv("STORYMAP_DB", str(tmp_path / "other.db"))  # seeded from it
    at = run_app()
    assert not at.slider  # one source: no "at least N sources" slider
    assert any("1 article from 1 source · 1 place" in c.value for c in at.caption)


def test_empty_corpus_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01binary")
    monkeypatch.setenv("STORYMAP_CORPUS", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert any("has no articles yet" in i.value for i in at.info)
    assert any("bad\\.txt" in w.value and "binary" in w.value for w in at.warning)


def test_a_shared_url_restores_selection_and_filters() -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["place"] = HMEIMIM
    at.query_params["source"] = ["RT News", "Article 003", "Nobody"]
    at.query_params["min"] = "2"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.multiselect[0].value == ["RT News", "Article 003"]  # unknown source dropped
    assert at.slider(key="min_sources").value == 2
    html = panel_html(at)
    assert "Hmeimim Air Base" in html and "Frances Martel" not in html  # filters reach it
    assert set(places_table(at).value["Place"]) >= {"Hmeimim Air Base", "Syria"}
    at.slider(key="min_sources").set_value(1).run()
    assert at.query_params["place"] in (HMEIMIM, [HMEIMIM])
    assert "min" not in at.query_params


def test_state_and_params_round_trip(corpus_app: AppTest) -> None:
    from geo.page import view

    story = corpus_app.session_state["_story"]
    state = {"place": HMEIMIM, "f_sources": ["RT News"], "f_kinds": ["city"], "min_sources": 1}
    params = view.params_from_state(story, state)
    assert params == {"place": HMEIMIM, "source": ["RT News"], "kind": ["city"]}
    back = view.state_from_params(story, {"place": HMEIMIM}, params)
    assert back["f_sources"] == ["RT News"] and back["f_kinds"] == ["city"]
    assert back["place"] == HMEIMIM and back["min_sources"] == 1
    assert view.state_from_params(story, {"min": "x", "place": "nowhere"}, {})["min_sources"] == 1


def test_the_map_view_goes_into_the_url_and_back(corpus_app: AppTest) -> None:
    from geo.page import view

    story = corpus_app.session_state["_story"]
    shown = view.map_view({"last_object_clicked_count": 0, "zoom": 7,
                           "center": {"lat": 35.123456, "lng": 396.5}})  # panned round once
    assert shown == (35.1235, 36.5, 7)
    params = view.params_from_state(story, {"view": shown})
    assert params == {"view": "35.1235,36.5000,7"}
    back = view.state_from_params(story, params, {})
    assert back["view"] == back["opening_view"] == shown
    for bad in ("", "1,2", "95,10,5", "10,10,0", "a,b,c", "10,10,5.5"):
        assert "view" not in view.state_from_params(story, {"view": bad}, {}), bad
    assert view.map_view({"zoom": 3}) is None and view.map_view(None) is None


def test_a_shared_view_opens_the_map_there() -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["view"] = "34.8900,35.8900,9"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.session_state["opening_view"] == (34.89, 35.89, 9)
    assert at.query_params["view"] in ("34.8900,35.8900,9", ["34.8900,35.8900,9"])


# -- stories of your own: the story database, imports, corrections ------------------------

TRIPOLI_TEXT = ("Two fuel tankers bound for Tartus turned back towards Tripoli on Saturday, port "
                "agents said. One agent said the cargo would be sold in Lebanon instead.")
WADI_TEXT = "Fighting near Wadi Barada and Ain al-Fijeh cut water to Damascus on Monday."


def button(at: AppTest, label: str):
    """The one button (or form submit button) with this label."""
    found = [b for b in at.button if b.label == label]
    assert len(found) == 1, [b.label for b in at.button]
    return found[0]


def opened(at: AppTest, key: str) -> AppTest:
    """Opens the expander ``key`` (the story tools are built only while open), as a click
    on its title would."""
    at.session_state[key] = True
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def paste(at: AppTest, text: str, source: str = "", url: str = "") -> AppTest:
    opened(at, "add_articles")
    n = at.session_state["_pasted"] if "_pasted" in at.session_state else 0
    at.text_area(key=f"paste_text_{n}").input(text)
    at.text_input(key=f"paste_source_{n}").input(source)
    at.text_input(key=f"paste_url_{n}").input(url)
    button(at, "Add the text").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def place_named(at: AppTest, name: str):
    return next((sp for sp in at.session_state["_story"].places if sp.place.name == name), None)


def test_the_seed_story_is_kept_and_chosen_in_the_url(fresh_db: Path) -> None:
    at = run_app()
    assert at.selectbox(key="story").value == "Seed story"
    assert at.query_params["story"] in ("Seed story", ["Seed story"])
    assert fresh_db.exists()
    from geo.story.store import Store
    with Store(fresh_db) as store:
        assert [(s.name, s.articles) for s in store.stories()] == [("Seed story", 5)]


def test_pasted_article_joins_the_current_story() -> None:
    at = paste(run_app(), TRIPOLI_TEXT, source="Harbour <b>Watch</b>")
    assert any(s.value == "1 article added\\." for s in at.success)
    assert any("6 articles from 6 sources" in c.value for c in at.caption)
    tripoli = place_named(at, "Tripoli")
    assert tripoli and tripoli.quotes[0].source == "Harbour <b>Watch</b>"
    assert place_named(at, "Hmeimim Air Base")  # the seed story's places stay
    at = paste(at, TRIPOLI_TEXT, source="Harbour <b>Watch</b>")  # the same article again
    assert any("1 already in the story" in s.value for s in at.success)
    assert any("6 articles from 6 sources" in c.value for c in at.caption)


def test_a_refused_paste_is_named_with_its_reason() -> None:
    at = paste(run_app(), "Shelling in Homs.", url="javascript:alert(1)")
    warning = next(w.value for w in at.warning if w.value.startswith("Not added"))
    assert "pasted text" in warning and "must start with http" in warning
    assert not at.success and any("5 articles" in c.value for c in at.caption)
    assert at.text_area(key="paste_text_0").value == "Shelling in Homs."  # kept to fix


def test_the_story_tools_are_built_only_when_opened() -> None:
    at = run_app()
    assert {"New, rename, delete", "Add articles"} <= {e.label for e in at.expander}
    assert not at.text_input and not at.text_area and not at.get("file_uploader")
    assert opened(at, "add_articles").get("file_uploader")
    assert opened(at, "manage_stories").text_input(key="new_story")


def test_stories_are_created_switched_renamed_and_deleted(fresh_db: Path) -> None:
    at = opened(run_app(), "manage_stories")
    at.text_input(key="new_story").input("Coast <i>watch</i>")
    button(at, "Create the story").click().run()
    assert at.selectbox(key="story").value == "Coast <i>watch</i>"
    assert any("has no articles yet" in i.value for i in at.info)
    at = paste(at, TRIPOLI_TEXT, source="Harbour Watch")
    assert any("1 article from 1 source" in c.value for c in at.caption)
    assert place_named(at, "Hmeimim Air Base") is None  # not the seed story's places

    at.selectbox(key="story").select("Seed story").run()
    assert any("5 articles from 5 sources" in c.value for c in at.caption)
    at.selectbox(key="story").select("Coast <i>watch</i>").run()
    at.text_input(key="rename_story").input("Coast")
    button(at, "Rename").click().run()
    assert at.selectbox(key="story").options == ["Coast", "Seed story"]

    again = run_app()  # a restart, or another browser: the same stories, the last one shown
    assert again.selectbox(key="story").value == "Coast"
    assert any("1 article from 1 source" in c.value for c in again.caption)

    assert button(at, "Delete the story").disabled
    at.checkbox(key="confirm_delete").check().run()
    button(at, "Delete the story").click().run()
    assert not at.exception
    assert at.selectbox(key="story").options == ["Seed story"]
    at.text_input(key="new_story").input("seed STORY")
    button(at, "Create the story").click().run()
    assert any("already exists" in e.value for e in at.error)


def test_removing_an_article_takes_its_places() -> None:
    at = opened(paste(run_app(), TRIPOLI_TEXT, source="Harbour Watch"), "story_articles")
    assert place_named(at, "Tripoli")
    pasted = next(a.id for a in at.session_state["_story"].articles if a.source == "Harbour Watch")
    at.selectbox(key="remove_article").select(pasted).run()
    at.button(key="remove_button").click().run()
    assert not at.exception
    assert place_named(at, "Tripoli") is None
    assert any("5 articles from 5 sources" in c.value for c in at.caption)


def open_correction(at: AppTest, place_id: str) -> AppTest:
    """Selects the place and opens "Wrong place?" under its panel."""
    at.session_state["place"] = place_id
    at.session_state["wrong_place"] = True
    return at.run()


def test_wrong_place_is_built_only_when_opened() -> None:
    at = run_app(place=HMEIMIM)
    assert [e.label for e in at.expander if e.label == "Wrong place?"]
    assert not [b for b in at.button if b.label == "Not a place"]
    at = open_correction(at, HMEIMIM)
    assert [b for b in at.button if b.label == "Not a place"]
    which = next(s for s in at.selectbox if s.label == "Which mention")
    assert len(which.options) == 4 and "RT News" in " ".join(which.options)


def test_choosing_another_candidate_is_kept_and_marked(fresh_db: Path) -> None:
    at = paste(run_app(), TRIPOLI_TEXT, source="Harbour Watch")
    before = place_named(at, "Tripoli").place
    at = open_correction(at, before.id)
    assert any("because" in c.value for c in at.caption)  # the reason for the pick
    table = next(t for t in at.table if "Area, country" in t.value.columns)
    assert {"Lebanon", "Libya"} <= {c.split(", ")[-1] for c in table.value["Area, country"]}
    box = next(s for s in at.selectbox if s.label == "It is")
    box.set_value(next(i for i, o in enumerate(box.options) if "Greece" in o))
    button(at, "Use this place").click().run()  # the form sends the choice with the click
    assert not at.exception, [e.message for e in at.exception]
    after = place_named(at, "Tripoli").place
    assert after.id != before.id and after.country_code == "GR" and after.corrected
    assert at.session_state["place"] == after.id
    html = panel_html(at)
    assert "storymap-corrected" in html
    again = run_app(place=after.id)  # kept in the database
    assert place_named(again, "Tripoli").place.id == after.id
    assert "storymap-corrected" in panel_html(again)


def test_not_a_place_for_every_mention_removes_the_place() -> None:
    at = run_app()
    moscow = place_named(at, "Moscow").place.id
    at = open_correction(at, moscow)
    scope = next(r for r in at.radio if r.label == "Correct")
    scope.set_value(scope.options[1])
    button(at, "Not a place").click().run()
    assert not at.exception
    assert place_named(at, "Moscow") is None
    assert panel_html(at) is None
    undo = opened(at, "story_corrections").selectbox(key="undo_correction")
    assert undo.options == ["every “Moscow”: not a place"]
    undo.set_value(at.session_state["_store"].corrections("Seed story")[0].id).run()
    at.button(key="undo_button").click().run()
    assert not at.exception
    assert place_named(at, "Moscow") is not None  # back, as the resolver placed it


def test_a_dropped_pin_places_one_mention() -> None:
    at = paste(run_app(), TRIPOLI_TEXT, source="Harbour Watch")
    at = open_correction(at, place_named(at, "Tripoli").place.id)
    lat = next(n for n in at.number_input if n.label == "Latitude")
    lon = next(n for n in at.number_input if n.label == "Longitude")
    lat.set_value(34.45)
    lon.set_value(35.83)
    next(t for t in at.text_input if t.label == "Pin's name").input("Tripoli port")
    button(at, "Drop a pin here").click().run()
    assert not at.exception
    sp = place_named(at, "Tripoli port")
    assert sp and sp.place.provider == "reader" and sp.place.corrected
    assert abs(sp.place.lat - 34.45) < 1e-6


def test_an_unplaced_mention_is_listed_and_placed() -> None:
    at = paste(run_app(), WADI_TEXT, source="Water Desk")
    assert any("mention not placed" in c.value or "mentions not placed" in c.value
               for c in at.caption)
    listed = [m.value for m in at.markdown if "storymap-unplaced" in m.value]
    assert any("<b>Wadi Barada</b>" in v and "<mark>Wadi Barada</mark>" in v for v in listed)
    button(at, "Place it").click().run()
    lat = next(n for n in at.number_input if n.label == "Latitude")
    lat.set_value(33.62)
    next(n for n in at.number_input if n.label == "Longitude").set_value(36.17)
    button(at, "Drop a pin here").click().run()
    assert not at.exception
    assert place_named(at, "Wadi Barada").place.corrected
    assert not [m for m in at.markdown if "storymap-unplaced" in m.value]


def test_a_story_mapped_by_an_earlier_geoparser_is_updated_from_the_sidebar(
        fresh_db: Path) -> None:
    import sqlite3

    from geo.story.store import Store
    from geo.story.stories import is_stale

    at = run_app()
    places = {sp.place.id for sp in at.session_state["_story"].places}
    assert not any("earlier version" in c.value for c in at.caption)
    with sqlite3.connect(fresh_db) as db:  # as an earlier geoparser left it: nothing found
        db.execute("UPDATE stories SET parser = 'geoparser old'")
        db.execute("UPDATE parses SET parser = 'geoparser old'")
        db.execute("DELETE FROM mentions")
        db.execute("UPDATE settings SET value = value + 1 WHERE key = 'revision'")
    at.run()
    assert not at.exception and not at.session_state["_story"].places
    assert any(c.value == "Mapped by an earlier version of the geoparser." for c in at.caption)

    button(at, "Update the map (5 articles)").click().run()
    assert not at.exception
    assert {sp.place.id for sp in at.session_state["_story"].places} == places
    assert not any("earlier version" in c.value for c in at.caption)
    assert not [b for b in at.button if b.label.startswith("Update the map")]
    assert any(s.value == "The map is up to date\\." for s in at.success)
    with Store(fresh_db) as store:
        assert not is_stale(store, "Seed story")


def test_a_database_from_a_newer_storymap_is_an_error(fresh_db: Path) -> None:
    import sqlite3

    with sqlite3.connect(fresh_db) as db:
        db.execute("PRAGMA user_version = 99")
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert any("newer Storymap" in e.value for e in at.error)


def test_a_file_that_is_no_database_is_an_error(fresh_db: Path) -> None:
    fresh_db.write_bytes(b"this is not SQLite at all, just some text " * 100)
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert any("not a Storymap database" in e.value for e in at.error)


def test_a_busy_database_is_an_error_and_the_page_goes_on(fresh_db: Path) -> None:
    import sqlite3

    at = opened(run_app(), "manage_stories")
    other = sqlite3.connect(fresh_db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another Storymap is writing
    try:
        at.session_state["_store"]._db.execute("PRAGMA busy_timeout = 200")
        at.text_input(key="new_story").input("Blocked")
        button(at, "Create the story").click().run()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert not at.exception
    assert any("busy" in e.value for e in at.error)
    assert any("5 articles from 5 sources" in c.value for c in at.caption)


def test_a_read_only_database_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """As root no file is read-only, so the store's own failure is raised where a write
    would have failed; the page says so and goes on."""
    import sqlite3

    from geo.story import store as store_module

    at = opened(run_app(), "manage_stories")

    def read_only(self, name: str) -> str:
        raise store_module._explain(self.path, sqlite3.OperationalError(
            "attempt to write a readonly database"))
    monkeypatch.setattr(store_module.Store, "create", read_only)
    at.text_input(key="new_story").input("Anything")
    button(at, "Create the story").click().run()
    assert not at.exception
    assert any("is read\\-only" in e.value for e in at.error)
    assert any("5 articles from 5 sources" in c.value for c in at.caption)


def test_page_state_helpers() -> None:
    from geo.errors import ArticleError
    from geo.ingest.articles import LoadResult
    from geo.models import Alternative, Mention, Place
    from geo.page import state as page_state

    assert page_state.pick_story(["A", "Seed story"], None, "seed STORY") == "Seed story"
    assert page_state.pick_story(["A", "B"], "gone", None) == "A"
    assert page_state.pick_story([], "A") is None
    alt = Alternative("geonames:1", "Tripoli", "city", "LB", "09", 229398, 0.9, 34.4, 35.8)
    m = Mention("a", 0, 7, "Tripoli", "GPE", candidates=(alt,), reason="near the story")
    assert page_state.candidate_rows(m, "geonames:1") == {
        "": ["✓"], "Name": ["Tripoli"], "Area, country": ["Lebanon"], "Population": ["229,398"]}
    assert page_state.candidate_label(alt) == "Tripoli (Lebanon) · city · pop. 229,398"
    assert page_state.area("IA", "US") == "IA, United States of America"
    assert page_state.area(None, "ZZ") == "ZZ" and page_state.area(None, None) == ""
    assert page_state.why(m, None) == "Not placed: near the story."
    bare = Mention("a", 0, 7, "Wadi", "LOC", reason="not placed: no place of that name")
    assert page_state.why(bare, None) == "Not placed: no place of that name."
    place = Place("geonames:1", "Tripoli", "city", 34.4, 35.8)
    assert page_state.why(m, place) == "Tripoli, because: near the story."
    loaded = LoadResult(problems=[ArticleError("notes.pdf", "only .txt files are read")])
    rep = page_state.report(loaded, None)
    assert rep.done is None and rep.refused == ("notes.pdf: only .txt files are read",)


def test_markdown_in_a_story_name_or_mention_stays_text() -> None:
    """Widget labels and radio options are Markdown: an image there would be fetched."""
    evil = "![x](https://canary.test/x.png) **bold**"
    at = opened(run_app(), "manage_stories")
    at.text_input(key="new_story").input(evil)
    button(at, "Create the story").click().run()
    assert at.selectbox(key="story").value == evil
    labels = [t.label for t in at.text_input] + [c.label for c in at.checkbox]
    assert any("canary" in label for label in labels)
    for label in labels:
        assert "](https" not in label and "**bold**" not in label


def test_a_web_page_is_fetched_only_when_asked_and_offline_says_so() -> None:
    at = opened(run_app(), "add_articles")
    assert not [t for t in at.text_input if t.label == "Web address" and t.form_id == "fetch"]
    at.toggle(key="allow_fetch").set_value(True).run()
    field = next(t for t in at.text_input if t.form_id == "fetch")
    field.input("https://storymap-test.invalid/news/1")
    button(at, "Fetch and add").click().run()
    assert not at.exception
    warning = next(w.value for w in at.warning if w.value.startswith("Not added"))
    assert "storymap\\-test\\.invalid" in warning and "no network connection" in warning
    assert any("5 articles from 5 sources" in c.value for c in at.caption)


def test_a_shared_url_opens_its_story() -> None:
    at = opened(run_app(), "manage_stories")
    at.text_input(key="new_story").input("Coast")
    button(at, "Create the story").click().run()
    paste(at, TRIPOLI_TEXT, source="Harbour Watch")
    at.selectbox(key="story").select("Seed story").run()  # the last one switched to
    shared = AppTest.from_file(APP, default_timeout=120)
    shared.query_params["story"] = "coast"  # names compare case aside
    shared.run()
    assert not shared.exception
    assert shared.selectbox(key="story").value == "Coast"
    assert any("1 article from 1 source" in c.value for c in shared.caption)


def test_the_server_warms_the_page_without_loading_spacy_for_a_kept_story(
        fresh_db: Path) -> None:
    """serve.py's start-up warming, whose errors the server only logs: it runs, and with
    the seed story already kept (a restart) it leaves the language model unloaded."""
    import os
    import subprocess
    import sys

    from geo.story.store import Store

    with Store(fresh_db) as store:
        store.set_setting("seeded", "1")
    code = "import sys, serve; serve.warm(); print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, env={**os.environ, "STORYMAP_DB": str(fresh_db)})
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False"]
