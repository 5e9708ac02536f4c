"""The trainer's competence map: campaigns, who answered, heatmap, progress, a trainee, exports."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from training_modules import assessment, calibration
from training_modules import assessment_reports as reports
from training_modules.competences import framework
from ui import assessment_charts as charts
from ui.assessment_views import attempt_label, exercise_catalog, render_results
from ui.charts import chart
from ui.forms import clear_form, form_key
from ui.session import attempt, read, require_actor, rerun
from ui.tables import people_table
from ui.text import plain
from workbench import cohorts
from workbench.localtime import fr_datetime, today
from workbench.numbers import fr_int, quantity, signed_number
from workbench.wording import de

actor = require_actor("trainer")
fw = framework()

st.title("Carte des compétences")
my_cohorts = [c for c in read(cohorts.list_cohorts, actor, default=[]) or [] if c.trainer_id == actor.id]
if not my_cohorts:
    st.info(
        "Créez d’abord une session de formation dans « Sessions de formation » pour y inviter vos stagiaires."
    )
    st.stop()

names = {c.id: c.name for c in my_cohorts}
cohort_id = st.selectbox(
    "Session de formation",
    list(names),
    format_func=lambda i: names[i],
    key="cohort",
    placeholder="Choisir une session",
)
cohort = next(c for c in my_cohorts if c.id == cohort_id)
campaigns = read(assessment.list_campaigns, actor, cohort_id, default=[]) or []
campaign_names = {None: "Dernière auto-évaluation de chaque stagiaire"} | {c.id: c.label for c in campaigns}


def show_waiting(rows: list[assessment.TraineeScores]) -> None:
    """Who of the session's active trainees has no finished self-assessment among ``rows``."""
    active = [m for m in read(cohorts.members, actor, cohort_id, default=[]) or [] if m.active]
    answered = {r.user_id for r in rows}
    waiting = [plain(m.display_name) for m in active if m.user_id not in answered]
    if waiting:
        st.caption(
            f"{fr_int(len(active) - len(waiting))} sur {quantity(len(active), 'stagiaire')} "
            f"{'a' if len(active) - len(waiting) < 2 else 'ont'} terminé l’auto-évaluation. "
            f"Pas encore de réponse\u00a0: {', '.join(waiting)}."
        )


# Only the open tab runs (charts, PDFs): state-tracked tabs rerun on change.
campaign_tab, map_tab, progress_tab, calibration_tab, trainee_tab, export_tab = st.tabs(
    ["Campagnes", "Carte de la session", "Progression", "Calibration", "Stagiaire", "Exports"],
    key="tab",
    on_change="rerun",
)

if campaign_tab.open:
    with campaign_tab:
        campaign_form = form_key("new-campaign")
        with st.form(campaign_form):
            st.subheader("Ouvrir une campagne d’auto-évaluation")
            name = st.text_input("Nom", placeholder="Début de formation", key=f"{campaign_form}-name")
            start_col, end_col = st.columns(2)
            starts_on = start_col.date_input(
                "Début", value=today(), format="DD/MM/YYYY", key=f"{campaign_form}-start"
            )
            ends_on = end_col.date_input(
                "Fin",
                value=today() + timedelta(days=14),
                format="DD/MM/YYYY",
                key=f"{campaign_form}-end",
            )
            if st.form_submit_button("Ouvrir la campagne", type="primary") and attempt(
                assessment.open_campaign,
                actor,
                cohort_id,
                name=name,
                starts_on=starts_on,
                ends_on=ends_on,
            ):
                clear_form("new-campaign")
                rerun("Campagne ouverte : vos stagiaires la verront sur leur page « Auto-évaluation ».")
        if not campaigns:
            st.info("Aucune campagne pour cette session : ouvrez-en une en début et en fin de formation.")
        for campaign in reversed(campaigns):
            status = read(assessment.respondents, actor, campaign.id, default=[]) or []
            done = sum(r.status == assessment.DONE for r in status)
            state = "ouverte" if campaign.is_open() else "close"
            with st.expander(
                f"{plain(campaign.label)} — {state} — {done}/{quantity(len(status), 'réponse')}",
                expanded=campaign.is_open(),
            ):
                st.dataframe(
                    pd.DataFrame(
                        [
                            {
                                "Stagiaire": r.display_name,
                                "État": r.status,
                                "Terminée le": fr_datetime(r.completed_at),
                            }
                            for r in status
                        ]
                    ),
                    hide_index=True,
                )
                if campaign.is_open() and st.button(
                    "Clore la campagne aujourd’hui", key=f"close-{campaign.id}"
                ):
                    attempt(
                        assessment.close_campaign,
                        actor,
                        campaign.id,
                        success="Campagne close.",
                        then_rerun=True,
                    )

if map_tab.open:
    with map_tab:
        campaign_id = st.selectbox(
            "Résultats pris en compte",
            list(campaign_names),
            format_func=lambda i: campaign_names[i],
            key="map-campaign",
            placeholder="Choisir une auto-évaluation",
        )
        rows = read(assessment.cohort_scores, actor, cohort_id, campaign_id, default=[]) or []
        show_waiting(rows)
        if not rows:
            st.info("Aucune auto-évaluation terminée pour le moment.")
        else:
            chart(charts.heatmap(fw, rows), key="heatmap")
            st.subheader("Répartition des scores par compétence")
            chart(charts.distributions(fw, rows), key="distributions")
        shown = st.toggle(
            "Montrer aux stagiaires la moyenne anonyme de la session",
            value=cohort.show_cohort_average,
            help="Chaque stagiaire voit alors la moyenne sur son radar, à partir de trois réponses ; jamais les réponses des autres.",
            key="show-average",
        )
        if shown != cohort.show_cohort_average:
            attempt(
                cohorts.set_show_average,
                actor,
                cohort_id,
                shown,
                success="Réglage enregistré.",
                then_rerun=True,
            )

