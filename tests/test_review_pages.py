"""AppTest: the trainer reads every kind's answer whole in Corrections, grades without traps, and keeps
the live crisis's choices after it ends; the trainee reads their own answer the same way."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from tests.exercise_samples import SAMPLES
from tests.test_pages_exercises import button, page, texts
from training_modules.exercises import get_exercise, live, submissions
from workbench.db import session_scope

REPLY = "reply-client-colis-perdu"


def _hand_in_every_kind(people) -> dict[int, str]:
    with session_scope() as s:
        return {
            submissions.submit(s, people.alice, ex_id, answer).id: ex_id
            for ex_id, (answer, _) in SAMPLES.items()
        }


def test_corrections_shows_every_kind_whole(people):
    subs = _hand_in_every_kind(people)
    at = page("screens/exercise_reviews.py", people.trainer)
    assert not at.exception
    at.radio(key="review_scope").set_value("all").run()
    assert not at.exception
    assert sorted(at.selectbox(key="review_copy").options) == sorted(
        f"Alice — {get_exercise(e).title} (tentative 1) · {s}"
        for e, s in zip(
            subs.values(),
            [
                submissions.STATUS_LABELS[
                    "submitted" if get_exercise(e).review != "required" else "needs_review"
                ]
                for e in subs.values()
            ],
            strict=True,
        )
    )
    for sub_id, ex_id in subs.items():
        at.selectbox(key="review_copy").set_value(sub_id).run()
        assert not at.exception, ex_id
        assert SAMPLES[ex_id][1] in texts(at), ex_id
        assert any(e.label == "Vérifications automatiques" for e in at.expander), ex_id
        assert "{" not in "".join(m.value for m in at.markdown), ex_id  # no JSON dump


def test_trainee_reads_their_own_answer_whole(people):
    subs = _hand_in_every_kind(people)
    kpi = next(i for i, e in subs.items() if e == "kpi-veloce-mars")
    crisis = next(i for i, e in subs.items() if e == "crisis-fournil-rumeur")
    at = page("screens/my_exercises.py", people.alice, open_submission=kpi)
    assert not at.exception
    assert "6,88\u202f%" in texts(at)
    at = page("screens/my_exercises.py", people.alice, open_submission=crisis)
    assert SAMPLES["crisis-fournil-rumeur"][1] in texts(at)


def test_a_comment_alone_keeps_the_automatic_score(people):
    ex = get_exercise(REPLY)
    with session_scope() as s:
        sub = submissions.submit(s, people.alice, REPLY, {"text": ex.model_answer})
    at = page("screens/exercise_reviews.py", people.trainer)
    radios = [at.radio(key=f"rubric:{sub.id}:{i}") for i in range(len(ex.rubric))]
    assert [r.value for r in radios] == [None] * len(ex.rubric)  # nothing recorded by accident
    at.text_area(key=f"comment:{sub.id}").input("Belle empathie\u202f; proposez un délai précis.")
    at.button(key=f"FormSubmitter:review:{sub.id}-Enregistrer la correction").click().run()
    assert not at.exception
    assert "Corrigé" not in texts(at)  # was « Corrigé : 0,0 % » over an automatic 100 %
    assert "score automatique (100,0\u202f%) reste la note" in texts(at)
    with session_scope() as s:
        seen = submissions.get_submission(s, people.trainer, sub.id)
        assert seen.review.score is None and seen.final_score == 100.0


def test_grading_with_the_grid_levels(people):
    ex = get_exercise(REPLY)
    with session_scope() as s:
        sub = submissions.submit(s, people.alice, REPLY, {"text": ex.model_answer})
    at = page("screens/exercise_reviews.py", people.trainer)
    at.radio(key=f"rubric:{sub.id}:0").set_value(ex.rubric[0].max_points)
    at.text_area(key=f"comment:{sub.id}").input("Bien.")
    at.button(key=f"FormSubmitter:review:{sub.id}-Enregistrer la correction").click().run()
    assert "Notez chaque critère" in texts(at)  # one criterion touched: the grid is graded whole
    for i, criterion in enumerate(ex.rubric):
        at.radio(key=f"rubric:{sub.id}:{i}").set_value(criterion.max_points)
    at.button(key=f"FormSubmitter:review:{sub.id}-Enregistrer la correction").click().run()
    assert not at.exception
    assert "Corrigé\u00a0: 100,0\u202f%" in texts(at)


def test_live_dashboard_shows_choices_and_keeps_them_after_the_end(people):
    choice = SAMPLES["crisis-fournil-rumeur"][1]
    with session_scope() as s:
        live_id = live.start_live(
            s, people.trainer, cohort_id=people.cohort_id, exercise_id="crisis-fournil-rumeur"
        ).id
        live.release_next(s, people.trainer, live_id)
    with session_scope() as s:
        live.answer_live(s, people.alice, live_id, "b")
    at = page("screens/crisis_live.py", people.trainer)
    assert not at.exception
    table = at.dataframe[0].value
    assert any(choice in str(v) for v in table.values.ravel())
    button(at, "Terminer la crise").click().run()
    assert not at.exception
    at = page("screens/crisis_live.py", people.trainer)
    assert "Crises terminées" in [h.value for h in at.subheader]
    table = at.dataframe[0].value
    assert any(choice in str(v) for v in table.values.ravel())
    alice = table[table["Stagiaire"] == "Alice"].iloc[0]
    assert alice["Terminé"] == "non"
    with session_scope() as s:
        [past] = live.ended_lives(s, people.trainer)
    paris = past.ended_at.replace(tzinfo=UTC).astimezone(ZoneInfo("Europe/Paris"))  # people's time, not UTC
    assert at.selectbox(key="ended_live").value == past.id
    assert f"terminée le {paris:%d/%m/%Y à %H:%M}" in at.selectbox(key="ended_live").format_func(past.id)
