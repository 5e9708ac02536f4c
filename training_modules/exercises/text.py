"""Matching French words the way a reader would: ignoring case, accents and apostrophe styles."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower-case, accents removed, typographic apostrophes and spaces made plain, invisible
    characters dropped (a link copied from a page keeps the word joiners that stopped it being live)."""
    text = text.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c) != "Cf")


def find_phrases(text: str, phrases: list[str]) -> list[str]:
    """The phrases of ``phrases`` that occur in ``text`` as whole words."""
    folded = fold(text)
    found = []
    for phrase in phrases:
        pattern = r"(?<![\w])" + re.escape(fold(phrase)) + r"(?![\w])"
        if re.search(pattern, folded):
            found.append(phrase)
    return found


def words(text: str) -> list[str]:
    return re.findall(r"[\w’'-]+", text)
