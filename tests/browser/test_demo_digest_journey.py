"""In a real browser: a trainer who started on the demo content, then set up the cohort's real
sources, previews and sends the session's digest (to a real SMTP server on 127.0.0.1): neither the
preview nor the e-mail holds any of the demo content."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from curation.demo import DEMO_FOLDER, DEMO_HOST, ensure_starter_subscriptions
from tests.browser.conftest import AppServer, log_in, wait_idle
from tests.browser.test_digest_journey import TITLES, _settled
from tests.conftest import People
from tests.entry_factory import add_entry, add_feed
from tests.smtpserver import smtp_server
from workbench.db import session_scope, upgrade_database, utcnow

pytestmark = pytest.mark.browser


@pytest.fixture
def world(tmp_path):
    data = tmp_path / "app-data"
    data.mkdir()
    url = f"sqlite:///{data / 'atelier.db'}"
    upgrade_database(url)
    people = People(url)
    with session_scope(url) as s:
        assert ensure_starter_subscriptions(s, people.trainer) > 0  # the trainer's first days: the demo
        feed = add_feed(s, "Le Blog du Modérateur", cohort_id=people.cohort_id, folder="Réseaux sociaux")
        for hours, title in enumerate(TITLES, start=1):
            seen = utcnow() - timedelta(hours=hours)
            add_entry(s, feed, title, f"<p>{title}.</p>", published=seen, first_seen=seen)
    with smtp_server(tmp_path) as smtp:
        server = AppServer(data, env=smtp.env())
        server.start()
        try:
            yield server, smtp
        finally:
            server.stop()


def test_the_sessions_digest_holds_none_of_the_demo(world, new_context) -> None:
    server, smtp = world
    trainer = new_context().new_page()
    log_in(trainer, server.url, "formatrice@example.fr", "motdepasse-1")
    trainer.goto(f"{server.url}/revue")
    wait_idle(trainer)
    trainer.get_by_role("button", name="Créer la liste de la session « Promo CM 2026 »").click()
    _settled(trainer)
    trainer.get_by_role("button", name="Préparer l’aperçu").click()
    trainer.get_by_text(re.compile(r"2\s+nouveaux articles examinés")).wait_for()
    preview = trainer.frame_locator("iframe").first.frame_locator("iframe")  # the inert inner frame
    preview.get_by_role("link", name=TITLES[0]).wait_for()
    assert preview.get_by_text(DEMO_FOLDER).count() == 0

    trainer.get_by_role("button", name="Envoyer la revue").click()
    trainer.get_by_text(re.compile("Revue envoyée et archivée")).wait_for()
    assert smtp.received
    for received in smtp.received:
        html = received.message.get_body(("html",)).get_content()
        text = received.message.get_body(("plain",)).get_content()
        assert all(t in html for t in TITLES)
        for body in (html, text):
            assert DEMO_HOST not in body and DEMO_FOLDER not in body
