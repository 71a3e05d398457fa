"""Story-set scoring (``geo.evaluation.stories``): hand-made story maps, no spaCy; and the shipped set's
gold files are well-formed."""
from __future__ import annotations

from pathlib import Path

import pytest

from geo.evaluation.stories import (
    GOLD_FILE,
    Gold,
    GoldError,
    GoldPlace,
    evaluate_stories,
    find_stories,
    format_report,
    km,
    load_gold,
    main,
    normalise,
    parse_gold,
    quote_problems,
    score_story,
    story_problems,
)
from geo.models import Article, Mention, Place, Quote, StoryMap, StoryPlace

ROOT = Path(__file__).resolve().parent.parent
STORIES = ROOT / "data" / "stories"


def sp(name: str, lat: float, lon: float, *texts: str, kind: str = "city",
       source: str = "Outlet A") -> StoryPlace:
    """A story place at (lat, lon) whose quotes have the given surface texts."""
    place = Place(id=f"t:{name}:{lat}:{lon}", name=name, kind=kind, lat=lat, lon=lon)
    quotes = tuple(Quote(article_id="a", source=source, text=t, start=0, end=len(t), sentence=t,
                         sentence_start=0) for t in texts)
    return StoryPlace(place, quotes)


def story(*places: StoryPlace, unresolved: tuple[str, ...] = ()) -> StoryMap:
    articles = (Article(id="a", text="x", source="Outlet A"), Article(id="b", text="y", source="Outlet B"))
    return StoryMap(articles, places,
                    tuple(Mention("a", 0, len(t), t, "GPE") for t in unresolved))


GOLD = Gold(
    story="Test quake",
    must=(GoldPlace("Tainan", 22.99, 120.21, 25, ("Tainan City",)),
          GoldPlace("Taiwan", 23.7, 120.96, 250),
          GoldPlace("Adıyaman", 37.76, 38.28, 80)),
    may=(GoldPlace("Washington", 38.9, -77.04, 25), GoldPlace("Ring of Fire")),
    not_places=("USGS", "Associated Press", "Lai Ching-te"),
)


# ------------------------------------------------------------------ names and distances


@pytest.mark.parametrize("text, expected", [
    ("Tainan", "tainan"), ("TAINAN", "tainan"), ("the Tainan", "tainan"),
    ("Tainan's", "tainan"), ("Tainan City", "tainan"), ("city of Tainan", "tainan"),
    ("Hatay province", "hatay"), ("Kahramanmaraş", "kahramanmaras"), ("Adıyaman", "adiyaman"),
    ("İskenderun", "iskenderun"), ("Concepción", "concepcion"), ("Port-au-Prince", "port au prince"),
    ("State", "state"),  # a unit word alone is kept, not emptied
    ("central Kahramanmaras", "kahramanmaras"), ("northern France", "france"),
    ("north-west Russia", "russia"), ("South Island", "south island"),   # capitalised: a name
    ("North Korea", "north korea"),
])
def test_normalise(text, expected):
    assert normalise(text) == expected


def test_km():
    assert km(0, 0, 0, 0) == 0
    assert km(22.99, 120.21, 25.03, 121.57) == pytest.approx(265, abs=10)   # Tainan-Taipei
    assert km(0, 179.9, 0, -179.9) == pytest.approx(22.2, abs=0.5)         # across the date line


# ------------------------------------------------------------------ must-places


def test_found_needs_position_and_name():
    score = score_story(story(sp("Tainan", 23.0, 120.2, "Tainan"),
                              sp("Taiwan", 23.5, 121.0, "Taiwan"),
                              sp("Adiyaman", 37.76, 38.28, "Adiyaman province")), GOLD)
    assert score.found == ["Tainan", "Taiwan", "Adıyaman"]
    assert score.misses == [] and score.recall == 1.0
    assert score.false_markers == []


def test_alias_and_case_count_as_the_name():
    score = score_story(story(sp("Tainan", 23.0, 120.2, "TAINAN CITY")), GOLD)
    assert "Tainan" in score.found


def test_misplaced_namesake_is_a_miss_and_a_false_marker():
    score = score_story(story(sp("Tainan", 45.0, 10.0, "Tainan")), GOLD)
    miss = next(m for m in score.misses if m.name == "Tainan")
    assert miss.reason == "misplaced" and "km away" in miss.detail
    assert [f.reason for f in score.false_markers] == ["off-gold"]


def test_right_spot_wrong_name_is_a_miss_but_not_a_false_marker():
    score = score_story(story(sp("Tainan Station", 22.997, 120.213, "Tainan Station")), GOLD)
    miss = next(m for m in score.misses if m.name == "Tainan")
    assert miss.reason == "other-name" and "Tainan Station" in miss.detail
    assert score.false_markers == []
    # a nearby marker sharing no word with the name does not explain the miss
    score = score_story(story(sp("Yongkang", 23.02, 120.25, "Yongkang District")), GOLD)
    assert next(m for m in score.misses if m.name == "Tainan").reason == "not-recognised"


