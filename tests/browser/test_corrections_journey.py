"""The trainer reads each kind's full answer in Corrections, in a real browser: one handed-in attempt
per exercise kind, each with a phrase only the trainee's answer holds."""

from __future__ import annotations

import pytest

from tests.browser.conftest import class_of_one, log_in, wait_idle
from tests.browser.test_exercises_journey import choose
from tests.exercise_samples import SAMPLES
from training_modules.exercises import get_exercise
from training_modules.exercises.submissions import STATUS_LABELS, submit
from workbench.db import dispose_engines

pytestmark = pytest.mark.browser


@pytest.fixture
def handed_in(app_server):
    """A trainer, a cohort, and a trainee who handed in one attempt of every kind."""
    with class_of_one(app_server, "Promo corrections") as (s, _trainer, _cohort, alice):
        for exercise_id, (answer, _phrase) in SAMPLES.items():
            submit(s, alice, exercise_id, answer)
    yield
    dispose_engines()


def test_trainer_reads_every_kind_whole(app_server, handed_in, new_context):
    page = new_context().new_page()
    log_in(page, app_server.url)
    page.get_by_role("link", name="Corrections").click()
    page.get_by_text("Toutes les copies rendues, tous types d’exercices").click()
    wait_idle(page)
    for exercise_id, (_answer, phrase) in SAMPLES.items():
        title = get_exercise(exercise_id).title
        status = "needs_review" if get_exercise(exercise_id).review == "required" else "submitted"
        choose(page, 1, f"Alice — {title} (tentative 1) · {STATUS_LABELS[status]}")
        page.get_by_text(phrase, exact=False).first.wait_for()
        page.get_by_text("Règles vérifiées automatiquement").wait_for()
