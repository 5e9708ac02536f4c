"""Trainer: create and run cohorts — join codes, invitations, members, closing."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import timedelta

import streamlit as st

from curation.mail import MailError, send_mail
from ui.addresses import app_base_url
from ui.forms import form_done, form_key, show_done
from ui.session import attempt, read, require_actor
from ui.text import plain, quoted
from workbench.accounts import normalise_email
from workbench.cohorts import (
    INVITATION_DAYS,
    create_cohort,
    invitation_mail,
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
from workbench.public_address import public_base_url
from workbench.settings import get_settings

actor = require_actor("trainer")
st.title("Sessions de formation")

VALID = f"valable {INVITATION_DAYS}\u00a0jours, une seule fois"


def send_invitation(cohort_name: str, email: str, token: str) -> Callable[[], None]:
    """E-mail the invitation when an SMTP server is set up; what to show once the form is emptied.
    The link is shown in every case: to copy if the e-mail goes astray, or could not be sent (the
    invitation stays valid: nothing is lost)."""
    smtp = get_settings().smtp
    failed = ""
    if smtp.configured:
        mail = invitation_mail(
            cohort_name, actor, f"{read(public_base_url) or app_base_url()}/?invitation={token}"
        )
        try:
            with st.spinner("Envoi de l’invitation…"):
                send_mail(smtp, email, mail.subject, mail.text, mail.html, retried=False, in_app=True)
        except MailError as exc:
            failed = str(exc)
    link = f"{app_base_url()}/?invitation={token}"

    def show() -> None:
        if not smtp.configured:
            st.success(f"Lien d’invitation créé ({VALID}). Envoyez-le\u00a0:")
        elif failed:
            st.error(
                plain(
                    f"{failed} L’invitation reste valable\u00a0: envoyez vous-même le lien ci-dessous ({VALID})."
                )
            )
        else:
            st.success(f"Invitation envoyée à {plain(email)}.")
            st.caption(f"Si le message n’arrive pas, envoyez ce lien ({VALID})\u00a0:")
        st.code(link, language=None)
        if not smtp.configured:
            st.caption(
                "Pour envoyer les invitations par e-mail, configurez un serveur d’envoi (SMTP)\u00a0: menu Réglages, "
                "ou réglages du serveur décrits dans le README (section «\u00a0Configuration\u00a0»)."
            )

    return show


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
        if c2.button("Nouveau code", key=f"regen-{cohort.id}"):
            attempt(
                regenerate_code,
                actor,
                cohort.id,
                success="Nouveau code créé\u00a0; l’ancien ne fonctionne plus.",
                then_rerun=True,
            )
        if c3.button("Rouvrir" if cohort.closed else "Clore", key=f"close-{cohort.id}"):
            attempt(set_closed, actor, cohort.id, not cohort.closed)
            st.rerun()
        with st.form(f"rename-{cohort.id}"):
            new_name = st.text_input("Nom de la session", value=cohort.name, key=f"rename-{cohort.id}-name")
            if st.form_submit_button("Renommer") and new_name != cohort.name:
                attempt(
                    rename_cohort, actor, cohort.id, new_name, success="Session renommée.", then_rerun=True
                )
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
            sends = get_settings().smtp.configured  # the invitation goes by e-mail, the link shown too
            if st.form_submit_button("Envoyer l’invitation" if sends else "Créer le lien d’invitation"):
                token = attempt(invite, actor, cohort.id, email)
                if token:
                    form_done(
                        f"invite-{cohort.id}", send_invitation(cohort.name, normalise_email(email), token)
                    )


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
