"""Attempts: drafts, submission with instant automatic grading, history, and what a trainee sees."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from training_modules.exercises.assignments import my_assignments
from training_modules.exercises.graders import grade
from training_modules.exercises.loader import Key, find_exercises, get_exercise, version_of
from training_modules.exercises.models import (
    GRADED,
    IN_PROGRESS,
    NEEDS_REVIEW,
    RELEASED,
    SUBMITTED,
    Review,
    Submission,
)
from training_modules.exercises.result import GradeResult
from training_modules.exercises.schema import Exercise
from training_modules.library import require_usable
from workbench.access import Actor, require_read_user
from workbench.db import utcnow
from workbench.errors import NotFound, UserError
from workbench.localtime import today
from workbench.models import User

STATUS_LABELS = {
    IN_PROGRESS: "En cours",
    SUBMITTED: "Rendu",
    NEEDS_REVIEW: "En attente de correction",
    GRADED: "Corrigé (retour à publier)",
    RELEASED: "Retour reçu",
}
# What a trainee is told: a graded but unreleased submission still reads « en attente ».
TRAINEE_STATUS_LABELS = {**STATUS_LABELS, GRADED: "En attente de correction"}


@dataclass(frozen=True)
class ReviewView:
    trainer_id: int
    rubric_points: list[int]
    score: float | None  # None: a comment alone, the automatic score stands
    comment: str
    released_at: datetime | None


@dataclass(frozen=True)
class SubmissionView:
    id: int
    user_id: int
    user_name: str
    exercise_id: str
    title: str
    kind: str
    attempt: int
    status: str
    status_label: str
    answer: dict[str, Any]
    result: GradeResult | None
    auto_score: float | None
    started_at: datetime
    submitted_at: datetime | None
    review: ReviewView | None  # None for a trainee until the feedback is released
    exercise: Exercise  # at the version the work was done on: what to show and grade it against

    @property
    def final_score(self) -> float | None:
        """The trainer's grid score once given (and visible), else the automatic one."""
        graded = self.review is not None and self.review.score is not None
        return self.review.score if graded else self.auto_score  # type: ignore[union-attr]


def to_view(
    session: Session,
    actor: Actor,
    s: Submission,
    exercise: Exercise | None = None,
    author: User | None = None,
) -> SubmissionView:
    """The submission as ``actor`` may see it (``exercise``, ``author``: when already looked up)."""
    ex = exercise or get_exercise(s.exercise_id, s.version, session=session)
    user = author or session.get(User, s.user_id)
    review = None
    if s.review is not None and (actor.is_trainer or s.status == RELEASED):
        r = s.review
        review = ReviewView(r.trainer_id, list(r.rubric_points), r.score, r.comment, r.released_at)
    labels = STATUS_LABELS if actor.is_trainer else TRAINEE_STATUS_LABELS
    return SubmissionView(
        id=s.id,
        user_id=s.user_id,
        user_name=user.display_name if user else "",
        exercise_id=s.exercise_id,
        title=ex.title,
        kind=ex.kind,
        attempt=s.attempt,
        status=s.status,
        status_label=labels[s.status],
        answer=s.answer,
        result=GradeResult.model_validate(s.result) if s.result else None,
        auto_score=s.auto_score,
        started_at=s.started_at,
        submitted_at=s.submitted_at,
        review=review,
        exercise=ex,
    )


def views(session: Session, actor: Actor, subs: list[Submission]) -> list[SubmissionView]:
    """Many submissions at once, each with its exercise at its version (one lookup for all); work on
    an exercise that no longer exists is left out."""
    found = find_exercises(session, work_keys(subs))
    authors = _load_authors_and_reviews(session, subs)  # held: the identity map keeps weak references
    return [
        to_view(session, actor, s, found[key], authors.get(s.user_id))
        for s in subs
        if (key := (s.exercise_id, s.version)) in found
    ]


def _load_authors_and_reviews(session: Session, subs: list[Submission]) -> dict[int, User]:
    """The submissions' authors and reviews in two queries, not two per submission: each review is
    set on its submission as loaded; the authors are returned by id."""
    if not subs:
        return {}
    authors = {u.id: u for u in session.scalars(select(User).where(User.id.in_({s.user_id for s in subs})))}
    unloaded = [s for s in subs if "review" in inspect(s).unloaded]
    if unloaded:
        reviews = {
            r.submission_id: r
            for r in session.scalars(select(Review).where(Review.submission_id.in_([s.id for s in unloaded])))
        }
        for s in unloaded:
            set_committed_value(s, "review", reviews.get(s.id))
    return authors


def work_keys(subs: list[Submission]) -> set[Key]:
    return {(s.exercise_id, s.version) for s in subs}


