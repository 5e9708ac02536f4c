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
from itertools import pairwise

__all__ = [
    "STOPWORDS",
    "content_tokens",
    "fold",
    "normalise_for_search",
    "stem",
    "token_set",
    "tokens",
]


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
# How a person marks an exact phrase in a search or a rule: "…", « … » (French guillemets) or “…”.
PHRASE_QUOTES = {'"': '"', "«": "»", "“": "”"}


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


def _fold_decomposed(text: str) -> str:
    """Accents dropped the general way (NFKD, then every combining mark removed)."""
    text = unicodedata.normalize("NFKD", text)
    if _NOT_ASCII_OR_MARK.search(text) is None:  # accented Latin only: drop the marks at once
        return text.encode("ascii", "ignore").decode("ascii")
    text = _COMBINING.sub("", text)  # other letters and symbols stay as they are
    if max(text) > "\uffff":  # marks of rare scripts, beyond the first plane
        text = "".join(c for c in text if not unicodedata.combining(c))
    return text


def _latin1_folding() -> tuple[bytes, dict[str, str]]:
    """Latin-1 folded by one byte table, and what is best replaced before it.

    Folding is character by character (NFKD decomposes each character on its own, and the marks
    it reorders are all dropped), so any character may be replaced by its folded form first.
    Replaced first: Latin-1 letters whose folded form is not one Latin-1 character (« æ », « ½ »,
    « µ »), and the characters of French text outside Latin-1 that would otherwise take the slow
    path (typographic apostrophe, « œ », narrow no-break and thin spaces, ellipsis)."""
    table = bytearray(range(256))
    before = {char: _SPECIAL[char] for char in "’œ"}
    for char in map(chr, range(0x80, 0x100)):
        folded = _SPECIAL.get(char) or _fold_decomposed(char)
        if len(folded) == 1 and folded <= "\xff":
            table[ord(char)] = ord(folded)
        else:
            before[char] = folded
    for char in "\u202f\u2009\u2026":
        before[char] = _fold_decomposed(char)
    return bytes(table), before


_LATIN1, _BEFORE_LATIN1 = _latin1_folding()
_NOT_LATIN1 = re.compile("[^\x00-\xff]+")


def _fold_other(run: str) -> str:
    """Characters outside Latin-1 folded: special letters and apostrophes, then NFKD."""
    for char, folded in _SPECIAL.items():
        if char in run:
            run = run.replace(char, folded)
    return _fold_decomposed(run)


def _fold_letters(text: str) -> str:
    """``text`` (lower case, non-ASCII) with accents and ligatures folded, apostrophes unified.

    Latin-1 goes through a byte table; only the runs of other characters take NFKD."""
    for char, folded in _BEFORE_LATIN1.items():
        if char in text:
            text = text.replace(char, folded)
    try:
        return text.encode("latin-1").translate(_LATIN1).decode("latin-1")
    except UnicodeEncodeError:
        pass
    latin = text.encode("latin-1", "replace").translate(_LATIN1).decode("latin-1")  # same length
    out, last = [], 0
    for run in _NOT_LATIN1.finditer(text):
        start, end = run.span()
        out += (latin[last:start], _fold_other(run.group()))
        last = end
    out.append(latin[last:])
    return "".join(out)


