"""Ranking a window's new entries for one list: stories, topic matches, score, sections.

Entries that tell the same story (same ``story_id`` set by duplicate grouping, else the same
canonical link) make one story with several sources. A story's score is

    (1 + topic) × source weight × (0.5 + freshness) × (1 + log2(sources))

- topic: each keyword found in the title counts 3, in the summary 1; each tag found in the text
  or equal to the source's folder counts 2 (French-aware matching: case, accents, elisions);
- source weight: the highest weight among the story's sources (list setting, 1 by default;
  0 leaves a source out);
- freshness: halves every 24 hours before the end of the window;
- sources: how many different feeds carry the story.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from curation.digest.models import SECTION_BY_TOPIC

FRESHNESS_HALF_LIFE_H = 24.0
TITLE_HIT, BODY_HIT, TAG_HIT = 3.0, 1.0, 2.0
OTHER_SECTION = "Autres actualités"
NO_FOLDER_SECTION = "Sources"

_ELISION = re.compile(r"\b(?:[ldjnsctm]|qu|jusqu|lorsqu|puisqu)['’](?=\w)")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Lower case, accents folded, elisions removed, words separated by one space, padded with
    spaces so that ``" mot "`` finds whole words and phrases only."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("œ", "oe").replace("æ", "ae"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return f" {_NON_WORD.sub(' ', _ELISION.sub('', text)).strip()} "


@dataclass(frozen=True)
class Candidate:
    """A new entry, as much as ranking needs (loaded in bulk)."""

    entry_id: int
    feed_id: int
    title: str
    summary: str  # plain text
    link: str
    image_url: str
    language: str
    published_at: datetime
    story_id: int | None = None


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


@dataclass(frozen=True)
class Topics:
    keywords: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def compiled(self) -> list[tuple[str, str, bool]]:
        """(label, normalised phrase, is_tag), empty phrases dropped."""
        out = [(k, normalise(k), False) for k in self.keywords] + [(t, normalise(t), True) for t in self.tags]
        return [(label, norm, tag) for label, norm, tag in out if norm.strip()]


def story_key(c: Candidate) -> str:
    if c.story_id is not None:
        return f"s{c.story_id}"
    return f"l{c.link}" if c.link else f"e{c.entry_id}"


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
            c.entry_id,
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
    phrases = topics.compiled()
    stories: list[Story] = []
    for entries in group_stories(candidates):
        weight = max(weights.get(c.feed_id, 1.0) for c in entries)
        if weight <= 0:
            continue
        lead = _lead(entries, weights)
        title = normalise(lead.title)
        body = normalise(" ".join(c.summary for c in entries))
        folders = {normalise(sources[c.feed_id].folder) for c in entries if c.feed_id in sources}
        topic, matched = 0.0, []
        for label, phrase, is_tag in phrases:
            if is_tag:
                hit = TAG_HIT if phrase in title or phrase in body or phrase in folders else 0.0
            else:
                hit = TITLE_HIT if phrase in title else BODY_HIT if phrase in body else 0.0
            if hit:
                topic += hit
                matched.append((hit, label))
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
    stories.sort(key=lambda s: (-s.score, -s.lead.published_at.timestamp(), s.lead.entry_id))
    return stories


def _section(story: Story, sources: dict[int, Source], section_by: str) -> str:
    if section_by == SECTION_BY_TOPIC:
        return story.topics[0] if story.topics else OTHER_SECTION
    source = sources.get(story.lead.feed_id)
    return (source.folder if source and source.folder else "") or NO_FOLDER_SECTION


def top_stories(stories: list[Story], limit: int) -> list[Story]:
    """The ``limit`` best stories, ordered by section (the section of the best story first)."""
    chosen = stories[:limit]
    order: dict[str, int] = {}
    for s in chosen:
        order.setdefault(s.section, len(order))
    return sorted(chosen, key=lambda s: order[s.section])  # stable: best first inside a section
