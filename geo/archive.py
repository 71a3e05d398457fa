"""Archives on Dask: ``python -m geo parse SHARD.jsonl... --dask [SCHEDULER]``.

    >>> from geo.archive import parse_archive
    >>> parse_archive(["news-000.jsonl", "news-001.jsonl"], "toponyms.jsonl",
    ...               places="places.jsonl")                       # doctest: +SKIP

A Dask bag over JSON-lines shards (one partition per shard, or per ``blocksize`` bytes of
it): each partition is parsed by the ``Toponymizer`` of the worker it runs on, loaded once
per worker process by a module-level lazy loader (the spaCy model and the gazetteer are
never pickled or shipped: every worker opens its own). Output as the plain ``parse`` writes
it, one line ``{"id", "toponyms"}`` per document in input order, or, for an output path
ending in ``.parquet``, a Parquet dataset of one row per toponym (needs ``pyarrow``).
``places`` adds a group-by over the whole archive: one line per place (its coordinates),
with its most used name, spellings, number of mentions and of documents.

With no scheduler address a ``LocalCluster`` of one single-threaded worker process per core
runs here; an address (``tcp://host:8786``) uses that cluster, whose workers need Storymap
and the model installed (the same ``requirements*.txt``) and read the shard paths
themselves (a shared filesystem, or ``s3://`` etc. through ``fsspec``).
"""
from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

#: Gazetteer lookups kept per worker before the memo is emptied (a long archive names many
#: places; the memo is only a speed-up).
MAX_CACHED_LOOKUPS = 200_000

_LOADED: dict[bool, Any] = {}  # demonyms -> Toponymizer, one per worker process


def toponymizer(demonyms: bool = False):
    """This process's ``Toponymizer`` (loaded on first use, then reused)."""
    tz = _LOADED.get(demonyms)
    if tz is None:
        from geo.evaluation.toponyms import Toponymizer
        from geo.pipeline import Pipeline

        tz = _LOADED[demonyms] = Toponymizer(Pipeline.load(sentences=False, processes=1),
                                             demonyms=demonyms)
    return tz


def _bound_caches(tz) -> None:
    """Empty the gazetteer's lookup memo when it grows past ``MAX_CACHED_LOOKUPS``."""
    for gaz in {id(g): g for g in (tz.pipeline.recogniser.gazetteer,
                                   tz.pipeline.resolver.gazetteer)}.values():
        memo = getattr(gaz, "_cache", None)
        if isinstance(memo, dict) and len(memo) > MAX_CACHED_LOOKUPS:
            memo.clear()


def parse_lines(lines: Sequence[str], demonyms: bool = False) -> list[dict]:
    """A partition of JSON lines -> benchmark lines, in order (blank lines skipped)."""
    docs = []
    for line in lines:
        if line.strip():
            d = json.loads(line)
            if not isinstance(d, dict) or "id" not in d or not isinstance(d.get("text"), str):
                raise ValueError(f'not a document (needs "id" and a string "text"): {line[:80]!r}')
            docs.append(d)
    tz = toponymizer(demonyms)
    out = list(tz.parse_docs(docs, n_process=1))
    _bound_caches(tz)
    return out


def _place_key(t: dict) -> tuple[float, float] | None:
    return None if t["lat"] is None else (round(t["lat"], 4), round(t["lon"], 4))


def _add(acc: dict, item: tuple[str, dict]) -> dict:
    doc_id, t = item
    acc["mentions"] += 1
    acc["names"][t["name"]] = acc["names"].get(t["name"], 0) + 1
    acc["docs"].add(doc_id)
    return acc


def _merge(a: dict, b: dict) -> dict:
    a["mentions"] += b["mentions"]
    for k, v in b["names"].items():
        a["names"][k] = a["names"].get(k, 0) + v
    a["docs"] |= b["docs"]
    return a


def _empty() -> dict:
    return {"mentions": 0, "names": {}, "docs": set()}


