"""Fixed entries for monitoring tests: stored through the watch engine (so plugins run) or built in memory."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from curation.feeds import get_or_create_feed, subscribe_feed
from curation.monitoring.documents import EntryText
from curation.parse import ParsedEntry, ParsedFeed
from curation.store import store_entries
from workbench.access import Actor
from workbench.db import session_scope, utcnow


def entry_text(
    title: str,
    text: str = "",
    *,
    author: str = "",
    language: str = "fr",
    feed_id: int = 1,
    feed_title: str = "Le Journal",
    entry_id: int = 1,
) -> EntryText:
    now = datetime(2026, 11, 21, 12, tzinfo=UTC)
    return EntryText(
        entry_id,
        feed_id,
        title,
        f"<p>{text}</p>" if text else "",
        "",
        author,
        language,
        f"https://exemple.fr/{entry_id}",
        feed_title,
        "https://journal.example.fr/rss",
        now,
        now,
    )


def parsed(items: list[dict], *, title: str = "Le Journal", when: datetime | None = None) -> ParsedFeed:
    when = when or utcnow()
    entries = []
    for i, item in enumerate(items):
        entries.append(
            ParsedEntry(
                guid=item.get("guid", f"{title}-{i}-{item['title']}"),
                link=item.get("link", f"https://exemple.fr/{abs(hash(item['title']))}"),
                title=item["title"],
                summary=f"<p>{item.get('text', '')}</p>",
                author=item.get("author", ""),
                language=item.get("language", "fr"),
                published_at=item.get("published_at", when - timedelta(minutes=i)),
                content_hash=hashlib.sha256(
                    f"{item['title']}\x1f{item.get('text', '')}".encode()
                ).hexdigest(),
            )
        )
    return ParsedFeed(title=title, language="fr", entries=entries)


def subscribe(
    actor: Actor, url: str, *, folder: str = "", cohort_id: int | None = None, title: str = ""
) -> int:
    """A feed (not fetched) the actor, or a cohort they run, subscribes to; its id."""
    with session_scope() as s:
        feed = get_or_create_feed(s, url)
        if title:
            feed.title = title
        subscribe_feed(s, actor, feed, folder=folder, cohort_id=cohort_id)
        return feed.id


def store(
    feed_id: int, items: list[dict], *, title: str = "Le Journal", when: datetime | None = None
) -> list[int]:
    """Store entries into a feed as a refresh would (post-store plugins included); their ids."""
    from curation.models import Feed

    with session_scope() as s:
        return store_entries(s, s.get(Feed, feed_id), parsed(items, title=title, when=when)).new_ids
