from geo.resolution.names import is_latin, key, strip_accents, variants


def test_key_ignores_case_accents_punctuation_and_the():
    assert key("Ţarţūs") == key("tartus") == "tartus"
    assert key("U.S.") == key("US") == "us"
    assert key("the Euphrates") == "euphrates"
    assert key("Washington, D.C.") == "washington dc"
    assert key("Hay\u2019at") == key("Hay'at") == "hayat"


def test_every_apostrophe_mark_gives_one_key():
    """News writes an apostrophe or a Polynesian glottal stop with any of these marks
    ("Ha’apai", "Ha‘apai", "Haʻapai", "Ha´apai")."""
    assert {key(f"Hunga Ha{m}apai") for m in "'’‘ʻʼ`´"} == {"hunga haapai"}


def test_variants_drop_arabic_article():
    assert variants("Al Qāmishlī") == ["al qamishli", "qamishli"]
    assert variants("Alma") == ["alma"]  # "al" must be a separate word
    assert variants("Al Ain") == ["al ain"]  # too short a remainder to be a name on its own


def test_strip_accents_keeps_case():
    assert strip_accents("Ţarţūs") == "Tartus"


def test_is_latin():
    assert is_latin("Moskva") and is_latin("Zürich")
    assert not is_latin("Москва")
