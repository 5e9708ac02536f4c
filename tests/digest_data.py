"""A trainer's digest list over a cohort, with feeds and entries from the shared entry factory."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from curation.digest.lists import ListSettings, create_list
from curation.models import Entry, Feed
from tests import entry_factory
from tests.entry_factory import add_feed
from workbench.db import session_scope

__all__ = ["NOW", "add_entry", "add_feed", "cohort_world"]

NOW = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)  # 7 h in Paris: a Saturday


def add_entry(session, feed: Feed, title: str, summary: str = "", *, hours_ago: float = 2, **kw) -> Entry:
    """An entry first seen ``hours_ago`` before ``NOW`` (and published then, unless told)."""
    seen = NOW - timedelta(hours=hours_ago)
    kw.setdefault("published", seen)
    return entry_factory.add_entry(session, feed, title, summary, first_seen=seen, **kw)


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
