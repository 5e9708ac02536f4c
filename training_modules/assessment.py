"""The self-assessment as stored: attempts saved step by step, campaigns, and the cohort's map.

Access (enforced here, not in pages): a trainee reads and writes only their own attempts; a
trainer reads the attempts of the trainees of the cohorts they run and opens campaigns only for
those cohorts; a trainee sees the cohort average only when the trainer allows it, and then only
as an anonymous mean over at least ``MIN_ANONYMOUS`` respondents. Nobody else's answers, ever.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from statistics import mean

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from training_modules import calibration
from training_modules.assessment_models import (
    CHOICE,
    RATING,
    AssessmentAnswer,
    AssessmentAttempt,
    AssessmentCampaign,
    CompetenceResult,
    MissionLevel,
)
from training_modules.competences import MASTERY_IDS, Framework, framework
from training_modules.items_library import attempt_content
from training_modules.scoring import CompetenceScore, Report, report_from_scores, score_answers
from workbench.access import (
    Actor,
    member_cohort_ids,
    require_cohort_trainer,
    require_cohort_visible,
    require_read_user,
    require_self,
)
from workbench.collation import name_order
from workbench.db import utcnow
from workbench.errors import AccessDenied, NotFound, UserError
from workbench.localtime import today as people_today
from workbench.models import Cohort, Membership, User

MIN_ANONYMOUS = 3  # fewer respondents and a mean would reveal individual scores

NOT_STARTED = "Pas commencé"
IN_PROGRESS = "En cours"
DONE = "Terminé"


@dataclass(frozen=True)
class CampaignView:
    id: int
    cohort_id: int
    cohort_name: str
    name: str
    starts_on: date
    ends_on: date

    def is_open(self, today: date | None = None) -> bool:
        today = today or people_today()
        return self.starts_on <= today <= self.ends_on

    @property
    def label(self) -> str:
        return f"{self.name} ({self.starts_on:%d/%m/%Y} – {self.ends_on:%d/%m/%Y})"


@dataclass(frozen=True)
class AttemptView:
    """One attempt with its answers and its report (stored scores once completed)."""

    id: int
    user_id: int
    user_name: str
    campaign_id: int | None
    campaign_name: str | None
    step: int
    started_at: datetime
    completed_at: datetime | None
    ratings: dict[str, int] = field(default_factory=dict)
    choices: dict[str, str] = field(default_factory=dict)
    missions: dict[str, str] = field(default_factory=dict)
    report: Report | None = None
    # what this attempt shows and scores: the bundled framework with the trainer-made items it holds
    content: Framework = field(default_factory=framework)

    @property
    def completed(self) -> bool:
        return self.completed_at is not None


@dataclass(frozen=True)
class RespondentStatus:
    user_id: int
    display_name: str
    status: str
    completed_at: datetime | None


@dataclass(frozen=True)
class TraineeScores:
    """A trainee's latest completed attempt (in a campaign, or overall) for the cohort map."""

    user_id: int
    display_name: str
    attempt_id: int
    completed_at: datetime
    scores: dict[str, float | None]
    missions: dict[str, str] = field(default_factory=dict)  # mission id → mastery level id


@dataclass(frozen=True)
class TraineeCalibration:
    """A trainee's self-rating part (latest completed attempt) next to their exercise results."""

    user_id: int
    display_name: str
    rows: list[calibration.CalibrationRow]

    @property
    def measured(self) -> bool:
        return any(r.measured is not None for r in self.rows)

    @property
    def over(self) -> list[calibration.CalibrationRow]:
        return [r for r in self.rows if r.tendency == calibration.OVER]

    @property
    def under(self) -> list[calibration.CalibrationRow]:
        return [r for r in self.rows if r.tendency == calibration.UNDER]


@dataclass(frozen=True)
class CampaignSummary:
    campaign: CampaignView
    respondents: int
    means: dict[str, float]


@dataclass(frozen=True)
class CohortAverage:
    cohort_id: int
    cohort_name: str
    respondents: int
    means: dict[str, float]  # empty when too few respondents for anonymity


