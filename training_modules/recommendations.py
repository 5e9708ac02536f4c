"""What to read and practise next: explanations of the situational items, resources and exercises.

Exercises are not named in the competence content (they belong to the exercises area and may be
added by a trainer at any time): each competence lists preferred exercise *kinds*, and the
recommendation picks, at run time, the catalog's exercises that train that competence, preferred
kinds first. Nothing can dangle.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from training_modules.competences import Framework, Option, Resource, SituationalItem
from training_modules.scoring import Report

EXERCISES_PER_PRIORITY = 3


@dataclass(frozen=True)
class JudgementFeedback:
    competence_id: str
    item: SituationalItem
    chosen: Option | None
    best: Option

    @property
    def is_best(self) -> bool:
        return self.chosen is not None and self.chosen.score == self.best.score


@dataclass(frozen=True)
class Recommendation:
    competence_id: str
    competence_name: str
    resources: list[Resource]
    exercises: list[dict[str, Any]]


def judgement_feedback(fw: Framework, choices: Mapping[str, str]) -> list[JudgementFeedback]:
    """Every situational item with the option chosen (or None), the best one and its explanation."""
    return [
        JudgementFeedback(c.id, item, item.option(choices.get(item.id, "")), item.best)
        for c in fw.competences
        for item in c.situational
    ]


def exercises_for(
    competence_id: str, preferred_kinds: Sequence[str], catalog: Sequence[Mapping[str, Any]], limit: int
) -> list[dict[str, Any]]:
    """Catalog exercises training ``competence_id``, preferred kinds first, then by id."""
    matching = [dict(e) for e in catalog if competence_id in (e.get("competences") or [])]

    def rank(entry: dict[str, Any]) -> tuple[int, str]:
        kind = entry.get("kind", "")
        return (preferred_kinds.index(kind) if kind in preferred_kinds else len(preferred_kinds), entry["id"])

    return sorted(matching, key=rank)[:limit]


def recommend(
    fw: Framework, report: Report, catalog: Sequence[Mapping[str, Any]], limit: int = EXERCISES_PER_PRIORITY
) -> list[Recommendation]:
    """Resources and exercises for each priority of ``report``, in priority order."""
    recs = []
    for cid in report.priorities:
        comp = fw.competence(cid)
        recs.append(
            Recommendation(
                cid, comp.name, list(comp.resources), exercises_for(cid, comp.exercise_kinds, catalog, limit)
            )
        )
    return recs
