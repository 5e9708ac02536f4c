"""Feeds, subscriptions and entries written straight through the models, for search/wall/story tests."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from curation.models import Entry, Feed, Subscription

_counter = itertools.count(1)


def add_feed(
    session: Session,
    title: str,
    *,
    user_id: int | None = None,
    cohort_id: int | None = None,
    folder: str = "",
) -> Feed:
    feed = Feed(url=f"https://{title.lower().replace(' ', '-')}-{next(_counter)}.example/rss", title=title)
    session.add(feed)
    session.flush()
    if user_id is not None or cohort_id is not None:
        subscribe(session, feed, user_id=user_id, cohort_id=cohort_id, folder=folder)
    return feed


def subscribe(
    session: Session,
    feed: Feed,
    *,
    user_id: int | None = None,
    cohort_id: int | None = None,
    folder: str = "",
) -> Subscription:
    sub = Subscription(feed_id=feed.id, user_id=user_id, cohort_id=cohort_id, folder=folder)
    session.add(sub)
    session.flush()
    return sub


def add_entry(
    session: Session,
    feed: Feed,
    title: str,
    summary: str = "",
    *,
    published: datetime | None = None,
    language: str = "fr",
    extracted_text: str | None = None,
    link: str | None = None,
    image_url: str = "",
    first_seen: datetime | None = None,
    story_id: int | None = None,
) -> Entry:
    n = next(_counter)
    entry = Entry(
        feed_id=feed.id,
        guid=f"urn:entry:{n}",
        link=link or f"https://news.example/{feed.id}/{n}",
        title=title,
        summary=summary,
        published_at=published or datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
        language=language,
        extracted_text=extracted_text,
        image_url=image_url,
        story_id=story_id,
    )
    if first_seen is not None:
        entry.first_seen_at = first_seen
    session.add(entry)
    session.flush()
    return entry
