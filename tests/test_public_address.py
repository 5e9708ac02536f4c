"""Every link the app writes carries the install's public address: the setting when set, else the
address a trainer opened the app at (kept in the database, so cron e-mails have it too)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from streamlit import config

from curation import boards
from curation.board_models import LINK
from curation.cli import digest as digest_cli
from curation.cli import main as cli_main
from curation.digest.atom import atom_feed, feed_url
from curation.digest.models import DigestList
from curation.monitoring.alerts import deliver_pending_emails
from curation.monitoring.models import Alert
from tests.apptest import run_app
from tests.digest_data import NOW, cohort_world
from tests.smtpserver import smtp_server
from workbench.db import get_engine, session_scope
from workbench.errors import AccessDenied
from workbench.public_address import LOCAL_ADDRESS, public_base_url, remember_public_address
from workbench.settings import get_settings

PUBLIC = "https://atelier.example.fr/formation"


def _configure(monkeypatch, env: dict[str, str]) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()


def test_a_fresh_install_without_the_setting_links_to_localhost(db_url):
    with session_scope() as s:
        assert public_base_url(s) == LOCAL_ADDRESS == "http://localhost:8501"


def test_the_setting_wins_over_the_address_seen(db_url, people, monkeypatch):
    _configure(monkeypatch, {"ATELIER_PUBLIC_BASE_URL": "https://veille.example.org/"})
    with session_scope() as s:
        remember_public_address(s, people.trainer, PUBLIC)
        assert public_base_url(s) == "https://veille.example.org"


def test_the_address_a_trainer_used_is_kept_and_a_loopback_one_never_replaces_it(db_url, people):
    with session_scope() as s:
        assert remember_public_address(s, people.trainer, "http://localhost:8501/")  # better than nothing
        assert public_base_url(s) == "http://localhost:8501"
        assert remember_public_address(s, people.trainer, "https://Atelier.Example.fr/formation/")
    with session_scope() as s:
        assert public_base_url(s) == PUBLIC
        # A trainer checking the server through an SSH tunnel does not break the links sent out.
        for local in (
            "http://127.0.0.1:8501",
            "http://localhost:8501",
            "http://[::1]:8501",
            "http://box.localhost",
        ):
            assert not remember_public_address(s, people.trainer, local)
        assert public_base_url(s) == PUBLIC
        assert remember_public_address(s, people.trainer, "https://veille.example.org")  # the install moved
        assert public_base_url(s) == "https://veille.example.org"


def test_only_a_trainer_and_only_a_plain_web_address_are_recorded(db_url, people):
    with session_scope() as s:
        with pytest.raises(AccessDenied):
            remember_public_address(s, people.alice, PUBLIC)
        for bad in (
            "javascript:alert(1)",
            "ftp://atelier.example.fr",
            "https://user:secret@atelier.example.fr",
            "https://",
            "atelier.example.fr",
            "https://atelier.example.fr:99999",
            "https://atelier.example.fr/<script>",
        ):
            assert not remember_public_address(s, people.trainer, bad), bad
        assert public_base_url(s) == LOCAL_ADDRESS


def test_the_app_records_the_address_a_trainer_opened_and_shows_it_in_links(db_url, people):
    with session_scope() as s:
        board = boards.create_board(s, people.trainer, "Veille client", visibility=LINK)
    config.set_option("server.baseUrlPath", "formation")  # served behind a proxy under /formation
    try:
        at = run_app(people.trainer, url=f"{PUBLIC}/")  # the home page
        assert not at.exception
        with session_scope() as s:
            assert public_base_url(s) == PUBLIC
        at.context = {"url": f"{PUBLIC}/tableaux"}
        at.session_state["boards_board"] = board.id
        at.switch_page("screens/boards.py").run()
    finally:
        config.set_option("server.baseUrlPath", "")
    assert not at.exception
    assert f"{PUBLIC}/?board={board.share_token}" in [c.value for c in at.code]


def test_a_trainee_visit_is_not_recorded(db_url, people):
    at = run_app(people.alice, url="https://pirate.example/")
    assert not at.exception
    with session_scope() as s:
        assert public_base_url(s) == LOCAL_ADDRESS


def test_the_cron_digest_and_its_feed_use_the_address_seen_in_the_app(db_url, people, monkeypatch, tmp_path):
    list_id = cohort_world(people, db_url, translate=False)
    run_app(people.trainer, url=f"{PUBLIC}/revue")  # a trainer on the digest page, earlier
    monkeypatch.setattr(digest_cli, "utcnow", lambda: NOW)
    with smtp_server(tmp_path) as server:
        _configure(monkeypatch, server.env())
        assert cli_main(["digest", "--list", "Promo CM 2026", "--send"]) == 0
        received = list(server.received)
    assert received
    for mail in received:
        body = "".join(p.get_content() for p in mail.message.walk() if p.get_content_maintype() == "text")
        assert f"{PUBLIC}/compte" in body  # the footer's « manage my digests » link, in both parts
        assert "localhost" not in body
    with session_scope() as s:
        row = s.get(DigestList, list_id)
        feed = atom_feed(s, row)
        assert f'href="{PUBLIC}"' in feed and "tag:atelier.example.fr," in feed
        assert feed_url(s, "abc").startswith(f"{PUBLIC}/app/static/digest/")
    for href in re.findall(r'href="([^"]+)"', feed):
        assert href.startswith("https://"), href


def test_alert_emails_link_to_the_address_seen_in_the_app(db_url, people, monkeypatch, tmp_path):
    run_app(people.trainer, url=f"{PUBLIC}/e-reputation")
    with session_scope() as s:
        s.add(
            Alert(
                user_id=people.trainer.id,
                subject="rule:1",
                kind="rule",
                period_start=datetime(2026, 12, 1, tzinfo=UTC),
                title="« bad buzz » dans 3 articles",
                message="La règle « bad buzz » a trouvé 3 articles.",
                email_status="pending",
            )
        )
    with smtp_server(tmp_path) as server:
        _configure(monkeypatch, server.env())
        assert deliver_pending_emails(get_engine()) == 1
        text = server.received[0].message.get_content()
    assert f"{PUBLIC}/e-reputation" in text and "localhost" not in text
