"""AppTest: trainer-made exercises on the assign page, the programme, « Mes exercices » and the
corrections page."""

from __future__ import annotations

from datetime import timedelta

from curation.sanitize import markdown_text
from tests.test_pages_exercises import button, page, texts
from training_modules import library
from training_modules.exercises import assignments, submissions
from training_modules.exercises.loader import version_of
from workbench.db import session_scope
from workbench.localtime import today

REPLY = "reply-client-colis-perdu"


def _make(actor, source: str, *, sharing: str, **changes) -> str:
    with session_scope() as s:
        data = {**library.duplicate_data(s, actor, source), **changes}
        return library.save_exercise(s, actor, data, sharing=sharing).exercise.id


def test_the_assign_page_lists_exercises_shared_with_every_trainer(people):
    shared = _make(
        people.other_trainer, "quiz-indicateurs", sharing="trainers", title="Quiz partagé par Paul"
    )
    private = _make(people.other_trainer, "quiz-indicateurs", sharing="private", title="Quiz privé de Paul")
    at = page("screens/exercise_assign.py", people.trainer)
    assert not at.exception
    assert "Quiz partagé par Paul" in texts(at) and "Créé par Paul Autre" in texts(at)
    assert "Quiz privé de Paul" not in texts(at)
    at.button(key=f"assign:{shared}").click().run()
    assert not at.exception
    with session_scope() as s:
        [a] = assignments.cohort_assignments(s, people.trainer, people.cohort_id)
        assert (a.exercise_id, a.title) == (shared, "Quiz partagé par Paul")
    # The programme offers it too, on any day.
    extra = at.multiselect(key="programme:extra:0")
    assert shared in extra.options or "Quiz partagé par Paul" in extra.options
    assert private not in extra.options and "Quiz privé de Paul" not in extra.options
    at.button(key=f"preview:{shared}").click().run()
    assert not at.exception and at.header[0].value == "Quiz partagé par Paul"


def test_a_trainee_hands_in_an_assigned_trainer_made_exercise(people):
    brief = "Répondez à [ce lien](javascript:alert(1)) avec **tact** et sans jargon."
    ex_id = _make(people.trainer, REPLY, sharing="private", brief=brief, title="Réponse adaptée")
    at = page("screens/my_exercises.py", people.alice, open_exercise=ex_id)
    assert "pas partagé avec vous" in at.error[0].value  # not assigned yet
    with session_scope() as s:
        assignments.assign(
            s,
            people.trainer,
            cohort_id=people.cohort_id,
            exercise_id=ex_id,
            due_on=today() + timedelta(days=3),
        )
    at = page("screens/my_exercises.py", people.alice)
    assert "Réponse adaptée" in texts(at)
    at = page("screens/my_exercises.py", people.alice, open_exercise=ex_id)
    assert not at.exception
    # The trainer's brief is shown as written, never as a link.
    assert markdown_text(brief) in [m.value for m in at.markdown]
    at.text_area(key=f"ex:{ex_id}:text").input(
        "Bonjour Sandrine, nous retrouvons votre colis dès aujourd’hui."
    ).run()
    button(at, "Rendre").click().run()
    assert not at.exception
    with session_scope() as s:
        [sub] = submissions.attempts(s, people.alice, people.alice.id, ex_id)
        assert sub.status != "in_progress" and version_of(sub.exercise) == 1
    at = page("screens/exercise_reviews.py", people.trainer)
    assert not at.exception
    assert at.subheader[0].value == "Alice · Réponse adaptée"


def test_the_list_does_not_call_a_draft_a_handed_in_copy(people):
    """A trainee who had only opened and typed in an exercise made the list read « 1 copie rendue »."""
    with session_scope() as s:
        submissions.save_draft(s, people.alice, "calendar-fournil-semaine", {"posts": []})
    at = page("screens/library.py", people.trainer)
    line = next(c.value for c in at.caption if "Fourni avec l’atelier" in c.value and "1\u00a0" in c.value)
    assert line.endswith("1\u00a0copie commencée ou rendue"), line
