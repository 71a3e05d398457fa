import pytest

from geo.models import Article


@pytest.fixture(scope="module")
def rec(pipeline):
    return pipeline.recogniser


def mentions(rec, text):
    return [(m.text, m.label, m.hint) for m in rec(Article(id="t", text=text, source="S")).mentions]


def test_gazetteer_ruler_fixes_what_ner_mislabels(rec):
    found = mentions(rec, "Russia keeps the Khmeimim Air Base and the Tartus naval base in Syria.")
    texts = [t for t, _, _ in found]
    assert "Khmeimim Air Base" in texts and "Tartus" in texts and "Syria" in texts
    hint = dict((t, h) for t, _, h in found)["Khmeimim Air Base"]
    assert hint == "storymap:hmeimim-air-base"


def test_persons_organisations_and_agencies_are_not_places(rec):
    text = ("Syrian President Ahmed al-Sharaa met Vladimir Putin. Al-Sharaa said Tass and "
            "SANA reported it, and Hayat Tahrir al-Sham welcomed the talks in Damascus.")
    texts = [t for t, _, _ in mentions(rec, text)]
    assert texts == ["Damascus"]


def test_directional_area_and_dateline(rec):
    found = mentions(rec, "MOSCOW - Forces left northeastern Syria and the Qamishli airport.")
    assert ("MOSCOW", "GPE", None) in found
    assert ("northeastern Syria", "AREA", "direction:NE") in found
    assert ("Qamishli airport", "FAC", "storymap:qamishli-airport") in found


def test_mention_offsets_point_into_the_text_and_sentences_cover_it(rec):
    text = "Talks were held in Moscow.\nThen the delegation flew to Aleppo."
    r = rec(Article(id="t", text=text, source="S"))
    for m in r.mentions:
        assert text[m.start:m.end] == m.text
        assert any(s <= m.start and m.end <= e for s, e in r.sentences)


def test_hostile_markup_is_just_text(rec):
    text = '<script>alert("x")</script> Troops entered <b>Homs</b> on Monday.'
    r = rec(Article(id="t", text=text, source="S"))
    assert all(text[m.start:m.end] == m.text for m in r.mentions)


def test_spacy_is_imported_without_its_command_line_which_still_works():
    """``geo.recognition`` imports spaCy with stand-ins for ``spacy.cli``; afterwards the
    real command line is what ``import spacy.cli`` and ``spacy.info`` find (in a fresh
    interpreter, where the stand-ins are in play)."""
    import subprocess
    import sys

    code = ("import sys, geo.recognition, spacy; "
            "assert 'typer' not in sys.modules, 'the CLI was imported'; "
            "import spacy.cli; assert hasattr(spacy.cli, 'download'); "
            "assert spacy.info()['spacy_version'] == spacy.__version__")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
