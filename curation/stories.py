"""Duplicate stories: the same story carried by several outlets becomes one group listing them all.

Each entry gets a fingerprint: the content words of its title (outlet decorations such as
« EXCLUSIF : » or « | Le Média » removed) and the hashed word pairs (2-shingles) of its lead, the
first ``LEAD_TOKENS`` content words of its text. Outlets reword 5–20 % of the words, add their own
boilerplate or publish only the lead, but keep most of the lead's word pairs; two different stories
on one topic share words but few pairs, except stock phrases.

A new entry is compared with the entries of the surrounding ``WINDOW`` that share at least two
pairs (an inverted index over the window). Pairs are weighted by rarity in the window (IDF), so
stock phrases and an outlet's repeated boilerplate count for little; the match is the weighted
containment of the smaller lead in the other, confirmed by the titles when the texts alone are not
conclusive. The entry joins the story of its best match, never a chain of weak matches; with no
match it starts its own story. ``Entry.story_id`` is the id of the story's first entry; entries are
never dropped.
"""

from __future__ import annotations

import itertools
import math
import re
import threading
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from rapidfuzz import fuzz
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from curation.models import Entry, Feed
from curation.sanitize import to_text
from curation.story_models import StoryFingerprint
from curation.textnorm import content_tokens
from curation.visibility import EntryFilters, entry_date, filter_entries
from workbench.access import Actor
from workbench.db import utcnow

__all__ = [
    "Fingerprint",
    "Story",
    "StoryIndex",
    "StorySource",
    "clean_title",
    "fingerprint",
    "group_new_entries",
    "list_stories",
    "regroup_all",
]

LEAD_TOKENS = 60
TAIL_TOKENS = 25
BOILERPLATE_SEEN = 2  # a pair in this many other entries of the same outlet is its boilerplate
WINDOW = timedelta(days=3)
MAX_POSTINGS = 50  # a pair found in more entries than this is a stock phrase: not a candidate key
MIN_SHARED = 2
MIN_SHARED_FRACTION = 0.15  # of the smaller lead's pairs, unweighted: a cheap first filter
STRONG = 0.42  # weighted lead containment that is enough on its own
WEAK = 0.26  # ... that is enough when the titles agree
TITLE_AGREE = 0.6
SHORT_LEAD = 8  # fewer pairs than this: the title must carry the decision

_PREFIX = re.compile(r"^\s*(?:[\w’'.\- ]{0,30}?\b[A-ZÀ-Ý]{3,}[A-ZÀ-Ý’' .\-]*\s*[:：.]\s+|\[[^\]]{1,30}\]\s*)")
_SUFFIX = re.compile(r"\s+[|–—\-:]\s+[^|–—\-]{1,40}$")


def clean_title(title: str) -> str:
    """A title without the outlet's decorations: « EXCLUSIF : », « [VIDÉO] », « | Le Média »."""
    title = title.strip()
    for _ in range(2):
        stripped = _SUFFIX.sub("", title)
        if len(stripped.split()) >= 3:
            title = stripped
    stripped = _PREFIX.sub("", title, count=1)
    return stripped if len(stripped.split()) >= 3 else title


def _hash(pair: str) -> int:
    return zlib.crc32(pair.encode())


@dataclass
class Fingerprint:
    """What grouping compares: title words and hashed lead pairs."""

    entry_id: int
    feed_id: int
    at: datetime
    title_tokens: tuple[str, ...]
    # A set for a new entry; a sorted array (a fifth of the memory) once kept in a StoryIndex.
    shingles: frozenset[int] | array
    tail: frozenset[int] | array = frozenset()  # pairs of the text's end: to learn the outlet's boilerplate

    @classmethod
    def from_row(cls, row: StoryFingerprint) -> Fingerprint:
        return cls(
            row.entry_id,
            row.feed_id,
            row.at,
            tuple(row.title_tokens.split()),
            array("I", row.shingles),
            array("I", row.tail),
        )

    def to_row(self) -> dict[str, object]:
        """The ``story_fingerprints`` row (column values) of this fingerprint."""
        return {
            "entry_id": self.entry_id,
            "feed_id": self.feed_id,
            "at": self.at,
            "title_tokens": " ".join(self.title_tokens),
            "shingles": array("I", sorted(self.shingles)).tobytes(),
            "tail": array("I", sorted(self.tail)).tobytes(),
        }


