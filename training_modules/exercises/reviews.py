"""The trainer's side of an attempt: review queue, grid scoring, releasing feedback, CSV export."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from training_modules.exercises.answers import answer_text
from training_modules.exercises.loader import find_exercises, get_exercise
from training_modules.exercises.models import (
    GRADED,
    IN_PROGRESS,
    NEEDS_REVIEW,
    RELEASED,
    SUBMITTED,
    Assignment,
    Review,
    Submission,
)
from training_modules.exercises.result import GradeResult
from training_modules.exercises.schema import KIND_LABELS
from training_modules.exercises.submissions import STATUS_LABELS, SubmissionView, to_view, views, work_keys
from workbench.access import (
    Actor,
    require_cohort_trainer,
    require_read_user,
    require_trainer,
    trainer_cohort_ids,
)
from workbench.collation import name_order
from workbench.db import utcnow
from workbench.errors import NotFound, UserError
from workbench.localtime import fr_datetime
from workbench.models import Cohort, Membership, User
from workbench.numbers import fr_number


def _trainee_ids(session: Session, cohort_ids: list[int]) -> list[int]:
    if not cohort_ids:
        return []
    return list(
        session.scalars(select(Membership.user_id).where(Membership.cohort_id.in_(cohort_ids)).distinct())
    )


def review_queue(
    session: Session,
    actor: Actor,
    cohort_id: int | None = None,
    *,
    include_optional: bool = False,
    include_all: bool = False,
) -> list[SubmissionView]:
    """Submissions of the trainer's trainees waiting for a human: to grade, then to release.

    With ``include_optional``, also the automatically graded ones of exercises whose review is
    optional (a post, a web page), which a trainer may want to comment on. With ``include_all``,
    every handed-in attempt of every kind, released ones included: what each trainee actually did.
    """
    require_trainer(actor)
    cohorts = (
        [require_cohort_trainer(session, actor, cohort_id).id]
        if cohort_id
        else trainer_cohort_ids(session, actor)
    )
    users = _trainee_ids(session, cohorts)
    if not users:
        return []
    if include_all:
        statuses: tuple[str, ...] = (NEEDS_REVIEW, GRADED, SUBMITTED, RELEASED)
    elif include_optional:
        statuses = (NEEDS_REVIEW, GRADED, SUBMITTED)
    else:
        statuses = (NEEDS_REVIEW, GRADED)
    rows = session.scalars(
        select(Submission)
        .where(Submission.user_id.in_(users), Submission.status.in_(statuses))
        .order_by(Submission.submitted_at, Submission.id)
    )
    return [
        v
        for v in views(session, actor, list(rows))
        if include_all or v.status != SUBMITTED or v.exercise.review == "optional"
    ]


@dataclass(frozen=True)
class ProgressRow:
    """How far a cohort is on one assigned exercise."""

    exercise_id: str
    title: str
    due_on: date | None
    trainees: int
    handed_in: int  # trainees with at least one attempt handed in
    to_review: int
    average: float | None  # mean of each trainee's latest final score


def cohort_progress(session: Session, actor: Actor, cohort_id: int) -> list[ProgressRow]:
    """One line per exercise assigned to the cohort (its trainer only)."""
    require_cohort_trainer(session, actor, cohort_id)
    users = list(
        session.scalars(
            select(Membership.user_id).where(Membership.cohort_id == cohort_id, Membership.active.is_(True))
        )
    )
    assigned = session.scalars(
        select(Assignment).where(Assignment.cohort_id == cohort_id).order_by(Assignment.due_on, Assignment.id)
    )
    rows = []
    for a in assigned:
        subs = list(
            session.scalars(
                select(Submission)
                .where(
                    Submission.exercise_id == a.exercise_id,
                    Submission.user_id.in_(users or [-1]),
                    Submission.status != IN_PROGRESS,
                )
                .order_by(Submission.submitted_at, Submission.id)
            )
        )
        latest: dict[int, Submission] = {s.user_id: s for s in subs}
        finals = [s.final_score for s in latest.values() if s.status != NEEDS_REVIEW]
        finals = [f for f in finals if f is not None]
        rows.append(
            ProgressRow(
                exercise_id=a.exercise_id,
                title=get_exercise(a.exercise_id, session=session).title,
                due_on=a.due_on,
                trainees=len(users),
                handed_in=len(latest),
                to_review=sum(s.status == NEEDS_REVIEW for s in latest.values()),
                average=round(sum(finals) / len(finals), 1) if finals else None,
            )
        )
    return rows


def _trainer_submission(session: Session, actor: Actor, submission_id: int) -> Submission:
    require_trainer(actor)
    sub = session.get(Submission, submission_id)
    if sub is None:
        raise NotFound("Cette copie n’existe plus.")
    require_read_user(session, actor, sub.user_id)  # only trainees of the trainer's cohorts
    if sub.user_id == actor.id:
        raise UserError("Vous ne pouvez pas corriger votre propre copie.")
    return sub


def grade_submission(
    session: Session,
    actor: Actor,
    submission_id: int,
    *,
    rubric_points: list[int | None],
    comment: str,
) -> SubmissionView:
    """Score the trainer's grid and comment (not yet visible to the trainee).

    ``rubric_points`` holds one level's points per criterion, or None for a criterion left
    untouched. The whole grid untouched (or an exercise without a grid) is a comment only: the
    automatic score stands. A grid half filled is refused rather than guessed.
    """
    sub = _trainer_submission(session, actor, submission_id)
    if sub.status == IN_PROGRESS:
        raise UserError("Cette copie n’a pas encore été rendue.")
    if sub.status == RELEASED:
        raise UserError("Le retour est déjà publié\u00a0: il ne peut plus être modifié.")
    rubric = get_exercise(sub.exercise_id, sub.version, session=session).rubric
    touched = [p for p in rubric_points if p is not None]
    if touched and (len(rubric_points) != len(rubric) or len(touched) != len(rubric)):
        raise UserError(
            "Notez chaque critère de la grille, ou aucun pour ne laisser qu’un commentaire "
            "(le score automatique reste alors la note)."
        )
    for points, criterion in zip(touched, rubric, strict=False):
        if points not in criterion.points:
            levels = ", ".join(str(p) for p in criterion.points[:-1]) + f" ou {criterion.max_points}"
            raise UserError(f"«\u00a0{criterion.label}\u00a0» se note {levels} points.")
    comment = (comment or "").strip()
    if not comment:
        raise UserError("Ajoutez un commentaire\u00a0: c’est ce que la personne lira en premier.")
    points = [int(p) for p in touched]
    score = round(100 * sum(points) / sum(c.max_points for c in rubric), 1) if points else None
    if sub.review is None:
        sub.review = Review(trainer_id=actor.id, rubric_points=points, score=score, comment=comment)
    else:
        sub.review.trainer_id = actor.id
        sub.review.rubric_points = points
        sub.review.score = score
        sub.review.comment = comment
    sub.status = GRADED
    session.flush()
    return to_view(session, actor, sub)


def release_feedback(session: Session, actor: Actor, submission_id: int) -> SubmissionView:
    """Make the trainer's score and comment visible to the trainee."""
    sub = _trainer_submission(session, actor, submission_id)
    if sub.review is None or sub.status != GRADED:
        raise UserError("Corrigez d’abord la copie (grille et commentaire) avant de publier le retour.")
    sub.review.released_at = utcnow()
    sub.status = RELEASED
    session.flush()
    return to_view(session, actor, sub)


