"""Feeds (stored and fetched once per URL), subscriptions, entries and per-person entry states."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workbench.db import Base, UTCDateTime, utcnow


class Feed(Base):
    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True, index=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    site_url: Mapped[str] = mapped_column(String(2048), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(16), default="")
    etag: Mapped[str] = mapped_column(String(500), default="")
    last_modified: Mapped[str] = mapped_column(String(100), default="")
    body_sha256: Mapped[str] = mapped_column(
        String(64), default="", server_default=""
    )  # unchanged body: no parse
    last_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    next_fetch_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    last_status: Mapped[str] = mapped_column(String(16), default="new")  # new, ok, not_modified, error
    last_error: Mapped[str] = mapped_column(Text, default="")  # French, shown to people
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    ttl_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    claimed_by: Mapped[str] = mapped_column(String(100), default="")
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    entries: Mapped[list[Entry]] = relationship(back_populates="feed", cascade="all, delete-orphan")


class Subscription(Base):
    """A person's (or, set by its trainer, a cohort's) subscription to a feed, in a folder."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("feed_id", "user_id", "cohort_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=True, index=True
    )
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), nullable=True, index=True
    )
    folder: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(500), default="")  # the subscriber's own name for the feed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    feed: Mapped[Feed] = relationship()


class Entry(Base):
    __tablename__ = "entries"
    __table_args__ = (
        UniqueConstraint("feed_id", "guid"),
        Index("ix_entries_published", "published_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"), index=True)
    guid: Mapped[str] = mapped_column(String(2048))  # guid, else link, else content hash
    link: Mapped[str] = mapped_column(String(2048), default="")  # canonical: tracking parameters removed
    title: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")  # sanitised HTML
    content: Mapped[str] = mapped_column(Text, default="")  # sanitised HTML
    author: Mapped[str] = mapped_column(String(500), default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    image_url: Mapped[str] = mapped_column(String(2048), default="")
    language: Mapped[str] = mapped_column(String(16), default="")
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    extracted_text: Mapped[str | None] = mapped_column(Text, nullable=True)  # article text, when fetched
    story_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)  # duplicate-story group

    feed: Mapped[Feed] = relationship(back_populates="entries")


class EntryState(Base):
    """Read, saved and hidden, per person."""

    __tablename__ = "entry_states"
    __table_args__ = (UniqueConstraint("user_id", "entry_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    read: Mapped[bool] = mapped_column(Boolean, default=False)
    saved: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class PendingEntry(Base):
    """A stored entry whose post-store plugins (stories, rules…) have not run yet.

    A refresh defers them and runs them over many feeds at once (``curation.plugins.drain``);
    the row is written with the entry, in its transaction, so a crash loses no work: the next
    drain, in any process, picks it up. Pending entries are not shown (rules may hide them)."""

    __tablename__ = "pending_entries"

    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True)
