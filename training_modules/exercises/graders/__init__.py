"""One grader per kind of exercise; ``grade`` picks the right one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from training_modules.exercises.graders import (
    calendar,
    crisis,
    kpi,
    live_tweet,
    moderation,
    post,
    quiz,
    reply,
    seo,
    watch_summary,
)
from training_modules.exercises.result import GradeResult

GRADERS: dict[str, Callable[..., GradeResult]] = {
    "quiz": quiz.grade,
    "moderation": moderation.grade,
    "reply": reply.grade,
    "post": post.grade,
    "kpi": kpi.grade,
    "calendar": calendar.grade,
    "crisis": crisis.grade,
    "live_tweet": live_tweet.grade,
    "watch_summary": watch_summary.grade,
    "seo": seo.grade,
}


def grade(exercise: Any, answer: object, *, user_id: int | None = None) -> GradeResult:
    """The automatic result of ``answer`` (already-validated exercise, answer as submitted JSON)."""
    return GRADERS[exercise.kind](exercise, answer, user_id)
