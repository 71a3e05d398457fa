"""Where the geoparser goes wrong on a gold corpus: missed, spurious and far-off toponyms.

    python benchmarks/geoparse_errors.py GOLD.jsonl PRED.jsonl [--top 40]

Prints the most frequent false negatives, false positives and matched toponyms more than
161 km off (with the predicted and gold coordinates), using the scoring protocol of
``geo.evaluation.scores``. A development aid: it reads only the files it is given.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter

from geo.evaluation.scores import align, haversine_km, read_jsonl


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold")
    ap.add_argument("pred")
    ap.add_argument("--top", type=int, default=40)
    args = ap.parse_args()
    gold, pred = read_jsonl(args.gold), read_jsonl(args.pred)
    fn, fp, far = Counter(), Counter(), Counter()
    far_where: dict[str, tuple] = {}
    for doc_id, gtops in gold.items():
        pairs, left = align(gtops, pred.get(doc_id, []))
        for g, hit in pairs:
            if hit is None:
                fn[g["name"]] += 1
                continue
            err = haversine_km(g["lat"], g["lon"], hit["lat"], hit["lon"])
            if err >= 161:
                far[g["name"]] += 1
                far_where[g["name"]] = (hit["lat"], hit["lon"], g["lat"], g["lon"], round(err))
        for p in left:
            fp[p["name"]] += 1
    for title, c in (("missed", fn), ("spurious", fp), ("far off (pred lat,lon -> gold lat,lon, km)", far)):
        print(f"\n== {title}: {sum(c.values())}")
        print(json.dumps([(n, k, far_where.get(n)) if c is far else (n, k)
                          for n, k in c.most_common(args.top)], ensure_ascii=False))


if __name__ == "__main__":
    main()
