"""« Épingler » an entry (a wall card, the reading view): one click to the default board (its
toast), or « Choisir le tableau »: one dialog for that entry, with the board, the section, a note
and tags.

The dialog runs only while open: a wall page has 24 cards, and loading the person's boards for
each on every rerun was a third of the wall's server time.
"""

from __future__ import annotations

import streamlit as st

from curation.boards import DEFAULT_BOARD_TITLE, list_my_boards
from curation.pins import PinView, pin_entry, suggest_tags
from ui.board_pickers import section_select, tags_field
from ui.session import attempt, read, rerun
from workbench.access import Actor

CHOOSING = "wall_choosing"  # the entry whose « Choisir le tableau » dialog is open


def pin_said(pin: PinView, *, default_board: bool = False, note: str = "") -> str:
    """What a pin did: pinned, or already there (and the note added, if any)."""
    if not pin.already_pinned:
        return "Épinglé dans votre tableau par défaut." if default_board else "Épinglé."
    if default_board:
        return "Déjà épinglé dans votre tableau par défaut\u00a0: rien n’a été ajouté."
    return f"Déjà épinglé dans ce tableau\u00a0: {'votre note y est ajoutée' if note.strip() else 'rien n’a été ajouté'}."


def pin_buttons(actor: Actor, entry_id: int) -> None:
    """« Épingler » and « Choisir le tableau » for one entry (the reading view; the wall's cards
    draw theirs in the card grid): the dialog opens on the run after the click."""
    if st.button(
        "Épingler", icon=":material/push_pin:", help="Dans mon tableau par défaut", key="reading_pin"
    ) and (pin := attempt(pin_entry, actor, entry_id)):
        st.toast(pin_said(pin, default_board=True))
    if st.button("Choisir le tableau", icon=":material/dashboard_customize:", key="reading_choose"):
        st.session_state[CHOOSING] = entry_id
    if st.session_state.get(CHOOSING) == entry_id:
        choose_board(actor, entry_id)


def _dismissed() -> None:
    st.session_state.pop(CHOOSING, None)


@st.dialog("Choisir le tableau", on_dismiss=_dismissed)
def choose_board(actor: Actor, entry_id: int) -> None:
    """Pin one entry in the board and section of the person's choice, with a note. The page calls
    it on each run while ``CHOOSING`` holds the entry; it closes once pinned, or dismissed."""
    key = f"pin_entry_{entry_id}"
    st.caption("Épingler dans le tableau et la section de votre choix, avec une note et des étiquettes.")
    mine = read(list_my_boards, actor, default=[]) or []
    by_id = {b.id: b for b in mine}
    options = list(by_id) or [0]
    board_id = st.selectbox(
        "Tableau",
        options,
        format_func=lambda i: by_id[i].title if i in by_id else DEFAULT_BOARD_TITLE,
        key=f"{key}_board",
        placeholder="Choisir un tableau",
    )
    sections = {s.id: s.title for s in by_id[board_id].sections} if board_id in by_id else {}
    section_id = section_select("Section", sections, key=f"{key}_section")
    note = st.text_input("Pourquoi c’est utile pour ma communauté", key=f"{key}_note")
    tags = tags_field(read(suggest_tags, actor, default=[]) or [], [], key=f"{key}_tags")
    if st.button("Épingler ici", key=f"{key}_chosen", type="primary") and (
        pin := attempt(
            pin_entry,
            actor,
            entry_id,
            board_id=board_id if board_id in by_id else None,
            section_id=section_id,
            note=note,
            tags=tags,
        )
    ):
        _dismissed()
        rerun(pin_said(pin, note=note))  # closes the dialog  # markdown: fixed sentences, the note picks one
