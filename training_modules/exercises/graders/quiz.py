"""Quiz: single and multiple choice.

Partial credit (multiple choice): (right options ticked − wrong options ticked) ÷ right options,
never below zero. Ticking everything therefore earns nothing; a single choice is all or nothing.
"""

from __future__ import annotations

from pydantic import RootModel

from training_modules.exercises.result import Check, GradeResult, build_result, parse_answer
from training_modules.exercises.schema import Question, QuizExercise

PARTIAL_CREDIT_RULE = (
    "Questions à choix multiples\u00a0: (bonnes cases cochées − mauvaises cases cochées) ÷ nombre de bonnes "
    "réponses, sans descendre sous zéro. Questions à choix unique\u00a0: tout ou rien."
)


class QuizAnswer(RootModel[dict[str, list[str]]]):
    """Question id → ticked option ids."""


def question_points(question: Question, chosen: set[str]) -> float:
    key = set(question.answer)
    if question.type == "single":
        return 1.0 if chosen == key else 0.0
    return max(0.0, (len(chosen & key) - len(chosen - key)) / len(key))


def grade(exercise: QuizExercise, answer: object, user_id: int | None = None) -> GradeResult:
    ticked = parse_answer(QuizAnswer, answer).root
    checks = []
    for q in exercise.questions:
        chosen = set(ticked.get(q.id, []))
        points = question_points(q, chosen)
        texts = {o.id: o.text for o in q.options}
        expected = "\u202f; ".join(texts[a] for a in q.answer)
        if not chosen:
            detail = f"Sans réponse. Réponse attendue\u00a0: {expected}. {q.explanation}"
        elif points == 1:
            detail = f"Bonne réponse. {q.explanation}"
        else:
            detail = f"Réponse attendue\u00a0: {expected}. {q.explanation}"
        checks.append(
            Check(label=q.prompt, passed=points == 1, detail=detail, points=round(points, 3), max_points=1)
        )
    return build_result(exercise, checks, extra={"partial_credit_rule": PARTIAL_CREDIT_RULE})
