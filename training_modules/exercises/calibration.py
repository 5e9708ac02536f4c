"""Measured performance per competence, from graded exercise results (for the self-assessment).

Register ``measured_performance`` with ``training_modules.calibration.register_provider``: the
self-assessment compares a trainee's self-rating with these figures.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from training_modules.exercises.loader import find_exercises
from training_modules.exercises.models import GRADED, RELEASED, SUBMITTED, Submission

FINAL = (SUBMITTED, GRADED, RELEASED)  # needs_review is not final yet


def measured_performance(session: Session, user_id: int) -> dict[str, float]:
    """Competence id → mean score (0–100) of the latest final attempt at each exercise training it.

    The trainer's score replaces the automatic one when there is one.
    """
    rows = session.scalars(
        select(Submission)
        .options(selectinload(Submission.review))
        .where(Submission.user_id == user_id, Submission.status.in_(FINAL))
        .order_by(Submission.submitted_at, Submission.id)
    )
    latest: dict[str, tuple[int | None, float]] = {}
    for sub in rows:
        score = sub.final_score
        if score is not None:
            latest[sub.exercise_id] = (sub.version, score)  # later attempts overwrite earlier ones
    exercises = find_exercises(session, [(ex_id, version) for ex_id, (version, _) in latest.items()])
    by_competence: dict[str, list[float]] = defaultdict(list)
    for ex_id, (version, score) in latest.items():
        if (ex_id, version) in exercises:
            for competence in exercises[ex_id, version].competences:
                by_competence[competence].append(score)
    return {c: round(sum(s) / len(s), 1) for c, s in by_competence.items()}
