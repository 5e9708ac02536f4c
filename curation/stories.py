"""Duplicate stories: the same story carried by several outlets becomes one group listing them all.

Each entry gets a fingerprint: the content words of its title (outlet decorations such as
« EXCLUSIF : » or « | Le Média » removed), the hashed word pairs (2-shingles) of its lead (the
title, then the first ``LEAD_TOKENS`` content words of its text) and its facts: figures, months and
capitalised words that do not open a sentence (names of people, places, products). Outlets reword
5–20 % of the words, add their own boilerplate or publish only the lead or the title, but keep most
of the lead's word pairs and keep the names and figures; a different story on the same topic, even
on the same title template, has other figures, places and dates.

A new entry is compared with the entries of the surrounding ``WINDOW`` that share at least two
pairs, or ``FACTS_STRONG`` facts (inverted indexes over the window). Pairs are weighted by rarity in
the window (IDF), so stock phrases and an outlet's repeated boilerplate count for little; the match
is the weighted containment of the smaller lead in the other, confirmed by the titles when the texts
alone are not conclusive. Whatever the words, the facts must agree: those of the side with fewer
must be shown by the other (``facts_agree``), with the story's members, not only the best match,
and within ``SPREAD`` of them. Facts that an outlet repeats in most of its entries (a dateline, a
footer's year, « Lire aussi » another headline) and the words of the feed's own name are no facts
of the story. Two entries sharing most of their facts but few words (another wording, another
language) match on facts alone. An entry showing fewer than ``EVIDENCE`` names and figures of its
own (a title alone, a lead cut before the place: only the organisation and product, which
same-topic stories share, even their titles) is left alone rather than guessed: it joins a story
only through a fact no other story of the window has, never when several stories fit it, and it
has no say on the facts of the story it is in. The entry joins the story of its best match, never
a chain of weak matches; with no match it starts its own story. ``Entry.story_id`` is the id of
the story's first entry; entries are never dropped.

Across languages, beyond shared facts: an entry in another language whose title the translation
memory already holds in French (translated on the wall or for the digest; the grouping reads the
memory and never calls a provider) meets the French tellings whose title is its translation's
(``TRANSLATED_TITLE``), with the same rules on facts, so a same-topic decoy with other facts stays
apart.

The text half of a fingerprint (``curation.story_text``) needs only the entry: a large refresh
computes it in its parsing process and stores it with the entry, and grouping reads it back.
"""

from __future__ import annotations

import itertools
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
from rapidfuzz import fuzz
from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from curation.models import Entry, Feed
from curation.story_models import StoryFingerprint
from curation.story_text import (
    OPENS,
    clean_title,
    entry_text,
    lost_in_translation,
    story_text,
    title_pairs,
    title_tokens,
)
from curation.translation.memory import needs_translation, remembered_titles
from curation.visibility import EntryFilters, entry_date, filter_entries
from workbench.access import Actor

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

BOILERPLATE_SEEN = 2  # a pair in this many other entries of the same outlet is its boilerplate
WINDOW = timedelta(days=3)
SPREAD = timedelta(hours=36)  # between the tellings of one story (outlets follow within 0–30 h)
MAX_POSTINGS = 50  # a pair found in more entries than this is a stock phrase: not a candidate key
MIN_SHARED = 2
MIN_SHARED_FRACTION = 0.15  # of the smaller lead's pairs, unweighted: a cheap first filter
STRONG = 0.42  # weighted lead containment that is enough on its own
WEAK = 0.26  # ... that is enough when the titles agree
TITLE_AGREE = 0.6
SHORT_LEAD = 8  # fewer pairs than this: the title must carry the decision
SWEEP_CHUNK = 1000  # new entries read, then written, together
STORY_LOCK = 74210002  # PostgreSQL advisory lock: one grouping at a time
SMALL_TIER = 16_384  # postings added since the last merge into the large sorted arrays
POSTINGS_CHUNK = 65_536  # postings moved or tested at a time (bounds the temporary arrays)

FACTS_STRONG = 3  # facts shared by two entries whose words differ (another wording or language) ...
FACTS_SAME = 0.8  # ... and this share of the smaller side's: enough on its own
FACTS_MISSING = 4  # one fact in this many of the side with fewer may lack in the other
# Names and figures of its own below which an entry tells only what its topic's stories share (a
# title alone, a lead cut before the place: the organisation and the product): it joins a story, or
# a story made only of such entries takes another, only through a fact no other story of the window has.
EVIDENCE = 3
TRANSLATED_TITLE = 0.75  # title similarity between a title and another's translation (another language)


