"""Drafts and hand-ins on both backends: one draft per trainee and exercise, kept to its owner; empty
or unchanged answers refused; crisis step titles cut on a word."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from training_modules.exercises import get_exercise, submissions
from training_modules.exercises.graders import grade
from training_modules.exercises.graders.crisis import walk
from training_modules.exercises.models import IN_PROGRESS, Submission
from workbench.db import session_scope
from workbench.errors import UserError

REPLY = "reply-client-colis-perdu"
QUIZ = "quiz-indicateurs"
LIVE_TWEET = "live-tweet-salon-gastronomie"
CRISIS = "crisis-fournil-rumeur"


def test_one_draft_per_trainee_and_exercise(people):
    with session_scope() as s:
        submissions.save_draft(s, people.alice, REPLY, {"text": "Bonjour"})
    with pytest.raises(IntegrityError), session_scope() as s:
        s.add(
            Submission(user_id=people.alice.id, exercise_id=REPLY, attempt=2, status=IN_PROGRESS, answer={})
        )
        s.flush()
    with session_scope() as s:  # another trainee, another exercise: drafts of their own
        submissions.save_draft(s, people.bob, REPLY, {"text": "Salut"})
        submissions.save_draft(s, people.alice, QUIZ, {"q1": ["a"]})
        assert submissions.get_draft(s, people.alice, REPLY).answer == {"text": "Bonjour"}
        assert submissions.get_draft(s, people.bob, REPLY).answer == {"text": "Salut"}


def test_a_draft_keeps_an_interactive_exercise_where_it_was(people):
    live = {"posts": [{"at": 12.5, "text": "C’est parti #FinaleCroissant"}], "started_at": 1_700_000_000.0}
    with session_scope() as s:
        submissions.save_draft(s, people.alice, LIVE_TWEET, live)
        submissions.save_draft(s, people.alice, CRISIS, {"choices": ["a"]})
    with session_scope() as s:
        assert submissions.get_draft(s, people.alice, LIVE_TWEET).answer == live
        assert submissions.get_draft(s, people.alice, CRISIS).answer == {"choices": ["a"]}
        with pytest.raises(UserError, match="aperçu"):
            submissions.save_draft(s, people.trainer, CRISIS, {"choices": ["a"]})


@pytest.mark.parametrize(
    ("exercise_id", "answer", "field"),
    [
        (REPLY, {"text": "  \n "}, "text"),
        ("post-veloce-recrutement-x", {"text": ""}, "text"),
        ("seo-fiche-conseil-pain", {"title": " ", "meta_description": "", "body": ""}, "title"),
        (LIVE_TWEET, {"posts": []}, "posts"),
        ("calendar-fournil-semaine", {"posts": []}, "posts"),
        (QUIZ, {"q1": [], "q2": []}, "answer"),
        ("moderation-fournil-concours", {}, "answer"),
        ("kpi-veloce-mars", {"engagement_rate": None}, "answer"),
    ],
)
def test_an_empty_answer_is_refused_and_never_reaches_the_trainer(people, exercise_id, answer, field):
    with session_scope() as s, pytest.raises(UserError, match=r"vide|rien répondu") as refused:
        submissions.submit(s, people.alice, exercise_id, answer)
    assert refused.value.field == field
    with session_scope() as s:
        assert submissions.attempts(s, people.trainer, people.alice.id) == []


def test_an_unchanged_answer_is_refused(people):
    text = {"text": get_exercise(REPLY).model_answer}
    with session_scope() as s:
        submissions.submit(s, people.alice, REPLY, text)
    with session_scope() as s, pytest.raises(UserError, match="identique") as refused:
        submissions.submit(s, people.alice, REPLY, text)
    assert refused.value.field == "text"
    with session_scope() as s:
        submissions.submit(s, people.alice, REPLY, {"text": text["text"] + " Belle journée."})
        assert len(submissions.attempts(s, people.alice, people.alice.id, REPLY)) == 2
        # Replaying a crisis the same way is a new performance, not a copy: it is taken.
        first = submissions.submit(s, people.alice, CRISIS, {"choices": ["a", "a", "a"]})
        again = submissions.submit(s, people.alice, CRISIS, {"choices": ["a", "a", "a"]})
        assert again.attempt == first.attempt + 1


def test_crisis_step_titles_are_cut_on_a_word():
    ex = get_exercise(CRISIS)
    taken, _ = walk(ex, ["a", "a", "a"])
    result = grade(ex, {"choices": ["a", "a", "a"]}, user_id=1)
    assert any(len(step.event) > 80 for step, _ in taken)
    for (step, _), check in zip(taken, result.checks, strict=True):
        title = check.label.removeprefix(f"{step.at} — ")
        if title != step.event:
            kept = title.removesuffix("…")
            assert title.endswith("…") and step.event.startswith(kept), title
            assert step.event[len(kept)] == " ", title  # the cut falls between two words
