"""Scoring toponyms against gold, with EUPEG's protocol (Wang & Hu 2019).

    >>> gold = {"d": [{"start": 0, "end": 5, "name": "Paris", "lat": 48.85, "lon": 2.35}]}
    >>> pred = {"d": [{"start": 0, "end": 5, "name": "paris", "lat": 48.9, "lon": 2.4}]}
    >>> r = score(gold, pred)
    >>> (r.precision, r.recall, r.acc161)
    (1.0, 1.0, 1.0)

A predicted toponym matches a gold one when their span midpoints differ by less than 10
characters and their lower-cased names are equal; each prediction is used once. Only gold
and predicted toponyms with coordinates count. Over matched pairs: mean and median error
(km), acc@161 (share under 161 km) and AUC of the sorted log(1 + error) curve.
"""
from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

EARTH_KM = 6371.0
MAX_ERROR_KM = 20039.0


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    mean_km: float
    median_km: float
    acc161: float
    auc: float
    matched: int
    gold: int


def in_split(doc_id: str, split: str) -> bool:
    """A fixed split by id (half dev, half test), the same on every machine and run."""
    if split == "all":
        return True
    half = int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % 2
    return half == (0 if split == "dev" else 1)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def placed(toponyms: Iterable[dict]) -> list[dict]:
    return [t for t in toponyms if t.get("lat") is not None and t.get("lon") is not None]


def read_jsonl(path: str | Path) -> dict[str, list[dict]]:
    """``id -> toponyms`` of a gold or prediction file."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                out[str(d["id"])] = d.get("toponyms", [])
    return out


def align(gold_tops: list[dict], pred_tops: list[dict]) -> tuple[list[tuple[dict, dict | None]],
                                                                 list[dict]]:
    """Pair each placed gold toponym with the first unused placed prediction that matches
    (midpoints < 10 characters apart, same lower-cased name); also the predictions left."""
    preds = placed(pred_tops)
    pairs: list[tuple[dict, dict | None]] = []
    for g in placed(gold_tops):
        mid = (g["start"] + g["end"]) / 2
        hit = next((p for p in preds if abs(mid - (p["start"] + p["end"]) / 2) < 10
                    and p["name"].lower() == g["name"].lower()), None)
        if hit is not None:
            preds.remove(hit)
        pairs.append((g, hit))
    return pairs, preds


def score(gold: dict[str, list[dict]], pred: dict[str, list[dict]]) -> Scores:
    tp = fp = fn = 0
    errors: list[float] = []
    for doc_id, gold_tops in gold.items():
        pairs, left = align(gold_tops, pred.get(doc_id, []))
        for g, hit in pairs:
            if hit is None:
                fn += 1
                continue
            tp += 1
            errors.append(haversine_km(g["lat"], g["lon"], hit["lat"], hit["lon"]))
        fp += len(left)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if tp else 0.0
    errors.sort()
    n = len(errors)
    median = 0.0 if not n else (errors[n // 2] if n % 2 else (errors[n // 2 - 1] + errors[n // 2]) / 2)
    auc = 0.0
    if n > 1:
        v = [math.log(1 + e) / math.log(MAX_ERROR_KM) for e in errors]
        auc = (0.5 * (v[0] + v[-1]) + sum(v[1:-1])) / (n - 1)
    return Scores(p, r, f1, sum(errors) / n if n else 0.0, median,
                  sum(e < 161 for e in errors) / n if n else 0.0, auc, n, tp + fn)


HEADER = f"{'system':32} {'P':>6} {'R':>6} {'F1':>6} {'mean_km':>9} {'median_km':>9} {'acc161':>7} {'AUC':>6} {'matched':>7} {'gold':>6}"


def row(name: str, s: Scores) -> str:
    return (f"{name:32} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.mean_km:9.1f} "
            f"{s.median_km:9.3f} {s.acc161:7.3f} {s.auc:6.3f} {s.matched:7d} {s.gold:6d}")
