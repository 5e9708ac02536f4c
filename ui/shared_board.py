"""The read-only page a board's secret link opens (``/?board=<token>``), with or without login."""

from __future__ import annotations

import streamlit as st

from curation.boards import shared_board
from curation.masonry import first_pins, group_by_section
from curation.pins import shared_board_pins
from ui.masonry import masonry
from ui.session import read
from ui.text import plain
from workbench.numbers import quantity
from workbench.wording import de

QUERY_PARAM = "board"
LIMIT_KEY = "shared_board_limit"
PAGE_SIZE = 150  # cards per page, as on « Mes tableaux »


def requested_token() -> str | None:
    """The token of the shared board this visit asks for, if any."""
    return st.query_params.get(QUERY_PARAM) or None


def shared_board_page() -> None:
    token = requested_token() or ""
    board = read(shared_board, token)
    if board is None:
        st.caption(
            "Vérifiez le lien reçu, ou demandez à la personne qui l’a partagé de vous en envoyer un nouveau."
        )
        return
    items = read(shared_board_pins, token, default=[]) or []
    st.title(plain(board.title))
    st.caption(
        f"Tableau {de(plain(board.owner_name))}, partagé en lecture seule — {quantity(len(items), 'épingle')}."
    )
    if board.description:
        st.text(board.description)
    limit = st.session_state.get(LIMIT_KEY, PAGE_SIZE)
    masonry(
        first_pins(group_by_section(items, [(s.id, s.title) for s in board.sections]), limit),
        numbered=False,
        show_comments=False,
        empty="Ce tableau ne contient encore aucune épingle.",
    )
    if len(items) > limit and st.button(
        f"Afficher les épingles suivantes ({min(PAGE_SIZE, len(items) - limit)} de plus)"
    ):
        st.session_state[LIMIT_KEY] = limit + PAGE_SIZE
        st.rerun()
