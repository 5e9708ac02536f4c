"""A confirmation given with a rerun (``ui.session.rerun``, ``attempt(..., then_rerun=True)``) is
shown by the next run, once.

A toast given just before ``st.rerun()`` never reaches the browser (the rerun drops it; AppTest
still lists it): ``tests/browser/test_board_confirmations_journey.py`` shows the lost one in
Chromium. Here: the message waits in the session for the next run, ``app.py`` shows it and forgets it.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from curation import boards
from tests.apptest import TIMEOUT, kept_toasts, run_app
from workbench.db import session_scope


def _script() -> None:
    import streamlit as st

    from ui.session import rerun, show_kept_toasts

    show_kept_toasts()
    st.session_state["runs"] = st.session_state.get("runs", 0) + 1
    if st.button("Agir"):
        rerun("C’est fait.")


def test_a_kept_toast_is_shown_by_the_next_run_and_then_forgotten():
    at = AppTest.from_function(_script, default_timeout=TIMEOUT).run()
    assert not at.toast
    at.button[0].click().run()
    assert at.session_state["runs"] == 3  # the click's run, then the one it asked for
    assert [t.value for t in at.toast] == ["C’est fait."]
    assert kept_toasts(at) == []
    at.run()
    assert not at.toast  # once only


def _board_page(people) -> tuple[AppTest, int]:
    """Alice's « Mes tableaux », in the whole app, on a board with one section (its id)."""
    with session_scope() as s:
        board = boards.create_board(s, people.alice, "Veille Instagram")
        section = boards.add_section(s, people.alice, board.id, "Chiffres")
    at = run_app(people.alice, "screens/boards.py")
    at.selectbox(key="boards_board").set_value(board.id).run()
    return at, section.id


def test_renaming_a_section_says_so_on_the_run_after(people):
    at, section_id = _board_page(people)
    at.text_input(key=f"section_title_{section_id}").input("Chiffres clés")
    at.button(key=f"section_rename_{section_id}").click().run()
    assert not at.exception and not at.error
    assert [t.value for t in at.toast] == ["Section renommée."]
    assert kept_toasts(at) == []
    at.run()
    assert not at.toast


def test_a_refusal_stays_on_the_page_and_nothing_is_kept(people):
    at, section_id = _board_page(people)
    at.text_input(key=f"section_title_{section_id}").input("   ")
    at.button(key=f"section_rename_{section_id}").click().run()
    assert at.error and not at.toast
    assert kept_toasts(at) == []
