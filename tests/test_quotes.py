from geo.models import Article, Mention
from geo.quotes import MAX_CHARS, quote, sentence_bounds


def test_quote_is_the_verbatim_sentence_with_the_mention_inside():
    text = "Intro line.\n  Russia kept Tartus,  its base.  Next one."
    a = Article(id="a", text=text, source="S")
    start = text.index("Tartus")
    sents = [(0, 11), (12, 46), (48, 57)]
    q = quote(a, Mention("a", start, start + 6, "Tartus", "GPE"), sents)
    assert q.sentence == "Russia kept Tartus,  its base."
    assert q.sentence[slice(*q.highlight)] == "Tartus"
    assert text[q.sentence_start:q.sentence_start + len(q.sentence)] == q.sentence


def test_mention_across_a_sentence_break_takes_both_sentences():
    text = "He went to St. Louis today."
    s0, s1 = sentence_bounds(text, 11, 20, [(0, 14), (15, 27)])
    assert text[s0:s1] == text


def test_long_paragraph_is_cut_around_the_mention():
    text = "word " * 400 + "Aleppo" + " word" * 400
    start = text.index("Aleppo")
    s0, s1 = sentence_bounds(text, start, start + 6, [(0, len(text))])
    assert s1 - s0 <= MAX_CHARS and s0 <= start and s1 >= start + 6