# --- campaigns -----------------------------------------------------------------------------------


def _campaign_view(campaign: AssessmentCampaign, cohort: Cohort) -> CampaignView:
    return CampaignView(
        campaign.id, cohort.id, cohort.name, campaign.name, campaign.starts_on, campaign.ends_on
    )


def open_campaign(
    session: Session, actor: Actor, cohort_id: int, *, name: str, starts_on: date, ends_on: date
) -> CampaignView:
    """A campaign for a cohort the actor runs (e.g. « Début de formation », « Fin de formation »)."""
    cohort = require_cohort_trainer(session, actor, cohort_id)
    name = " ".join((name or "").split())
    if not name:
        raise UserError("Donnez un nom à la campagne, par exemple « Début de formation ».")
    if ends_on < starts_on:
        raise UserError("La date de fin de la campagne doit être postérieure à sa date de début.")
    campaign = AssessmentCampaign(
        cohort_id=cohort.id, name=name[:120], starts_on=starts_on, ends_on=ends_on, opened_by=actor.id
    )
    session.add(campaign)
    session.flush()
    return _campaign_view(campaign, cohort)


def schedule_campaign(
    session: Session, actor: Actor, cohort_id: int, *, name: str, starts_on: date, ends_on: date
) -> CampaignView:
    """The cohort's campaign called ``name`` with these dates: moved when it exists, opened otherwise
    (a course assigned again keeps one « Début de formation »)."""
    cohort = require_cohort_trainer(session, actor, cohort_id)
    campaign = session.scalar(
        select(AssessmentCampaign)
        .where(AssessmentCampaign.cohort_id == cohort_id, AssessmentCampaign.name == name)
        .order_by(AssessmentCampaign.id)
        .limit(1)
    )
    if campaign is None:
        return open_campaign(session, actor, cohort_id, name=name, starts_on=starts_on, ends_on=ends_on)
    if ends_on < starts_on:
        raise UserError("La date de fin de la campagne doit être postérieure à sa date de début.")
    campaign.starts_on, campaign.ends_on = starts_on, ends_on
    return _campaign_view(campaign, cohort)


def close_campaign(session: Session, actor: Actor, campaign_id: int) -> CampaignView:
    """End a campaign today (answers already given stay)."""
    campaign = _campaign(session, campaign_id)
    cohort = require_cohort_trainer(session, actor, campaign.cohort_id)
    today = people_today()
    campaign.ends_on = max(campaign.starts_on, min(campaign.ends_on, today))
    return _campaign_view(campaign, cohort)


def _campaign(session: Session, campaign_id: int) -> AssessmentCampaign:
    campaign = session.get(AssessmentCampaign, campaign_id)
    if campaign is None:
        raise NotFound("Cette campagne d’auto-évaluation n’existe plus.")
    return campaign


def list_campaigns(session: Session, actor: Actor, cohort_id: int) -> list[CampaignView]:
    """The cohort's campaigns, oldest first (its trainer and its members)."""
    cohort = require_cohort_visible(session, actor, cohort_id)
    rows = session.scalars(
        select(AssessmentCampaign)
        .where(AssessmentCampaign.cohort_id == cohort_id)
        .order_by(AssessmentCampaign.starts_on, AssessmentCampaign.id)
    )
    return [_campaign_view(c, cohort) for c in rows]


def open_campaigns_for(session: Session, actor: Actor, today: date | None = None) -> list[CampaignView]:
    """Campaigns running today in the cohorts the trainee belongs to."""
    today = today or people_today()
    cohort_ids = member_cohort_ids(session, actor.id)
    if not cohort_ids:
        return []
    rows = session.execute(
        select(AssessmentCampaign, Cohort)
        .join(Cohort, Cohort.id == AssessmentCampaign.cohort_id)
        .where(
            AssessmentCampaign.cohort_id.in_(cohort_ids),
            AssessmentCampaign.starts_on <= today,
            AssessmentCampaign.ends_on >= today,
        )
        .order_by(AssessmentCampaign.ends_on)
    ).all()
    return [_campaign_view(c, h) for c, h in rows]


