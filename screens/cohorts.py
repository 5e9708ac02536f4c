"""Trainer: create and run cohorts — join codes, invitations, members, closing."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from ui.addresses import app_base_url
from ui.session import attempt, read, require_actor
from ui.text import plain
from workbench.cohorts import (
    create_cohort,
    invite,
    list_cohorts,
    members,
    regenerate_code,
    set_closed,
    set_member_active,
    set_show_average,
)

actor = require_actor("trainer")
st.title("Sessions de formation")

with (
    st.expander("Créer une session", expanded=not (read(list_cohorts, actor, default=[]) or [])),
    st.form("new_cohort", clear_on_submit=True),
):
    name = st.text_input("Nom de la session", placeholder="Promo CM — printemps 2027")
    c1, c2 = st.columns(2)
    starts = c1.date_input("Début", value=date.today(), format="DD/MM/YYYY")
    ends = c2.date_input("Fin", value=date.today() + timedelta(days=90), format="DD/MM/YYYY")
    if st.form_submit_button("Créer la session", type="primary"):
        cohort = attempt(create_cohort, actor, name=name, starts_on=starts, ends_on=ends)
        if cohort is not None:
            st.success(
                f"Session « {plain(cohort.name)} » créée. Code à donner aux stagiaires : **{cohort.join_code}**"
            )

for cohort in read(list_cohorts, actor, default=[]) or []:
    with st.expander(f"{plain(cohort.name)} — {'close' if cohort.closed else 'ouverte'}", expanded=True):
        c1, c2, c3 = st.columns([2, 1, 1])
        c1.markdown(f"Code de session : `{cohort.join_code}`")
        if c2.button("Nouveau code", key=f"regen-{cohort.id}") and attempt(
            regenerate_code, actor, cohort.id, success="Nouveau code créé ; l’ancien ne fonctionne plus."
        ):
            st.rerun()
        if c3.button("Rouvrir" if cohort.closed else "Clore", key=f"close-{cohort.id}"):
            attempt(set_closed, actor, cohort.id, not cohort.closed)
            st.rerun()
        show = st.toggle(
            "Montrer aux stagiaires la moyenne anonyme de la session",
            value=cohort.show_cohort_average,
            key=f"avg-{cohort.id}",
        )
        if show != cohort.show_cohort_average:
            attempt(set_show_average, actor, cohort.id, show)
            st.rerun()

        people = read(members, actor, cohort.id, default=[]) or []
        if people:
            st.markdown("**Stagiaires**")
            for m in people:
                row = st.columns([3, 3, 2, 2], vertical_alignment="center")
                row[0].text(m.display_name)
                row[1].caption(plain(m.email))
                row[2].caption(f"inscrit·e le {m.joined_at:%d/%m/%Y}")
                active = row[3].toggle("Actif", value=m.active, key=f"active-{cohort.id}-{m.user_id}")
                if active != m.active:
                    attempt(
                        set_member_active,
                        actor,
                        cohort.id,
                        m.user_id,
                        active,
                        success=f"{m.display_name} : accès {'réactivé' if active else 'désactivé'}.",
                    )
        else:
            st.caption("Aucun stagiaire pour l’instant : donnez-leur le code de session ou invitez-les.")

        with st.form(f"invite-{cohort.id}", clear_on_submit=True):
            email = st.text_input("Inviter par e-mail", placeholder="prenom.nom@exemple.fr")
            if st.form_submit_button("Créer le lien d’invitation"):
                token = attempt(invite, actor, cohort.id, email)
                if token:
                    link = f"{app_base_url()}/?invitation={token}"
                    st.success("Lien d’invitation créé (valable 14 jours, une seule fois). Envoyez-le :")
                    st.code(link, language=None)
