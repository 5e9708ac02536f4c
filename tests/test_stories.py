"""Duplicate-story grouping: hard positives (rewording, decorations, boilerplate, lead only) and
hard negatives (same topic, similar titles), incrementally through the database."""

from __future__ import annotations

import random
import tracemalloc
from array import array
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import func, select

from curation import plugins, stories
from curation.models import Entry, PendingEntry
from curation.stories import (
    Fingerprint,
    StoryIndex,
    clean_title,
    group_new_entries,
    list_stories,
    regroup_all,
)
from curation.story_models import StoryFingerprint
from curation.wall import wall
from tests.entry_factory import add_entry, add_feed
from workbench.db import session_scope

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)

STORY = (
    "TikTok va interdire les comptes des moins de quinze ans en Australie à partir du 10 décembre, a annoncé "
    "la plateforme mardi dans un communiqué. La mesure concerne environ 200 000 comptes selon le régulateur "
    "australien, qui avait donné six mois aux réseaux sociaux pour se conformer à la loi. Les parents pourront "
    "signaler un compte suspect depuis un formulaire. Julie Inman Grant, commissaire à la sécurité en ligne, "
    "salue une décision « attendue par les familles » et annonce des contrôles dès janvier."
)
REWORDED = (
    "TikTok va bloquer les comptes des moins de quinze ans en Australie dès le 10 décembre, a indiqué "
    "la plateforme mardi dans un message. La mesure touche environ 200 000 comptes d’après le régulateur "
    "australien, qui avait laissé six mois aux réseaux sociaux pour se conformer à la loi. Les parents pourront "
    "signaler un compte depuis un formulaire. Julie Inman Grant, commissaire à la sécurité en ligne, "
    "salue une décision « attendue par les familles » et prévoit des contrôles en janvier."
)
LEAD_ONLY = (
    "TikTok va interdire les comptes des moins de quinze ans en Australie à partir du 10 décembre, a annoncé "
    "la plateforme mardi. La mesure concerne environ 200 000 comptes selon le régulateur australien."
)
SAME_TOPIC = (
    "TikTok va interdire les lives aux moins de dix-huit ans en France à partir de janvier, a annoncé la "
    "plateforme jeudi. L’Arcom avait demandé des garanties après plusieurs signalements de cadeaux virtuels "
    "versés à des mineurs. Les créateurs concernés recevront une notification et pourront faire appel. "
    "Selon l’entreprise, 30 000 diffusions par jour sont concernées en France."
)
BOILER = " Abonnez-vous à la newsletter du Média pour ne rien manquer de l’actualité des réseaux sociaux."


def test_clean_title():
    assert clean_title("EXCLUSIF : TikTok interdit les moins de 15 ans | Le Média") == (
        "TikTok interdit les moins de 15 ans"
    )
    assert (
        clean_title("[VIDÉO] Meta lance Threads en Europe - Le Blog du CM") == "Meta lance Threads en Europe"
    )
    assert clean_title("Meta : ce qui change") == "Meta : ce qui change"


def test_story_grouping_hard_cases(db_url, people):
    with session_scope() as s:
        feeds = [add_feed(s, f"Média {i}", user_id=people.alice.id) for i in range(6)]
        # The outlet with boilerplate carries other stories too: its boilerplate is learned from them.
        for i in range(3):
            add_entry(
                s,
                feeds[4],
                f"Autre sujet numéro {i}",
                f"Un tout autre article, le numéro {i}." + BOILER,
                published=T0 - timedelta(hours=10 - i),
            )
        original = add_entry(
            s, feeds[0], "TikTok interdit les moins de 15 ans en Australie", STORY, published=T0
        )
        reworded = add_entry(
            s,
            feeds[1],
            "EXCLUSIF : TikTok bloque les moins de 15 ans en Australie | Le Média",
            REWORDED,
            published=T0 + timedelta(hours=3),
        )
        lead = add_entry(
            s,
            feeds[2],
            "Australie : TikTok interdit aux moins de 15 ans",
            LEAD_ONLY,
            published=T0 + timedelta(hours=5),
        )
        boiler = add_entry(
            s,
            feeds[4],
            "TikTok interdit les moins de 15 ans en Australie",
            LEAD_ONLY + BOILER,
            published=T0 + timedelta(hours=6),
        )
        other = add_entry(
            s,
            feeds[3],
            "TikTok interdit les lives aux moins de 18 ans en France",
            SAME_TOPIC,
            published=T0 + timedelta(hours=4),
        )
        late = add_entry(
            s,
            feeds[5],
            "TikTok interdit les moins de 15 ans en Australie",
            STORY,
            published=T0 + timedelta(days=9),
        )
        ids = list(s.scalars(select(Entry.id)))
    with session_scope() as s:
        group_new_entries(s, ids)
    with session_scope() as s:
        story = {e.id: e.story_id for e in s.query(Entry)}
        assert story[original.id] == original.id
        assert story[reworded.id] == story[lead.id] == story[boiler.id] == original.id
        assert story[other.id] == other.id  # same topic, similar title: another story
        assert story[late.id] == late.id  # outside the time window
        assert s.query(StoryFingerprint).count() == len(ids)
        stories = list_stories(s, people.alice)
        assert len(stories) == 1 and stories[0].source_count == 4
        assert stories[0].sources[0].entry_id == original.id
        assert {src.link for src in stories[0].sources} == {
            e.link for e in s.query(Entry).where(Entry.story_id == original.id)
        }
        assert list_stories(s, people.bob) == []  # not his feeds


