"""Quotes: the verbatim sentence around each mention, for the reader to compare outlets.

    >>> from geo.models import Article, Mention
    >>> a = Article(id="a", text="Talks ended. Troops left Aleppo at dawn. Rain.", source="S")
    >>> q = quote(a, Mention("a", 25, 31, "Aleppo", "GPE"), [(0, 12), (13, 40), (41, 46)])
    >>> q.sentence, q.sentence[slice(*q.highlight)]
    ('Troops left Aleppo at dawn.', 'Aleppo')

Sentences come from the recogniser's sentence splitter; a sentence is trimmed of
surrounding white space and, when it runs past ``MAX_CHARS`` (a paragraph with no full
stop), cut to a window around the mention so a popup stays readable.
"""
from __future__ import annotations

import bisect
from collections.abc import Sequence

from geo.models import Article, Mention, Quote

MAX_CHARS = 600


def sentence_bounds(text: str, start: int, end: int,
                    sentences: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """The (start, end) of the sentence(s) covering ``[start, end)``, trimmed, capped."""
    starts = [s for s, _ in sentences]
    i = max(0, bisect.bisect_right(starts, start) - 1)
    s0, s1 = sentences[i] if sentences else (0, len(text))
    j = i
    while j + 1 < len(sentences) and s1 < end:  # a mention split across sentences
        j += 1
        s1 = sentences[j][1]
    while s0 < start and text[s0].isspace():
        s0 += 1
    while s1 > end and text[s1 - 1].isspace():
        s1 -= 1
    if s1 - s0 > MAX_CHARS:
        half = (MAX_CHARS - (end - start)) // 2
        s0, s1 = max(s0, start - half), min(s1, end + half)
    return s0, s1


def quote(article: Article, mention: Mention, sentences: Sequence[tuple[int, int]]) -> Quote:
    s0, s1 = sentence_bounds(article.text, mention.start, mention.end, sentences)
    return Quote(article_id=article.id, source=article.source, text=mention.text,
                 start=mention.start, end=mention.end, sentence=article.text[s0:s1],
                 sentence_start=s0)
