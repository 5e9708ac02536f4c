"""Entries set aside for a list's next digest (the rule action « ajouter à la prochaine revue »).

A rule (or anything acting for the list's owner) queues entries; the next digest built for the
list takes the ones queued inside its window — the same window its new entries come from, so each
queued entry is offered once — and shows them first, in the section « Sélectionné par une règle ».
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from curation.digest.models import DigestList
from workbench.db import Base, UTCDateTime, utcnow

QUEUED_SECTION = "Sélectionné par une règle"


class QueuedEntry(Base):
    """One entry waiting for a list's next digest, and why (« Règle « Orange » »)."""

    __tablename__ = "digest_queue"
    __table_args__ = (UniqueConstraint("list_id", "entry_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("digest_lists.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(300), default="")
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


def queue_entries(
    session: Session, list_id: int, owner_id: int, entry_ids: Iterable[int], *, reason: str
) -> int:
    """Queue entries for the list's next digest, if ``owner_id`` still owns the list; a count.

    Called by rules at refresh time (no person at the keyboard): a list deleted or handed over
    since the rule was written is skipped. Already queued entries are left as they are.
    """
    if session.scalar(select(DigestList.owner_id).where(DigestList.id == list_id)) != owner_id:
        return 0
    ids = set(entry_ids)
    if not ids:
        return 0
    known = set(
        session.scalars(
            select(QueuedEntry.entry_id).where(QueuedEntry.list_id == list_id, QueuedEntry.entry_id.in_(ids))
        )
    )
    now = utcnow()
    rows = [
        {"list_id": list_id, "entry_id": i, "reason": reason[:300], "queued_at": now}
        for i in sorted(ids - known)
    ]
    if rows:
        session.execute(insert(QueuedEntry.__table__), rows)
    return len(rows)


def queued_in_window(session: Session, list_id: int, start: datetime, end: datetime) -> dict[int, str]:
    """Entries queued for the list in (start, end], oldest first → why they were queued."""
    rows = session.execute(
        select(QueuedEntry.entry_id, QueuedEntry.reason)
        .where(QueuedEntry.list_id == list_id, QueuedEntry.queued_at > start, QueuedEntry.queued_at <= end)
        .order_by(QueuedEntry.queued_at, QueuedEntry.id)
    )
    return dict(rows.tuples().all())
