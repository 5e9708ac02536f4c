"""First trainer, a cohort, a trainee joining with its code, logins that survive a reload."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, login_cookie, open_sidebar, wait_idle, wait_login_cookie

pytestmark = pytest.mark.browser


def _fill(page, label: str, value: str) -> None:
    page.get_by_label(label, exact=True).fill(value)


def _log_out(page) -> None:
    open_sidebar(page)
    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_text("Vous êtes déconnecté·e.").wait_for()


def test_trainer_and_trainee_journey(app_server, new_context):
    trainer = new_context().new_page()
    trainer.goto(app_server.url)
    trainer.get_by_text("Créez le premier compte").wait_for()
    _fill(trainer, "Nom affiché", "Claire Formatrice")
    _fill(trainer, "Adresse e-mail", "claire@example.fr")
    _fill(trainer, "Mot de passe", "court")
    trainer.get_by_role("button", name="Créer le compte formateur").click()
    trainer.get_by_text("au moins 10 caractères").wait_for()  # weak password: the rule is stated
    _fill(trainer, "Mot de passe", "atelier-2026")
    trainer.get_by_role("button", name="Créer le compte formateur").click()
    trainer.get_by_text("Bonjour Claire Formatrice").wait_for()

    trainer.get_by_role("link", name="Sessions de formation").click()
    _fill(trainer, "Nom de la session", "Promo navigateur")
    trainer.get_by_role("button", name="Créer la session").click()
    message = trainer.get_by_text("Code à donner aux stagiaires").inner_text()
    code = re.search(r"([A-Z2-9]{8})", message.split(":")[-1]).group(1)

    trainee = new_context(390, 844).new_page()  # a phone
    trainee.goto(app_server.url)
    wait_idle(trainee)
    trainee.get_by_role("tab", name="Rejoindre une session").click()
    _fill(trainee, "Code de session", "FAUX2345")
    _fill(trainee, "Nom affiché", "Alice Stagiaire")
    trainee.get_by_label("Adresse e-mail", exact=True).nth(1).fill("alice@example.fr")
    trainee.get_by_label("Mot de passe", exact=True).nth(1).fill("alice-pass-1")
    trainee.get_by_role("button", name="Créer mon compte stagiaire").click()
    trainee.get_by_text("Code de session inconnu").wait_for()
    _fill(trainee, "Code de session", code.lower())
    trainee.get_by_role("button", name="Créer mon compte stagiaire").click()
    # The same answer as for an e-mail that already has an account: log in now (e-mail filled in).
    trainee.get_by_text("C’est noté. Connectez-vous maintenant").wait_for()
    form = trainee.get_by_test_id("stForm").first
    expect(form.get_by_label("Adresse e-mail")).to_have_value("alice@example.fr")
    form.get_by_label("Mot de passe").fill("alice-pass-1")
    trainee.get_by_role("button", name="Se connecter").click()
    trainee.get_by_text("Bonjour Alice Stagiaire").wait_for()
    trainee.get_by_text("Promo navigateur").first.wait_for()

    # The login survives a reload (signed cookie), and no script of the page can read the cookie.
    cookie = wait_login_cookie(trainee) or login_cookie(trainee)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert "atelier_session" not in trainee.evaluate("document.cookie")
    trainee.reload()
    trainee.get_by_text("Bonjour Alice Stagiaire").wait_for()

    # A trainee cannot open a trainer page, even by its address: she is led home, told in French,
    # and Streamlit's English « Page not found » dialog never shows (nor for a mistyped address).
    for address in ("sessions", "nimporte-quoi"):
        trainee.goto(f"{app_server.url}/{address}")
        trainee.get_by_text("Cette adresse ne mène à aucune de vos pages").wait_for()
        trainee.get_by_text("Bonjour Alice Stagiaire").wait_for()
        wait_idle(trainee)
        assert trainee.get_by_role("button", name="Créer la session").count() == 0
        assert trainee.get_by_text(code).count() == 0
        assert trainee.get_by_text("Page not found").count() == 0

    # The trainer sees the new member.
    trainer.reload()
    trainer.get_by_text("Alice Stagiaire").first.wait_for()

    for page, email, password, name in (
        (trainer, "claire@example.fr", "atelier-2026", "Claire Formatrice"),
        (trainee, "alice@example.fr", "alice-pass-1", "Alice Stagiaire"),
    ):
        _log_out(page)
        page.reload()
        wait_idle(page)
        assert page.get_by_text(f"Bonjour {name}").count() == 0  # the cookie was cleared
        log_in(page, app_server.url, email, password)
        page.get_by_text(f"Bonjour {name}").wait_for()

    # A link to a page, opened logged out, shows the login and then that page.
    visitor = new_context().new_page()
    log_in(
        visitor, f"{app_server.url}/compte", "alice@example.fr", "alice-pass-1", landing="Mot de passe actuel"
    )
    assert visitor.url.endswith("/compte") and visitor.get_by_text("Page not found").count() == 0
