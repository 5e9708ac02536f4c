"""``curation.textnorm.fold`` and ``token_set``: the fast paths give what the general one gives."""

from __future__ import annotations

import unicodedata

import pytest

from curation.textnorm import fold, token_set, tokens


def _reference_fold(char: str) -> str:
    """One character folded the slow, obvious way (NFKD, combining marks dropped)."""
    return "".join(c for c in unicodedata.normalize("NFKD", char.lower()) if not unicodedata.combining(c))


def test_every_latin_letter_with_a_diacritic_folds_like_nfkd():
    special = {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"}
    for code in range(0xC0, 0x250):
        char = chr(code)
        expected = special.get(char.lower(), _reference_fold(char))
        assert fold(char) == expected, hex(code)
        assert fold(f"«{char}»") == f"«{expected}»", hex(code)  # the path that keeps other symbols


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("L’Été d’Œdipe", "ete oedipe"),
        ("«\u00a0Qu’il\u202fvienne\u00a0»", "« il vienne »"),
        ("Привет, мир", "привет, мир"),  # other scripts are kept
        ("ё and й", "е and и"),  # their accents go
        ("e\u0301te\u0300", "ete"),  # decomposed input
        ("l`avis", "avis"),
        ("x\U0001d167y ①", "xy 1"),  # a mark beyond the first plane; compatibility forms
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_token_set_is_the_set_of_tokens():
    text = "<p>Les réseaux sociaux, l’engagement et 3 communautés : a b c 2026</p>"
    assert token_set(text) == set(tokens(text))
    assert "a" not in token_set(text) and "3" in token_set(text)
