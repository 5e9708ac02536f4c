"""Wall: the new items of one's sources as cards, one card per story, filters, search, reading view.

A class uses it at once, so a run draws little and a click does only the work it needs: the
page's cards are one element (``ui.card_grid``: drawn in the browser from the cards as data) in
a fragment (« Lu », « Garder », « Épingler » rerun the cards alone, the card showing its new state
until the next page run), page turns and « Retour au mur » change the state in their callback
(one run, not two), the « Choisir le tableau » dialog runs only while open, and the filter lists
are cached.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import streamlit as st

from curation.demo import DEMO_HELP, DEMO_MARK, ensure_starter_subscriptions, is_demo_link
from curation.extract import extract_entry
from curation.feeds import list_folders, list_subscriptions
from curation.monitoring.rules import highlighted_entry_ids
from curation.translation.entries import needs_translation
from curation.urls import web_url
from curation.visibility import EntryFilters
from curation.wall import Card, mark_all_read, mark_read, reading_view, wall
from ui.card_grid import FLAGS, READING, card_grid, do_clicks
from ui.pictures import picture
from ui.pin_button import CHOOSING, choose_board, pin_buttons
from ui.session import SOURCES_VERSION, attempt, read, require_actor, rerun
from ui.text import fr_int, link, plain
from ui.translation import card_failures, reading_translation, wall_translations
from workbench.languages import language_name
from workbench.localtime import fr_datetime
from workbench.numbers import quantity
from workbench.settings import get_settings

PER_PAGE = 24
COLUMNS = 3
PAGE = "wall_page"
LANGUAGES = {"": "Toutes", "fr": "Français", "en": "Anglais"}
STATUS = {"unread": "Non lus", "all": "Tous", "read": "Lus", "saved": "Enregistrés"}
READING_CSS = ".atl-reading img{max-width:100%;height:auto}"
FILTER_LISTS_SECONDS = 60  # the person's own changes show at once; another session's within a minute

actor = require_actor()

if "starter_checked" not in st.session_state:
    attempt(ensure_starter_subscriptions, actor)
    st.session_state["starter_checked"] = True


def when(moment: datetime | None) -> str:
    return fr_datetime(moment, empty="sans date")


def close_reading() -> None:
    st.session_state.pop(READING, None)


def turn_page(to: int) -> None:
    st.session_state[PAGE] = to


def show_reading(entry_id: int) -> None:
    st.button("Retour au mur", icon=":material/arrow_back:", on_click=close_reading)
    view = read(reading_view, actor, entry_id)
    if view is None:
        return
    if "read_marked" not in st.session_state or st.session_state["read_marked"] != entry_id:
        attempt(mark_read, actor, entry_id)
        st.session_state["read_marked"] = entry_id
    st.header(plain(view.title) or "Sans titre")
    if is_demo_link(view.link):
        st.badge(DEMO_MARK, icon=":material/school:", color="gray", help=DEMO_HELP)
    language = language_name(view.language) if view.language else "langue indéterminée"
    st.caption(f"{plain(view.feed_title)} · {when(view.published_at)} · {plain(language)}")
    with st.container(horizontal=True):
        original = web_url(view.link)
        if original:
            st.link_button("Lire l’original", original, icon=":material/open_in_new:")
        pin_buttons(actor, entry_id)
    if len(view.sources) > 1:
        with st.expander(f"Repris par {len(view.sources)}\u00a0sources"):
            for src in view.sources:
                st.markdown(f"- {link(src.feed_title, src.link)} · {when(src.published_at)}")
    picture(view.image_url)
    if not view.extracted:
        st.info("Ceci est le résumé donné par le flux. Le texte complet peut être récupéré depuis la page.")
        if view.link and st.button("Récupérer le texte de l’article", icon=":material/article:"):
            with st.spinner("Récupération de l’article…"):
                attempt(
                    extract_entry, actor, entry_id, success="Texte de l’article récupéré.", then_rerun=True
                )
    if not reading_translation(actor, entry_id, view.language) and view.html:
        # sanitised by curation.sanitize in reading_view; images scaled down to the column
        st.html(f"<style>{READING_CSS}</style><div class='atl-reading'>{view.html}</div>")


@st.fragment
def show_cards(cards: list[Card], known: dict, highlights: dict[int, list[str]]) -> None:
    """The page's cards, one element; a click on a card reruns them alone, doing what it asked
    first (« Lu », « Garder »: the card then shows its new state until the next page run)."""
    do_clicks(actor, known)
    if st.session_state.get(READING) is not None:  # « Lire »: the reading view replaces the page
        st.rerun(scope="app")
    flags = st.session_state.get(FLAGS, {})
    cards = [replace(c, **flags.get(c.entry_id, {})) for c in cards]
    card_grid(cards, known, highlights, card_failures(), columns=COLUMNS)
    if CHOOSING in st.session_state:
        choose_board(actor, st.session_state[CHOOSING])


@st.cache_data(ttl=FILTER_LISTS_SECONDS, max_entries=500, show_spinner=False)
def filter_lists(
    _session, database: str, user_id: int, sources_version: int, _actor
) -> tuple[dict[int, str], list[str]]:
    """The person's sources (feed → name) and folders for the filters, keyed on database and
    person (an error is not cached: ``read`` shows it and the next run asks again)."""
    sources = {s.feed_id: s.title for s in list_subscriptions(_session, _actor)}
    return sources, list_folders(_session, _actor)


def filters_form() -> tuple[EntryFilters, str]:
    version = st.session_state.get(SOURCES_VERSION, 0)
    lists = read(filter_lists, get_settings().database_url, actor.id, version, actor)
    sources, folders = lists or ({}, [])
    query = st.text_input(
        "Rechercher", placeholder="mots, «\u00a0expression exacte\u00a0», OR, -exclure", key="wall_query"
    )
    row = st.container(horizontal=True)  # one block for the four lists (columns would be five)
    chosen = row.multiselect(
        "Sources",
        list(sources),
        format_func=sources.get,
        key="wall_sources",
        placeholder="Toutes les sources",
        select_all=False,
    )
    folder = row.selectbox(
        "Dossier",
        ["", *folders],
        format_func=lambda f: f or "Tous",
        key="wall_folder",
        placeholder="Tous les dossiers",
    )
    language = row.selectbox(
        "Langue",
        list(LANGUAGES),
        format_func=LANGUAGES.get,
        key="wall_language",
        placeholder="Choisir une langue",
    )
    status = row.selectbox(
        "Affichage",
        list(STATUS),
        format_func=STATUS.get,
        key="wall_status",
        placeholder="Choisir un affichage",
    )
    period = st.date_input("Période", value=(), format="DD/MM/YYYY", key="wall_period")
    start: date | None = period[0] if len(period) > 0 else None
    end: date | None = period[1] if len(period) > 1 else start
    filters = EntryFilters(
        date_from=start,
        date_to=end,
        feed_ids=tuple(chosen) if chosen else None,
        folder=folder or None,
        language=language or None,
        read={"unread": False, "read": True}.get(status),
        saved=True if status == "saved" else None,
    )
    return filters, query


st.title("Mur de veille")
reading = st.session_state.get(READING)
if reading is not None:
    show_reading(reading)
    st.stop()

filters, query = filters_form()
signature = (filters, query)
if st.session_state.get("wall_signature") != signature:  # new filters: back to the first page
    st.session_state["wall_signature"] = signature
    st.session_state[PAGE] = 1
page_no = st.session_state.get(PAGE, 1)
st.session_state[FLAGS] = {}  # the page is read afresh: what the cards changed is in it
result = read(wall, actor, filters, query, page=page_no, per_page=PER_PAGE)
if result is None:
    st.stop()
if not result.cards:
    if query or filters != EntryFilters(read=False):
        st.info("Aucun article ne correspond. Élargissez la recherche ou les filtres.")
    else:
        st.info("Tout est lu\u00a0! Ajoutez des sources ou revenez après la prochaine actualisation.")
    st.stop()

count_col, mark_all_col = st.columns([3, 1], vertical_alignment="center")
count_col.caption(
    f"{quantity(result.total, 'sujet')} · page {fr_int(result.page)} sur {fr_int(result.pages)}"
)
if filters.read is not True:  # « Lus » has nothing left to mark
    with mark_all_col.popover("Tout marquer comme lu", icon=":material/done_all:"):
        st.markdown(
            "Marquer comme lu tout ce que montre ce filtre, toutes pages comprises "
            f"({quantity(result.total, 'sujet')})\u00a0?"
        )
        if st.button("Oui, tout marquer comme lu", type="primary", key="wall_mark_all"):
            marked = attempt(mark_all_read, actor, filters, query)
            if marked is not None:
                plural = "s" if marked > 1 else ""
                rerun(f"{fr_int(marked)}\u00a0article{plural} marqué{plural} comme lu{plural}.")
known = wall_translations(actor, [c.entry_id for c in result.cards if needs_translation(c.language)])
highlights = read(highlighted_entry_ids, actor, [c.entry_id for c in result.cards], default={}) or {}
show_cards(result.cards, known, highlights)

previous, _, following = st.columns([1, 3, 1])
if result.page > 1:
    previous.button("Précédent", icon=":material/chevron_left:", on_click=turn_page, args=(result.page - 1,))
if result.page < result.pages:
    following.button("Suivant", icon=":material/chevron_right:", on_click=turn_page, args=(result.page + 1,))
