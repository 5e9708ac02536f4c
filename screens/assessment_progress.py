"""A trainee's progress: history of attempts, first vs latest, calibration and their data."""

from __future__ import annotations

import streamlit as st

from training_modules import assessment, calibration
from training_modules import assessment_reports as reports
from training_modules.competences import framework
from ui import assessment_charts as charts
from ui.assessment_views import attempt_label, scores_of
from ui.charts import chart
from ui.session import read, require_actor
from ui.tables import people_table

actor = require_actor("trainee")
fw = framework()

st.title("Ma progression")
history = read(assessment.list_attempts, actor, default=[]) or []

history_tab, compare_tab, calibration_tab, data_tab = st.tabs(
    ["Historique", "Première et dernière", "Calibration", "Mes données"]
)

with history_tab:
    if not history:
        st.info("Terminez une première auto-évaluation pour suivre votre progression ici.")
    else:
        chart(
            charts.progress(fw, [(a.completed_at, scores_of(a)) for a in history if a.completed_at]),
            key="progress",
        )
        table = [
            {"Terminée le": attempt_label(a)} | {c.name: scores_of(a).get(c.id) for c in fw.competences}
            for a in reversed(history)
        ]
        st.dataframe(people_table(table), hide_index=True)

with compare_tab:
    if len(history) < 2:
        st.info("La comparaison apparaîtra après votre deuxième auto-évaluation terminée.")
    else:
        first, latest = history[0], history[-1]
        chart(
            charts.radar(
                fw,
                [
                    (f"Dernière ({attempt_label(latest)})", scores_of(latest)),
                    (f"Première ({attempt_label(first)})", scores_of(first)),
                ],
            ),
            key="compare",
        )
        old, new = scores_of(first), scores_of(latest)
        rows = []
        for comp in fw.competences:
            a, b = old.get(comp.id), new.get(comp.id)
            rows.append(
                {
                    "Compétence": comp.name,
                    "Première": a,
                    "Dernière": b,
                    "Évolution": None if a is None or b is None else round(b - a, 1),
                }
            )
        st.dataframe(people_table(rows, signed={"Évolution"}), hide_index=True)
        gains = [r for r in rows if r["Évolution"] is not None and r["Évolution"] > 0]
        if gains:
            best = max(gains, key=lambda r: r["Évolution"])
            st.success(f"Plus forte progression : {best['Compétence']} ({best['Évolution']:+.0f} points).")

with calibration_tab:
    st.write(
        "La calibration compare votre auto-évaluation (la partie « affirmations » de votre dernière "
        "auto-évaluation) à vos résultats mesurés dans les exercices, compétence par compétence."
    )
    latest_self = (
        {cid: s.self_score for cid, s in history[-1].report.scores.items()}
        if history and history[-1].report
        else {}
    )
    rows = read(calibration.calibration, actor, actor.id, latest_self, default=[]) or []
    measured = [r for r in rows if r.measured is not None]
    if not history:
        st.info("Terminez une auto-évaluation pour comparer votre ressenti à vos résultats.")
    elif not measured:
        st.info(
            "Pas encore de résultats d’exercices notés : la calibration s’affichera dès que vos premiers "
            "exercices auront été corrigés."
        )
    else:
        chart(charts.calibration_bars(rows), key="calibration")
        st.dataframe(
            people_table(
                [
                    {
                        "Compétence": r.name,
                        "Auto-évaluation": r.self_rating,
                        "Exercices": r.measured,
                        "Écart": r.gap,
                        "Lecture": r.reading,
                    }
                    for r in rows
                ],
                signed={"Écart"},
            ),
            hide_index=True,
        )
        st.caption(
            f"« Cohérent » : moins de {calibration.WELL_CALIBRATED:.0f} points d’écart. Un écart n’est pas une "
            "faute : c’est une piste de discussion avec votre formateur."
        )

with data_tab:
    st.write(
        "Toutes vos réponses, vos niveaux de mission et vos scores, au format CSV (séparateur « ; », "
        "lisible dans un tableur)."
    )
    data = read(reports.own_data_csv, actor)
    if data is not None:
        st.download_button(
            "Télécharger mes données (CSV)",
            data,
            file_name="mes-auto-évaluations.csv",
            mime="text/csv",
            key="csv",
        )
