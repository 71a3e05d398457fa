"""Train the name spotter (``data/spotter.json``) on the dev halves of LGL and GeoVirus.

    .venv/bin/python scripts/train_spotter.py [--bench ../shared/bench] [--out data/spotter.json]

A development script (needs numpy, which spaCy brings). It runs the recogniser without
``storymap_spotter`` over the dev documents only (``geo.evaluation.scores.in_split``), takes the
spotter's candidates (gazetteer names the rules left out, ``geo.recognition.spotting``) and labels each
one a place when a gold toponym matches it (the EUPEG rule: midpoints < 10 characters
apart, same name). The model is an L2-regularised logistic regression fitted by Newton's
method (deterministic). The threshold is the one whose out-of-fold predictions (5 folds by
document) give the best F1 of the accepted candidates weighed as the benchmark weighs
them: an added toponym raises F1 when its precision is above about half the current F1,
so ``MIN_PRECISION`` keeps a margin for the places a town's namesake puts far away.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.evaluation import scores as ev  # noqa: E402
from geo.recognition.spotting import FEATURES, MODEL_PATH, SpotNames  # noqa: E402

CORPORA = ("lgl", "geovirus")
FOLDS = 5
#: The out-of-fold precision the accepted candidates must keep.
MIN_PRECISION = 0.6


def candidates(bench: Path) -> list[tuple[int, list[float], int]]:
    """``[(document number, features, is a gold toponym)]`` over the dev halves."""
    from geo.recognition.docs import share_gazetteer
    from geo.recognition.recogniser import build_nlp
    from geo.resolution.gazetteer import Gazetteer

    gaz = Gazetteer.open()
    nlp = build_nlp(gaz, sentences=False, spot=False)
    spotter = SpotNames(share_gazetteer(gaz), None)
    out, n = [], 0
    for corpus in CORPORA:
        with (bench / f"{corpus}.jsonl").open(encoding="utf-8") as f:
            docs = [d for d in map(json.loads, filter(str.strip, f))
                    if ev.in_split(str(d["id"]), "dev")]
        for d, doc in zip(docs, nlp.pipe(d["text"] for d in docs)):
            gold = ev.placed(d.get("toponyms", []))
            for span, row in spotter.candidates(doc):
                out.append((n, row, int(_is_gold(span, gold))))
            n += 1
        print(f"{corpus}: {len(docs)} dev documents", file=sys.stderr)
    return out


def _is_gold(span, gold: list[dict]) -> bool:
    mid = (span.start_char + span.end_char) / 2
    return any(abs(mid - (g["start"] + g["end"]) / 2) < 10 and
               g["name"].lower() == span.text.lower() for g in gold)


def fit(X, y, C: float):
    """Standardised logistic regression (bias unpenalised): (mean, scale, coef)."""
    import numpy as np

    mean, scale = X.mean(axis=0), X.std(axis=0)
    mean[0], scale[0] = 0.0, 1.0  # the bias column stays 1
    scale[scale < 1e-9] = 1.0
    Z = (X - mean) / scale
    w = np.zeros(Z.shape[1])
    penalty = np.full(Z.shape[1], 1.0 / C)
    penalty[0] = 1e-6
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-Z @ w))
        grad = Z.T @ (p - y) + penalty * w
        hess = (Z * (p * (1 - p))[:, None]).T @ Z + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return mean, scale, w


def out_of_fold(docs, X, y, C: float):
    import numpy as np

    p = np.zeros(len(y))
    for k in range(FOLDS):
        test = docs % FOLDS == k
        mean, scale, w = fit(X[~test], y[~test], C)
        p[test] = 1.0 / (1.0 + np.exp(-((X[test] - mean) / scale) @ w))
    return p


def choose_threshold(p, y) -> float:
    """The lowest threshold whose accepted candidates keep ``MIN_PRECISION``."""
    best = 1.0
    for t in [x / 100 for x in range(95, 19, -5)]:
        taken = p >= t
        if taken.sum() and y[taken].mean() >= MIN_PRECISION:
            best = t
        print(f"  threshold {t:.2f}: {int(taken.sum()):5} taken, "
              f"{int(y[taken].sum()):5} right, precision "
              f"{(y[taken].mean() if taken.sum() else 0):.3f}", file=sys.stderr)
    return best


def main() -> None:
    import numpy as np

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", default=str(ROOT.parent / "shared" / "bench"))
    ap.add_argument("--out", default=str(MODEL_PATH))
    ap.add_argument("--C", type=float, default=1.0, help="inverse L2 strength")
    args = ap.parse_args()
    rows = candidates(Path(args.bench))
    docs = np.array([d for d, _, _ in rows])
    X = np.array([r for _, r, _ in rows], dtype=float)
    y = np.array([g for _, _, g in rows], dtype=float)
    print(f"{len(y):,} candidates, {int(y.sum()):,} gold toponyms", file=sys.stderr)
    threshold = choose_threshold(out_of_fold(docs, X, y, args.C), y)
    mean, scale, w = fit(X, y, args.C)
    for name, c in sorted(zip(FEATURES, w), key=lambda t: -abs(t[1])):
        print(f"  {name:16} {c:+.3f}", file=sys.stderr)
    Path(args.out).write_text(json.dumps({
        "about": "Name spotter for geo.recognition.spotting, written by scripts/train_spotter.py from the "
                 "dev halves of LGL and GeoVirus: p = logistic(sum coef * (x - mean) / scale), "
                 "a candidate is taken when p >= threshold.",
        "features": list(FEATURES), "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale], "coef": [round(float(v), 6) for v in w],
        "threshold": threshold, "C": args.C}, indent=1) + "\n", encoding="utf-8")
    print(f"threshold {threshold}; wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