if progress_tab.open:
    with progress_tab:
        summaries = read(assessment.campaign_progress, actor, cohort_id, default=[]) or []
        answered = [s for s in summaries if s.respondents]
        if len(answered) < 2:
            st.info("La progression de la session apparaîtra quand deux campagnes auront des réponses.")
        if answered:
            chart(charts.campaign_progress(fw, answered), key="campaign-progress")
            st.dataframe(
                people_table(
                    [
                        {"Campagne": s.campaign.name, "Répondants": s.respondents}
                        | {c.name: s.means.get(c.id) for c in fw.competences}
                        for s in answered
                    ],
                    digits=1,
                ),
                hide_index=True,
            )

if calibration_tab.open:
    with calibration_tab:
        st.write(
            "La calibration compare, pour chaque stagiaire et chaque compétence, la partie «\u00a0affirmations\u00a0» "
            "de sa dernière auto-évaluation à ses résultats mesurés dans les exercices corrigés."
        )
        trainees = read(assessment.cohort_calibration, actor, cohort_id, default=[]) or []
        measured = [t for t in trainees if t.measured]
        if not trainees:
            st.info("Aucune auto-évaluation terminée pour le moment.")
        elif not measured:
            st.info(
                "Pas encore de résultats d’exercices corrigés\u00a0: la calibration s’affichera dès les premiers "
                "exercices notés."
            )
        else:
            chart(charts.calibration_gaps(fw, measured), key="calibration-gaps")
            over_col, under_col = st.columns(2)
            for column, title, pick in (
                (over_col, "Se surestiment peut-être", lambda t: t.over),
                (under_col, "Se sous-estiment peut-être", lambda t: t.under),
            ):
                with column:
                    st.subheader(title)  # markdown: one of the two bundled headings above
                    lines = [
                        f"- **{plain(t.display_name)}**\u00a0: "
                        + ", ".join(f"{plain(r.name)} ({signed_number(r.gap)})" for r in pick(t))
                        for t in measured
                        if pick(t)
                    ]
                    st.markdown("\n".join(lines) if lines else "Personne.")
            st.dataframe(
                people_table(
                    [
                        {
                            "Stagiaire": t.display_name,
                            "Compétence": r.name,
                            "Auto-évaluation": r.self_rating,
                            "Exercices": r.measured,
                            "Écart": r.gap,
                            "Lecture": r.trainer_reading,
                        }
                        for t in measured
                        for r in t.rows
                        if r.gap is not None
                    ],
                    signed={"Écart"},
                ),
                hide_index=True,
            )
            st.caption(
                f"«\u00a0Cohérent\u00a0»\u00a0: moins de {calibration.WELL_CALIBRATED:.0f} points d’écart. Un écart "
                "est une piste de discussion avec le ou la stagiaire, pas une note."
            )
            without = [t.display_name for t in trainees if not t.measured]
            if without:
                st.caption(
                    "Sans exercice corrigé pour l’instant\u00a0: "
                    + ", ".join(plain(n) for n in without)
                    + "."
                )

if trainee_tab.open:
    with trainee_tab:
        members = read(cohorts.members, actor, cohort_id, default=[]) or []
        if not members:
            st.info("Aucun stagiaire dans cette session pour le moment.")
        else:
            people = {m.user_id: m.display_name for m in members}
            user_id = st.selectbox(
                "Stagiaire",
                list(people),
                format_func=lambda i: people[i],
                key="trainee",
                placeholder="Choisir un·e stagiaire",
            )
            history = read(assessment.list_attempts, actor, user_id, default=[]) or []
            if not history:
                st.info(f"{plain(people[user_id])} n’a pas encore terminé d’auto-évaluation.")
            else:
                by_id = {a.id: a for a in history}
                chosen = st.selectbox(
                    "Auto-évaluation",
                    [a.id for a in reversed(history)],
                    format_func=lambda i: attempt_label(by_id[i]),
                    key="trainee-attempt",
                    placeholder="Choisir une auto-évaluation",
                )
                view = by_id[chosen]
                previous = assessment.previous_of(history, view.id)
                exercises = exercise_catalog()
                render_results(
                    fw, view, previous, exercises=exercises, key="trainee-results", who=people[user_id]
                )
                st.download_button(
                    f"Rapport PDF {de(plain(people[user_id]))}",
                    lambda: reports.attempt_pdf(
                        view, previous, exercises, for_trainer=True
                    ),  # built on click
                    file_name=reports.pdf_file_name(view, people[user_id]),
                    mime="application/pdf",
                    key="trainee-pdf",
                )

if export_tab.open:
    with export_tab:
        export_campaign = st.selectbox(
            "Résultats exportés",
            list(campaign_names),
            format_func=lambda i: campaign_names[i],
            key="export-campaign",
            placeholder="Choisir une auto-évaluation",
        )
        st.caption(
            "Une ligne par stagiaire qui a terminé l’auto-évaluation\u00a0: sa dernière (dans la campagne choisie)."
        )
        show_waiting(read(assessment.cohort_scores, actor, cohort_id, export_campaign, default=[]) or [])
        csv_data = read(reports.cohort_csv, actor, cohort_id, export_campaign)
        left, right = st.columns(2)
        if csv_data is not None:
            left.download_button(
                "Télécharger la session (CSV)",
                csv_data,
                file_name="carte-compétences.csv",
                mime="text/csv",
                key="csv",
            )
        right.download_button(
            "Télécharger la session (Excel)",
            lambda: read(reports.cohort_xlsx, actor, cohort_id, export_campaign) or b"",  # built on click
            file_name="carte-compétences.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="xlsx",
        )
