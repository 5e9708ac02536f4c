"""Tables of the self-assessment: campaigns, attempts, answers, mission levels and stored scores,
and the situational items trainers write in the app (with their versions).

Answers are saved step by step (one row per item, upserted) so an attempt can be resumed; scores
are computed and stored when the attempt is completed, so a later change of the content does not
rewrite past results.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workbench.db import Base, UTCDateTime, utcnow

RATING = "rating"
CHOICE = "choice"


class AssessmentCampaign(Base):
    """A period during which a cohort's trainees are asked to take the self-assessment."""

    __tablename__ = "assessment_campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    opened_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AssessmentAttempt(Base):
    __tablename__ = "assessment_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment_campaigns.id", ondelete="SET NULL"), nullable=True, index=True
    )
    step: Mapped[int] = mapped_column(Integer, default=0)  # where to resume
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)

    answers: Mapped[list[AssessmentAnswer]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="AssessmentAnswer.id"
    )
    mission_levels: Mapped[list[MissionLevel]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="MissionLevel.id"
    )
    results: Mapped[list[CompetenceResult]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="CompetenceResult.id"
    )


class AssessmentAnswer(Base):
    """One answer: a 1–5 rating of a statement, or the option chosen for a situational item."""

    __tablename__ = "assessment_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_attempts.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(8))  # RATING or CHOICE
    value: Mapped[str] = mapped_column(String(8))
    # the version of a trainer-made item answered (None for bundled content): kept for results
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MissionLevel(Base):
    """The mastery level a trainee gives themself for one mission, in one attempt."""

    __tablename__ = "assessment_mission_levels"
    __table_args__ = (UniqueConstraint("attempt_id", "mission_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_attempts.id", ondelete="CASCADE"), index=True
    )
    mission_id: Mapped[str] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(20))


class CompetenceResult(Base):
    """A competence's score in a completed attempt (``score`` is None when not scored)."""

    __tablename__ = "assessment_results"
    __table_args__ = (UniqueConstraint("attempt_id", "competence_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_attempts.id", ondelete="CASCADE"), index=True
    )
    competence_id: Mapped[str] = mapped_column(String(40))
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    self_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    judgement_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    answered: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)


class TrainerItem(Base):
    """A situational item written in the app by a trainer: its competence, owner and sharing
    (``training_modules.sharing``). Its content lives in its versions; the id never names a bundled
    item (``items_library.ITEM_PREFIX``)."""

    __tablename__ = "trainer_items"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    competence_id: Mapped[str] = mapped_column(String(40))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    sharing: Mapped[str] = mapped_column(String(10), default="private")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class TrainerItemVersion(Base):
    """One version of a trainer-made item: the body a competence file would hold for it (no id).

    A version an attempt has answered is never changed again: editing it makes the next one, so
    results, feedback and reports show the version answered (``AssessmentAnswer.version``)."""

    __tablename__ = "trainer_item_versions"
    __table_args__ = (UniqueConstraint("item_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("trainer_items.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