def test_unresolved_and_unrecognised_misses():
    score = score_story(story(unresolved=("Tainan",)), GOLD)
    reasons = {m.name: m.reason for m in score.misses}
    assert reasons == {"Tainan": "unresolved", "Taiwan": "not-recognised",
                       "Adıyaman": "not-recognised"}
    assert score.recall == 0.0
    # a mention that carries its kind or unit word is still that name, unplaced
    score = score_story(story(unresolved=("Tainan City", "Taiwan island")), GOLD)
    reasons = {m.name: m.reason for m in score.misses}
    assert reasons["Tainan"] == reasons["Taiwan"] == "unresolved"


def test_each_must_place_is_judged_alone():
    # one marker named "Taiwan" at Tainan: Tainan is not found (wrong name), Taiwan is.
    score = score_story(story(sp("Taiwan", 22.99, 120.21, "Taiwan")), GOLD)
    assert score.found == ["Taiwan"]


# ------------------------------------------------------------------ false markers


def test_agency_on_the_map_is_false_wherever_it_lands():
    score = score_story(story(sp("Tainan", 23.0, 120.2, "USGS"),
                              sp("Ap", 10.0, 10.0, "Associated Press", "associated press")), GOLD)
    assert [f.reason for f in score.false_markers] == ["not-a-place", "not-a-place"]
    assert score.markers == 2


def test_marker_with_a_real_name_is_judged_by_its_position():
    # "USGS" merged into a correct Tainan marker that is also named "Tainan": not false.
    score = score_story(story(sp("Tainan", 23.0, 120.2, "Tainan", "USGS")), GOLD)
    assert score.false_markers == [] and "Tainan" in score.found


def test_may_places_excuse_markers():
    score = score_story(story(sp("Washington", 38.91, -77.03, "Washington"),
                              sp("Ring", -20.0, -170.0, "Ring of Fire"),
                              sp("Ring2", 50.0, 50.0, "the ring of fire")), GOLD)
    assert score.false_markers == []
    # whole words of a bare name ("Atlantic" of "tropical Atlantic"), never part of a word
    score = score_story(story(sp("Fire", 10.0, 10.0, "Fire"), sp("Rin", 20.0, 20.0, "Rin")), GOLD)
    assert [f.name for f in score.false_markers] == ["Rin"]


def test_off_gold_marker_names_the_nearest_gold_place():
    score = score_story(story(sp("Washington", 47.5, -120.5, "Washington", kind="region")), GOLD)
    (false,) = score.false_markers
    assert false.reason == "off-gold" and "Washington" in false.detail
    assert false.kind == "region" and false.aliases == ["Washington"]


# ------------------------------------------------------------------ quotes


def _quoted(text: str, mention: str, s0: int, s1: int) -> StoryMap:
    start = text.index(mention)
    q = Quote("a", "Outlet A", mention, start, start + len(mention), text[s0:s1], s0)
    return StoryMap((Article("a", text, "Outlet A"),), (StoryPlace(Place("p", "P", "city", 0, 0), (q,)),))


def test_quote_problems():
    text = "Title line\n\nRain fell on Tainan today. Markets shut."
    assert quote_problems(_quoted(text, "Tainan", 12, 38)) == []
    assert [p.issue for p in quote_problems(_quoted(text, "Tainan", 0, 38))] == ["line-break"]
    assert [p.issue for p in quote_problems(_quoted(text, "Tainan", 14, 38))] == ["cut-word"]
    bad = _quoted(text, "Tainan", 12, 38)
    q = bad.places[0].quotes[0]
    moved = Quote(q.article_id, q.source, q.text, q.start + 1, q.end + 1, q.sentence, q.sentence_start)
    assert [p.issue for p in quote_problems(StoryMap(bad.articles,
                                                     (StoryPlace(bad.places[0].place, (moved,)),)))
            ] == ["offset"]


# ------------------------------------------------------------------ gold parsing


def _gold(**over):
    data = {"story": "s", "must_places": [{"name": "A", "lat": 1, "lon": 2, "tolerance_km": 10}],
            "may_places": ["Somewhere"], "not_places": ["AP"]}
    data.update(over)
    return data


def test_parse_gold_accepts_bare_may_places_and_aliases():
    gold = parse_gold(_gold(must_places=[{"name": "A", "lat": 1, "lon": 2, "tolerance_km": 10,
                                          "aliases": ["Aa"]}]))
    assert gold.must[0].names == ("A", "Aa")
    assert gold.may[0].positioned is False


