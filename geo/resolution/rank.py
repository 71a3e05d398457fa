"""The learned candidate ranker: a linear score over ``geo.resolution.features``, stored as JSON.

    >>> ranker = Ranker.load()                       # doctest: +SKIP
    >>> ranker.probabilities([row_a, row_b])         # doctest: +SKIP
    [0.93, 0.07]

Trained by ``scripts/train_ranker.py`` on the dev halves of LGL and GeoVirus with a
candidate-vs-candidate objective (each candidate within 161 km of the gold point against
each one that is not, of the same mention), so the score only has to order a mention's
candidates; their softmax is each one's probability. One feature is the hand rules' score,
so the model starts from the rules and learns what story-level evidence adds. The file holds
only numbers (feature names, standardisation, coefficients, the abstention cut-off), so
loading it runs no code. ``explain`` names what set the pick apart from the runner-up.
"""
from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from geo.errors import ConfigurationError
from geo.paths import DATA
from geo.resolution.features import FEATURES

MODEL_PATH = DATA / "ranker.json"

#: Words for the features a reason may cite (those a reader can check on the page).
PHRASES = {
    "rule": "kind, size and the article's countries and states",
    "rule_top": "kind, size and the article's countries and states",
    "log_size": "more populous", "size_share": "the most populous of its namesakes",
    "kind_city": "a town or city", "kind_region": "an administrative unit",
    "kind_country": "a country", "kind_other": "a sea, area or facility",
    "unit_region": "the mention names an administrative unit",
    "unit_only": "the mention names an administrative unit",
    "in_country": "in a country the story names",
    "in_unit": "in a province or county the story names",
    "votes": "where the story's other places are",
    "anchor_km": "near places the story names", "near_anchor": "near places the story names",
    "focus_km": "near the story's centre", "no_anchor": "the story names no nearby place",
    "unsure_city": "not a town's namesake", "small_far": "not a tiny far-away namesake",
    "list_kind": "listed with places of its kind",
}


def read_model(path: Path, features: Sequence[str], script: str) -> dict[str, Any]:
    """A linear model's JSON (the ranker's, the spotter's), checked against the features
    this code computes, for a model trained on others would score nonsense; ``mean``,
    ``scale`` (0 read as 1) and ``coef`` come back as tuples of floats."""
    d = json.loads(path.read_text(encoding="utf-8"))
    if tuple(d["features"]) != tuple(features):
        raise ConfigurationError(f"{path}: trained on other features; run {script}")
    if not all(len(d[k]) == len(features) for k in ("mean", "scale", "coef")):
        raise ValueError("mean, scale and coef must have one number per feature")
    return {**d, "mean": tuple(map(float, d["mean"])), "coef": tuple(map(float, d["coef"])),
            "scale": tuple(float(v) or 1.0 for v in d["scale"])}


def linear_score(model: Any, x: Sequence[float]) -> float:
    """sum_i coef_i (x_i - mean_i) / scale_i of a model with those three tuples."""
    return sum(w * (v - m) / s for w, v, m, s in zip(model.coef, x, model.mean, model.scale))


@dataclass(frozen=True)
class Ranker:
    """score = sum_i coef_i (x_i - mean_i) / scale_i; probabilities are the softmax of a
    mention's scores. A pick that is a town of under ``abstain_population`` people more than
    ``abstain_km`` from every place the story names is left unplaced (when both are set)."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    abstain_population: int | None = None
    abstain_km: float | None = None

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> Ranker:
        try:
            d = read_model(path, FEATURES, "scripts/train_ranker.py")
            return cls(FEATURES, d["mean"], d["scale"], d["coef"],
                       d.get("abstain_population"), d.get("abstain_km"))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigurationError(f"{path}: cannot read the ranker ({exc})") from None

    @cached_property
    def _terms(self) -> tuple[tuple[float, float, float], ...]:
        """(coef, mean, scale) of each feature, zipped once rather than per row."""
        return tuple(zip(self.coef, self.mean, self.scale))

    def score(self, x: Sequence[float]) -> float:
        """``linear_score``, term for term in the same order (so the same to the bit)."""
        return sum([w * (v - m) / s for (w, m, s), v in zip(self._terms, x)])

    def probabilities(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """Softmax of the rows' scores: each candidate's probability of being the one."""
        if not rows:
            return []
        scores = [self.score(x) for x in rows]
        top = max(scores)
        exps = [math.exp(max(s - top, -50.0)) for s in scores]
        total = sum(exps)
        return [e / total for e in exps]

    def explain(self, best: Sequence[float], runner_up: Sequence[float]) -> str:
        """The (at most two) features that add most to the pick's lead over the runner-up."""
        gains = sorted(((w * (b - o) / s, name) for name, w, b, o, s in
                        zip(self.features, self.coef, best, runner_up, self.scale)), reverse=True)
        words = list(dict.fromkeys(PHRASES[n] for g, n in gains if g > 0.05 and n in PHRASES))
        return "; ".join(words[:2])


__all__ = ["MODEL_PATH", "PHRASES", "Ranker", "linear_score", "read_model"]
