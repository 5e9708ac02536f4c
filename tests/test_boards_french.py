"""« Mes tableaux » writes its counts the French way, at the size a busy CM's boards reach."""

from __future__ import annotations

from curation import boards, pins
from curation.pins import PinData
from tests.apptest import run_page
from workbench.db import session_scope


def test_a_board_of_a_thousand_pins_counts_them_the_french_way(people) -> None:
    """« 150 sur 1001 épingles. » : French writes 1 001."""
    with session_scope() as s:
        board = boards.create_board(s, people.alice, "Veille «\u00a0Noël\u00a0» — été")
        for i in range(1001):
            pins.add_pin(s, people.alice, PinData(title=f"Épingle n°\u00a0{i}"), board_id=board.id)
    at = run_page("screens/boards.py", people.alice, boards_board=board.id)
    assert not at.exception
    assert "150 sur 1\u202f001 épingles." in [c.value for c in at.caption]