# --- attempts ------------------------------------------------------------------------------------


def _results_report(fw: Framework, rows: list[CompetenceResult]) -> Report:
    scores = {
        r.competence_id: CompetenceScore(
            r.competence_id, r.score, r.self_score, r.judgement_score, r.answered, r.total
        )
        for r in rows
        if r.competence_id in fw.names
    }
    return report_from_scores(fw, scores)


def _content(session: Session, attempt: AssessmentAttempt) -> tuple[Framework, dict[str, int]]:
    """The attempt's framework (with the trainer-made items it holds) and those items' versions."""
    answered = {a.item_id: a.version for a in attempt.answers if a.version is not None}
    return attempt_content(session, attempt.user_id, answered, still_open=attempt.completed_at is None)


def _view(session: Session, attempt: AssessmentAttempt, fw: Framework | None = None) -> AttemptView:
    fw = fw or _content(session, attempt)[0]
    ratings = {a.item_id: int(a.value) for a in attempt.answers if a.kind == RATING}
    choices = {a.item_id: a.value for a in attempt.answers if a.kind == CHOICE}
    user = session.get(User, attempt.user_id)
    campaign = session.get(AssessmentCampaign, attempt.campaign_id) if attempt.campaign_id else None
    report = (
        _results_report(fw, list(attempt.results))
        if attempt.completed_at
        else score_answers(fw, ratings, choices)
    )
    return AttemptView(
        id=attempt.id,
        user_id=attempt.user_id,
        user_name=user.display_name if user else "",
        campaign_id=attempt.campaign_id,
        campaign_name=campaign.name if campaign else None,
        step=attempt.step,
        started_at=attempt.started_at,
        completed_at=attempt.completed_at,
        ratings=ratings,
        choices=choices,
        missions={m.mission_id: m.level for m in attempt.mission_levels},
        report=report,
        content=fw,
    )


def _get(session: Session, attempt_id: int) -> AssessmentAttempt:
    attempt = session.get(AssessmentAttempt, attempt_id)
    if attempt is None:
        raise NotFound("Cette auto-évaluation est introuvable : elle a peut-être été abandonnée.")
    return attempt


def _own_open_attempt(session: Session, actor: Actor, attempt_id: int) -> AssessmentAttempt:
    attempt = _get(session, attempt_id)
    require_self(actor, attempt.user_id)
    if attempt.completed_at is not None:
        raise UserError(
            "Cette auto-évaluation est déjà terminée : ses réponses ne peuvent plus changer. "
            "Commencez-en une nouvelle pour mesurer vos progrès."
        )
    return attempt


def _unfinished(session: Session, user_id: int) -> AssessmentAttempt | None:
    return session.scalar(
        select(AssessmentAttempt)
        .where(AssessmentAttempt.user_id == user_id, AssessmentAttempt.completed_at.is_(None))
        .order_by(AssessmentAttempt.id.desc())
        .limit(1)
    )


def start_attempt(session: Session, actor: Actor, campaign_id: int | None = None) -> AttemptView:
    """The actor's unfinished attempt if there is one (resume), otherwise a new one."""
    campaign = None
    if campaign_id is not None:
        campaign = _campaign(session, campaign_id)
        if campaign.cohort_id not in member_cohort_ids(session, actor.id):
            raise AccessDenied(
                "Cette campagne concerne une session de formation dont vous ne faites pas partie."
            )
        if not campaign.starts_on <= people_today() <= campaign.ends_on:
            raise UserError("Cette campagne n’est pas ouverte aujourd’hui : vérifiez ses dates.")
    attempt = _unfinished(session, actor.id)
    if attempt is None:
        attempt = AssessmentAttempt(user_id=actor.id, campaign_id=campaign_id, step=0)
        session.add(attempt)
        session.flush()
    elif campaign is not None and attempt.campaign_id is None:
        attempt.campaign_id = campaign.id
    return _view(session, attempt)


