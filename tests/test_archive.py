"""Archives on Dask: a small in-process LocalCluster gives the plain parse's output."""
import json

import pytest

pytest.importorskip("distributed")

from geo import archive  # noqa: E402

DOCS = [{"id": "a", "text": "MOSCOW - Moscow said troops left northeastern Syria."},
        {"id": "b", "text": "Flooding hit Dhaka and Chittagong in Bangladesh."},
        {"id": "c", "text": "Nothing happened here."},
        {"id": "d", "text": "Firefighters in Austin, Texas, and Dhaka were busy."}]


@pytest.fixture(scope="module")
def client(pipeline):
    from distributed import Client, LocalCluster

    from geo.evaluation.toponyms import Toponymizer

    archive._LOADED[False] = Toponymizer(pipeline)  # the session's pipeline, not a 2nd load
    cluster = LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                           dashboard_address=None)
    with Client(cluster) as c:
        yield c
    cluster.close()
    archive._LOADED.pop(False, None)


def shards(tmp_path):
    paths = []
    for i, part in enumerate((DOCS[:2], DOCS[2:])):
        path = tmp_path / f"shard-{i}.jsonl"
        path.write_text("".join(json.dumps(d) + "\n" for d in part), encoding="utf-8")
        paths.append(str(path))
    return paths


def test_dask_parse_is_the_plain_parse(client, pipeline, tmp_path):
    from geo.evaluation.toponyms import Toponymizer

    out = tmp_path / "out.jsonl"
    places = tmp_path / "places.jsonl"
    n = archive.parse_archive(shards(tmp_path), str(out), client=client, places=str(places))
    plain = list(Toponymizer(pipeline).parse_docs(DOCS, n_process=1))
    assert n == 4
    assert [json.loads(line) for line in out.read_text().splitlines()] == plain
    rows = [json.loads(line) for line in places.read_text().splitlines()]
    dhaka = [r for r in rows if r["name"] == "Dhaka"]
    assert len(dhaka) == 1 and dhaka[0]["documents"] == 2 and dhaka[0]["mentions"] == 2
    resolved = sum(1 for line in plain for t in line["toponyms"] if t["lat"] is not None)
    assert sum(r["mentions"] for r in rows) == resolved


def test_dask_parquet_rows_are_the_toponyms(client, pipeline, tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    from geo.evaluation.toponyms import Toponymizer

    out = tmp_path / "out.parquet"
    archive.parse_archive(shards(tmp_path), str(out), client=client)
    df = pd.read_parquet(out).sort_values(["id", "start"])
    plain = list(Toponymizer(pipeline).parse_docs(DOCS, n_process=1))
    assert list(zip(df["id"], df["start"], df["name"])) == [
        (line["id"], t["start"], t["name"]) for line in plain for t in line["toponyms"]]


def test_bad_line_is_an_error_naming_it():
    with pytest.raises(ValueError, match="not a document"):
        archive.parse_lines(['{"text": "no id"}'])
