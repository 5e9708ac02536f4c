"""A tone hint for a mention: positive, negative or neutral, from a French and English lexicon.

Deliberately simple and explainable (the app calls it « estimation automatique »): sentiment
words and phrases from ``curation/content/tone_lexicon.yaml`` count +1 or -1, a negator up to
three words before in the same clause flips the sign (« pas bon », « not good »), phrases win over the words inside
them (« pas mal »). Matching is the search engine's normalisation, so accents and plurals do not
matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, field_validator

from curation.textnorm import tokens
from workbench.once import cache_once

LEXICON_PATH = Path(__file__).resolve().parent.parent / "content" / "tone_lexicon.yaml"
NEGATION_WINDOW = 3
_CLAUSE = re.compile(r"[.,;:!?…\n()«»\"]+")
TONE_LABELS = {"positive": "positif", "negative": "négatif", "neutral": "neutre"}
ESTIMATE_NOTE = "estimation automatique"


class LanguageLexicon(BaseModel):
    negators: list[str] = Field(min_length=1)
    positive: list[str] = Field(min_length=1)
    negative: list[str] = Field(min_length=1)

    @field_validator("negators", "positive", "negative")
    @classmethod
    def _non_empty(cls, values: list[str]) -> list[str]:
        for value in values:
            if not tokens(value):
                raise ValueError(f"entrée vide ou illisible\u00a0: {value!r}")
        return values


class LexiconFile(BaseModel):
    version: int
    languages: dict[str, LanguageLexicon]


@dataclass(frozen=True)
class Lexicon:
    """Normalised: token sequences → polarity, and the set of negator tokens."""

    phrases: dict[tuple[str, ...], int]
    longest: int
    negators: frozenset[str]


@cache_once
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    """The lexicon of every language together (a mention may mix French and English)."""
    data = LexiconFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    phrases: dict[tuple[str, ...], int] = {}
    negators: set[str] = set()
    for lexicon in data.languages.values():
        for word in lexicon.negators:
            negators.update(tokens(word))
        for polarity, words in ((1, lexicon.positive), (-1, lexicon.negative)):
            for word in words:
                phrases[tuple(tokens(word))] = polarity
    return Lexicon(phrases, max(len(p) for p in phrases), frozenset(negators))


@dataclass(frozen=True)
class Tone:
    label: str  # positive, negative, neutral
    score: int
    cues: tuple[str, ...]  # the normalised cues found, for explaining the hint


def estimate_tone(text: str, lexicon: Lexicon | None = None) -> Tone:
    lexicon = lexicon or load_lexicon()
    score = 0
    cues: list[str] = []
    for clause in _CLAUSE.split(text):
        score += _score_clause(tokens(clause), lexicon, cues)
    label = "positive" if score > 0 else "negative" if score < 0 else "neutral"
    return Tone(label, score, tuple(cues))


def _score_clause(words: list[str], lexicon: Lexicon, cues: list[str]) -> int:
    """A negator reaches only within its clause (« not good: another outage »)."""
    score = 0
    i = 0
    while i < len(words):
        for size in range(min(lexicon.longest, len(words) - i), 0, -1):
            polarity = lexicon.phrases.get(tuple(words[i : i + size]))
            if polarity is None:
                continue
            window = words[max(0, i - NEGATION_WINDOW) : i]
            negated = size == 1 and any(w in lexicon.negators for w in window)
            value = -polarity if negated else polarity
            score += value
            cues.append(("non " if negated else "") + " ".join(words[i : i + size]))
            i += size
            break
        else:
            i += 1
    return score
