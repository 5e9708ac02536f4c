"""Running a page (or the whole app) under Streamlit's AppTest, as a given person."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.runtime.state.session_state import STREAMLIT_INTERNAL_KEY_PREFIX
from streamlit.testing.v1 import AppTest

from ui.session import KEPT_TOASTS
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


def kept_toasts(at: AppTest) -> list[str]:
    """The toasts a page kept for its next run (``ui.session.rerun``): ``app.py`` shows them then,
    which a page run alone (``run_page``) does not (``tests/test_kept_toasts.py`` runs the app)."""
    try:
        return list(at.session_state[KEPT_TOASTS])
    except KeyError:
        return []


def wall_cards(at: AppTest) -> dict[int, dict]:
    """The wall's cards by entry, in page order: the data the page gives its card grid
    (``ui.card_grid``); ``{}`` when the page shows none."""
    grids = [e for e in at.get("bidi_component") if e.key == "wall_cards"]
    return {c["id"]: c for c in json.loads(grids[0].proto.json)["cards"]} if grids else {}


def click_card(at: AppTest, entry_id: int, action: str) -> AppTest:
    """A card's button (``open``, ``read``, ``unread``, ``save``, ``unsave``, ``pin``, ``choose``,
    ``translate``), as the card grid's script sends it (``ui/card_grid.js``), then the run it causes."""
    acks = at.session_state.get("wall_card_acks", {})
    return send_card_actions(at, [{"seq": acks.get("apptest", 0) + 1, "entry": entry_id, "do": action}])


def send_card_actions(at: AppTest, actions: list[dict], token: str = "apptest") -> AppTest:
    """The card grid's trigger value (``{token, actions}``) sent with the page's other widgets'
    values, then the run it causes. AppTest has no driver for components: this adds the trigger
    to the widget states a run sends, as the browser's script does."""
    [grid] = [e for e in at.get("bidi_component") if e.key == "wall_cards"]
    value = {"token": token, "actions": actions}
    states = at._tree.get_widget_states()
    states.widgets.append(
        WidgetState(
            id=f"{STREAMLIT_INTERNAL_KEY_PREFIX}_{grid.proto.id}__events",
            json_trigger_value=json.dumps([{"event": "action", "value": value}]),
        )
    )
    return at._run(states)
