"""Streamlit pieces of the self-assessment shared by the trainee's and the trainer's pages."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from training_modules.assessment import AttemptView, CohortAverage
from training_modules.catalog import exercise_entries
from training_modules.competences import Framework, SituationalItem
from training_modules.recommendations import JudgementFeedback, judgement_feedback, recommend
from training_modules.scoring import NOT_SCORED, levels_sentence, scoring_rule
from ui import assessment_charts as charts
from ui.charts import chart
from ui.tables import people_table
from ui.text import link, plain, quoted
from workbench.localtime import fr_datetime
from workbench.numbers import quantity

log = logging.getLogger("atelier.ui")


def exercise_catalog() -> list[dict[str, Any]]:
    """The exercises to recommend; an unavailable catalog only hides the exercise suggestions."""
    try:
        return exercise_entries()
    except Exception:
        log.exception("exercise catalog unavailable")
        st.info(
            "Le catalogue d’exercices n’est pas disponible pour le moment : seules les ressources sont proposées."
        )
        return []


def situation(item: SituationalItem, seed: int, chosen: str | None, *, key: str) -> str | None:
    """One situational item as a trainee answers it: its scenario, then its question with the options
    shuffled for ``seed`` (the attempt's id: the same order on every rerun); the option id chosen."""
    st.markdown(f"**{plain(item.title)}** — {plain(item.scenario)}")
    shown = item.options_for(seed)
    texts = {o.id: plain(o.text) for o in shown}
    ids = [o.id for o in shown]
    return st.radio(
        plain(item.question),
        ids,
        index=ids.index(chosen) if chosen in ids else None,
        format_func=texts.__getitem__,
        key=key,
    )


def attempt_label(view: AttemptView) -> str:
    when = fr_datetime(view.completed_at) if view.completed_at else "en cours"
    return f"{when}" + (f" — {view.campaign_name}" if view.campaign_name else "")


def scores_of(view: AttemptView | None) -> dict[str, float | None]:
    if view is None or view.report is None:
        return {}
    return {cid: s.score for cid, s in view.report.scores.items()}


def levels_help(who: str | None = None) -> str:
    """How a score is made; ``who``: the trainee's name when a trainer reads (third person)."""
    return (
        f"{scoring_rule(None if who is None else plain(who))} {levels_sentence()} Une compétence dont moins "
        f"de la moitié des questions ont une réponse est «\u00a0{NOT_SCORED}\u00a0»."
    )


def scores_rows(fw: Framework, view: AttemptView, previous: AttemptView | None) -> list[dict[str, Any]]:
    assert view.report is not None
    old = scores_of(previous)
    rows = []
    for comp in fw.competences:
        s = view.report.scores[comp.id]
        delta = None
        if s.score is not None and old.get(comp.id) is not None:
            delta = round(s.score - old[comp.id], 1)  # type: ignore[operator]
        rows.append(
            {
                "Compétence": comp.name,
                "Score": s.score,
                "Niveau": s.level_label
                + (" (réponses partielles)" if s.partial and s.score is not None else "")
                + (" — plafonné" if s.capped else ""),
                "Affirmations": s.self_score,
                "Mises en situation": s.judgement_score,
                "Évolution": delta,
            }
        )
    return rows


def _columns(rows: Sequence[dict[str, Any]], *names: str) -> list[dict[str, Any]]:
    return [{name: row[name] for name in names} for row in rows]


def render_results(
    fw: Framework,
    view: AttemptView,
    previous: AttemptView | None = None,
    averages: Sequence[CohortAverage] = (),
    exercises: Sequence[dict[str, Any]] = (),
    key: str = "results",
    who: str | None = None,
) -> None:
    """Scores, radar (previous attempt and allowed cohort averages overlaid), advice and explanations.

    ``who``: the trainee's name when their trainer reads (« les réponses d’Alice », « Sa réponse »);
    ``None`` for the trainee themself (« vos réponses », « Votre réponse »).
    """
    report = view.report
    if report is None:
        st.info("Cette auto-évaluation n’a pas encore de résultats.")
        return
    series: list[tuple[str, dict[str, float | None]]] = [
        (f"Auto-évaluation du {attempt_label(view)}", scores_of(view))
    ]
    if previous is not None:
        series.append((f"Précédente ({attempt_label(previous)})", scores_of(previous)))
    for avg in averages:
        if avg.means:
            series.append((f"Moyenne anonyme — {avg.cohort_name}", dict(avg.means)))
    table = scores_rows(fw, view, previous)
    left, right = st.columns([1, 1])
    with left:
        chart(charts.radar(fw, series), key=f"{key}-radar")
    with right:
        st.dataframe(
            people_table(_columns(table, "Compétence", "Score", "Niveau", "Évolution"), signed={"Évolution"}),
            hide_index=True,
        )
        st.caption(levels_help(who))
        with st.popover("Détail du calcul"):
            st.dataframe(
                people_table(_columns(table, "Compétence", "Affirmations", "Mises en situation", "Score")),
                hide_index=True,
            )
    capped = [plain(fw.competence(cid).name) for cid, s in report.scores.items() if s.capped]
    if capped:
        st.info(
            "Score plafonné pour "
            + ", ".join(f"«\u00a0{escaped}\u00a0»" for escaped in capped)
            + "\u00a0: l’auto-évaluation y dépasse ce que montrent les mises en situation et les exercices. "
            "Le niveau retenu est celui que ces réponses confirment."
        )
    for avg in averages:
        if not avg.means:
            st.caption(
                f"Moyenne de {quoted(plain(avg.cohort_name))} : elle s’affichera quand au moins trois personnes auront "
                "terminé leur auto-évaluation (pour qu’elle reste anonyme)."
            )

    strengths, priorities = st.columns(2)
    with strengths:
        st.subheader("Points forts")
        if report.strengths:
            for cid in report.strengths:
                st.markdown(f"- **{plain(fw.competence(cid).name)}** — {report.scores[cid].score:.0f}/100")
        else:
            st.write("Pas encore de compétence à 60 ou plus : les priorités sont un bon point de départ.")
    with priorities:
        st.subheader("Priorités")
        if not report.priorities:
            st.write("Aucune priorité\u00a0: chaque compétence évaluée est au moins «\u00a0Maîtrisé\u00a0».")
        for cid in report.priorities:
            s = report.scores[cid]
            st.markdown(f"- **{plain(fw.competence(cid).name)}** — {s.score:.0f}/100, {s.level_label}")

    st.subheader("Pour progresser")
    if not report.priorities:
        st.write(
            "Pas de ressource imposée\u00a0: les exercices du catalogue permettent d’aller vers «\u00a0Expert\u00a0» "
            "sur les compétences de son choix."
        )
    for rec in recommend(fw, report, exercises):
        parts = [f"**{plain(rec.competence_name)}** — {plain(fw.competence(rec.competence_id).summary)}"]
        if rec.resources:
            parts.append(
                "\n".join(
                    f"- {link(r.title, r.url)}" + (f" — {plain(r.publisher)}" if r.publisher else "")
                    for r in rec.resources
                )
            )
        if rec.exercises:
            parts.append(
                "Exercices conseillés : "
                + ", ".join(quoted(e.get("title") or e["id"]) for e in rec.exercises)
            )
        st.container(border=True).markdown("\n\n".join(parts))  # one element per competence

    st.subheader("Mises en situation : ce qu’aurait fait un CM expérimenté")
    feedback = judgement_feedback(view.content, view.choices)  # the items at the version answered
    for comp in fw.competences:
        items = [fb for fb in feedback if fb.competence_id == comp.id]
        good = sum(fb.is_best for fb in items)
        with st.expander(
            f"{plain(comp.name)} — {good}/{quantity(len(items), 'meilleure réponse', 'meilleures réponses')}"
        ):
            st.markdown("\n\n".join(_situation_feedback(fb, who) for fb in items))

    if view.missions:
        st.subheader("Missions : niveau de maîtrise déclaré")
        st.dataframe(
            pd.DataFrame(
                [
                    {"Mission": m.name, "Niveau": fw.mastery_label(view.missions[m.id])}
                    for m in fw.missions
                    if m.id in view.missions
                ]
            ),
            hide_index=True,
        )


def _situation_feedback(fb: JudgementFeedback, who: str | None) -> str:
    """One situation's feedback as Markdown: the scenario, the answer given (green when it is the
    best, orange otherwise), the expert's answer when it differs, the explanation. A competence's
    situations make one block: one element, not four per situation."""
    chosen = plain(fb.chosen.quoted) if fb.chosen else "pas de réponse"
    answer = f"{'Votre réponse' if who is None else 'Sa réponse'}\u00a0: {chosen}"
    lines = [
        f"**{plain(fb.item.title)}** — {plain(fb.item.scenario)}",
        f":green-background[:material/check: {answer}]"
        if fb.is_best
        else f":orange-background[:material/close: {answer}]",
    ]
    if not fb.is_best:
        lines.append(f"Réponse d’un CM expérimenté\u00a0: {plain(fb.best.quoted)}")
    lines.append(f":gray[{plain(fb.item.explanation)}]")
    return "  \n".join(lines)
