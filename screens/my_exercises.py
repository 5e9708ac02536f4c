"""« Mes exercices »: what the trainee was given, doing an exercise, attempts and feedback."""

from __future__ import annotations

import streamlit as st

from training_modules.exercises import load_exercises
from training_modules.exercises.live import answer_live, my_turn, running_lives
from training_modules.exercises.schema import KIND_LABELS
from training_modules.exercises.submissions import (
    MyExercise,
    attempts,
    get_draft,
    get_submission,
    my_exercises,
)
from training_modules.library import exercise_entry
from ui.exercises import (
    crisis_choice,
    crisis_taken,
    fr_percent,
    render_answer,
    render_result,
    render_review,
    workspace,
)
from ui.session import attempt, read, require_actor
from ui.text import plain, quoted
from workbench.localtime import fr_date, fr_datetime
from workbench.numbers import fr_number, quantity

actor = require_actor("trainee")
state = st.session_state


# What is open, also named in the address (?exercice=<id>, ?copie=<n>, ?crise=<n>): a reload or a
# lost connection (a new session) opens it again, and the work saved as typed is found there.
VIEWS = {"open_exercise": "exercice", "open_submission": "copie", "live_id": "crise"}
# The copy an open exercise has just been handed in as (?exercice=<id>&rendu=<n>): a reload shows
# that copy, not a new attempt of the exercise.
HANDED_IN = "rendu"
CATALOGUE = "catalogue"  # the catalogue's select box


def _forget() -> None:
    for key in (*VIEWS, "resumed", HANDED_IN):
        state.pop(key, None)


def show(view: str, value: str | int) -> None:
    _forget()
    state[view] = value
    st.query_params.from_dict({VIEWS[view]: str(value)})


def open_from_catalogue() -> None:
    """The exercise chosen in the catalogue opens; the choice is emptied for the next visit."""
    chosen = state.get(CATALOGUE)
    state[CATALOGUE] = None
    if chosen:
        show("open_exercise", chosen)


def close() -> None:
    _forget()
    st.query_params.clear()


def follow_address() -> None:
    """The address and the session agree on what is open (the session wins once it knows)."""
    opened = next((key for key in VIEWS if state.get(key)), None)
    if opened is not None:
        wanted = {VIEWS[opened]: str(state[opened])}
        if opened == "open_exercise" and state.get(HANDED_IN):
            wanted[HANDED_IN] = str(state[HANDED_IN])
        if st.query_params.to_dict() != wanted:
            st.query_params.from_dict(wanted)
        return
    if st.query_params.get(HANDED_IN, "").isdigit():
        state["open_submission"] = int(st.query_params[HANDED_IN])
        return
    for key, param in VIEWS.items():
        value = st.query_params.get(param, "")
        if key == "open_exercise" and value:
            state[key] = value
        elif value.isdigit():
            state[key] = int(value)


follow_address()


def live_panel(live_id: int) -> None:
    st.button("← Mes exercices", on_click=close)

    @st.fragment(run_every=4)
    def panel() -> None:
        turn = read(my_turn, actor, live_id)
        if turn is None:
            return
        st.header(f"Crise en direct\u00a0: {quoted(plain(turn.live.title))}")
        st.caption(
            f"Événement {turn.live.released_round} sur {turn.live.max_rounds} diffusé par le formateur."
        )
        crisis_taken(turn.taken)
        if turn.finished:
            st.success(
                "Vous avez terminé le scénario\u00a0: votre parcours est rendu. Le débrief est dans votre historique."
            )
        elif turn.live.ended:
            st.info("Le formateur a clos la crise en direct.")
        elif turn.waiting:
            st.info("En attente de l’événement suivant… La page se met à jour toute seule.")
        elif turn.current is not None:
            step = turn.current
            with st.container(border=True):
                choice = crisis_choice(step, key=f"live:{step.id}")
                if st.button(
                    "Décider", type="primary", disabled=choice is None, key=f"live-decide:{step.id}"
                ):
                    attempt(
                        answer_live, actor, live_id, choice, success="Décision enregistrée.", then_rerun=True
                    )

    panel()


def submission_panel(submission_id: int) -> None:
    st.button("← Mes exercices", on_click=close)
    sub = read(get_submission, actor, submission_id)
    if sub is None:
        return
    ex = sub.exercise  # the version the work was done on
    st.header(plain(ex.title))
    st.caption(f"Tentative {sub.attempt} · {sub.status_label}")
    render_review(sub, ex.rubric)
    if sub.result is not None:
        render_result(sub.result)
    with st.expander("Votre réponse"):
        render_answer(ex, sub.answer, user_id=sub.user_id)


