"""Trainer: the exercise catalogue, a preview of each, assigning to a cohort, exporting results."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from training_modules.competences import framework
from training_modules.exercises.assignments import assign, cohort_assignments, unassign
from training_modules.exercises.programme_schema import (
    AssessmentStep,
    CrisisDrillStep,
    DigestStep,
    ExerciseStep,
)
from training_modules.exercises.reviews import cohort_progress, export_results_csv
from training_modules.exercises.schema import DAYS, KIND_LABELS
from training_modules.library import assignable_exercises
from training_modules.programme import (
    assign_programme,
    course_days,
    default_plan,
    load_programme,
    step_minutes,
)
from ui.exercises import fr_percent, workspace
from ui.session import attempt, read, require_actor
from ui.text import plain, quoted
from workbench.cohorts import list_cohorts
from workbench.filenames import file_name
from workbench.localtime import fr_date, today

actor = require_actor("trainer")
st.title("Exercices")

# Bundled exercises, the trainer's own and those other trainers share with every trainer.
entries = read(assignable_exercises, actor, default=[]) or []
exercises = {e.exercise.id: e.exercise for e in entries}
authors = {e.exercise.id: e.author_name for e in entries if e.origin == "trainer"}

preview_id = st.session_state.get("preview_exercise")
if preview_id in exercises:
    if st.button("← Retour au catalogue"):
        st.session_state.pop("preview_exercise")
        st.rerun()
    st.info(
        "Aperçu formateur\u00a0: vous pouvez faire l’exercice et voir la correction automatique\u202f; rien n’est enregistré."
    )
    workspace(exercises[preview_id], actor, None, preview=True)
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

tab_catalog, tab_programme, tab_assigned = st.tabs(
    ["Catalogue", "Programme sur 5 jours", "Exercices assignés et résultats"]
)
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
    # Opened from « Bibliothèque » after saving (?exercice=<id>): that exercise first and alone.
    focus = st.query_params.get("exercice")
    if focus in exercises:
        st.button("Voir tout le catalogue", on_click=st.query_params.pop, args=("exercice",))
    for ex in exercises.values():
        if focus in exercises and ex.id != focus:
            continue
        if (kinds and ex.kind not in kinds) or (comps and not set(comps) & set(ex.competences)):
            continue
        with st.container(border=True):
            st.markdown(f"**{plain(ex.title)}** · {KIND_LABELS[ex.kind]} · {ex.duration_minutes} min")
            if ex.id in authors:
                st.caption(f"Créé par {plain(authors[ex.id] or 'un formateur')}")
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
                    success=f"{quoted(ex.title)} assigné à {names[cohort_id]}.",
                )
            if c[2].button("Aperçu", key=f"preview:{ex.id}"):
                st.session_state["preview_exercise"] = ex.id
                st.rerun()


def fr_day(day: date) -> str:
    """« jeudi 10/12/2026 »."""
    return f"{DAYS[day.weekday()]} {fr_date(day)}"


def fr_minutes(minutes: int) -> str:
    """« 45 min », « 3 h », « 5 h 45 »."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest}\u00a0min"
    return f"{hours}\u00a0h" + (f"\u00a0{rest:02d}" if rest else "")


