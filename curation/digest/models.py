"""Recipient lists, archived digests and per-recipient deliveries."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workbench.db import Base, UTCDateTime, utcnow

# Delivery statuses.
PENDING = "pending"
SENT = "sent"
FAILED = "failed"  # retried at the next run
ABANDONED = "abandoned"  # failed MAX_ATTEMPTS times: shown, no longer retried
SKIPPED = "skipped"  # the person opted out before the retry

SECTION_BY_FOLDER = "folder"
SECTION_BY_TOPIC = "topic"
SECTION_BY_BOARD = "board"


class DigestList(Base):
    """Who receives a digest (a cohort's members and/or addresses) and what goes in it."""

    __tablename__ = "digest_lists"
    __table_args__ = (UniqueConstraint("name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), nullable=True, index=True
    )
    addresses: Mapped[list[str]] = mapped_column(JSON, default=list)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    feed_ids: Mapped[list[int]] = mapped_column(JSON, default=list)  # empty: every source of the owner
    folders: Mapped[list[str]] = mapped_column(JSON, default=list)
    board_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    source_weights: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # feed id → weight
    max_items: Mapped[int] = mapped_column(Integer, default=10)
    schedule_hour: Mapped[int] = mapped_column(Integer, default=7)  # Europe/Paris
    section_by: Mapped[str] = mapped_column(String(16), default=SECTION_BY_FOLDER)
    intro: Mapped[str] = mapped_column(Text, default="")
    translate: Mapped[bool] = mapped_column(default=True)
    # Secret part of the list's Atom feed address (None: no public feed); see curation.digest.atom.
    feed_token: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Digest(Base):
    """One published digest, exactly as sent (rendered forms kept for the history and retries)."""

    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("list_id", "day", "revision"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("digest_lists.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)  # Europe/Paris date it was published for
    revision: Mapped[int] = mapped_column(Integer, default=0)  # >0: sent again with --force
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    window_end: Mapped[datetime] = mapped_column(UTCDateTime)
    subject: Mapped[str] = mapped_column(String(300))
    html: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    markdown: Mapped[str] = mapped_column(Text)
    item_count: Mapped[int] = mapped_column(Integer, default=0)
    entry_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    deliveries: Mapped[list[Delivery]] = relationship(
        back_populates="digest", cascade="all, delete-orphan", order_by="Delivery.id"
    )


class Delivery(Base):
    """One recipient of one digest: pending, sent, failed (French error, retried) or abandoned."""

    __tablename__ = "digest_deliveries"
    __table_args__ = (UniqueConstraint("digest_id", "email"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest_id: Mapped[int] = mapped_column(ForeignKey("digests.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default=PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    message_id: Mapped[str] = mapped_column(String(300), default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    digest: Mapped[Digest] = relationship(back_populates="deliveries")
