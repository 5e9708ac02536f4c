"""Crisis live mode: the trainer releases each round of events to the whole cohort at once, and
every trainee's answer time is measured from that release.

Round ``r`` shows each trainee the step their own earlier choices led to (the scenario branches).
When a trainee's path ends, their attempt is handed in like any other, with the answer times.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from training_modules.exercises.graders.crisis import step_map, walk
from training_modules.exercises.loader import get_exercise, version_of
from training_modules.exercises.models import CrisisLiveAnswer, CrisisLiveSession, CrisisRelease
from training_modules.exercises.schema import CrisisExercise, CrisisStep
from training_modules.exercises.submissions import SubmissionView, submit
from training_modules.library import require_usable
from workbench.access import (
    Actor,
    member_cohort_ids,
    require_cohort_trainer,
    require_trainer,
    trainer_cohort_ids,
)
from workbench.collation import name_order
from workbench.db import utcnow
from workbench.errors import NotFound, UserError
from workbench.models import Membership, User


def _crisis(session: Session, exercise_id: str, version: int | None = None) -> CrisisExercise:
    """The scenario, at the version the live session plays (a trainer-made one may change since)."""
    ex = get_exercise(exercise_id, version, session=session)
    if ex.kind != "crisis":
        raise UserError("Le mode direct ne concerne que les scénarios de crise.")
    return ex  # type: ignore[return-value]


def max_rounds(exercise: CrisisExercise) -> int:
    """The number of rounds of the longest path."""
    steps = step_map(exercise)

    def depth(step_id: str) -> int:
        return 1 + max((depth(c.next) for c in steps[step_id].choices if c.next), default=0)

    return depth(exercise.start)


@dataclass(frozen=True)
class LiveDecision:
    """What a trainee decided in one round, as the trainer reads it."""

    step: str  # when and where: « Samedi 9 h 05 · Groupe Facebook local »
    choice: str  # the text of the option chosen
    points: int
    best_points: int  # the best option's points at this step
    seconds: float  # time to answer since the release


@dataclass(frozen=True)
class LiveRow:
    user_id: int
    name: str
    answered_rounds: int
    response_seconds: list[float]
    finished: bool
    decisions: list[LiveDecision]


@dataclass(frozen=True)
class LiveState:
    id: int
    cohort_id: int
    exercise_id: str
    version: int | None  # the trainer-made scenario's version played (None: bundled)
    title: str
    released_round: int
    max_rounds: int
    releases: list[datetime]
    ended: bool
    ended_at: datetime | None
    rows: list[LiveRow]  # trainer only; empty for a trainee


def _releases(session: Session, live_id: int) -> list[CrisisRelease]:
    return list(
        session.scalars(
            select(CrisisRelease).where(CrisisRelease.live_id == live_id).order_by(CrisisRelease.round)
        )
    )


def _get(session: Session, live_id: int) -> CrisisLiveSession:
    live = session.get(CrisisLiveSession, live_id)
    if live is None:
        raise NotFound("Cette session de crise en direct n’existe plus.")
    return live


def start_live(session: Session, actor: Actor, *, cohort_id: int, exercise_id: str) -> LiveState:
    """Open a live session (one running per cohort); the first event is not released yet."""
    require_cohort_trainer(session, actor, cohort_id)
    require_usable(session, actor, exercise_id, to_assign=True)
    ex = _crisis(session, exercise_id)
    running = session.scalar(
        select(CrisisLiveSession.id).where(
            CrisisLiveSession.cohort_id == cohort_id, CrisisLiveSession.ended_at.is_(None)
        )
    )
    if running is not None:
        raise UserError(
            "Une crise en direct est déjà en cours pour cette session\u00a0: terminez-la d’abord."
        )
    live = CrisisLiveSession(
        cohort_id=cohort_id, exercise_id=exercise_id, version=version_of(ex), trainer_id=actor.id
    )
    session.add(live)
    session.flush()
    return live_state(session, actor, live.id)


def release_next(session: Session, actor: Actor, live_id: int) -> LiveState:
    """Release the next round to the whole cohort, now."""
    live = _get(session, live_id)
    require_cohort_trainer(session, actor, live.cohort_id)
    if live.ended_at is not None:
        raise UserError("Cette crise en direct est terminée.")
    released = len(_releases(session, live_id))
    if released >= max_rounds(_crisis(session, live.exercise_id, live.version)):
        raise UserError("Tous les événements ont déjà été diffusés\u00a0: terminez la session.")
    session.add(CrisisRelease(live_id=live_id, round=released + 1, released_at=utcnow()))
    session.flush()
    return live_state(session, actor, live_id)


def end_live(session: Session, actor: Actor, live_id: int) -> LiveState:
    live = _get(session, live_id)
    require_cohort_trainer(session, actor, live.cohort_id)
    live.ended_at = live.ended_at or utcnow()
    session.flush()
    return live_state(session, actor, live_id)


def _decisions(exercise: CrisisExercise, answers: list[CrisisLiveAnswer]) -> list[LiveDecision]:
    steps = step_map(exercise)
    out = []
    for a in answers:
        step = steps.get(a.step_id)
        choice = next((c for c in step.choices if c.id == a.choice_id), None) if step else None
        if step is None or choice is None:
            continue  # the scenario file changed since: this answer no longer maps to it
        best = max(c.points for c in step.choices)
        out.append(
            LiveDecision(
                f"{step.at} · {step.channel}", choice.text, choice.points, best, round(a.response_seconds, 1)
            )
        )
    return out


def live_state(session: Session, actor: Actor, live_id: int) -> LiveState:
    live = _get(session, live_id)
    if actor.is_trainer:
        require_cohort_trainer(session, actor, live.cohort_id)
    elif live.cohort_id not in member_cohort_ids(session, actor.id):
        raise UserError("Vous ne faites pas partie de cette session de formation.")
    ex = _crisis(session, live.exercise_id, live.version)
    releases = _releases(session, live_id)
    rows: list[LiveRow] = []
    if actor.is_trainer:
        members = session.execute(
            select(User.id, User.display_name)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.cohort_id == live.cohort_id, Membership.active.is_(True))
        ).all()
        answers = list(session.scalars(select(CrisisLiveAnswer).where(CrisisLiveAnswer.live_id == live_id)))
        for uid, name in sorted(members, key=lambda m: name_order(m.display_name)):
            mine = sorted((a for a in answers if a.user_id == uid), key=lambda a: a.round)
            finished = bool(mine) and walk(ex, [a.choice_id for a in mine])[1] is None
            times = [round(a.response_seconds, 1) for a in mine]
            rows.append(LiveRow(uid, name, len(mine), times, finished, _decisions(ex, mine)))
    return LiveState(
        id=live.id,
        cohort_id=live.cohort_id,
        exercise_id=live.exercise_id,
        version=live.version,
        title=ex.title,
        released_round=len(releases),
        max_rounds=max_rounds(ex),
        releases=[r.released_at for r in releases],
        ended=live.ended_at is not None,
        ended_at=live.ended_at,
        rows=rows,
    )


def running_lives(session: Session, actor: Actor) -> list[LiveState]:
    """Live crises running in the actor's cohorts (run by them, or that they belong to)."""
    cohorts = trainer_cohort_ids(session, actor) if actor.is_trainer else member_cohort_ids(session, actor.id)
    if not cohorts:
        return []
    ids = session.scalars(
        select(CrisisLiveSession.id).where(
            CrisisLiveSession.cohort_id.in_(cohorts), CrisisLiveSession.ended_at.is_(None)
        )
    )
    return [live_state(session, actor, i) for i in ids]


