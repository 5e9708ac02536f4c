"""Ranking a window's new entries for one list: stories, topic matches, score, sections.

Entries that tell the same story (same ``story_id`` set by duplicate grouping, else the same
canonical link) make one story with several sources. A story's score is

    (1 + topic) × source weight × (0.5 + freshness) × (1 + log2(sources))

- topic: each keyword found in the title counts 3, in the summary 1; each tag found in the text
  or equal to the source's folder counts 2 (French-aware matching: case, accents, elisions, plural
  -s/-x);
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

_NON_WORD = re.compile(r"[^a-z0-9]+")
_TAG = re.compile(r"<[^>]*>")


def normalise(text: str) -> str:
    """Lower case, accents folded, words separated by one space and padded with spaces, so that
    ``" mot "`` finds whole words and phrases only (an elided « l’ » becomes a word of its own,
    « l’engagement » contains `` engagement ``). Markup, if any, is ignored."""
    if "<" in text:
        text = _TAG.sub(" ", text)
    text = text.casefold()
    if not text.isascii():  # NFKD splits accents off; the ASCII encoding drops them
        text = text.replace("’", " ").replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return f" {_NON_WORD.sub(' ', text).strip()} "


@dataclass(frozen=True)
class Candidate:
    """A new entry, as much as ranking needs (loaded in bulk)."""

    entry_id: int
    feed_id: int
    title: str
    summary: str  # as stored (sanitised HTML): made plain text only for the items kept
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

    def compiled(self) -> list[tuple[str, tuple[str, ...], bool]]:
        """(label, normalised forms — singular and plural —, is_tag); empty terms dropped."""
        out = []
        for label, is_tag in [(k, False) for k in self.keywords] + [(t, True) for t in self.tags]:
            norm = normalise(label)
            if not norm.strip():
                continue
            if norm.endswith(("s ", "x ")) and len(norm) > 5:
                forms = (norm, f"{norm[:-2]} ")
            else:
                forms = (norm, f"{norm[:-1]}s ", f"{norm[:-1]}x ")
            out.append((label, forms, is_tag))
        return out


def _found(forms: tuple[str, ...], text: str) -> bool:
    return any(form in text for form in forms)


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
    terms = topics.compiled()
    folder_of = {feed_id: normalise(source.folder) for feed_id, source in sources.items()}
    stories: list[Story] = []
    for entries in group_stories(candidates):
        weight = max(weights.get(c.feed_id, 1.0) for c in entries)
        if weight <= 0:
            continue
        lead = _lead(entries, weights)
        topic, matched = 0.0, []
        if terms:
            title = normalise(lead.title)
            body = normalise(" ".join(c.summary for c in entries))
            folders = {folder_of[c.feed_id] for c in entries if c.feed_id in folder_of}
            for label, forms, is_tag in terms:
                if is_tag:
                    hit = (
                        TAG_HIT if _found(forms, title) or _found(forms, body) or forms[0] in folders else 0.0
                    )
                else:
                    hit = TITLE_HIT if _found(forms, title) else BODY_HIT if _found(forms, body) else 0.0
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
