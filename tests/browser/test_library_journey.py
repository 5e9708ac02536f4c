"""« Bibliothèque » in a real browser: a trainer duplicates a bundled exercise, adapts its title
and a number, reloads the page (the form comes back as typed), saves it, previews it as a trainee sees it and assigns it; the trainee opens it."""

from __future__ import annotations

import time

import pytest

from tests.browser.conftest import ARTIFACTS, class_of_one, log_in, wait_idle
from training_modules.exercises import get_exercise
from training_modules.library import editor_draft
from workbench.db import dispose_engines, session_scope

pytestmark = pytest.mark.browser

SOURCE = "post-fournil-nouveaute"
TITLE = "Nouveauté du Fournil, version Lyon"


@pytest.fixture
def world(app_server):
    with class_of_one(app_server, "Promo bibliothèque") as (_s, trainer, cohort, _alice):
        name = cohort.name
    yield name, trainer
    dispose_engines()


def draft_typed(app_server, trainer, typed: dict) -> bool:
    """Whether the form's draft on the server holds ``typed`` (waiting for the last change's run)."""
    for _ in range(40):
        with session_scope(f"sqlite:///{app_server.data_dir / 'atelier.db'}") as s:
            draft = editor_draft(s, trainer, f"copy:{SOURCE}")
        if draft is not None and typed.items() <= draft["data"].items():
            return True
        time.sleep(0.5)
    return False


def test_library_journey(app_server, world, new_context):
    cohort_name, claire = world
    ARTIFACTS.mkdir(exist_ok=True)
    trainer = new_context().new_page()
    log_in(trainer, app_server.url)
    trainer.get_by_role("link", name="Bibliothèque").click()
    trainer.get_by_role("heading", name="Bibliothèque").wait_for()
    trainer.get_by_role("button", name="Dupliquer et adapter").first.wait_for()
    trainer.get_by_text("Durée (minutes)", exact=True).wait_for()  # the filters are drawn
    wait_idle(trainer)
    trainer.screenshot(path=str(ARTIFACTS / "library-list.png"))

    source = get_exercise(SOURCE)
    card = (
        trainer.get_by_test_id("stVerticalBlock")
        .filter(has_text=source.title)
        .filter(has=trainer.get_by_role("button", name="Dupliquer et adapter"))
    )
    button = card.last.get_by_role("button", name="Dupliquer et adapter")
    button.scroll_into_view_if_needed()
    button.click()
    trainer.get_by_role("heading", name="Adapter une copie").wait_for()
    wait_idle(trainer)
    title = trainer.get_by_role("textbox", name="Titre", exact=True)
    assert title.input_value() == f"{source.title} (copie)"
    title.fill(TITLE)
    title.press("Enter")
    wait_idle(trainer)
    duration = trainer.get_by_role("textbox", name="Durée (minutes)", exact=True)
    duration.fill("25")
    duration.press("Enter")
    wait_idle(trainer)
    assert f"copie={SOURCE}" in trainer.url
    assert draft_typed(app_server, claire, {"title": TITLE, "duration_minutes": 25})
    trainer.reload()  # F5 before « Enregistrer »: the form comes back as typed
    trainer.get_by_text("Brouillon repris").wait_for()
    wait_idle(trainer)
    assert trainer.get_by_role("textbox", name="Titre", exact=True).input_value() == TITLE
    assert trainer.get_by_role("textbox", name="Durée (minutes)", exact=True).input_value() == "25"
    trainer.screenshot(path=str(ARTIFACTS / "library-form.png"), full_page=True)
    save = trainer.get_by_role("button", name="Enregistrer")
    save.scroll_into_view_if_needed()
    save.click()
    trainer.get_by_text(f"«\u00a0{TITLE}\u00a0» est enregistré (version 1").wait_for()

    # The preview: exactly the trainee's screen, nothing saved.
    trainer.get_by_role("button", name="Aperçu").click()
    trainer.get_by_role("heading", name=TITLE).wait_for()
    trainer.get_by_text("environ 25 min").wait_for()
    trainer.get_by_label("Votre publication Instagram").wait_for()
    trainer.screenshot(path=str(ARTIFACTS / "library-preview.png"), full_page=True)
    trainer.get_by_role("button", name="← Retour").click()
    wait_idle(trainer)

    # Assign it from the library's link, on « Exercices ».
    trainer.get_by_role("link", name="L’assigner à une session").click()
    trainer.get_by_role("heading", name="Exercices").wait_for()
    wait_idle(trainer)
    assign_card = (
        trainer.get_by_test_id("stVerticalBlock")
        .filter(has_text=TITLE)
        .filter(has=trainer.get_by_role("button", name="Assigner"))
    )
    assign_button = assign_card.last.get_by_role("button", name="Assigner")
    assign_button.scroll_into_view_if_needed()
    assign_button.click()
    trainer.get_by_text(f"«\u00a0{TITLE}\u00a0» assigné à {cohort_name}.").wait_for()

    # The exchange: the exercise downloaded as a content pack, and the pack imported back as a copy.
    trainer.get_by_role("link", name="Bibliothèque").click()  # the list, not the saved exercise
    trainer.get_by_role("heading", name="Bibliothèque").wait_for()
    wait_idle(trainer)
    trainer.get_by_text("Exporter, importer (pack de contenu, Moodle XML)").click()
    chosen = trainer.get_by_label("Exercices à exporter (parmi la liste filtrée ci-dessous)")
    chosen.click()
    chosen.fill(TITLE)
    chosen.press("Enter")
    chosen.press("Escape")  # the list of choices closes
    wait_idle(trainer)
    export = trainer.get_by_test_id("stDownloadButton").filter(has_text="Exporter en pack (.zip)")
    export.wait_for()
    with trainer.expect_download() as download:
        export.click()
    assert download.value.suggested_filename == "pack-exercices-atelier-cm.zip"
    pack = ARTIFACTS / download.value.suggested_filename
    download.value.save_as(pack)
    trainer.locator("input[type=file]").first.set_input_files(pack)
    wait_idle(trainer)
    trainer.get_by_role("button", name="Importer").first.click()
    trainer.get_by_text(f"1\u00a0exercice importé\u00a0: «\u00a0{TITLE}\u00a0»").wait_for()
    trainer.screenshot(path=str(ARTIFACTS / "library-exchange.png"), full_page=True)

    trainee = new_context().new_page()
    log_in(trainee, app_server.url, "alice@example.fr", "alice-pass-1")
    trainee.get_by_role("link", name="Mes exercices").click()
    card = (
        trainee.get_by_test_id("stVerticalBlock")
        .filter(has_text=TITLE)
        .filter(has=trainee.get_by_role("button", name="Commencer"))
    )
    card.last.get_by_role("button", name="Commencer").click()
    trainee.get_by_role("heading", name=TITLE).wait_for()
    trainee.get_by_text("environ 25 min").wait_for()
    trainee.get_by_label("Votre publication Instagram").wait_for()
