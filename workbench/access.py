"""Who may read and write what. Library functions call these; pages only hide what is refused.

Rules: a trainee reads and writes only their own records; a trainer reads the records of the
trainees in the cohorts they run, and writes only the cohorts they run.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.errors import AccessDenied
from workbench.models import TRAINER, Cohort, Membership, User


@dataclass(frozen=True)
class Actor:
    """The person acting, as the libraries see them (no Streamlit, no ORM session attached)."""

    id: int
    role: str
    email: str = ""
    display_name: str = ""

    @property
    def is_trainer(self) -> bool:
        return self.role == TRAINER

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(id=user.id, role=user.role, email=user.email, display_name=user.display_name)


def require_trainer(actor: Actor) -> None:
    if not actor.is_trainer:
        raise AccessDenied("Cette action est réservée aux formateurs.")


def trainer_cohort_ids(session: Session, actor: Actor) -> list[int]:
    """The cohorts this trainer runs (empty for a trainee)."""
    if not actor.is_trainer:
        return []
    return list(session.scalars(select(Cohort.id).where(Cohort.trainer_id == actor.id)))


def member_cohort_ids(session: Session, user_id: int, *, active_only: bool = True) -> list[int]:
    """The cohorts a trainee belongs to."""
    stmt = select(Membership.cohort_id).where(Membership.user_id == user_id)
    if active_only:
        stmt = stmt.where(Membership.active.is_(True))
    return list(session.scalars(stmt))


def visible_cohort_ids(session: Session, actor: Actor) -> list[int]:
    """Cohorts the actor can see: the ones they run, or the ones they belong to."""
    return trainer_cohort_ids(session, actor) if actor.is_trainer else member_cohort_ids(session, actor.id)


def require_cohort_trainer(session: Session, actor: Actor, cohort_id: int) -> Cohort:
    """The cohort, if ``actor`` runs it; refused otherwise."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None or cohort.trainer_id != actor.id:
        raise AccessDenied("Seul le formateur de cette session peut faire cela.")
    return cohort


def require_cohort_visible(session: Session, actor: Actor, cohort_id: int) -> Cohort:
    cohort = session.get(Cohort, cohort_id)
    if cohort is None or cohort_id not in visible_cohort_ids(session, actor):
        raise AccessDenied("Vous ne faites pas partie de cette session de formation.")
    return cohort


def can_read_user(session: Session, actor: Actor, user_id: int) -> bool:
    """Oneself, or a trainee of one of the actor's cohorts."""
    if actor.id == user_id:
        return True
    if not actor.is_trainer:
        return False
    cohorts = trainer_cohort_ids(session, actor)
    if not cohorts:
        return False
    found = session.scalar(
        select(Membership.id).where(Membership.user_id == user_id, Membership.cohort_id.in_(cohorts)).limit(1)
    )
    return found is not None


def require_read_user(session: Session, actor: Actor, user_id: int) -> None:
    if not can_read_user(session, actor, user_id):
        raise AccessDenied("Vous ne pouvez consulter que vos propres données.")


def require_self(actor: Actor, user_id: int) -> None:
    """Writes on personal records: only their owner."""
    if actor.id != user_id:
        raise AccessDenied("Vous ne pouvez modifier que vos propres données.")
