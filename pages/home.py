"""Home: what exists so far for the person logged in."""

from __future__ import annotations

import streamlit as st

from ui.session import read, require_actor
from workbench.cohorts import list_cohorts, members

actor = require_actor()
st.title(f"Bonjour {actor.display_name}")

cohorts = read(list_cohorts, actor, default=[]) or []
if actor.is_trainer:
    st.subheader("Vos sessions de formation")
    if not cohorts:
        st.info("Vous n’avez pas encore de session. Créez-en une dans « Sessions de formation ».")
        st.page_link("pages/cohorts.py", label="Créer une session", icon=":material/group_add:")
    for cohort in cohorts:
        people = read(members, actor, cohort.id, default=[]) or []
        active = sum(1 for m in people if m.active)
        with st.container(border=True):
            st.markdown(f"**{cohort.name}** {'· close' if cohort.closed else ''}")
            cols = st.columns(3)
            cols[0].metric("Stagiaires actifs", active)
            cols[1].metric("Code de session", cohort.join_code)
            dates = " → ".join(d.strftime("%d/%m/%Y") for d in (cohort.starts_on, cohort.ends_on) if d)
            cols[2].metric("Dates", dates or "—")
else:
    st.subheader("Vos sessions de formation")
    if not cohorts:
        st.info("Vous ne faites partie d’aucune session active. Saisissez un code dans « Mon compte ».")
    for cohort in cohorts:
        with st.container(border=True):
            st.markdown(f"**{cohort.name}** — formateur·rice : {cohort.trainer_name}")
            people = read(members, actor, cohort.id, default=[]) or []
            st.caption(f"{sum(1 for m in people if m.active)} stagiaire(s) dans la session")
