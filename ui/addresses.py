"""The app's address as the person's browser shows it: the start of the links shown in the app, and
the install's public address when a trainer opens the app (the rule is in ``workbench.public_address``)."""

from __future__ import annotations

import streamlit as st

from ui.session import attempt, read
from workbench.access import Actor
from workbench.public_address import LOCAL_ADDRESS, base_url_of, public_base_url, remember_public_address
from workbench.settings import get_settings

BASE_KEY = "app_base_url"
RECORDED_KEY = "app_base_url_recorded"  # (trainer id, address) already written to the database


def note_app_address(actor: Actor | None, page_url_path: str) -> None:
    """Called by ``app.py`` once the page is known: this browser's address without the page's own
    path; a trainer's also becomes the install's public address when none is configured."""
    url = st.context.url
    if not url:
        return
    base = base_url_of(url.rstrip("/").removesuffix(f"/{page_url_path}") if page_url_path else url)
    if base is None:
        return
    st.session_state[BASE_KEY] = base
    if actor is None or not actor.is_trainer or get_settings().public_base_url:
        return
    if st.session_state.get(RECORDED_KEY) != (actor.id, base):
        st.session_state[RECORDED_KEY] = (actor.id, base)
        attempt(remember_public_address, actor, base)


def app_base_url() -> str:
    """Where the links shown to this person start: the setting, else the address in their browser,
    else the install's public address."""
    if not get_settings().public_base_url and st.session_state.get(BASE_KEY):
        return st.session_state[BASE_KEY]
    return read(public_base_url) or LOCAL_ADDRESS
