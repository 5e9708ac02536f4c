"""Which entries a person sees (their subscriptions and their cohorts'), under the wall's filters.

Shared by the wall and by search so that both enforce the same rule: nobody ever sees the entries
of a feed that only someone else follows privately.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Select, false, func, or_, select
from sqlalchemy.orm import Session

from curation.models import Entry, EntryState, PendingEntry, Subscription
from workbench.access import Actor, visible_cohort_ids
from workbench.localtime import day_start

__all__ = [
    "EntryColumns",
    "EntryFilters",
    "entry_columns",
    "entry_date",
    "filter_entries",
    "visible_subscriptions",
]


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


def visible_subscriptions(
    session: Session, actor: Actor, cohorts: list[int] | None = None
) -> Select[tuple[Subscription]]:
    """The actor's own subscriptions and those of the cohorts they belong to or run (``cohorts``:
    those cohorts when the caller already read them for the same statement)."""
    cohorts = visible_cohort_ids(session, actor) if cohorts is None else cohorts
    condition = Subscription.user_id == actor.id
    if cohorts:
        condition = or_(condition, Subscription.cohort_id.in_(cohorts))
    return select(Subscription).where(condition)


def entry_date() -> ColumnElement[datetime]:
    """The date an entry is sorted and filtered by: published, else first seen."""
    return func.coalesce(Entry.published_at, Entry.first_seen_at)


@dataclass(frozen=True)
class EntryColumns:
    """Where a statement reads an entry's id, feed, date and language: ``entries`` by default, or a
    table that copies them (SQLite's search index), so the same rule filters both."""

    id: ColumnElement[int]
    feed_id: ColumnElement[int]
    date: ColumnElement[datetime]
    language: ColumnElement[str]


def entry_columns() -> EntryColumns:
    return EntryColumns(Entry.id, Entry.feed_id, entry_date(), Entry.language)


def filter_entries(
    stmt: Select,
    session: Session,
    actor: Actor,
    filters: EntryFilters | None,
    columns: EntryColumns | None = None,
    *,
    cohorts: list[int] | None = None,
) -> Select:
    """``stmt`` restricted to the entries ``actor`` sees, then to ``filters``; the entries are read
    from ``columns`` (the ``entries`` table unless told otherwise); ``cohorts``: the actor's
    visible cohorts when the caller already read them (the wall filters twice per page)."""
    filters = filters or EntryFilters()
    col = columns or entry_columns()
    subs = visible_subscriptions(session, actor, cohorts).subquery()
    feeds = select(subs.c.feed_id)
    if filters.folder is not None:
        feeds = feeds.where(subs.c.folder == filters.folder)
    stmt = stmt.where(col.feed_id.in_(feeds))
    # Not shown until the post-store plugins ran: a rule may hide it, a story may absorb it.
    stmt = stmt.where(col.id.not_in(select(PendingEntry.entry_id)))
    if filters.feed_ids is not None:
        stmt = stmt.where(col.feed_id.in_(filters.feed_ids)) if filters.feed_ids else stmt.where(false())
    if filters.language:
        stmt = stmt.where(col.language == filters.language)
    if filters.date_from is not None:
        stmt = stmt.where(col.date >= day_start(filters.date_from))
    if filters.date_to is not None:
        stmt = stmt.where(col.date < day_start(filters.date_to + timedelta(days=1)))

    def flagged(flag: ColumnElement[bool]) -> Select[tuple[int]]:
        # One set per query (not a lookup per entry): cheap when thousands of entries match.
        return select(EntryState.entry_id).where(EntryState.user_id == actor.id, flag.is_(True))

    if filters.read is not None:
        read = flagged(EntryState.read)
        stmt = stmt.where(col.id.in_(read) if filters.read else col.id.not_in(read))
    if filters.saved is not None:
        saved = flagged(EntryState.saved)
        stmt = stmt.where(col.id.in_(saved) if filters.saved else col.id.not_in(saved))
    if not filters.include_hidden:
        stmt = stmt.where(col.id.not_in(flagged(EntryState.hidden)))
    return stmt
