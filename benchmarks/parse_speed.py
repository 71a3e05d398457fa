"""Speed and memory of ``geo parse`` over a JSONL corpus: docs/s, words/s, peak memory.

    python benchmarks/parse_speed.py ../shared/bench/lgl.jsonl [--processes N]

By default ``geo parse`` runs in one process per core (``--processes 1``: one process).
Times the whole command as a user runs it (model and gazetteer loading included, reported
apart), in a child process so that its peak resident memory is its own.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--processes", type=int, default=None)
    args = ap.parse_args()
    docs = [json.loads(line) for line in open(args.corpus, encoding="utf-8") if line.strip()]
    words = sum(len(d["text"].split()) for d in docs)
    cmd = [sys.executable, "-m", "geo", "parse", args.corpus, "-o", "/dev/null"]
    if args.processes:
        cmd += ["--processes", str(args.processes)]
    t0 = time.perf_counter()
    # loaded as `geo parse` loads it: without the sentence recogniser
    subprocess.run([sys.executable, "-c",
                    "from geo.pipeline import Pipeline; Pipeline.load(sentences=False)"],
                   cwd=ROOT, check=True, capture_output=True)
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    total = time.perf_counter() - t0
    if r.returncode:
        sys.exit(r.stderr)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    parse = total - t_load
    print(f"corpus            {args.corpus}: {len(docs)} docs, {words:,} words")
    print(f"command           {' '.join(cmd[1:])}")
    print(f"wall time         {total:.1f} s (loading model + gazetteer: {t_load:.1f} s)")
    print(f"throughput        {len(docs) / total:.1f} docs/s, {words / total:,.0f} words/s (whole command)")
    print(f"                  {len(docs) / parse:.1f} docs/s, {words / parse:,.0f} words/s (after loading)")
    print(f"peak memory       {peak_mb:.0f} MB (largest child process)")


if __name__ == "__main__":
    main()