def in_progress(session: Session, actor: Actor) -> AttemptView | None:
    """The actor's unfinished attempt, to resume."""
    attempt = _unfinished(session, actor.id)
    return _view(session, attempt) if attempt else None


def _upsert(
    session: Session,
    attempt: AssessmentAttempt,
    item_id: str,
    kind: str,
    value: str,
    version: int | None = None,
) -> None:
    for answer in attempt.answers:
        if answer.item_id == item_id:
            answer.value, answer.kind, answer.answered_at = value, kind, utcnow()
            return
    attempt.answers.append(AssessmentAnswer(item_id=item_id, kind=kind, value=value, version=version))


def save_answers(
    session: Session,
    actor: Actor,
    attempt_id: int,
    *,
    ratings: Mapping[str, int] | None = None,
    choices: Mapping[str, str] | None = None,
    missions: Mapping[str, str] | None = None,
    step: int | None = None,
) -> AttemptView:
    """Save one step's answers (idempotent: answering again replaces the previous answer)."""
    attempt = _own_open_attempt(session, actor, attempt_id)
    fw, versions = _content(session, attempt)
    statements = {s.id for c in fw.competences for s in c.statements}
    items = {j.id: j for c in fw.competences for j in c.situational}
    for item_id, rating in (ratings or {}).items():
        if item_id not in statements or rating not in (1, 2, 3, 4, 5):
            raise UserError("Réponse non valable : choisissez une valeur de 1 à 5 pour chaque affirmation.")
        _upsert(session, attempt, item_id, RATING, str(rating))
    for item_id, option_id in (choices or {}).items():
        if item_id not in items or items[item_id].option(option_id) is None:
            raise UserError("Réponse non valable : choisissez l’une des quatre réponses proposées.")
        _upsert(session, attempt, item_id, CHOICE, option_id, versions.get(item_id))
    mission_ids = {m.id for m in fw.missions}
    for mission_id, level in (missions or {}).items():
        if mission_id not in mission_ids or level not in MASTERY_IDS:
            raise UserError("Niveau non valable : choisissez l’un des quatre niveaux de maîtrise.")
        existing = next((m for m in attempt.mission_levels if m.mission_id == mission_id), None)
        if existing is None:
            attempt.mission_levels.append(MissionLevel(mission_id=mission_id, level=level))
        else:
            existing.level = level
    if step is not None:
        attempt.step = max(0, step)
    attempt.updated_at = utcnow()
    session.flush()
    return _view(session, attempt, fw)


def complete_attempt(session: Session, actor: Actor, attempt_id: int) -> AttemptView:
    """Score and close the attempt; refused while a competence has fewer than half its answers."""
    attempt = _own_open_attempt(session, actor, attempt_id)
    fw = _content(session, attempt)[0]
    view = _view(session, attempt, fw)
    # the exercise results known today are evidence beside the situations (scoring.level_ceiling)
    report = score_answers(
        fw, view.ratings, view.choices, calibration.measured_performance(session, actor, actor.id)
    )
    if not report.complete:
        names = ", ".join(fw.competence(cid).name for cid in report.unscored)
        raise UserError(
            f"Répondez à au moins la moitié des questions de chaque compétence avant de terminer ; "
            f"il en manque pour : {names}."
        )
    for cid, s in report.scores.items():
        attempt.results.append(
            CompetenceResult(
                competence_id=cid,
                score=s.score,
                self_score=s.self_score,
                judgement_score=s.judgement_score,
                answered=s.answered,
                total=s.total,
            )
        )
    attempt.completed_at = utcnow()
    attempt.updated_at = attempt.completed_at
    session.flush()  # SQLite's write lock from here to the commit: nothing is read again
    return replace(view, completed_at=attempt.completed_at, report=_results_report(fw, list(attempt.results)))


