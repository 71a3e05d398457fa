"""Quotes: the verbatim sentence around each mention, for the reader to compare outlets.

    >>> from geo.models import Article, Mention
    >>> a = Article(id="a", text="Talks ended. Troops left Aleppo at dawn. Rain.", source="S")
    >>> q = quote(a, Mention("a", 25, 31, "Aleppo", "GPE"), [(0, 12), (13, 40), (41, 46)])
    >>> q.sentence, q.sentence[slice(*q.highlight)]
    ('Troops left Aleppo at dawn.', 'Aleppo')

Sentences come from the recogniser's sentence splitter (which already starts one at every
line break and after a dateline); here a quote is also kept inside the mention's line, so
it never runs across a heading or a paragraph, a lone dateline ("MOSCOW -") is quoted with
the sentence it opens, surrounding white space is trimmed and, when a sentence runs past
``MAX_CHARS`` (a paragraph with no full stop), it is cut to a window of whole words around
the mention so a popup stays readable. ``unique`` keeps one quote per place per sentence.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence

from geo.models import Article, Mention, Quote

MAX_CHARS = 600
#: A dateline on its own: capitals, an optional ", State" and agency, then a dash or colon.
_LONE_DATELINE = re.compile(r"^[A-Z][A-Z.'\u2019 \-]+(?:,[^\n]{1,30})?(?:\([^)\n]{1,20}\))?"
                            r"\s*(?:[-\u2013\u2014]+|:)$")


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
    if _LONE_DATELINE.match(text[s0:s1].strip()) and j + 1 < len(sentences):
        s1 = sentences[j + 1][1]  # "MOSCOW -": quote the sentence the dateline opens
    line0 = text.rfind("\n", 0, start) + 1
    line1 = text.find("\n", end)
    s0, s1 = max(s0, line0), min(s1, len(text) if line1 < 0 else line1)
    while s0 < start and text[s0].isspace():
        s0 += 1
    while s1 > end and text[s1 - 1].isspace():
        s1 -= 1
    if s1 - s0 > MAX_CHARS:
        s0, s1 = _window(text, start, end, s0, s1)
    return s0, s1


def _window(text: str, start: int, end: int, s0: int, s1: int) -> tuple[int, int]:
    """At most ``MAX_CHARS`` of ``text[s0:s1]`` around the mention, cut between words."""
    half = (MAX_CHARS - (end - start)) // 2
    w0, w1 = max(s0, start - half), min(s1, end + half)
    if w0 > s0:
        space = text.find(" ", w0, start)
        w0 = space + 1 if space >= 0 else start
    if w1 < s1:
        space = text.rfind(" ", end, w1)
        w1 = space if space >= 0 else end
    while w1 > end and text[w1 - 1] in " ,;:":
        w1 -= 1
    return w0, w1


def unique(quotes: Iterable[Quote]) -> list[Quote]:
    """One quote per place per sentence: the first mention's (a sentence naming Aleppo
    twice is shown once)."""
    seen: set[tuple[str, int, int]] = set()
    out = []
    for q in quotes:
        k = (q.article_id, q.sentence_start, len(q.sentence))
        if k not in seen:
            seen.add(k)
            out.append(q)
    return out


def quote(article: Article, mention: Mention, sentences: Sequence[tuple[int, int]]) -> Quote:
    s0, s1 = sentence_bounds(article.text, mention.start, mention.end, sentences)
    return Quote(article_id=article.id, source=article.source, text=mention.text,
                 start=mention.start, end=mention.end, sentence=article.text[s0:s1],
                 sentence_start=s0, government=mention.government)
