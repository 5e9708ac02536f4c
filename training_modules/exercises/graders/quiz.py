"""Quiz: single and multiple choice, short answer and numerical answer.

Partial credit (multiple choice): (right options ticked − wrong options ticked) ÷ right options,
never below zero. Ticking everything therefore earns nothing; a single choice is all or nothing.
Typed answers (short, numerical) earn the credit of the first accepted answer they match, as in
Moodle: a short answer ignores case (unless the question says otherwise), accents, apostrophe
styles and extra spaces, and ``*`` in an accepted answer stands for any characters; a number is
read the French way (``6,88``) and matches a value give or take its tolerance.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pydantic import RootModel

from training_modules.exercises.result import Check, GradeResult, build_result, parse_answer
from training_modules.exercises.schema import NumberAnswer, Question, QuizExercise, TypedAnswer
from workbench.numbers import decimals, fr_number, read_number

RULES = {
    "multiple": "Questions à choix multiples\u00a0: (bonnes cases cochées − mauvaises cases cochées) ÷ nombre de "
    "bonnes réponses, sans descendre sous zéro.",
    "single": "Questions à choix unique\u00a0: tout ou rien.",
}
_LOOKALIKES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})
_STAR = re.compile(r"(\\\*|\*)")


class QuizAnswer(RootModel[dict[str, list[str]]]):
    """Question id → ticked option ids, or the one text typed (short and numerical questions)."""


def fold(text: str, *, case_sensitive: bool = False) -> str:
    """``text`` as typed answers are compared: no accents, one kind of apostrophe, single spaces
    and, unless ``case_sensitive``, no case."""
    text = unicodedata.normalize("NFKD", text.translate(_LOOKALIKES))
    text = " ".join("".join(c for c in text if not unicodedata.combining(c)).split())
    return text if case_sensitive else text.casefold()


@lru_cache(maxsize=512)
def _pattern(accepted: str, case_sensitive: bool) -> re.Pattern[str]:
    """An accepted answer as a pattern: ``*`` any characters, ``\\*`` a star (Moodle's wildcard)."""
    parts = _STAR.split(fold(accepted, case_sensitive=case_sensitive))
    return re.compile(
        "".join(".*" if p == "*" else re.escape("*" if p == "\\*" else p) for p in parts), re.DOTALL
    )


def matching_text(question: Question, typed: str) -> TypedAnswer | None:
    """The first accepted answer ``typed`` matches, if any."""
    given = fold(typed, case_sensitive=question.case_sensitive)
    return next(
        (a for a in question.accepted if _pattern(a.text, question.case_sensitive).fullmatch(given)), None
    )


def matching_number(question: Question, value: float) -> NumberAnswer | None:
    """The first accepted value ``value`` falls within (its tolerance, and a hair for rounding)."""
    return next((a for a in question.numbers if abs(value - a.value) <= a.tolerance + 1e-9), None)


def number_text(answer: NumberAnswer) -> str:
    """An accepted value as a French person reads it: « 6,25 (± 0,05) »."""
    digits = max(decimals(answer.value), decimals(answer.tolerance))
    shown = fr_number(answer.value, digits)
    return f"{shown} (±\u00a0{fr_number(answer.tolerance, digits)})" if answer.tolerance else shown


def expected_text(question: Question) -> str:
    """What earns the whole point, as the trainee reads it after grading."""
    if question.type == "short":
        return " ou ".join(f"«\u00a0{a.text}\u00a0»" for a in question.accepted if a.credit == 100)
    if question.type == "numerical":
        return " ou ".join(number_text(a) for a in question.numbers if a.credit == 100)
    texts = {o.id: o.text for o in question.options}
    return "\u202f; ".join(texts[a] for a in question.answer)


def question_points(question: Question, given: list[str]) -> tuple[float, str]:
    """Points (0 to 1) for what was ticked or typed, and the feedback written for that answer."""
    if question.type in ("short", "numerical"):
        typed = given[0] if given else ""
        if question.type == "short":
            match = matching_text(question, typed)
        else:
            value = read_number(typed, label=question.prompt, field=question.id)
            match = None if value is None else matching_number(question, value)
        return (match.credit / 100, match.feedback) if match else (0.0, "")
    chosen, key = set(given), set(question.answer)
    feedback = " ".join(o.feedback for o in question.options if o.id in chosen and o.feedback)
    if question.type == "single":
        return (1.0 if chosen == key else 0.0), feedback
    return max(0.0, (len(chosen & key) - len(chosen - key)) / len(key)), feedback


def scoring_rule(exercise: QuizExercise) -> str:
    """How the quiz is scored, told for the kinds of question it holds."""
    types = {q.type for q in exercise.questions}
    said = [RULES[t] for t in ("multiple", "single") if t in types]
    typed = []
    short = [q for q in exercise.questions if q.type == "short"]
    if short and all(q.case_sensitive for q in short):
        typed.append("les accents ne comptent pas, les majuscules comptent")
    elif short:
        typed.append("majuscules et accents ne comptent pas")
    if "numerical" in types:
        typed.append("un nombre s’écrit à la française (6,88)")
    if typed:
        said.append("Réponses à écrire\u00a0: " + "\u202f; ".join(typed) + ".")
    return " ".join(said)


def grade(exercise: QuizExercise, answer: object, user_id: int | None = None) -> GradeResult:
    given = parse_answer(QuizAnswer, answer).root
    checks = []
    for q in exercise.questions:
        mine = [g for g in given.get(q.id, []) if g.strip()]
        points, feedback = question_points(q, mine)
        expected = expected_text(q)
        said = " ".join(p for p in (feedback, q.explanation) if p)
        if not mine:
            detail = f"Sans réponse. Réponse attendue\u00a0: {expected}. {q.explanation}"
        elif points == 1:
            detail = f"Bonne réponse. {said}"
        else:
            detail = f"Réponse attendue\u00a0: {expected}. {said}"
        checks.append(
            Check(label=q.prompt, passed=points == 1, detail=detail, points=round(points, 3), max_points=1)
        )
    return build_result(exercise, checks, extra={"partial_credit_rule": scoring_rule(exercise)})
