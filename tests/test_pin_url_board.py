"""« Épingler une adresse web » preselects the board one is looking at, else the one last pinned to."""

from __future__ import annotations

from curation import boards, pins
from curation.pins import PinData
from tests.apptest import run_page
from workbench.db import session_scope


def run(fn, *args, **kwargs):
    with session_scope() as s:
        return fn(s, *args, **kwargs)


def test_last_pinned_board(people) -> None:
    assert run(pins.last_pinned_board_id, people.alice) is None
    ideas = run(boards.create_board, people.alice, "Idées")
    reels = run(boards.create_board, people.alice, "Reels")
    run(pins.add_pin, people.alice, PinData(title="Un"), board_id=reels.id)
    last = run(pins.add_pin, people.alice, PinData(title="Deux"), board_id=ideas.id)
    run(pins.add_pin, people.bob, PinData(title="Pas à Alice"))  # someone else's pins do not count
    assert run(pins.last_pinned_board_id, people.alice) == ideas.id
    run(pins.delete_pin, people.alice, last.id)
    assert run(pins.last_pinned_board_id, people.alice) == reels.id


def test_url_pin_board_follows_the_board_in_view(people) -> None:
    default = run(boards.create_board, people.alice, "Mes épingles")
    run(boards.set_default_board, people.alice, default.id)
    insta = run(boards.create_board, people.alice, "Veille Instagram")
    run(pins.add_pin, people.alice, PinData(title="Chiffres"), board_id=insta.id)
    at = run_page("screens/boards.py", people.alice)
    assert at.selectbox(key="url_board").value == insta.id  # all pins in view: the last board used
    at.selectbox(key="boards_board").set_value(default.id).run()
    assert at.selectbox(key="url_board").value == default.id  # the board in view
    at.selectbox(key="url_board").set_value(insta.id).run()
    assert at.selectbox(key="url_board").value == insta.id  # a choice made in the form stays
    at.selectbox(key="boards_board").set_value(insta.id).run()
    assert not at.exception and at.selectbox(key="url_board").value == insta.id
