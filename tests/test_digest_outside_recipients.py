"""Recipients outside the session (a client): their own footer, a working unsubscribe link the
app honours, a ``List-Unsubscribe`` header; the sender always comes from the settings."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from curation.digest.job import run_list
from curation.digest.models import PENDING, SKIPPED, Delivery, DigestList
from curation.digest.unsubscribe import QUERY_PARAM, unsubscribe
from curation.mail import SmtpNotConfigured
from tests.apptest import ROOT, TIMEOUT
from tests.digest_data import NOW, cohort_world
from tests.hostile import as_read
from tests.smtpserver import smtp_server
from workbench.db import session_scope
from workbench.settings import get_settings


def use_env(monkeypatch, env: dict[str, str]) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()


def send_to_client(people, db_url, monkeypatch, tmp_path, public: str):
    cohort_world(people, db_url, translate=False, addresses=["client@example.org"])
    with smtp_server(tmp_path) as server:
        use_env(monkeypatch, server.env() | {"ATELIER_PUBLIC_BASE_URL": public})
        outcome = run_list("Promo CM 2026", now=NOW)
        assert outcome.status == "sent", outcome.message
        return {r.rcpt_tos[0]: r.message for r in server.received}


def parts(msg) -> tuple[str, str]:
    text_part, html_part = msg.get_payload()
    return text_part.get_content(), html_part.get_content()


def test_a_client_gets_its_own_footer_a_link_and_a_list_unsubscribe_header(
    db_url, people, monkeypatch, tmp_path
) -> None:
    received = send_to_client(people, db_url, monkeypatch, tmp_path, "https://atelier.example.fr")
    member, client = received["alice@example.fr"], received["client@example.org"]
    assert member["List-Unsubscribe"] is None
    assert "Mon compte" in parts(member)[0] and "Mon compte" in parts(member)[1]
    header = client["List-Unsubscribe"]
    link, mailto = re.findall(r"<([^>]+)>", header)
    assert link.startswith("https://atelier.example.fr/?desinscription=")
    assert mailto.startswith("mailto:veille@example.org?subject=")
    assert client["List-Unsubscribe-Post"] is None  # the page answers GET only: no one-click promise
    text, html = parts(client)
    assert "Mon compte" not in text and "Mon compte" not in html
    assert "Promo CM 2026" in text and link in text
    assert f'href="{link.replace("&", "&amp;")}"' in html or f'href="{link}"' in html
    assert "Se désinscrire" in html and "Instagram et l’engagement des marques" in html


def test_without_a_public_address_the_client_is_told_to_reply(db_url, people, monkeypatch, tmp_path) -> None:
    client = send_to_client(people, db_url, monkeypatch, tmp_path, "http://localhost:8501")[
        "client@example.org"
    ]
    assert re.fullmatch(r"<mailto:veille@example\.org\?subject=[^>]+>", client["List-Unsubscribe"])
    assert "répondez à ce message" in parts(client)[0]
    assert "desinscription" not in parts(client)[1]


def test_the_app_honours_the_link_after_a_click(db_url, people, monkeypatch, tmp_path) -> None:
    received = send_to_client(people, db_url, monkeypatch, tmp_path, "https://atelier.example.fr")
    link = re.findall(r"<([^>]+)>", received["client@example.org"]["List-Unsubscribe"])[0]
    token = parse_qs(urlsplit(link).query)[QUERY_PARAM][0]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params[QUERY_PARAM] = token
    at.run()
    assert not at.exception and at.title[0].value == "Désinscription"
    assert "client@example.org" in as_read(at.markdown[0].value)
    with session_scope() as s:  # opening the link alone changes nothing (mail scanners open links)
        assert "client@example.org" in s.scalar(select(DigestList.addresses))
    at.button[0].click().run()
    assert not at.exception and "ne recevra plus" in at.success[0].value
    with session_scope() as s:
        assert s.scalar(select(DigestList.addresses)) == []
    again = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    again.query_params[QUERY_PARAM] = token
    again.run()
    assert "ne reçoit plus" in again.info[0].value and not again.button
    bad = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    bad.query_params[QUERY_PARAM] = token[:-4] + "AAAA"
    bad.run()
    assert not bad.exception and "n’est pas valide" in bad.error[0].value


def test_unsubscribing_drops_the_deliveries_still_waiting(db_url, people, monkeypatch, tmp_path) -> None:
    received = send_to_client(people, db_url, monkeypatch, tmp_path, "https://atelier.example.fr")
    token = parse_qs(
        urlsplit(re.findall(r"<([^>]+)>", received["client@example.org"]["List-Unsubscribe"])[0]).query
    )
    with session_scope() as s:
        for row in s.scalars(select(Delivery)):
            row.status = PENDING  # as after a failed run
    with session_scope() as s:
        unsubscribe(s, token[QUERY_PARAM][0])
    with session_scope() as s:
        statuses = dict(s.execute(select(Delivery.email, Delivery.status)).tuples().all())
    assert statuses["client@example.org"] == SKIPPED and statuses["alice@example.fr"] == PENDING


@pytest.mark.parametrize("sender", ["", "Atelier CM <veille@localhost>"])
def test_no_real_send_without_a_sender_from_the_settings(
    db_url, people, monkeypatch, tmp_path, sender
) -> None:
    cohort_world(people, db_url, translate=False, addresses=["client@example.org"])
    with smtp_server(tmp_path) as server:
        use_env(monkeypatch, server.env())
        monkeypatch.delenv("ATELIER_SMTP_SENDER")
        if sender:
            monkeypatch.setenv("ATELIER_SMTP_SENDER", sender)
        get_settings.cache_clear()
        with pytest.raises(SmtpNotConfigured, match="ATELIER_SMTP_SENDER"):
            run_list("Promo CM 2026", now=NOW)
        assert server.received == []


@pytest.mark.parametrize("public", ["https://atelier.example.fr", "http://localhost:8501"])
def test_a_list_of_addresses_only_gives_the_client_its_footer_in_the_html_too(
    db_url, people, monkeypatch, tmp_path, public
) -> None:
    """The freelance CM's list for a client has no session: the HTML (what mail programs show) had
    no word on why the client receives it nor how to stop, only the text part had."""
    cohort_world(people, db_url, translate=False, cohort_id=None, addresses=["client@example.org"])
    with smtp_server(tmp_path) as server:
        use_env(monkeypatch, server.env() | {"ATELIER_PUBLIC_BASE_URL": public})
        assert run_list("Promo CM 2026", now=NOW).status == "sent"
        (client,) = [r.message for r in server.received]
    text, html = parts(client)
    why = "Vous recevez la revue «\u00a0Promo CM 2026\u00a0» parce que votre adresse figure sur cette liste"
    assert why in text and why in html
    assert ("Se désinscrire" in html) == public.startswith("https")
    assert ("répondez à ce message" in html) == (not public.startswith("https"))
    assert "recipient-footer" not in html
    # A client cannot open an app at the sender's own « localhost »: no such link in their mail.
    assert ("localhost" in text + html) is False
    assert ("https://atelier.example.fr" in html) == public.startswith("https")
