"""The page an outside recipient's unsubscribe link opens (``/?desinscription=<token>``), without
login: what the link is for, then a button (a mail scanner opening the link unsubscribes nobody)."""

from __future__ import annotations

import streamlit as st

from curation.digest.unsubscribe import QUERY_PARAM, read_request, unsubscribe
from ui.session import attempt, read
from ui.text import plain, quoted

DONE_KEY = "unsubscribe_done"


def requested_unsubscribe() -> str | None:
    """The token of the unsubscribe link this visit follows, if any."""
    return st.query_params.get(QUERY_PARAM) or None


def unsubscribe_page() -> None:
    token = requested_unsubscribe() or ""
    st.title("Désinscription")
    if done := st.session_state.get(DONE_KEY):
        st.success(done)
        return
    request = read(read_request, token)
    if request is None:
        return
    email_md, name_md = plain(request.email), plain(request.list_name)  # typed by people: shown literally
    if not request.subscribed:
        st.info(
            f"L’adresse {email_md} ne reçoit plus la revue {quoted(name_md)}\u00a0: rien d’autre à faire."
        )
        return
    st.write(f"Ne plus recevoir la revue de veille {quoted(name_md)} à l’adresse {email_md}\u00a0?")
    if st.button("Me désinscrire", type="primary") and attempt(unsubscribe, token) is not None:
        st.session_state[DONE_KEY] = (
            f"C’est fait\u00a0: {email_md} ne recevra plus la revue {quoted(name_md)}."
        )
        st.rerun()
