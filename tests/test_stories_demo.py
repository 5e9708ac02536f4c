"""Issue 20: the demo's own multi-outlet stories are each one card on the wall, one item in the
digest, and e-réputation counts each story once (its mentions, share of voice)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from curation import plugins
from curation.demo import demo_files, ensure_starter_subscriptions, load_demo_content
from curation.digest.compose import build_draft
from curation.digest.lists import ListSettings, create_list
from curation.models import Entry, Feed
from curation.monitoring import watches as W
from curation.parse import parse_feed
from curation.store import store_entries
from curation.wall import wall
from tests.monitoring_factory import subscribe
from workbench.db import session_scope, utcnow

# The stories the demo feeds tell several times (French and English outlets), by their titles.
DEMO_STORIES = {
    "Instagram hides likes": lambda t: "Instagram" in t and ("j’aime" in t or "like" in t),
    "LinkedIn newsletter analytics": lambda t: "LinkedIn" in t and "newsletter" in t.lower(),
    "EU « Publicité » label": lambda t: "Publicité" in t or "sponsored" in t or "sponsorisés" in t,
    "TikTok live from 500 followers": lambda t: "TikTok" in t and "live" in t.lower(),
}


def _tellings(titles: dict[int, str]) -> dict[str, set[int]]:
    return {name: {i for i, t in titles.items() if about(t)} for name, about in DEMO_STORIES.items()}


def test_demo_multi_outlet_stories_are_one_card_each(db_url, people):
    with session_scope() as s:
        load_demo_content(s)
        ensure_starter_subscriptions(s, people.zoe)
    plugins.drain()
    with session_scope() as s:
        cards = wall(s, people.zoe, per_page=200).cards
        titles = dict(s.execute(select(Entry.id, Entry.title)).tuples().all())
    for name, told in _tellings(titles).items():
        assert len(told) >= 2, name  # several outlets tell it
        showing = [c for c in cards if told & set(c.entry_ids)]
        assert len(showing) == 1, name  # one card ...
        assert set(showing[0].entry_ids) == told, name  # ... listing every outlet
    assert len(cards) == len(titles) - sum(len(t) - 1 for t in _tellings(titles).values())


def _demo_as_followed_feeds(people) -> None:
    """The demo feeds' documents as ordinary feeds of the trainer's cohort (demo feeds themselves
    never go into a digest or an alert)."""
    for path in demo_files():
        url = f"https://{path.stem}.example/feed"
        feed_id = subscribe(people.trainer, url, cohort_id=people.cohort_id)
        with session_scope() as s:
            store_entries(s, s.get(Feed, feed_id), parse_feed(path.read_bytes(), url=url))
    plugins.drain()


def test_digest_and_e_reputation_count_each_demo_story_once(db_url, people):
    _demo_as_followed_feeds(people)
    now, days = utcnow(), timedelta(days=90)  # entries are new (first seen now), from November 2026
    with session_scope() as s:
        titles = dict(s.execute(select(Entry.id, Entry.title)).tuples().all())
        by_link = dict(s.execute(select(Entry.link, Entry.id)).tuples().all())
        digest = create_list(
            s, people.trainer, ListSettings(name="Revue", cohort_id=people.cohort_id, max_items=50)
        )
        draft = build_draft(s, people.trainer, digest.id, since=days, now=now, translate=False)
    in_digest = [{by_link[src.link] for src in item.sources} | {item.entry_id} for item in draft.items]
    for name, told in _tellings(titles).items():
        items = [ids for ids in in_digest if ids & told]
        assert len(items) == 1, name  # one item ...
        assert told <= items[0], name  # ... naming every outlet
    with session_scope() as s:
        watches = [
            W.create_watch(s, people.alice, W.WatchInput(name=name))
            for name in ("Instagram", "LinkedIn", "TikTok")
        ]
    assert [w.mention_count for w in watches] == [1, 1, 1]  # three, four and two outlets: one story each
    with session_scope() as s:
        shares = W.share_of_voice(
            s, people.alice, [w.id for w in watches], since=now - days, until=now + days
        )
        assert [share.mentions for share in shares] == [1, 1, 1]
        assert len(W.mention_rows(s, people.alice, [watches[0].id])) == 3  # every outlet still listed
