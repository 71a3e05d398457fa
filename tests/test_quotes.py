from geo.models import Article, Mention
from geo.story.quotes import MAX_CHARS, quote, sentence_bounds


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


def test_quote_never_runs_across_a_heading_or_a_paragraph():
    text = "Quake kills 40\nRescue teams reached Puebla at dawn. More came."
    start = text.index("Puebla")
    s0, s1 = sentence_bounds(text, start, start + 6, [(0, len(text))])
    assert text[s0:s1] == "Rescue teams reached Puebla at dawn. More came."


def test_a_lone_dateline_is_quoted_with_the_sentence_it_opens():
    text = "MEXICO CITY - Rescue teams searched Puebla. Then rain."
    s0, s1 = sentence_bounds(text, 0, 11, [(0, 13), (14, 43), (44, 54)])
    assert text[s0:s1] == "MEXICO CITY - Rescue teams searched Puebla."


def test_long_sentence_window_starts_and_ends_between_words():
    text = "wordy " * 300 + "Aleppo" + " wordy" * 300
    start = text.index("Aleppo")
    s0, s1 = sentence_bounds(text, start, start + 6, [(0, len(text))])
    assert text[s0:s1].startswith("wordy") and text[s0 - 1] == " "
    assert text[s0:s1].endswith("wordy") and text[s1] == " "


def test_one_quote_per_place_per_sentence():
    from geo.story.quotes import unique

    text = "Aleppo fell, and Aleppo burned. Aleppo wept."
    a = Article(id="a", text=text, source="S")
    sents = [(0, 31), (32, 44)]
    qs = [quote(a, Mention("a", s, s + 6, "Aleppo", "GPE"), sents) for s in (0, 17, 32)]
    assert [q.start for q in unique(qs)] == [0, 32]
