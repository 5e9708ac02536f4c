"""KPI computation: numeric answers compared with this trainee's own dataset, within a tolerance."""

from __future__ import annotations

from pydantic import RootModel

from training_modules.exercises.kpi import METRIC_LABELS, dataset_for, expected_values, metric_formula
from training_modules.exercises.result import GradeResult, build_result, check, parse_answer
from training_modules.exercises.schema import KpiExercise
from workbench.errors import UserError


class KpiAnswer(RootModel[dict[str, float | None]]):
    """Metric id → the trainee's value (percent points, or minutes for the response time)."""


def fr_decimal(x: float) -> str:
    """Two decimals, French style: 1\u202f234,50."""
    return f"{x:,.2f}".replace(",", "\u202f").replace(".", ",")


def grade(exercise: KpiExercise, answer: object, user_id: int | None = None) -> GradeResult:
    if user_id is None:
        raise UserError("Ce calcul dépend de votre jeu de données\u00a0: connectez-vous pour le faire.")
    given = parse_answer(KpiAnswer, answer).root
    expected = expected_values(exercise, dataset_for(exercise, user_id))
    checks = []
    for metric, value in expected.items():
        tol = exercise.tolerance_minutes if metric == "avg_response_time" else exercise.tolerance_points
        unit = " min" if metric == "avg_response_time" else " %"
        mine = given.get(metric)
        if mine is None:
            ok, detail = (
                False,
                f"Sans réponse. Attendu\u00a0: {fr_decimal(value)}{unit} ({metric_formula(metric, exercise)}).",
            )
        else:
            ok = abs(mine - value) <= tol + 1e-9
            detail = (
                f"Juste\u00a0: {fr_decimal(mine)}{unit} (attendu {fr_decimal(value)}{unit}, tolérance ± {fr_decimal(tol)})."
                if ok
                else f"Vous avez trouvé {fr_decimal(mine)}{unit}\u202f; attendu {fr_decimal(value)}{unit}. "
                f"Formule\u00a0: {metric_formula(metric, exercise)}."
            )
        checks.append(check(METRIC_LABELS[metric], ok, detail))
    return build_result(exercise, checks, extra={"expected": expected})
