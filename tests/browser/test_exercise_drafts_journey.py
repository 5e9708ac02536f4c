"""Work in progress survives a reload in a real browser: F5 in the middle of a live-tweet finds the
messages and the running clock; F5 in the middle of a crisis finds the decisions and the next step."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.browser.conftest import class_of_one, log_in, wait_idle
from tests.browser.test_exercises_journey import open_assigned
from training_modules.exercises import get_exercise
from training_modules.exercises.assignments import assign
from workbench.db import dispose_engines

pytestmark = pytest.mark.browser

LIVE_TWEET = "live-tweet-salon-gastronomie"
CRISIS = "crisis-fournil-rumeur"
MESSAGE = "C’est parti pour la finale du meilleur croissant ! #FinaleCroissant"


@pytest.fixture
def world(app_server):
    """A trainer, a cohort with a live-tweet and a crisis assigned, and a trainee."""
    with class_of_one(app_server, "Promo brouillons") as (s, trainer, cohort, _alice):
        for exercise_id in (LIVE_TWEET, CRISIS):
            assign(
                s,
                trainer,
                cohort_id=cohort.id,
                exercise_id=exercise_id,
                due_on=date.today() + timedelta(days=2),
            )
    yield
    dispose_engines()


def elapsed_seconds(page) -> int:
    minutes, seconds = page.get_by_test_id("stMetricValue").first.inner_text().split(":")
    return int(minutes) * 60 + int(seconds)


def reload(page, title: str) -> None:
    page.reload()
    page.get_by_role("heading", name=title).wait_for()
    wait_idle(page)


def test_a_reload_resumes_a_live_tweet_and_a_crisis(app_server, world, new_context):
    page = new_context().new_page()
    log_in(page, app_server.url, "alice@example.fr", "alice-pass-1")
    page.get_by_role("link", name="Mes exercices").click()
    page.get_by_role("tab", name=re.compile(r"À faire \(2\)")).wait_for()

    # 1. A live-tweet: started, one message published, then F5.
    live = get_exercise(LIVE_TWEET)
    open_assigned(page, live.title)
    assert f"exercice={LIVE_TWEET}" in page.url
    page.get_by_role("button", name="Démarrer le live").click()
    box = page.get_by_label("Votre message")
    box.fill(MESSAGE)
    page.get_by_role("button", name="Publier").click()
    page.get_by_text(MESSAGE).wait_for()
    wait_idle(page)
    before = elapsed_seconds(page)
    reload(page, live.title)
    page.get_by_text(MESSAGE).wait_for()
    assert page.get_by_role("button", name="Démarrer le live").count() == 0
    assert elapsed_seconds(page) >= before  # the clock ran on, it did not start again
    page.get_by_text(re.compile("Brouillon repris")).wait_for()

    # 2. A crisis: one decision taken, then F5.
    page.get_by_role("button", name="← Mes exercices").click()
    wait_idle(page)
    crisis = get_exercise(CRISIS)
    first, second = crisis.steps[0], crisis.steps[1]
    open_assigned(page, crisis.title)
    assert f"exercice={CRISIS}" in page.url
    page.get_by_text(first.choices[0].text).click()
    wait_idle(page)
    decide = page.get_by_role("button", name="Décider")
    decide.scroll_into_view_if_needed()
    decide.click()
    page.get_by_text("Votre décision", exact=False).wait_for()
    wait_idle(page)
    reload(page, crisis.title)
    page.get_by_text("Votre décision", exact=False).wait_for()
    page.get_by_text(first.choices[0].text).wait_for()
    page.get_by_text(second.choices[0].text).wait_for()  # the next step waits for a decision
    assert page.get_by_role("button", name="Décider").is_disabled()
