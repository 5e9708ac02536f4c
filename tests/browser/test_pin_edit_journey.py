"""A pin edited in a real browser: « Enregistrer l’épingle » says « Épingle enregistrée. ».

The page reruns after the save (the board and the pin picker show the new title); a toast drawn
just before that rerun never reached Chromium, where AppTest still listed it."""

from __future__ import annotations

import pytest

from curation import boards, pins
from curation.pins import PinData
from tests.browser.conftest import ARTIFACTS, class_of_one, log_in, wait_idle

pytestmark = pytest.mark.browser


def test_saving_a_pin_shows_its_message(app_server, new_context):
    with class_of_one(app_server, "Promo épingles") as (s, trainer, _cohort, _alice):
        board = boards.create_board(s, trainer, "Veille Instagram")
        pins.add_pin(
            s, trainer, PinData(title="Chiffres Instagram", url="https://exemple.fr/a"), board_id=board.id
        )
    page = new_context(1280, 900).new_page()
    log_in(page, app_server.url)
    page.goto(f"{app_server.url}/tableaux")
    wait_idle(page)
    page.get_by_role("tab", name="Modifier").click()
    page.get_by_label("Titre", exact=True).last.fill("Chiffres Instagram, version courte")
    save = page.get_by_role("button", name="Enregistrer l’épingle")
    save.scroll_into_view_if_needed()
    save.click()
    page.get_by_test_id("stToast").filter(has_text="Épingle enregistrée.").wait_for(timeout=15_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "pin-saved.png"))
    wait_idle(page)
    page.locator(".atl-pin", has_text="Chiffres Instagram, version courte").wait_for()