EXPORT_COLUMNS = [
    "session",
    "stagiaire",
    "e-mail",
    "exercice",
    "titre",
    "type",
    "tentative",
    "statut",
    "rendu le",
    "score automatique",
    "note formateur",
    "score final",
    "retour publié le",
    "réponse",
    "vérifications automatiques",
    "commentaire du formateur",
]


def _num(x: float | None) -> str:
    return "" if x is None else fr_number(x, 1)


def _checks_text(result: dict | None) -> str:
    """The automatic checks, one line each: ✓ or ✗, the rule, what was found."""
    if not result:
        return ""
    checks = GradeResult.model_validate(result).checks
    return "\n".join(f"{'✓' if c.passed else '✗'} {c.label}\u00a0: {c.detail}" for c in checks)


def export_results_csv(session: Session, actor: Actor, cohort_id: int) -> str:
    """Every handed-in attempt of the cohort, for a spreadsheet (semicolons, decimal commas),
    with the answer itself and the automatic checks, not only the scores."""
    cohort: Cohort = require_cohort_trainer(session, actor, cohort_id)
    users = _trainee_ids(session, [cohort_id])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(EXPORT_COLUMNS)
    if users:
        rows = session.execute(
            select(Submission, User)
            .join(User, User.id == Submission.user_id)
            .where(Submission.user_id.in_(users), Submission.status != IN_PROGRESS)
            .order_by(Submission.exercise_id, Submission.attempt)
        ).all()
        rows.sort(key=lambda row: name_order(row.User.display_name))  # stable: exercise, attempt kept
        found = find_exercises(session, work_keys([sub for sub, _ in rows]))
        for sub, user in rows:
            ex = found.get((sub.exercise_id, sub.version))
            if ex is None:
                continue
            review = sub.review
            trainer_score = review.score if review else None
            writer.writerow(
                [
                    cohort.name,
                    user.display_name,
                    user.email,
                    ex.id,
                    ex.title,
                    KIND_LABELS[ex.kind],
                    sub.attempt,
                    STATUS_LABELS[sub.status],
                    fr_datetime(sub.submitted_at, empty=""),
                    _num(sub.auto_score),
                    _num(trainer_score),
                    _num(sub.final_score),
                    fr_datetime(review.released_at if review else None, empty=""),
                    answer_text(ex, sub.answer, user_id=sub.user_id),
                    _checks_text(sub.result),
                    review.comment if review else "",
                ]
            )
    return out.getvalue()
