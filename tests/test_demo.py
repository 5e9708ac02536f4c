"""Bundled demo content: loads offline, idempotent, illustrated, never fetched, given to newcomers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from curation import fetch
from curation.bundled_images import DEMO_IMAGE_URL
from curation.demo import DEMO_FOLDER, demo_files, ensure_starter_subscriptions, load_demo_content
from curation.feeds import list_subscriptions
from curation.models import Entry, Feed
from curation.refresh import refresh_feeds
from workbench.db import session_scope, utcnow


def test_demo_loads_offline_once_with_images_and_both_languages(db_url, monkeypatch) -> None:
    def no_network(*args, **kwargs):
        raise AssertionError("the demo must not touch the network")

    monkeypatch.setattr(fetch, "resolve_host", no_network)
    with session_scope() as s:
        first = load_demo_content(s)
    with session_scope() as s:
        assert load_demo_content(s) == 0  # idempotent
        entries = list(s.scalars(select(Entry)))
        feeds = list(s.scalars(select(Feed)))
    assert first == len(entries) >= 25 and 6 <= len(feeds) == len(demo_files()) <= 8
    assert {e.language for e in entries} == {"fr", "en"}
    assert sum(e.image_url.startswith(DEMO_IMAGE_URL) for e in entries) >= 20
    assert any('src="data:image/svg+xml;base64,' in e.content for e in entries)  # kept by the sanitiser
    newest = max(e.published_at for e in entries if e.published_at)
    assert timedelta(hours=1) < utcnow() - newest < timedelta(hours=3)  # a fresh-looking wall
    assert all(f.last_status == "demo" for f in feeds)
    # Cross-posted stories for the duplicate grouping: same story, several outlets.
    instagram = [e for e in entries if "Instagram" in e.title and ("j’aime" in e.title or "like" in e.title)]
    assert len({e.feed_id for e in instagram}) >= 3
    assert refresh_feeds(force=True).feeds == 0  # demo feeds are never fetched


def test_newcomers_get_the_demo_feeds_once(people) -> None:
    with session_scope() as s:
        assert ensure_starter_subscriptions(s, people.zoe) == len(demo_files())
    with session_scope() as s:
        assert ensure_starter_subscriptions(s, people.zoe) == 0
        views = list_subscriptions(s, people.zoe)
        assert {v.folder for v in views} == {DEMO_FOLDER} and all(v.status == "demo" for v in views)
        assert s.scalar(select(func.count(Feed.id))) == len(demo_files())
