"""Trainer: the queue of submissions needing a human, grading with the rubric, releasing feedback."""

from __future__ import annotations

import streamlit as st

from training_modules.exercises import get_exercise
from training_modules.exercises.reviews import grade_submission, release_feedback, review_queue
from ui.exercises import fr_percent, render_answer, render_result
from ui.session import attempt, read, require_actor
from ui.text import plain
from workbench.cohorts import list_cohorts
from workbench.localtime import fr_datetime
from workbench.numbers import quantity

actor = require_actor("trainer")
st.title("Corrections")

cohorts = [c for c in (read(list_cohorts, actor, default=[]) or []) if c.trainer_id == actor.id]
names = {0: "Toutes mes sessions", **{c.id: c.name for c in cohorts}}
cohort_id = st.selectbox("Session", list(names), format_func=names.get, placeholder="Choisir une session")
optional = st.toggle(
    "Inclure les copies corrigées automatiquement à relecture facultative (publications, pages web)"
)
queue = read(review_queue, actor, cohort_id or None, include_optional=optional, default=[]) or []
if not queue:
    st.success("Aucune copie en attente\u00a0: tout est corrigé et publié.")
    st.stop()

to_grade = sum(q.status == "needs_review" for q in queue)
ready = sum(q.status == "graded" for q in queue)
st.caption(
    f"{quantity(to_grade, 'copie')} à corriger, {quantity(ready, 'retour prêt', 'retours prêts')} à publier."
)
labels = {q.id: f"{q.user_name} — {q.title} (tentative {q.attempt}) · {q.status_label}" for q in queue}
chosen = st.selectbox("Copie", list(labels), format_func=labels.get, placeholder="Choisir une copie")
sub = next(q for q in queue if q.id == chosen)
ex = get_exercise(sub.exercise_id)

st.subheader(f"{plain(sub.user_name)} · {plain(ex.title)}")
when = fr_datetime(sub.submitted_at, at=True, empty="")
st.caption(f"Rendu le {when} · score automatique {fr_percent(sub.auto_score)}")
with st.expander("Consigne"):
    st.markdown(ex.brief)
    if getattr(ex, "comment", None):
        st.markdown(f"Commentaire d’origine ({plain(ex.author)})\u00a0: {plain(ex.comment)}")
st.markdown("**Réponse de la personne**")
render_answer(ex, sub.answer)
if sub.result is not None:
    with st.expander("Vérifications automatiques", expanded=True):
        render_result(sub.result, title="Règles vérifiées automatiquement")

previous = sub.review
with st.form(f"review:{sub.id}"):
    st.markdown("**Grille du formateur**")
    points = []
    for i, criterion in enumerate(ex.rubric):
        default = previous.rubric_points[i] if previous and i < len(previous.rubric_points) else 0
        points.append(
            st.slider(
                plain(criterion.label), 0, criterion.max_points, value=default, key=f"rubric:{sub.id}:{i}"
            )
        )
    comment = st.text_area(
        "Commentaire pour la personne", value=previous.comment if previous else "", key=f"comment:{sub.id}"
    )
    if st.form_submit_button("Enregistrer la correction", type="primary") and attempt(
        grade_submission,
        actor,
        sub.id,
        rubric_points=points,
        comment=comment,
        success="Correction enregistrée.",
    ):
        st.rerun()
if sub.status == "graded":
    st.info(
        f"Corrigé\u00a0: {fr_percent(previous.score if previous else None)}. La personne ne le voit pas encore."
    )
    publish = st.button("Publier le retour", type="primary", icon=":material/send:")
    if publish and attempt(
        release_feedback, actor, sub.id, success="Retour publié\u00a0: la personne peut le lire."
    ):
        st.rerun()