def _require_trainee(actor: Actor) -> None:
    if actor.is_trainer:
        raise UserError(
            "En tant que formateur, vous faites les exercices en aperçu\u00a0: rien n’est enregistré."
        )


def _draft(session: Session, user_id: int, exercise_id: str) -> Submission | None:
    return session.scalar(
        select(Submission).where(
            Submission.user_id == user_id,
            Submission.exercise_id == exercise_id,
            Submission.status == IN_PROGRESS,
        )
    )


def _next_attempt(session: Session, user_id: int, exercise_id: str) -> int:
    n = session.scalar(
        select(func.max(Submission.attempt)).where(
            Submission.user_id == user_id, Submission.exercise_id == exercise_id
        )
    )
    return (n or 0) + 1


def _exercise_to_do(
    session: Session, actor: Actor, exercise_id: str, version: int | None, draft: Submission | None
) -> Exercise:
    """The exercise the trainee works on: their draft's version, else the one shown (``version``),
    else the latest; a trainer-made one only once assigned to their cohort."""
    _require_trainee(actor)
    require_usable(session, actor, exercise_id)
    return get_exercise(exercise_id, draft.version if draft else version, session=session)


def save_draft(
    session: Session, actor: Actor, exercise_id: str, answer: dict[str, Any], *, version: int | None = None
) -> SubmissionView:
    """Keep an unfinished answer (one draft per exercise), to carry on later.

    ``version``: the trainer-made exercise's version shown to the trainee (None: the latest)."""
    draft = _draft(session, actor.id, exercise_id)
    exercise = _exercise_to_do(session, actor, exercise_id, version, draft)
    if draft is None:
        draft = Submission(
            user_id=actor.id,
            exercise_id=exercise_id,
            version=version_of(exercise),
            attempt=_next_attempt(session, actor.id, exercise_id),
            status=IN_PROGRESS,
            answer=answer,
        )
        session.add(draft)
    else:
        draft.answer = answer
        draft.updated_at = utcnow()
    session.flush()
    return to_view(session, actor, draft, exercise)


def get_draft(session: Session, actor: Actor, exercise_id: str) -> SubmissionView | None:
    draft = _draft(session, actor.id, exercise_id)
    return to_view(session, actor, draft) if draft else None


TEXT_MESSAGE = "Votre réponse est vide\u00a0: écrivez-la avant de la rendre."
EMPTY_MESSAGES = {
    "reply": TEXT_MESSAGE,
    "post": TEXT_MESSAGE,
    "watch_summary": TEXT_MESSAGE,
    "seo": "Votre page est vide\u00a0: écrivez le titre, la méta-description ou le corps avant de la rendre.",
    "live_tweet": "Votre live-tweet est vide\u00a0: publiez au moins un message avant de le rendre.",
    "calendar": "Votre calendrier est vide\u00a0: ajoutez au moins une publication avant de le rendre.",
    "crisis": "Le scénario est vide\u00a0: prenez vos décisions avant de le rendre.",
}
ANSWER_MESSAGE = "Vous n’avez encore rien répondu\u00a0: répondez avant de rendre."
# Fields whose blank value means « nothing written », per kind; other kinds answer item by item.
TEXT_FIELDS = {
    "reply": ("text",),
    "post": ("text",),
    "watch_summary": ("text",),
    "seo": ("title", "meta_description", "body"),
}
LIST_FIELDS = {"live_tweet": "posts", "calendar": "posts", "crisis": "choices"}
# A replayed scenario or live-tweet is a new performance, even along the same path.
REPLAYED_KINDS = ("crisis", "live_tweet")


def answer_field(kind: str) -> str:
    """The input a refusal is shown beside: the kind's main field, or ``"answer"`` for the whole."""
    if kind in TEXT_FIELDS:
        return TEXT_FIELDS[kind][0]
    return LIST_FIELDS.get(kind, "answer")


def is_empty(kind: str, answer: dict[str, Any]) -> bool:
    """Whether ``answer`` holds nothing a trainer could read."""
    if kind in TEXT_FIELDS:
        return not any(str(answer.get(f) or "").strip() for f in TEXT_FIELDS[kind])
    if kind in LIST_FIELDS:
        return not answer.get(LIST_FIELDS[kind])
    return all(v in (None, "", [], {}) for v in answer.values())