_ELIDED = ("l", "d", "j", "n", "s", "c", "t", "m", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu")
_ELIDED_BY_LAST = {last: tuple(w for w in _ELIDED if w[-1] == last) for last in {w[-1] for w in _ELIDED}}


def _is_word(char: str) -> bool:
    """What ``\\w`` matches in a regular expression."""
    return char.isalnum() or char == "_"


def _elide(text: str) -> str:
    """Elided words removed before a word: « l'avis » → « avis », « jusqu'ici » → « ici ».

    An elided word starts a word and ends at the apostrophe. Done around each apostrophe rather
    than by a regular expression, which had to try every position of the text."""
    pieces = text.split("'")
    out = []
    for piece, after in pairwise(pieces):
        cut = 0
        if after and _is_word(after[0]):
            for word in _ELIDED_BY_LAST.get(piece[-1:], ()):
                start = len(piece) - len(word)
                if piece.endswith(word) and (start == 0 or not _is_word(piece[start - 1])):
                    cut = len(word)
                    break
        if cut:
            out.append(piece[:-cut])
        else:
            out += (piece, "'")
    out.append(pieces[-1])
    return "".join(out)


def fold(text: str) -> str:
    """Lower case, accents and ligatures folded, apostrophes unified, elisions removed.

    Only C loops on the common path (``str`` methods, a byte table for Latin-1, NFKD otherwise):
    the digest folds the text of thousands of entries at each run, and search indexing folds
    every stored entry."""
    text = text.lower()
    if "`" in text:
        text = text.replace("`", "'")
    if not text.isascii():
        text = _fold_letters(text)
    return _elide(text) if "'" in text else text


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


# Folded text → words: every byte but [a-z0-9] becomes a space, then ``bytes.split``. ASCII text
# is not folded first (lower case comes from the table); in folded text, an upper-case letter can
# only come from a compatibility form (« ™ » → « TM ») and separates words, as it always did.
_ASCII_WORDS = bytes(
    b + 32 if 65 <= b <= 90 else b if 97 <= b <= 122 or 48 <= b <= 57 else 32 for b in range(256)
)
_FOLDED_WORDS = bytes(b if 97 <= b <= 122 or 48 <= b <= 57 else 32 for b in range(256))
_CACHE_SIZE = 100_000  # distinct words per cache; emptied when full


def _words(text: str) -> list[bytes]:
    """The [a-z0-9] runs of the folded text, single letters included (the caches drop them)."""
    if text.isascii():
        if "'" in text or "`" in text:  # only « qu' » and longer elisions leave a word behind
            text = text.lower().replace("`", "'")
            if "qu'" in text:
                text = _elide(text)
        return text.encode("ascii").translate(_ASCII_WORDS).split()
    text = _fold_letters(text.lower().replace("`", "'"))
    if "qu'" in text:
        text = _elide(text)
    return text.encode("ascii", "replace").translate(_FOLDED_WORDS).split()


class _WordCache(dict):
    """Word (bytes) → its token, or ``None`` for what is dropped; computed on first sight.

    A plain dict: looking words up is ``map(cache.__getitem__, words)``, a C loop, where an
    ``lru_cache`` wrapper per word cost as much as finding the words."""

    def __init__(self, keep_stopwords: bool) -> None:
        super().__init__()
        self.keep_stopwords = keep_stopwords

    def __missing__(self, word: bytes) -> str | None:
        if len(self) >= _CACHE_SIZE:
            self.clear()
        text = word.decode("ascii")
        single_letter = len(text) == 1 and not text.isdigit()  # single digits are words
        dropped = single_letter or (not self.keep_stopwords and text in STOPWORDS)
        token = None if dropped else stem(text)
        self[word] = token
        return token


_TOKENS = _WordCache(keep_stopwords=True)
_CONTENT = _WordCache(keep_stopwords=False)


def tokens(text: str) -> list[str]:
    """The normalised words of ``text``, in order (single letters dropped, digits kept)."""
    return list(filter(None, map(_TOKENS.__getitem__, _words(text))))


def token_set(text: str) -> set[str]:
    """The distinct normalised words of ``text`` (as ``tokens``): what matching many keywords
    against many texts needs."""
    found = set(map(_TOKENS.__getitem__, _words(text)))
    found.discard(None)
    return found


def content_tokens(text: str) -> list[str]:
    """``tokens`` without function words: what tells one story from another."""
    return list(filter(None, map(_CONTENT.__getitem__, _words(text))))


def normalise_for_search(text: str) -> str:
    """The text as the search index stores it, and as queries are matched against it."""
    return " ".join(filter(None, map(_TOKENS.__getitem__, _words(text))))
