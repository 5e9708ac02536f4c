"""The suggested five-day programme: its content, and assigning it to a cohort in one action."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.test_assessment_content import typography_faults
from training_modules import programme
from training_modules.assessment import list_campaigns
from training_modules.assessment_models import AssessmentCampaign
from training_modules.exercises import assignments
from training_modules.exercises.loader import load_exercises
from training_modules.exercises.schema import KINDS
from workbench import localtime
from workbench.db import run_transaction, session_scope
from workbench.errors import AccessDenied, NotFound

TODAY = date(2026, 12, 2)  # a Wednesday


@pytest.fixture
def pinned_today(monkeypatch):
    """Pin « today » where the assignment rules read it."""
    monkeypatch.setattr(assignments, "today", lambda: TODAY)
    monkeypatch.setattr(localtime, "today", lambda: TODAY)
    return TODAY


# --- content -------------------------------------------------------------------------------------


def test_the_programme_has_five_days_with_aims_and_known_exercises():
    course = programme.load_programme()
    bank = load_exercises()
    assert len(course.days) == 5
    for day in course.days:
        assert day.title.strip() and day.aims
        for step in day.steps:
            if step.type in ("exercise", "crisis_drill"):
                assert step.exercise in bank, step.exercise
    drills = [s for d in course.days for s in d.steps if s.type == "crisis_drill"]
    assert drills and all(bank[s.exercise].kind == "crisis" for s in drills)
    assert all(any(s.type == "digest" for s in d.steps) for d in course.days)


def test_every_kind_of_exercise_is_practised():
    bank = load_exercises()
    kinds = {bank[e].kind for e in programme.default_plan()}
    assert set(KINDS) - kinds == set()


def test_each_day_fits_a_day_of_training_with_its_theory():
    for day in programme.load_programme().days:
        assert day.theory_minutes >= 60
        assert 5 * 60 + 30 <= programme.day_minutes(day) <= 6 * 60 + 30, day.title


def test_the_course_opens_and_ends_with_the_self_assessment():
    days = programme.load_programme().days
    first, last = days[0].steps[0], days[-1].steps[-1]
    assert (first.type, first.moment) == ("assessment", "entry")
    assert (last.type, last.moment) == ("assessment", "exit")


def test_the_programme_uses_french_typography():
    course = programme.load_programme()
    texts = [course.title] + [t for d in course.days for t in (d.title, *d.aims)]
    texts += [s.task for d in course.days for s in d.steps if s.type == "digest"]
    texts += [s.campaign for d in course.days for s in d.steps if s.type == "assessment"]
    assert {t: typography_faults(t) for t in texts if typography_faults(t)} == {}


def test_an_unknown_exercise_is_refused_with_a_french_message(tmp_path):
    text = programme.PROGRAMME_FILE.read_text(encoding="utf-8").replace(
        "exercise: quiz-metiers-du-social", "exercise: quiz-qui-n-existe-pas"
    )
    (tmp_path / "programme.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(programme.ContentError, match="quiz-qui-n-existe-pas"):
        programme.load_programme_file(tmp_path / "programme.yaml")


# --- the course's days ---------------------------------------------------------------------------


def test_course_days_skip_week_ends():
    assert programme.course_days(date(2026, 12, 10), 5) == [
        date(2026, 12, 10),
        date(2026, 12, 11),
        date(2026, 12, 14),
        date(2026, 12, 15),
        date(2026, 12, 16),
    ]
    # a first day on a Saturday: the course starts on Monday
    assert programme.course_days(date(2026, 12, 5), 2) == [date(2026, 12, 7), date(2026, 12, 8)]


# --- assigning (both backends) -------------------------------------------------------------------


def _due_dates(people) -> dict[str, date | None]:
    with session_scope() as s:
        return {
            a.exercise_id: a.due_on
            for a in assignments.cohort_assignments(s, people.trainer, people.cohort_id)
        }


def test_assign_the_whole_programme_with_the_due_date_of_each_day(people, pinned_today):
    plan = programme.default_plan()
    done = run_transaction(
        programme.assign_programme,
        people.trainer,
        cohort_id=people.cohort_id,
        first_day=date(2026, 12, 10),
        plan=plan,
    )
    days = [
        date(2026, 12, 10),
        date(2026, 12, 11),
        date(2026, 12, 14),
        date(2026, 12, 15),
        date(2026, 12, 16),
    ]
    assert done.days == days
    assert _due_dates(people) == {ex: days[d] for ex, d in plan.items()}
    assert _due_dates(people)["quiz-metiers-du-social"] == date(2026, 12, 10)
    assert _due_dates(people)["kpi-fournil-mars"] == date(2026, 12, 16)
    # the live crisis is run from « Crise en direct », not handed out beforehand
    assert "crisis-lumen-lampe" not in _due_dates(people)
    with session_scope() as s:
        campaigns = list_campaigns(s, people.trainer, people.cohort_id)
    assert [(c.name, c.starts_on, c.ends_on) for c in campaigns] == [
        ("Début de formation", days[0], days[0]),
        ("Fin de formation", days[4], days[4]),
    ]


def test_the_trainer_adapts_unticks_and_moves(people, pinned_today):
    plan = programme.default_plan()
    del plan["seo-fiche-conseil-pain"]
    plan["quiz-indicateurs"] = 4  # not in the suggestion: added on day 5
    plan["reply-troll-vegan"] = 0  # moved from day 3 to day 1
    run_transaction(
        programme.assign_programme,
        people.trainer,
        cohort_id=people.cohort_id,
        first_day=date(2026, 12, 5),
        plan=plan,
    )
    due = _due_dates(people)
    assert "seo-fiche-conseil-pain" not in due
    assert due["quiz-indicateurs"] == date(2026, 12, 11)
    assert due["reply-troll-vegan"] == date(2026, 12, 7)
    assert len(due) == len(plan)


def test_assigning_again_only_moves_the_dates(people, pinned_today):
    plan = programme.default_plan()
    for first in (date(2026, 12, 10), date(2026, 12, 14)):
        run_transaction(
            programme.assign_programme, people.trainer, cohort_id=people.cohort_id, first_day=first, plan=plan
        )
    due = _due_dates(people)
    assert len(due) == len(plan)
    assert due["quiz-metiers-du-social"] == date(2026, 12, 14)
    with session_scope() as s:
        names = s.scalars(
            select(AssessmentCampaign.name).where(AssessmentCampaign.cohort_id == people.cohort_id)
        ).all()
        campaigns = list_campaigns(s, people.trainer, people.cohort_id)
    assert sorted(names) == ["Début de formation", "Fin de formation"]
    assert campaigns[0].starts_on == date(2026, 12, 14)


def test_only_the_cohorts_trainer_assigns_the_programme(people, pinned_today):
    for actor in (people.other_trainer, people.alice):
        with pytest.raises(AccessDenied):
            run_transaction(
                programme.assign_programme,
                actor,
                cohort_id=people.cohort_id,
                first_day=date(2026, 12, 10),
                plan=programme.default_plan(),
            )
    assert _due_dates(people) == {}


def test_nothing_is_half_assigned(people, pinned_today):
    plan = {**programme.default_plan(), "exercice-disparu": 4}
    with pytest.raises(NotFound):
        run_transaction(
            programme.assign_programme,
            people.trainer,
            cohort_id=people.cohort_id,
            first_day=date(2026, 12, 10),
            plan=plan,
        )
    assert _due_dates(people) == {}
    with session_scope() as s:
        assert list_campaigns(s, people.trainer, people.cohort_id) == []
