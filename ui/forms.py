"""Forms that keep what was typed when refused, and empty themselves only once the action worked.

Streamlit's ``clear_on_submit`` empties a form on every submit, refused or not; here the form's
key carries a generation number instead, and ``clear_form`` moves to the next one (new, empty
widgets at the next run). ``field_slot`` puts a place for an error message under an input.
"""

from __future__ import annotations

import streamlit as st


def form_key(name: str) -> str:
    """The current key of the form ``name`` (``name-0`` until it is first cleared)."""
    return f"{name}-{st.session_state.get(f'_form_generation_{name}', 0)}"


def clear_form(name: str) -> None:
    """Empty the form ``name`` at the next run (call it once the action has worked, then rerun)."""
    key = f"_form_generation_{name}"
    st.session_state[key] = st.session_state.get(key, 0) + 1