def discard_attempt(session: Session, actor: Actor, attempt_id: int) -> int:
    """Abandon an unfinished attempt (a completed one is part of the history and stays); its id."""
    session.delete(_own_open_attempt(session, actor, attempt_id))
    return attempt_id


def get_attempt(session: Session, actor: Actor, attempt_id: int) -> AttemptView:
    attempt = _get(session, attempt_id)
    if attempt.user_id != actor.id and not actor.is_trainer:
        raise AccessDenied("Vous ne pouvez consulter que vos propres auto-évaluations.")
    require_read_user(session, actor, attempt.user_id)
    return _view(session, attempt)


def list_attempts(session: Session, actor: Actor, user_id: int | None = None) -> list[AttemptView]:
    """Completed attempts of ``user_id`` (default: the actor), oldest first."""
    user_id = actor.id if user_id is None else user_id
    require_read_user(session, actor, user_id)
    rows = session.scalars(
        select(AssessmentAttempt)
        .options(
            selectinload(AssessmentAttempt.answers),
            selectinload(AssessmentAttempt.mission_levels),
            selectinload(AssessmentAttempt.results),
        )
        .where(AssessmentAttempt.user_id == user_id, AssessmentAttempt.completed_at.is_not(None))
        .order_by(AssessmentAttempt.completed_at, AssessmentAttempt.id)
    )
    return [_view(session, a) for a in rows]


def previous_of(attempts: list[AttemptView], attempt_id: int) -> AttemptView | None:
    """The attempt completed just before ``attempt_id`` in an oldest-first list."""
    ids = [a.id for a in attempts]
    if attempt_id not in ids:
        return None
    index = ids.index(attempt_id)
    return attempts[index - 1] if index > 0 else None


# --- the trainer's cohort view -------------------------------------------------------------------


def _members(session: Session, cohort_id: int) -> list[tuple[int, str]]:
    rows = session.execute(
        select(User.id, User.display_name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.cohort_id == cohort_id, Membership.active.is_(True))
        .order_by(User.id)
    ).all()
    return sorted(((uid, name) for uid, name in rows), key=lambda row: name_order(row[1]))


def _latest_completed(
    session: Session, user_ids: list[int], campaign_id: int | None
) -> dict[int, AssessmentAttempt]:
    if not user_ids:
        return {}
    stmt = (
        select(AssessmentAttempt)
        .options(selectinload(AssessmentAttempt.results), selectinload(AssessmentAttempt.mission_levels))
        .where(AssessmentAttempt.user_id.in_(user_ids), AssessmentAttempt.completed_at.is_not(None))
    )
    if campaign_id is not None:
        stmt = stmt.where(AssessmentAttempt.campaign_id == campaign_id)
    latest: dict[int, AssessmentAttempt] = {}
    for attempt in session.scalars(stmt.order_by(AssessmentAttempt.completed_at, AssessmentAttempt.id)):
        latest[attempt.user_id] = attempt
    return latest


def _campaign_of_cohort(session: Session, cohort_id: int, campaign_id: int | None) -> None:
    if campaign_id is not None and _campaign(session, campaign_id).cohort_id != cohort_id:
        raise UserError("Cette campagne appartient à une autre session de formation.")


def respondents(session: Session, actor: Actor, campaign_id: int) -> list[RespondentStatus]:
    """Who has answered a campaign, who is answering, who has not started (for its trainer)."""
    campaign = _campaign(session, campaign_id)
    require_cohort_trainer(session, actor, campaign.cohort_id)
    members = _members(session, campaign.cohort_id)
    attempts = session.scalars(
        select(AssessmentAttempt).where(
            AssessmentAttempt.campaign_id == campaign_id,
            AssessmentAttempt.user_id.in_([uid for uid, _ in members] or [-1]),
        )
    )
    done: dict[int, datetime] = {}
    started: set[int] = set()
    for a in attempts:
        if a.completed_at is not None:
            done[a.user_id] = max(done.get(a.user_id, a.completed_at), a.completed_at)
        else:
            started.add(a.user_id)
    return [
        RespondentStatus(
            uid,
            name,
            DONE if uid in done else IN_PROGRESS if uid in started else NOT_STARTED,
            done.get(uid),
        )
        for uid, name in members
    ]


