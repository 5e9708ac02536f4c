"""No translation provider reachable (a closed port on 127.0.0.1): every translation action says
so in French, and who can fix it and how — on a card, on the wall, in the reading view, on the
Traduction page."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from curation.feeds import get_or_create_feed, subscribe_feed
from curation.models import Entry
from tests.apptest import click_card, run_page, wall_cards
from tests.smtpserver import free_port
from workbench.db import session_scope
from workbench.settings import get_settings

FAILED = "La traduction n’a pas pu être faite"
WHO = "Un·e formateur·rice peut choisir un autre service de traduction"


@pytest.fixture
def unreachable(monkeypatch, db_url) -> int:
    port = free_port()  # nothing listens there
    for key, value in {
        "ATELIER_TRANSLATION_PROVIDER": "libre",
        "ATELIER_TRANSLATION_PROVIDER_URL": f"http://127.0.0.1:{port}/",
        "ATELIER_TRANSLATION_TIMEOUT_S": "2",
        "ATELIER_TRANSLATION_RETRIES": "0",
        "ATELIER_ALLOW_PRIVATE_NETWORKS": "1",
    }.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    return port


@pytest.fixture
def english_entry(people) -> int:
    with session_scope() as s:
        feed = get_or_create_feed(s, "https://cm.example.org/feed.xml")
        subscribe_feed(s, people.alice, feed, folder="Anglais")
        entry = Entry(
            feed_id=feed.id, guid="1", title="Our reach grew", summary="<p>Hello world</p>", language="en"
        )
        s.add(entry)
        s.flush()
        return entry.id


def _said(at: AppTest, port: int) -> list[str]:
    messages = [m.value for m in [*at.warning, *at.error]] + [c["failure"] for c in wall_cards(at).values()]
    return [m for m in messages if FAILED in m and WHO in m and "Réglages" in m and f"127.0.0.1:{port}" in m]


def test_the_card_says_why_translation_failed_and_who_can_fix_it(people, english_entry, unreachable) -> None:
    at = run_page("screens/wall.py", people.alice)
    assert wall_cards(at)[english_entry]["translate"]  # « Traduire » offered
    click_card(at, english_entry, "translate")
    assert not at.exception
    assert _said(at, unreachable)  # on the card
    at.run()
    assert _said(at, unreachable)  # still there after the page's rerun
    assert "Traduire les titres" in [b.label for b in at.button]  # still offered for a later try


def test_the_wall_says_why_the_titles_were_not_translated(people, english_entry, unreachable) -> None:
    at = run_page("screens/wall.py", people.alice)
    next(b for b in at.button if b.label == "Traduire les titres").click().run()
    assert not at.exception
    assert _said(at, unreachable)


def test_the_reading_view_says_why_the_article_was_not_translated(people, english_entry, unreachable) -> None:
    at = run_page("screens/wall.py", people.alice, wall_reading=english_entry)
    next(b for b in at.button if b.label == "Lire en français").click().run()
    assert not at.exception
    assert _said(at, unreachable)


def test_the_translation_page_says_it_failed_instead_of_done(people, unreachable) -> None:
    at = run_page("screens/translate.py", people.alice)
    at.text_area[0].input("Hello world")
    at.button[0].click().run()
    assert not at.exception
    assert _said(at, unreachable)
    labels = [s.proto.label for s in at.get("status")]
    assert "Traduction impossible." in labels and "Traduction terminée." not in labels
