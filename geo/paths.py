"""Where a checkout keeps what the code reads: ``data/`` (gazetteer extras, the learned
models, outlines, the story set) and the bundled ``corpus/``, found from this file so the
modules in any of ``geo``'s packages name them the same way."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CORPUS = ROOT / "corpus"

__all__ = ["CORPUS", "DATA", "ROOT"]
