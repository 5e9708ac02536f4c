"""Which entries a person sees (their subscriptions and their cohorts'), under the wall's filters.

Shared by the wall and by search so that both enforce the same rule: nobody ever sees the entries
of a feed that only someone else follows privately.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, or_, select
from sqlalchemy.orm import Session

from curation.models import Entry, EntryState, Subscription
from workbench.access import Actor, visible_cohort_ids

__all__ = ["EntryFilters", "entry_date", "filter_entries", "visible_subscriptions"]


@dataclass(frozen=True)
class EntryFilters:
    """What the wall and search narrow entries by. ``None`` means « no filter »."""

    date_from: date | None = None  # inclusive, by publication date (else first seen)
    date_to: date | None = None  # inclusive
    feed_ids: tuple[int, ...] | None = None  # sources
    folder: str | None = None  # a folder of the person's (or their cohort's) subscriptions
    language: str | None = None  # "fr", "en"...
    read: bool | None = None  # False: unread only, True: read only
    saved: bool | None = None
    include_hidden: bool = False


def visible_subscriptions(session: Session, actor: Actor) -> Select[tuple[Subscription]]:
    """The actor's own subscriptions and those of the cohorts they belong to or run."""
    cohorts = visible_cohort_ids(session, actor)
    condition = Subscription.user_id == actor.id
    if cohorts:
        condition = or_(condition, Subscription.cohort_id.in_(cohorts))
    return select(Subscription).where(condition)


def entry_date() -> ColumnElement[datetime]:
    """The date an entry is sorted and filtered by: published, else first seen."""
    return func.coalesce(Entry.published_at, Entry.first_seen_at)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def filter_entries(stmt: Select, session: Session, actor: Actor, filters: EntryFilters | None) -> Select:
    """``stmt`` (selecting from ``entries``) restricted to what ``actor`` sees, then to ``filters``."""
    filters = filters or EntryFilters()
    subs = visible_subscriptions(session, actor).subquery()
    feeds = select(subs.c.feed_id)
    if filters.folder is not None:
        feeds = feeds.where(subs.c.folder == filters.folder)
    stmt = stmt.where(Entry.feed_id.in_(feeds))
    if filters.feed_ids is not None:
        stmt = stmt.where(Entry.feed_id.in_(filters.feed_ids)) if filters.feed_ids else stmt.where(false())
    if filters.language:
        stmt = stmt.where(Entry.language == filters.language)
    if filters.date_from is not None:
        stmt = stmt.where(entry_date() >= _day_start(filters.date_from))
    if filters.date_to is not None:
        stmt = stmt.where(entry_date() < _day_start(filters.date_to + timedelta(days=1)))

    def state(flag: ColumnElement[bool]) -> ColumnElement[bool]:
        return exists().where(
            and_(EntryState.entry_id == Entry.id, EntryState.user_id == actor.id, flag.is_(True))
        )

    if filters.read is not None:
        stmt = stmt.where(state(EntryState.read) if filters.read else ~state(EntryState.read))
    if filters.saved is not None:
        stmt = stmt.where(state(EntryState.saved) if filters.saved else ~state(EntryState.saved))
    if not filters.include_hidden:
        stmt = stmt.where(~state(EntryState.hidden))
    return stmt
