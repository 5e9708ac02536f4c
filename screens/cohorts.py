"""Trainer: create and run cohorts — join codes, invitations, members, closing."""

from __future__ import annotations

import math
from datetime import timedelta

import streamlit as st

from ui.addresses import app_base_url
from ui.forms import form_done, form_key, show_done
from ui.session import attempt, read, require_actor
from ui.text import plain, quoted
from workbench.cohorts import (
    create_cohort,
    invite,
    list_cohorts,
    members,
    regenerate_code,
    rename_cohort,
    set_closed,
    set_member_active,
    set_show_average,
)
from workbench.localtime import fr_date, fr_datetime, today
from workbench.login_throttle import clear_throttles, current_throttles
from workbench.numbers import quantity

actor = require_actor("trainer")
st.title("Sessions de formation")

show_done("new_cohort")
with (
    st.expander("Créer une session", expanded=not (read(list_cohorts, actor, default=[]) or [])),
    st.form(form_key("new_cohort")),
):
    name = st.text_input("Nom de la session", placeholder="Promo CM — printemps 2027")
    c1, c2 = st.columns(2)
    starts = c1.date_input("Début", value=today(), format="DD/MM/YYYY")
    ends = c2.date_input("Fin", value=today() + timedelta(days=90), format="DD/MM/YYYY")
    if st.form_submit_button("Créer la session", type="primary"):
        cohort = attempt(create_cohort, actor, name=name, starts_on=starts, ends_on=ends)
        if cohort is not None:
            done = f"Session {quoted(plain(cohort.name))} créée. Code à donner aux stagiaires\u00a0: **{cohort.join_code}**"
            form_done("new_cohort", lambda: st.success(done))

for cohort in read(list_cohorts, actor, default=[]) or []:
    with st.expander(f"{plain(cohort.name)} — {'close' if cohort.closed else 'ouverte'}", expanded=True):
        c1, c2, c3 = st.columns([2, 1, 1])
        c1.markdown(f"Code de session\u00a0: `{cohort.join_code}`")
        if c2.button("Nouveau code", key=f"regen-{cohort.id}") and attempt(
            regenerate_code, actor, cohort.id, success="Nouveau code créé\u00a0; l’ancien ne fonctionne plus."
        ):
            st.rerun()
        if c3.button("Rouvrir" if cohort.closed else "Clore", key=f"close-{cohort.id}"):
            attempt(set_closed, actor, cohort.id, not cohort.closed)
            st.rerun()
        with st.form(f"rename-{cohort.id}"):
            new_name = st.text_input("Nom de la session", value=cohort.name, key=f"rename-{cohort.id}-name")
            if (
                st.form_submit_button("Renommer")
                and new_name != cohort.name
                and attempt(rename_cohort, actor, cohort.id, new_name, success="Session renommée.")
            ):
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
                row[2].caption(f"inscrit·e le {fr_date(m.joined_at)}")
                active = row[3].toggle("Actif", value=m.active, key=f"active-{cohort.id}-{m.user_id}")
                if active != m.active:
                    attempt(
                        set_member_active,
                        actor,
                        cohort.id,
                        m.user_id,
                        active,
                        success=f"{plain(m.display_name)}\u00a0: accès {'réactivé' if active else 'désactivé'}.",
                    )
        else:
            st.caption("Aucun stagiaire pour l’instant\u00a0: donnez-leur le code de session ou invitez-les.")

        show_done(f"invite-{cohort.id}")
        with st.form(form_key(f"invite-{cohort.id}")):
            email = st.text_input("Inviter par e-mail", placeholder="prenom.nom@exemple.fr")
            if st.form_submit_button("Créer le lien d’invitation"):
                token = attempt(invite, actor, cohort.id, email)
                if token:
                    link = f"{app_base_url()}/?invitation={token}"

                    def show_link(link: str = link) -> None:
                        st.success(
                            "Lien d’invitation créé (valable 14 jours, une seule fois). Envoyez-le\u00a0:"
                        )
                        st.code(link, language=None)

                    form_done(f"invite-{cohort.id}", show_link)


st.subheader("Connexions ralenties")
if lifted := st.session_state.pop("throttles_lifted", None):
    st.success(
        f"Ralentissement levé ({quantity(lifted, 'ligne')})\u00a0: la personne peut se reconnecter tout de suite."
    )
throttles = read(current_throttles, actor, default=[]) or []
if not throttles:
    st.caption(
        "Aucune connexion ralentie. Après plusieurs mots de passe erronés, l’application impose une attente "
        "qui grandit à chaque nouvel échec, sans jamais bloquer le titulaire du compte sur son propre appareil."
    )
else:

    def _label(view) -> str:
        who = view.email or "tous les comptes"
        where = f"depuis {view.client}" if view.client else "tous appareils"
        return f"{who} — {where}"

    st.dataframe(
        [
            {
                "Compte": view.email or "—",
                "Appareil (adresse)": view.client or "—",
                "Échecs": view.failures,
                "Dernier échec": fr_datetime(view.last_failure_at),
                "Attente": f"{math.ceil(view.wait_seconds)} s" if view.wait_seconds else "aucune",
            }
            for view in throttles
        ],
        hide_index=True,
    )
    labels = {view.id: _label(view) for view in throttles}
    chosen = st.multiselect(
        "Ralentissements à lever",
        list(labels),
        default=list(labels),
        format_func=labels.get,
        key="throttles-chosen",
        placeholder="Choisir les ralentissements",
        select_all=False,
    )
    if st.button("Lever les ralentissements choisis", key="throttles-clear", disabled=not chosen):
        lifted = attempt(clear_throttles, actor, chosen)
        if lifted is not None:
            st.session_state["throttles_lifted"] = lifted
            st.rerun()
