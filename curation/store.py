"""Storing a parsed feed: idempotent upserts of its entries, inside the caller's transaction.

Used by the refresh, by adding a feed (first entries at once) and by the bundled demo content.
An entry is keyed by (feed, guid): a re-fetch inserts only what is new and updates only what
changed (``content_hash``); the language is detected only for entries inserted or changed. The text
half of a new entry's story fingerprint, when the parsing process computed it, is stored with the
entry (``story_fingerprints``): grouping then reads it instead of computing it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from curation.language import detect_languages
from curation.models import Entry, Feed
from curation.parse import ParsedEntry, ParsedFeed
from curation.plugins import defer, run_post_store
from curation.story_models import StoryFingerprint
from workbench.db import utcnow

GUID_BATCH = 500


@dataclass
class StoreResult:
    new_ids: list[int] = field(default_factory=list)
    updated: int = 0
    failed_plugins: list[str] = field(default_factory=list)


def _row(entry: ParsedEntry, feed_language: str) -> dict[str, object]:
    """The entry's columns; ``language`` is "" when it must be detected (done in one batch)."""
    language = entry.language or feed_language or entry.detected_language or ""
    return {
        "guid": entry.guid,
        "link": entry.link[:2048],
        "title": entry.title,
        "summary": entry.summary,
        "content": entry.content,
        "author": entry.author[:500],
        "published_at": entry.published_at,
        "updated_at": entry.updated_at,
        "image_url": entry.image_url if len(entry.image_url) <= 2048 else "",
        "language": language[:16],
        "content_hash": entry.content_hash,
    }


def _story_rows(
    ids: dict[str, int], rows: list[dict[str, object]], entries: list[ParsedEntry]
) -> list[dict[str, object]]:
    """The ``story_fingerprints`` rows of the new entries whose story text was computed (``ids``:
    entry id by guid); dated as grouping dates an entry: published, else first seen."""
    return [
        {
            "entry_id": ids[entry.guid],
            "feed_id": row["feed_id"],
            "at": row["published_at"] or row["first_seen_at"],
            "title_tokens": told.title_words,
            "shingles": told.shingles.tobytes(),
            "tail": told.tail.tobytes(),
            "facts": told.facts.tobytes(),
        }
        for row, entry in zip(rows, entries, strict=True)
        if (told := entry.story) is not None
    ]


def store_entries(
    session: Session,
    feed: Feed,
    parsed: ParsedFeed,
    *,
    now: datetime | None = None,
    defer_plugins: bool = False,
) -> StoreResult:
    """Upsert the entries of ``parsed`` into ``feed`` and update the feed's description fields.

    The post-store plugins run on the new entries at once, or later with ``defer_plugins`` (a
    refresh drains them for many feeds together: ``curation.plugins.drain``)."""
    now = now or utcnow()
    result = StoreResult()
    if parsed.title:
        feed.title = parsed.title[:500]
    if parsed.site_url:
        feed.site_url = parsed.site_url[:2048]
    if parsed.description:
        feed.description = parsed.description
    if parsed.language:
        feed.language = parsed.language[:16]
    feed.ttl_minutes = parsed.ttl_minutes
    unique: dict[str, ParsedEntry] = {}
    for entry in parsed.entries:
        unique.setdefault(entry.guid, entry)
    existing: dict[str, tuple[int, str]] = {}
    guids = list(unique)
    for start in range(0, len(guids), GUID_BATCH):
        chunk = guids[start : start + GUID_BATCH]
        for entry_id, guid, content_hash in session.execute(
            select(Entry.id, Entry.guid, Entry.content_hash).where(
                Entry.feed_id == feed.id, Entry.guid.in_(chunk)
            )
        ):
            existing[guid] = (entry_id, content_hash)
    new_rows: list[dict[str, object]] = []
    new_entries: list[ParsedEntry] = []
    changed: list[tuple[int, dict[str, object]]] = []
    undetected: list[tuple[dict[str, object], ParsedEntry]] = []
    # Oldest first, so that new entries of one document get increasing ids in publication order.
    for offset, entry in enumerate(reversed(list(unique.values()))):
        known = existing.get(entry.guid)
        if known is None:
            row = _row(entry, parsed.language or feed.language)
            row["feed_id"] = feed.id
            row["first_seen_at"] = now + timedelta(microseconds=offset)
            new_rows.append(row)
            new_entries.append(entry)
        elif known[1] != entry.content_hash:
            row = _row(entry, parsed.language or feed.language)
            row.pop("guid")
            changed.append((known[0], row))
        else:
            continue
        if not row["language"] and entry.detected_language is None:
            undetected.append((row, entry))
    if undetected:
        detected = detect_languages([entry.text_for_language() for _, entry in undetected])
        for (row, _), language in zip(undetected, detected, strict=True):
            row["language"] = language
    for entry_id, values in changed:
        session.execute(update(Entry).where(Entry.id == entry_id).values(**values))
    if changed:  # a story text stored with an entry not grouped yet no longer tells its text
        ungrouped = select(Entry.id).where(Entry.id.in_([i for i, _ in changed]), Entry.story_id.is_(None))
        session.execute(delete(StoryFingerprint).where(StoryFingerprint.entry_id.in_(ungrouped)))
    result.updated = len(changed)
    if new_rows:
        entries = Entry.__table__  # Core statements: the ORM's bulk layer costs more than the insert
        ids = {
            guid: i
            for guid, i in session.execute(insert(entries).returning(entries.c.guid, entries.c.id), new_rows)
        }
        result.new_ids = list(ids.values())
        stories = _story_rows(ids, new_rows, new_entries)
        if stories:
            session.execute(insert(StoryFingerprint.__table__), stories)
    session.flush()
    if defer_plugins:
        defer(session, result.new_ids)
    else:
        result.failed_plugins = run_post_store(session, result.new_ids)
    return result
