"""``curation.textnorm``'s fast paths give exactly what the plain implementation gave (seeded
differential test): byte tables, elisions around apostrophes, word caches."""

from __future__ import annotations

import random
import re
import unicodedata
from functools import lru_cache

import pytest

from curation import textnorm
from curation.textnorm import STOPWORDS, content_tokens, fold, normalise_for_search, stem, token_set, tokens

# ---- the reference: the module as it was before its fast paths --------------------------------

_ELISION = re.compile(r"\b(?:[ldjnsctm]|qu|jusqu|lorsqu|puisqu|quoiqu)'(?=\w)")
_WORD = re.compile(r"[a-z0-9]{2,}|[0-9]")
_SPECIAL = {
    **{"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"},
    **dict.fromkeys("’ʼ‘´", "'"),
}
_MARKS = "".join(chr(cp) for cp in range(0x300, 0x10000) if cp < 0x370 or unicodedata.combining(chr(cp)))
_COMBINING = re.compile(f"[{_MARKS}]+")
_NOT_ASCII_OR_MARK = re.compile(f"[^\x00-\x7f{_MARKS}]")


def ref_fold(text: str) -> str:
    text = text.lower()
    if "`" in text:
        text = text.replace("`", "'")
    if not text.isascii():
        for char, folded in _SPECIAL.items():
            if char in text:
                text = text.replace(char, folded)
        text = unicodedata.normalize("NFKD", text)
        if _NOT_ASCII_OR_MARK.search(text) is None:
            text = text.encode("ascii", "ignore").decode("ascii")
        else:
            text = _COMBINING.sub("", text)
            if max(text) > "\uffff":
                text = "".join(c for c in text if not unicodedata.combining(c))
    return _ELISION.sub("", text) if "'" in text else text


ref_stem = lru_cache(maxsize=None)(stem)  # unchanged: the stemmer itself has its own tests


def ref_tokens(text: str) -> list[str]:
    return list(map(ref_stem, _WORD.findall(ref_fold(text))))


def ref_token_set(text: str) -> set[str]:
    return set(map(ref_stem, set(_WORD.findall(ref_fold(text)))))


def ref_content_tokens(text: str) -> list[str]:
    return [ref_stem(w) for w in _WORD.findall(ref_fold(text)) if w not in STOPWORDS]


def ref_normalise_for_search(text: str) -> str:
    return " ".join(ref_tokens(text))


# ---- what random texts are made of ------------------------------------------------------------

PIECES = [
    " ", " ", "  ", "\n", "\t", "\u00a0", "\u202f", "\u2009", "\u3000", ".", ",", " : ", "!", "?", "-", "_",
    "«\u00a0", "\u00a0»", "“", "”", "—", "–", "…", "€", "%", "/", "(", ")", "&", "@", "#",
    "'", "’", "ʼ", "‘", "´", "`", "''", "l'", "L’", "d’", "qu'", "Qu’", "QU'", "jusqu’", "lorsqu'",
    "puisqu’", "quoiqu'", "aujourd’hui", "presqu'île", "s'", "c’", "m'", "n’", "t'", "j’", "_l'",
    "l", "d", "a", "à", "y", "I", "x", "qu", "jusqu",
    "Orange", "réseaux", "sociaux", "communauté", "communautés", "engagement", "Engagées",
    "journaux", "jeux", "créatif", "créatives", "professionnelles", "ancienne", "communities",
    "ÉTÉ", "Œuvre", "œuvres", "Cæsar", "straße", "STRASSE", "Søren", "Łódź", "Đorđe", "naïve",
    "Noël", "garçon", "São", "Ångström", "ÿ", "Ÿ", "İstanbul", "ΟΔΟΣ", "Σίσυφος", "Привет", "ёлка",
    "東京", "مرحبا", "שלום", "हिन्दी", "ﬁnance", "ﬂ", "Ĳssel", "ŉ", "Ŀ", "ǆ", "ǅ", "ȷ",
    "½", "¼", "¾", "µ", "²", "³", "¹", "ª", "º", "¨", "¯", "¸", "×", "÷", "¿", "¡", "§", "©", "®", "°",
    "™", "℠", "ℌ", "ℍ", "K", "Å", "ſ", "①", "⑩", "Ⅻ", "ｆｕｌｌ", "Ｗ", "２０２６",
    "e\u0301", "a\u0300\u0323", "\u0301", "\u0327", "\u034f", "\u0903", "x\U0001d167y", "\U0001d167",
    "\U0001f600", "\U0001d400", "\ufeff", "\u200b", "\x00", "\u0085",
    "2026", "3", "0", "42", "06 12 34 56 78", "5 %", "n°1", "e-réputation", "CM2", "a1", "1a",
    "the", "and", "of", "les", "des", "est", "Également", "être", "ça", "Ça",
]  # fmt: skip
TRICKY = [
    "",
    "'",
    "l'",
    "l'l'x",
    "qu'qu'il",
    "l''avis",
    "jusqu'à",
    "Jusqu’Ici",
    "presqu'île",
    "aujourd'hui",
    "xqu'il",
    "_qu'il",
    "жqu'il",
    "éqn'a",
    "qu'1",
    "qu'_x",
    "qu' il",
    "l’‘a",
    "l´avis",
    "l`avis",
    "ŉ'a",
    "½ l'ŉ",
    "ℌello ™ TM",
    "L’Été d’Œdipe",
    "«\u00a0Qu’il\u202fvienne\u00a0»",
    "x\U0001d167y ①",
    "ΣΑΣ Σ",
    "İİ",
    "a a a a",
    "1 2 3 a b c",
]


def _random_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        if rng.random() < 0.1:  # any character at all, some of them rare
            texts.append(
                "".join(chr(rng.randrange(0x110000 if rng.random() < 0.2 else 0x3000)) for _ in range(20))
            )
        else:
            texts.append("".join(rng.choices(PIECES, k=rng.randint(1, 30))))
    return texts


def _check(text: str) -> None:
    assert fold(text) == ref_fold(text), repr(text)
    assert tokens(text) == ref_tokens(text), repr(text)
    assert token_set(text) == ref_token_set(text), repr(text)
    assert content_tokens(text) == ref_content_tokens(text), repr(text)
    assert normalise_for_search(text) == ref_normalise_for_search(text), repr(text)


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_texts_normalise_as_before(text: str) -> None:
    _check(text)


def test_random_texts_normalise_as_before() -> None:
    for text in _random_texts(6000, seed=20261121):
        _check(text)


def test_every_character_below_the_astral_planes_folds_as_before() -> None:
    """Alone, between letters, after an elision and in a Latin-1 text (the byte-table path)."""
    for cp in range(0x10000):
        char = chr(cp)
        for text in (char, f"ab{char}cd", f"l'{char}x qu'{char}", f"é{char}à{char.upper()}"):
            assert fold(text) == ref_fold(text), hex(cp)
            assert tokens(text) == ref_tokens(text), hex(cp)


def test_word_caches_give_the_same_tokens_after_being_emptied(monkeypatch) -> None:
    monkeypatch.setattr(textnorm, "_CACHE_SIZE", 5)
    for text in _random_texts(300, seed=3):
        _check(text)
    assert len(textnorm._TOKENS) <= 5 and len(textnorm._CONTENT) <= 5
