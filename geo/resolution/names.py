"""Name keys: how a surface form and a gazetteer name are made comparable.

    >>> key("Al-Qamishli")
    'al qamishli'
    >>> key("U.S.")
    'us'
    >>> variants("Al Qamishli")
    ['al qamishli', 'qamishli']
    >>> variants("Jalal-Abad")
    ['jalal abad', 'jalalabad']
    >>> variants("Grand-Est")
    ['grand est']

Accents, case, punctuation, curly quotes and a leading "the" do not distinguish places;
Arabic article prefixes ("al-", "el-", "ad-", ...) are often dropped in English, so a name
that has one is also indexed without it; a hyphenated name is also indexed closed up.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ARTICLE = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an|ad-d)\s+(?=\w{4})")
_NON_WORD = re.compile(r"[^\w]+")
_LEADING_THE = re.compile(r"^the\s+")
_DOTTED = re.compile(r"(?<=\w)\.(?=\w)")
_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
#: A hyphen between two words of four letters or more: closed up, "Jalal-Abad" is also
#: written "Jalalabad" ("Grand-Est" is not "grandest", "Dar-es-Salaam" not "Daressalaam").
_CLOSABLE = re.compile(r"^[^\W\d_]{4,}-[^\W\d_]{4,}$")


def strip_accents(text: str) -> str:
    """"Ţarţūs" -> "Tartus": what an English text would write."""
    if text.isascii():  # nothing to strip (and most of an English text)
        return text
    text = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c)))


#: Marks written for an apostrophe or a Polynesian glottal stop ("Ha‘apai", "Hawaiʻi"):
#: one apostrophe, so every spelling reaches one key.
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc\u02bb\u0060\u00b4", "'"))


def fold(text: str) -> str:
    """Lower case, no accents, ASCII apostrophes."""
    return strip_accents(text.translate(_APOSTROPHES)).casefold()


@lru_cache(maxsize=65_536)
def key(text: str) -> str:
    """The lookup key of a name: folded, punctuation removed, words single-spaced (cached:
    the recogniser and resolver ask for the same names' keys many times)."""
    k = fold(text)
    k = _DOTTED.sub("", k)  # U.S. -> US, D.C. -> DC
    k = k.replace("'", "")
    k = _NON_WORD.sub(" ", k).strip()
    return _LEADING_THE.sub("", k)


#: Short forms that begin names, spelled out: "St. Petersburg" is Saint Petersburg's own
#: name, "Mt. Pleasant" Mount Pleasant's.
SHORT_FORMS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "pt": "point"}


def spelled_out(k: str) -> str:
    """A name's key with its short forms written out: "st petersburg" -> "saint petersburg"."""
    return " ".join(SHORT_FORMS.get(w, w) for w in k.split(" "))


def variants(name: str) -> list[str]:
    """Every key a gazetteer name is indexed under: its key, without an Arabic article, and
    with its hyphens closed up ("Jalal-Abad" is also written "Jalalabad")."""
    k = key(name)
    out = [k] if k else []
    closed = key(_HYPHEN.sub("", name)) if _CLOSABLE.search(name) else k
    for v in (_ARTICLE.sub("", k), closed):
        if v and v not in out:
            out.append(v)
    return out


#: Letters English transliterations write several ways ("Makhmour"/"Makhmur", "Khan
#: Younis"/"Khan Yunis", "Diabaly"/"Diabali"): folded before doubled letters and vowel runs
#: merge.
_TRANSLIT = (("kh", "k"), ("gh", "g"), ("dh", "d"), ("th", "t"), ("sh", "s"), ("ph", "f"),
             ("q", "k"), ("c", "k"), ("ou", "u"), ("oo", "u"), ("ee", "i"), ("w", "u"),
             ("y", "i"), ("z", "s"), ("x", "ks"))
_VOWELS = re.compile(r"[aeiou]+")
_DOUBLED = re.compile(r"(.)\1+")
#: Names shorter than this have too many look-alikes to be matched by their skeleton.
SKELETON_MIN_LETTERS = 6


def skeleton(k: str) -> str | None:
    """A name key's transliteration skeleton: consonants and vowel pairs folded, doubled
    letters single, every run of vowels its first, a final "h" dropped ("makhmour" and
    "makhmur" are "makmur"); None for names under ``SKELETON_MIN_LETTERS`` letters or with
    fewer than three consonants left (too many look-alikes).

    >>> skeleton("diabaly") == skeleton("diabali") == "dibali"
    True
    >>> skeleton("khan younis") == skeleton("khan yunis"), skeleton("qayyarah")
    (True, None)
    """
    if sum(c.isalpha() for c in k) < SKELETON_MIN_LETTERS:
        return None
    s = k
    for a, b in _TRANSLIT:
        s = s.replace(a, b)
    s = _VOWELS.sub(lambda v: v.group(0)[0], _DOUBLED.sub(r"\1", s))
    s = " ".join(w.removesuffix("h") or w for w in s.split())
    return s if sum(c.isalpha() and c not in "aeiou" for c in s) >= 3 else None


def is_latin(name: str) -> bool:
    """True for names written in Latin script (English text never uses the others)."""
    return all(ord(c) < 0x250 or unicodedata.combining(c) for c in unicodedata.normalize("NFKD", name))
