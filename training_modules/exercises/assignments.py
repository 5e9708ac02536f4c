"""Trainers give exercises to their cohorts with a due date; trainees see what they were given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from training_modules.exercises.loader import find_exercises, get_exercise
from training_modules.exercises.models import Assignment
from training_modules.library import require_usable
from workbench.access import Actor, member_cohort_ids, require_cohort_trainer
from workbench.errors import NotFound, UserError
from workbench.localtime import today
from workbench.models import Cohort


@dataclass(frozen=True)
class AssignmentView:
    id: int
    cohort_id: int
    cohort_name: str
    exercise_id: str
    title: str
    kind: str
    due_on: date | None
    created_at: datetime


def _views(session: Session, rows: list[tuple[Assignment, str]]) -> list[AssignmentView]:
    """Assignments with their exercise's latest title (an exercise gone since is left out)."""
    found = find_exercises(session, [(a.exercise_id, None) for a, _ in rows])
    return [
        AssignmentView(a.id, a.cohort_id, name, a.exercise_id, ex.title, ex.kind, a.due_on, a.created_at)
        for a, name in rows
        if (ex := found.get((a.exercise_id, None))) is not None
    ]


def assign(
    session: Session, actor: Actor, *, cohort_id: int, exercise_id: str, due_on: date | None
) -> AssignmentView:
    """Give an exercise to a cohort (giving it again only changes the due date); a trainer-made one
    only if its sharing lets ``actor`` assign it."""
    cohort = require_cohort_trainer(session, actor, cohort_id)
    require_usable(session, actor, exercise_id, to_assign=True)
    get_exercise(exercise_id, session=session)
    if cohort.closed:
        raise UserError("Cette session est close\u00a0: rouvrez-la pour y assigner des exercices.")
    if due_on is not None and due_on < today():
        raise UserError("La date limite est déjà passée\u00a0: choisissez aujourd’hui ou une date à venir.")
    a = session.scalar(
        select(Assignment).where(Assignment.cohort_id == cohort_id, Assignment.exercise_id == exercise_id)
    )
    if a is None:
        a = Assignment(cohort_id=cohort_id, exercise_id=exercise_id, due_on=due_on, assigned_by=actor.id)
        session.add(a)
    else:
        a.due_on = due_on
    session.flush()
    return _views(session, [(a, cohort.name)])[0]


def unassign(session: Session, actor: Actor, assignment_id: int) -> None:
    a = session.get(Assignment, assignment_id)
    if a is None:
        raise NotFound("Cette assignation n’existe plus.")
    require_cohort_trainer(session, actor, a.cohort_id)
    session.delete(a)


def cohort_assignments(session: Session, actor: Actor, cohort_id: int) -> list[AssignmentView]:
    cohort = require_cohort_trainer(session, actor, cohort_id)
    rows = session.scalars(
        select(Assignment).where(Assignment.cohort_id == cohort_id).order_by(Assignment.due_on, Assignment.id)
    )
    return _views(session, [(a, cohort.name) for a in rows])


def my_assignments(session: Session, actor: Actor) -> list[AssignmentView]:
    """What the trainee's active cohorts have been given, soonest due first."""
    cohorts = member_cohort_ids(session, actor.id)
    if not cohorts:
        return []
    rows = session.execute(
        select(Assignment, Cohort.name)
        .join(Cohort, Cohort.id == Assignment.cohort_id)
        .where(Assignment.cohort_id.in_(cohorts))
        .order_by(Assignment.due_on, Assignment.id)
    ).tuples()
    return _views(session, list(rows))
