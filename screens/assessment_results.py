"""A trainee's results: one completed self-assessment, compared with the previous one."""

from __future__ import annotations

import streamlit as st

from training_modules import assessment
from training_modules import assessment_reports as reports
from training_modules.competences import framework
from ui.assessment_views import attempt_label, exercise_catalog, render_results
from ui.session import read, require_actor

actor = require_actor("trainee")
fw = framework()

st.title("Mes résultats")
history = read(assessment.list_attempts, actor, default=[]) or []
if not history:
    st.info("Vous n’avez pas encore terminé d’auto-évaluation : commencez-la depuis « Auto-évaluation ».")
    st.stop()

by_id = {a.id: a for a in history}
ids = [a.id for a in reversed(history)]
chosen = st.selectbox(
    "Auto-évaluation",
    ids,
    format_func=lambda i: attempt_label(by_id[i]),
    key="attempt",
    placeholder="Choisir une auto-évaluation",
)
view = by_id[chosen]
previous = assessment.previous_of(history, view.id)
averages = read(assessment.visible_averages, actor, default=[]) or []

exercises = exercise_catalog()
render_results(fw, view, previous, averages, exercises)

st.divider()
st.download_button(
    "Télécharger le rapport PDF",
    lambda: reports.attempt_pdf(view, previous, exercises),  # built on click: about half a second
    file_name=reports.pdf_file_name(view),
    mime="application/pdf",
    key="pdf",
)