@pytest.mark.parametrize("over, message", [
    ({"must_places": []}, "non-empty"),
    ({"must_places": [{"name": "A", "lat": 91, "lon": 2, "tolerance_km": 10}]}, "out of range"),
    ({"must_places": [{"name": "A", "lat": 1, "lon": 181, "tolerance_km": 10}]}, "out of range"),
    ({"must_places": [{"name": "A", "lat": 1, "lon": 2, "tolerance_km": 0}]}, "> 0"),
    ({"must_places": [{"name": "A", "lat": 1, "lon": 2}]}, "missing 'tolerance_km'"),
    ({"must_places": ["A"]}, "expected a mapping"),
    ({"must_places": [{"name": "A", "lat": "x", "lon": 2, "tolerance_km": 1}]}, "numbers"),
    ({"must_places": [{"name": "A", "lat": 1, "lon": 2, "tolerance_km": 1, "radius": 3}]}, "unknown"),
    ({"not_places": ["A"]}, "both a gold place and a not_place"),
    ({"may_places": [{"name": "B", "lat": 1, "lon": 2, "tolerance_km": 1, "aliases": ["A"]}]},
     "names both"),
    ({"story": ""}, "'story'"),
])
def test_parse_gold_rejects(over, message):
    with pytest.raises(GoldError, match=message):
        parse_gold(_gold(**over), "g.yaml")


# ------------------------------------------------------------------ the story set, end to end


def _write_story(folder: Path, gold_text: str) -> Path:
    folder.mkdir(parents=True)
    for i, source in enumerate(["Outlet A", "Outlet B", "Outlet C"], 1):
        (folder / f"0{i}_x.txt").write_text(
            f"---\nsource: {source}\ntitle: T{i}\nurl: https://example.org/{i}\n---\nTainan shook.\n",
            encoding="utf-8")
    (folder / GOLD_FILE).write_text(gold_text, encoding="utf-8")
    return folder


GOLD_TEXT = """story: Test
must_places:
  - {name: Tainan, lat: 22.99, lon: 120.21, tolerance_km: 25}
not_places: [USGS]
"""


def test_evaluate_stories_with_a_stand_in_pipeline(tmp_path):
    _write_story(tmp_path / "dev" / "one", GOLD_TEXT)
    _write_story(tmp_path / "test" / "two", GOLD_TEXT)
    seen = []

    def pipeline(articles):
        seen.append(len(articles))
        return StoryMap(tuple(articles), (sp("Tainan", 23.0, 120.2, "Tainan"),
                                          sp("Reston", 38.9, -77.3, "USGS")))

    report = evaluate_stories(tmp_path, pipeline)
    assert seen == [3, 3]
    assert [(s.split, s.slug) for s in report.stories] == [("dev", "one"), ("test", "two")]
    assert report.stories[0].problems == []          # gold.yaml is not reported as a bad article
    assert report.totals("dev") == {"stories": 1, "articles": 3, "quotes": 2, "quote_problems": 0,
                                    "needed": 1, "found": 1, "recall": 1.0, "markers": 2,
                                    "false_markers": 1, "false_rate": 0.5}
    assert report.totals()["stories"] == 2
    text = format_report(report)
    assert "[dev] one - Test" in text and "false  Reston" in text and "not-a-place" in text
    assert text.splitlines()[-1].startswith("all")
    only_test = evaluate_stories(tmp_path, pipeline, split="test")
    assert [s.slug for s in only_test.stories] == ["two"]
    assert report.to_dict()["totals"]["all"]["found"] == 2


def test_find_stories_accepts_a_split_or_a_single_story(tmp_path):
    one = _write_story(tmp_path / "dev" / "one", GOLD_TEXT)
    assert [s.slug for s in find_stories(tmp_path / "dev")] == ["one"]
    assert [(s.split, s.slug) for s in find_stories(one)] == [("dev", "one")]
    assert find_stories(tmp_path, "test") == []


def test_main_bad_usage(tmp_path, capsys):
    assert main([str(tmp_path / "nowhere")]) == 2
    assert main([str(tmp_path)]) == 2
    assert "no story folder" in capsys.readouterr().err


def test_main_reports_a_malformed_gold_before_loading_spacy(tmp_path, capsys):
    _write_story(tmp_path / "dev" / "bad", "story: x\nmust_places: []\n")
    assert main([str(tmp_path)]) == 1
    assert "must_places" in capsys.readouterr().err


# ------------------------------------------------------------------ the shipped story set


SHIPPED = find_stories(STORIES) if STORIES.is_dir() else []


def test_the_story_set_has_both_splits_and_eight_stories():
    splits = [s.split for s in SHIPPED]
    assert len(SHIPPED) >= 8
    assert splits.count("test") >= 2 and splits.count("dev") > splits.count("test")
    assert len({s.slug for s in SHIPPED}) == len(SHIPPED)        # no story in both splits


@pytest.mark.parametrize("story_dir", [s.path for s in SHIPPED], ids=[s.slug for s in SHIPPED])
def test_shipped_story_is_well_formed(story_dir):
    from geo.ingest.articles import load_corpus

    assert story_problems(story_dir) == []
    gold = load_gold(story_dir / GOLD_FILE)      # coordinates in range, tolerances > 0
    assert len(gold.must) >= 2
    articles = load_corpus(story_dir).articles
    assert len(articles) >= 3
    assert len({a.source for a in articles}) >= 2
    assert all(a.id[:2].isdigit() and a.id[2] == "_" for a in articles)   # NN_<outlet>
    readme = (STORIES / "README.md").read_text(encoding="utf-8")
    assert story_dir.name in readme                                     # listed and credited
