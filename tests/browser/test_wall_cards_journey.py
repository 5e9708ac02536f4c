"""The wall's cards (one component, ``ui.card_grid``) in a real browser, at a common laptop width
and a desktop one: three columns of cards with their pictures, every button label whole; then
each button as a person uses it, by mouse and by keyboard: « Garder » / « Retirer », « Lu » /
« Non lu », « Épingler », « Choisir le tableau » (its dialog), « Lire » and back. Screenshots kept
in test-artifacts/ to look at."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import ARTIFACTS, log_in, sign_up_first_trainer, wait_idle

pytestmark = pytest.mark.browser

# The grid draws in its shadow root: Playwright's locators go through it, page scripts do not.
IN_GRID = """(grid) => {
  const buttons = [...grid.querySelectorAll('button')].filter(b => b.offsetParent !== null);
  const columns = [...grid.querySelectorAll('.atl-column')].map(c => c.getBoundingClientRect().left);
  return {
    cut: buttons.filter(b => b.scrollWidth > b.clientWidth + 1).map(b => b.innerText.trim()),
    labels: [...new Set(buttons.map(b => b.innerText.replace(/^\\S+\\n?/, '').trim()))],
    columns: new Set(columns.map(Math.round)).size,
    pictures: [...grid.querySelectorAll('img')].filter(i => i.complete && i.naturalWidth > 0).length,
  };
}"""


def _nav(page, title: str) -> None:
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=title).click()


def _open_wall(page, url: str) -> None:
    page.goto(url)
    page.get_by_role("textbox", name="Mot de passe", exact=True).first.wait_for()
    if page.get_by_text("Créez le premier compte").count():
        sign_up_first_trainer(page, url)
    else:  # the second width: same installation, same trainer
        log_in(page, url)
    _nav(page, "Mur de veille")
    page.locator(".atl-card").first.wait_for(timeout=60_000)  # first visit: the demo feeds
    wait_idle(page)


def _card(page, index: int = 0):
    return page.locator(".atl-card").nth(index)


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["laptop", "desktop"])
def test_the_wall_is_three_columns_of_whole_cards(app_server, new_context, size) -> None:
    width, height = size
    page = new_context(width, height).new_page()
    _open_wall(page, app_server.url)
    page.evaluate("() => document.fonts.ready.then(() => true)")  # icons measured with their font
    page.wait_for_function(
        "() => [...document.querySelectorAll('*')].some(e => e.shadowRoot?.querySelector('img.atl-picture'))"
    )
    page.wait_for_timeout(500)  # the pictures decoded
    page.screenshot(path=str(ARTIFACTS / f"wall-cards-{width}.png"))
    page.locator(".atl-card").last.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / f"wall-cards-{width}-end.png"))
    shown = page.locator(".atl-wall").evaluate(IN_GRID)
    assert shown["cut"] == []
    assert shown["columns"] == 3
    assert shown["pictures"] >= 3
    for label in ("Lire", "Lu", "Garder", "Épingler", "Choisir le tableau"):
        assert label in shown["labels"]
    assert page.locator(".atl-badge", has_text="démo").count() >= 3  # the demo mark on its cards


def test_each_card_button_by_mouse_and_keyboard(app_server, new_context) -> None:
    page = new_context(1366, 900).new_page()
    _open_wall(page, app_server.url)
    title, other = (_card(page, i).locator(".atl-title").first.inner_text() for i in (0, 1))
    card = page.locator(".atl-card", has_text=title)

    card.get_by_role("button", name="Garder").click()
    card.get_by_role("button", name="Retirer").wait_for()  # the card shows its new state

    card.get_by_role("button", name="Lu", exact=True).focus()
    page.keyboard.press("Enter")  # a native button: the keyboard works as the mouse
    card.get_by_role("button", name="Non lu").wait_for()
    assert "· lu" in card.locator(".atl-meta").last.inner_text()

    card.get_by_role("button", name="Épingler", exact=True).click()
    page.get_by_text("Épinglé dans votre tableau par défaut.").wait_for()
    wait_idle(page)

    card.get_by_role("button", name="Choisir le tableau").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("Tableau", exact=True).wait_for()
    dialog.get_by_label("Pourquoi c’est utile pour ma communauté").fill("Pour l’atelier de lundi")
    page.screenshot(path=str(ARTIFACTS / "wall-cards-dialog.png"))
    dialog.get_by_role("button", name="Épingler ici").click()
    page.get_by_text(re.compile("Déjà épinglé dans ce tableau.*votre note y est ajoutée")).wait_for()
    dialog.wait_for(state="detached")
    wait_idle(page)

    assert not card.count()  # read: it left the wall of unread stories at the page's run
    page.locator(".atl-card", has_text=other).get_by_role("button", name="Lire").click()
    page.get_by_role("heading", name=other).wait_for()
    page.get_by_role("button", name="Retour au mur").click()
    page.locator(".atl-card").first.wait_for()
