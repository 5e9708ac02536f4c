"""AppTest of the trainers' Réglages page: translation and SMTP settings saved (secrets encrypted,
never shown back), connection tests with French results, the server's values winning, the demo
content removed after a confirmation, and no way in for a trainee."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from curation.demo import ensure_starter_subscriptions
from curation.models import Feed
from curation.translation.providers import PROVIDERS, provider_config
from tests.apptest import run_page
from tests.hostile import as_read
from tests.libre_fake import serve_libre
from tests.smtpserver import PASSWORD, USERNAME, free_port, smtp_server
from ui.navigation import pages_for
from workbench.db import session_scope
from workbench.install_settings import InstallSetting
from workbench.settings import get_settings

PAGE = "screens/settings.py"


def _everything_shown(at: AppTest) -> str:
    texts = [
        e.value
        for kind in ("markdown", "caption", "success", "error", "warning", "info")
        for e in at.get(kind)
    ]
    texts += [str(w.value) for w in at.text_input]
    return "\n".join(texts)


def _button(at: AppTest, label: str, form: str | None = None):
    return next(b for b in at.button if b.label == label and (form is None or b.proto.form_id == form))


def _input(at: AppTest, label: str):
    return next(w for w in at.text_input if w.label == label)


def test_a_trainee_cannot_open_the_settings(people) -> None:
    at = run_page(PAGE, people.alice)
    assert [e.value for e in at.error] == ["Cette page est réservée aux formateurs."]
    assert not at.text_input and not at.button
    assert "Réglages" not in [p.title for specs in pages_for("trainee").values() for p in specs]
    assert "Réglages" in [p.title for p in pages_for("trainer")["Formateur"]]


def test_the_key_is_stored_encrypted_and_never_shown_back(people) -> None:
    at = run_page(PAGE, people.trainer)
    assert not at.exception and "Aucune clé enregistrée." in _everything_shown(at)
    at.selectbox[0].set_value("deepl")
    _input(at, "Clé d’API").input("ma-cle-deepl-secrete:fx")
    _button(at, "Enregistrer", "translation_settings").click().run()
    assert not at.exception
    shown = _everything_shown(at)
    assert "Réglages de traduction enregistrés." in shown and "Clé enregistrée" in shown
    assert "ma-cle-deepl-secrete" not in shown
    with session_scope() as s:
        stored = s.get(InstallSetting, "translation.api_key").value
    assert "ma-cle-deepl-secrete" not in stored
    assert get_settings().translation.provider == "deepl"
    assert get_settings().translation.api_key == "ma-cle-deepl-secrete:fx"


def test_connection_test_against_libre_succeeds_and_against_a_closed_port_fails_in_french(
    people, monkeypatch
) -> None:
    with serve_libre(monkeypatch) as libre:
        monkeypatch.delenv("ATELIER_TRANSLATION_PROVIDER")  # chosen on the page
        monkeypatch.delenv("ATELIER_TRANSLATION_PROVIDER_URL")
        get_settings.cache_clear()
        at = run_page(PAGE, people.trainer)
        at.selectbox[0].set_value("libre")
        _input(at, "Adresse du serveur (LibreTranslate)").input(libre.url)
        _button(at, "Tester la connexion", "translation_settings").click().run()
        assert not at.exception
        assert any(s.value.startswith("Connexion réussie") and "Bonjour" in s.value for s in at.success), [
            e.value for e in [*at.error, *at.success]
        ]
        assert libre.calls == 1

        closed = f"http://127.0.0.1:{free_port()}/"
        _input(at, "Adresse du serveur (LibreTranslate)").input(closed)
        _button(at, "Tester la connexion", "translation_settings").click().run()
        assert not at.exception and not at.success
        errors = [as_read(e.value) for e in at.error]
        assert len(errors) == 1 and "La traduction n’a pas pu être faite" in errors[0]
        assert "injoignable" in errors[0] and closed in errors[0]
        # Said to the trainer on Réglages itself: what to change here, not « a trainer can… in Réglages ».
        assert "dans Réglages" not in errors[0], errors[0]
        assert "texte original" not in errors[0], errors[0]  # no text is shown on Réglages
        assert errors[0].endswith(
            "Vérifiez l’adresse et la clé ci-dessus, ou choisissez un autre service, puis testez de nouveau."
        ), errors[0]


def test_the_environment_wins_over_the_page(people, monkeypatch) -> None:
    monkeypatch.setenv("ATELIER_TRANSLATION_PROVIDER", "mymemory")
    get_settings.cache_clear()
    at = run_page(PAGE, people.trainer)
    assert at.selectbox[0].disabled and at.selectbox[0].value == "mymemory"
    assert "ATELIER_TRANSLATION_PROVIDER" in (at.selectbox[0].help or "")
    _input(at, "Adresse du serveur (LibreTranslate)").input("https://libre.example.org/")
    _button(at, "Enregistrer", "translation_settings").click().run()
    assert not at.exception
    with session_scope() as s:
        assert s.get(InstallSetting, "translation.provider") is None  # the server's value is not saved
    assert get_settings().translation.provider == "mymemory"
    assert get_settings().translation.provider_url == "https://libre.example.org/"


def test_smtp_saved_with_an_encrypted_password_tested_and_a_test_mail_sent(people, tmp_path) -> None:
    with smtp_server(tmp_path, auth=True) as server:
        at = run_page(PAGE, people.trainer)
        _input(at, "Serveur").input("127.0.0.1")
        _input(at, "Port").input("1.2.3")
        _button(at, "Enregistrer", "smtp_settings").click().run()
        assert any("n’est pas un nombre lisible" in e.value for e in at.error)  # refused, nothing saved
        with session_scope() as s:
            assert s.get(InstallSetting, "smtp.host") is None
        _input(at, "Port").input(str(server.port))
        next(s for s in at.selectbox if s.label == "Sécurité").set_value("none")
        _input(at, "Identifiant").input(USERNAME)
        _input(at, "Mot de passe").input(PASSWORD)
        _input(at, "Expéditeur").input("Atelier CM <veille@example.org>")
        _button(at, "Enregistrer", "smtp_settings").click().run()
        assert not at.exception and "Mot de passe enregistré" in _everything_shown(at)
        assert PASSWORD not in _everything_shown(at)
        with session_scope() as s:
            assert PASSWORD not in s.get(InstallSetting, "smtp.password").value
        _button(at, "Tester la connexion", "smtp_settings").click().run()
        assert any(
            f"Connexion réussie au serveur d’envoi 127.0.0.1:{server.port}" in s.value for s in at.success
        )
        _button(at, "Envoyer un e-mail d’essai", "smtp_settings").click().run()
        assert any("E-mail d’essai envoyé" in s.value for s in at.success)
        assert [r.rcpt_tos for r in server.received] == [[people.trainer.email]]
    _button(at, "Tester la connexion", "smtp_settings").click().run()  # the server is gone
    assert not at.success and any("injoignable" in e.value for e in at.error)


def test_the_demo_content_is_removed_after_a_confirmation(people) -> None:
    with session_scope() as s:
        ensure_starter_subscriptions(s, people.alice)
    at = run_page(PAGE, people.trainer)
    _button(at, "Retirer le contenu de démonstration…").click().run()
    assert any("définitive" in w.value for w in at.warning)
    _button(at, "Annuler").click().run()
    with session_scope() as s:
        assert s.scalar(select(func.count(Feed.id))) > 0
    _button(at, "Retirer le contenu de démonstration…").click().run()
    _button(at, "Oui, retirer la démonstration").click().run()
    assert not at.exception
    assert "Contenu de démonstration retiré." in _everything_shown(at)
    assert "Aucun contenu de démonstration" in _everything_shown(at)
    with session_scope() as s:
        assert s.scalar(select(func.count(Feed.id))) == 0


def test_switching_away_from_libretranslate_leaves_its_address_unused(people) -> None:
    at = run_page(PAGE, people.trainer)
    at.selectbox[0].set_value("libre")
    _input(at, "Adresse du serveur (LibreTranslate)").input("https://libre.example.org/")
    _button(at, "Enregistrer", "translation_settings").click().run()
    assert provider_config().url == "https://libre.example.org/"
    at.selectbox[0].set_value("google")
    _button(at, "Enregistrer", "translation_settings").click().run()
    assert not at.exception
    assert provider_config().provider == "google" and provider_config().url == PROVIDERS["google"].default_url


def test_a_dead_smtp_server_points_to_the_page_fields_and_promises_no_retry(people) -> None:
    """« Tester la connexion » against a closed port said « vérifiez ATELIER_SMTP_HOST et
    ATELIER_SMTP_PORT ; l’envoi sera retenté au prochain passage »: variables a trainer in the app
    cannot see, and a retry a connection test never makes."""
    at = run_page(PAGE, people.trainer)
    _input(at, "Serveur").input("127.0.0.1")
    _input(at, "Port").input(str(free_port()))
    next(s for s in at.selectbox if s.label == "Sécurité").set_value("none")
    _input(at, "Expéditeur").input("Atelier CM <veille@example.org>")
    _button(at, "Tester la connexion", "smtp_settings").click().run()
    (error,) = [re.sub(r"\\(.)", r"\1", e.value) for e in at.error]  # plain() escapes Markdown
    assert "injoignable" in error
    assert "vérifiez «\u00a0Serveur\u00a0» et «\u00a0Port\u00a0» de la page «\u00a0Réglages\u00a0»" in error
    assert "ATELIER_SMTP" not in error
    assert "retenté" not in error and "prochain passage" not in error
