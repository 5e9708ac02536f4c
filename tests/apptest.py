"""Running a page (or the whole app) under Streamlit's AppTest, as a given person."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from workbench.access import Actor

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 30


def run_page(path: str, actor: Actor | None = None, **state: object) -> AppTest:
    """``path`` relative to the project root, e.g. ``"pages/home.py"``; ``state`` preset in session_state."""
    at = AppTest.from_file(str(ROOT / path), default_timeout=TIMEOUT)
    if actor is not None:
        at.session_state["actor"] = actor
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()
