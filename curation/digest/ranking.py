"""Ranking a window's new entries for one list: stories, topic matches, score, sections.

Entries that tell the same story (same ``story_id`` set by duplicate grouping, else the same
canonical link) make one story with several sources. A story's score is

    (1 + topic) × source weight × (0.5 + freshness) × (1 + log2(sources))

- topic: each keyword found in the title counts 3, in the summary 1; each tag found in the text
  or equal to the source's folder counts 2 (words compared as ``curation.textnorm`` normalises
  them: case, accents, elisions, plurals and inflections; a phrase matches its words in order);
- source weight: the highest weight among the story's sources (list setting, 1 by default;
  0 leaves a source out);
- freshness: halves every 24 hours before the end of the window;
- sources: how many different feeds carry the story.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from curation.digest.models import SECTION_BY_BOARD, SECTION_BY_TOPIC
from curation.textnorm import token_set, tokens

FRESHNESS_HALF_LIFE_H = 24.0
TITLE_HIT, BODY_HIT, TAG_HIT = 3.0, 1.0, 2.0
BODY_CHARS = 2_000  # of the summaries, for topic matching: a whole article adds noise and time
OTHER_SECTION = "Autres actualités"
NO_FOLDER_SECTION = "Sources"

_TAG = re.compile(r"<[^>]*>")


class Words:
    """A text's normalised words: a set for single words, the sequence (built only when a phrase's
    words are all there) for phrases. Markup, if any, is ignored."""

    __slots__ = ("_phrase", "_text", "set")

    def __init__(self, text: str) -> None:
        self._text = _TAG.sub(" ", text) if "<" in text else text
        self.set = token_set(self._text)
        self._phrase: str | None = None

    def has(self, words: tuple[str, ...]) -> bool:
        if len(words) == 1:
            return words[0] in self.set
        if not self.set.issuperset(words):
            return False
        if self._phrase is None:
            self._phrase = f" {' '.join(tokens(self._text))} "
        return f" {' '.join(words)} " in self._phrase


@dataclass(slots=True)
class Candidate:
    """A new entry or a new pin of a chosen board, as much as ranking needs (loaded in bulk; not
    frozen, as ten thousand are built per digest and a frozen dataclass builds much slower)."""

    entry_id: int | None  # None: a pin of a pasted URL, with no entry behind it
    feed_id: int  # 0 for such a pin
    title: str
    summary: str  # the beginning of the stored summary (sanitised HTML), for topic matching
    link: str
    image_url: str
    language: str
    published_at: datetime
    story_id: int | None = None
    # Pins only: the pin, its note, its board section (else the board's title), and whether it is
    # « le choix du formateur » (pinned on a trainer's board).
    pin_id: int | None = None
    note: str = ""
    board_section: str = ""
    pick: bool = False
    site_name: str = ""


@dataclass(frozen=True)
class Source:
    feed_id: int
    name: str
    folder: str


@dataclass
class Story:
    """Entries telling one story, the one to show first, the score and why."""

    key: str
    entries: list[Candidate]
    lead: Candidate
    score: float = 0.0
    topics: list[str] = field(default_factory=list)
    section: str = ""

    @property
    def feed_ids(self) -> list[int]:
        return list(dict.fromkeys(c.feed_id for c in self.entries))

    @property
    def pins(self) -> list[Candidate]:
        return [c for c in self.entries if c.pin_id is not None]

    @property
    def pick(self) -> bool:
        return any(c.pick for c in self.entries)

    @property
    def note(self) -> str:
        """The note of the story's pins (the trainer's first)."""
        return next((c.note for c in sorted(self.pins, key=lambda c: not c.pick) if c.note), "")


@dataclass(frozen=True)
class Term:
    label: str  # as the person typed it
    words: tuple[str, ...]  # normalised
    is_tag: bool


@dataclass(frozen=True)
class Topics:
    keywords: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def compiled(self) -> list[Term]:
        """The keywords then the tags, normalised; terms with no word left are dropped."""
        out = []
        for label, is_tag in [(k, False) for k in self.keywords] + [(t, True) for t in self.tags]:
            words = tuple(tokens(label))
            if words:
                out.append(Term(label, words, is_tag))
        return out


class TermIndex:
    """The list's terms by their first word, so that a text is checked only against the few terms
    whose first word it holds (one set intersection instead of a loop over every term)."""

    def __init__(self, terms: list[Term], sources: dict[int, Source]) -> None:
        self.terms = terms
        self.single: dict[str, list[int]] = {}  # word → terms of that one word
        self.phrases: dict[str, list[int]] = {}  # first word → phrases starting with it
        for i, term in enumerate(terms):
            index = self.single if len(term.words) == 1 else self.phrases
            index.setdefault(term.words[0], []).append(i)
        self.firsts = set(self.single) | set(self.phrases)
        self.folder_tags: dict[int, set[int]] = {}  # feed id → tags equal to its folder
        for feed_id, source in sources.items():
            folder = tuple(tokens(source.folder))
            self.folder_tags[feed_id] = {i for i, t in enumerate(terms) if t.is_tag and t.words == folder}

    def found(self, words: Words) -> set[int]:
        out: set[int] = set()
        for first in words.set.intersection(self.firsts):
            out.update(self.single.get(first, ()))
            out.update(i for i in self.phrases.get(first, ()) if words.has(self.terms[i].words))
        return out


def story_key(c: Candidate) -> str:
    """Same story: same story id, else same canonical link (an entry and its pin meet here)."""
    if c.story_id is not None:
        return f"s{c.story_id}"
    if c.link:
        return f"l{c.link}"
    return f"e{c.entry_id}" if c.entry_id is not None else f"p{c.pin_id}"


def group_stories(candidates: Iterable[Candidate]) -> list[list[Candidate]]:
    groups: dict[str, list[Candidate]] = {}
    for c in candidates:
        groups.setdefault(story_key(c), []).append(c)
    return list(groups.values())


def _lead(entries: list[Candidate], weights: dict[int, float]) -> Candidate:
    """The entry to show: the best-weighted source, French first (no translation), with a picture."""
    return min(
        entries,
        key=lambda c: (
            -weights.get(c.feed_id, 1.0),
            not c.language.startswith("fr"),
            not c.image_url,
            c.published_at,
            c.entry_id or 0,
            c.pin_id or 0,
        ),
    )


def rank_stories(
    candidates: Iterable[Candidate],
    *,
    sources: dict[int, Source],
    topics: Topics,
    weights: dict[int, float],
    now: datetime,
    section_by: str,
) -> list[Story]:
    """Every story, best first (ties: the most recent first), each with its section."""
    terms = topics.compiled()
    index = TermIndex(terms, sources)
    stories: list[Story] = []
    for entries in group_stories(candidates):
        weight = max(weights.get(c.feed_id, 1.0) for c in entries)
        if weight <= 0:
            continue
        lead = _lead(entries, weights)
        topic, matched = 0.0, []
        if terms:
            in_title = index.found(Words(lead.title))
            found = in_title | index.found(Words(" ".join(c.summary for c in entries)[:BODY_CHARS]))
            for c in entries:
                found |= index.folder_tags.get(c.feed_id, set())
            for i in sorted(found):
                term = terms[i]
                hit = TAG_HIT if term.is_tag else TITLE_HIT if i in in_title else BODY_HIT
                topic += hit
                matched.append((hit, term.label))
        newest = max(c.published_at for c in entries)
        age_h = max(0.0, (now - newest).total_seconds() / 3600)
        freshness = 0.5 ** (age_h / FRESHNESS_HALF_LIFE_H)
        coverage = len({c.feed_id for c in entries})
        score = (1 + topic) * weight * (0.5 + freshness) * (1 + math.log2(coverage))
        story = Story(
            key=story_key(lead),
            entries=entries,
            lead=lead,
            score=round(score, 6),
            topics=[label for _, label in sorted(matched, key=lambda m: -m[0])],
        )
        story.section = _section(story, sources, section_by)
        stories.append(story)
    stories.sort(key=lambda s: (s.score, s.lead.published_at, -(s.lead.entry_id or 0)), reverse=True)
    return stories


def _section(story: Story, sources: dict[int, Source], section_by: str) -> str:
    if section_by == SECTION_BY_TOPIC:
        return story.topics[0] if story.topics else OTHER_SECTION
    if section_by == SECTION_BY_BOARD:
        pinned = next((c.board_section for c in story.pins if c.board_section), "")
        if pinned:
            return pinned
    source = sources.get(story.lead.feed_id)
    return (source.folder if source and source.folder else "") or NO_FOLDER_SECTION


def top_stories(stories: list[Story], limit: int) -> list[Story]:
    """The ``limit`` best stories, the trainer's picks always among them, ordered by section (the
    section of the best story first)."""
    picks = [s for s in stories if s.pick][:limit]
    chosen = picks + [s for s in stories if not s.pick][: limit - len(picks)]
    order: dict[str, int] = {}
    for s in chosen:
        order.setdefault(s.section, len(order))
    return sorted(chosen, key=lambda s: order[s.section])  # stable: best first inside a section
