"""What a trainer reads of a handed-in attempt: every kind's answer whole, in Corrections and in the export;
grading that never overwrites an automatic score by accident; the live crisis's choices kept after it ends."""

from __future__ import annotations

import csv
import io

import pytest
from pydantic import TypeAdapter, ValidationError

from tests.exercise_samples import SAMPLES, crisis_path
from training_modules.exercises import live, reviews, submissions
from training_modules.exercises.answers import answer_rows, answer_text
from training_modules.exercises.loader import get_exercise, load_exercises
from training_modules.exercises.schema import KIND_LABELS, KINDS, Exercise
from workbench.db import session_scope
from workbench.errors import AccessDenied, UserError

REPLY = "reply-client-colis-perdu"


def test_samples_cover_every_kind():
    assert sorted(get_exercise(i).kind for i in SAMPLES) == sorted(KINDS)


@pytest.mark.parametrize("exercise_id", list(SAMPLES))
def test_every_kind_reads_whole(exercise_id):
    ex = get_exercise(exercise_id)
    answer, phrase = SAMPLES[exercise_id]
    rows = answer_rows(ex, answer, user_id=3)
    assert rows and all(r.label for r in rows)
    shown = "\n".join(f"{r.label} {r.value} {r.note}" for r in rows)
    assert phrase in shown
    assert phrase in answer_text(ex, answer, user_id=3)
    assert "{" not in shown  # never a raw JSON dump


def test_rows_name_each_part_in_french():
    quiz = get_exercise("quiz-indicateurs")
    rows = answer_rows(quiz, {"q1": [quiz.questions[0].answer[0]]})
    assert rows[0].label == quiz.questions[0].prompt
    assert rows[1].value == "Sans réponse"  # an unanswered question is said so
    mod = get_exercise("moderation-fournil-concours")
    rows = answer_rows(mod, SAMPLES[mod.id][0])
    assert rows[1].value == "Masquer\u00a0— «\u00a0Raison du tri n° 2\u00a0»"
    assert rows[1].note == "Attendu\u00a0: Signaler ou Supprimer"  # the key, then what is also accepted
    kpi = get_exercise("kpi-veloce-mars")
    rows = {r.label: r for r in answer_rows(kpi, SAMPLES[kpi.id][0], user_id=3)}
    assert rows["Taux d’engagement (%)"].value == "6,88\u202f%"
    assert rows["Temps de réponse moyen (minutes)"].value == "42,00\u00a0min"
    assert rows["Taux d’engagement (%)"].note.startswith("Attendu\u00a0: ")
    cal = get_exercise("calendar-fournil-semaine")
    rows = answer_rows(cal, SAMPLES[cal.id][0])
    assert [r.label for r in rows] == ["lundi 08:00 · Instagram", "mercredi 10:30 · Instagram"]
    assert rows[1].value == "Conseil pratique\u00a0— Sujet témoin"
    crisis = get_exercise("crisis-fournil-rumeur")
    rows = answer_rows(crisis, {"choices": ["a"], "response_seconds": [12.4]})
    assert rows[0].label == "Samedi 9 h 05 · Groupe Facebook local"
    assert rows[0].value == crisis.steps[0].choices[0].text
    assert "Temps de réaction\u00a0: 12\u00a0s" in rows[0].note
    tweet = get_exercise("live-tweet-salon-gastronomie")
    assert answer_rows(tweet, SAMPLES[tweet.id][0])[0].label == "01:15"


def test_export_carries_the_answers_and_checks(people):
    with session_scope() as s:
        for ex_id, (answer, _phrase) in SAMPLES.items():
            submissions.submit(s, people.alice, ex_id, answer)
    with session_scope() as s:
        text = reviews.export_results_csv(s, people.trainer, people.cohort_id)
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == len(SAMPLES)
    by_id = {r["exercice"]: r for r in rows}
    for ex_id, (_answer, phrase) in SAMPLES.items():
        assert phrase in by_id[ex_id]["réponse"], ex_id
        assert by_id[ex_id]["vérifications automatiques"], ex_id
    assert "✗ " in by_id["quiz-indicateurs"]["vérifications automatiques"]
    # the kind as the trainer reads it, not the code's name (« crisis », « live_tweet »)
    assert by_id["crisis-fournil-rumeur"]["type"] == "Gestion de crise"
    assert {r["type"] for r in rows} <= set(KIND_LABELS.values())


def test_review_queue_can_list_every_handed_in_attempt(people):
    with session_scope() as s:
        for ex_id, (answer, _phrase) in SAMPLES.items():
            submissions.submit(s, people.alice, ex_id, answer)
        submissions.save_draft(s, people.bob, REPLY, {"text": "brouillon"})
    with session_scope() as s:
        assert len(reviews.review_queue(s, people.trainer)) == 2  # the two that need a human
        everything = reviews.review_queue(s, people.trainer, include_all=True)
        assert sorted(v.exercise_id for v in everything) == sorted(SAMPLES)
        assert reviews.review_queue(s, people.other_trainer, include_all=True) == []


# --- grading ---------------------------------------------------------------------------------


