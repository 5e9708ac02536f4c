"""Home: where the person stands — watch, training, cohorts — with a link to each place."""

from __future__ import annotations

import streamlit as st

from curation.boards import list_my_boards
from curation.demo import ensure_starter_subscriptions
from curation.visibility import EntryFilters
from curation.wall import wall
from training_modules.assessment import in_progress, list_attempts
from training_modules.exercises.reviews import review_queue
from training_modules.exercises.submissions import my_exercises
from ui.session import attempt, read, require_actor
from ui.text import plain
from workbench.cohorts import list_cohorts, members
from workbench.localtime import fr_date
from workbench.numbers import fr_int, quantity

actor = require_actor()
st.title(f"Bonjour {plain(actor.display_name)}")
if "starter_checked" not in st.session_state:  # the first page seen: the demo feeds counted at once
    attempt(ensure_starter_subscriptions, actor)
    st.session_state["starter_checked"] = True


def _unread_stories(session, who) -> int:
    return wall(session, who, EntryFilters(read=False), per_page=1).total


watch, training = st.columns(2)
with watch.container(border=True):
    st.subheader("Veille")
    unread = read(_unread_stories, actor, default=0) or 0
    boards = read(list_my_boards, actor, default=[]) or []
    c1, c2 = st.columns(2)
    c1.metric("Sujets non lus", fr_int(unread))
    c2.metric("Mes tableaux", len(boards))
    st.page_link("screens/wall.py", label="Ouvrir le mur", icon=":material/dashboard:")
    st.page_link("screens/boards.py", label="Voir mes épingles", icon=":material/push_pin:")

with training.container(border=True):
    st.subheader("Formation")
    if actor.is_trainer:
        queue = read(review_queue, actor, default=[]) or []
        st.metric("Rendus à corriger", len(queue))
        st.page_link(
            "screens/exercise_reviews.py", label="Corriger les copies", icon=":material/rate_review:"
        )
        st.page_link(
            "screens/assessment_cohort.py", label="Voir où en est la session", icon=":material/grid_on:"
        )
    else:
        exercises = read(my_exercises, actor, default=[]) or []
        todo = [e for e in exercises if e.state in ("assigned", "in_progress")]
        feedback = [e for e in exercises if e.feedback_id is not None]
        c1, c2 = st.columns(2)
        c1.metric("Exercices à faire", len(todo), help="assignés ou commencés")
        c2.metric("Retours reçus", len(feedback))
        if overdue := [e for e in todo if e.overdue]:
            st.warning(
                f"{quantity(len(overdue), 'exercice')} en retard\u00a0: {plain(', '.join(e.title for e in overdue))}."
            )
        st.page_link(
            "screens/my_exercises.py", label="Voir les exercices à faire", icon=":material/assignment:"
        )
        if read(in_progress, actor) is not None:
            st.page_link(
                "screens/assessment_take.py",
                label="Reprendre mon questionnaire",
                icon=":material/play_arrow:",
            )
        elif any(a.completed_at for a in read(list_attempts, actor, default=[]) or []):
            st.page_link(
                "screens/assessment_results.py",
                label="Résultats de mon dernier questionnaire",
                icon=":material/radar:",
            )
        else:
            st.page_link(
                "screens/assessment_take.py",
                label="Répondre au questionnaire (20 minutes environ)",
                icon=":material/checklist:",
            )

cohorts = read(list_cohorts, actor, default=[]) or []
st.subheader("Vos sessions de formation")
if not cohorts:
    if actor.is_trainer:
        st.info("Vous n’avez pas encore de session. Créez-en une dans «\u00a0Sessions de formation\u00a0».")
        st.page_link("screens/cohorts.py", label="Créer une session", icon=":material/group_add:")
    else:
        st.info(
            "Vous ne faites partie d’aucune session active. Saisissez un code dans «\u00a0Mon compte\u00a0»."
        )
for cohort in cohorts:
    people = read(members, actor, cohort.id, default=[]) or []
    active = sum(1 for m in people if m.active)
    with st.container(border=True):
        if actor.is_trainer:
            st.markdown(f"**{plain(cohort.name)}** {'· close' if cohort.closed else ''}")
            cols = st.columns(3)
            cols[0].metric("Stagiaires actifs", active)
            cols[1].metric("Code de session", cohort.join_code)
            dates = " → ".join(fr_date(d) for d in (cohort.starts_on, cohort.ends_on) if d)
            cols[2].metric("Dates", dates or "—")
        else:
            st.markdown(f"**{plain(cohort.name)}** — formateur·rice\u00a0: {plain(cohort.trainer_name)}")
            st.caption(f"{quantity(active, 'stagiaire')} dans la session")
