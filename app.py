"""Atelier CM — entry point: ``streamlit run app.py``.

Migrates the database, restores the login, then shows the pages of the person's role.
"""

from __future__ import annotations

import streamlit as st

from ui.auth import log_out, login_page, restore_login
from ui.navigation import pages_for
from ui.shared_board import requested_token, shared_board_page
from workbench.db import ensure_database
from workbench.errors import DatabaseUnavailable
from workbench.settings import get_settings
from workbench.startup import prepare_installation

ROLE_LABELS = {"trainer": "Formateur·rice", "trainee": "Stagiaire"}

st.set_page_config(page_title="Atelier CM", page_icon=":material/forum:", layout="wide")


@st.cache_resource(show_spinner="Préparation de la base de données…")
def _prepare(database_url: str) -> None:
    """Once per server process and database: migrations, then the bundled demo content on a fresh install."""
    ensure_database(database_url)
    prepare_installation()


try:
    _prepare(get_settings().database_url)
except DatabaseUnavailable as exc:
    st.error(str(exc))
    st.stop()

if requested_token():  # a board's secret link: read-only, with or without login
    st.navigation(
        [st.Page(shared_board_page, title="Tableau partagé", icon=":material/dashboard:", url_path="tableau")]
    ).run()
    st.stop()

actor = restore_login()
if actor is None:
    st.navigation(
        [st.Page(login_page, title="Connexion", icon=":material/login:", url_path="connexion")]
    ).run()
    st.stop()

menu = pages_for(actor.role)
navigation = st.navigation(
    {
        section: [st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path) for p in specs]
        for section, specs in menu.items()
    }
)
with st.sidebar:
    st.markdown(f"**{actor.display_name}**  \n{ROLE_LABELS.get(actor.role, actor.role)}")
    if st.button("Se déconnecter", icon=":material/logout:"):
        log_out()
        st.rerun()
navigation.run()