def test_grouping_is_incremental_and_idempotent(db_url, people):
    with session_scope() as s:
        a, b = add_feed(s, "A", user_id=people.alice.id), add_feed(s, "B", user_id=people.alice.id)
        first = add_entry(s, a, "TikTok interdit les moins de 15 ans en Australie", STORY, published=T0)
        first_id = first.id
    with session_scope() as s:
        group_new_entries(s, [first_id])
    with session_scope() as s:
        second = add_entry(
            s, b, "TikTok bloque les moins de 15 ans", REWORDED, published=T0 + timedelta(hours=2)
        )
        second_id = second.id
    with session_scope() as s:
        group_new_entries(s, [second_id])
        group_new_entries(s, [first_id, second_id])  # twice: nothing changes
    with session_scope() as s:
        assert s.get(Entry, second_id).story_id == first_id
        assert s.query(StoryFingerprint).count() == 2
        assert regroup_all(s) == 2
    with session_scope() as s:
        assert s.get(Entry, second_id).story_id == first_id


def test_pending_entries_are_grouped_by_the_drain_and_hidden_until_then(db_url, people):
    """A refresh defers the plugins: its entries wait in ``pending_entries`` (not shown), and one drain
    groups the entries of every feed at once, however the feeds were committed."""
    with session_scope() as s:
        a, b = add_feed(s, "A", user_id=people.alice.id), add_feed(s, "B", user_id=people.alice.id)
        first = add_entry(s, a, "TikTok interdit les moins de 15 ans en Australie", STORY, published=T0)
        plugins.defer(s, [first.id])
        first_id = first.id
    with session_scope() as s:  # another feed, another transaction (or another process)
        second = add_entry(
            s, b, "TikTok bloque les moins de 15 ans", REWORDED, published=T0 + timedelta(hours=2)
        )
        plugins.defer(s, [second.id])
        second_id = second.id
    with session_scope() as s:
        assert wall(s, people.alice).cards == []  # rules may still hide them: not shown yet
        assert s.get(Entry, first_id).story_id is None
    assert plugins.drain(batch=1) == 2  # one entry per transaction: the second still meets the first
    assert plugins.drain() == 0
    with session_scope() as s:
        assert s.get(Entry, second_id).story_id == first_id
        assert s.scalar(select(func.count()).select_from(PendingEntry)) == 0
        assert len(wall(s, people.alice).cards) == 1  # one story, two sources
        assert [story.source_count for story in list_stories(s, people.alice)] == [2]


def test_grouping_sweeps_a_long_period_one_window_at_a_time(db_url, people):
    """Entries spread over weeks: each is compared with its own window only (dated far apart,
    the same story is two stories), whatever order they arrive in."""
    with session_scope() as s:
        feeds = [add_feed(s, f"Média {i}", user_id=people.alice.id) for i in range(3)]
        ids = []
        for week in (2, 0, 1):  # stored out of date order
            at = T0 + timedelta(weeks=week)
            ids.append(add_entry(s, feeds[0], "TikTok interdit les moins de 15 ans", STORY, published=at).id)
            ids.append(add_entry(s, feeds[1], "TikTok bloque les moins de 15 ans", REWORDED, published=at).id)
            ids.append(add_entry(s, feeds[2], f"Une autre nouvelle {week}", SAME_TOPIC, published=at).id)
    with session_scope() as s:
        group_new_entries(s, ids[:3])  # the latest week first: the others are grouped against it
    with session_scope() as s:
        group_new_entries(s, ids)
    with session_scope() as s:
        story = {e.id: e.story_id for e in s.query(Entry)}
        for week in range(3):
            original, reworded, other = ids[3 * week : 3 * week + 3]
            assert story[reworded] == story[original] == original
            assert story[other] == other


