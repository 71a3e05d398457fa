"""The learned name spotter: its model file, its candidates and its place in the ``nlp``."""
import json
import math

import pytest

from geo.errors import ConfigurationError
from geo.recognition.spotting import FEATURES, LABEL, Spotter


def write_model(path, bias: float, threshold: float = 0.5, features=FEATURES):
    n = len(features)
    coef = [bias if f == "bias" else 0.0 for f in features]
    path.write_text(json.dumps({"features": list(features), "mean": [0.0] * n,
                                "scale": [1.0] * n, "coef": coef, "threshold": threshold}))
    return path


@pytest.fixture(scope="module")
def nlp(pipeline):
    return pipeline.recogniser.nlp


def spotted(nlp, text):
    return [(text[p[0]:p[1]], p[2]) for p in nlp(text)._.storymap_places]


def test_the_model_file_is_checked(tmp_path):
    with pytest.raises(ConfigurationError, match="other features"):
        Spotter.load(write_model(tmp_path / "m.json", 1.0, features=FEATURES[:-1]))
    with pytest.raises(ConfigurationError, match="cannot read"):
        Spotter.load(tmp_path / "missing.json")


def test_probability_is_the_logistic_of_the_standardised_score():
    n = len(FEATURES)
    m = Spotter((0.0,) + (1.0,) * (n - 1), (1.0,) + (2.0,) * (n - 1),
                (0.5,) + (1.0,) * (n - 1), 0.5)
    x = [1.0] + [3.0] * (n - 1)  # each feature adds (3 - 1) / 2 = 1
    assert m.probability(x) == pytest.approx(1 / (1 + math.exp(-(0.5 + n - 1))))


def test_candidates_are_the_gazetteer_names_the_rules_left_out(nlp):
    spotter = nlp.get_pipe("storymap_spotter")
    with nlp.select_pipes(disable=["storymap_spotter"]):
        doc = nlp("Mr Randwick met the mayor of Sydney on Tuesday.")
    names = [s.text for s, row in spotter.candidates(doc)]
    assert names == ["Randwick"]  # not Sydney (a place already), not Tuesday (a date)
    row = dict(zip(FEATURES, spotter.candidates(doc)[0][1]))
    assert row["prev_title"] == 1.0 and row["prev_prep"] == 0.0


def test_a_surname_of_the_article_and_a_nationality_are_no_candidates(nlp):
    """As in the rules: "Campbell" after "Willie Campbell's" is that man, "Somali" read as
    a nationality is no Somali Region, a newspaper's name names no place; a town name
    beside them still is one."""
    spotter = nlp.get_pipe("storymap_spotter")
    text = ("Willie Campbell's lawyer spoke. Campbell met Somali elders in Randwick, "
            "The Sydney Morning Herald said.")
    doc = nlp.make_doc(text)
    ents = [("Willie Campbell's", "PERSON"), ("Somali", "NORP"),
            ("The Sydney Morning Herald", "ORG")]
    doc.ents = [doc.char_span(text.index(t), text.index(t) + len(t), label=lab)
                for t, lab in ents]
    doc._.storymap_places = []
    assert [s.text for s, _ in spotter.candidates(doc)] == ["Randwick"]


def test_an_airport_named_after_a_person_is_no_candidate(nlp):
    """"The Salgado Filho International Airport" (in Porto Alegre): Salgado Filho is also a
    small town's name, but the rules take an airport at its town only where the name is a
    town's of some size; left to the spotter, the name is the airport's namesake."""
    spotter = nlp.get_pipe("storymap_spotter")
    with nlp.select_pipes(disable=["storymap_spotter"]):
        doc = nlp("The Salgado Filho International Airport field has disappeared under water.")
    assert "Salgado Filho" not in [s.text for s, _ in spotter.candidates(doc)]


def test_the_component_takes_what_its_model_takes(tmp_path, gazetteer):
    from geo.recognition.recogniser import build_nlp, load_model

    text = "Mr Randwick met the mayor of Sydney on Tuesday."
    for bias, want in ((20.0, [("Randwick", LABEL), ("Sydney", "GPE")]),
                       (-20.0, [("Sydney", "GPE")])):
        nlp = build_nlp(gazetteer, load_model(sentences=False))
        nlp.replace_pipe("storymap_spotter", "storymap_spotter", config={
            "model_path": str(write_model(tmp_path / "m.json", bias))})
        assert spotted(nlp, text) == want


def test_the_learned_model_spots_a_listed_town_and_not_a_titled_name(nlp):
    assert ("Bentiu", LABEL) in spotted(
        nlp, "Fighting spread from Bentiu to Malakal, South Sudan officials said.")
    assert spotted(nlp, "Mr Randwick said the council would meet on Tuesday.") == []


def test_a_spotted_name_inside_an_organisations_name_is_embedded(nlp):
    """"the International Federation of the Red Cross": the spotter may take "Red Cross" (a
    town in North Carolina) as a name, but inside an organisation's longer name it is
    embedded, not on the map; the model's "Grand Goave to" (no capitalised word of its
    own besides the name) leaves Grand Goave a place."""
    text = ("The United States gave $100,000 to the International Federation of the Red Cross "
            "and Red Crescent Societies.")
    assert all(p[5] for p in nlp(text)._.storymap_places if text[p[0]:p[1]] == "Red Cross")
    text = ("The Marines focused on a 60-kilometer area west of Port-Au-Prince, from Carrefour "
            "to Leogane, through Grand Goave to Petit Goave.")
    assert [p[5] for p in nlp(text)._.storymap_places if text[p[0]:p[1]] == "Grand Goave"] \
        == [False]
