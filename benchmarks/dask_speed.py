"""Docs/s of ``geo parse --dask`` for 1 and 2 local workers, and the memory per worker.

    python benchmarks/dask_speed.py ../shared/bench/lgl.jsonl [--shards 8] [--workers 1 2]
    python benchmarks/dask_speed.py shards/*.jsonl --scheduler tcp://HOST:8786

The corpus is split into ``--shards`` JSON-lines files (one Dask partition each) unless
several files are given. Each run starts its cluster, parses everything (each worker
loading its own pipeline: that start-up is part of the figure) and reads every worker's
resident memory at the end. With ``--scheduler`` it runs once, on that cluster.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _rss() -> int:
    import psutil

    return psutil.Process().memory_info().rss


def run(paths: list[str], client, n_docs: int, label: str) -> None:
    from geo.archive import parse_archive

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        n = parse_archive(paths, str(Path(tmp) / "out.jsonl"), client=client)
        dt = time.perf_counter() - t0
    assert n == n_docs, (n, n_docs)
    mem = sorted(v / 2**20 for v in client.run(_rss).values())
    print(f"{label:<22} {n / dt:6.1f} docs/s ({dt:.1f} s for {n} docs); "
          f"memory per worker {', '.join(f'{m:.0f}' for m in mem)} MB")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="+")
    ap.add_argument("--shards", type=int, default=8)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--scheduler", help="address of a running Dask scheduler")
    args = ap.parse_args()
    from distributed import Client, LocalCluster

    with tempfile.TemporaryDirectory() as tmp:
        paths = args.corpus
        lines = [line for p in paths for line in open(p, encoding="utf-8") if line.strip()]
        if len(paths) == 1 and args.shards > 1:
            size = -(-len(lines) // args.shards)
            paths = []
            for i in range(0, len(lines), size):
                path = Path(tmp) / f"shard-{i // size:03d}.jsonl"
                path.write_text("".join(lines[i:i + size]), encoding="utf-8")
                paths.append(str(path))
        words = sum(len(json.loads(line)["text"].split()) for line in lines)
        print(f"corpus   {len(lines)} docs, {words:,} words in {len(paths)} shards")
        if args.scheduler:
            with Client(args.scheduler) as client:
                run(paths, client, len(lines), f"{len(client.scheduler_info()['workers'])} "
                                               "workers (cluster)")
            return
        import logging

        for n in args.workers:
            with LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                              dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
                    Client(cluster) as client:
                run(paths, client, len(lines), f"{n} worker{'s' * (n > 1)} (local)")


if __name__ == "__main__":
    main()
