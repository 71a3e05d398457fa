"""Place or government? Every mention flagged as standing for a government, with its
sentence, so a person can judge each flag; and the places named as the subject of a
speech verb that were not flagged, to judge what was missed.

    .venv/bin/python benchmarks/government_flags.py [corpus data/stories/dev ...]

Prints one line per flagged mention (``+``) and per unflagged candidate (``?``: a place
name directly followed by a speech or decision verb, the commonest government use), then
the counts. The judging is by hand: a flag is right when the sentence reads the name as a
government or its officials ("Moscow said", "the Kremlin confirmed"), wrong when it is the
place ("fighting in Aleppo"). Asserts nothing.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.ingest.articles import load_corpus  # noqa: E402
from geo.pipeline import Pipeline  # noqa: E402
from geo.recognition.words import GOVERNMENT_CORE, GOVERNMENT_VERBS  # noqa: E402

#: Auxiliaries and adverbs that may come between the name and its verb ("has also said").
BETWEEN = GOVERNMENT_VERBS - GOVERNMENT_CORE


def speech_follows(rest: str) -> bool:
    """A speech or decision verb right after the name, past up to three auxiliaries."""
    words = re.findall(r"[\w’']+", rest.lower())[:4]
    for word in words:
        if word in GOVERNMENT_CORE:
            return True
        if word not in BETWEEN:
            return False
    return False


def folders(args: list[str]) -> list[Path]:
    roots = [Path(a) for a in args] or [ROOT / "corpus", ROOT / "data" / "stories" / "dev"]
    out = []
    for root in roots:
        found = sorted(p.parent for p in root.rglob("gold.yaml")) or [root]
        out += found
    return out


def main(argv: list[str]) -> None:
    pipeline = Pipeline.load()
    flagged = unflagged = 0
    for folder in folders(argv):
        story = pipeline(load_corpus(folder).articles)
        print(f"== {folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder}")
        for sp in story.places:
            for q in sp.quotes:
                text = " ".join(q.sentence.split())
                if q.government:
                    flagged += 1
                    print(f"  + {sp.place.name:<22} | {text}")
                elif speech_follows(q.sentence[q.highlight[1]:]):
                    unflagged += 1
                    print(f"  ? {sp.place.name:<22} | {text}")
    print(f"{flagged} mentions flagged as a government; {unflagged} unflagged names directly "
          f"followed by a speech verb")


if __name__ == "__main__":
    main(sys.argv[1:])
