"""In a real browser: a trainer sets a translation service that cannot be reached on Réglages;
the card, the wall, the reading view and the Traduction page each say what failed and who can
fix it; the trainer then points Réglages at a working server, tests it, and the card translates."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AppServer, sign_up_first_trainer, wait_idle
from tests.libre_fake import FakeLibre, FakeLibreServer
from tests.smtpserver import free_port

pytestmark = pytest.mark.browser

WHO = "Un·e formateur·rice peut choisir un autre service de traduction"


@pytest.fixture(scope="module")
def libre() -> Iterator[FakeLibre]:
    with FakeLibreServer() as state:
        yield state


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[AppServer]:
    server = AppServer(
        tmp_path_factory.mktemp("translation-settings-app"),
        env={"ATELIER_TRANSLATION_TIMEOUT_S": "2", "ATELIER_TRANSLATION_RETRIES": "0"},
    )
    server.start()
    yield server
    server.stop()


def _set_libre(page, url: str, button: str) -> None:
    page.get_by_role("link", name="Réglages").click()
    page.get_by_test_id("stSelectbox").filter(has_text="Service de traduction").click()
    page.get_by_role("option", name="LibreTranslate", exact=False).click()
    page.get_by_label("Adresse du serveur (LibreTranslate)").fill(url)
    page.get_by_role("button", name=button).first.click()
    wait_idle(page)


def _english_wall(page) -> None:
    page.get_by_role("link", name="Mur de veille", exact=True).click()
    wait_idle(page)
    page.get_by_test_id("stSelectbox").filter(has_text="Langue").click()
    page.get_by_role("option", name="Anglais").click()
    wait_idle(page)


def test_an_unreachable_service_is_explained_everywhere_then_fixed_on_reglages(
    app, new_context, libre
) -> None:
    page = new_context().new_page()
    sign_up_first_trainer(page, app.url)
    closed = f"http://127.0.0.1:{free_port()}/"
    _set_libre(page, closed, "Enregistrer")
    page.get_by_text("Réglages de traduction enregistrés.").wait_for()

    _english_wall(page)  # the demo feeds of a new install hold English articles
    page.get_by_role("button", name="Traduire", exact=True).first.click()
    expect(page.locator(".atl-failure").filter(has_text=WHO).first).to_be_visible()  # on the card
    page.get_by_role("button", name="Traduire les titres").click()
    expect(page.get_by_test_id("stAlert").filter(has_text=WHO)).to_have_count(1)  # and for the wall
    expect(page.locator(".atl-failure").filter(has_text=WHO)).to_have_count(1)  # the card's, still

    page.get_by_role("button", name="Lire", exact=True).first.click()
    page.get_by_role("button", name="Lire en français").click()
    expect(page.get_by_test_id("stAlert").filter(has_text=WHO).first).to_be_visible()
    wait_idle(page)
    page.get_by_role("button", name="Retour au mur").click()
    page.get_by_role("button", name="Traduire les titres").wait_for()

    page.get_by_role("link", name="Traduction").click()
    page.get_by_label("Texte à traduire").fill("Hello world")
    page.get_by_role("button", name="Traduire").click()
    expect(page.get_by_test_id("stAlert").filter(has_text=WHO).first).to_be_visible()
    expect(page.get_by_text("Traduction impossible.")).to_be_visible()
    expect(page.get_by_text("Traduction terminée.")).to_have_count(0)

    _set_libre(page, libre.url, "Tester la connexion")
    page.get_by_text("Connexion réussie").wait_for()
    page.get_by_role("button", name="Enregistrer").first.click()
    page.get_by_text("Réglages de traduction enregistrés.").wait_for()
    _english_wall(page)
    calls = libre.calls
    page.get_by_role("button", name="Traduire", exact=True).first.click()
    page.get_by_text("Traduit de « en » en français").first.wait_for()
    assert libre.calls > calls
