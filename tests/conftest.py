"""Shared fixtures: the real gazetteer and spaCy pipeline, loaded once per test session."""
from __future__ import annotations

import math
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance, for 'near its true position' checks."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


@pytest.fixture(scope="session")
def gazetteer():
    from geo.resolution.gazetteer import Gazetteer

    return Gazetteer.open()


@pytest.fixture(scope="session")
def pipeline(gazetteer):
    from geo.pipeline import Pipeline
    from geo.recognition.recogniser import Recogniser
    from geo.resolution.geocode import GeoNamesGeocoder
    from geo.resolution.resolver import Resolver

    return Pipeline(Recogniser(gazetteer), Resolver(GeoNamesGeocoder(gazetteer), gazetteer))


@pytest.fixture(scope="session")
def seed_story(pipeline):
    from geo.ingest.articles import load_corpus

    return pipeline(load_corpus(CORPUS).articles)
