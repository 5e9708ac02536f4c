"""Pinning the same article twice on a board keeps one pin (both backends): the second time
returns it, flagged, with the new note and tags merged in; another board gets its own pin."""

from __future__ import annotations

from curation import boards, pins
from curation.pins import PinData
from tests.apptest import click_card, run_page
from tests.entry_factory import add_entry, add_feed
from tests.feedserver import FeedServer, Route
from workbench.db import session_scope


def run(fn, *args, **kwargs):
    with session_scope() as s:
        return fn(s, *args, **kwargs)


def _entry(people) -> int:
    with session_scope() as s:
        feed = add_feed(s, "Le Blog du CM", user_id=people.alice.id)
        return add_entry(s, feed, "Dix idées de posts", "<p>Pour la rentrée.</p>").id


def test_pinning_a_wall_entry_twice_keeps_one_pin(people) -> None:
    entry_id = _entry(people)
    first = run(pins.pin_entry, people.alice, entry_id)
    again = run(pins.pin_entry, people.alice, entry_id, note="À montrer lundi", tags=["rentrée"])
    assert (again.id, again.already_pinned, first.already_pinned) == (first.id, True, False)
    [pin] = run(pins.board_pins, people.alice, first.board_id)
    assert (pin.note, pin.tags) == ("À montrer lundi", ("rentrée",))
    run(pins.pin_entry, people.alice, entry_id, note="À montrer lundi", tags=["rentrée"])
    [pin] = run(pins.board_pins, people.alice, first.board_id)
    assert pin.note == "À montrer lundi"  # the same note is not added twice
    other = run(boards.create_board, people.alice, "Idées")
    elsewhere = run(pins.pin_entry, people.alice, entry_id, board_id=other.id)
    assert elsewhere.id != first.id and not elsewhere.already_pinned


def test_a_deleted_pin_does_not_block_pinning_again(people) -> None:
    entry_id = _entry(people)
    first = run(pins.pin_entry, people.alice, entry_id)
    run(pins.delete_pin, people.alice, first.id)
    again = run(pins.pin_entry, people.alice, entry_id)
    assert again.id != first.id and not again.already_pinned


def test_pinning_the_same_url_twice_says_so(people, feed_server: FeedServer) -> None:
    page = "<html><head><title>Un tuto</title></head><body><article><p>Texte.</p></article></body></html>"
    feed_server.add("/tuto", Route(body=page.encode(), content_type="text/html; charset=utf-8"))
    first = run(pins.pin_url, people.alice, feed_server.url("/tuto")).pin
    outcome = run(pins.pin_url, people.alice, feed_server.url("/tuto?utm_source=x"), tags="tuto")
    assert outcome.pin.id == first.id and outcome.pin.tags == ("tuto",)
    assert any("déjà épinglée" in m for m in outcome.messages)
    typed = run(pins.add_pin, people.alice, PinData(title="Le tuto", url=first.url), board_id=first.board_id)
    assert typed.id == first.id
    assert len(run(pins.board_pins, people.alice, first.board_id)) == 1


def test_the_wall_says_when_an_article_is_already_pinned(people) -> None:
    entry_id = _entry(people)
    at = run_page("screens/wall.py", people.alice)
    click_card(at, entry_id, "pin")
    assert [t.value for t in at.toast] == ["Épinglé dans votre tableau par défaut."]
    click_card(at, entry_id, "pin")
    assert not at.exception
    assert [t.value for t in at.toast] == [
        "Déjà épinglé dans votre tableau par défaut\u00a0: rien n’a été ajouté."
    ]
    assert len(run(pins.search_pins, people.alice)) == 1
