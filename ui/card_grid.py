"""The wall's cards as one element: a Streamlit component drawn in the browser from the cards as
data, a click coming back as an action the page then does.

A class uses the wall at once, and what a page run costs is the number of elements and widgets it
draws (about 0.2 ms each, whatever they show): 24 cards of eight elements, five of them widgets,
were two thirds of a wall page run. Here the page draws one element for all of them.

Safety: the cards' text (titles, summaries, feed names, rule names, translations) is data, put in
the page by ``textContent`` only (``card_grid.js``); a picture is an http(s) address or a bundled
picture's static address (``curation.bundled_images.image_src``), a link an http(s) address
(``curation.urls.web_url``), both checked here and again in the browser.

A click is an action ``{seq, entry, do}`` of the browser tab's ``token``; the tab keeps sending the
actions the server has not acknowledged (a click while the server is busy can be merged away by
Streamlit), and the server does each ``seq`` once: nothing lost, nothing done twice. An action is
done only for a card of the page drawn, as its person (``curation`` checks the rest).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from curation.bundled_images import image_src
from curation.demo import DEMO_HELP, DEMO_MARK, is_demo_link
from curation.pins import pin_entry
from curation.translation.entries import EntryTranslation
from curation.urls import web_url
from curation.wall import Card, mark_read, set_saved
from ui.pin_button import CHOOSING, pin_said
from ui.session import attempt
from ui.translation import card_translation_parts, card_translation_wanted, translate_card
from workbench.access import Actor
from workbench.languages import language_name
from workbench.localtime import fr_datetime
from workbench.wording import quoted

HERE = Path(__file__).resolve().parent
KEY = "wall_cards"
READING = "wall_reading"  # the entry whose reading view replaces the wall
FLAGS = "wall_flags"  # entry → read/saved changed by a click since the page was last read
SHOWN = "wall_card_ids"  # the entries of the cards drawn: the only ones a click may act on
ACKS = "wall_card_acks"  # browser tab token → the last action number done
CLICKS = "wall_card_clicks"  # the actions received, for the cards' run to do
ACTIONS = ("open", "read", "unread", "save", "unsave", "pin", "choose", "translate")
TOKENS_KEPT = 8  # a session's tabs (a reload is a new token)

_mount = st.components.v2.component(
    "atelier_wall_cards",
    html="",
    css=(HERE / "card_grid.css").read_text(encoding="utf-8"),
    js=(HERE / "card_grid.js").read_text(encoding="utf-8"),
)


def card_data(
    card: Card,
    known: dict[int, EntryTranslation],
    highlights: dict[int, list[str]],
    failures: dict[int, str],
) -> dict[str, Any]:
    """What the browser draws for one card: text as text, addresses already checked."""
    src = image_src(card.image_url)
    if card.source_count > 1:
        sources = f"{card.source_count}\u00a0sources"
    else:
        sources = card.sources[0].feed_title if card.sources else ""
    meta = " · ".join(
        p
        for p in (
            sources,
            fr_datetime(card.published_at, empty="sans date"),
            language_name(card.language) if card.language else "langue indéterminée",
        )
        if p
    )
    rules = highlights.get(card.entry_id)
    return {
        "id": card.entry_id,
        "img": src,
        "noimg": bool((card.image_url or "").strip()) and not src,
        "demo": is_demo_link(card.link),
        "highlight": "Mis en évidence par " + ", ".join(quoted(r) for r in rules) if rules else "",
        "meta": meta + (" · lu" if card.read else ""),
        "title": card.title or "Sans titre",
        "snippet": card.snippet,
        "sources": [{"name": s.feed_title, "url": web_url(s.link)} for s in card.sources]
        if card.source_count > 1
        else [],
        "tr": card_translation_parts(card.entry_id, card.language, known),
        "translate": card_translation_wanted(card.entry_id, card.language, known),
        "failure": failures.get(card.entry_id, ""),
        "read": card.read,
        "saved": card.saved,
    }


def card_grid(
    cards: list[Card],
    known: dict[int, EntryTranslation],
    highlights: dict[int, list[str]],
    failures: dict[int, str],
    *,
    columns: int,
) -> None:
    """The cards, ``columns`` side by side (card i in column i % columns, as ``st.columns`` did)."""
    st.session_state[SHOWN] = {c.entry_id for c in cards}
    acks: dict[str, int] = st.session_state.get(ACKS, {})
    token = next(reversed(acks), "")
    _mount(
        key=KEY,
        data={
            "cards": [card_data(c, known, highlights, failures) for c in cards],
            "columns": columns,
            "help": {"mark": DEMO_MARK, "text": DEMO_HELP},
            "token": token,
            "ack": acks.get(token, 0),
        },
        on_action_change=_clicked,
    )


def _clicked() -> None:
    """The component's callback: the click's new actions, kept for the cards' run to do (a callback
    draws nothing: its toasts and errors would go to the top of the page)."""
    clicks = st.session_state.setdefault(CLICKS, [])
    clicks += new_actions((st.session_state.get(KEY) or {}).get("action"))


def do_clicks(actor: Actor, known: dict[int, EntryTranslation]) -> None:
    """What the cards' buttons asked since the last run, in order, as those buttons did."""
    for action in st.session_state.pop(CLICKS, []):
        do_action(actor, action["do"], action["entry"], known)