def _refuse_empty_or_unchanged(session: Session, user_id: int, exercise: Any, answer: dict[str, Any]) -> None:
    field = answer_field(exercise.kind)
    if is_empty(exercise.kind, answer):
        raise UserError(EMPTY_MESSAGES.get(exercise.kind, ANSWER_MESSAGE), field=field)
    if exercise.kind in REPLAYED_KINDS:
        return
    previous = session.scalar(
        select(Submission.answer)
        .where(
            Submission.user_id == user_id,
            Submission.exercise_id == exercise.id,
            Submission.status != IN_PROGRESS,
        )
        .order_by(Submission.attempt.desc())
        .limit(1)
    )
    if previous == answer:
        raise UserError(
            "Réponse identique à votre tentative précédente\u00a0: modifiez-la avant de la rendre.",
            field=field,
        )


def submit(
    session: Session, actor: Actor, exercise_id: str, answer: dict[str, Any], *, version: int | None = None
) -> SubmissionView:
    """Hand in an attempt: graded at once, against the version it was done on; kept for a trainer
    when the exercise needs a human.

    An empty answer, or the same as the previous attempt, is refused: it would only fill the
    trainer's queue."""
    sub = _draft(session, actor.id, exercise_id)
    exercise = _exercise_to_do(session, actor, exercise_id, version, sub)
    _refuse_empty_or_unchanged(session, actor.id, exercise, answer)
    result = grade(exercise, answer, user_id=actor.id)
    if sub is None:
        sub = Submission(
            user_id=actor.id,
            exercise_id=exercise_id,
            version=version_of(exercise),
            attempt=_next_attempt(session, actor.id, exercise_id),
        )
        session.add(sub)
    sub.answer = answer
    sub.result = result.model_dump(mode="json")
    sub.auto_score = result.score
    sub.status = NEEDS_REVIEW if result.needs_review else SUBMITTED
    sub.submitted_at = utcnow()
    session.flush()
    return to_view(session, actor, sub, exercise)


def get_submission(session: Session, actor: Actor, submission_id: int) -> SubmissionView:
    sub = session.get(Submission, submission_id)
    if sub is None:
        raise NotFound("Cette copie n’existe plus.")
    require_read_user(session, actor, sub.user_id)
    return to_view(session, actor, sub)


def attempts(
    session: Session, actor: Actor, user_id: int, exercise_id: str | None = None
) -> list[SubmissionView]:
    """A trainee's attempts, newest first (themselves, or their trainer)."""
    require_read_user(session, actor, user_id)
    stmt = select(Submission).where(Submission.user_id == user_id)
    if exercise_id:
        stmt = stmt.where(Submission.exercise_id == exercise_id)
    rows = session.scalars(stmt.order_by(Submission.started_at.desc(), Submission.id.desc()))
    return views(session, actor, list(rows))


@dataclass(frozen=True)
class MyExercise:
    """One line of « Mes exercices »."""

    exercise_id: str
    title: str
    kind: str
    cohort_name: str | None  # None: done on one's own initiative, not assigned
    due_on: date | None
    state: str  # "assigned", "in_progress", "submitted", "feedback"
    state_label: str
    attempts: int
    last_score: float | None
    overdue: bool
    feedback_id: int | None = None  # the latest attempt whose feedback is published, even if retried since


STATE_LABELS = {
    "assigned": "À faire",
    "in_progress": "En cours",
    "submitted": "Rendu",
    "feedback": "Retour reçu",
}


def my_exercises(session: Session, actor: Actor) -> list[MyExercise]:
    """Assigned exercises and those already attempted, with where the trainee stands on each."""
    subs = attempts(session, actor, actor.id)
    by_ex: dict[str, list[SubmissionView]] = {}
    for s in subs:
        by_ex.setdefault(s.exercise_id, []).append(s)
    assigned = {a.exercise_id: a for a in my_assignments(session, actor)}
    current = find_exercises(session, [(ex_id, None) for ex_id in [*assigned, *by_ex]])
    out = []
    for ex_id in [*assigned, *[e for e in by_ex if e not in assigned]]:
        if (ex_id, None) not in current:
            continue
        ex = current[ex_id, None]
        mine = by_ex.get(ex_id, [])
        latest = mine[0] if mine else None
        if latest is None:
            state = "assigned"
        elif latest.status == IN_PROGRESS:
            state = "in_progress"
        elif latest.status == RELEASED:
            state = "feedback"
        else:
            state = "submitted"
        handed = [s for s in mine if s.status != IN_PROGRESS]
        a = assigned.get(ex_id)
        due = a.due_on if a else None
        out.append(
            MyExercise(
                exercise_id=ex_id,
                title=ex.title,
                kind=ex.kind,
                cohort_name=a.cohort_name if a else None,
                due_on=due,
                state=state,
                state_label=STATE_LABELS[state],
                attempts=len(handed),
                last_score=handed[0].final_score if handed else None,
                overdue=bool(due and due < today() and not handed),
                feedback_id=next((h.id for h in handed if h.status == RELEASED), None),
            )
        )
    return out
