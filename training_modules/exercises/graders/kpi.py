"""KPI computation: numeric answers compared with this trainee's own dataset, within a tolerance."""

from __future__ import annotations

from pydantic import RootModel

from training_modules.exercises.kpi import METRIC_LABELS, dataset_for, expected_values, metric_formula
from training_modules.exercises.result import GradeResult, build_result, check, parse_answer
from training_modules.exercises.schema import KpiExercise
from workbench.errors import UserError
from workbench.numbers import fr_number, read_number


class KpiAnswer(RootModel[dict[str, float | str | None]]):
    """Metric id → the trainee's value (percent points, or minutes for the response time), as a
    number or as typed (``6,88``, ``6,88 %``: read by ``workbench.numbers.read_number``)."""


def grade(exercise: KpiExercise, answer: object, user_id: int | None = None) -> GradeResult:
    if user_id is None:
        raise UserError("Ce calcul dépend de votre jeu de données\u00a0: connectez-vous pour le faire.")
    given = {
        metric: read_number(value, label=METRIC_LABELS.get(metric, metric), field=metric)
        for metric, value in parse_answer(KpiAnswer, answer).root.items()
    }
    expected = expected_values(exercise, dataset_for(exercise, user_id))
    checks = []
    for metric, value in expected.items():
        tol = exercise.tolerance_minutes if metric == "avg_response_time" else exercise.tolerance_points
        unit = " min" if metric == "avg_response_time" else " %"
        mine = given.get(metric)
        if mine is None:
            ok, detail = (
                False,
                f"Sans réponse. Attendu\u00a0: {fr_number(value, 2)}{unit} ({metric_formula(metric, exercise)}).",
            )
        else:
            ok = abs(mine - value) <= tol + 1e-9
            detail = (
                f"Juste\u00a0: {fr_number(mine, 2)}{unit} (attendu {fr_number(value, 2)}{unit}, tolérance ± {fr_number(tol, 2)})."
                if ok
                else f"Vous avez trouvé {fr_number(mine, 2)}{unit}\u202f; attendu {fr_number(value, 2)}{unit}. "
                f"Formule\u00a0: {metric_formula(metric, exercise)}."
            )
        checks.append(check(METRIC_LABELS[metric], ok, detail))
    return build_result(exercise, checks, extra={"expected": expected})
