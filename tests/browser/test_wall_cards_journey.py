"""Wall cards in a real browser at a common laptop width and a desktop one: every button label is
whole (none cut to « Gar… » or « Choisir… »); screenshots kept in test-artifacts/ to look at."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, log_in, sign_up_first_trainer, wait_idle

pytestmark = pytest.mark.browser

CARD_BUTTONS = (
    '[class*="st-key-pin_entry_"], [class*="st-key-open-"], [class*="st-key-read-"], [class*="st-key-save-"]'
)
CUT_LABELS = f"""() => [...document.querySelectorAll('{CARD_BUTTONS}')]
  .flatMap(box => [...box.querySelectorAll('button')])
  .filter(b => b.offsetParent !== null)
  .flatMap(b => [b, ...b.querySelectorAll('*')])
  .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow !== 'visible')
  .map(e => e.closest('button').innerText.trim())"""
LABELS = """() => [...document.querySelectorAll('[class*="st-key-save-"] button, [class*="_pick"] button')]
  .map(b => b.innerText.trim())"""


def _nav(page, title: str) -> None:
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=title).click()


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["laptop", "desktop"])
def test_card_buttons_are_not_cut(app_server, new_context, size) -> None:
    width, height = size
    page = new_context(width, height).new_page()
    page.goto(app_server.url)
    page.get_by_role("textbox", name="Mot de passe", exact=True).first.wait_for()
    if page.get_by_text("Créez le premier compte").count():
        sign_up_first_trainer(page, app_server.url)
    else:  # the second width: same installation, same trainer
        log_in(page, app_server.url)
    _nav(page, "Mur de veille")
    page.locator("[class*='st-key-save-']").first.wait_for(timeout=60_000)  # first visit: demo feeds
    wait_idle(page)
    page.locator("[class*='st-key-save-']").first.scroll_into_view_if_needed()
    page.locator("[class*='st-key-pin_entry_'][class*='_pick']").first.wait_for()
    page.evaluate("() => document.fonts.ready.then(() => true)")  # icons measured with their font
    wait_idle(page)
    page.screenshot(path=str(ARTIFACTS / f"wall-cards-{width}.png"))
    assert page.evaluate(CUT_LABELS) == []
    labels = " ".join(page.evaluate(LABELS))
    assert "Garder" in labels and "Choisir le tableau" in labels
