"""Exercises in a real browser: a trainee triages comments, writes a post and types KPI values
the French way; the trainer grades a reply and releases the feedback, which the trainee then reads."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import class_of_one, log_in, wait_idle
from training_modules.exercises import get_exercise
from training_modules.exercises.assignments import assign
from training_modules.exercises.kpi import METRIC_LABELS, dataset_for, expected_values
from workbench.db import dispose_engines

pytestmark = pytest.mark.browser

MODERATION = "moderation-fournil-concours"
POST = "post-fournil-nouveaute"
REPLY = "reply-client-colis-perdu"
KPI = "kpi-veloce-mars"


@pytest.fixture
def world(app_server):
    """A trainer, a cohort with four exercises assigned, and a trainee (its id), in the app's database."""
    with class_of_one(app_server, "Promo exercices") as (s, trainer, cohort, alice):
        for exercise_id in (MODERATION, POST, REPLY, KPI):
            assign(
                s,
                trainer,
                cohort_id=cohort.id,
                exercise_id=exercise_id,
                due_on=date.today() + timedelta(days=5),
            )
        alice_id = alice.id  # the KPI dataset is this trainee's own
    yield alice_id
    dispose_engines()


def open_assigned(page, title: str) -> None:
    card = (
        page.get_by_test_id("stVerticalBlock")
        .filter(has_text=title)
        .filter(has=page.get_by_role("button", name="Commencer"))
    )
    card.last.get_by_role("button", name="Commencer").click()
    page.get_by_role("heading", name=title).wait_for()
    wait_idle(page)


def choose(page, index: int, option: str) -> None:
    """Pick an option; a rerun finishing at the wrong moment can close the list, so retry."""
    box = page.get_by_test_id("stSelectbox").nth(index)
    for _ in range(5):
        wait_idle(page)
        box.get_by_role("combobox").click()
        choice = page.get_by_role("option", name=option, exact=True)
        try:
            choice.wait_for(timeout=4_000)
            choice.click(timeout=4_000)
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            continue
        wait_idle(page)  # the final score checks that every choice was kept
        return
    raise AssertionError(f"could not choose {option!r} in select box {index}")


def test_exercises_journey(app_server, world, new_context):
    trainee = new_context().new_page()
    log_in(trainee, app_server.url, "alice@example.fr", "alice-pass-1")
    trainee.get_by_role("link", name="Mes exercices").click()
    trainee.get_by_role("tab", name=re.compile(r"À faire \(4\)")).wait_for()

    # 1. Moderation triage, graded at once against the key with the charter's reasons.
    open_assigned(trainee, "Trier les commentaires d’un concours Instagram")
    labels = {
        "ignorer": "Ignorer",
        "signaler": "Signaler",
        "escalader": "Escalader vers le service client",
        "repondre": "Répondre",
        "masquer": "Masquer",
        "supprimer": "Supprimer",
    }
    for i, comment in enumerate(get_exercise(MODERATION).comments):
        choose(trainee, i, labels[comment.key.action])
    trainee.get_by_role("button", name="Rendre").click()
    trainee.get_by_text("Score automatique").wait_for()
    assert trainee.get_by_test_id("stMetricValue").first.inner_text().startswith("100,0")
    trainee.get_by_text(re.compile("règle 5")).first.wait_for()
    trainee.get_by_role("button", name="← Mes exercices").click()
    wait_idle(trainee)

    # 2. A post for Instagram: live count, then checks.
    open_assigned(trainee, "Annoncer une nouveauté sur Instagram")
    box = trainee.get_by_label("Votre publication Instagram")
    box.fill(get_exercise(POST).model_answer)
    box.press("Control+Enter")
    wait_idle(trainee)
    trainee.get_by_text(re.compile(r"/ 900 caractères")).wait_for()
    trainee.get_by_role("button", name="Rendre").click()
    trainee.get_by_text("Score automatique").wait_for()
    assert trainee.get_by_test_id("stMetricValue").first.inner_text().startswith("100,0")
    trainee.get_by_role("button", name="← Mes exercices").click()
    wait_idle(trainee)

    # 3. KPI values typed the French way (« 6,88 » once became 688 and was marked wrong).
    kpi = get_exercise(KPI)
    open_assigned(trainee, kpi.title)
    for metric, value in expected_values(kpi, dataset_for(kpi, world)).items():
        field = trainee.get_by_role("textbox", name=METRIC_LABELS[metric], exact=True)
        field.fill(f"{value:.2f}".replace(".", ",") + ("\u00a0%" if metric != "avg_response_time" else ""))
        field.press("Enter")
        wait_idle(trainee)
    trainee.get_by_role("button", name="Rendre").click()
    trainee.get_by_text("Score automatique").wait_for()
    assert trainee.get_by_test_id("stMetricValue").first.inner_text().startswith("100,0")
    trainee.get_by_role("button", name="← Mes exercices").click()
    wait_idle(trainee)

    # 4. A reply to an angry customer goes to the trainer.
    open_assigned(trainee, "Répondre à une cliente en colère (colis perdu)")
    box = trainee.get_by_label("Votre réponse publique")
    box.fill(get_exercise(REPLY).model_answer)
    box.press("Control+Enter")
    wait_idle(trainee)
    trainee.get_by_role("button", name="Rendre").click()
    trainee.get_by_text(re.compile("transmise à votre formateur")).wait_for()

    # 5. The trainer grades it with the rubric and releases the feedback.
    trainer = new_context().new_page()
    log_in(trainer, app_server.url)
    trainer.get_by_role("link", name="Corrections").click()
    trainer.get_by_text("1\u00a0copie à corriger", exact=False).wait_for()
    for criterion in get_exercise(REPLY).rubric:  # the top level of each criterion of the grid
        top = criterion.levels[-1]
        trainer.get_by_text(f"{top.points}\u00a0pts — {top.description}", exact=True).click()
    trainer.get_by_label("Commentaire pour la personne").fill("Réponse chaleureuse et claire : bravo.")
    trainer.get_by_role("button", name="Enregistrer la correction").click()
    trainer.get_by_text(re.compile("La personne ne le voit pas encore")).wait_for()
    trainer.get_by_role("button", name="Publier le retour").click()
    trainer.get_by_text(re.compile("Aucune copie en attente")).wait_for()

    # 6. The trainee reads the feedback.
    trainee.get_by_role("button", name="← Mes exercices").click()
    wait_idle(trainee)
    trainee.get_by_role("tab", name=re.compile(r"Retours reçus \(1\)")).click()
    trainee.get_by_role("button", name="Lire le retour").click()
    trainee.get_by_text("Réponse chaleureuse et claire : bravo.").wait_for()
    trainee.get_by_text("Retour de votre formateur ou formatrice").wait_for()
