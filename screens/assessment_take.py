"""Take the self-assessment in short steps: one competence per step, then the missions, then finish."""

from __future__ import annotations

import streamlit as st

from training_modules import assessment
from training_modules.competences import framework
from ui.assessment_views import exercise_catalog, render_results, situation
from ui.session import attempt, read, require_actor
from ui.text import plain

actor = require_actor("trainee")
fw = framework()
DONE_KEY = "assessment_just_completed"

st.title("Auto-évaluation des compétences")

current = read(assessment.in_progress, actor)
steps = [c.name for c in fw.competences] + ["Missions", "Terminer"]
MISSIONS_STEP, FINISH_STEP = len(fw.competences), len(fw.competences) + 1


def start(campaign_id: int | None) -> None:
    """In the click's callback: the page then runs once, on the first step."""
    if attempt(assessment.start_attempt, actor, campaign_id) is not None:
        st.session_state.pop(DONE_KEY, None)


if current is None:
    just_done = st.session_state.get(DONE_KEY)
    if just_done:
        view = read(assessment.get_attempt, actor, just_done)
        if view is not None:
            st.success("Votre auto-évaluation est enregistrée. Voici vos résultats.")
            history = read(assessment.list_attempts, actor, default=[]) or []
            render_results(
                fw, view, assessment.previous_of(history, view.id), exercises=exercise_catalog(), key="take"
            )
            st.divider()
    st.write(
        "Situez-vous sur les 7 compétences du community manager puis sur les 14 missions du métier. "
        "Comptez 15 à 20 minutes ; vos réponses sont enregistrées à chaque étape et vous pouvez reprendre "
        "plus tard. Répondez selon ce que vous faites réellement, pas selon ce qu’il faudrait faire : "
        "c’est votre point de départ pour progresser. Vos réponses aux mises en situation et vos exercices "
        "corrigés servent de repère\u00a0: l’auto-évaluation seule ne peut pas vous placer plus haut qu’eux."
    )
    campaigns = read(assessment.open_campaigns_for, actor, default=[]) or []
    options = [None, *[c.id for c in campaigns]]
    labels = {None: "Hors campagne (pour moi)"} | {c.id: f"{c.cohort_name} — {c.label}" for c in campaigns}
    if campaigns:
        st.info(
            "Votre formateur a ouvert une campagne d’auto-évaluation : répondez-y pour qu’il voie vos résultats."
        )
    campaign_id = st.selectbox(
        "Cadre de cette auto-évaluation",
        options,
        index=1 if campaigns else 0,
        format_func=lambda cid: labels[cid],
        key="campaign",
        placeholder="Choisir un cadre",
    )
    st.button("Commencer l’auto-évaluation", type="primary", key="start", on_click=start, args=(campaign_id,))
    st.stop()

step = min(max(current.step, 0), FINISH_STEP)
st.progress(step / FINISH_STEP, text=f"Étape {step + 1} sur {len(steps)} : {steps[step]}")
if current.campaign_name:
    st.caption(f"Campagne : {plain(current.campaign_name)}")


def go(to: int, **answers) -> None:
    if attempt(assessment.save_answers, actor, current.id, step=to, **answers) is not None:
        st.rerun()


def complete(attempt_id: int) -> None:
    """« Terminer », in the click's callback: the page then runs once, on the results (an error
    shows above the summary)."""
    done = attempt(assessment.complete_attempt, actor, attempt_id, success="Auto-évaluation terminée.")
    if done is not None:
        st.session_state[DONE_KEY] = done.id


def answered(prefix: str, ids: list[str]) -> dict:
    """The answers given in the submitted form (its radios' keys are ``prefix`` + id)."""
    values = {i: st.session_state.get(f"{prefix}{i}") for i in ids}
    return {i: v for i, v in values.items() if v is not None}


def save_step(to: int, comp_index: int | None) -> None:
    """« Enregistrer et continuer » / « Étape précédente », in the form's callback: the step's
    answers are saved, then the page runs once, on the step ``to`` (an error shows above it)."""
    if comp_index is None:
        answers = {"missions": answered("m-", [m.id for m in fw.missions])}
    else:
        comp = current.content.competences[comp_index]  # with its trainers' shared items
        answers = {
            "ratings": answered("r-", [s.id for s in comp.statements]),
            "choices": answered("c-", [item.id for item in comp.situational]),
        }
    attempt(assessment.save_answers, actor, current.id, step=to, **answers)