def places_bag(lines_bag):
    """The group-by: resolved toponyms by place (coordinates), over the whole bag."""
    pairs = lines_bag.map(lambda line: [(line["id"], t) for t in line["toponyms"]
                                        if t["lat"] is not None]).flatten()
    grouped = pairs.foldby(lambda p: _place_key(p[1]), _add, _empty, _merge, _empty)
    return grouped.map(_place_line)


def _place_line(kv: tuple[tuple[float, float], dict]) -> dict:
    (lat, lon), acc = kv
    names = sorted(acc["names"].items(), key=lambda nv: (-nv[1], nv[0]))
    return {"name": names[0][0], "lat": lat, "lon": lon, "mentions": acc["mentions"],
            "documents": len(acc["docs"]), "names": [n for n, _ in names]}


def _flat_rows(line: dict) -> list[dict]:
    return [{"id": str(line["id"]), **t} for t in line["toponyms"]]


def client_for(scheduler: str | None, workers: int | None = None):
    """A ``distributed.Client``: on ``scheduler`` (an address), or on a new LocalCluster
    of ``workers`` single-threaded worker processes (default: one per core)."""
    from distributed import Client, LocalCluster

    from geo.parallel import resolve_processes

    if scheduler and scheduler != "local":
        return Client(scheduler)
    cluster = LocalCluster(n_workers=resolve_processes(workers), threads_per_worker=1,
                           processes=True, dashboard_address=None,
                           silence_logs=logging.ERROR)
    return Client(cluster)


def parse_archive(paths: Sequence[str], output: str | None, *, scheduler: str | None = None,
                  client=None, workers: int | None = None, places: str | None = None,
                  demonyms: bool = False, blocksize: str | int | None = None,
                  log=lambda message: None) -> int:
    """Parse JSON-lines shards on Dask; write the toponyms to ``output`` (JSON lines, or
    Parquet for ``*.parquet``; stdout for None) and the places to ``places``. Returns the
    number of documents."""
    import dask.bag as db

    own = client is None
    client = client or client_for(scheduler, workers)
    try:
        log(f"dask: {len(client.scheduler_info().get('workers', {}))} workers "
            f"({client.scheduler.address})")
        text = db.read_text(list(paths), blocksize=blocksize)
        lines = text.map_partitions(parse_lines, demonyms).persist()
        if output and output.endswith(".parquet"):
            _write_parquet(lines, output)
            n = lines.count().compute()
        else:
            n = _write_jsonl(lines, output, log)
        if places:
            rows = sorted(places_bag(lines).compute(), key=lambda p: (-p["documents"],
                                                                      -p["mentions"], p["name"]))
            Path(places).write_text("".join(json.dumps(p, ensure_ascii=False) + "\n"
                                            for p in rows), encoding="utf-8")
            log(f"{len(rows)} places -> {places}")
        return n
    finally:
        if own:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None:
                cluster.close()


def _write_jsonl(lines, output: str | None, log) -> int:
    """Partition by partition, in input order, as each is done (the parse runs on the
    cluster meanwhile; ``lines`` is persisted for the places' group-by)."""
    import sys

    n = 0
    parts = lines.to_delayed()
    out = open(output, "w", encoding="utf-8") if output else sys.stdout
    try:
        for i, part in enumerate(parts, 1):
            result = part.compute()
            out.write("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in result))
            n += len(result)
            log(f"[{i}/{len(parts)}] partitions written ({n} documents)")
    finally:
        if output:
            out.close()
    return n


def _write_parquet(lines, output: str) -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        from geo.errors import ConfigurationError

        raise ConfigurationError("Parquet output needs pyarrow (pip install pyarrow); "
                                 "or write JSON lines") from None
    import pandas as pd

    meta = pd.DataFrame({"id": pd.Series(dtype="str"), "start": pd.Series(dtype="int64"),
                         "end": pd.Series(dtype="int64"), "name": pd.Series(dtype="str"),
                         "lat": pd.Series(dtype="float64"), "lon": pd.Series(dtype="float64")})
    df = lines.map(_flat_rows).flatten().to_dataframe(meta=meta)
    os.makedirs(output, exist_ok=True)
    df.to_parquet(output, write_index=False)


__all__ = ["client_for", "parse_archive", "parse_lines", "places_bag", "toponymizer"]