def new_actions(value: object) -> list[dict[str, Any]]:
    """The actions of a click's value not done yet, for cards of the page drawn; every number
    received is acknowledged, done or not (an action on another card is dropped, not retried)."""
    if not isinstance(value, dict) or not isinstance(token := value.get("token"), str) or not token:
        return []
    acks: dict[str, int] = st.session_state.setdefault(ACKS, {})
    done = acks.pop(token, 0)  # then put back last: the newest token is the one drawn
    shown = st.session_state.get(SHOWN, set())
    fresh = []
    for action in value.get("actions") if isinstance(value.get("actions"), list) else []:
        seq = action.get("seq") if isinstance(action, dict) else None
        if type(seq) is not int or seq <= done:  # a number, not a bool
            continue
        done = seq
        if action.get("do") in ACTIONS and action.get("entry") in shown:
            fresh.append({"do": action["do"], "entry": action["entry"]})
    acks[token] = done
    while len(acks) > TOKENS_KEPT:
        acks.pop(next(iter(acks)))
    return fresh


def _store_flag(session, who: Actor, entry_id: int, flag: str, value: bool) -> bool:
    (mark_read if flag == "read" else set_saved)(session, who, entry_id, value)
    return True


def set_flag(actor: Actor, entry_id: int, flag: str, value: bool) -> None:
    """« Lu » / « Garder » on a card: stored, then remembered for the cards' own rerun."""
    if attempt(_store_flag, actor, entry_id, flag, value):
        st.session_state.setdefault(FLAGS, {}).setdefault(entry_id, {})[flag] = value


FLAG_ACTIONS = {
    "read": ("read", True),
    "unread": ("read", False),
    "save": ("saved", True),
    "unsave": ("saved", False),
}


def do_action(actor: Actor, action: str, entry_id: int, known: dict[int, EntryTranslation]) -> None:
    """What a card's button does, as that button did."""
    if action == "open":  # the page's run shows the reading view instead of the wall
        st.session_state[READING] = entry_id
    elif action == "choose":  # the cards' runs open its dialog until pinned or dismissed
        st.session_state[CHOOSING] = entry_id
    elif action == "pin":
        if pin := attempt(pin_entry, actor, entry_id):
            st.toast(pin_said(pin, default_board=True))
    elif action == "translate":
        translate_card(actor, entry_id, known)
    else:
        set_flag(actor, entry_id, *FLAG_ACTIONS[action])
