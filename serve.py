"""Atelier CM served with its own HTTP routes: ``streamlit run serve.py`` (what ``make run`` does).

``app.py`` is the Streamlit script; this launcher adds the routes that set and clear the login
cookie server-side, so that it is HttpOnly (see ``ui/session_cookie.py``), and warms the fresh
process in the background (``ui/warm_up.py``).
"""

import streamlit as st

from ui import warm_up
from ui.session_cookie import ROUTES

warm_up.start()
app = st.App("app.py", routes=ROUTES)
