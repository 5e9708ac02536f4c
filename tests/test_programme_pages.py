"""AppTest: the trainer assigns the five-day programme to a cohort in one action, adapted first."""

from __future__ import annotations

from datetime import date

import pytest

from tests.apptest import run_page
from tests.test_pages_exercises import button, texts
from training_modules.assessment import list_campaigns
from training_modules.exercises import assignments
from workbench import localtime
from workbench.db import session_scope

TODAY = date(2026, 12, 2)  # a Wednesday
PAGE = "screens/exercise_assign.py"


@pytest.fixture
def pinned_today(monkeypatch):
    monkeypatch.setattr(localtime, "today", lambda: TODAY)
    monkeypatch.setattr(assignments, "today", lambda: TODAY)


def test_the_trainer_adapts_and_assigns_the_programme_in_one_action(people, pinned_today):
    at = run_page(PAGE, people.trainer)
    assert not at.exception
    # the first day offered is the next Monday
    assert at.date_input(key="programme:first").value == date(2026, 12, 7)
    at.date_input(key="programme:first").set_value(date(2026, 12, 10)).run()
    page = texts(at)
    assert "Jour\u00a01 · jeudi 10/12/2026" in page
    assert "Jour\u00a03 · lundi 14/12/2026" in page  # the week-end is skipped
    assert (
        "Qui fait quoi\u202f? CM, social media manager et rédacteur web · Quiz · 10\u00a0min"
        in at.checkbox(key="programme:on:quiz-metiers-du-social").label
    )
    assert "Crise en direct" in page and "Début de formation" in page
    at.checkbox(key="programme:on:seo-fiche-conseil-pain").uncheck()
    at.selectbox(key="programme:day:reply-troll-vegan").set_value(0)
    at.run()
    page = texts(at)
    assert (
        "Durée prévue\u00a0: 5\u00a0h\u00a047, dont 3\u00a0h d’apports." in page
    )  # day 1 with the reply moved in
    assert (
        "Durée prévue\u00a0: 5\u00a0h\u00a019, dont 3\u00a0h d’apports." in page
    )  # day 2 without the SEO sheet
    assert not at.warning
    button(at, "Assigner le programme").click().run()
    assert not at.exception
    assert any("Programme assigné" in s.value for s in at.success)
    with session_scope() as s:
        due = {
            a.exercise_id: a.due_on
            for a in assignments.cohort_assignments(s, people.trainer, people.cohort_id)
        }
        campaigns = list_campaigns(s, people.trainer, people.cohort_id)
    assert "seo-fiche-conseil-pain" not in due
    assert due["reply-troll-vegan"] == date(2026, 12, 10)
    assert due["quiz-metiers-du-social"] == date(2026, 12, 10)
    assert due["kpi-fournil-mars"] == date(2026, 12, 16)
    assert [c.name for c in campaigns] == ["Début de formation", "Fin de formation"]


def test_a_first_day_on_a_week_end_starts_on_monday(people, pinned_today):
    at = run_page(PAGE, people.trainer)
    at.date_input(key="programme:first").set_value(date(2026, 12, 12)).run()
    assert "Jour\u00a01 · lundi 14/12/2026" in texts(at)
    assert "week-end" in texts(at)


def test_an_overfull_day_is_pointed_out(people, pinned_today):
    at = run_page(PAGE, people.trainer)
    for exercise_id in ("kpi-fournil-mars", "kpi-maille-campagne-sponsorisee"):
        at.selectbox(key=f"programme:day:{exercise_id}").set_value(0)
    at.run()
    assert [w.value for w in at.warning] == [
        "Cette journée dépasse 6\u00a0h\u00a030\u00a0: décochez ou déplacez un exercice."
    ]