def fingerprint(entry_id: int, feed_id: int, at: datetime, title: str, text: str) -> Fingerprint:
    """The fingerprint of one entry (``text``: plain text of its summary or article)."""
    words = content_tokens(text)
    lead = words[:LEAD_TOKENS]
    if len(lead) < 4:  # a title-only item: its title is its lead
        lead = content_tokens(title) + lead
    tail = words[-TAIL_TOKENS:] if len(words) > LEAD_TOKENS else []
    return Fingerprint(
        entry_id, feed_id, at, tuple(content_tokens(clean_title(title))), _pairs(lead), _pairs(tail)
    )


def _pairs(words: list[str]) -> frozenset[int]:
    return frozenset(_hash(f"{a} {b}") for a, b in itertools.pairwise(words))


@dataclass
class _Member:
    fp: Fingerprint
    story_id: int


@dataclass
class StoryIndex:
    """The entries of a time window, indexed by lead pair, to which new entries are matched."""

    window: timedelta = WINDOW
    members: dict[int, _Member] = field(default_factory=dict)
    # pair → entry ids (a dict: ordered like a list, but an entry leaves in O(1) when the window moves)
    postings: dict[int, dict[int, None]] = field(default_factory=lambda: defaultdict(dict))
    feed_df: dict[int, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    _weights: dict[int, dict[int, float]] = field(default_factory=dict)  # members', until the next eviction

    def add(self, fp: Fingerprint, story_id: int) -> None:
        if not isinstance(fp.shingles, array):
            fp = replace(fp, shingles=array("I", sorted(fp.shingles)), tail=array("I", sorted(fp.tail)))
        self.members[fp.entry_id] = _Member(fp, story_id)
        for s in fp.shingles:
            self.postings[s][fp.entry_id] = None
        self.feed_df[fp.feed_id].update(set(fp.shingles).union(fp.tail))

    def evict_before(self, when: datetime) -> None:
        """Forget entries older than ``when`` (streaming use: the window slides forward)."""
        self.remove([m.fp.entry_id for m in self.members.values() if m.fp.at < when])

    def remove(self, entry_ids: Iterable[int]) -> None:
        """Forget these entries (they left the window, or were never committed)."""
        old = [self.members[entry_id] for entry_id in entry_ids]
        if old:
            self._weights.clear()
        for member in old:
            del self.members[member.fp.entry_id]
            self.feed_df[member.fp.feed_id].subtract(set(member.fp.shingles).union(member.fp.tail))
            for s in member.fp.shingles:
                ids = self.postings[s]
                del ids[member.fp.entry_id]
                if not ids:
                    del self.postings[s]

    def weights(self, fp: Fingerprint) -> dict[int, float]:
        """Each lead pair's rarity in the window; the outlet's own repeated boilerplate weighs nothing."""
        own = self.feed_df[fp.feed_id]
        seen = BOILERPLATE_SEEN + (1 if fp.entry_id in self.members else 0)
        n = len(self.members)
        postings = self.postings
        return {
            s: 0.0 if own[s] >= seen else math.log(1 + n / (len(postings.get(s, ())) + 1))
            for s in fp.shingles
        }

    @staticmethod
    def title_similarity(a: Fingerprint, b: Fingerprint) -> float:
        if not a.title_tokens or not b.title_tokens:
            return 0.0
        return fuzz.token_sort_ratio(" ".join(a.title_tokens), " ".join(b.title_tokens)) / 100

    def score(self, a: Fingerprint, b: Fingerprint, wa: dict[int, float] | None = None) -> float:
        """How surely ``a`` and ``b`` carry one story (0 when they do not)."""
        wa = wa if wa is not None else self.weights(a)
        wb = self._weights.get(b.entry_id)
        if wb is None:
            wb = self._weights[b.entry_id] = self.weights(b)
        smaller = min(sum(wa.values()), sum(wb.values()))
        lead = sum(min(wa[s], wb[s]) for s in wa.keys() & wb.keys()) / smaller if smaller > 0 else 0.0
        title = self.title_similarity(a, b)
        if min(len(a.shingles), len(b.shingles)) < SHORT_LEAD:  # the title decides, figures included
            same_figures = {t for t in a.title_tokens if t.isdigit()} == {
                t for t in b.title_tokens if t.isdigit()
            }
            return lead if title >= 0.8 and lead >= WEAK and same_figures else 0.0
        if lead >= STRONG or (lead >= WEAK and title >= TITLE_AGREE):
            return lead + title / 10
        return 0.0

    def candidates(self, fp: Fingerprint) -> list[int]:
        """Entries of the window sharing enough lead pairs with ``fp`` to be worth a comparison."""
        shared: Counter[int] = Counter()
        for s in fp.shingles:
            ids = self.postings.get(s)
            if ids and len(ids) <= MAX_POSTINGS:
                shared.update(ids.keys())
        size = len(fp.shingles)
        found = []
        for entry_id in [e for e, n in shared.items() if n >= MIN_SHARED]:
            other = self.members[entry_id].fp
            if (
                shared[entry_id] >= MIN_SHARED_FRACTION * min(size, len(other.shingles))
                and entry_id != fp.entry_id
                and abs(other.at - fp.at) <= self.window
            ):
                found.append(entry_id)
        return found

    def match(self, fp: Fingerprint) -> int | None:
        """The story ``fp`` belongs to, or None for a new story."""
        best, best_story = 0.0, None
        wa = self.weights(fp)
        for entry_id in self.candidates(fp):
            member = self.members[entry_id]
            value = self.score(fp, member.fp, wa)
            if value > best:
                best, best_story = value, member.story_id
        return best_story

    def place(self, fp: Fingerprint) -> int:
        """Match ``fp``, add it to the index, return its story id."""
        story_id = self.match(fp)
        if story_id is None:
            story_id = fp.entry_id
        self.add(fp, story_id)
        return story_id


def group_stream(fingerprints: Iterable[Fingerprint], window: timedelta = WINDOW) -> dict[int, int]:
    """Group fingerprints sorted by time: entry id → story id (benchmarks, full rebuilds)."""
    index = StoryIndex(window=window)
    result: dict[int, int] = {}
    last_evict: datetime | None = None
    for fp in fingerprints:
        if last_evict is None or fp.at - last_evict > window / 4:
            index.evict_before(fp.at - window)
            last_evict = fp.at
        result[fp.entry_id] = index.place(fp)
    return result


# --- Database -----------------------------------------------------------------------------


def _entry_fingerprints(session: Session, entry_ids: Sequence[int]) -> list[Fingerprint]:
    rows = session.execute(
        select(
            Entry.id,
            Entry.feed_id,
            func.coalesce(Entry.published_at, Entry.first_seen_at),
            Entry.title,
            Entry.summary,
            Entry.content,
            Entry.extracted_text,
        ).where(Entry.id.in_(entry_ids))
    ).all()
    fps = []
    for entry_id, feed_id, at, title, summary, content, extracted in rows:
        text = extracted or to_text(summary) or to_text(content)
        if at.tzinfo is None:  # SQLite returns naive values from coalesce(): they are UTC
            at = at.replace(tzinfo=utcnow().tzinfo)
        fps.append(fingerprint(entry_id, feed_id, at, title or "", text))
    return sorted(fps, key=lambda fp: (fp.at, fp.entry_id))


def group_new_entries(session: Session, entry_ids: list[int]) -> None:
    """Post-store plugin: put each new entry into an existing story or start its own.

    Called after a refresh stores entries; safe to call twice for the same entries.
    """
    todo = [
        entry_id
        for entry_id in session.scalars(
            select(Entry.id).where(Entry.id.in_(entry_ids), Entry.story_id.is_(None))
        )
    ]
    for start in range(0, len(todo), 2000):
        _group_batch(session, todo[start : start + 2000])


# A refresh groups feed after feed against overlapping windows: rebuilding the window's index for
# each feed made a refresh quadratic in its entries. During a refresh run the index is kept between
# calls (one per database) and brought in line with the database each time: entries that left the
# window or were rolled back are removed, entries written meanwhile (by this process or another)
# are added, so the result is what a fresh index gives. Outside a run, each call builds its own.
_windows: dict[str, StoryIndex] = {}
_windows_lock = threading.Lock()
_runs = 0


def start_of_run() -> None:
    """Plugin hook (``curation.plugins.run_scope``): keep the window's index across the run's feeds."""
    global _runs
    with _windows_lock:
        _runs += 1


def end_of_run() -> None:
    """Plugin hook: the run is over; free the kept index once no run is going on."""
    global _runs
    with _windows_lock:
        _runs -= 1
        if not _runs:
            _windows.clear()


def _window_index(session: Session, low: datetime, high: datetime) -> StoryIndex:
    """The index of the grouped entries dated within [low, high], as the session sees them now."""
    wanted = {
        entry_id: (feed_id, story_id)
        for entry_id, feed_id, story_id in session.execute(
            select(StoryFingerprint.entry_id, StoryFingerprint.feed_id, Entry.story_id)
            .join(Entry, Entry.id == StoryFingerprint.entry_id)
            .where(StoryFingerprint.at >= low, StoryFingerprint.at <= high, Entry.story_id.is_not(None))
        )
    }
    index = _windows.setdefault(str(session.get_bind().url), StoryIndex()) if _runs else StoryIndex()
    # Gone, or an id given again after a rollback (SQLite reuses ids; another feed, then).
    index.remove([i for i, m in index.members.items() if wanted.get(i, (None,))[0] != m.fp.feed_id])
    index._weights.clear()  # rarities change with the window, as in a fresh index
    for entry_id, member in index.members.items():
        member.story_id = wanted[entry_id][1]
    missing = [entry_id for entry_id in wanted if entry_id not in index.members]
    for start in range(0, len(missing), 500):
        chunk = missing[start : start + 500]
        for row in session.scalars(select(StoryFingerprint).where(StoryFingerprint.entry_id.in_(chunk))):
            index.add(Fingerprint.from_row(row), wanted[row.entry_id][1])
    return index


def _group_batch(session: Session, entry_ids: list[int]) -> None:
    new = _entry_fingerprints(session, entry_ids)
    if not new:
        return
    with _windows_lock:
        index = _window_index(session, new[0].at - WINDOW, new[-1].at + WINDOW)
        stories = {fp.entry_id: index.place(fp) for fp in new}
    ids = list(stories)
    session.execute(delete(StoryFingerprint).where(StoryFingerprint.entry_id.in_(ids)))
    session.execute(insert(StoryFingerprint), [fp.to_row() for fp in new])
    session.execute(update(Entry), [{"id": i, "story_id": story_id} for i, story_id in stories.items()])


def regroup_all(session: Session) -> int:
    """Forget every grouping and group all entries again (after changing the rules). Returns a count."""
    session.query(StoryFingerprint).delete()
    session.query(Entry).update({Entry.story_id: None})
    ids = list(session.scalars(select(Entry.id).order_by(entry_date(), Entry.id)))
    group_new_entries(session, ids)
    return len(ids)


# --- Listing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StorySource:
    entry_id: int
    feed_id: int
    feed_title: str
    title: str
    link: str
    published_at: datetime | None


@dataclass(frozen=True)
class Story:
    story_id: int
    title: str
    sources: list[StorySource]

    @property
    def source_count(self) -> int:
        return len({s.feed_id for s in self.sources})


def list_stories(
    session: Session,
    actor: Actor,
    filters: EntryFilters | None = None,
    *,
    min_sources: int = 2,
    limit: int = 100,
) -> list[Story]:
    """Stories carried by at least ``min_sources`` of the actor's visible entries, newest first."""
    story = func.coalesce(Entry.story_id, Entry.id)
    shared = (
        select(Entry.story_id)
        .where(Entry.story_id.is_not(None))
        .group_by(Entry.story_id)
        .having(func.count(func.distinct(Entry.feed_id)) >= max(min_sources, 1))
    )
    stmt = filter_entries(
        select(
            story.label("story"),
            Entry.id,
            Entry.feed_id,
            Feed.title,
            Entry.title,
            Entry.link,
            Entry.published_at,
            entry_date().label("at"),
        ).join(Feed, Feed.id == Entry.feed_id),
        session,
        actor,
        filters,
    )
    if min_sources >= 2:
        stmt = stmt.where(Entry.story_id.in_(shared))
    rows = session.execute(stmt).all()
    groups: dict[int, list] = defaultdict(list)
    for row in rows:
        groups[row.story].append(row)
    result = []
    for story_id, members in groups.items():
        if len({r.feed_id for r in members}) < min_sources:
            continue
        members.sort(key=lambda r: (r.at, r.id))
        sources = [StorySource(r.id, r.feed_id, r[3], r[4], r.link, r.published_at) for r in members]
        result.append((max(r.at for r in members), Story(story_id, clean_title(members[0][4]), sources)))
    result.sort(key=lambda item: item[0], reverse=True)
    return [story for _, story in result[:limit]]
