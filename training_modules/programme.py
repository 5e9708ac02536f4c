"""The suggested five-day course (``content/programme.yaml``) and assigning it to a cohort at once.

The trainer may adapt it first (untick exercises, move one to another day): ``plan`` maps each
kept exercise to its day (0 for the first). Every exercise is due on its day of the course
(week-ends skipped); the self-assessment campaigns open on their days; the live crisis drill is
run from « Crise en direct » and is not assigned beforehand. Assigning again only moves dates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml
from pydantic import ValidationError
from sqlalchemy.orm import Session

from training_modules.assessment import CampaignView, schedule_campaign
from training_modules.exercises.assignments import AssignmentView, assign
from training_modules.exercises.loader import ContentError, explain, get_exercise, load_exercises
from training_modules.exercises.programme_schema import (
    AssessmentStep,
    CrisisDrillStep,
    ExerciseStep,
    Programme,
    ProgrammeDay,
    Step,
)
from workbench import localtime
from workbench.access import Actor, require_cohort_trainer
from workbench.errors import UserError
from workbench.once import cache_once

PROGRAMME_FILE = Path(__file__).resolve().parent / "content" / "programme.yaml"


def load_programme_file(path: Path) -> Programme:
    """The programme in ``path``, validated, its exercises checked against the bank."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        course = Programme.model_validate(data)
    except yaml.YAMLError as exc:
        raise ContentError(f"Programme refusé\u00a0: {path.name} — YAML illisible.") from exc
    except ValidationError as exc:
        raise ContentError(f"Programme refusé\u00a0: {path.name}, {explain(exc)}") from exc
    bank = load_exercises()
    seen: set[str] = set()
    for number, day in enumerate(course.days, 1):
        for step in day.steps:
            if not isinstance(step, ExerciseStep | CrisisDrillStep):
                continue
            where = f"Programme refusé\u00a0: {path.name}, jour {number}\u00a0: l’exercice «\u00a0{step.exercise}\u00a0»"
            if step.exercise not in bank:
                raise ContentError(f"{where} n’existe pas dans la banque d’exercices.")
            if isinstance(step, CrisisDrillStep) and bank[step.exercise].kind != "crisis":
                raise ContentError(f"{where} n’est pas un scénario de crise.")
            if step.exercise in seen:
                raise ContentError(f"{where} figure deux fois dans le programme.")
            seen.add(step.exercise)
    return course


@cache_once
def load_programme() -> Programme:
    """The bundled programme (cached like the exercise bank)."""
    return load_programme_file(PROGRAMME_FILE)


def default_plan(course: Programme | None = None) -> dict[str, int]:
    """Each exercise of the programme and its day (0 for the first), as suggested."""
    course = course or load_programme()
    return {
        step.exercise: number
        for number, day in enumerate(course.days)
        for step in day.steps
        if isinstance(step, ExerciseStep)
    }


def step_minutes(step: Step) -> int:
    return get_exercise(step.exercise).duration_minutes if isinstance(step, ExerciseStep) else step.minutes


def day_minutes(day: ProgrammeDay) -> int:
    """The day as suggested: its theory and every step."""
    return day.theory_minutes + sum(step_minutes(s) for s in day.steps)


def course_days(first_day: date, count: int) -> list[date]:
    """``count`` working days from ``first_day`` (a Saturday or a Sunday starts on Monday)."""
    days: list[date] = []
    day = first_day
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


@dataclass(frozen=True)
class ProgrammeAssigned:
    cohort_name: str
    days: list[date]
    assignments: list[AssignmentView]
    campaigns: list[CampaignView]


def assign_programme(
    session: Session, actor: Actor, *, cohort_id: int, first_day: date, plan: Mapping[str, int]
) -> ProgrammeAssigned:
    """Assign every exercise of ``plan`` due on its day and open the self-assessment campaigns, in the
    caller's transaction (the cohort's trainer only)."""
    cohort = require_cohort_trainer(session, actor, cohort_id)
    course = load_programme()
    days = course_days(first_day, len(course.days))
    if days[0] < localtime.today():
        raise UserError(
            "Le premier jour de formation est déjà passé\u00a0: choisissez aujourd’hui ou une date à venir.",
            field="first_day",
        )
    if not plan:
        raise UserError("Cochez au moins un exercice du programme avant de l’assigner.")
    if any(not 0 <= number < len(days) for number in plan.values()):
        raise UserError(f"Chaque exercice doit être placé sur un jour du programme (1 à {len(days)}).")
    views = [
        assign(session, actor, cohort_id=cohort_id, exercise_id=exercise_id, due_on=days[number])
        for exercise_id, number in sorted(plan.items(), key=lambda item: (item[1], item[0]))
    ]
    campaigns = [
        schedule_campaign(
            session, actor, cohort_id, name=step.campaign, starts_on=days[number], ends_on=days[number]
        )
        for number, day in enumerate(course.days)
        for step in day.steps
        if isinstance(step, AssessmentStep)
    ]
    return ProgrammeAssigned(cohort.name, days, views, campaigns)