with tab_programme:
    course = load_programme()
    st.markdown(f"**{plain(course.title)}**")
    st.caption(
        "Des journées d’environ 6\u00a0h, apports compris. Décochez un exercice pour le retirer, changez son jour "
        "pour le déplacer, puis assignez tout en une fois\u00a0: chaque exercice est à rendre le jour prévu. "
        "Assigner de nouveau le programme ne fait que déplacer les dates."
    )
    now = today()
    first = st.date_input(
        "Premier jour de formation",
        value=now + timedelta(days=(7 - now.weekday()) % 7),
        min_value=now,
        format="DD/MM/YYYY",
        key="programme:first",
    )
    first_slot = st.empty()
    days = course_days(first, len(course.days))
    if days[0] != first:
        st.info(f"Le {fr_day(first)} tombe un week-end\u00a0: la formation commence le {fr_day(days[0])}.")
    suggested = default_plan(course)
    placed = {ex: st.session_state.get(f"programme:day:{ex}", n) for ex, n in suggested.items()}
    plan: dict[str, int] = {}
    for number, (day, when) in enumerate(zip(course.days, days, strict=True)):
        here = [ex for ex in suggested if placed[ex] == number]
        kept = [ex for ex in here if st.session_state.get(f"programme:on:{ex}", True)]
        minutes = day_total = day.theory_minutes + sum(
            step_minutes(s) for s in day.steps if not isinstance(s, ExerciseStep)
        )
        added = [ex for ex in st.session_state.get(f"programme:extra:{number}", []) if ex in exercises]
        minutes += sum(exercises[ex].duration_minutes for ex in [*kept, *added])
        with st.container(border=True):
            st.markdown(f"**Jour\u00a0{number + 1} · {fr_day(when)} — {plain(day.title)}**")
            st.markdown("\n".join(f"- {plain(aim)}" for aim in day.aims))
            st.caption(
                f"Durée prévue\u00a0: {fr_minutes(minutes)}, dont {fr_minutes(day.theory_minutes)} d’apports."
            )
            if minutes > 6 * 60 + 30:
                st.warning("Cette journée dépasse 6\u00a0h\u00a030\u00a0: décochez ou déplacez un exercice.")
            for step in day.steps:
                if isinstance(step, AssessmentStep):
                    moment = "d’entrée" if step.moment == "entry" else "de sortie"
                    st.markdown(
                        f"Auto-évaluation {moment} · campagne {quoted(plain(step.campaign))} ouverte ce "
                        f"jour-là · {fr_minutes(step.minutes)}"
                    )
                elif isinstance(step, CrisisDrillStep):
                    st.markdown(
                        f"Crise en direct\u00a0: {quoted(plain(exercises[step.exercise].title))}, à lancer "
                        f"depuis la page «\u00a0Crise en direct\u00a0» (non assignée à l’avance) · "
                        f"{fr_minutes(step.minutes)}"
                    )
                elif isinstance(step, DigestStep):
                    st.markdown(f"Revue de veille\u00a0: {plain(step.task)} · {fr_minutes(step.minutes)}")
            for ex in here:
                item = exercises[ex]
                c = st.columns([5, 1])
                ticked = c[0].checkbox(
                    f"{plain(item.title)} · {KIND_LABELS[item.kind]} · {fr_minutes(item.duration_minutes)}",
                    value=True,
                    key=f"programme:on:{ex}",
                )
                moved = c[1].selectbox(
                    "Jour",
                    range(len(days)),
                    index=suggested[ex],
                    format_func=lambda i: f"Jour\u00a0{i + 1}",
                    key=f"programme:day:{ex}",
                    placeholder="Choisir un jour",
                    label_visibility="collapsed",
                )
                if ticked:
                    plan[ex] = moved
            own = {ex: exercises[ex].title for ex in authors}
            if own:
                chosen = st.multiselect(
                    "Ajouter des exercices de la bibliothèque",
                    list(own),
                    format_func=own.get,
                    placeholder="Exercices créés par des formateurs",
                    key=f"programme:extra:{number}",
                    select_all=False,
                )
                plan.update(dict.fromkeys(chosen, number))
    if st.button("Assigner le programme", type="primary", icon=":material/event_available:"):
        done = attempt(
            assign_programme,
            actor,
            cohort_id=cohort_id,
            first_day=first,
            plan=plan,
            beside={"first_day": first_slot},
        )
        if done is not None:
            campaigns = ", ".join(f"{quoted(plain(c.name))} le {fr_day(c.starts_on)}" for c in done.campaigns)
            drills = [
                (n, s) for n, d in enumerate(course.days) for s in d.steps if isinstance(s, CrisisDrillStep)
            ]
            st.success(
                f"Programme assigné à {plain(done.cohort_name)}\u00a0: {len(done.assignments)} exercices à rendre "
                f"du {fr_day(done.days[0])} au {fr_day(done.days[-1])}. Auto-évaluations ouvertes\u00a0: {campaigns}."
                + "".join(
                    f" Le {fr_day(done.days[n])}, lancez la crise {quoted(plain(exercises[s.exercise].title))} "
                    "depuis la page «\u00a0Crise en direct\u00a0»."
                    for n, s in drills
                )
            )
with tab_assigned:
    assigned = read(cohort_assignments, actor, cohort_id, default=[]) or []
    if not assigned:
        st.caption("Aucun exercice assigné à cette session.")
    for a in assigned:
        c = st.columns([4, 2, 1])
        c[0].markdown(f"**{plain(a.title)}** · {KIND_LABELS[a.kind]}")
        c[1].caption(f"à rendre le {fr_date(a.due_on)}" if a.due_on else "sans date limite")
        if c[2].button("Retirer", key=f"unassign:{a.id}"):
            attempt(unassign, actor, a.id, success="Exercice retiré de la session.", then_rerun=True)
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
