"""The benchmark formats: ``geo parse`` output, ``geo eval`` scoring, the EUPEG protocol."""
import json
import subprocess
import sys

import pytest

from geo.evaluation.scores import in_split, read_jsonl, score

from .conftest import ROOT


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, input=stdin)


DOCS = [
    {"id": "a", "text": "Flooding hit Dhaka and parts of northern Bangladesh on Monday.", "x": 1},
    {"id": 7, "text": "Officials in Springfield, Illinois, met on Tuesday."},
    {"id": "empty", "text": ""},
]


def test_parse_writes_one_line_per_document_in_order(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("".join(json.dumps(d) + "\n" for d in DOCS), encoding="utf-8")
    r = run("parse", str(src), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "[3/3] documents parsed" in r.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["a", "7", "empty"]
    for doc, line in zip(DOCS, lines):
        assert set(line) == {"id", "toponyms"}
        for t in line["toponyms"]:
            assert set(t) == {"start", "end", "name", "lat", "lon"}
            assert doc["text"][t["start"]:t["end"]] == t["name"]
    names = {t["name"]: t for t in lines[0]["toponyms"]}
    assert abs(names["Dhaka"]["lat"] - 23.7) < 0.5
    assert "Bangladesh" in names  # the name inside "northern Bangladesh"
    spring = {t["name"]: t for t in lines[1]["toponyms"]}["Springfield"]
    assert abs(spring["lat"] - 39.8) < 0.5 and abs(spring["lon"] + 89.6) < 0.5  # Illinois'
    assert lines[2]["toponyms"] == []


def test_parse_reads_stdin_and_writes_stdout():
    r = run("parse", "-", stdin=json.dumps({"id": "s", "text": "Rain fell on Nairobi."}) + "\n")
    assert r.returncode == 0, r.stderr
    line = json.loads(r.stdout)
    assert line["toponyms"][0]["name"] == "Nairobi"


@pytest.mark.parametrize("bad", ['{"id": 1}', "not json", '["a list"]', '{"id": 2, "text": 3}'])
def test_parse_names_the_bad_line(tmp_path, bad):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "ok", "text": "Paris."}\n' + bad + "\n", encoding="utf-8")
    r = run("parse", str(src))
    assert r.returncode == 1
    assert f"{src}, line 2: not a document" in r.stderr


def test_eval_prints_our_row_and_the_peers(tmp_path):
    gold = {"id": "g", "text": "Talks opened in Geneva.",
            "toponyms": [{"start": 16, "end": 22, "name": "Geneva", "lat": 46.2, "lon": 6.15}]}
    peer = {"id": "g", "toponyms": [{"start": 16, "end": 22, "name": "Geneva", "lat": 0, "lon": 0}]}
    (tmp_path / "gold.jsonl").write_text(json.dumps(gold) + "\n", encoding="utf-8")
    (tmp_path / "peer.jsonl").write_text(json.dumps(peer) + "\n", encoding="utf-8")
    r = run("eval", str(tmp_path / "gold.jsonl"), str(tmp_path / "peer.jsonl"))
    assert r.returncode == 0, r.stderr
    rows = {line.split()[0]: line.split() for line in r.stdout.splitlines()[1:]}
    assert rows["storymap"][1:4] == ["1.000", "1.000", "1.000"]  # P, R, F1
    assert rows["storymap"][6] == "1.000"  # acc@161
    assert rows["peer"][6] == "0.000"  # right span, wrong place


def test_score_follows_the_eupeg_protocol():
    gold = {"d": [{"start": 0, "end": 5, "name": "Paris", "lat": 48.85, "lon": 2.35},
                  {"start": 20, "end": 26, "name": "London", "lat": 51.5, "lon": -0.13},
                  {"start": 40, "end": 44, "name": "Nowhere", "lat": None, "lon": None}]}
    pred = {"d": [{"start": 2, "end": 7, "name": "PARIS", "lat": 33.66, "lon": -95.56},  # Texas
                  {"start": 60, "end": 66, "name": "London", "lat": 51.5, "lon": -0.13},
                  {"start": 80, "end": 84, "name": "Rome", "lat": None, "lon": None}]}
    s = score(gold, pred)
    assert (s.matched, s.gold) == (1, 2)  # Nowhere has no gold point; Rome no prediction point
    assert s.precision == 0.5 and s.recall == 0.5  # the far London does not match by position
    assert s.acc161 == 0.0 and s.mean_km > 7000


def test_split_is_fixed_and_halves_the_ids():
    ids = [str(i) for i in range(1000)]
    dev = [i for i in ids if in_split(i, "dev")]
    assert dev == [i for i in ids if in_split(i, "dev")]
    assert 400 < len(dev) < 600 and not any(in_split(i, "test") for i in dev)


def test_read_jsonl(tmp_path):
    p = tmp_path / "p.jsonl"
    p.write_text('{"id": 3, "toponyms": []}\n\n', encoding="utf-8")
    assert read_jsonl(p) == {"3": []}


def test_demonyms_are_toponyms_only_when_asked():
    doc = json.dumps({"id": "d", "text": "Syrian forces moved north."}) + "\n"
    plain = json.loads(run("parse", "-", stdin=doc).stdout)
    assert plain["toponyms"] == []
    asked = json.loads(run("parse", "-", "--demonyms", stdin=doc).stdout)
    (t,) = asked["toponyms"]
    assert t["name"] == "Syrian" and abs(t["lat"] - 35) < 3 and abs(t["lon"] - 38) < 3


def test_unit_and_organisation_names_as_benchmark_toponyms():
    from geo.evaluation.toponyms import _inner
    from geo.models import Mention

    assert _inner(Mention("a", 0, 14, "Hebei province", "UNIT")).text == "Hebei"
    assert _inner(Mention("a", 0, 15, "Anderson County", "UNIT")).text == "Anderson County"
    # LGL and GeoVirus both annotate the continent in "sub-Saharan Africa"
    inner = _inner(Mention("a", 4, 22, "sub-Saharan Africa", "LOC"))
    assert (inner.text, inner.start, inner.end) == ("Africa", 16, 22)
    assert _inner(Mention("a", 0, 12, "North Africa", "LOC")).text == "North Africa"
    # a venue named after its town is the town's name, as a university would be
    inner = _inner(Mention("a", 8, 24, "Manchester Arena", "FAC"))
    assert (inner.text, inner.start, inner.end) == ("Manchester", 8, 18)
    inner = _inner(Mention("a", 4, 18, "Port of Beirut", "FAC"))
    assert (inner.text, inner.start, inner.end) == ("Beirut", 12, 18)


def test_a_seat_of_power_for_its_government_is_no_toponym():
    """"The White House said": the US government (not White House, Tennessee, nor a
    toponym); "talks at the White House": the building in Washington."""
    docs = [{"id": "g", "text": "The White House said on Monday that talks would resume."},
            {"id": "b", "text": "The talks were held at the White House on Monday."}]
    out = run("parse", "-", stdin="".join(json.dumps(d) + "\n" for d in docs)).stdout
    gov, building = (json.loads(line) for line in out.splitlines())
    assert gov["toponyms"] == []
    (t,) = building["toponyms"]
    assert t["name"] == "White House"
    assert abs(t["lat"] - 38.9) < 0.05 and abs(t["lon"] + 77.04) < 0.05


def test_an_airport_is_no_toponym_its_town_is():
    """Neither LGL nor GeoVirus counts "London International Airport" as a toponym; the
    story map shows the airport, the benchmark output leaves it out."""
    docs = [{"id": "a", "text": "Flights left London International Airport in Ontario, "
                                "Canada, on Monday."}]
    out = run("parse", "-", stdin="".join(json.dumps(d) + "\n" for d in docs)).stdout
    names = [t["name"] for t in json.loads(out)["toponyms"]]
    assert "London International Airport" not in names and "Ontario" in names


def test_an_airport_left_unplaced_is_no_toponym_either():
    """"Soto Cano Air Base, Honduras": the story map lists it unplaced; the benchmark output
    leaves it out, as it leaves out the airports it places."""
    docs = [{"id": "a", "text": "Marines have deployed to Soto Cano Air Base, Honduras, since "
                                "June."}]
    out = run("parse", "-", stdin="".join(json.dumps(d) + "\n" for d in docs)).stdout
    names = [t["name"] for t in json.loads(out)["toponyms"]]
    assert "Soto Cano Air Base" not in names and "Honduras" in names
