"""Demo content kept apart from real work: never in a sent digest nor an alert, dropped once a
person follows their own sources, marked « démo » where it shows, removable by a trainer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from curation import pins
from curation.board_models import Pin
from curation.demo import (
    DEMO_FOLDER,
    DEMO_HOST,
    DEMO_MARK,
    demo_feeds,
    ensure_starter_subscriptions,
    is_demo_link,
    load_demo_content,
    remove_demo_content,
)
from curation.digest.job import run_list
from curation.digest.lists import ListSettings, create_list
from curation.feeds import get_or_create_feed, list_subscriptions, subscribe_feed
from curation.models import Entry, Feed, Subscription
from curation.monitoring.models import Alert
from curation.monitoring.watches import WatchInput, create_watch
from tests.apptest import run_page, wall_cards
from tests.digest_data import NOW, add_entry, add_feed
from tests.smtpserver import smtp_server
from tests.test_boards_pages import html_of
from workbench.db import session_scope, utcnow
from workbench.errors import AccessDenied
from workbench.settings import get_settings


def run(fn, *args, **kwargs):
    with session_scope() as s:
        return fn(s, *args, **kwargs)


def test_every_demo_entry_links_under_the_demo_host(db_url) -> None:
    run(load_demo_content)
    with session_scope() as s:
        links = list(s.scalars(select(Entry.link)))
    assert links and all(is_demo_link(link) for link in links)
    assert not is_demo_link("https://www.blogdumoderateur.com/") and not is_demo_link(
        f"https://evil.example/{DEMO_HOST}"
    )


def test_a_digest_sent_after_demo_content_was_present_holds_none_of_it(people, monkeypatch, tmp_path) -> None:
    # The trainer started on the demo (own subscriptions, a pinned demo entry), then set up the
    # real watch: a cohort feed and a client list drawing from everything, boards included.
    with session_scope() as s:
        load_demo_content(s, now=NOW - timedelta(hours=1))
        ensure_starter_subscriptions(s, people.trainer)
    with session_scope() as s:
        demo_entry = s.scalars(select(Entry).order_by(Entry.id)).first().id
    pin = run(pins.pin_entry, people.trainer, demo_entry)
    with session_scope() as s:
        s.execute(update(Pin).where(Pin.id == pin.id).values(created_at=NOW - timedelta(minutes=30)))
        real = add_feed(s, "Le Blog du Modérateur", cohort_id=people.cohort_id, folder="Réseaux sociaux")
        add_entry(s, real, "TikTok teste les publications longues", "Le réseau teste un format.")
        create_list(
            s,
            people.trainer,
            ListSettings(
                name="Client",
                addresses=["client@example.org"],
                folders=["Réseaux sociaux", DEMO_FOLDER],
                board_ids=[pin.board_id],
                translate=False,
            ),
        )
        create_list(
            s, people.trainer, ListSettings(name="Tout", addresses=["moi@example.org"], translate=False)
        )
    with smtp_server(tmp_path) as server:
        for key, value in server.env().items():
            monkeypatch.setenv(key, value)
        get_settings.cache_clear()
        for name in ("Client", "Tout"):
            outcome = run_list(name, now=NOW)
            assert outcome.status == "sent", outcome.message
        received = list(server.received)
    assert received
    for message in received:
        text = message.data.decode("utf-8", errors="replace")
        body = "\n".join(
            part.get_content() for part in message.message.walk() if part.get_content_maintype() == "text"
        )
        assert "TikTok teste les publications longues" in body
        assert DEMO_HOST not in text and DEMO_HOST not in body
        assert "Démonstration" not in body and "démo" not in body.lower()


def test_following_ones_own_source_drops_the_demo_feeds_for_that_person_only(people) -> None:
    run(ensure_starter_subscriptions, people.zoe)
    with session_scope() as s:
        feed = get_or_create_feed(s, "https://zoe.example/rss")
        subscribe_feed(s, people.zoe, feed, folder="Moi")
    assert [v.url for v in run(list_subscriptions, people.zoe)] == ["https://zoe.example/rss"]
    # Another newcomer keeps the demo until they follow their own sources.
    run(ensure_starter_subscriptions, people.other_trainer)
    with session_scope() as s:
        assert {v.status for v in list_subscriptions(s, people.other_trainer)} == {"demo"}
        assert len(demo_feeds(s)) >= 6  # the feeds stay for the next newcomer


def test_a_trainer_removes_the_demo_content_in_one_action(people) -> None:
    run(ensure_starter_subscriptions, people.zoe)
    with session_scope() as s:
        entry_id = s.scalars(select(Entry.id).order_by(Entry.id)).first()
    demo_pin = run(pins.pin_entry, people.zoe, entry_id)
    with pytest.raises(AccessDenied):
        run(remove_demo_content, people.alice)
    removed = run(remove_demo_content, people.trainer)
    assert removed.feeds >= 6 and removed.entries >= 25 and removed.subscriptions >= 6 and removed.pins == 1
    with session_scope() as s:
        assert s.scalar(select(func.count(Feed.id))) == 0
        assert s.scalar(select(func.count(Entry.id))) == 0
        assert s.scalar(select(func.count(Subscription.id))) == 0
        assert s.get(Pin, demo_pin.id) is None
    # It does not come back: neither for a newcomer nor at the next start.
    assert get_settings().demo_content is False
    assert run(ensure_starter_subscriptions, people.bob) == 0
    with session_scope() as s:
        assert s.scalar(select(func.count(Feed.id))) == 0


def test_a_watch_over_demo_entries_raises_no_alert(people) -> None:
    with session_scope() as s:  # the newest demo items published half an hour ago
        load_demo_content(s, now=utcnow() + timedelta(minutes=90))
        ensure_starter_subscriptions(s, people.zoe)
    watch = run(create_watch, people.zoe, WatchInput(name="Instagram", alert_threshold=1, alert_email=False))
    assert watch.mention_count > 0
    with session_scope() as s:
        assert s.scalar(select(func.count(Alert.id))) == 0


def test_demo_content_is_marked_on_the_wall_the_sources_and_the_boards(people) -> None:
    run(ensure_starter_subscriptions, people.zoe)
    wall = run_page("screens/wall.py", people.zoe)
    assert not wall.exception
    cards = wall_cards(wall).values()
    assert cards and all(card["demo"] for card in cards)  # every card carries the « démo » mark
    with session_scope() as s:
        first = s.scalars(select(Entry.id).order_by(Entry.id)).first()
    reading = run_page("screens/wall.py", people.zoe, wall_reading=first)
    assert f":gray-badge[:material/school: {DEMO_MARK}]" in [m.value for m in reading.markdown]
    sources = run_page("screens/sources.py", people.zoe)
    assert not sources.exception
    assert any(DEMO_MARK in str(cell) for cell in sources.dataframe[0].value.to_numpy().ravel())
    with session_scope() as s:
        entry_id = s.scalars(select(Entry.id).order_by(Entry.id)).first()
    pin = run(pins.pin_entry, people.zoe, entry_id)
    board = run_page("screens/boards.py", people.zoe, boards_board=pin.board_id)
    assert not board.exception and f'<span class="atl-badge atl-demo">{DEMO_MARK}</span>' in html_of(board)
    real = run(
        pins.add_pin, people.alice, pins.PinData(title="Un article réel", url="https://media.example/a")
    )
    assert f">{DEMO_MARK}</span>" not in html_of(
        run_page("screens/boards.py", people.alice, boards_board=real.board_id)
    )
