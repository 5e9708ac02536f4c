"""Exercise storage: trainer-made exercises and their versions, assignments to cohorts, attempts
with their automatic result, trainer reviews, and crisis live sessions (released events and answer
times)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workbench.db import Base, UTCDateTime, utcnow

IN_PROGRESS = "in_progress"
SUBMITTED = "submitted"  # handed in, automatic result final unless the trainer reviews it
NEEDS_REVIEW = "needs_review"  # handed in, a trainer must grade it
GRADED = "graded"  # the trainer graded it; the trainee does not see it yet
RELEASED = "feedback_released"
STATUSES = (IN_PROGRESS, SUBMITTED, NEEDS_REVIEW, GRADED, RELEASED)


class TrainerExercise(Base):
    """An exercise written in the app by a trainer: who owns it and who may see it.

    Its content lives in its versions; the id never names a bundled file (``loader.TRAINER_PREFIX``).
    """

    __tablename__ = "trainer_exercises"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    sharing: Mapped[str] = mapped_column(String(10), default="private")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class TrainerExerciseVersion(Base):
    """One version of a trainer-made exercise: the YAML-shaped body a file would hold.

    A version someone has started is never changed again: editing it makes the next one, so work
    is graded and shown against the version it was done on. ``datasets`` maps the file names the
    body uses (``posts_csv``…) to uploaded files (``ExerciseDataset.digest``).
    """

    __tablename__ = "trainer_exercise_versions"
    __table_args__ = (UniqueConstraint("exercise_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    exercise_id: Mapped[str] = mapped_column(
        ForeignKey("trainer_exercises.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    datasets: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class EditorDraft(Base):
    """What a trainer has typed in the library's form and not saved yet, per thing edited
    (``target``: « exercise:<id> », « new:<kind> », « item:<id> »…): a reload comes back to it."""

    __tablename__ = "library_editor_drafts"
    __table_args__ = (UniqueConstraint("user_id", "target"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    target: Mapped[str] = mapped_column(String(120))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ExerciseDataset(Base):
    """An uploaded dataset (a KPI exercise's CSV), stored once by the SHA-256 of its bytes."""

    __tablename__ = "exercise_datasets"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Assignment(Base):
    """An exercise given to a cohort by its trainer, with a due date."""

    __tablename__ = "exercise_assignments"
    __table_args__ = (UniqueConstraint("cohort_id", "exercise_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    exercise_id: Mapped[str] = mapped_column(String(80))
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    assigned_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Submission(Base):
    """One attempt of one trainee at one exercise (a draft until submitted)."""

    __tablename__ = "exercise_submissions"
    # At most one draft per trainee and exercise: the work in progress a reload comes back to.
    __table_args__ = (
        Index(
            "uq_exercise_submissions_one_draft",
            "user_id",
            "exercise_id",
            unique=True,
            sqlite_where=text(f"status = '{IN_PROGRESS}'"),
            postgresql_where=text(f"status = '{IN_PROGRESS}'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    exercise_id: Mapped[str] = mapped_column(String(80), index=True)
    # The trainer-made exercise's version the work is done on; None for a bundled exercise.
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(20), default=IN_PROGRESS, index=True)
    answer: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    auto_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    review: Mapped[Review | None] = relationship(back_populates="submission", cascade="all, delete-orphan")

    @property
    def final_score(self) -> float | None:
        """The trainer's grid score once given, else the automatic one: a comment alone changes nothing."""
        graded = self.review is not None and self.review.score is not None
        return self.review.score if graded else self.auto_score  # type: ignore[union-attr]


class Review(Base):
    """The trainer's grid points, score and comment on a submission; visible once released.

    A comment without the grid leaves ``score`` empty: the automatic score stands.
    """

    __tablename__ = "exercise_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("exercise_submissions.id", ondelete="CASCADE"), unique=True
    )
    trainer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    rubric_points: Mapped[list[int]] = mapped_column(JSON, default=list)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)  # grid %; None: comment only
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    submission: Mapped[Submission] = relationship(back_populates="review")


class CrisisLiveSession(Base):
    """A crisis scenario played live by a cohort: the trainer releases each round of events."""

    __tablename__ = "crisis_live_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    exercise_id: Mapped[str] = mapped_column(String(80))
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)  # as Submission.version
    trainer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class CrisisRelease(Base):
    """When the trainer released round ``round`` (1 = first event) to the whole cohort."""

    __tablename__ = "crisis_live_releases"
    __table_args__ = (UniqueConstraint("live_id", "round"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    live_id: Mapped[int] = mapped_column(
        ForeignKey("crisis_live_sessions.id", ondelete="CASCADE"), index=True
    )
    round: Mapped[int] = mapped_column(Integer)
    released_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CrisisLiveAnswer(Base):
    """A trainee's decision in one round, and how long after the release it came."""

    __tablename__ = "crisis_live_answers"
    __table_args__ = (UniqueConstraint("live_id", "user_id", "round"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    live_id: Mapped[int] = mapped_column(
        ForeignKey("crisis_live_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    step_id: Mapped[str] = mapped_column(String(40))
    choice_id: Mapped[str] = mapped_column(String(40))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    response_seconds: Mapped[float] = mapped_column(Float)
