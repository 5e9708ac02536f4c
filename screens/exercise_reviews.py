"""Trainer: every handed-in attempt read whole with its automatic checks; grading with the rubric's
levels (or a comment alone, which leaves the automatic score standing); releasing feedback."""

from __future__ import annotations

import streamlit as st

from training_modules.exercises.reviews import grade_submission, release_feedback, review_queue
from ui.exercises import brief_markdown, fr_percent, render_answer, render_result
from ui.session import attempt, read, require_actor
from ui.text import plain
from workbench.cohorts import list_cohorts
from workbench.localtime import fr_datetime
from workbench.numbers import quantity

NOT_GRADED = None  # a criterion left untouched: nothing is recorded for it

actor = require_actor("trainer")
st.title("Corrections")

cohorts = [c for c in (read(list_cohorts, actor, default=[]) or []) if c.trainer_id == actor.id]
names = {0: "Toutes mes sessions", **{c.id: c.name for c in cohorts}}
cohort_id = st.selectbox("Session", list(names), format_func=names.get, placeholder="Choisir une session")
scopes = {
    "review": "À corriger ou à publier",
    "optional": "Avec les relectures facultatives (publications, pages web)",
    "all": "Toutes les copies rendues, tous types d’exercices",
}
scope = st.radio("Copies", list(scopes), format_func=scopes.get, horizontal=True, key="review_scope")
queue = (
    read(
        review_queue,
        actor,
        cohort_id or None,
        include_optional=scope == "optional",
        include_all=scope == "all",
        default=[],
    )
    or []
)
if not queue:
    st.success(
        "Aucune copie rendue pour le moment."
        if scope == "all"
        else "Aucune copie en attente\u00a0: tout est corrigé et publié."
    )
    st.stop()

to_grade = sum(q.status == "needs_review" for q in queue)
ready = sum(q.status == "graded" for q in queue)
st.caption(
    f"{quantity(to_grade, 'copie')} à corriger, {quantity(ready, 'retour prêt', 'retours prêts')} à publier."
)
labels = {q.id: f"{q.user_name} — {q.title} (tentative {q.attempt}) · {q.status_label}" for q in queue}
chosen = st.selectbox(
    "Copie", list(labels), format_func=labels.get, placeholder="Choisir une copie", key="review_copy"
)
sub = next((q for q in queue if q.id == chosen), queue[0])
ex = sub.exercise  # the version the work was done on

st.subheader(f"{plain(sub.user_name)} · {plain(ex.title)}")
when = fr_datetime(sub.submitted_at, at=True, empty="")
st.caption(f"Rendu le {when} · score automatique {fr_percent(sub.auto_score)}")
with st.expander("Consigne"):
    st.markdown(brief_markdown(ex))
    if getattr(ex, "comment", None):
        st.markdown(f"Commentaire d’origine ({plain(ex.author)})\u00a0: {plain(ex.comment)}")
answer_col, checks_col = st.columns(2)
with answer_col:
    st.markdown("**Réponse de la personne**")
    render_answer(ex, sub.answer, user_id=sub.user_id)
with checks_col:
    if sub.result is not None:
        with st.expander("Vérifications automatiques", expanded=True):
            render_result(sub.result, title="Règles vérifiées automatiquement")

previous = sub.review
if sub.status == "feedback_released":
    st.info(
        f"Retour publié · note finale {fr_percent(sub.final_score)}. "
        f"Commentaire\u00a0: {plain(previous.comment if previous else '')}"
    )
    st.stop()

with st.form(f"review:{sub.id}"):
    if ex.rubric:
        st.markdown("**Grille du formateur**")
        st.caption(
            "Choisissez un niveau par critère. Sans aucun niveau choisi, seul le commentaire est "
            "enregistré et le score automatique reste la note."
        )
    points = []
    for i, criterion in enumerate(ex.rubric):
        levels = {lv.points: lv.description for lv in criterion.levels}
        before = previous.rubric_points[i] if previous and i < len(previous.rubric_points) else NOT_GRADED
        options = [NOT_GRADED, *levels]
        points.append(
            st.radio(
                f"{plain(criterion.label)} (sur {criterion.max_points})",
                options,
                index=options.index(before) if before in options else 0,
                format_func=lambda p, levels=levels: (
                    "Non noté" if p is None else f"{quantity(p, 'pt')} — {levels[p]}"
                ),
                key=f"rubric:{sub.id}:{i}",
            )
        )
    comment = st.text_area(
        "Commentaire pour la personne", value=previous.comment if previous else "", key=f"comment:{sub.id}"
    )
    if st.form_submit_button("Enregistrer la correction", type="primary"):
        attempt(
            grade_submission,
            actor,
            sub.id,
            rubric_points=points,
            comment=comment,
            success="Correction enregistrée.",
            then_rerun=True,
        )
if sub.status == "graded" and previous is not None:
    if previous.score is None:
        st.info(
            f"Commentaire enregistré sans grille\u00a0: le score automatique ({fr_percent(sub.auto_score)}) "
            "reste la note. La personne ne le voit pas encore."
        )
    else:
        st.info(f"Corrigé\u00a0: {fr_percent(previous.score)}. La personne ne le voit pas encore.")
    publish = st.button("Publier le retour", type="primary", icon=":material/send:")
    if publish:
        attempt(
            release_feedback,
            actor,
            sub.id,
            success="Retour publié\u00a0: la personne peut le lire.",
            then_rerun=True,
        )
