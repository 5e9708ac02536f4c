"""« Épingler » on a wall card: one click to the default board, or choose the board and section.

The « Choisir le tableau » pop-up is drawn only while it is open: a wall page has 24 of them, and
each would otherwise load the person's boards and draw four widgets on every rerun.
"""

from __future__ import annotations

import streamlit as st

from curation.boards import DEFAULT_BOARD_TITLE, list_my_boards
from curation.pins import pin_entry
from ui.board_pickers import section_select
from ui.session import attempt, read
from workbench.access import Actor


def pin_entry_controls(actor: Actor, entry_id: int, *, key: str = "") -> None:
    """Two small controls for a wall card, side by side in the caller's (horizontal) container;
    ``key`` makes them unique on the page (default: the entry)."""
    key = key or f"pin_entry_{entry_id}"
    if st.button(
        "Épingler", key=f"{key}_quick", icon=":material/push_pin:", help="Dans mon tableau par défaut"
    ) and (pin := attempt(pin_entry, actor, entry_id)):
        st.toast(
            "Déjà épinglé dans votre tableau par défaut\u00a0: rien n’a été ajouté."
            if pin.already_pinned
            else "Épinglé dans votre tableau par défaut."
        )
    pick = st.popover(
        "Choisir le tableau",
        icon=":material/dashboard_customize:",
        help="Épingler dans le tableau et la section de votre choix, avec une note",
        key=f"{key}_pick",
        on_change="rerun",  # its content (the person's boards) runs only while it is open
    )
    if not pick.open:
        return
    with pick:
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
        if st.button("Épingler ici", key=f"{key}_chosen", type="primary") and (
            pin := attempt(
                pin_entry,
                actor,
                entry_id,
                board_id=board_id if board_id in by_id else None,
                section_id=section_id,
                note=note,
            )
        ):
            st.toast(
                f"Déjà épinglé dans ce tableau\u00a0: {'votre note y est ajoutée' if note.strip() else 'rien n’a été ajouté'}."
                if pin.already_pinned
                else "Épinglé."
            )
