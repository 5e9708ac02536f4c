"""Rules, their matches, monitoring watches, their mentions and the alerts sent to people."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workbench.db import Base, UTCDateTime, utcnow


class Rule(Base):
    """A person's rule (``user_id``) or, written by its trainer, a cohort's rule (``cohort_id``)."""

    __tablename__ = "monitoring_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=True, index=True
    )
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), nullable=True, index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    name: Mapped[str] = mapped_column(String(200))
    query: Mapped[str] = mapped_column(Text)  # the rule language (see curation.monitoring.query)
    actions: Mapped[dict] = mapped_column(JSON, default=dict)  # see curation.monitoring.rules.RuleActions
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    last_applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class RuleMatch(Base):
    """An entry a rule matched for one person (what « highlight » shows, what the counts count)."""

    __tablename__ = "monitoring_rule_matches"
    __table_args__ = (UniqueConstraint("rule_id", "user_id", "entry_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("monitoring_rules.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    highlight: Mapped[bool] = mapped_column(Boolean, default=False)
    matched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Watch(Base):
    """A brand, person, product or topic a person monitors, with its variants and exclusions."""

    __tablename__ = "monitoring_watches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default="brand")  # brand, person, product, topic
    variants: Mapped[list] = mapped_column(JSON, default=list)  # words or phrases naming it
    exclusions: Mapped[list] = mapped_column(JSON, default=list)  # words or phrases around a false mention
    case_sensitive: Mapped[bool] = mapped_column(Boolean, default=False)  # « Orange » but not « orange »
    alert_threshold: Mapped[int] = mapped_column(Integer, default=0)  # mentions per hour; 0 = off
    alert_negative_feed_ids: Mapped[list] = mapped_column(JSON, default=list)  # any negative mention there
    alert_period_minutes: Mapped[int] = mapped_column(Integer, default=60)  # at most one alert per period
    alert_email: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Mention(Base):
    """An entry that names a watch: where, in what words, with what estimated tone."""

    __tablename__ = "monitoring_mentions"
    __table_args__ = (
        UniqueConstraint("watch_id", "entry_id"),
        Index("ix_monitoring_mentions_watch_time", "watch_id", "mentioned_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    watch_id: Mapped[int] = mapped_column(ForeignKey("monitoring_watches.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"), index=True)
    snippet: Mapped[str] = mapped_column(Text, default="")  # plain text around the mention
    spans: Mapped[list] = mapped_column(JSON, default=list)  # [[start, end], ...] of the names in it
    matched: Mapped[str] = mapped_column(String(200), default="")  # the variant found first
    tone: Mapped[str] = mapped_column(String(16), default="neutral")  # positive, negative, neutral
    tone_score: Mapped[int] = mapped_column(Integer, default=0)
    language: Mapped[str] = mapped_column(String(16), default="")
    mentioned_at: Mapped[datetime] = mapped_column(UTCDateTime)  # published (never later than first seen)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Alert(Base):
    """A notification: a watch passed its threshold, or a rule with the « alert » action matched.

    ``subject`` ("watch:12", "rule:5") and ``period_start`` are unique per person: at most one
    alert per watch (or rule) per period, even when two refreshes run at once.
    """

    __tablename__ = "monitoring_alerts"
    __table_args__ = (UniqueConstraint("user_id", "subject", "period_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(40))
    watch_id: Mapped[int | None] = mapped_column(
        ForeignKey("monitoring_watches.id", ondelete="CASCADE"), nullable=True, index=True
    )
    rule_id: Mapped[int | None] = mapped_column(
        ForeignKey("monitoring_rules.id", ondelete="CASCADE"), nullable=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # volume, negative, rule
    period_start: Mapped[datetime] = mapped_column(UTCDateTime)
    title: Mapped[str] = mapped_column(String(300))
    message: Mapped[str] = mapped_column(Text)
    entry_ids: Mapped[list] = mapped_column(JSON, default=list)
    email_status: Mapped[str] = mapped_column(String(16), default="")  # "", pending, sent, failed
    email_error: Mapped[str] = mapped_column(Text, default="")
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
