"""« Inviter par e-mail » on the trainer's « Sessions de formation » page: with an SMTP server the
invitation is e-mailed (a real server on 127.0.0.1), the link still shown; without one, the link as
before and where to set e-mail up; a failed send says why in French and loses nothing."""

from __future__ import annotations

import re

import pytest

from tests.apptest import run_page
from tests.hostile import as_read
from tests.ports import free_port
from tests.smtpserver import smtp_server
from workbench.access import Actor
from workbench.cohorts import accept_invitation, invitation_email, invite, rename_cohort
from workbench.db import session_scope
from workbench.errors import AccessDenied
from workbench.settings import get_settings

PAGE = "screens/cohorts.py"
BREAKING_SPACE_BEFORE = re.compile(r" [:;!?»]|« ")  # French wants non-breaking spaces there
TOKEN = re.compile(r"\?invitation=([\w-]+)")


def _use_smtp(monkeypatch, env: dict[str, str]) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()


def _invite(people, email: str):
    """Invite ``email`` with the form's one button: « Envoyer l’invitation » when SMTP is set up,
    « Créer le lien d’invitation » otherwise."""
    at = run_page(PAGE, people.trainer)
    next(t for t in at.text_input if t.label == "Inviter par e-mail").input(email)
    label = "Envoyer l’invitation" if get_settings().smtp.configured else "Créer le lien d’invitation"
    at.button(key=f"FormSubmitter:invite-{people.cohort_id}-0-{label}").click().run()
    assert not at.exception
    return at


def test_the_button_says_it_sends_when_smtp_is_set_up(people, monkeypatch, tmp_path) -> None:
    """With SMTP set up the button read « Créer le lien d’invitation » though it e-mails the invitee."""

    def labels() -> list[str]:
        at = run_page(PAGE, people.trainer)
        return [b.label for b in at.button if b.proto.form_id == f"invite-{people.cohort_id}-0"]

    assert labels() == ["Créer le lien d’invitation"]
    with smtp_server(tmp_path) as server:
        _use_smtp(monkeypatch, server.env())
        assert labels() == ["Envoyer l’invitation"]


def _shown_token(at) -> str:
    [link] = [c.value for c in at.code if "?invitation=" in c.value]
    return TOKEN.search(link).group(1)


def _parts(received) -> tuple[str, str, str]:
    message = received.message
    return (
        str(message["Subject"]),
        message.get_body(("plain",)).get_content(),
        message.get_body(("html",)).get_content(),
    )


def test_the_invitation_is_emailed_in_french_with_its_link(people, monkeypatch, tmp_path) -> None:
    with smtp_server(tmp_path) as server:
        _use_smtp(monkeypatch, server.env())
        at = _invite(people, " Nina.Martin@Example.fr ")
        [received] = server.received
    assert not at.error, [e.value for e in at.error]
    assert received.rcpt_tos == ["nina.martin@example.fr"]
    assert [as_read(s.value) for s in at.success] == ["Invitation envoyée à nina.martin@example.fr."]
    token = _shown_token(at)  # the link is still shown, to copy if the e-mail goes astray
    subject, text, html = _parts(received)
    assert subject == "Invitation à la session «\u00a0Promo CM 2026\u00a0» — Atelier CM"
    assert f"?invitation={token}" in text and f'href="http://localhost:8501/?invitation={token}"' in html
    for part in (text, html):
        assert "Claire Formatrice" in part and "formatrice@example.fr" in part  # who invited
        assert "14\u00a0jours" in part and "une seule fois" in part
        assert "«\u00a0Promo CM 2026\u00a0»" in part
        assert BREAKING_SPACE_BEFORE.findall(part) == []
    with session_scope() as s:  # the e-mailed link signs up once
        assert invitation_email(s, token) == "nina.martin@example.fr"
        accept_invitation(s, token=token, display_name="Nina", password="motdepasse-n1")


@pytest.mark.parametrize(
    "name",
    ["<b>x</b> & <script>alert(1)</script>", "*Promo* [clic](https://evil.example) `code` «\u00a0Été\u00a0»"],
)
def test_a_hostile_session_name_is_escaped_in_the_html_part(people, monkeypatch, tmp_path, name) -> None:
    with session_scope() as s:
        rename_cohort(s, people.trainer, people.cohort_id, name)
    with smtp_server(tmp_path) as server:
        _use_smtp(monkeypatch, server.env())
        at = _invite(people, "nina@example.fr")
        [received] = server.received
    subject, text, html = _parts(received)
    assert "<b>" not in html and "<script" not in html and 'evil.example"' not in html
    assert re.findall(r"<a\b[^>]*>", html) == [
        f'<a href="http://localhost:8501/?invitation={_shown_token(at)}">'
    ]
    if name.startswith("<b>"):
        assert "&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;" in html
        assert "«\u00a0<b>x</b> & <script>alert(1)</script>\u00a0»" in text  # plain text: as typed
    else:
        assert "“Été”" in subject and "[clic](https://evil.example)" in text  # quoted once, Markdown as typed


def test_without_smtp_the_link_is_shown_and_where_to_set_up_email(people) -> None:
    at = _invite(people, "nina@example.fr")
    assert not at.error
    assert any("Lien d’invitation créé" in s.value for s in at.success)
    assert _shown_token(at)
    assert any("Réglages" in c.value and "README" in c.value for c in at.caption)


def test_a_refused_address_is_said_in_french_and_the_invitation_kept(people, monkeypatch, tmp_path) -> None:
    with smtp_server(tmp_path, refuse={"nina@example.fr"}) as server:
        _use_smtp(monkeypatch, server.env())
        at = _invite(people, "nina@example.fr")
        assert server.received == []
    [error] = [as_read(e.value) for e in at.error]
    assert "a refusé l’adresse nina@example.fr" in error and "550" in error
    assert "lien ci-dessous" in error  # what to do: send the link another way
    token = _shown_token(at)
    with session_scope() as s:
        assert invitation_email(s, token) == "nina@example.fr"


def test_an_unreachable_server_does_not_promise_a_retry(people, monkeypatch) -> None:
    _use_smtp(
        monkeypatch,
        {
            "ATELIER_SMTP_HOST": "127.0.0.1",
            "ATELIER_SMTP_PORT": str(free_port()),  # nobody listens
            "ATELIER_SMTP_SECURITY": "none",
            "ATELIER_SMTP_SENDER": "Atelier CM <veille@example.org>",
        },
    )
    at = _invite(people, "nina@example.fr")
    [error] = [as_read(e.value) for e in at.error]
    assert "Serveur d’envoi injoignable" in error and "lien ci-dessous" in error
    assert "retenté" not in error and "prochain passage" not in error  # nothing retries an invitation
    with session_scope() as s:
        assert invitation_email(s, _shown_token(at)) == "nina@example.fr"


def test_only_the_sessions_trainer_invites(people) -> None:
    with session_scope() as s:
        for someone in (people.other_trainer, people.alice, Actor(id=people.alice.id, role="trainer")):
            with pytest.raises(AccessDenied):
                invite(s, someone, people.cohort_id, "nina@example.fr")