def _random_fingerprint(rng: random.Random, entry_id: int) -> Fingerprint:
    vocabulary = range(300)  # few distinct pairs: postings with repeats, shared boilerplate
    return Fingerprint(
        entry_id,
        rng.randrange(4),
        T0 + timedelta(hours=rng.randrange(200)),
        f"titre {entry_id % 7}",
        array("I", sorted(rng.sample(vocabulary, rng.randrange(1, 40)))),
        array("I", sorted(rng.sample(vocabulary, rng.randrange(0, 20)))),
    )


def test_story_index_after_removals_equals_a_fresh_index(monkeypatch):
    """The index keeps its postings in two sorted numpy tiers; removing entries (the window moving
    on) must leave exactly what an index built from the remaining entries holds."""
    monkeypatch.setattr(stories, "SMALL_TIER", 64)  # many merges of the small tier into the large one
    monkeypatch.setattr(stories, "POSTINGS_CHUNK", 100)  # merges and removals in many chunks
    rng = random.Random(3)
    fps = [_random_fingerprint(rng, i) for i in range(1, 400)]
    index = StoryIndex()
    index.add_many((fp, fp.entry_id) for fp in fps[:150])  # as read from the database, at once
    for fp in fps[150:]:
        index.add(fp, fp.entry_id)
    gone = set(rng.sample([fp.entry_id for fp in fps], 150))
    index.remove(gone)
    index.evict_before(T0 + timedelta(hours=20))
    kept = [fp for fp in fps if fp.entry_id not in gone and fp.at >= T0 + timedelta(hours=20)]
    fresh = StoryIndex()
    for fp in kept:
        fresh.add(fp, fp.entry_id)
    assert set(index.members) == set(fresh.members)
    for postings in ("_lead", "_outlet"):
        both = [getattr(i, postings) for i in (index, fresh)]
        assert np.array_equal(*(np.sort(np.concatenate((p.large, p.small))) for p in both))
    probe = _random_fingerprint(rng, 10_000)
    assert index.match(probe) == fresh.match(probe)


@pytest.mark.parametrize("held", [False, True], ids=["in place", "a copy while a view is held"])
def test_postings_stay_sorted_through_merges_and_removals(monkeypatch, held):
    monkeypatch.setattr(stories, "POSTINGS_CHUNK", 7)
    monkeypatch.setattr(stories, "SMALL_TIER", 50)
    rng = np.random.default_rng(5)
    postings = stories._Multiset()
    expected = np.empty(0, dtype=np.uint64)
    views = []
    for step in range(80):
        values = np.sort(rng.integers(0, 200, int(rng.integers(0, 30))).astype(np.uint64))
        expected = np.sort(np.concatenate((expected, values)))
        if held:  # numpy will not grow or shrink an array a view refers to
            views += [postings.large[:1], postings.small[:1]]
        if step % 4:
            postings.add(values)
        else:
            postings.add_unsorted(rng.permutation(values))
        if step % 10 == 9:
            postings.keep(lambda v, step=step: v % 5 != step % 5, elementwise=True)
            expected = expected[expected % 5 != step % 5]
        if step % 10 == 4:
            gone = expected[::3].copy()
            postings.keep(lambda v, gone=gone: stories._without(v, gone))
            expected = np.delete(expected, np.arange(0, len(expected), 3))
        for tier in (postings.large, postings.small):
            assert np.all(tier[1:] >= tier[:-1])
        assert np.array_equal(np.sort(np.concatenate((postings.large, postings.small))), expected)


def test_postings_change_without_a_second_copy():
    """A merge or a removal over a million postings (8 MB) holds them once, not twice."""
    tracemalloc.start()  # numpy reports its arrays to tracemalloc
    try:
        postings = stories._Multiset()
        postings.add_unsorted(np.arange(0, 2_000_000, 2, dtype=np.uint64))
        size = postings.large.nbytes
        for change in (
            lambda: postings.add_unsorted(np.arange(1, 40_000, 2, dtype=np.uint64)),
            lambda: postings.keep(lambda v: v % 4 != 0, elementwise=True),
            lambda: postings.keep(lambda v: stories._without(v, v[::5].copy())),
        ):
            tracemalloc.reset_peak()
            before = tracemalloc.get_traced_memory()[0]
            change()
            assert tracemalloc.get_traced_memory()[1] - before < 0.5 * size
    finally:
        tracemalloc.stop()


def test_story_index_refuses_ids_beyond_32_bits():
    fp = Fingerprint(2**32, 1, T0, "a", array("I", [1, 2]))
    with pytest.raises(ValueError):
        StoryIndex().add(fp, fp.entry_id)
