"""The logged-in person for a page, and running library calls with French error messages.

Pages call ``require_actor()`` first, then ``attempt(fn, ...)`` for each user action: one
transaction per action, a ``UserError`` shown as its French message, anything else logged and
shown as a generic message (never a stack trace). A page that runs again after an action does it
with ``rerun(toast)`` (or ``attempt(..., then_rerun=True)``): a toast given just before
``st.rerun()`` is dropped by the browser with the rest of that run, so the message is kept for the
next run, where ``app.py`` shows it once (``show_kept_toasts``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, NoReturn, TypeVar

import streamlit as st
from sqlalchemy.orm import Session

from ui.text import plain
from workbench.access import Actor
from workbench.db import run_transaction, session_scope
from workbench.errors import UserError

ACTOR_KEY = "actor"
KEPT_TOASTS = "_toasts_for_next_run"
log = logging.getLogger("atelier.ui")
T = TypeVar("T")

UNEXPECTED = (
    "Une erreur inattendue s’est produite ; rien n’a été enregistré. Réessayez, et si cela se reproduit, "
    "prévenez votre formateur."
)


def current_actor() -> Actor | None:
    return st.session_state.get(ACTOR_KEY)


def require_actor(*roles: str) -> Actor:
    """The logged-in actor; stops the page (with a French message) when absent or of another role."""
    actor = current_actor()
    if actor is None:
        st.warning("Connectez-vous pour accéder à cette page.")
        st.stop()
    if roles and actor.role not in roles:
        st.error("Cette page est réservée aux formateurs." if "trainer" in roles else "Page non accessible.")
        st.stop()
    return actor


SOURCES_VERSION = "sources_version"


def sources_changed() -> None:
    """The person changed their sources or folders: tables and the wall's filter lists kept for
    them in this session are read anew on their next run."""
    st.session_state[SOURCES_VERSION] = st.session_state.get(SOURCES_VERSION, 0) + 1


def show_error(exc: UserError, beside: Mapping[str, Any] | None = None) -> None:
    """The French message, beside the input it is about when ``beside`` has a slot for its field."""
    field = getattr(exc, "field", None)
    slot = (beside or {}).get(field) if field else None
    (slot or st).error(plain(str(exc)))


def rerun(toast: str | None = None) -> NoReturn:
    """Run the page again (``st.rerun()``), ``toast`` shown once at the start of that run: given
    now, the browser would drop it with the rest of this run and the person would never see it."""
    if toast:
        st.session_state[KEPT_TOASTS] = [*st.session_state.get(KEPT_TOASTS, []), toast]
    st.rerun()


def show_kept_toasts() -> None:
    """Show, once, the toasts ``rerun`` kept for this run (``app.py`` calls it early in each run)."""
    for toast in st.session_state.pop(KEPT_TOASTS, []):
        st.toast(toast)


def attempt(
    fn: Callable[..., T],
    *args: Any,
    success: str | None = None,
    beside: Mapping[str, Any] | None = None,
    then_rerun: bool = False,
    **kwargs: Any,
) -> T | None:
    """Run ``fn(session, *args, **kwargs)`` in one transaction (run again if SQLite was busy,
    ``workbench.db.run_transaction``); show errors in French.

    ``beside`` maps a field name to a slot (``st.empty()`` placed under that input): an error about
    that field (``UserError.field``) is shown there, the others where the action's button is.
    ``then_rerun``: once it worked, run the page again with ``success`` shown then (``rerun``); a
    refusal stays on this run, where the person reads it.
    """
    try:
        result = run_transaction(fn, *args, **kwargs)
    except UserError as exc:
        show_error(exc, beside)
        return None
    except Exception:
        log.exception("unexpected error in %s", getattr(fn, "__name__", fn))
        st.error(UNEXPECTED)
        return None
    if then_rerun:
        rerun(success)
    if success:
        st.toast(success)
    return result


def read(fn: Callable[..., T], *args: Any, default: T | None = None, **kwargs: Any) -> T | None:
    """A read-only call (rolled back): errors shown in French, ``default`` returned then."""
    try:
        with session_scope() as session:
            return fn(session, *args, **kwargs)
    except UserError as exc:
        st.error(plain(str(exc)))
    except Exception:
        log.exception("unexpected error in %s", getattr(fn, "__name__", fn))
        st.error(UNEXPECTED)
    return default


__all__ = [
    "ACTOR_KEY",
    "Session",
    "attempt",
    "current_actor",
    "read",
    "require_actor",
    "rerun",
    "show_kept_toasts",
]