@dataclass
class Fingerprint:
    """What grouping compares: title words and hashed lead pairs."""

    entry_id: int
    feed_id: int
    at: datetime
    title_words: str  # the cleaned title's content tokens, space-separated (one string: kept by the thousand)
    # Sorted uint32 arrays without repeats: 4 bytes a pair, where a set of ints takes about 70.
    shingles: array
    tail: array = field(default_factory=lambda: array("I"))  # the text's end: the outlet's boilerplate
    facts: array = field(default_factory=lambda: array("I"))  # hashed figures and names of title and text
    # The French title tokens of an entry in another language, from the translation memory (not stored:
    # looked up at each grouping, so a translation made since counts).
    translated: str = ""

    COLUMNS = (
        StoryFingerprint.entry_id,
        StoryFingerprint.feed_id,
        StoryFingerprint.at,
        StoryFingerprint.title_tokens,
        StoryFingerprint.shingles,
        StoryFingerprint.tail,
        StoryFingerprint.facts,
    )

    @classmethod
    def from_row(
        cls, entry_id: int, feed_id: int, at: datetime, title: str, shingles: bytes, tail: bytes, facts: bytes
    ) -> Fingerprint:
        """A fingerprint from the values of ``COLUMNS`` (a ``story_fingerprints`` row)."""
        return cls(entry_id, feed_id, at, title, array("I", shingles), array("I", tail), array("I", facts))

    def to_row(self) -> dict[str, object]:
        """The ``story_fingerprints`` row (column values) of this fingerprint."""
        return {
            "entry_id": self.entry_id,
            "feed_id": self.feed_id,
            "at": self.at,
            "title_tokens": self.title_words,
            "shingles": self.shingles.tobytes(),
            "tail": self.tail.tobytes(),
            "facts": self.facts.tobytes(),
        }


def fingerprint(
    entry_id: int,
    feed_id: int,
    at: datetime,
    title: str,
    text: str,
    source: str = "",
    translated_title: str = "",
) -> Fingerprint:
    """The fingerprint of one entry (``text``: plain text of its summary or article; ``source``: the
    name of its feed, whose words in a dateline or a credit are no fact of the story;
    ``translated_title``: the French translation of its title the translation memory holds, if any)."""
    told = story_text(title, text, source)
    fp = Fingerprint(entry_id, feed_id, at, told.title_words, told.shingles, told.tail, told.facts)
    if translated_title:
        add_translation(fp, title, translated_title)
    return fp


def add_translation(fp: Fingerprint, title: str, translated_title: str) -> None:
    """Give ``fp`` the French translation of its title (from the translation memory): its tokens, to
    meet French titles, and its facts without the title's names that French writes in lower case
    (« Lithuanian », « lituanien »), which no French telling shows."""
    fp.translated = title_tokens(translated_title)
    lost = _keys(lost_in_translation(title, translated_title))
    if len(lost):
        fp.facts = array("I", np.setdiff1d(_keys(fp.facts), lost, assume_unique=True).tolist())


@dataclass
class _Member:
    fp: Fingerprint
    story_id: int
    weights: tuple[np.ndarray, np.ndarray, float] | None = (
        None  # keys, weights, total: until the next eviction
    )
    facts: tuple[np.ndarray, np.ndarray] | None = None  # ``StoryIndex._own_facts``: likewise


_U32 = np.uint64(32)
_LOW_MAX = 2**32 - 1  # ids stay below it, so ``pair << 32 | _LOW_MAX`` bounds a pair's postings


