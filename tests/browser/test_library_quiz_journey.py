"""A quiz written from scratch in « Bibliothèque »: a number to type (6,88 give or take 0,05) and a
short answer with accents; shared with the cohort, assigned, answered right by the trainee in her
own words and read by the trainer in « Corrections » with what was expected."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, class_of_one, log_in, wait_idle

pytestmark = pytest.mark.browser

TITLE = "Quiz «\u00a0chiffres\u00a0» et e-réputation"
QUOTED = (
    "«\u00a0Quiz “chiffres” et e-réputation\u00a0»"  # its own « » nested as “ ” (workbench.wording.quoted)
)
NUMBER_PROMPT = (
    "Quel est le taux d’engagement (en\u00a0%) d’un post à 344 interactions pour 5 000 abonnés\u00a0?"
)
WORD_PROMPT = "Comment appelle-t-on l’image d’une marque en ligne\u00a0? Un mot, «\u00a0sans article\u00a0»."


@pytest.fixture
def world(app_server):
    with class_of_one(app_server, "Promo quiz") as (_s, _trainer, cohort, _alice):
        name = cohort.name
    yield name


def fill(page, name: str, value: str, *, nth: int = 0, area: bool = False) -> None:
    box = page.get_by_role("textbox", name=name, exact=True).nth(nth)
    box.scroll_into_view_if_needed()
    box.fill(value)
    box.press("Control+Enter" if area else "Enter")
    wait_idle(page)


def pick(page, label: str, option: str | None = None, *, nth: int = 0) -> None:
    box = page.get_by_label(label, exact=True).nth(nth)
    box.scroll_into_view_if_needed()
    box.click()
    options = page.get_by_role("option")
    (options.filter(has_text=option).first if option else options.first).click()
    page.keyboard.press("Escape")
    wait_idle(page)


def click(page, name: str) -> None:
    button = page.get_by_role("button", name=name)
    button.scroll_into_view_if_needed()
    button.click()
    wait_idle(page)


def test_a_quiz_written_from_scratch_is_answered_in_the_trainees_words(app_server, world, new_context):
    ARTIFACTS.mkdir(exist_ok=True)
    trainer = new_context().new_page()
    log_in(trainer, app_server.url)
    trainer.get_by_role("link", name="Bibliothèque").click()
    trainer.get_by_role("heading", name="Bibliothèque").wait_for()
    wait_idle(trainer)
    click(trainer, "Nouveau")  # the first kind offered: a quiz
    trainer.get_by_role("heading", name="Nouvel exercice\u00a0: Quiz").wait_for()
    wait_idle(trainer)
    fill(trainer, "Titre", TITLE)
    fill(
        trainer, "Consigne (Markdown)", "Deux questions sur la «\u00a0réputation\u00a0» en ligne.", area=True
    )
    pick(trainer, "Compétences travaillées")
    pick(trainer, "Missions du métier")
    fill(trainer, "Message en cas de réussite", "Bravo, les chiffres sont justes.", area=True)
    fill(trainer, "Message sinon\u00a0: ce qu’il faut travailler", "Revoyez le taux d’engagement.", area=True)

    fill(trainer, "Question", NUMBER_PROMPT, area=True)
    pick(trainer, "Type de question", "Nombre à écrire")
    trainer.get_by_role("button", name="Ajouter\u00a0: option").wait_for(
        state="detached"
    )  # its own fields only
    click(trainer, "Ajouter\u00a0: valeur")
    fill(trainer, "Valeur", "6,88")
    fill(trainer, "Tolérance (plus ou moins)", "0,05")
    fill(trainer, "Explication montrée après la correction", "344 / 5 000 × 100 = 6,88\u00a0%.", area=True)

    click(trainer, "Ajouter\u00a0: question")
    fill(trainer, "Question", WORD_PROMPT, nth=1, area=True)
    pick(trainer, "Type de question", "Réponse courte", nth=1)
    click(trainer, "Ajouter\u00a0: réponse")
    fill(trainer, "Réponse acceptée (* pour n’importe quels caractères)", "réputation")
    fill(trainer, "Explication montrée après la correction", "La «\u00a0réputation\u00a0».", nth=1, area=True)
    cohort_sharing = trainer.get_by_text("Mes sessions (cohortes)")
    cohort_sharing.scroll_into_view_if_needed()
    cohort_sharing.click()
    wait_idle(trainer)
    trainer.screenshot(path=str(ARTIFACTS / "library-quiz-form.png"))
    click(trainer, "Enregistrer")
    trainer.get_by_text(f"{QUOTED} est enregistré (version 1, mes sessions").wait_for()

    trainer.get_by_role("link", name="L’assigner à une session").click()
    trainer.get_by_role("heading", name="Exercices").wait_for()
    wait_idle(trainer)
    click(trainer, "Assigner")
    trainer.get_by_text(f"{QUOTED} assigné à {world}.").wait_for()

    trainee = new_context().new_page()
    log_in(trainee, app_server.url, "alice@example.fr", "alice-pass-1")
    trainee.get_by_role("link", name="Mes exercices").click()
    trainee.get_by_role("button", name="Commencer").first.click()
    trainee.get_by_role("heading", name=TITLE).wait_for()
    wait_idle(trainee)
    fill(trainee, "Réponse à la question 1", "6,88")
    fill(trainee, "Réponse à la question 2", "Réputation")
    click(trainee, "Rendre")
    trainee.get_by_text("Règles respectées").wait_for()
    trainee.get_by_text("2 / 2").wait_for()
    trainee.screenshot(path=str(ARTIFACTS / "library-quiz-graded.png"), full_page=True)

    trainer.get_by_role("link", name="Corrections").click()
    trainer.get_by_text("Toutes les copies rendues", exact=False).click()
    trainer.get_by_role("heading", name=f"Alice · {TITLE}").wait_for()
    trainer.get_by_text("Attendu\u00a0: 6,88 (±\u00a00,05)").wait_for()
    trainer.get_by_text("Attendu\u00a0: «\u00a0réputation\u00a0»").wait_for()