def ended_lives(session: Session, actor: Actor) -> list[LiveState]:
    """Live crises of the trainer's cohorts that are over, newest first: their results stay readable."""
    require_trainer(actor)
    cohorts = trainer_cohort_ids(session, actor)
    if not cohorts:
        return []
    ids = session.scalars(
        select(CrisisLiveSession.id)
        .where(CrisisLiveSession.cohort_id.in_(cohorts), CrisisLiveSession.ended_at.is_not(None))
        .order_by(CrisisLiveSession.ended_at.desc(), CrisisLiveSession.id.desc())
    )
    return [live_state(session, actor, i) for i in ids]


@dataclass(frozen=True)
class MyLiveTurn:
    """What a trainee sees: their path so far and the step waiting for them, if released."""

    live: LiveState
    taken: list[tuple[CrisisStep, str]]
    current: CrisisStep | None  # None: waiting for the trainer, or finished
    waiting: bool
    finished: bool


def my_turn(session: Session, actor: Actor, live_id: int) -> MyLiveTurn:
    state = live_state(session, actor, live_id)
    ex = _crisis(session, state.exercise_id, state.version)
    mine = list(
        session.scalars(
            select(CrisisLiveAnswer)
            .where(CrisisLiveAnswer.live_id == live_id, CrisisLiveAnswer.user_id == actor.id)
            .order_by(CrisisLiveAnswer.round)
        )
    )
    taken, nxt = walk(ex, [a.choice_id for a in mine])
    finished = bool(mine) and nxt is None
    released = len(mine) < state.released_round
    return MyLiveTurn(
        live=state,
        taken=taken,
        current=nxt if released and not finished and not state.ended else None,
        waiting=not finished and not released and not state.ended,
        finished=finished,
    )


def answer_live(session: Session, actor: Actor, live_id: int, choice_id: str) -> SubmissionView | None:
    """Record the trainee's decision for the current round; at the end of their path, hand it in."""
    if actor.is_trainer:
        raise UserError("Le formateur pilote la crise\u00a0: seuls les stagiaires répondent.")
    turn = my_turn(session, actor, live_id)
    if turn.live.ended:
        raise UserError("Cette crise en direct est terminée.")
    if turn.current is None:
        raise UserError("Attendez que le formateur diffuse l’événement suivant.")
    if choice_id not in {c.id for c in turn.current.choices}:
        raise UserError("Choix inconnu\u00a0: rechargez la page.")
    round_no = len(turn.taken) + 1
    release = session.scalar(
        select(CrisisRelease).where(CrisisRelease.live_id == live_id, CrisisRelease.round == round_no)
    )
    now = utcnow()
    seconds = (now - release.released_at).total_seconds() if release else 0.0
    session.add(
        CrisisLiveAnswer(
            live_id=live_id,
            user_id=actor.id,
            round=round_no,
            step_id=turn.current.id,
            choice_id=choice_id,
            answered_at=now,
            response_seconds=max(0.0, seconds),
        )
    )
    session.flush()
    ex = _crisis(session, turn.live.exercise_id, turn.live.version)
    choices = [c for _, c in turn.taken] + [choice_id]
    if walk(ex, choices)[1] is not None:
        return None
    times = list(
        session.scalars(
            select(CrisisLiveAnswer.response_seconds)
            .where(CrisisLiveAnswer.live_id == live_id, CrisisLiveAnswer.user_id == actor.id)
            .order_by(CrisisLiveAnswer.round)
        )
    )
    return submit(
        session,
        actor,
        ex.id,
        {"choices": choices, "response_seconds": times, "live_session_id": live_id},
        version=turn.live.version,
    )
