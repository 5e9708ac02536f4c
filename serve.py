"""Atelier CM served with its own HTTP routes: ``streamlit run serve.py`` (what ``make run`` does).

``app.py`` is the Streamlit script; this launcher adds the routes that set and clear the login
cookie server-side, so that it is HttpOnly (see ``ui/session_cookie.py``).
"""

import streamlit as st

from ui.session_cookie import ROUTES

app = st.App("app.py", routes=ROUTES)
