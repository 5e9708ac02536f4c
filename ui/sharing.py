"""Who a trainer shares what they write with (``training_modules.sharing``), said the same way
for exercises and situational items."""

from __future__ import annotations

import streamlit as st

SHARING_LABELS = {
    "private": "Privé (vous seul)",
    "cohort": "Mes sessions (cohortes)",
    "trainers": "Tous les formateurs",
}


def sharing_choice(current: str, *, key: str, help: str) -> str:
    """The sharing radio, on ``current`` the first time."""
    return st.radio(
        "Partage",
        list(SHARING_LABELS),
        index=list(SHARING_LABELS).index(current),
        format_func=SHARING_LABELS.__getitem__,
        horizontal=True,
        key=key,
        help=help,
    )
