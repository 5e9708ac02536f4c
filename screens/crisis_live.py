"""Trainer: run a crisis scenario live with the whole cohort, watch each trainee's choices and
response times, and read the results of the crises already over."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from training_modules.exercises.live import (
    LiveState,
    end_live,
    ended_lives,
    live_state,
    release_next,
    running_lives,
    start_live,
)
from training_modules.library import assignable_exercises
from ui.session import attempt, read, require_actor
from ui.tables import people_table
from ui.text import plain
from workbench.cohorts import list_cohorts
from workbench.localtime import fr_datetime, fr_time
from workbench.numbers import fr_int, fr_number

actor = require_actor("trainer")
st.title("Crise en direct")
st.caption(
    "Vous diffusez les événements du scénario à toute la session en même temps\u202f; chaque stagiaire voit l’étape "
    "où ses choix l’ont mené·e, et son temps de réaction est mesuré depuis la diffusion."
)


def results(state: LiveState) -> None:
    """Metrics and one line per trainee: the option chosen at each step, its points and the time taken."""
    cols = st.columns(3)
    cols[0].metric("Événements diffusés", f"{state.released_round} / {state.max_rounds}")
    cols[1].metric("Stagiaires ayant terminé", f"{sum(r.finished for r in state.rows)} / {len(state.rows)}")
    times = [t for r in state.rows for t in r.response_seconds]
    cols[2].metric(
        "Temps de réaction moyen", f"{fr_int(round(sum(times) / len(times)))}\u00a0s" if times else "—"
    )
    if state.releases:
        st.caption(
            "Diffusions\u00a0: "
            + " · ".join(f"n° {i} à {fr_time(t, seconds=True)}" for i, t in enumerate(state.releases, 1))
        )
    table = pd.DataFrame(
        [
            {
                "Stagiaire": r.name,
                "Réponses": r.answered_rounds,
                **{
                    f"Étape {i}": f"{d.step}\u00a0: {d.choice} ({d.points} / {d.best_points} pts, "
                    f"{fr_number(d.seconds)}\u00a0s)"
                    for i, d in enumerate(r.decisions, 1)
                },
                "Terminé": "oui" if r.finished else "non",
            }
            for r in state.rows
        ]
    )
    st.dataframe(people_table(table), hide_index=True)


running = read(running_lives, actor, default=[]) or []
if running:
    live = running[0]

    @st.fragment(run_every=5)
    def dashboard() -> None:
        state = read(live_state, actor, live.id)
        if state is not None:
            st.subheader(plain(state.title))
            results(state)

    dashboard()
    cols = st.columns(2)
    if cols[0].button("Diffuser l’événement suivant", type="primary", icon=":material/skip_next:"):
        attempt(
            release_next, actor, live.id, success="Événement diffusé à toute la session.", then_rerun=True
        )
    if cols[1].button("Terminer la crise", icon=":material/stop_circle:"):
        attempt(
            end_live,
            actor,
            live.id,
            success="Crise terminée\u00a0: ses résultats restent ci-dessous.",
            then_rerun=True,
        )
else:
    cohorts = [
        c for c in (read(list_cohorts, actor, default=[]) or []) if c.trainer_id == actor.id and not c.closed
    ]
    crises = {
        e.exercise.id: e.exercise.title
        for e in read(assignable_exercises, actor, default=[]) or []
        if e.exercise.kind == "crisis"
    }
    if not cohorts:
        st.info("Créez d’abord une session de formation.")
    else:
        names = {c.id: c.name for c in cohorts}
        cohort_id = st.selectbox(
            "Session", list(names), format_func=names.get, placeholder="Choisir une session"
        )
        exercise_id = st.selectbox(
            "Scénario", list(crises), format_func=crises.get, placeholder="Choisir un scénario"
        )
        opened = st.button("Ouvrir la crise en direct", type="primary", icon=":material/campaign:")
        if opened:
            attempt(
                start_live,
                actor,
                cohort_id=cohort_id,
                exercise_id=exercise_id,
                success="Crise ouverte.",
                then_rerun=True,
            )

past = read(ended_lives, actor, default=[]) or []
if past:
    st.subheader("Crises terminées")
    shown = {
        p.id: f"{p.title} — terminée le {fr_datetime(p.ended_at, at=True)}" if p.ended_at else p.title
        for p in past
    }
    chosen = st.selectbox(
        "Crise", list(shown), format_func=shown.get, key="ended_live", placeholder="Choisir une crise"
    )
    results(next(p for p in past if p.id == chosen))
