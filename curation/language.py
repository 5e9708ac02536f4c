"""Language of an entry when its feed does not declare one: ``detect_language(text)``.

Measured on short French and English titles (``benchmarks/language_bench.py``, figures in
docs/PERFORMANCE.md): lingua in low-accuracy mode, restricted to the languages that matter here,
is fast and small (about 25 MB) but reads French titles full of English loanwords ("Le boom des
newsletters") as English, and short English titles as German. Function words settle those cases:
when lingua answers French or English, or is unsure, a vote of French against English function
words (elisions and accents count for French) decides if it is clear.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder

LANGUAGES = ("fr", "en", "es", "de", "it", "pt")
MIN_LETTERS = 3
MAX_CHARS = 300  # a title and the start of its summary say enough
SURE = 0.6  # below this confidence for another language, French/English function words decide

FR_WORDS = frozenset(
    [
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "du",
        "de",
        "au",
        "aux",
        "et",
        "en",
        "sur",
        "pour",
        "par",
        "dans",
        "avec",
        "sans",
        "est",
        "sont",
        "son",
        "sa",
        "ses",
        "leur",
        "leurs",
        "qui",
        "que",
        "quand",
        "comment",
        "pourquoi",
        "ce",
        "cette",
        "ces",
        "nos",
        "vos",
        "notre",
        "votre",
        "il",
        "elle",
        "ils",
        "elles",
        "on",
        "nous",
        "vous",
        "pas",
        "plus",
        "ne",
        "faut",
        "être",
        "été",
        "fait",
        "très",
        "aussi",
        "mais",
        "ou",
        "où",
    ]
)
EN_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "and",
        "in",
        "on",
        "for",
        "with",
        "without",
        "is",
        "are",
        "its",
        "their",
        "your",
        "our",
        "how",
        "why",
        "what",
        "when",
        "who",
        "this",
        "that",
        "these",
        "those",
        "from",
        "by",
        "at",
        "it",
        "be",
        "been",
        "has",
        "have",
        "was",
        "were",
        "will",
        "can",
        "should",
        "not",
        "more",
        "new",
        "goes",
        "takes",
        "gets",
    ]
)
FR_ELISION = re.compile(r"\b(?:l|d|j|qu|n|s|c|m|t)[’']\w", re.IGNORECASE)
FR_ACCENTS = re.compile(r"[éèêàçùâîôûœ]", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    codes = [getattr(IsoCode639_1, code.upper()) for code in LANGUAGES]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()


def _fr_en_vote(text: str) -> int:
    """Positive for French, negative for English, 0 when function words do not tell."""
    words = [w.lower() for w in WORD.findall(text)]
    french = (
        sum(w in FR_WORDS for w in words)
        + len(FR_ELISION.findall(text))
        + min(2, len(FR_ACCENTS.findall(text)))
    )
    english = sum(w in EN_WORDS for w in words)
    return french - english


def _decide(text: str, ranked: list) -> str:
    if not ranked:
        return ""
    code = ranked[0].language.iso_code_639_1.name.lower()
    if code in ("fr", "en") or ranked[0].value < SURE:
        vote = _fr_en_vote(text)
        if vote > 0:
            return "fr"
        if vote < 0:
            return "en"
    return code


def _readable(text: str) -> bool:
    return len(_LETTERS.findall(text[:200])) >= MIN_LETTERS


def detect_languages(texts: list[str]) -> list[str]:
    """``detect_language`` for many texts at once (lingua works on them in parallel, off the GIL)."""
    cleaned = [(t or "").strip()[:MAX_CHARS] for t in texts]
    todo = [i for i, t in enumerate(cleaned) if _readable(t)]
    results = [""] * len(cleaned)
    if todo:
        ranked = _detector().compute_language_confidence_values_in_parallel([cleaned[i] for i in todo])
        for i, values in zip(todo, ranked, strict=True):
            results[i] = _decide(cleaned[i], values)
    return results


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text`` among ``LANGUAGES``, or "" when it cannot be told."""
    text = (text or "").strip()[:MAX_CHARS]
    if not _readable(text):
        return ""
    return _decide(text, _detector().compute_language_confidence_values(text))


def normalise_language(declared: str | None) -> str:
    """``fr-FR`` / ``FR`` / ``fr_CA`` → ``fr``; "" for anything that is not a language tag."""
    code = re.split(r"[-_]", (declared or "").strip().lower(), maxsplit=1)[0]
    return code if re.fullmatch(r"[a-z]{2,3}", code) else ""
