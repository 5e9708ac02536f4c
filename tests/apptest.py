"""Running a page (or the whole app) under Streamlit's AppTest, as a given person."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from workbench.access import Actor

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 30


def run_page(path: str, actor: Actor | None = None, **state: object) -> AppTest:
    """``path`` relative to the project root, e.g. ``"screens/home.py"``; ``state`` preset in session_state."""
    at = AppTest.from_file(str(ROOT / path), default_timeout=TIMEOUT)
    if actor is not None:
        at.session_state["actor"] = actor
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def run_app(actor: Actor | None = None, page: str | None = None, url: str | None = None) -> AppTest:
    """The whole app (``app.py``, with its navigation) logged in as ``actor`` through a real session token.

    Needed by pages that link to other pages (``st.page_link`` only works under ``st.navigation``).
    ``url``: the address the browser shows (``st.context.url``).
    """
    from workbench.accounts import start_session
    from workbench.db import session_scope
    from workbench.models import User

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if url is not None:
        at.context = {"url": url}
    if actor is not None:
        with session_scope() as s:
            at.session_state["auth_token"] = start_session(s, s.get(User, actor.id))
    at.run()
    if page is not None:
        at.switch_page(page).run()
    return at
