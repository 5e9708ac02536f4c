"""In a real browser: create a watch with an exclusion, refresh local feeds, see the mentions chart and an alert."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.utils import format_datetime

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import open_sidebar, sign_up_first_trainer, wait_idle
from tests.feedserver import FeedServer, Route
from workbench.access import Actor
from workbench.db import session_scope, utcnow
from workbench.models import User

pytestmark = pytest.mark.browser


def _rss() -> bytes:
    now = format_datetime(utcnow())
    items = [
        ("Orange lance une nouvelle offre fibre", "Une offre excellente selon les clients."),
        ("Panne géante chez Orange", "Les clients d’Orange sont en colère."),
        ("Le jus d’orange du matin", "Un fruit plein de vitamines."),
    ]
    body = "".join(
        f"<item><title>{t}</title><link>https://presse.example.fr/{i}</link><guid>p-{i}</guid>"
        f"<description>{d}</description><pubDate>{now}</pubDate></item>"
        for i, (t, d) in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>La Presse locale</title>'
        f"<link>https://presse.example.fr/</link><language>fr</language>{body}</channel></rss>"
    ).encode()


@pytest.fixture(scope="module")
def local_feeds() -> Iterator[FeedServer]:
    server = FeedServer().start()
    server.add("/presse.xml", Route(body=_rss()))
    yield server
    server.stop()


def test_watch_with_exclusion_refresh_chart_and_alert(app_server, new_context, local_feeds) -> None:
    page = new_context().new_page()
    sign_up_first_trainer(page, app_server.url)

    # Her source, subscribed through the library in the app's database (fetched at the next refresh).
    from curation.feeds import get_or_create_feed, subscribe_feed

    db_url = app_server.env["ATELIER_DATABASE_URL"]
    with session_scope(db_url) as s:
        user = s.scalar(select(User).where(User.email == "claire@example.fr"))
        subscribe_feed(
            s, Actor.of(user), get_or_create_feed(s, local_feeds.url("/presse.xml")), folder="Presse"
        )

    open_sidebar(page)
    page.get_by_role("link", name="E-réputation").click()
    page.get_by_text("Créez votre première veille").wait_for()
    page.get_by_role("tab", name="Mes veilles").click()
    form = page.get_by_test_id("stForm").first
    form.get_by_role("textbox", name="Nom suivi").fill("Orange")
    form.get_by_role("textbox", name="Exclusions (une par ligne)").fill("jus\nfruit")
    form.get_by_role("textbox", name=re.compile("^Seuil")).fill("2")
    form.get_by_role("button", name="Créer la veille").click()
    page.get_by_text(re.compile(r"Orange · Marque · 0\s+mention")).wait_for()

    open_sidebar(page)
    page.get_by_role("link", name="Sources").click()
    page.get_by_role("button", name="Actualiser maintenant").click()
    # the feed's own title, once fetched (in the table's accessible cells)
    page.get_by_text(re.compile("Presse locale")).first.wait_for(state="attached")
    wait_idle(page)
    assert local_feeds.hits["/presse.xml"] == 1

    page.goto(f"{app_server.url}/e-reputation")  # the login cookie survives the page load
    wait_idle(page)
    page.get_by_text(re.compile(r"Alertes \(1 nouvelle\)")).wait_for()
    page.get_by_text(re.compile(r"Orange.*2\s+mentions en une heure")).first.wait_for()
    page.get_by_test_id("stPlotlyChart").first.wait_for(timeout=30_000)  # charts render last
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("2")  # the fruit juice is excluded
    expect(page.locator("mark", has_text="Orange").first).to_be_visible()
    page.get_by_text("estimation automatique").first.wait_for()
    assert page.get_by_text("Le jus d’orange du matin").count() == 0
