"""The digest in a real browser: a trainer's first list in one click, preview, send (to a real SMTP
server on 127.0.0.1), open it from the history, publish its Atom feed (fetched over HTTP from the
running app and parsed); the trainee reads it from the history."""

from __future__ import annotations

import re
from datetime import timedelta

import feedparser
import httpx
import pytest

from tests.browser.conftest import ARTIFACTS, ROOT, AppServer, log_in, wait_idle
from tests.conftest import People
from tests.entry_factory import add_entry, add_feed
from tests.smtpserver import smtp_server
from workbench.db import session_scope, upgrade_database, utcnow

pytestmark = pytest.mark.browser

TITLES = ("TikTok teste les publications longues", "Instagram et l’engagement des marques")


def _seed(url: str) -> People:
    upgrade_database(url)
    people = People(url)
    with session_scope(url) as s:
        feed = add_feed(s, "Le Blog du Modérateur", cohort_id=people.cohort_id, folder="Réseaux sociaux")
        for hours, title in enumerate(TITLES, start=1):
            seen = utcnow() - timedelta(hours=hours)
            add_entry(
                s, feed, title, f"<p>{title} : ce qu’il faut savoir.</p>", published=seen, first_seen=seen
            )
    return people


def _settled(page) -> None:
    """The current Streamlit run is over (``wait_idle`` without waiting for network silence, which
    the preview's iframe can delay past the timeout on a loaded machine)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
    )


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"digest-{name}.png"), full_page=True)


@pytest.fixture
def world(tmp_path):
    data = tmp_path / "app-data"
    data.mkdir()
    people = _seed(f"sqlite:///{data / 'atelier.db'}")
    with smtp_server(tmp_path) as smtp:
        server = AppServer(data, env={**smtp.env(), "ATELIER_DEMO_CONTENT": "0"})
        server.start()
        try:
            yield server, smtp, people
        finally:
            server.stop()


def _preview(page):
    """The digest e-mail: inside the inert frame that Streamlit's own frame holds."""
    return page.frame_locator("iframe").first.frame_locator("iframe")


def test_preview_send_history_and_atom_feed(world, new_context):
    server, smtp, _people = world
    trainer = new_context().new_page()
    log_in(trainer, server.url, "formatrice@example.fr", "motdepasse-1")
    trainer.goto(f"{server.url}/revue")
    wait_idle(trainer)
    trainer.get_by_text("Créez d’abord une liste de diffusion").wait_for()
    _shot(trainer, "trainer-first-visit")

    trainer.get_by_role("button", name="Créer la liste de la session « Promo CM 2026 »").click()
    _settled(trainer)
    trainer.get_by_role("button", name="Préparer l’aperçu").click()
    trainer.get_by_text(re.compile(r"2\s+nouveaux articles examinés")).wait_for()
    preview = _preview(trainer)
    preview.get_by_role("link", name=TITLES[0]).wait_for()
    sandbox = trainer.frame_locator("iframe").first.locator("iframe").get_attribute("sandbox")
    assert sandbox is not None and "allow-scripts" not in sandbox  # the e-mail cannot run script
    intro = trainer.get_by_label("Introduction de cette revue")
    intro.fill("Bonjour la promo, bonne lecture !")
    intro.press("Control+Enter")
    _settled(trainer)
    _shot(trainer, "trainer-preview")

    trainer.get_by_role("button", name="Envoyer la revue").click()
    trainer.get_by_text(re.compile("Revue envoyée et archivée")).wait_for()
    assert sorted(r for m in smtp.received for r in m.rcpt_tos) == ["alice@example.fr", "bob@example.fr"]
    message = smtp.received[0].message
    assert message["Subject"].startswith("Revue de veille du ")
    html = message.get_body(("html",)).get_content()
    assert "Bonjour la promo, bonne lecture !" in html and all(t in html for t in TITLES)

    # Open it from the history (a fresh load: no draft on screen any more).
    trainer.reload()
    trainer.get_by_role("tab", name="Historique").wait_for()
    trainer.get_by_role("tab", name="Historique").click()
    trainer.get_by_text(re.compile(r"2\s+articles · envoyée le")).wait_for()
    trainer.get_by_text("alice@example.fr").wait_for(state="attached")  # the owner sees who received it
    _preview(trainer).get_by_text("Bonjour la promo, bonne lecture !").wait_for()

    # Subscribe: the feed address is served by the running app and parses as Atom.
    publish = trainer.get_by_role("button", name="Publier un flux Atom")
    publish.scroll_into_view_if_needed()  # below the 700 px preview: scrolled first, then clicked
    trainer.wait_for_timeout(500)
    publish.click()
    address = trainer.get_by_text(re.compile(r"/app/static/digest/[\w-]+\.xml")).inner_text().strip()
    feed_file = ROOT / "static" / "digest" / address.rsplit("/", 1)[1]
    try:
        assert address.startswith(f"{server.url}/app/static/digest/")
        response = httpx.get(address, timeout=10)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/xml")
        feed = feedparser.parse(response.content)
        assert not feed.bozo and feed.feed.title == "Revue de veille — Promo CM 2026"
        assert [e.title for e in feed.entries] == [message["Subject"]]
        assert "Bonjour la promo" in feed.entries[0].content[0].value
        _shot(trainer, "trainer-history")
        trainer.get_by_role("button", name="Ne plus publier ce flux").click()
        trainer.get_by_role("button", name="Publier un flux Atom").wait_for()
        assert httpx.get(address, timeout=10).status_code == 404
    finally:
        feed_file.unlink(missing_ok=True)

    # The trainee reads the cohort's digest from her history, on a phone.
    trainee = new_context(390, 844).new_page()
    log_in(trainee, server.url, "alice@example.fr", "motdepasse-a1")
    trainee.goto(f"{server.url}/revue")
    wait_idle(trainee)
    trainee.get_by_text(re.compile("Les revues que votre formateur envoie à votre session")).wait_for()
    _shot(trainee, "trainee-first-visit")
    trainee.get_by_role("tab", name="Historique").click()
    _preview(trainee).get_by_role("link", name=TITLES[0]).wait_for()
    assert trainee.get_by_text("bob@example.fr").count() == 0  # not who else received it
    _shot(trainee, "trainee-history")
