"""Assignments, attempts, reviews, export, calibration and crisis live mode on both backends."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from training_modules.exercises import assignments, calibration, catalog_entries, live, reviews, submissions
from training_modules.exercises.loader import get_exercise
from training_modules.exercises.models import CrisisLiveAnswer, CrisisRelease
from workbench import localtime
from workbench.access import Actor
from workbench.cohorts import sign_up_with_code
from workbench.db import session_scope
from workbench.errors import AccessDenied, UserError
from workbench.models import User

REPLY = "reply-client-colis-perdu"
QUIZ = "quiz-indicateurs"
GOOD_QUIZ = {q.id: q.answer for q in get_exercise(QUIZ).questions}


def test_catalog_entries():
    entries = catalog_entries()
    assert len(entries) >= 20
    first = next(e for e in entries if e["id"] == QUIZ)
    assert first == {
        "id": QUIZ,
        "kind": "quiz",
        "kind_label": "Quiz",
        "title": "Le vocabulaire des indicateurs",
        "competences": ["communication"],
        "missions": ["kpi", "reseaux"],
    }


def test_assign_and_my_exercises(people):
    due = date.today() + timedelta(days=7)
    with session_scope() as s:
        assignments.assign(s, people.trainer, cohort_id=people.cohort_id, exercise_id=QUIZ, due_on=due)
        again = assignments.assign(
            s, people.trainer, cohort_id=people.cohort_id, exercise_id=QUIZ, due_on=None
        )
        assert again.due_on is None  # re-assigning changes the date, no duplicate
        assignments.assign(s, people.trainer, cohort_id=people.cohort_id, exercise_id=REPLY, due_on=due)
        assert len(assignments.cohort_assignments(s, people.trainer, people.cohort_id)) == 2
    with session_scope() as s:
        mine = submissions.my_exercises(s, people.alice)
        assert [m.state for m in mine] == ["assigned", "assigned"]
        assert submissions.my_exercises(s, people.zoe) == []
        with pytest.raises(AccessDenied):
            assignments.assign(
                s, people.other_trainer, cohort_id=people.cohort_id, exercise_id=QUIZ, due_on=None
            )
        with pytest.raises(AccessDenied):
            assignments.assign(s, people.alice, cohort_id=people.cohort_id, exercise_id=QUIZ, due_on=None)
        with pytest.raises(UserError, match="déjà passée"):
            assignments.assign(
                s, people.trainer, cohort_id=people.cohort_id, exercise_id=QUIZ, due_on=date(2020, 1, 1)
            )
        with pytest.raises(UserError, match="introuvable"):
            assignments.assign(s, people.trainer, cohort_id=people.cohort_id, exercise_id="nope", due_on=None)


def test_draft_submit_and_attempt_history(people):
    with session_scope() as s:
        d = submissions.save_draft(s, people.alice, QUIZ, {"q1": ["a"]})
        d2 = submissions.save_draft(s, people.alice, QUIZ, {"q1": ["b"]})
        assert d.id == d2.id and d2.status == "in_progress" and d2.attempt == 1
        assert submissions.get_draft(s, people.alice, QUIZ).answer == {"q1": ["b"]}
    with session_scope() as s:
        first = submissions.submit(s, people.alice, QUIZ, {"q1": ["b"]})
        assert first.id == d.id and first.status == "submitted" and first.result.checks
        second = submissions.submit(s, people.alice, QUIZ, GOOD_QUIZ)
        assert second.attempt == 2 and second.auto_score == 100
    with session_scope() as s:
        history = submissions.attempts(s, people.alice, people.alice.id, QUIZ)
        assert [h.attempt for h in history] == [2, 1]
        mine = submissions.my_exercises(s, people.alice)
        assert mine[0].state == "submitted" and mine[0].attempts == 2 and mine[0].last_score == 100
        assert mine[0].cohort_name is None  # done without being assigned
        with pytest.raises(UserError, match="aperçu"):
            submissions.submit(s, people.trainer, QUIZ, GOOD_QUIZ)
        with pytest.raises(UserError, match="mal formée"):
            submissions.submit(s, people.alice, QUIZ, {"q1": "a"})


def test_access_rules(people):
    with session_scope() as s:
        sub = submissions.submit(s, people.alice, REPLY, {"text": get_exercise(REPLY).model_answer})
        assert sub.status == "needs_review"
    with session_scope() as s:
        with pytest.raises(AccessDenied):
            submissions.get_submission(s, people.bob, sub.id)  # another trainee
        with pytest.raises(AccessDenied):
            submissions.attempts(s, people.bob, people.alice.id)
        with pytest.raises(AccessDenied):
            submissions.get_submission(s, people.other_trainer, sub.id)  # not their cohort
        with pytest.raises(AccessDenied):
            reviews.grade_submission(s, people.bob, sub.id, rubric_points=[8, 6, 6], comment="Bien")
        with pytest.raises(AccessDenied):
            reviews.grade_submission(s, people.alice, sub.id, rubric_points=[8, 6, 6], comment="Moi")
        with pytest.raises(AccessDenied):
            reviews.grade_submission(s, people.other_trainer, sub.id, rubric_points=[8, 6, 6], comment="Bien")
        with pytest.raises(AccessDenied):
            reviews.review_queue(s, people.alice)
        assert reviews.review_queue(s, people.other_trainer) == []
        with pytest.raises(AccessDenied):
            reviews.export_results_csv(s, people.other_trainer, people.cohort_id)
        assert submissions.get_submission(s, people.trainer, sub.id).user_name == "Alice"


def test_review_release_and_what_the_trainee_sees(people):
    with session_scope() as s:
        sub = submissions.submit(s, people.alice, REPLY, {"text": get_exercise(REPLY).model_answer})
        submissions.submit(s, people.bob, QUIZ, GOOD_QUIZ)  # automatic: not in the queue
    with session_scope() as s:
        queue = reviews.review_queue(s, people.trainer)
        assert [q.id for q in queue] == [sub.id]
        with pytest.raises(UserError, match="Corrigez d’abord"):
            reviews.release_feedback(s, people.trainer, sub.id)
        with pytest.raises(UserError, match="se note 0, 3, 6 ou 8 points"):
            reviews.grade_submission(
                s, people.trainer, sub.id, rubric_points=[7, 6, 6], comment="Hors niveau"
            )
        with pytest.raises(UserError, match="chaque critère"):
            reviews.grade_submission(s, people.trainer, sub.id, rubric_points=[8], comment="Court")
        with pytest.raises(UserError, match="commentaire"):
            reviews.grade_submission(s, people.trainer, sub.id, rubric_points=[8, 6, 6], comment="  ")
        graded = reviews.grade_submission(
            s,
            people.trainer,
            sub.id,
            rubric_points=[8, 4, 4],
            comment="Très bonne empathie\u202f; soyez plus bref.",
        )
        assert graded.status == "graded" and graded.review.score == 80.0
    with session_scope() as s:
        seen = submissions.get_submission(s, people.alice, sub.id)
        assert seen.review is None and seen.status_label == "En attente de correction"
        assert seen.final_score == 100  # automatic checks only, until the feedback is released
        assert [q.status for q in reviews.review_queue(s, people.trainer)] == ["graded"]
        reviews.release_feedback(s, people.trainer, sub.id)
    with session_scope() as s:
        seen = submissions.get_submission(s, people.alice, sub.id)
        assert seen.status == "feedback_released" and seen.review.comment.startswith("Très bonne")
        assert seen.final_score == 80.0
        assert submissions.my_exercises(s, people.alice)[0].state == "feedback"
        assert reviews.review_queue(s, people.trainer) == []
        with pytest.raises(UserError, match="déjà publié"):
            reviews.grade_submission(s, people.trainer, sub.id, rubric_points=[8, 6, 6], comment="Encore")


def test_export_csv(people):
    with session_scope() as s:
        sub = submissions.submit(s, people.alice, REPLY, {"text": get_exercise(REPLY).model_answer})
        submissions.submit(s, people.bob, QUIZ, {"q1": ["a"]})
        submissions.save_draft(s, people.bob, REPLY, {"text": "brouillon"})
        submissions.submit(s, people.zoe, QUIZ, GOOD_QUIZ)  # other cohort
        reviews.grade_submission(s, people.trainer, sub.id, rubric_points=[6, 2, 2], comment="Correct.")
    with session_scope() as s:
        text = reviews.export_results_csv(s, people.trainer, people.cohort_id)
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == reviews.EXPORT_COLUMNS
    assert [(r[1], r[3]) for r in rows[1:]] == [("Alice", REPLY), ("Bob", QUIZ)]
    alice = rows[1]
    assert alice[9] == "100,0" and alice[10] == "50,0" and alice[11] == "50,0" and alice[12] == ""


def test_calibration_provider(people):
    with session_scope() as s:
        submissions.submit(s, people.alice, QUIZ, {"q1": ["a"]})  # low first attempt
        submissions.submit(s, people.alice, QUIZ, GOOD_QUIZ)  # latest attempt counts
        sub = submissions.submit(s, people.alice, REPLY, {"text": get_exercise(REPLY).model_answer})
    with session_scope() as s:
        perf = calibration.measured_performance(s, people.alice.id)
        assert perf == {"communication": 100.0}  # the reply waits for a human: not counted yet
        reviews.grade_submission(s, people.trainer, sub.id, rubric_points=[6, 2, 2], comment="Correct.")
    with session_scope() as s:
        perf = calibration.measured_performance(s, people.alice.id)
        assert perf == {"communication": 75.0, "empathie": 50.0, "assertivite": 50.0}
        assert calibration.measured_performance(s, people.bob.id) == {}


CRISIS = "crisis-fournil-rumeur"


def test_crisis_live_mode(people):
    with session_scope() as s:
        state = live.start_live(s, people.trainer, cohort_id=people.cohort_id, exercise_id=CRISIS)
        live_id = state.id
        assert state.released_round == 0 and state.max_rounds == 3
        with pytest.raises(UserError, match="déjà en cours"):
            live.start_live(s, people.trainer, cohort_id=people.cohort_id, exercise_id=CRISIS)
        with pytest.raises(AccessDenied):
            live.start_live(s, people.other_trainer, cohort_id=people.cohort_id, exercise_id=CRISIS)
        with pytest.raises(UserError, match="scénarios de crise"):
            live.start_live(s, people.trainer, cohort_id=people.cohort_id, exercise_id=QUIZ)
    with session_scope() as s:
        turn = live.my_turn(s, people.alice, live_id)
        assert turn.waiting and turn.current is None
        with pytest.raises(UserError, match="Attendez"):
            live.answer_live(s, people.alice, live_id, "a")
        with pytest.raises(UserError, match="ne faites pas partie"):
            live.my_turn(s, people.zoe, live_id)
        assert [x.id for x in live.running_lives(s, people.alice)] == [live_id]
        assert live.running_lives(s, people.zoe) == []
        live.release_next(s, people.trainer, live_id)
    with session_scope() as s:
        assert live.my_turn(s, people.alice, live_id).current.id == "s1"
        assert live.answer_live(s, people.alice, live_id, "a") is None
        live.answer_live(s, people.bob, live_id, "c")  # bob's path branches to s2b
        with pytest.raises(UserError, match="Attendez"):
            live.answer_live(s, people.alice, live_id, "a")
        live.release_next(s, people.trainer, live_id)
    with session_scope() as s:
        assert live.my_turn(s, people.alice, live_id).current.id == "s2"
        assert live.my_turn(s, people.bob, live_id).current.id == "s2b"
        live.answer_live(s, people.alice, live_id, "a")
        live.release_next(s, people.trainer, live_id)
        with pytest.raises(UserError, match="déjà été diffusés"):
            live.release_next(s, people.trainer, live_id)
    with session_scope() as s:
        done = live.answer_live(s, people.alice, live_id, "a")
        assert done is not None and done.status == "submitted" and done.auto_score == 100
        assert len(done.answer["response_seconds"]) == 3
        assert live.my_turn(s, people.alice, live_id).finished
        state = live.live_state(s, people.trainer, live_id)
        rows = {r.name: r for r in state.rows}
        assert rows["Alice"].finished and rows["Alice"].answered_rounds == 3
        assert rows["Bob"].answered_rounds == 1 and not rows["Bob"].finished
        assert len(state.releases) == 3 and all(t >= 0 for t in rows["Alice"].response_seconds)
        assert s.query(CrisisRelease).count() == 3 and s.query(CrisisLiveAnswer).count() == 4
        live.end_live(s, people.trainer, live_id)
    with session_scope() as s:
        with pytest.raises(UserError, match="terminée"):
            live.answer_live(s, people.bob, live_id, "a")
        assert live.running_lives(s, people.trainer) == []


def test_crisis_response_time_is_measured_from_release(people):
    from datetime import timedelta as td

    with session_scope() as s:
        live_id = live.start_live(s, people.trainer, cohort_id=people.cohort_id, exercise_id=CRISIS).id
        live.release_next(s, people.trainer, live_id)
        release = s.query(CrisisRelease).one()
        release.released_at = release.released_at - td(seconds=42)
    with session_scope() as s:
        live.answer_live(s, people.alice, live_id, "a")
        answer = s.query(CrisisLiveAnswer).one()
        assert 42 <= answer.response_seconds < 60


def test_unassign_and_overdue(people):
    with session_scope() as s:
        a = assignments.assign(
            s, people.trainer, cohort_id=people.cohort_id, exercise_id=QUIZ, due_on=localtime.today()
        )
    with session_scope() as s:
        from training_modules.exercises.models import Assignment

        s.get(Assignment, a.id).due_on = localtime.today() - timedelta(days=1)
    with session_scope() as s:
        [mine] = submissions.my_exercises(s, people.alice)
        assert mine.overdue and mine.state == "assigned"
        with pytest.raises(AccessDenied):
            assignments.unassign(s, people.other_trainer, a.id)
        assignments.unassign(s, people.trainer, a.id)
    with session_scope() as s:
        assert submissions.my_exercises(s, people.alice) == []


def test_english_items_of_the_wall(people):
    from curation.models import Entry, Feed, Subscription
    from training_modules.exercises.wall import english_items

    with session_scope() as s:
        mine = Feed(url="https://techwire.example.com/feed", title="TechWire")
        cohort_feed = Feed(url="https://lemonde.example.fr/rss", title="Le Monde")
        other = Feed(url="https://other.example.com/feed", title="Other")
        s.add_all([mine, cohort_feed, other])
        s.flush()
        s.add_all(
            [
                Subscription(feed_id=mine.id, user_id=people.alice.id),
                Subscription(feed_id=cohort_feed.id, cohort_id=people.cohort_id),
                Subscription(feed_id=other.id, user_id=people.zoe.id),
                Entry(
                    feed_id=mine.id,
                    guid="1",
                    link="https://techwire.example.com/a",
                    title="Threads adds DMs",
                    language="en",
                    author="Kim",
                ),
                Entry(
                    feed_id=cohort_feed.id,
                    guid="2",
                    link="https://lemonde.example.fr/b",
                    title="Un article",
                    language="fr",
                ),
                Entry(
                    feed_id=other.id,
                    guid="3",
                    link="https://other.example.com/c",
                    title="Not yours",
                    language="en",
                ),
            ]
        )
    with session_scope() as s:
        items = english_items(s, people.alice)
        assert [(i.title, i.source, i.url) for i in items] == [
            ("Threads adds DMs", "TechWire", "https://techwire.example.com/a")
        ]
        assert english_items(s, people.bob) == []


def test_optional_review_and_cohort_progress(people):
    post = get_exercise("post-fournil-nouveaute")
    with session_scope() as s:
        assignments.assign(s, people.trainer, cohort_id=people.cohort_id, exercise_id=post.id, due_on=None)
        assignments.assign(s, people.trainer, cohort_id=people.cohort_id, exercise_id=REPLY, due_on=None)
        auto = submissions.submit(s, people.alice, post.id, {"text": post.model_answer})
        submissions.submit(s, people.bob, post.id, {"text": "Trop court"})
        submissions.submit(s, people.alice, QUIZ, GOOD_QUIZ)  # review "none": never in the queue
        submissions.submit(s, people.bob, REPLY, {"text": get_exercise(REPLY).model_answer})
    with session_scope() as s:
        assert [q.exercise_id for q in reviews.review_queue(s, people.trainer)] == [REPLY]
        optional = reviews.review_queue(s, people.trainer, include_optional=True)
        assert sorted(q.exercise_id for q in optional) == sorted([post.id, post.id, REPLY])
        reviews.grade_submission(
            s, people.trainer, auto.id, rubric_points=[6, 4, 4], comment="Légende parfaite."
        )
        progress = {p.exercise_id: p for p in reviews.cohort_progress(s, people.trainer, people.cohort_id)}
        assert progress[post.id].handed_in == 2 and progress[post.id].trainees == 2
        bob_score = submissions.attempts(s, people.trainer, people.bob.id, post.id)[0].auto_score
        assert progress[post.id].average == pytest.approx((87.5 + bob_score) / 2, abs=0.1)
        assert progress[REPLY].to_review == 1 and progress[REPLY].average is None
        with pytest.raises(AccessDenied):
            reviews.cohort_progress(s, people.other_trainer, people.cohort_id)


def test_trainees_are_listed_in_french_alphabetical_order(people):
    """Names were sorted by code point (SQLite): « Élodie » came after « Stagiaire » and « Zoé » in
    the live crisis table and the results export; PostgreSQL sorted them by its own collation."""
    with session_scope() as s:
        for email, name in (
            ("zelie@example.fr", "zélie"),
            ("elodie@example.fr", "Élodie"),
            ("eric@example.fr", "Eric"),
        ):
            sign_up_with_code(s, code=people.code, email=email, display_name=name, password="motdepasse-x1")
    expected = ["Alice", "Bob", "Élodie", "Eric", "zélie"]
    with session_scope() as s:
        live_id = live.start_live(
            s, people.trainer, cohort_id=people.cohort_id, exercise_id="crisis-lumen-lampe"
        ).id
        assert [r.name for r in live.live_state(s, people.trainer, live_id).rows] == expected
        assignments.assign(
            s, people.trainer, cohort_id=people.cohort_id, exercise_id="quiz-indicateurs", due_on=None
        )
    quiz = get_exercise("quiz-indicateurs")
    for email in ("zelie@example.fr", "elodie@example.fr", "alice@example.fr"):
        with session_scope() as s:
            me = Actor.of(s.scalars(select(User).where(User.email == email)).one())
            submissions.submit(s, me, quiz.id, {q.id: q.answer for q in quiz.questions})
    with session_scope() as s:
        exported = list(
            csv.reader(
                io.StringIO(reviews.export_results_csv(s, people.trainer, people.cohort_id).lstrip("\ufeff")),
                delimiter=";",
            )
        )
    assert [row[1] for row in exported[1:]] == ["Alice", "Élodie", "zélie"]
