"""Pickers shared by the boards page and the wall's « Épingler » controls."""

from __future__ import annotations

import streamlit as st

NO_SECTION = 0  # section ids start at 1; a real option (``None`` would read as « nothing chosen »)


def section_select(
    label: str, sections: dict[int, str], *, key: str, none_label: str = "(aucune)", **kwargs
) -> int | None:
    """A section of a board, or ``None`` for « no section » / « all sections »."""
    choice = st.selectbox(  # markdown: the calling page's own label
        label,
        [NO_SECTION, *sections],
        format_func=lambda i: sections.get(i, none_label),
        key=key,
        placeholder="Choisir une section",
        **kwargs,
    )
    return None if choice in (None, NO_SECTION) else choice


def tags_field(options: list[str], default: list[str], *, key: str | None = None) -> list[str]:
    """A pin's « Étiquettes »: the person's tags to choose from, or new ones typed. Without a
    ``key`` the field is a new one whenever ``options`` or ``default`` change: a form editing a
    pin shows its tags as stored once saved (a keyed field would keep showing them as typed)."""
    return st.multiselect(
        "Étiquettes",
        options,
        default=default,
        accept_new_options=True,
        help="Choisissez parmi vos étiquettes ou tapez-en une nouvelle.",
        placeholder="Choisir ou saisir des étiquettes",
        select_all=False,
        key=key,
    )
