"""French-aware text normalisation shared by search indexing, search queries and story grouping.

One pipeline for every use so that a word typed in a query meets the same word in an article:
lower case, accents and ligatures folded, elisions removed (« l’engagement » → « engagement »),
then a light plural/inflection stemmer (« communautés » and « communauté » → « communaut »).
It is deliberately light: it conflates inflections of one word, not derived words, so a search
stays precise. English plurals (« communities » / « community ») meet the same way.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "STOPWORDS",
    "content_tokens",
    "fold",
    "normalise_for_search",
    "stem",
    "token_set",
    "tokens",
]

_ELISION = re.compile(r"\b(?:[ldjnsctm]|qu|jusqu|lorsqu|puisqu|quoiqu)'(?=\w)")
_WORD = re.compile(r"[a-z0-9]{2,}|[0-9]")  # single letters are not words; single digits are

# Function words of both languages: kept in the search index (phrases stay exact) but left out of
# story fingerprints, where they only add noise.
_STOPWORDS_TEXT = """
    a au aux avec ce ces cet cette dans de des du elle en et eux il ils je la le les leur leurs lui
    ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta
    te tes toi ton tu un une vos votre vous est sont ete etre avoir ont plus comme tout tous toute
    toutes cela ca si y
    an and are as at be been but by for from had has have he her his i if in into is it its of on
    or our she so than that the their them then there these they this those to was we were which
    who will with would you your not no can also after over about more new
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


# Letters NFKD does not take apart, and every apostrophe: folded before decomposition.
_SPECIAL = {
    **{"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"},
    **dict.fromkeys("’ʼ‘´", "'"),
}


def _combining_marks() -> list[int]:
    """The combining diacritics block and every other combining mark of the first plane."""
    return [cp for cp in range(0x300, 0x10000) if cp < 0x370 or unicodedata.combining(chr(cp))]


_MARKS = "".join(map(chr, _combining_marks()))
_COMBINING = re.compile(f"[{_MARKS}]+")
_NOT_ASCII_OR_MARK = re.compile(f"[^\x00-\x7f{_MARKS}]")


def fold(text: str) -> str:
    """Lower case, accents and ligatures folded, apostrophes unified, elisions removed.

    Only C loops (``str`` methods, NFKD, regular expressions): the digest folds the text of
    thousands of entries at each run, and a per-character pass in Python was its main cost."""
    text = text.lower()
    if "`" in text:
        text = text.replace("`", "'")
    if not text.isascii():
        for char, folded in _SPECIAL.items():
            if char in text:
                text = text.replace(char, folded)
        text = unicodedata.normalize("NFKD", text)
        if _NOT_ASCII_OR_MARK.search(text) is None:  # accented Latin only: drop the marks at once
            text = text.encode("ascii", "ignore").decode("ascii")
        else:  # other letters and symbols stay as they are
            text = _COMBINING.sub("", text)
            if max(text) > "\uffff":  # marks of rare scripts, beyond the first plane
                text = "".join(c for c in text if not unicodedata.combining(c))
    return _ELISION.sub("", text) if "'" in text else text


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Light stemmer for folded French and English words: plurals, feminine and -y endings."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("eaux"):
        word = word[:-1]  # réseaux → reseau
    elif word.endswith("aux") and len(word) > 4:
        word = word[:-3] + "al"  # journaux → journal
    elif word.endswith(("eux", "oux")) and len(word) > 4:
        word = word[:-1]  # jeux → jeu
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if word.endswith("ee"):
        word = word[:-1]  # engagée → engage
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]  # communaute → communaut, creative → creativ
    if word.endswith("y") and len(word) > 3:
        word = word[:-1] + "i"  # community → communiti (communities → communitie → communiti)
    if word.endswith("if") and len(word) > 4:
        word = word[:-1] + "v"  # creatif → creativ
    if len(word) > 4 and word[-1] in "lnt" and word[-2] == word[-1]:
        word = word[:-1]  # professionnell → professionnel, ancienn → ancien
    return word


def tokens(text: str) -> list[str]:
    """The normalised words of ``text``, in order (single letters dropped, digits kept)."""
    return list(map(stem, _WORD.findall(fold(text))))


def token_set(text: str) -> set[str]:
    """The distinct normalised words of ``text`` (as ``tokens``), each word stemmed once: what
    matching many keywords against many texts needs."""
    return set(map(stem, set(_WORD.findall(fold(text)))))


def content_tokens(text: str) -> list[str]:
    """``tokens`` without function words: what tells one story from another."""
    return [stem(w) for w in _WORD.findall(fold(text)) if w not in STOPWORDS]


def normalise_for_search(text: str) -> str:
    """The text as the search index stores it, and as queries are matched against it."""
    return " ".join(tokens(text))
