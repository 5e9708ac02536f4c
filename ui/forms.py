"""Forms that keep what was typed when refused, and empty themselves only once the action worked.

Streamlit's ``clear_on_submit`` empties a form on every submit, refused or not; here the form's
key carries a generation number instead, and ``clear_form`` moves to the next one (new, empty
widgets at the next run). ``form_done`` does it at once (a rerun, so that the next click meets the
new form, not the old one) and shows its result again above the form (``show_done``). ``field_slot`` puts a place for an error message under an input.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from curation.sanitize import markdown_text
from workbench.errors import UserError
from workbench.numbers import fr_number, read_number


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


@dataclass(frozen=True)
class TypedNumber:
    """A number field as typed (``text``), read (``value``, ``None`` when empty) or refused (``error``);
    ``beside``: the place under the field where its refusal shows, for a later refusal of the
    same field to take (``attempt(..., beside={field: typed.beside})``) rather than repeat it."""

    text: str
    value: float | None
    error: str | None = None
    beside: Any = None


def number_field(
    label: str,
    value: float | str | None,
    *,
    key: str,
    digits: int = 0,
    where: Any = st,
    help: str | None = None,
    disabled: bool = False,
    **limits: Any,
) -> TypedNumber:
    """A text field for a number typed the French way (``6,88``, ``1 234,5``, ``6,88 %``).

    A browser number field reads ``6,88`` as ``688``; this one reads it with
    ``workbench.numbers.read_number`` (``limits``: ``minimum``, ``maximum``, ``whole``) and shows
    a value it cannot read, or out of limits, refused beside the field: the caller acts only
    when ``error`` is ``None``. ``value`` (a number, or text kept as typed) fills it the first time.
    """
    shown = fr_number(value, digits) if isinstance(value, int | float) else (value or "")
    text = where.text_input(
        label, value=shown, key=key, help=help, disabled=disabled
    )  # markdown: the caller's own label
    beside = where.empty()
    try:
        return TypedNumber(text, read_number(text, label=label, **limits), beside=beside)
    except UserError as exc:
        beside.error(markdown_text(str(exc)))
        return TypedNumber(text, None, str(exc), beside)
