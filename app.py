"""Atelier CM — the Streamlit script, served by ``streamlit run serve.py`` (which adds the cookie routes).

Migrates the database, restores the login, then shows the pages of the person's role.
"""

from __future__ import annotations

import streamlit as st

from ui.addresses import note_app_address
from ui.auth import log_out, login_page, restore_login
from ui.navigation import LOGIN_URL_PATH, SECTIONS, pages_for, stray_url_paths
from ui.session import show_kept_toasts
from ui.shared_board import requested_token, shared_board_page
from ui.text import plain
from ui.unsubscribe import requested_unsubscribe, unsubscribe_page
from workbench.db import ensure_database
from workbench.errors import DatabaseUnavailable
from workbench.settings import get_settings
from workbench.startup import prepare_installation

ROLE_LABELS = {"trainer": "Formateur·rice", "trainee": "Stagiaire"}
NAV_PAGES = "_nav_pages"  # (role, detour addresses) → this session's st.Page objects
BASE_PATH = st.get_option("server.baseUrlPath")  # the app's own path behind a proxy, e.g. « formation »

st.set_page_config(page_title="Atelier CM", page_icon=":material/forum:", layout="wide")


@st.cache_resource(show_spinner="Préparation de la base de données…")
def _prepare(database_url: str) -> None:
    """Once per server process and database: migrations, then the bundled demo content on a fresh install."""
    ensure_database(database_url)
    prepare_installation()


try:
    _prepare(get_settings().database_url)
except DatabaseUnavailable as exc:
    st.error(plain(str(exc)))
    st.stop()

if requested_token():  # a board's secret link: read-only, with or without login
    st.navigation(
        [st.Page(shared_board_page, title="Tableau partagé", icon=":material/dashboard:", url_path="tableau")]
    ).run()
    st.stop()

if requested_unsubscribe():  # an outside recipient's link to stop a digest: no login
    st.navigation(
        [
            st.Page(
                unsubscribe_page,
                title="Désinscription",
                icon=":material/unsubscribe:",
                url_path="desinscription",
            )
        ]
    ).run()
    st.stop()

actor = restore_login()
if actor is None:
    # Any other address shows the login too, and is still the address once logged in (deep links).
    # The first page answers at « / » only, so /connexion is one of these hidden pages as well.
    login = [st.Page(login_page, title="Connexion", icon=":material/login:", url_path="", default=True)]
    stray = stray_url_paths(st.context.url, set(), BASE_PATH)
    page = st.navigation(
        login
        + [st.Page(login_page, title="Connexion", url_path=u, visibility="hidden") for u in sorted(stray)]
    )
    note_app_address(None, page.url_path)
    page.run()
    st.stop()


def _menu_pages(role: str, stray: tuple[str, ...]) -> tuple[dict[str, list[st.Page]], list[st.Page]]:
    """The role's menu as ``st.Page`` objects, plus hidden detours for ``stray`` addresses: another
    role's page, a mistyped address, /connexion once logged in, or /accueil lead to the home page,
    in place (a switch_page rerun would drop the login cookie written by this run). Built once per
    browser session and kept there (each ``st.Page`` resolves and checks its file: about 40 of them
    on every run of every page); a session's runs never overlap, so its pages are its own."""
    key = (role, stray)
    kept = st.session_state.get(NAV_PAGES)
    if kept is not None and kept[0] == key:
        return kept[1], kept[2]
    menu = pages_for(role)
    home = menu[SECTIONS[0]][0]
    sections = {
        section: [
            # The home page answers at « / » only: its own address (/accueil) is a hidden page below.
            st.Page(
                p.path,
                title=p.title,
                icon=p.icon,
                url_path="" if p is home else p.url_path,
                default=p is home,
            )
            for p in specs
        ]
        for section, specs in menu.items()
    }
    detours = [
        st.Page(home.path, title=home.title, icon=home.icon, url_path=u, visibility="hidden") for u in stray
    ]
    sections[SECTIONS[-1]] = sections[SECTIONS[-1]] + detours  # hidden: they add no menu line
    st.session_state[NAV_PAGES] = (key, sections, detours)
    return sections, detours


menu = pages_for(actor.role)
home = menu[SECTIONS[0]][0]
served = {p.url_path for specs in menu.values() for p in specs if p is not home}
sections, detours = _menu_pages(actor.role, tuple(sorted(stray_url_paths(st.context.url, served, BASE_PATH))))
navigation = st.navigation(
    sections,
    expanded=True,  # a trainer has 18 pages: never hide some behind « View more »
)
note_app_address(actor, navigation.url_path)
show_kept_toasts()  # what the previous run said just before it ran the page again (ui.session.rerun)
if navigation in detours and navigation.url_path not in {LOGIN_URL_PATH, home.url_path}:
    st.toast("Cette adresse ne mène à aucune de vos pages\u00a0: voici l’accueil.", icon=":material/info:")
with st.sidebar:
    st.markdown(f"**{plain(actor.display_name)}**  \n{ROLE_LABELS.get(actor.role, actor.role)}")
    if st.button("Se déconnecter", icon=":material/logout:"):
        log_out()
        st.rerun()
navigation.run()
