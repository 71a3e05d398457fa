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
    return next(d for d in at.dataframe if list(d.value.columns)[:2] == ["Place", "Kind"])


@pytest.fixture(scope="module")
def corpus_app() -> AppTest:
    return run_app()


def test_page_runs_on_the_corpus(corpus_app: AppTest) -> None:
    at = corpus_app
    assert at.title[0].value == "Storymap"
    assert any("5 articles from 5 sources" in c.value for c in at.caption)
    assert panel_html(at) is None  # nothing selected yet: a hint instead
    assert any("Click a marker" in i.value for i in at.info)
    table = places_table(at).value
    assert len(table) >= 20 and {"Hmeimim Air Base", "Tartus", "Syria"} <= set(table["Place"])
    assert any("GeoNames" in c.value and "CC BY" in c.value for c in at.caption)
    assert any("need a network" in c.value for c in at.caption)


def test_download_buttons_exist(corpus_app: AppTest) -> None:
    labels = {b.label for b in corpus_app.get("download_button")}
    assert {"Standalone map (HTML)", "Places (GeoJSON)"} <= labels


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
    assert set(four["Place"]) == {"Syria", "Russia", "Moscow", "Moscow Kremlin",
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


def test_no_source_chosen_and_single_article_corpus(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app()
    at.multiselect[0].set_value([]).run()
    assert not at.exception
    assert len(places_table(at).value) == 0
    assert any("No place matches" in c.value for c in at.caption)

    (tmp_path / "one.txt").write_text("Shelling resumed in Damascus on Monday.", "utf-8")
    monkeypatch.setenv("STORYMAP_CORPUS", str(tmp_path))
    at = run_app()
    assert not at.slider  # one source: no "at least N sources" slider
    assert any("1 article from 1 source · 1 place" in c.value for c in at.caption)


def test_empty_corpus_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01binary")
    monkeypatch.setenv("STORYMAP_CORPUS", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert any("No usable article" in e.value for e in at.error)
    assert any("binary" in w.value for w in at.warning)


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
    from geo import view

    story = corpus_app.session_state["_story"]
    state = {"place": HMEIMIM, "f_sources": ["RT News"], "f_kinds": ["city"], "min_sources": 1}
    params = view.params_from_state(story, state)
    assert params == {"place": HMEIMIM, "source": ["RT News"], "kind": ["city"]}
    back = view.state_from_params(story, {"place": HMEIMIM}, params)
    assert back["f_sources"] == ["RT News"] and back["f_kinds"] == ["city"]
    assert back["place"] == HMEIMIM and back["min_sources"] == 1
    assert view.state_from_params(story, {"min": "x", "place": "nowhere"}, {})["min_sources"] == 1
