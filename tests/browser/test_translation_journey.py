"""In a real browser: paste English text on the Translation page, read it in French side by side,
switch to French only, correct a paragraph."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AppServer, log_in, sign_up_first_trainer, wait_idle
from tests.libre_fake import FakeLibre, FakeLibreServer

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def libre() -> Iterator[FakeLibre]:
    with FakeLibreServer() as state:
        yield state


@pytest.fixture(scope="module")
def translating_app(tmp_path_factory, libre) -> Iterator[AppServer]:
    server = AppServer(
        tmp_path_factory.mktemp("translation-app"),
        env={"ATELIER_TRANSLATION_PROVIDER": "libre", "ATELIER_TRANSLATION_PROVIDER_URL": libre.url},
    )
    server.start()
    yield server
    server.stop()


def test_translate_pasted_text_side_by_side(translating_app, new_context, libre) -> None:
    page = new_context().new_page()
    sign_up_first_trainer(page, translating_app.url)

    page.get_by_role("link", name="Traduction").click()
    page.get_by_label("Texte à traduire").fill(
        "Hello world, thanks @alice!\n\nOur reach grew, see https://ex.fr #cm 🎉"
    )
    page.get_by_role("button", name="Traduire").click()
    page.get_by_text("Notre portée a augmenté").first.wait_for()
    wait_idle(page)
    original = page.get_by_test_id("stMarkdownContainer").filter(has_text="Our reach grew")
    assert original.count() == 1  # the original, side by side
    assert libre.calls == 1

    page.get_by_text("Français seulement").click()
    expect(original).to_have_count(0)
    wait_idle(page)
    expect(page.get_by_label("Traduction relue")).to_have_count(1)

    page.get_by_label("Traduction relue").fill("Bonjour à tous, merci @alice !")
    page.get_by_role("button", name="Enregistrer la traduction relue").click()
    page.get_by_text("Bonjour à tous, merci @alice !").first.wait_for()


def test_translate_a_wall_card_and_read_side_by_side(translating_app, new_context, libre) -> None:
    page = new_context().new_page()
    log_in(page, translating_app.url)

    page.get_by_role("link", name="Mur de veille", exact=True).click()
    wait_idle(page)
    page.get_by_test_id("stSelectbox").filter(has_text="Langue").click()
    page.get_by_role("option", name="Anglais").click()
    wait_idle(page)
    calls = libre.calls
    page.get_by_role("button", name="Traduire", exact=True).first.click()
    page.get_by_text("Traduit de « en » en français").first.wait_for()
    assert libre.calls > calls

    page.get_by_role("button", name="Lire", exact=True).first.click()
    page.get_by_role("button", name="Lire en français").click()
    page.get_by_role("button", name="Voir l’original").wait_for()
    wait_idle(page)
    columns = page.get_by_test_id("stCaptionContainer").filter(has_text="Original (en)")
    expect(columns).to_have_count(1)
    page.get_by_text("Français seulement").click()
    expect(columns).to_have_count(0)
    page.get_by_role("button", name="Voir l’original").click()
    page.get_by_role("button", name="Lire en français").wait_for()
