"""What a grader returns: each rule passed or not with a French explanation, and a score."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, Field, ValidationError

from workbench.errors import UserError

T = TypeVar("T", bound=BaseModel)


class Check(BaseModel):
    label: str  # the rule, in French (« Salutation et prénom »)
    passed: bool
    detail: str  # why, in French: what was found, what was expected
    points: float = 0.0
    max_points: float = 1.0


class GradeResult(BaseModel):
    score: float = Field(ge=0, le=100)  # automatic score, in %
    checks: list[Check]
    summary: str  # the exercise's feedback for this score
    passed: bool = False  # the score reaches the exercise's pass mark
    needs_review: bool = False  # a trainer must read it before the result is final
    extra: dict[str, Any] = Field(default_factory=dict)  # kind-specific: preview, expected values, debrief

    @property
    def passed_count(self) -> int:
        return sum(c.passed for c in self.checks)


def check(label: str, passed: bool, detail: str, *, weight: float = 1.0) -> Check:
    return Check(
        label=label, passed=passed, detail=detail, points=weight if passed else 0.0, max_points=weight
    )


def build_result(exercise: Any, checks: list[Check], *, extra: dict[str, Any] | None = None) -> GradeResult:
    """The score is the share of points earned; the feedback text depends on the pass mark."""
    total = sum(c.max_points for c in checks)
    score = round(100 * sum(c.points for c in checks) / total, 1) if total else 0.0
    return with_score(
        exercise,
        GradeResult(
            score=score,
            checks=checks,
            summary="",
            needs_review=exercise.review == "required",
            extra=extra or {},
        ),
        score,
    )


def with_score(exercise: Any, result: GradeResult, score: float) -> GradeResult:
    """The result with ``score`` and the feedback text that goes with it."""
    passed = score >= exercise.pass_mark
    summary = exercise.feedback.success if passed else exercise.feedback.failure
    return result.model_copy(update={"score": score, "passed": passed, "summary": summary})


def parse_answer(model: type[T], answer: object) -> T:
    """The submitted answer as ``model``; a malformed one is refused in French."""
    try:
        return model.model_validate(answer)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "réponse"
        raise UserError(
            f"Réponse incomplète ou mal formée («\u00a0{where}\u00a0»)\u00a0: complétez-la puis renvoyez-la."
        ) from exc
