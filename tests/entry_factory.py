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


FOLDERS = ["Réseaux sociaux", "Concurrents", "Presse", "Marketing", "Influence", "Tech", "Local", "Veille EN"]
ERRORS = [
    "Page introuvable (erreur 404)\u00a0: le flux a peut-être changé d’adresse, vérifiez le lien.",
    "Nom de domaine introuvable (ancien-blog.example)\u00a0: vérifiez l’adresse.",
    "Le site est en panne (erreur 503)\u00a0: un nouvel essai aura lieu plus tard.",
    "Ce n’est pas un flux RSS ou Atom mais une page web\u00a0: cherchez le lien du flux sur le site.",
]


def add_many_subscriptions(
    session: Session, user_id: int, count: int, *, errors: int, pending: int, entries_per_feed: int = 2
) -> None:
    """``count`` feeds followed by one person, as an imported OPML leaves them after a refresh: the
    first ``errors`` in error, the next ``pending`` not fetched yet, the rest OK with a few entries.

    Written in a few bulk inserts (a 1,000-subscription account in well under a second)."""
    start = next(_counter)
    now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    feeds = []
    for i in range(count):
        status = "error" if i < errors else "new" if i < errors + pending else "ok"
        feeds.append(
            {
                "url": f"https://source-{start}-{i:04d}.example/feed",
                "title": f"Source {i:04d} {FOLDERS[i % len(FOLDERS)]}",
                "last_status": status,
                "last_error": ERRORS[i % len(ERRORS)] if status == "error" else "",
                "error_count": 3 if status == "error" else 0,
                "last_fetched_at": None if status == "new" else now,
            }
        )
    session.execute(Feed.__table__.insert(), feeds)
    ids = dict(
        session.execute(
            Feed.__table__.select()
            .with_only_columns(Feed.url, Feed.id)
            .where(Feed.url.in_([f["url"] for f in feeds]))
        )
        .tuples()
        .all()
    )
    feed_ids = [ids[f["url"]] for f in feeds]
    session.execute(
        Subscription.__table__.insert(),
        [
            {"feed_id": feed_id, "user_id": user_id, "folder": FOLDERS[i % len(FOLDERS)], "title": ""}
            for i, feed_id in enumerate(feed_ids)
        ],
    )
    entries = [
        {
            "feed_id": feed_id,
            "guid": f"urn:many:{feed_id}:{k}",
            "link": f"https://news.example/{feed_id}/{k}",
            "title": f"Article {k} de la source {i:04d}",
            "published_at": now,
            "first_seen_at": now,
            "language": "fr",
        }
        for i, feed_id in enumerate(feed_ids)
        if i >= errors + pending
        for k in range(entries_per_feed)
    ]
    if entries:
        session.execute(Entry.__table__.insert(), entries)
