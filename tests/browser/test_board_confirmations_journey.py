"""A board's confirmations in a real browser: renaming a section says « Section renommée. », deleting
the board says « Tableau « Veille Instagram » supprimé. ».

Both actions run the page again (the board and its picker change); a toast drawn just before that
rerun never reached Chromium, where AppTest still listed it. ``ui.session.rerun`` keeps it for the
next run, which shows it."""

from __future__ import annotations

import pytest

from curation import boards
from tests.browser.conftest import ARTIFACTS, class_of_one, log_in, wait_idle

pytestmark = pytest.mark.browser


def _toast(page, text: str) -> None:
    page.get_by_test_id("stToast").filter(has_text=text).wait_for(timeout=15_000)


def test_renaming_a_section_and_deleting_the_board_say_so(app_server, new_context):
    with class_of_one(app_server, "Promo tableaux") as (s, trainer, _cohort, _alice):
        board = boards.create_board(s, trainer, "Veille Instagram")
        boards.add_section(s, trainer, board.id, "Chiffres")
    page = new_context(1280, 900).new_page()
    log_in(page, app_server.url)
    page.goto(f"{app_server.url}/tableaux")
    wait_idle(page)
    page.get_by_test_id("stSelectbox").filter(has_text="Tableau").first.click()
    page.get_by_role("option", name="Veille Instagram").click()
    wait_idle(page)
    page.get_by_text("Paramètres du tableau, sections et partage").click()

    page.get_by_label("Nom de la section").fill("Chiffres clés")
    rename = page.get_by_role("button", name="Renommer")
    rename.scroll_into_view_if_needed()
    rename.click()
    _toast(page, "Section renommée.")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "section-renamed.png"))
    wait_idle(page)

    page.get_by_text("Je veux supprimer ce tableau et toutes ses épingles").click()
    wait_idle(page)
    delete = page.get_by_role("button", name="Supprimer le tableau")
    delete.scroll_into_view_if_needed()
    delete.click()
    _toast(page, "Tableau «\u00a0Veille Instagram\u00a0» supprimé.")
    page.screenshot(path=str(ARTIFACTS / "board-deleted.png"))
