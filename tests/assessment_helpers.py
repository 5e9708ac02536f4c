"""Filling self-assessments in tests: answers meaning one level everywhere, saved through the library."""

from __future__ import annotations

from datetime import timedelta

from training_modules import assessment
from training_modules.competences import framework
from workbench.access import Actor
from workbench.db import session_scope
from workbench.localtime import today as people_today


def uniform_answers(level: int, best: bool) -> tuple[dict[str, int], dict[str, str]]:
    """Ratings meaning ``level`` on every statement (reverse items mirrored) and best/worst choices."""
    ratings: dict[str, int] = {}
    choices: dict[str, str] = {}
    for comp in framework().competences:
        for s in comp.statements:
            ratings[s.id] = 6 - level if s.reverse else level
        for j in comp.situational:
            choices[j.id] = j.best.id if best else min(j.options, key=lambda o: o.score).id
    return ratings, choices


def complete_attempt(actor: Actor, level: int, best: bool = True, campaign_id: int | None = None) -> int:
    """A completed attempt of ``actor``; returns its id."""
    ratings, choices = uniform_answers(level, best)
    with session_scope() as s:
        attempt = assessment.start_attempt(s, actor, campaign_id)
        assessment.save_answers(s, actor, attempt.id, ratings=ratings, choices=choices)
        assessment.save_answers(s, actor, attempt.id, missions={"veille": "autonome", "kpi": "decouverte"})
        assessment.complete_attempt(s, actor, attempt.id)
        return attempt.id


def open_campaign(trainer: Actor, cohort_id: int, name: str = "Début de formation") -> int:
    with session_scope() as s:
        today = people_today()  # the app's today: Paris, not the machine's
        return assessment.open_campaign(
            s,
            trainer,
            cohort_id,
            name=name,
            starts_on=today - timedelta(days=1),
            ends_on=today + timedelta(days=7),
        ).id