def test_a_comment_alone_never_changes_the_score(people):
    quiz = get_exercise("quiz-indicateurs")
    good = {q.id: q.answer for q in quiz.questions}
    with session_scope() as s:
        sub = submissions.submit(s, people.alice, REPLY, {"text": get_exercise(REPLY).model_answer})
        auto = submissions.submit(s, people.bob, quiz.id, good)
    with session_scope() as s:
        graded = reviews.grade_submission(
            s, people.trainer, sub.id, rubric_points=[None, None, None], comment="Relisez la charte."
        )
        assert graded.review.score is None and graded.final_score == 100.0
        commented = reviews.grade_submission(
            s, people.trainer, auto.id, rubric_points=[], comment="Bien joué."
        )
        assert commented.final_score == 100.0
        reviews.release_feedback(s, people.trainer, sub.id)
    with session_scope() as s:
        seen = submissions.get_submission(s, people.alice, sub.id)
        assert seen.review.comment == "Relisez la charte." and seen.final_score == 100.0
        text = reviews.export_results_csv(s, people.trainer, people.cohort_id)
    row = next(r for r in csv.DictReader(io.StringIO(text), delimiter=";") if r["exercice"] == REPLY)
    assert row["note formateur"] == "" and row["score final"] == "100,0"
    assert row["commentaire du formateur"] == "Relisez la charte."


def test_a_grid_is_graded_whole_and_by_its_levels(people):
    ex = get_exercise(REPLY)
    with session_scope() as s:
        sub = submissions.submit(s, people.alice, REPLY, {"text": ex.model_answer})
    top = [c.max_points for c in ex.rubric]
    with session_scope() as s:
        with pytest.raises(UserError, match="chaque critère"):
            reviews.grade_submission(
                s, people.trainer, sub.id, rubric_points=[top[0], None, None], comment="x"
            )
        off_level = next(p for p in range(top[0]) if p not in {lv.points for lv in ex.rubric[0].levels})
        with pytest.raises(UserError, match="se note"):
            reviews.grade_submission(
                s, people.trainer, sub.id, rubric_points=[off_level, *top[1:]], comment="x"
            )
        graded = reviews.grade_submission(s, people.trainer, sub.id, rubric_points=top, comment="Parfait.")
        assert graded.review.score == 100.0


# --- rubrics ---------------------------------------------------------------------------------


def _human_graded():
    return [e for e in load_exercises().values() if e.review != "none"]


def test_every_human_graded_exercise_has_a_real_rubric():
    exercises = _human_graded()
    assert len(exercises) >= 8
    for ex in exercises:
        assert len(ex.rubric) >= 3, ex.id
        labels = [c.label for c in ex.rubric]
        assert "Qualité d’ensemble" not in labels and len(set(labels)) == len(labels), ex.id
        for criterion in ex.rubric:
            points = [lv.points for lv in criterion.levels]
            assert len(points) >= 3 and points == sorted(points) and points[0] == 0, (ex.id, criterion.label)
            assert criterion.max_points == points[-1]


def test_rubric_texts_follow_french_typography():
    for ex in _human_graded():
        for criterion in ex.rubric:
            for text in [criterion.label, *(lv.description for lv in criterion.levels)]:
                assert "'" not in text and '"' not in text, (ex.id, text)  # ’ and « »
                for i, char in enumerate(text):
                    if char in ":;!?»":
                        assert i > 0 and text[i - 1] in "\u00a0\u202f", (ex.id, text)
                    if char == "«":
                        assert text[i + 1] == "\u00a0", (ex.id, text)


def test_schema_requires_a_rubric_for_human_graded_kinds():
    post = get_exercise("post-fournil-nouveaute").model_dump(mode="json", exclude={"id"})
    adapter = TypeAdapter(Exercise)
    adapter.validate_python(post)
    with pytest.raises(ValidationError, match="grille"):
        adapter.validate_python({**post, "rubric": []})
    with pytest.raises(ValidationError, match="grille"):
        adapter.validate_python({k: v for k, v in post.items() if k != "rubric"})
    quiz = get_exercise("quiz-indicateurs").model_dump(mode="json", exclude={"id"})
    adapter.validate_python({k: v for k, v in quiz.items() if k != "rubric"})  # automatic: no grid needed
    level = {"points": 2, "description": "Un niveau"}
    with pytest.raises(ValidationError):
        adapter.validate_python(
            {**post, "rubric": [{"label": "Doublon", "levels": [level, level]}]}
        )  # two levels with the same points


# --- live crisis -----------------------------------------------------------------------------

CRISIS = "crisis-fournil-rumeur"


def test_live_dashboard_carries_choices_and_outlives_the_end(people):
    ex = get_exercise(CRISIS)
    with session_scope() as s:
        live_id = live.start_live(s, people.trainer, cohort_id=people.cohort_id, exercise_id=CRISIS).id
        live.release_next(s, people.trainer, live_id)
    with session_scope() as s:
        live.answer_live(s, people.alice, live_id, "b")
        live.end_live(s, people.trainer, live_id)
    with session_scope() as s:
        [past] = live.ended_lives(s, people.trainer)
        assert past.id == live_id and past.ended
        rows = {r.name: r for r in past.rows}
        [decision] = rows["Alice"].decisions
        first = ex.steps[0]
        assert decision.step == f"{first.at} · {first.channel}"
        assert decision.choice == SAMPLES[CRISIS][1] and decision.points == 1
        assert rows["Bob"].decisions == []
        assert live.ended_lives(s, people.other_trainer) == []
        with pytest.raises(AccessDenied):
            live.ended_lives(s, people.alice)
    assert crisis_path(CRISIS, "b")[0] == "b"


def test_a_long_reaction_time_is_written_the_french_way():
    """A trainee back after twenty minutes in a live crisis read « Temps de réaction : 1234 s »
    (no thousands separator, and a breakable space before the unit in the automatic check)."""
    from training_modules.exercises.graders import grade

    crisis = get_exercise("crisis-fournil-rumeur")
    path = crisis_path(crisis.id, "a")
    timed = {"choices": path, "response_seconds": [1234.4] * len(path)}
    expected = "Temps de réaction\u00a0: 1\u202f234\u00a0s"
    assert expected in answer_rows(crisis, timed)[0].note
    assert expected in grade(crisis, timed).checks[0].detail
