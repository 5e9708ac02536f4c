"""A server restart (every deploy) is invisible: deep links open the right page, in French, still logged in.

The server runs without ``ATELIER_PUBLIC_BASE_URL``: the address the trainer's browser used is the one
the install records for its links, whatever page she opened."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from tests.browser.conftest import TRAINER_NAME, AppServer, open_sidebar, sign_up_first_trainer, wait_idle

pytestmark = pytest.mark.browser

RAW_SCRIPT_NAMES = ("app", "account", "assessment cohort", "sources", "wall", "home")


@pytest.fixture(scope="module")
def restartable_server(tmp_path_factory) -> Iterator[AppServer]:
    server = AppServer(tmp_path_factory.mktemp("restart-data"), env={"ATELIER_PUBLIC_BASE_URL": ""})
    server.start()
    yield server
    server.stop()


def _check_page(page, heading: str) -> None:
    page.get_by_role("heading", name=heading).first.wait_for()
    wait_idle(page)
    for english in ("Page not found", "Running the app's main page"):
        assert page.get_by_text(english).count() == 0, english
    assert page.get_by_text("Connectez-vous pour accéder à cette page").count() == 0
    open_sidebar(page)
    nav = page.get_by_test_id("stSidebarNav")
    nav.get_by_role("link", name="Mur de veille").wait_for()  # the French menu, not script names
    for raw in RAW_SCRIPT_NAMES:
        assert nav.get_by_role("link", name=raw, exact=True).count() == 0, raw
    page.get_by_text(TRAINER_NAME).first.wait_for()  # still logged in (sidebar)


def test_deep_links_after_a_restart(restartable_server, new_context):
    context = new_context()
    before = context.new_page()
    sign_up_first_trainer(before, restartable_server.url)
    before.close()

    for _ in range(2):  # every deploy, not only the first
        restartable_server.stop()
        restartable_server.start()
        # The first visits in the new process: a deep link, then the home page's own address.
        for address, heading in (
            ("sources", "Sources"),
            ("accueil", f"Bonjour {TRAINER_NAME}"),
            ("mur", "Mur de veille"),
        ):
            page = context.new_page()
            page.goto(f"{restartable_server.url}/{address}")
            _check_page(page, heading)
            page.close()

    # Logged out, the login's own address shows the login form, in French too.
    stranger = new_context().new_page()
    stranger.goto(f"{restartable_server.url}/connexion")
    stranger.get_by_role("button", name="Se connecter").wait_for()
    wait_idle(stranger)
    assert stranger.get_by_text("Page not found").count() == 0

    with sqlite3.connect(restartable_server.data_dir / "atelier.db") as db:
        assert db.execute("SELECT url FROM public_address").fetchall() == [(restartable_server.url,)]
