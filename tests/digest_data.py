"""A trainer's digest list over a cohort, with feeds and entries written straight through the models."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from curation.digest.lists import ListSettings, create_list
from curation.models import Entry, Feed, Subscription
from workbench.db import session_scope

NOW = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)  # 7 h in Paris: a Saturday
_n = itertools.count(1)


def add_feed(session, title: str, *, cohort_id=None, user_id=None, folder: str = "") -> Feed:
    feed = Feed(url=f"https://{next(_n)}.example/rss", title=title)
    session.add(feed)
    session.flush()
    session.add(Subscription(feed_id=feed.id, cohort_id=cohort_id, user_id=user_id, folder=folder))
    session.flush()
    return feed


def add_entry(session, feed: Feed, title: str, summary: str = "", *, hours_ago: float = 2, **kw) -> Entry:
    n = next(_n)
    seen = kw.pop("seen", NOW - timedelta(hours=hours_ago))
    entry = Entry(
        feed_id=feed.id,
        guid=f"urn:e:{n}",
        link=kw.pop("link", f"https://news.example/{n}"),
        title=title,
        summary=summary,
        published_at=kw.pop("published", seen),
        first_seen_at=seen,
        language=kw.pop("language", "fr"),
        **kw,
    )
    session.add(entry)
    session.flush()
    return entry


def cohort_world(people, url: str, **settings) -> int:
    """Two cohort feeds with a few entries; a list over the cohort; returns the list id."""
    with session_scope(url) as s:
        fr = add_feed(s, "Le Blog du Modérateur", cohort_id=people.cohort_id, folder="Réseaux sociaux")
        en = add_feed(s, "Social Media Today", cohort_id=people.cohort_id, folder="Anglais")
        add_entry(s, fr, "TikTok teste les publications longues", "<p>Le réseau <b>teste</b> un format.</p>",
                  image_url="https://img.example/tiktok.jpg")  # fmt: skip
        add_entry(s, fr, "Instagram et l’engagement des marques", "Étude sur l’engagement.", hours_ago=5)
        add_entry(s, en, "Hello world", "Our reach grew.", language="en", hours_ago=3)
        add_entry(s, fr, "Vieil article", "Trop ancien.", hours_ago=60)
        values = {"name": "Promo CM 2026", "cohort_id": people.cohort_id, "keywords": ["engagement"]}
        values.update(settings)
        return create_list(s, people.trainer, ListSettings(**values)).id
