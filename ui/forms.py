"""Forms that keep what was typed when refused, and empty themselves only once the action worked.

Streamlit's ``clear_on_submit`` empties a form on every submit, refused or not; here the form's
key carries a generation number instead, and ``clear_form`` moves to the next one (new, empty
widgets at the next run). ``form_done`` does it at once (a rerun, so that the next click meets the
new form, not the old one) and shows its result again above the form (``show_done``). ``field_slot`` puts a place for an error message under an input.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st


def form_key(name: str) -> str:
    """The current key of the form ``name`` (``name-0`` until it is first cleared)."""
    return f"{name}-{st.session_state.get(f'_form_generation_{name}', 0)}"


def clear_form(name: str) -> None:
    """Empty the form ``name`` at the next run (call it once the action has worked, then rerun)."""
    key = f"_form_generation_{name}"
    st.session_state[key] = st.session_state.get(key, 0) + 1


def form_done(name: str, show: Callable[[], object]) -> None:
    """The action of the form ``name`` worked: empty the form now (rerun) and ``show`` its result
    once, where the page calls ``show_done(name)``. Without the rerun, the next submit would be
    read by a form that no longer exists and be lost."""
    st.session_state[f"_form_done_{name}"] = show
    clear_form(name)
    st.rerun()


def show_done(name: str) -> None:
    """Show the result ``form_done`` kept for the form ``name`` (once)."""
    if show := st.session_state.pop(f"_form_done_{name}", None):
        show()
