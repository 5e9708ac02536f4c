"""Moderation triage: each comment's action against the key, with the charter's reason."""

from __future__ import annotations

from pydantic import BaseModel, RootModel

from curation.page_preview import shorten
from training_modules.exercises.result import Check, GradeResult, build_result, parse_answer
from training_modules.exercises.schema import ACTION_LABELS, ModerationAction, ModerationExercise


class Decision(BaseModel):
    action: ModerationAction
    reason: str = ""


class ModerationAnswer(RootModel[dict[str, Decision]]):
    """Comment id → the trainee's decision."""


def grade(exercise: ModerationExercise, answer: object, user_id: int | None = None) -> GradeResult:
    decisions = parse_answer(ModerationAnswer, answer).root
    checks = []
    for c in exercise.comments:
        key = c.key
        decision = decisions.get(c.id)
        expected = ACTION_LABELS[key.action]
        if decision is None:
            passed, detail = False, f"Non traité. Attendu\u00a0: {expected}. {key.reason}"
        else:
            passed = decision.action == key.action or decision.action in key.also_accepted
            chosen = ACTION_LABELS[decision.action]
            if passed and decision.action != key.action:
                detail = (
                    f"Accepté ({chosen})\u202f; la meilleure option était\u00a0: {expected}. {key.reason}"
                )
            elif passed:
                detail = f"Bien vu\u00a0: {chosen}. {key.reason}"
            else:
                detail = f"Vous avez choisi\u00a0: {chosen}. Attendu\u00a0: {expected}. {key.reason}"
        label = f"{c.author}\u00a0: «\u00a0{shorten(c.text, 70)}\u00a0»"
        checks.append(
            Check(
                label=label,
                passed=passed,
                detail=detail,
                points=c.weight if passed else 0,
                max_points=c.weight,
            )
        )
    missed = [
        c.id for c in exercise.comments if c.weight > 1 and not checks[exercise.comments.index(c)].passed
    ]
    return build_result(exercise, checks, extra={"missed_critical": missed})