if step < MISSIONS_STEP:
    comp = current.content.competences[step]  # with the items the trainee's trainers share
    st.header(plain(comp.name))
    st.markdown(f"*{plain(comp.summary)}*")
    with st.expander("Définition"):
        st.write(comp.definition)
    scale = {s.value: s.label for s in fw.scales.rating}
    with st.form(f"step-{step}"):
        st.subheader("Ce que je fais")
        st.caption(
            "À quelle fréquence ces affirmations vous décrivent-elles ? L’icône d’aide de chaque affirmation "
            "montre à quoi ressemblent concrètement les niveaux 1 et 5."
        )
        for s in comp.statements:
            st.radio(
                s.text,  # markdown: bundled statement (escaping would show in its aria-label)
                list(scale),
                index=(current.ratings[s.id] - 1) if s.id in current.ratings else None,
                format_func=lambda v: f"{v} · {scale[v]}",
                horizontal=True,
                key=f"r-{s.id}",
                help=f"1 ressemble à : {s.anchors.low}\n\n5 ressemble à : {s.anchors.high}",
            )
        st.subheader("Mises en situation")
        st.caption(
            "Choisissez ce que vous feriez vraiment. L’explication vous sera donnée avec vos résultats."
        )
        for item in comp.situational:
            situation(item, current.id, current.choices.get(item.id), key=f"c-{item.id}")
        back, forward = st.columns(2)
        back.form_submit_button(
            "Étape précédente", disabled=step == 0, on_click=save_step, args=(step - 1, step)
        )
        forward.form_submit_button(
            "Enregistrer et continuer", type="primary", on_click=save_step, args=(step + 1, step)
        )

elif step == MISSIONS_STEP:
    st.header("Les 14 missions du métier")
    st.caption("Pour chaque mission, quel est votre niveau de maîtrise aujourd’hui ?")
    levels = {m.id: m.label for m in fw.scales.mastery}
    with st.form("missions"):
        for mission in fw.missions:
            ids = list(levels)
            chosen = current.missions.get(mission.id)
            st.radio(
                f"{mission.name} — {mission.description}",  # markdown: bundled content, as above
                ids,
                index=ids.index(chosen) if chosen in ids else None,
                format_func=lambda lid: levels[lid],
                captions=[mission.levels[lid] for lid in ids],
                horizontal=True,
                key=f"m-{mission.id}",
            )
        back, forward = st.columns(2)
        back.form_submit_button("Étape précédente", on_click=save_step, args=(step - 1, None))
        forward.form_submit_button(
            "Enregistrer et continuer", type="primary", on_click=save_step, args=(step + 1, None)
        )

else:
    st.header("Vérifier et terminer")
    report = current.report
    assert report is not None
    rows = []
    for comp in fw.competences:
        s = report.scores[comp.id]
        rows.append(
            {
                "Compétence": comp.name,
                "Réponses": f"{s.answered}/{s.total}",
                "État": "À compléter" if s.score is None else ("Partiel" if s.partial else "Complet"),
            }
        )
    st.dataframe(rows, hide_index=True)
    st.caption(f"Missions renseignées : {len(current.missions)}/{len(fw.missions)}.")
    if report.complete:
        st.write("Vous pouvez terminer : vos réponses ne pourront plus être modifiées ensuite.")
    else:
        missing = ", ".join(fw.competence(cid).name for cid in report.unscored)
        st.warning(
            f"Répondez à au moins la moitié des questions de chaque compétence pour terminer. À compléter : {missing}."
        )
    back, finish = st.columns(2)
    if back.button("Étape précédente", key="back-finish"):
        go(step - 1)
    finish.button(
        "Terminer et voir mes résultats",
        type="primary",
        disabled=not report.complete,
        key="finish",
        on_click=complete,
        args=(current.id,),
    )

with st.expander("Abandonner cette auto-évaluation"):
    st.write(
        "Vos réponses de cette auto-évaluation seront effacées. Vos auto-évaluations terminées sont conservées."
    )
    if st.button("Abandonner et effacer mes réponses", key="discard"):
        attempt(
            assessment.discard_attempt,
            actor,
            current.id,
            success="Auto-évaluation abandonnée.",
            then_rerun=True,
        )
        st.stop()  # refused: the error stays above
