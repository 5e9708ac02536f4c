"""People's names in French alphabetical order: « Élodie » beside « Eric », not after « Zoé » (SQLite
sorts by code point, PostgreSQL by its own collation)."""

from __future__ import annotations

import unicodedata

LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})  # letters Unicode does not decompose


def name_order(name: str) -> tuple[str, str]:
    """Sort key: the name lower-cased without its accents, « œ » and « æ » spelt out as French
    dictionaries file them (« Œdipe » after « Océane »), then the name itself (ties stay stable)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().translate(LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)), name
