"""Crisis branching scenario: walk the path of choices, score it against the best path, debrief."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, Field

from curation.page_preview import shorten
from training_modules.exercises.result import Check, GradeResult, build_result, parse_answer, with_score
from training_modules.exercises.schema import CrisisExercise, CrisisStep
from workbench.errors import UserError
from workbench.numbers import fr_number


class CrisisAnswer(BaseModel):
    choices: list[str]
    response_seconds: list[float] = Field(default_factory=list)  # live mode: time to answer each step


def step_map(exercise: CrisisExercise) -> dict[str, CrisisStep]:
    return {s.id: s for s in exercise.steps}


def walk(
    exercise: CrisisExercise, choices: list[str]
) -> tuple[list[tuple[CrisisStep, str]], CrisisStep | None]:
    """The steps taken with the choice made at each, and the next step (None when the scenario ended)."""
    steps = step_map(exercise)
    taken: list[tuple[CrisisStep, str]] = []
    current: CrisisStep | None = steps[exercise.start]
    for choice_id in choices:
        if current is None:
            raise UserError("Le scénario est déjà terminé\u00a0: aucune autre décision n’est attendue.")
        choice = next((c for c in current.choices if c.id == choice_id), None)
        if choice is None:
            raise UserError(f"Choix inconnu à l’étape «\u00a0{current.at}\u00a0»\u00a0: rechargez la page.")
        taken.append((current, choice_id))
        current = steps[choice.next] if choice.next else None
    return taken, current


def reaction_time(seconds: float) -> str:
    """« Temps de réaction : 1 234 s », as a trainee and the trainer read it."""
    return f"Temps de réaction\u00a0: {fr_number(round(seconds), 0)}\u00a0s"


def best_total(exercise: CrisisExercise) -> int:
    """The highest score any path can reach (the scenario graph is acyclic)."""
    steps = step_map(exercise)

    @cache
    def best(step_id: str) -> int:
        return max(c.points + (best(c.next) if c.next else 0) for c in steps[step_id].choices)

    return best(exercise.start)


def grade(exercise: CrisisExercise, answer: object, user_id: int | None = None) -> GradeResult:
    parsed = parse_answer(CrisisAnswer, answer)
    taken, pending = walk(exercise, parsed.choices)
    if pending is not None:
        raise UserError("Le scénario n’est pas terminé\u00a0: prenez toutes les décisions avant de rendre.")
    best = best_total(exercise)
    earned = 0
    checks = []
    for i, (step, choice_id) in enumerate(taken):
        choice = next(c for c in step.choices if c.id == choice_id)
        top = max(step.choices, key=lambda c: c.points)
        earned += choice.points
        detail = choice.consequence
        if choice.points < top.points:
            detail += f" Meilleure option ici\u00a0: «\u00a0{top.text}\u00a0»."
        if i < len(parsed.response_seconds):
            detail += f" {reaction_time(parsed.response_seconds[i])}."
        checks.append(
            Check(
                label=f"{step.at} — {shorten(step.event, 80)}",
                passed=choice.points == top.points,
                detail=detail,
                points=choice.points,
                max_points=top.points or 1,
            )
        )
    result = build_result(
        exercise,
        checks,
        extra={
            "path": [c for _, c in taken],
            "path_points": earned,
            "best_points": best,
            "debrief": exercise.debrief,
            "response_seconds": parsed.response_seconds,
        },
    )
    # The score of a path is its points over the best path's: a short path that ends the crisis well
    # can be perfect, an escalating one cannot.
    return with_score(exercise, result, round(100 * earned / best, 1) if best else 0.0)
