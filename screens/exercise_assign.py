"""Trainer: the exercise catalogue, a preview of each, assigning to a cohort, exporting results."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from training_modules.competences import framework
from training_modules.exercises import load_exercises
from training_modules.exercises.assignments import assign, cohort_assignments, unassign
from training_modules.exercises.reviews import cohort_progress, export_results_csv
from training_modules.exercises.schema import KIND_LABELS
from ui.exercises import fr_percent, workspace
from ui.session import attempt, read, require_actor
from ui.text import plain
from workbench.cohorts import list_cohorts
from workbench.filenames import file_name
from workbench.localtime import fr_date, today

actor = require_actor("trainer")
st.title("Exercices")

preview_id = st.session_state.get("preview_exercise")
if preview_id:
    if st.button("← Retour au catalogue"):
        st.session_state.pop("preview_exercise")
        st.rerun()
    st.info(
        "Aperçu formateur\u00a0: vous pouvez faire l’exercice et voir la correction automatique\u202f; rien n’est enregistré."
    )
    workspace(load_exercises()[preview_id], actor, None, preview=True)
    st.stop()

cohorts = [c for c in (read(list_cohorts, actor, default=[]) or []) if c.trainer_id == actor.id]
if not cohorts:
    st.info(
        "Créez d’abord une session de formation (menu «\u00a0Sessions de formation\u00a0») pour y assigner des exercices."
    )
    st.stop()
names = {c.id: c.name for c in cohorts}
cohort_id = st.selectbox(
    "Session de formation", list(names), format_func=names.get, placeholder="Choisir une session"
)

exercises = load_exercises()
tab_catalog, tab_assigned = st.tabs(["Catalogue", "Exercices assignés et résultats"])
with tab_catalog:
    cols = st.columns(2)
    kinds = cols[0].multiselect(
        "Types",
        list(KIND_LABELS),
        format_func=KIND_LABELS.get,
        placeholder="Tous les types",
        select_all=False,
    )
    fw = framework()
    competence_names = fw.names
    mission_names = {m.id: m.name for m in fw.missions}
    comps = cols[1].multiselect(
        "Compétences",
        list(competence_names),
        format_func=competence_names.get,
        placeholder="Toutes les compétences",
        select_all=False,
    )
    for ex in exercises.values():
        if (kinds and ex.kind not in kinds) or (comps and not set(comps) & set(ex.competences)):
            continue
        with st.container(border=True):
            st.markdown(f"**{plain(ex.title)}** · {KIND_LABELS[ex.kind]} · {ex.duration_minutes} min")
            st.caption(
                "Compétences\u00a0: "
                + ", ".join(competence_names[c] for c in ex.competences)
                + " · Missions\u00a0: "
                + ", ".join(mission_names[m] for m in ex.missions)
                + (" · correction par le formateur" if ex.review == "required" else "")
            )
            c = st.columns([2, 1, 1])
            due = c[0].date_input(
                "Date limite",
                value=today() + timedelta(days=7),
                min_value=today(),
                key=f"due:{ex.id}",
                format="DD/MM/YYYY",
            )
            if c[1].button("Assigner", key=f"assign:{ex.id}", type="primary"):
                attempt(
                    assign,
                    actor,
                    cohort_id=cohort_id,
                    exercise_id=ex.id,
                    due_on=due,
                    success=f"«\u00a0{ex.title}\u00a0» assigné à {names[cohort_id]}.",
                )
            if c[2].button("Aperçu", key=f"preview:{ex.id}"):
                st.session_state["preview_exercise"] = ex.id
                st.rerun()
with tab_assigned:
    assigned = read(cohort_assignments, actor, cohort_id, default=[]) or []
    if not assigned:
        st.caption("Aucun exercice assigné à cette session.")
    for a in assigned:
        c = st.columns([4, 2, 1])
        c[0].markdown(f"**{plain(a.title)}** · {KIND_LABELS[a.kind]}")
        c[1].caption(f"à rendre le {fr_date(a.due_on)}" if a.due_on else "sans date limite")
        if c[2].button("Retirer", key=f"unassign:{a.id}"):
            attempt(unassign, actor, a.id, success="Exercice retiré de la session.")
            st.rerun()
    progress = read(cohort_progress, actor, cohort_id, default=[]) or []
    if progress:
        st.subheader("Avancement de la session")
        st.dataframe(
            [
                {
                    "Exercice": p.title,
                    "À rendre le": fr_date(p.due_on),
                    "Rendus": f"{p.handed_in} / {p.trainees}",
                    "À corriger": p.to_review,
                    "Score moyen": fr_percent(p.average),
                }
                for p in progress
            ],
            hide_index=True,
        )
    csv_text = read(export_results_csv, actor, cohort_id, default="") or ""
    st.download_button(
        "Exporter les résultats (CSV)",
        ("\ufeff" + csv_text).encode("utf-8"),
        file_name=file_name("résultats", names[cohort_id], extension="csv"),
        mime="text/csv",
        icon=":material/download:",
        disabled=not csv_text,
    )
