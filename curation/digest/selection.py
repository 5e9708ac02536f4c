"""Which entries a digest may hold: the list's sources, and the window of new entries.

The window starts at the end of the list's last digest (or ``--since``), so every new entry is
offered once; the first digest of a list looks back 24 hours.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, type_coerce
from sqlalchemy.orm import Session

from curation.demo import DEMO_STATUS
from curation.digest.models import Digest, DigestList
from curation.digest.ranking import BODY_CHARS, Candidate, Source
from curation.feeds import list_subscriptions
from curation.models import Entry
from curation.sanitize import squeeze
from workbench.access import Actor
from workbench.db import UTCDateTime
from workbench.errors import UserError

DEFAULT_WINDOW = timedelta(hours=24)
_DURATION = re.compile(r"^\s*(\d+)\s*(h|j|d|jours?|heures?|days?|hours?)?\s*$", re.IGNORECASE)


def parse_since(text: str) -> timedelta:
    """``24h``, ``36 h``, ``2j``, ``3d`` (a bare number means hours)."""
    match = _DURATION.match(text or "")
    if not match or int(match.group(1)) == 0:
        raise UserError(f"Durée invalide : « {text} ». Écrivez par exemple 24h (heures) ou 2j (jours).")
    unit = (match.group(2) or "h").lower()
    amount = int(match.group(1))
    return timedelta(days=amount) if unit[0] in "jd" else timedelta(hours=amount)


def list_sources(session: Session, owner: Actor, row: DigestList) -> dict[int, Source]:
    """The feeds the list draws from: the chosen feeds and folders among the owner's
    subscriptions (their own and their cohorts'), or all of them when nothing is chosen (and no
    board either: a list of boards only draws from its boards). Never the demo feeds: a digest
    goes to real people."""
    chosen_feeds, chosen_folders = set(row.feed_ids or []), set(row.folders or [])
    if not chosen_feeds and not chosen_folders and row.board_ids:
        return {}
    subs = [s for s in list_subscriptions(session, owner) if s.status != DEMO_STATUS]
    if row.cohort_id is not None:
        subs = [s for s in subs if s.cohort_id in (None, row.cohort_id)]
    if chosen_feeds or chosen_folders:
        subs = [s for s in subs if s.feed_id in chosen_feeds or s.folder in chosen_folders]
    sources: dict[int, Source] = {}
    for s in subs:  # a feed followed twice (own and cohort): the first folder, by folder then title
        sources.setdefault(s.feed_id, Source(s.feed_id, s.title, s.folder))
    return sources


def window_start(
    session: Session, row: DigestList, now: datetime, since: timedelta | None, today: date
) -> datetime:
    """``since`` before now; else the end of the list's last digest of an earlier day (a digest
    sent again the same day covers the same window and what came since); else 24 hours."""
    if since is not None:
        return now - since
    last = session.scalar(
        select(func.max(Digest.window_end)).where(Digest.list_id == row.id, Digest.day < today)
    )
    return last if last is not None else now - DEFAULT_WINDOW


def load_candidates(
    session: Session,
    feed_ids: list[int],
    start: datetime,
    end: datetime,
    *,
    entry_ids: Collection[int] | None = None,
) -> list[Candidate]:
    """New entries of these feeds first seen in (start, end]; or, given ``entry_ids``, those
    entries of these feeds whenever they came (entries queued for the digest): only the columns ranking reads, and only the beginning of each
    summary (the kept items' summaries are read whole afterwards)."""
    if not feed_ids:
        return []
    when = (
        Entry.id.in_(list(entry_ids))
        if entry_ids is not None
        else (Entry.first_seen_at > start) & (Entry.first_seen_at <= end)
    )
    rows = session.execute(
        select(
            Entry.id,
            Entry.feed_id,
            Entry.title,
            func.substr(Entry.summary, 1, BODY_CHARS),
            Entry.link,
            Entry.image_url,
            Entry.language,
            type_coerce(func.coalesce(Entry.published_at, Entry.first_seen_at), UTCDateTime()),
            Entry.story_id,
        ).where(Entry.feed_id.in_(feed_ids), when)
    ).all()
    return [
        Candidate(
            entry_id=entry_id,
            feed_id=feed_id,
            title=squeeze(title or ""),
            summary=summary or "",
            link=link or "",
            image_url=image or "",
            language=language or "",
            published_at=min(published, end),
            story_id=story,
        )
        for entry_id, feed_id, title, summary, link, image, language, published, story in rows
    ]
