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


def test_deleting_a_board_after_confirming_goes_back_to_every_pin(people) -> None:
    """« Supprimer le tableau » showed Streamlit's English « This app has encountered an error »
    (the board picker's key was set after the picker was drawn); the board was gone all the same."""
    with session_scope() as s:
        keep = boards.create_board(s, people.alice, "À garder")
        pins.add_pin(s, people.alice, PinData(title="Épingle gardée"), board_id=keep.id)
        board = boards.create_board(s, people.alice, "À jeter «\u00a0test\u00a0»")
        pins.add_pin(s, people.alice, PinData(title="Épingle jetée"), board_id=board.id)
    at = run_page("screens/boards.py", people.alice, boards_board=board.id)
    delete = next(b for b in at.button if b.label == "Supprimer le tableau")
    assert delete.disabled  # nothing lost by one click
    at.checkbox(key=f"confirm_delete_{board.id}").check().run()
    next(b for b in at.button if b.label == "Supprimer le tableau").click().run()
    assert not at.exception
    with session_scope() as s:
        assert [b.title for b in boards.list_my_boards(s, people.alice)] == ["À garder"]
    assert at.selectbox(key="boards_board").value == 0  # « Toutes mes épingles »
