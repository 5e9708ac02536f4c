"""AppTest for the app shell and the foundation pages, for each role."""

from __future__ import annotations

from tests.apptest import run_app
from tests.apptest import run_page as page
from workbench.db import session_scope
from workbench.models import Cohort, Membership, User


def test_empty_install_asks_for_the_first_trainer(db_url):
    at = page("app.py")
    assert not at.exception
    assert any("premier compte" in m.value for m in at.markdown)
    at.text_input[0].input("Claire")
    at.text_input[1].input("claire@example.fr")
    at.text_input[2].input("faible")
    at.button[0].click().run()
    assert "au moins 10 caractères" in at.error[0].value
    at.text_input[2].input("atelier-2026")
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == "Bonjour Claire"
    with session_scope() as s:
        assert s.query(User).one().role == "trainer"


def test_login_form_and_wrong_password(people):
    at = page("app.py")
    assert not at.exception
    assert at.title[0].value == "Atelier CM"
    at.text_input(key="login_email").input("alice@example.fr")
    at.text_input(key="login_password").input("pas-le-bon-1")
    at.button[0].click().run()
    assert "incorrect" in at.error[0].value
    at.text_input(key="login_password").input("motdepasse-a1")
    at.button[0].click().run()
    assert at.title[0].value == "Bonjour Alice"


def test_a_login_runs_the_app_once_straight_to_home(people, monkeypatch):
    """« Se connecter » logs in in the button's callback: the click runs the script once, on the
    home page (it ran the login page, then again for home: a class logging in at once paid twice)."""
    import ui.auth

    at = page("app.py")
    shown = []
    login_page = ui.auth.login_page
    monkeypatch.setattr(ui.auth, "login_page", lambda: shown.append("login") or login_page())
    at.text_input(key="login_email").input("alice@example.fr")
    at.text_input(key="login_password").input("motdepasse-a1")
    at.button(key="FormSubmitter:login-Se connecter").click().run()
    assert not at.exception
    assert at.title[0].value == "Bonjour Alice" and shown == []


def test_repeated_wrong_passwords_slow_the_login_form_in_french(people):
    at = page("app.py")
    messages = []
    for _ in range(5):
        at.text_input(key="login_email").input("alice@example.fr")
        at.text_input(key="login_password").input("pas-le-bon-1")
        at.button(key="FormSubmitter:login-Se connecter").click().run()
        assert not at.exception
        messages.append(at.error[0].value)
    assert "incorrect" in messages[0]
    assert "Trop d’essais" in messages[-1] and "Réessayez dans" in messages[-1]


def _sign_up(at, code: str, email: str, password: str):
    at.text_input(key="signup_code").input(code)
    at.text_input(key="signup_name").input("Quelqu’un")
    at.text_input(key="signup_email").input(email)
    at.text_input(key="signup_password").input(password)
    at.button(key="FormSubmitter:signup-Créer mon compte stagiaire").click().run()
    assert not at.exception and not at.error
    return [m.value for m in at.info], at.title[0].value


def test_sign_up_answers_the_same_for_taken_and_new_emails(people):
    taken = _sign_up(page("app.py"), people.code, "alice@example.fr", "autre-mot-2")
    fresh = _sign_up(page("app.py"), people.code, "nouvelle@example.fr", "autre-mot-2")
    assert taken == fresh
    assert taken[1] == "Atelier CM" and "Connectez-vous" in taken[0][0]
    at = page("app.py")
    _sign_up(at, people.code, "nouvelle2@example.fr", "autre-mot-3")
    assert at.text_input(key="login_email").value == "nouvelle2@example.fr"
    at.text_input(key="login_password").input("autre-mot-3")
    at.button(key="FormSubmitter:login-Se connecter").click().run()
    assert at.title[0].value == "Bonjour Quelqu’un"


def test_home_for_each_role(people):
    at = run_app(people.trainer)
    assert not at.exception
    assert at.title[0].value == "Bonjour Claire Formatrice"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Stagiaires actifs"] == "2" and metrics["Code de session"] == people.code
    assert metrics["Rendus à corriger"] == "0"
    at = run_app(people.alice)
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Exercices à faire"] == "0"
    assert any("Promo CM 2026" in m.value for m in at.markdown)
    assert not any(people.code in m.value for m in at.markdown)


def test_cohorts_page_is_for_trainers(people):
    at = page("screens/cohorts.py", people.alice)
    assert "réservée aux formateurs" in at.error[0].value
    assert not at.button


def test_trainer_creates_a_cohort_and_deactivates_a_trainee(people):
    at = page("screens/cohorts.py", people.trainer)
    assert not at.exception
    at.text_input[0].input("Promo automne")
    at.button(key="FormSubmitter:new_cohort-0-Créer la session").click().run()
    assert any("Promo automne" in s.value for s in at.success)
    at.toggle(key=f"active-{people.cohort_id}-{people.alice.id}").set_value(False).run()
    assert not at.exception
    with session_scope() as s:
        m = s.query(Membership).filter_by(user_id=people.alice.id).one()
        assert m.active is False
        assert s.query(Cohort).filter_by(name="Promo automne").one().trainer_id == people.trainer.id


def test_trainer_never_sees_another_trainers_cohort(people):
    at = page("screens/cohorts.py", people.other_trainer)
    assert not any(people.code in m.value for m in at.markdown)


def test_account_page_changes_name_and_joins_a_cohort(people):
    at = page("screens/account.py", people.alice)
    assert not at.exception
    at.text_input[0].input("Alice Martin")
    at.button(key="FormSubmitter:profile-Enregistrer").click().run()
    assert at.session_state["actor"].display_name == "Alice Martin"
    code_input = next(t for t in at.text_input if t.label == "Code de session")
    code_input.input(people.other_code)
    at.button(key="FormSubmitter:join-0-Rejoindre").click().run()
    assert any("Promo B" in s.value for s in at.success)


def test_password_mismatch_is_refused(people):
    at = page("screens/account.py", people.bob)
    fields = {t.label: t for t in at.text_input}
    fields["Mot de passe actuel"].input("motdepasse-b1")
    fields["Nouveau mot de passe"].input("nouveau-mdp-22")
    fields["Confirmez le nouveau mot de passe"].input("nouveau-mdp-23")
    at.button(key="FormSubmitter:password-Changer le mot de passe").click().run()
    assert "pas identiques" in at.error[0].value


def test_unreachable_database_gets_a_french_message(monkeypatch):
    import socket

    from workbench.settings import get_settings

    with socket.socket() as sock:  # a port where nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("ATELIER_DATABASE_URL", f"postgresql://atelier@127.0.0.1:{port}/atelier")
    get_settings.cache_clear()
    at = page("app.py")
    assert not at.exception
    assert "base de données est injoignable" in at.error[0].value
