"""The text half of a story fingerprint: what an entry's title and text say, before any grouping.

Pure text work (no database, no numpy): the refresh's parsing process (``curation.parse_worker``)
computes it beside parsing, on its own core, and the refresh stores it with the entry; grouping
(``curation.stories``) then only reads it and matches. See ``curation.stories`` for what each part
is for.
"""

from __future__ import annotations

import itertools
import re
import zlib
from array import array
from dataclasses import dataclass

from curation.sanitize import to_text
from curation.textnorm import STOPWORDS, content_tokens, fold

LEAD_TOKENS = 60
TAIL_TOKENS = 25
# A figure (« 1 000 », « 6,88 », « 2026 ») or a capitalised word: the facts two tellings share.
_NAME = re.compile(r"[^\W\d_][\w’'\-]*")
_FACT = re.compile(r"\d+(?:[ \u00a0\u202f.,]\d+)*|" + _NAME.pattern)
_SENTENCE_END = frozenset(".!?…:;–—-|")
# Months as facts, one way in both languages (« 14 décembre » and « December 14 » meet). French
# months are written in lower case; English ones are capitalised words.
_MONTHS = {
    name: f"@{number}"
    for names in (
        "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre",
        "january february march april may june july august september october november december",
    )
    for number, name in enumerate(names.split(), start=1)
}
_FRENCH_MONTH = re.compile(
    r"\b(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)\b"
)
OPENS = 1  # low bit of a fact's hash: a capitalised word that opens a sentence
_THOUSANDS = re.compile(r"[ \u00a0\u202f.,](?=\d{3}(?!\d))")
_PREFIX = re.compile(r"^\s*(?:[\w’'.\- ]{0,30}?\b[A-ZÀ-Ý]{3,}[A-ZÀ-Ý’' .\-]*\s*[:：.]\s+|\[[^\]]{1,30}\]\s*)")
# Labels outlets put before a title, in any case (« Breaking: », « Décryptage : »): a capitalised
# word before a colon may also be the story's subject (« Doctolib : une fuite… »), so only these.
_LABEL = re.compile(
    r"^\s*(?:breaking|analysis|exclusive|update|watch|report|opinion|live|video|"
    r"exclusif|info|vid[ée]o|d[ée]cryptage|analyse|direct|alerte|urgent|enqu[êe]te|tribune)"
    r"\s*[:：.]\s+",
    re.IGNORECASE,
)
_SUFFIX = re.compile(r"\s+[|–—\-:]\s+[^|–—\-]{1,40}$")


def clean_title(title: str) -> str:
    """A title without the outlet's decorations: « EXCLUSIF : », « Breaking: », « [VIDÉO] », « | Le Média »."""
    title = title.strip()
    for _ in range(2):
        stripped = _SUFFIX.sub("", title)
        if len(stripped.split()) >= 3:
            title = stripped
    stripped = _PREFIX.sub("", _LABEL.sub("", title, count=1), count=1)
    return stripped if len(stripped.split()) >= 3 else title


@dataclass(frozen=True)
class StoryText:
    """Title words and hashed pairs and facts of one entry (sorted uint32 arrays without repeats)."""

    title_words: str  # the cleaned title's content tokens, space-separated
    shingles: array  # word pairs of the lead: the title, then the first ``LEAD_TOKENS`` words of the text
    tail: array  # word pairs of the text's end: the outlet's boilerplate
    facts: array  # figures, months and names of title and text


def entry_text(summary: str | None, content: str | None, extracted: str | None = None) -> str:
    """The plain text a fingerprint reads: the article's, else the summary's, else the content's."""
    return extracted or to_text(summary) or to_text(content)


def story_text(title: str, text: str, source: str = "") -> StoryText:
    """The text half of an entry's fingerprint (``text``: see ``entry_text``; ``source``: the name of
    its feed, whose words in a dateline or a credit are no fact of the story)."""
    words = content_tokens(text)
    cleaned = clean_title(title)
    title_words = content_tokens(cleaned)
    # The title opens the lead: a title-only item then meets the text of another outlet's.
    lead = title_words + words[:LEAD_TOKENS]
    tail = words[-TAIL_TOKENS:] if len(words) > LEAD_TOKENS else []
    return StoryText(" ".join(title_words), _pairs(lead), _pairs(tail), _facts(f"{cleaned}. {text}", source))


def title_tokens(title: str) -> str:
    """A title's content tokens without the outlet's decorations, space-separated (``StoryText.title_words``)."""
    return " ".join(content_tokens(clean_title(title)))


def lost_in_translation(title: str, translated: str) -> array:
    """The hashed names of ``title`` (with or without ``OPENS``) that its translation ``translated``
    does not write (« Lithuanian » becomes « lituanien »): no telling in that language shows them."""
    written = set(fold(translated).replace("’", " ").replace("'", " ").split())
    lost = set()
    for word in _NAME.findall(clean_title(title)):
        folded = fold(word)
        if word[0].isupper() and folded not in written and folded not in _MONTHS and folded not in STOPWORDS:
            lost.add(zlib.crc32(folded.encode()) & ~OPENS)
    return array("I", sorted(lost | {h | OPENS for h in lost}))


def title_pairs(words: str) -> array:
    """The hashed word pairs of space-separated title tokens (``title_tokens``)."""
    return _pairs(words.split())


def _facts(text: str, source: str = "") -> array:
    """The hashed facts of ``text``: its figures (« 1 000 » and « 1,000 » alike, « 6,88 » and « 6.88 »),
    its months, and its capitalised words that do not open a sentence (names of people, places,
    products). Two tellings of one story keep them; a same-topic story on the same template has
    others. A capitalised word that opens a sentence may be a name or not: it is kept with the
    low bit of its hash set (``OPENS``), to tell that a name is there, never as a fact required."""
    found, opening = set(), set()
    for match in _FACT.finditer(text):
        word = match.group()
        if word[0].isdigit():
            found.add("#" + _THOUSANDS.sub("", word).replace(",", ".").rstrip(".").replace(" ", ""))
        elif word[0].isupper():
            before = text[max(0, match.start() - 4) : match.start()].rstrip(" \u00a0\u202f«»“”\"'(")
            folded = fold(word)
            if folded not in STOPWORDS:
                (found if before and before[-1] not in _SENTENCE_END else opening).add(
                    _MONTHS.get(folded, folded)
                )
    found.update(_MONTHS[month] for month in _FRENCH_MONTH.findall(fold(text)))
    found.difference_update(fold(source).split())
    facts = {zlib.crc32(f.encode()) & ~OPENS for f in found}
    facts.update(h for f in opening - found if (h := zlib.crc32(f.encode()) | OPENS) & ~OPENS not in facts)
    return array("I", sorted(facts))


def _pairs(words: list[str]) -> array:
    """The hashed word pairs of ``words``, sorted, without repeats."""
    return array(
        "I", sorted(set(map(zlib.crc32, [f"{a} {b}".encode() for a, b in itertools.pairwise(words)])))
    )