def exercise_panel(exercise_id: str) -> None:
    st.button("← Mes exercices", on_click=close)
    entry = read(exercise_entry, actor, exercise_id)  # a trainer-made one only once assigned
    if entry is None:
        return
    draft = read(get_draft, actor, exercise_id)
    ex = draft.exercise if draft else entry.exercise  # a draft goes on with its version
    resumed = state.setdefault("resumed", draft.attempt if draft else None)
    if resumed is not None and draft is not None:
        st.caption(f"Brouillon repris (tentative {resumed}).")
    handed_in = workspace(ex, actor, draft.answer if draft else None)
    if handed_in is not None:
        state[HANDED_IN] = handed_in.id
    else:
        state.pop(HANDED_IN, None)
    follow_address()  # the hand-in (or « Rejouer ») of this run is in the address at once
    history = [
        h
        for h in (read(attempts, actor, actor.id, exercise_id, default=[]) or [])
        if h.status != "in_progress"
    ]
    if history:
        st.subheader("Mes tentatives")
        for h in history:
            row = st.container(horizontal=True, vertical_alignment="center")
            when = fr_datetime(h.submitted_at, empty="")
            row.markdown(f"Tentative {h.attempt} · {when} — {h.status_label} · {fr_percent(h.final_score)}")
            row.button("Détail", key=f"detail:{h.id}", on_click=show, args=("open_submission", h.id))


if state.get("live_id"):
    live_panel(state["live_id"])
    st.stop()
if state.get("open_submission"):
    submission_panel(state["open_submission"])
    st.stop()
if state.get("open_exercise"):
    exercise_panel(state["open_exercise"])
    st.stop()

st.title("Mes exercices")
for live in read(running_lives, actor, default=[]) or []:
    with st.container(border=True):
        st.warning(
            f"Crise en direct en cours\u00a0: {quoted(plain(live.title))}. Rejoignez votre groupe\u202f!"
        )
        if st.button("Rejoindre la crise en direct", key=f"join:{live.id}", type="primary"):
            show("live_id", live.id)
            st.rerun()

rows = read(my_exercises, actor, default=[]) or []
groups = {
    "assigned": "À faire",
    "in_progress": "En cours",
    "submitted": "Rendus",
    "feedback": "Retours reçus",
}


def in_tab(r: MyExercise, state_id: str) -> bool:
    """« Retours reçus » holds every exercise with a published feedback, even one tried again since."""
    return r.feedback_id is not None if state_id == "feedback" else r.state == state_id


tabs = st.tabs(  # markdown: the page's own labels and counts
    [f"{label} ({sum(in_tab(r, k) for r in rows)})" for k, label in groups.items()]
    + ["Catalogue", "Historique"]
)
for tab, (state_id, _label) in zip(tabs, groups.items(), strict=False):
    with tab:
        mine = [r for r in rows if in_tab(r, state_id)]
        if not mine:
            st.caption("Rien ici pour le moment.")
        for r in mine:
            with st.container(border=True):
                cols = st.columns([4, 2, 1])
                cols[0].markdown(f"**{plain(r.title)}**  \n{KIND_LABELS[r.kind]}")
                bits = []
                if r.due_on:
                    bits.append(("En retard · " if r.overdue else "") + f"à rendre le {fr_date(r.due_on)}")
                if r.last_score is not None:
                    bits.append(f"dernier score {fr_number(r.last_score)}\u202f%")
                if r.attempts:
                    bits.append(quantity(r.attempts, "tentative"))
                cols[1].caption(" · ".join(bits) or plain(r.cohort_name))
                if state_id == "feedback" and r.feedback_id is not None:
                    cols[2].button(
                        "Lire le retour",
                        key=f"fb:{r.exercise_id}",
                        on_click=show,
                        args=("open_submission", r.feedback_id),
                    )
                verb = {"assigned": "Commencer", "in_progress": "Continuer"}.get(state_id, "Refaire")
                cols[2].button(
                    verb,
                    key=f"open:{state_id}:{r.exercise_id}",
                    on_click=show,
                    args=("open_exercise", r.exercise_id),
                )
with tabs[-2]:
    st.caption(
        "Entraînez-vous librement\u00a0: chaque exercice rendu compte dans votre historique. "
        "Choisissez un exercice pour l’ouvrir (tapez quelques lettres de son titre pour le trouver)."
    )
    catalog = load_exercises()
    kinds = st.multiselect(
        "Types",
        list(KIND_LABELS),
        format_func=KIND_LABELS.get,
        placeholder="Tous les types",
        select_all=False,
    )
    offered = [ex.id for ex in catalog.values() if not kinds or ex.kind in kinds]
    st.selectbox(  # one widget for the whole catalogue: it is drawn on every run of the page
        "Exercice",
        offered,
        index=None,
        format_func=lambda i: (
            f"{catalog[i].title} · {KIND_LABELS[catalog[i].kind]} · {catalog[i].duration_minutes}\u00a0min"
        ),
        key=CATALOGUE,
        placeholder=f"Choisir parmi {quantity(len(offered), 'exercice')}",
        on_change=open_from_catalogue,
    )
with tabs[-1]:
    history = [h for h in (read(attempts, actor, actor.id, default=[]) or []) if h.status != "in_progress"]
    if not history:
        st.caption("Aucune tentative rendue pour l’instant.")
    for h in history:
        row = st.container(horizontal=True, vertical_alignment="center")
        when = fr_datetime(h.submitted_at, empty="")
        row.markdown(
            f"**{plain(h.title)}** · tentative {h.attempt}  \n{when} — {h.status_label} · {fr_percent(h.final_score)}"
        )
        row.button("Détail", key=f"hist:{h.id}", on_click=show, args=("open_submission", h.id))