def cohort_scores(
    session: Session, actor: Actor, cohort_id: int, campaign_id: int | None = None
) -> list[TraineeScores]:
    """Each active trainee's latest completed attempt (in the campaign when given): the heatmap's rows."""
    require_cohort_trainer(session, actor, cohort_id)
    _campaign_of_cohort(session, cohort_id, campaign_id)
    members = _members(session, cohort_id)
    latest = _latest_completed(session, [uid for uid, _ in members], campaign_id)
    rows = []
    for uid, name in members:
        attempt = latest.get(uid)
        if attempt is None or attempt.completed_at is None:
            continue
        scores = {r.competence_id: r.score for r in attempt.results}
        missions = {m.mission_id: m.level for m in attempt.mission_levels}
        rows.append(TraineeScores(uid, name, attempt.id, attempt.completed_at, scores, missions))
    return rows


def cohort_calibration(
    session: Session, actor: Actor, cohort_id: int, campaign_id: int | None = None
) -> list[TraineeCalibration]:
    """For the cohort's trainer: each active trainee's self-rating part (latest completed attempt,
    in the campaign when given) next to their measured exercise results, per competence."""
    require_cohort_trainer(session, actor, cohort_id)
    _campaign_of_cohort(session, cohort_id, campaign_id)
    members = _members(session, cohort_id)
    latest = _latest_completed(session, [uid for uid, _ in members], campaign_id)
    return [
        TraineeCalibration(
            uid,
            name,
            calibration.calibration(
                session, actor, uid, {r.competence_id: r.self_score for r in latest[uid].results}
            ),
        )
        for uid, name in members
        if uid in latest
    ]


def _means(rows: list[TraineeScores], competence_ids: list[str]) -> dict[str, float]:
    means = {}
    for cid in competence_ids:
        values = [v for r in rows if (v := r.scores.get(cid)) is not None]
        if values:
            means[cid] = round(mean(values), 1)
    return means


def campaign_progress(session: Session, actor: Actor, cohort_id: int) -> list[CampaignSummary]:
    """The cohort's mean per competence in each campaign, oldest first: progress between campaigns."""
    ids = [c.id for c in framework().competences]
    summaries = []
    for campaign in list_campaigns(session, actor, cohort_id):
        rows = cohort_scores(session, actor, cohort_id, campaign.id)
        summaries.append(CampaignSummary(campaign, len(rows), _means(rows, ids)))
    return summaries


def cohort_average(session: Session, actor: Actor, cohort_id: int) -> CohortAverage:
    """The anonymous mean of the cohort's latest attempts: its trainer, or members when allowed."""
    cohort = require_cohort_visible(session, actor, cohort_id)
    if not actor.is_trainer and not cohort.show_cohort_average:
        raise AccessDenied("Votre formateur n’a pas rendu la moyenne de la session visible.")
    if actor.is_trainer:
        require_cohort_trainer(session, actor, cohort_id)
    members = _members(session, cohort_id)
    latest = _latest_completed(session, [uid for uid, _ in members], None)
    rows = [
        TraineeScores(uid, "", a.id, a.completed_at, {r.competence_id: r.score for r in a.results})
        for uid, a in latest.items()
        if a.completed_at is not None
    ]
    means = _means(rows, [c.id for c in framework().competences])
    if not actor.is_trainer and len(rows) < MIN_ANONYMOUS:
        means = {}
    return CohortAverage(cohort.id, cohort.name, len(rows), means)


def visible_averages(session: Session, actor: Actor) -> list[CohortAverage]:
    """For a trainee: the averages of their cohorts whose trainer allows it."""
    averages = []
    for cohort_id in member_cohort_ids(session, actor.id):
        cohort = session.get(Cohort, cohort_id)
        if cohort is not None and cohort.show_cohort_average:
            averages.append(cohort_average(session, actor, cohort_id))
    return averages