_MICROSECOND = timedelta(microseconds=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _microseconds(at: datetime) -> int:
    return (at - _EPOCH) // _MICROSECOND


def _strict(fp: Fingerprint) -> np.ndarray:
    """The facts of ``fp`` without the words that only open a sentence."""
    facts = _keys(fp.facts)
    return facts[(facts & OPENS) == 0]


def _keys(values: array) -> np.ndarray:
    """A fingerprint's pairs as a numpy array (a view, not a copy)."""
    return np.frombuffer(values, dtype=np.uint32)


def _pair_keys(pairs: np.ndarray, low: int) -> np.ndarray:
    """``pair << 32 | low`` for each pair: one sortable uint64 per (pair, 32-bit number)."""
    return (pairs.astype(np.uint64) << _U32) | np.uint64(low)


def _outlet_keys(feed_id: int, pairs: np.ndarray) -> np.ndarray:
    """``feed << 32 | pair`` for each pair."""
    return pairs.astype(np.uint64) | np.uint64(feed_id << 32)


def _insert_sorted(into: np.ndarray, new: np.ndarray) -> np.ndarray:
    """The sorted union (repeats kept) of two sorted arrays, in one pass, in a new array."""
    at = into.searchsorted(new) + np.arange(len(new))
    out = np.empty(len(into) + len(new), dtype=into.dtype)
    rest = np.ones(len(out), dtype=bool)
    rest[at] = False
    out[at] = new
    out[rest] = into
    return out


def _empty() -> np.ndarray:
    return np.empty(0, dtype=np.uint64)


class _Multiset:
    """Sorted uint64 values (repeats allowed) in two tiers: the additions go to a small array,
    merged into the large one as it grows, so that an addition never rewrites the large one.
    8 bytes a posting, where Python dicts of sets take about a hundred.

    The tiers are this object's own arrays (nothing else refers to them): merges and removals grow
    or shrink them in place, so that the postings are held once, not twice, while they change."""

    def __init__(self) -> None:
        self.large, self.small = _empty(), _empty()

    def add(self, values: np.ndarray) -> None:
        """Add sorted ``values`` (the caller gives them up: they may become a tier)."""
        self._merge("small", values)
        if len(self.small) > SMALL_TIER:
            small, self.small = self.small, _empty()
            self._merge("large", small)

    def add_unsorted(self, values: np.ndarray) -> None:
        """Add many values in any order (straight into the large tier; sorted in place, given up)."""
        values.sort()
        self._merge("large", values)

    def _merge(self, tier: str, new: np.ndarray) -> None:
        """Merge sorted ``new`` into the tier named ``tier``. A large tier's array grows in place
        (numpy refuses while another object refers to it: then it is copied), the values above each
        new one move up, ``POSTINGS_CHUNK`` at a time from the end, and the new ones fill the gaps."""
        values = getattr(self, tier)
        if not len(values):
            setattr(self, tier, new)
            return
        if not len(new):
            return
        n, m = len(values), len(new)
        if n <= POSTINGS_CHUNK:  # small: a merged copy is quicker and costs little
            setattr(self, tier, _insert_sorted(values, new))
            return
        setattr(self, tier, _empty())  # the local name is now the array's only reference
        try:
            values.resize(n + m, refcheck=True)
        except ValueError:
            setattr(self, tier, _insert_sorted(values, new))
            return
        at = values[:n].searchsorted(new) + np.arange(m)  # where the new values go (before equal ones)
        first = int(at[0])  # the values below the smallest new one stay where they are
        for end in range(n, first, -POSTINGS_CHUNK):
            start = max(first, end - POSTINGS_CHUNK)
            part = values[start:end].copy()
            values[np.arange(start, end) + new.searchsorted(part, side="right")] = part
        values[at] = new
        setattr(self, tier, values)

    def keep(self, keep: Callable[[np.ndarray], np.ndarray], *, elementwise: bool = False) -> None:
        """Keep the values the mask function selects (both tiers merged first), moved down in place,
        then the array shrunk in place. A mask that tests each value on its own (``elementwise``) is
        applied ``POSTINGS_CHUNK`` values at a time: its temporary arrays (``np.isin`` makes
        several, 8 bytes a value) are then those of a chunk, not of the whole postings."""
        small, self.small = self.small, _empty()
        self._merge("large", small)
        values, self.large = self.large, _empty()
        mask = None if elementwise else keep(values)
        kept = 0
        for start in range(0, len(values), POSTINGS_CHUNK):
            part = values[start : start + POSTINGS_CHUNK]
            part = part[keep(part) if mask is None else mask[start : start + POSTINGS_CHUNK]]
            values[kept : kept + len(part)] = part  # kept <= start: never over values still to test
            kept += len(part)
        try:
            values.resize(kept, refcheck=True)
        except ValueError:
            values = values[:kept].copy()
        self.large = values

    def ranges(self, low: np.ndarray, high: np.ndarray) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """For each tier, the positions of the values in [low, high) and the tier itself."""
        n = len(low)
        return [
            (bounds[:n], bounds[n:], tier)
            for tier in (self.large, self.small)
            for bounds in [tier.searchsorted(np.concatenate((low, high)))]
        ]

    def count(self, values: np.ndarray) -> np.ndarray:
        return sum(hi - lo for lo, hi, _ in self.ranges(values, values + np.uint64(1)))


def _gather(values: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """``values[lo[0]:hi[0]]``, ``values[lo[1]:hi[1]]``… concatenated, without a Python loop."""
    sizes = hi - lo
    return values[np.repeat(lo - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))]


class StoryIndex:
    """The entries of a time window, indexed by lead pair, to which new entries are matched.

    Two postings as sorted numpy arrays: ``pair << 32 | entry id`` for the lead pairs (candidates,
    and each pair's rarity for the weights), and ``outlet << 32 | pair`` for lead and tail pairs
    (an outlet's own repeated boilerplate).
    """

    def __init__(self, window: timedelta = WINDOW) -> None:
        self.window = window
        self.members: dict[int, _Member] = {}
        self._stories: defaultdict[int, set[int]] = defaultdict(set)  # story id → its members' ids
        self._outlet_entries: Counter[int] = Counter()  # feed id → its members
        self._lead = _Multiset()
        self._facts = _Multiset()  # ``fact << 32 | entry id``: stories told with other words
        self._outlet = _Multiset()
        self._translated = _Multiset()  # ``pair << 32 | entry id``: the translated titles' pairs
        self._slid_to: datetime | None = None
        # Each member's lead size and date by slot, to filter a match's candidates in one pass.
        self._slot: dict[int, int] = {}
        self._sizes = np.zeros(1024, dtype=np.int64)
        self._at = np.zeros(1024, dtype=np.int64)  # microseconds since the epoch

    def add(self, fp: Fingerprint, story_id: int) -> None:
        self._member(fp, story_id)
        self._lead.add(_pair_keys(_keys(fp.shingles), fp.entry_id))
        self._facts.add(_pair_keys(_strict(fp), fp.entry_id))
        self._outlet.add(_outlet_keys(fp.feed_id, self._outlet_pairs(fp)))
        if fp.translated:
            self._translated.add(_pair_keys(_title_pairs(fp.translated), fp.entry_id))

    def add_many(self, members: Iterable[tuple[Fingerprint, int]]) -> None:
        """Add (fingerprint, story id) pairs at once: one sort of their postings, not one per entry."""
        fps = []
        for fp, story_id in members:
            self._member(fp, story_id)
            fps.append(fp)
        if fps:
            self._lead.add_unsorted(
                np.concatenate([_pair_keys(_keys(fp.shingles), fp.entry_id) for fp in fps])
            )
            self._facts.add_unsorted(np.concatenate([_pair_keys(_strict(fp), fp.entry_id) for fp in fps]))
            self._outlet.add_unsorted(
                np.concatenate([_outlet_keys(fp.feed_id, self._outlet_pairs(fp)) for fp in fps])
            )
            translated = [_pair_keys(_title_pairs(fp.translated), fp.entry_id) for fp in fps if fp.translated]
            if translated:
                self._translated.add_unsorted(np.concatenate(translated))

    def _member(self, fp: Fingerprint, story_id: int) -> None:
        """Record ``fp`` as a member; the caller adds its postings."""
        if not 0 <= fp.entry_id < _LOW_MAX or not 0 <= fp.feed_id < _LOW_MAX:
            raise ValueError("entry and feed ids must fit in 32 bits")
        self.members[fp.entry_id] = _Member(fp, story_id)
        self._stories[story_id].add(fp.entry_id)
        self._outlet_entries[fp.feed_id] += 1
        slot = self._slot[fp.entry_id] = len(self._slot)
        if slot == len(self._sizes):
            self._sizes, self._at = np.resize(self._sizes, 2 * slot), np.resize(self._at, 2 * slot)
        self._sizes[slot], self._at[slot] = len(fp.shingles), _microseconds(fp.at)

    @staticmethod
    def _outlet_pairs(fp: Fingerprint) -> np.ndarray:
        """What an outlet repeats is its boilerplate: lead and tail pairs, and facts (a footer's
        year, a dateline's city, the names of « Lire aussi »)."""
        return np.unique(np.concatenate((_keys(fp.shingles), _keys(fp.tail), _keys(fp.facts))))  # one sort

    def evict_before(self, when: datetime) -> None:
        """Forget entries older than ``when`` (the window slides forward)."""
        self.remove([m.fp.entry_id for m in self.members.values() if m.fp.at < when])

    def slide_to(self, at: datetime) -> None:
        """A sweep in time order reached ``at``: forget what is out of the window (by quarter windows,
        not at every entry)."""
        if self._slid_to is None or at - self._slid_to > self.window / 4:
            self.evict_before(at - self.window)
            self._slid_to = at

    def remove(self, entry_ids: Iterable[int]) -> None:
        """Forget these entries."""
        old = [m for m in map(self.members.pop, set(entry_ids), itertools.repeat(None)) if m is not None]
        if not old:
            return
        for m in old:
            self._outlet_entries[m.fp.feed_id] -= 1
            told = self._stories[m.story_id]
            told.discard(m.fp.entry_id)
            if not told:
                del self._stories[m.story_id]
        ids = np.array([m.fp.entry_id for m in old], dtype=np.uint64)
        for postings in (self._lead, self._facts, self._translated):
            postings.keep(lambda v: ~np.isin(v & np.uint64(0xFFFFFFFF), ids), elementwise=True)
        gone = np.concatenate([_outlet_keys(m.fp.feed_id, self._outlet_pairs(m.fp)) for m in old])
        self._outlet.keep(lambda v: _without(v, gone))
        for member in self.members.values():
            member.weights = member.facts = None  # rarities and boilerplate change with the window
        if len(self._slot) > 2 * len(self.members) + 1024:  # renumber the slots of the members left
            slots = np.fromiter(
                map(self._slot.__getitem__, self.members), dtype=np.int64, count=len(self.members)
            )
            self._sizes, self._at = self._sizes[slots], self._at[slots]
            self._slot = {entry_id: slot for slot, entry_id in enumerate(self.members)}

    def _weights(
        self, fp: Fingerprint, keys: np.ndarray, df: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, float]:
        """Each lead pair's rarity in the window; the outlet's own repeated boilerplate weighs nothing."""
        own = self._outlet.count(_outlet_keys(fp.feed_id, keys))
        seen = BOILERPLATE_SEEN + (1 if fp.entry_id in self.members else 0)
        weights = np.log1p(len(self.members) / (df + 1))
        weights[own >= seen] = 0.0
        return keys, weights, float(weights.sum())

    def _lead_ranges(self, keys: np.ndarray) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        return self._lead.ranges(_pair_keys(keys, 0), _pair_keys(keys, _LOW_MAX))

    def _own_facts(self, fp: Fingerprint) -> tuple[np.ndarray, np.ndarray]:
        """The facts of ``fp`` that its outlet does not repeat in most of its other entries of the
        window (its boilerplate: a footer's year, a dateline, « Lire aussi »), and every name or
        figure it shows, facts or not (without the ``OPENS`` bit)."""
        facts = _keys(fp.facts)
        strict = facts[(facts & OPENS) == 0]
        mine = 1 if fp.entry_id in self.members else 0
        others = self._outlet_entries[fp.feed_id] - mine
        repeated = self._outlet.count(_outlet_keys(fp.feed_id, strict)) - mine
        boilerplate = (repeated >= BOILERPLATE_SEEN) & (2 * repeated >= others)
        return strict[~boilerplate], facts & ~np.uint32(OPENS)  # still sorted, without repeats

    def _member_facts(self, member: _Member) -> tuple[np.ndarray, np.ndarray]:
        if member.facts is None:
            member.facts = self._own_facts(member.fp)
        return member.facts

    @staticmethod
    def facts_agree(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> bool:
        """The facts of the side with fewer are shown by the other: every one when it has three or
        fewer (a place may be the only fact that tells two same-template stories apart), else all
        but one in four (a figure left out, a dateline's day). No facts on a side: nothing against."""
        (fewer, _), (_, shown) = (a, b) if len(a[0]) <= len(b[0]) else (b, a)
        missing = len(fewer) - len(np.intersect1d(fewer, shown, assume_unique=True))
        return missing <= len(fewer) // FACTS_MISSING

    def _member_weights(self, member: _Member) -> tuple[np.ndarray, np.ndarray, float]:
        if member.weights is None:
            keys = _keys(member.fp.shingles)
            df = sum(hi - lo for lo, hi, _ in self._lead_ranges(keys))
            member.weights = self._weights(member.fp, keys, df)
        return member.weights

    @staticmethod
    def title_similarity(a: Fingerprint, b: Fingerprint) -> float:
        if not a.title_words or not b.title_words:
            return 0.0
        return fuzz.token_sort_ratio(a.title_words, b.title_words) / 100

    def score(
        self,
        a: Fingerprint,
        wa: tuple[np.ndarray, np.ndarray, float],
        facts_a: tuple[np.ndarray, np.ndarray],
        b: _Member,
    ) -> float:
        """How surely ``a`` (with its weights and own facts) and the member ``b`` carry one story (0
        when they do not): the leads share enough rare pairs, the titles confirm a weaker match,
        and the facts (figures, names) agree."""
        if not self.facts_agree(facts_a, self._member_facts(b)):
            return 0.0
        keys_a, weights_a, total_a = wa
        keys_b, weights_b, total_b = self._member_weights(b)
        smaller = min(total_a, total_b)
        lead = 0.0
        if smaller > 0 and len(keys_b):
            at = np.minimum(keys_b.searchsorted(keys_a), len(keys_b) - 1)
            common = keys_b[at] == keys_a  # both sorted and without repeats
            lead = float(np.minimum(weights_a[common], weights_b[at[common]]).sum()) / smaller
        title = self.title_similarity(a, b.fp)
        if min(len(a.shingles), len(b.fp.shingles)) < SHORT_LEAD:  # the title decides, figures included
            same_figures = {t for t in a.title_words.split() if t.isdigit()} == {
                t for t in b.fp.title_words.split() if t.isdigit()
            }
            return lead if title >= 0.8 and lead >= WEAK and same_figures else 0.0
        if lead >= STRONG or (lead >= WEAK and title >= TITLE_AGREE):
            return lead + title / 10
        return 0.0

    @staticmethod
    def evidence(fp: Fingerprint, facts: tuple[np.ndarray, np.ndarray]) -> int:
        """How many names and figures ``fp`` shows of its own: its facts that its outlet does not
        repeat (``_own_facts``), and the names that only open a sentence."""
        return len(facts[0]) + int(np.count_nonzero(_keys(fp.facts) & OPENS))

    def match(self, fp: Fingerprint) -> int | None:
        """The story ``fp`` belongs to, or None for a new story: told in its language, else told in
        French and known through the translation memory (``Fingerprint.translated``)."""
        return self._match(fp, self._own_facts(fp))

    def _match(self, fp: Fingerprint, facts: tuple[np.ndarray, np.ndarray]) -> int | None:
        """``match`` with the entry's own facts (``_own_facts``) known."""
        low = self.evidence(fp, facts) < EVIDENCE
        found = self._agreeing(fp, facts, low, self._by_lead(fp, facts) + self._by_facts(fp, facts))
        if found is None and (fp.translated or self._translated_titles):
            found = self._agreeing(fp, facts, low, self._by_translation(fp, facts))
        return found

    def _agreeing(
        self, fp: Fingerprint, facts: tuple[np.ndarray, np.ndarray], low: bool, scored: list
    ) -> int | None:
        """The best scored story whose tellings are within ``SPREAD`` and whose facts agree; None when
        none does, or when ``fp`` tells only the topic's names and several do."""
        agreeing = []
        for story_id in dict.fromkeys(story_id for _, story_id in sorted(scored, reverse=True)):
            if self._within_spread(story_id, fp.at) and self._story_agrees(story_id, facts, low):
                agreeing.append(story_id)
                if len(facts[0]) >= 3 or len(agreeing) > 1:
                    break
        if len(agreeing) > 1:
            return None  # only the topic's names, like several stories: which one is a guess
        return agreeing[0] if agreeing else None

    def _only_theirs(self, story_id: int, facts: np.ndarray) -> bool:
        """One of ``facts`` is, in the window, the story's alone (no entry outside it has it): more
        than the names every story of its topic shares."""
        ranges = self._facts.ranges(_pair_keys(facts, 0), _pair_keys(facts, _LOW_MAX))
        told = self._stories[story_id]
        for i in range(len(facts)):
            holders = np.concatenate([tier[lo[i] : hi[i]] for lo, hi, tier in ranges]) & np.uint64(0xFFFFFFFF)
            if len(holders) and told.issuperset(holders.tolist()):
                return True
        return False

    def _within_spread(self, story_id: int, at: datetime) -> bool:
        """Outlets carry a story within ``SPREAD`` of one another: not a week-old story's template."""
        return all(abs(self.members[entry_id].fp.at - at) <= SPREAD for entry_id in self._stories[story_id])

    def _story_agrees(self, story_id: int, facts: tuple[np.ndarray, np.ndarray], low: bool) -> bool:
        """The facts agree with those of the story's members, not only with the best match's: a
        member showing fewer than ``EVIDENCE`` names and figures (a title alone) has no say, and
        must not link two stories that tell others. When ``fp`` (``low``) or every member is such
        an entry, a fact the story alone has in the window must be shared: the names of the topic,
        which a same-topic story on the same title template also has, only make a guess."""
        votes = [
            self.facts_agree(facts, theirs)
            for entry_id in self._stories[story_id]
            for member in [self.members[entry_id]]
            for theirs in [self._member_facts(member)]
            if self.evidence(member.fp, theirs) >= EVIDENCE
        ]
        if (low or not votes) and not self._only_theirs(story_id, facts[0]):
            return False
        return 2 * sum(votes) > len(votes) or not votes

    def _candidates(
        self, fp: Fingerprint, ranges: list, usable: np.ndarray, least: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The members of the window found in at least ``least`` of the usable postings: ids, how
        many postings they share, their slots."""
        postings = np.concatenate([_gather(tier, lo[usable], hi[usable]) for lo, hi, tier in ranges])
        postings &= np.uint64(0xFFFFFFFF)  # the ids, each as often as it shares a posting
        postings.sort()
        starts = np.flatnonzero(np.concatenate(([True], postings[1:] != postings[:-1])))
        shared = np.concatenate((starts[1:], [len(postings)])) - starts
        close = shared >= least
        ids, shared = postings[starts[close]], shared[close]
        slots = np.fromiter(map(self._slot.__getitem__, ids.tolist()), dtype=np.int64, count=len(ids))
        close = (np.abs(self._at[slots] - _microseconds(fp.at)) <= self.window // _MICROSECOND) & (
            ids != fp.entry_id
        )
        return ids[close], shared[close], slots[close]

    def _by_lead(self, fp: Fingerprint, facts: tuple[np.ndarray, np.ndarray]) -> list[tuple[float, int]]:
        """(score, story) of the members whose lead shares enough rare pairs with ``fp``'s."""
        keys = _keys(fp.shingles)
        ranges = self._lead_ranges(keys)
        df = sum(hi - lo for lo, hi, _ in ranges)
        usable = (df > 0) & (df <= MAX_POSTINGS)  # a pair in more entries is a stock phrase
        if not usable.any():
            return []
        ids, shared, slots = self._candidates(fp, ranges, usable, MIN_SHARED)
        close = shared >= MIN_SHARED_FRACTION * np.minimum(len(fp.shingles), self._sizes[slots])
        if not close.any():
            return []
        wa = self._weights(fp, keys, df)
        scored = []
        for entry_id in ids[close].tolist():
            member = self.members[entry_id]
            value = self.score(fp, wa, facts, member)
            if value > 0:
                scored.append((value, member.story_id))
        return scored

    def _by_facts(self, fp: Fingerprint, facts: tuple[np.ndarray, np.ndarray]) -> list[tuple[float, int]]:
        """(score, story) of the members that share most of their figures and names with ``fp``
        though their words differ: another wording, or another language. Below any lead match."""
        strict, shown = facts
        if len(strict) < FACTS_STRONG:
            return []
        ranges = self._facts.ranges(_pair_keys(strict, 0), _pair_keys(strict, _LOW_MAX))
        df = sum(hi - lo for lo, hi, _ in ranges)
        usable = (df > 0) & (df <= MAX_POSTINGS)
        if usable.sum() < FACTS_STRONG:
            return []
        ids, _, _ = self._candidates(fp, ranges, usable, FACTS_STRONG)
        scored = []
        for entry_id in ids.tolist():
            member = self.members[entry_id]
            theirs, their_shown = self._member_facts(member)
            shared = min(
                len(np.intersect1d(strict, their_shown, assume_unique=True)),
                len(np.intersect1d(theirs, shown, assume_unique=True)),
            )
            if shared >= FACTS_STRONG and shared >= FACTS_SAME * min(len(strict), len(theirs)):
                scored.append((shared / max(len(strict), len(theirs)) / 10, member.story_id))
        return scored

    @property
    def _translated_titles(self) -> bool:
        return bool(len(self._translated.large) or len(self._translated.small))

    def _by_translation(
        self, fp: Fingerprint, facts: tuple[np.ndarray, np.ndarray]
    ) -> list[tuple[float, int]]:
        """(score, story) of the members told in another language whose title, through the
        translation memory, is ``fp``'s: ``fp``'s translation against French titles (which open
        their leads), or ``fp``'s title against the members' translations. Names and figures must
        agree too."""
        if fp.translated:
            mine, theirs, postings = fp.translated, (lambda m: m.fp.title_words), self._lead
        else:
            mine, theirs, postings = fp.title_words, (lambda m: m.fp.translated), self._translated
        keys = _title_pairs(mine)
        if not len(keys):
            return []
        ranges = postings.ranges(_pair_keys(keys, 0), _pair_keys(keys, _LOW_MAX))
        df = sum(hi - lo for lo, hi, _ in ranges)
        usable = (df > 0) & (df <= MAX_POSTINGS)
        if not usable.any():
            return []
        ids, _, _ = self._candidates(fp, ranges, usable, min(MIN_SHARED, len(keys)))
        scored = []
        for entry_id in ids.tolist():
            member = self.members[entry_id]
            title = fuzz.token_sort_ratio(mine, theirs(member)) / 100 if theirs(member) else 0.0
            if title >= TRANSLATED_TITLE and self.facts_agree(facts, self._member_facts(member)):
                scored.append((title, member.story_id))
        return scored

    def place(self, fp: Fingerprint) -> int:
        """Match ``fp``, add it to the index, return its story id."""
        facts = self._own_facts(fp)  # once: the index does not change between the match and the addition
        story_id = self._match(fp, facts)
        if story_id is None:
            story_id = fp.entry_id
        self.add(fp, story_id)
        return story_id


def _title_pairs(words: str) -> np.ndarray:
    """The hashed word pairs of a title's tokens, as the lead's first pairs are hashed."""
    return _keys(title_pairs(words))


def _without(values: np.ndarray, gone: np.ndarray) -> np.ndarray:
    """A mask over sorted ``values`` that drops one occurrence of each value of ``gone`` (all
    present; ``gone`` is sorted in place), ``POSTINGS_CHUNK`` values of ``gone`` at a time."""
    keep = np.ones(len(values), dtype=bool)
    gone.sort()
    for start in range(0, len(gone), POSTINGS_CHUNK):
        part = gone[start : start + POSTINGS_CHUNK]
        at = values.searchsorted(part)  # the k-th repeat of a value in ``gone`` drops its k-th occurrence
        at -= gone.searchsorted(part)
        at += np.arange(start, start + len(part))
        keep[at] = False
    return keep


def group_stream(
    fingerprints: Iterable[Fingerprint], window: timedelta = WINDOW, index: StoryIndex | None = None
) -> dict[int, int]:
    """Group fingerprints sorted by time, without a database: entry id → story id (benchmarks;
    ``index``: an empty index to group in, for one that notes what it sees)."""
    if index is None:
        index = StoryIndex(window=window)
    result: dict[int, int] = {}
    for fp in fingerprints:
        index.slide_to(fp.at)
        result[fp.entry_id] = index.place(fp)
    return result


# --- Database -----------------------------------------------------------------------------


def _entry_fingerprints(
    session: Session, entry_ids: Sequence[int]
) -> tuple[list[Fingerprint], list[Fingerprint]]:
    """The fingerprints of the entries in time order, and those of them computed here: the others
    were stored with their entry by the refresh (``curation.store``), whose parsing process computed
    their text half — unless the article's text has been fetched since (it then replaces the summary)."""
    stored, titles = [], []
    for *columns, title, language in session.execute(
        select(*Fingerprint.COLUMNS, Entry.title, Entry.language)
        .join(Entry, Entry.id == StoryFingerprint.entry_id)
        .where(StoryFingerprint.entry_id.in_(entry_ids), Entry.extracted_text.is_(None))
    ):
        stored.append(Fingerprint.from_row(*columns))
        titles.append((stored[-1], title, language))
    have = {fp.entry_id for fp in stored}
    entry_ids = [entry_id for entry_id in entry_ids if entry_id not in have]
    computed = []
    rows = session.execute(
        select(
            Entry.id,
            Entry.feed_id,
            entry_date(),
            Entry.title,
            Entry.summary,
            Entry.content,
            Entry.extracted_text,
            Feed.title,
            Entry.language,
        )
        .join(Feed, Feed.id == Entry.feed_id)
        .where(Entry.id.in_(entry_ids))
    ).all()
    for entry_id, feed_id, at, title, summary, content, extracted, source, language in rows:
        text = entry_text(summary, content, extracted)
        computed.append(fingerprint(entry_id, feed_id, _aware(at), title or "", text, source or ""))
        titles.append((computed[-1], title, language))
    _translate_titles(session, titles)
    return sorted(stored + computed, key=lambda fp: (fp.at, fp.entry_id)), computed


def _translate_titles(session: Session, titles: list[tuple[Fingerprint, str | None, str | None]]) -> None:
    """Give the fingerprints of entries in another language the French translation of their title
    that the translation memory holds (a title translated on the wall or for the digest): never a
    call to a provider, so an untranslated title is simply grouped in its own language."""
    foreign = [(fp, title) for fp, title, language in titles if title and needs_translation(language or "")]
    if not foreign:
        return
    known = remembered_titles(session, [title for _, title in foreign])
    for fp, title in foreign:
        if title in known:
            add_translation(fp, title, known[title])


def _aware(at: datetime) -> datetime:
    """SQLite returns naive values from coalesce(): they are UTC."""
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


class _GroupedWindow:
    """Brings the already grouped entries into the index as the sweep moves forward in time: each
    stored fingerprint is read once per call, and only those within the window of a new entry."""

    def __init__(self, session: Session, index: StoryIndex) -> None:
        self.session, self.index = session, index
        self.loaded_to: datetime | None = None

    def reach(self, at: datetime) -> None:
        """Make sure the grouped entries dated up to ``at + WINDOW`` are in the index."""
        if self.loaded_to is not None and at + WINDOW <= self.loaded_to:
            return
        high = at + 2 * WINDOW  # read ahead: one query per window's length of time
        fp = StoryFingerprint
        stmt = (
            select(*Fingerprint.COLUMNS, Entry.story_id, Entry.title, Entry.language)
            .join(Entry, Entry.id == fp.entry_id)
            .where(fp.at <= high, Entry.story_id.is_not(None))
            .order_by(fp.at, fp.entry_id)
            .execution_options(yield_per=2000)  # rows by the thousand, not a window's worth at once
        )
        if self.loaded_to is None:
            stmt = stmt.where(fp.at >= at - WINDOW)
        else:
            stmt = stmt.where(fp.at > self.loaded_to)
        members = self.index.members
        loaded, titles = [], []
        for *columns, story_id, title, language in self.session.execute(stmt):
            if columns[0] not in members:
                loaded.append((Fingerprint.from_row(*columns), story_id))
                titles.append((loaded[-1][0], title, language))
        _translate_titles(self.session, titles)
        self.index.add_many(loaded)
        self.loaded_to = high


def group_new_entries(session: Session, entry_ids: list[int]) -> None:
    """Post-store plugin: put each new entry into an existing story or start its own.

    One sweep in time order over the entries not grouped yet: each is matched against the grouped
    entries of its window (read from ``story_fingerprints`` as the sweep advances, so memory holds
    one window, not the whole run) and the new entries before it. Safe to call twice.
    """
    todo: list[tuple[datetime, int]] = []
    for start in range(0, len(entry_ids), 1000):
        chunk = entry_ids[start : start + 1000]
        todo.extend(
            (_aware(at), entry_id)
            for entry_id, at in session.execute(
                select(Entry.id, entry_date()).where(Entry.id.in_(chunk), Entry.story_id.is_(None))
            )
        )
    if not todo:
        return
    if session.get_bind().dialect.name == "postgresql":  # one grouping at a time, whichever process
        session.execute(select(func.pg_advisory_xact_lock(STORY_LOCK)))
    todo.sort()
    index = StoryIndex()
    grouped = _GroupedWindow(session, index)
    for start in range(0, len(todo), SWEEP_CHUNK):
        new, computed = _entry_fingerprints(
            session, [entry_id for _, entry_id in todo[start : start + SWEEP_CHUNK]]
        )
        stories = {}
        for fp in new:
            index.slide_to(fp.at)
            grouped.reach(fp.at)
            stories[fp.entry_id] = index.place(fp)
        if computed:
            ids = [fp.entry_id for fp in computed]
            session.execute(delete(StoryFingerprint).where(StoryFingerprint.entry_id.in_(ids)))
            session.execute(insert(StoryFingerprint), [fp.to_row() for fp in computed])
        session.execute(_SET_STORY, [{"entry": i, "story": story_id} for i, story_id in stories.items()])


# Core, not the ORM's bulk update by primary key: the same statement for a fraction of the work.
_SET_STORY = (
    update(Entry.__table__)
    .where(Entry.__table__.c.id == bindparam("entry"))
    .values(story_id=bindparam("story"))
)


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
    limit: int | None = None,
) -> list[Story]:
    """Stories carried by at least ``min_sources`` of the actor's visible entries, newest first
    (every one, or the ``limit`` newest)."""
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
    return [story for _, story in result[:limit]]  # [:None] is every one
