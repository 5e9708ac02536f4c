"""Account: display name, digest e-mails, password, joining another cohort."""

from __future__ import annotations

import streamlit as st

from ui.auth import TOKEN_KEY
from ui.forms import form_done, form_key, show_done
from ui.session import ACTOR_KEY, attempt, require_actor, rerun
from ui.text import plain, quoted
from workbench.access import Actor
from workbench.accounts import PASSWORD_RULE, change_password, update_profile
from workbench.cohorts import join_with_code
from workbench.db import session_scope
from workbench.models import User

actor = require_actor()
st.title("Mon compte")
with session_scope() as s:
    me = s.get(User, actor.id)
    opt_out = bool(me.digest_opt_out) if me else False
st.caption(f"Connecté·e avec {plain(actor.email)}")

with st.form("profile"):
    st.subheader("Profil")
    name = st.text_input("Nom affiché", value=actor.display_name)
    digest_off = st.checkbox("Ne pas recevoir la revue de veille quotidienne par e-mail", value=opt_out)
    if st.form_submit_button("Enregistrer"):
        user = attempt(update_profile, actor, display_name=name, digest_opt_out=digest_off)
        if user is not None:
            st.session_state[ACTOR_KEY] = Actor.of(user)
            rerun("Profil enregistré.")

with st.form("password", clear_on_submit=True):
    st.subheader("Mot de passe")
    current = st.text_input("Mot de passe actuel", type="password")
    new = st.text_input("Nouveau mot de passe", type="password", help=PASSWORD_RULE)
    again = st.text_input("Confirmez le nouveau mot de passe", type="password")
    if st.form_submit_button("Changer le mot de passe"):
        if new != again:
            st.error("Les deux saisies du nouveau mot de passe ne sont pas identiques.")
        else:
            attempt(
                change_password,
                actor,
                current,
                new,
                keep_token=st.session_state.get(TOKEN_KEY),
                success="Mot de passe changé\u00a0; vos autres connexions ont été fermées.",
            )

if not actor.is_trainer:
    show_done("join")
    with st.form(form_key("join")):
        st.subheader("Rejoindre une autre session")
        code = st.text_input("Code de session")
        if st.form_submit_button("Rejoindre"):
            cohort = attempt(join_with_code, actor, code)
            if cohort is not None:
                joined = plain(cohort.name)
                form_done("join", lambda: st.success(f"Vous avez rejoint {quoted(joined)}."))
