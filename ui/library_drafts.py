"""The library editor's drafts: what a trainer types in an exercise's or an item's form is saved on
each change (``training_modules.library``'s editor drafts), so that a reload finds it; saving or
abandoning forgets it."""

from __future__ import annotations

from typing import Any

import streamlit as st
from pydantic_core import to_jsonable_python

from training_modules.library import drop_editor_draft, editor_draft, save_editor_draft
from ui.session import attempt, read
from workbench.access import Actor

RESUMED = "Brouillon repris\u00a0: le formulaire est tel que vous l’aviez laissé, pas encore enregistré."


def resumed(actor: Actor, target: str) -> dict[str, Any] | None:
    """The draft left on ``target`` (``{"data": …, "sharing": …}``), if any."""
    return read(editor_draft, actor, target)


def keep(actor: Actor, target: str, form: str, content: dict[str, Any]) -> None:
    """Save the form as typed when it changed since the last run (the form as opened is no draft)."""
    key = f"{form}#draft"
    content = to_jsonable_python(content)
    opened = key not in st.session_state
    if opened or (st.session_state[key] != content and attempt(save_editor_draft, actor, target, content)):
        st.session_state[key] = content


def forget(actor: Actor, target: str) -> None:
    """The draft is done with: saved, or abandoned."""
    attempt(drop_editor_draft, actor, target)
