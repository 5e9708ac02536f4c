"""AppTest of every self-assessment page, for each role."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import run_page
from tests.assessment_helpers import complete_attempt, open_campaign, uniform_answers
from training_modules import assessment
from training_modules.competences import framework
from ui.text import plain
from workbench.cohorts import set_show_average
from workbench.db import session_scope

FW = framework()
TAKE, RESULTS, PROGRESS, COHORT = (
    "screens/assessment_take.py",
    "screens/assessment_results.py",
    "screens/assessment_progress.py",
    "screens/assessment_cohort.py",
)


def page(path: str, actor) -> AppTest:
    at = run_page(path, actor)
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.caption]
    parts += [e.value for kind in (at.info, at.success, at.warning, at.error) for e in kind]
    parts += [h.value for h in at.header] + [h.value for h in at.subheader] + [t.value for t in at.title]
    return "\n".join(str(p) for p in parts)


def traces(chart) -> list[dict]:
    return json.loads(chart.proto.spec)["data"]


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


@pytest.mark.parametrize("path", [TAKE, RESULTS, PROGRESS], ids=["take", "results", "progress"])
def test_trainee_pages_are_refused_to_trainers(people, path):
    at = page(path, people.trainer)
    assert any("Page non accessible" in e.value for e in at.error)


def test_cohort_page_is_refused_to_trainees(people):
    at = page(COHORT, people.alice)
    assert any("réservée aux formateurs" in e.value for e in at.error)


def test_pages_ask_to_log_in(db_url):
    at = run_page(TAKE)
    assert any("Connectez-vous" in w.value for w in at.warning)


def test_take_start_answer_a_step_and_resume(people):
    campaign = open_campaign(people.trainer, people.cohort_id)
    at = page(TAKE, people.alice)
    assert at.selectbox(key="campaign").value == campaign
    assert "ne peut pas vous placer plus haut" in texts(at)  # the scoring rule, before answering
    at.button(key="start").click().run()
    assert not at.exception
    assert at.header[0].value == "Communiquer"
    comp = FW.competence("communication")
    for s in comp.statements:
        at.radio(key=f"r-{s.id}").set_value(4)
    at.radio(key=f"c-{comp.situational[0].id}").set_value("b")
    button(at, "Enregistrer et continuer").click().run()
    assert not at.exception
    assert at.header[0].value == "Empathie"
    with session_scope() as s:
        draft = assessment.in_progress(s, people.alice)
    assert draft.step == 1 and draft.campaign_id == campaign
    assert draft.ratings == {s.id: 4 for s in comp.statements}
    assert draft.choices == {comp.situational[0].id: "b"}
    # a new visit resumes at the saved step, and going back shows the saved answers
    again = page(TAKE, people.alice)
    assert again.header[0].value == "Empathie"
    button(again, "Étape précédente").click().run()
    assert again.header[0].value == "Communiquer"
    assert again.radio(key=f"r-{comp.statements[0].id}").value == 4


def test_take_missions_step_then_finish_and_see_results(people):
    ratings, choices = uniform_answers(4, best=True)
    with session_scope() as s:
        draft = assessment.start_attempt(s, people.alice)
        assessment.save_answers(
            s, people.alice, draft.id, ratings=ratings, choices=choices, step=len(FW.competences)
        )
    at = page(TAKE, people.alice)
    assert at.header[0].value == "Les 14 missions du métier"
    at.radio(key="m-veille").set_value("autonome")
    button(at, "Enregistrer et continuer").click().run()
    assert not at.exception
    assert at.header[0].value == "Vérifier et terminer"
    at.button(key="finish").click().run()
    assert not at.exception
    assert "Votre auto-évaluation est enregistrée" in texts(at)
    assert "Points forts" in texts(at) and "Pour progresser" in texts(at)
    with session_scope() as s:
        done = assessment.list_attempts(s, people.alice)
    assert len(done) == 1 and done[0].missions == {"veille": "autonome"}


def test_finish_is_disabled_while_a_competence_lacks_answers(people):
    with session_scope() as s:
        draft = assessment.start_attempt(s, people.alice)
        assessment.save_answers(s, people.alice, draft.id, step=len(FW.competences) + 1)
    at = page(TAKE, people.alice)
    assert at.button(key="finish").disabled
    assert "À compléter" in texts(at)
    at.button(key="discard").click().run()
    assert not at.exception
    assert at.button(key="start")


def test_results_page_without_and_with_attempts(people):
    at = page(RESULTS, people.alice)
    assert "pas encore terminé" in texts(at)
    complete_attempt(people.alice, 2, best=False)
    complete_attempt(people.alice, 4, best=True)
    at = page(RESULTS, people.alice)
    names = [trace["name"] for trace in traces(at.get("plotly_chart")[0])]
    assert names[0].startswith("Précédente") and names[1].startswith("Auto-évaluation du")
    assert "Priorités" in texts(at) and "Mises en situation" in texts(at)
    assert at.get("download_button")


def test_each_competences_situational_feedback_is_one_block(people):
    """Answers, the expert's answer and explanations: one Markdown block per competence (the
    results page drew four elements per situation, about 150 in all, which « Terminer » paid for)."""
    complete_attempt(people.alice, 2, best=False)
    at = page(RESULTS, people.alice)
    boxes = [e for e in at.expander if "meilleure" in e.label]
    assert len(boxes) == len(FW.competences)
    for box, comp in zip(boxes, FW.competences, strict=True):
        assert len(box.markdown) == 1 and not (box.success or box.warning or box.caption)
        block = box.markdown[0].value
        for item in comp.situational:
            assert plain(item.title) in block and plain(item.explanation) in block
        assert "Votre réponse" in block and "Réponse d’un CM expérimenté" in block


def test_results_page_shows_the_cohort_average_when_allowed(people):
    complete_attempt(people.alice, 4)
    at = page(RESULTS, people.alice)
    assert not any(tr["name"].startswith("Moyenne") for tr in traces(at.get("plotly_chart")[0]))
    with session_scope() as s:
        set_show_average(s, people.trainer, people.cohort_id, True)
    at = page(RESULTS, people.alice)
    assert "trois personnes" in texts(at)


def test_progress_page(people):
    at = page(PROGRESS, people.alice)
    assert "première auto-évaluation" in texts(at)
    complete_attempt(people.alice, 2, best=False)
    complete_attempt(people.alice, 4, best=True)
    at = page(PROGRESS, people.alice)
    assert len(at.get("plotly_chart")) == 2  # progress over time, first vs latest radar
    assert "Plus forte progression" in texts(at)
    assert "Pas encore de résultats d’exercices" in texts(at) or at.get("plotly_chart")
    assert at.get("download_button")


def test_progress_page_calibration_with_a_provider(people):
    from training_modules import calibration

    def measured(session, user_id):
        return {"communication": 30.0}

    calibration.register_provider(measured)
    try:
        complete_attempt(people.alice, 5)
        at = page(PROGRESS, people.alice)
    finally:
        calibration.unregister_provider(measured)
    assert any("surestimez" in df.value.to_string() for df in at.dataframe)
    assert any(tr["name"] == "Résultats aux exercices" for c in at.get("plotly_chart") for tr in traces(c))


def test_cohort_page_for_a_trainer_without_cohort(people, db_url):
    from workbench.access import Actor
    from workbench.accounts import create_user
    from workbench.models import TRAINER

    with session_scope() as s:
        lone = Actor.of(
            create_user(
                s, email="seul@example.fr", display_name="Seul", password="motdepasse-9", role=TRAINER
            )
        )
    at = page(COHORT, lone)
    assert "Créez d’abord une session" in texts(at)


def test_cohort_page_campaigns_map_progress_trainee_and_exports(people):
    at = page(COHORT, people.trainer)
    assert "Aucune campagne" in texts(at)
    at.text_input(key="new-campaign-0-name").input("Début de formation")
    button(at, "Ouvrir la campagne").click().run()
    assert not at.exception
    with session_scope() as s:
        campaigns = assessment.list_campaigns(s, people.trainer, people.cohort_id)
    assert [c.name for c in campaigns] == ["Début de formation"]
    complete_attempt(people.alice, 2, best=False, campaign_id=campaigns[0].id)
    end = open_campaign(people.trainer, people.cohort_id, "Fin de formation")
    complete_attempt(people.alice, 5, best=True, campaign_id=end)
    complete_attempt(people.bob, 3, best=True, campaign_id=end)
    at = page(COHORT, people.trainer)
    assert not at.get("plotly_chart")  # only the open tab runs
    assert "Début de formation" in texts(at) or at.expander

    def open_tab(label: str) -> list[dict]:
        at.session_state["tab"] = label
        at.run()
        assert not at.exception, at.exception
        return [t for c in at.get("plotly_chart") for t in traces(c)]

    map_traces = open_tab("Carte de la session")
    assert [t["type"] for t in map_traces] == ["heatmap"] + ["box"] * 7
    assert map_traces[0]["y"] == ["Alice", "Bob"]
    assert map_traces[0]["z"][0][0] == 100.0  # Alice's latest: the end-of-training campaign
    progress_traces = open_tab("Progression")
    assert [t["type"] for t in progress_traces] == ["bar", "bar"]
    # campaigns in order of start date (the helper's campaign started yesterday)
    assert [t["name"] for t in progress_traces] == [
        "Fin de formation (2 rép.)",
        "Début de formation (1 rép.)",
    ]
    trainee_labels = (open_tab("Stagiaire"), [b.label for b in at.get("download_button")])[1]
    assert trainee_labels == ["Rapport PDF d’Alice"]
    open_tab("Exports")
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Télécharger la session (CSV)", "Télécharger la session (Excel)"]
    open_tab("Carte de la session")
    at.toggle(key="show-average").set_value(True).run()
    assert not at.exception
    with session_scope() as s:
        from workbench.models import Cohort

        assert s.get(Cohort, people.cohort_id).show_cohort_average


def test_cohort_page_other_trainer_sees_only_their_cohort(people):
    complete_attempt(people.alice, 3)
    at = page(COHORT, people.other_trainer)
    assert at.selectbox(key="cohort").options == ["Promo B"]
    at.session_state["tab"] = "Carte de la session"
    at.run()
    assert not at.exception
    assert "Aucune auto-évaluation terminée" in texts(at)


def test_take_shows_options_shuffled_per_attempt_and_stable_on_rerun(people):
    at = page(TAKE, people.alice)
    at.button(key="start").click().run()
    with session_scope() as s:
        attempt_id = assessment.in_progress(s, people.alice).id
    comp = FW.competence("communication")
    shown = {item.id: list(at.radio(key=f"c-{item.id}").options) for item in comp.situational}
    # option labels are Markdown: their text is escaped (a trainer's item may hold any characters)
    expected = {item.id: [plain(o.text) for o in item.options_for(attempt_id)] for item in comp.situational}
    assert shown == expected
    at.run()  # a rerun, and a reload, show the same order
    assert {item.id: list(at.radio(key=f"c-{item.id}").options) for item in comp.situational} == shown
    again = page(TAKE, people.alice)
    assert {item.id: list(again.radio(key=f"c-{item.id}").options) for item in comp.situational} == shown
    orders = {tuple(o.id for o in item.options_for(seed)) for item in comp.situational for seed in (1, 2, 3)}
    assert len(orders) > 1  # another attempt, another order


def test_results_state_the_rule_and_show_the_cap_without_mastered_priorities(people):
    complete_attempt(people.alice, 5, best=False)
    at = page(RESULTS, people.alice)
    assert "ne peut pas vous placer à un niveau plus élevé" in texts(at)
    assert "plafonné" in texts(at)
    assert not re.search(r"«\s*«", texts(at))  # a quoted reply is not quoted twice
    levels = at.dataframe[0].value["Niveau"].tolist()
    assert not any(level.startswith(("Maîtrisé", "Expert")) for level in levels)
    # all 100/100: nothing under « Priorités », and no competence listed there
    complete_attempt(people.bob, 5, best=True)
    at = page(RESULTS, people.bob)
    assert "Aucune priorité" in texts(at) and "Pas de ressource imposée" in texts(at)
    assert not [m.value for m in at.markdown if "/100," in m.value]


def test_cohort_page_calibration_tab(people):
    from training_modules import calibration

    def measured(session, user_id):
        return {"communication": 20.0, "anglais": 100.0} if user_id == people.alice.id else {}

    calibration.register_provider(measured)
    try:
        complete_attempt(people.alice, 4, best=True)
        complete_attempt(people.bob, 3, best=True)
        at = page(COHORT, people.trainer)
        at.session_state["tab"] = "Calibration"
        at.run()
    finally:
        calibration.unregister_provider(measured)
    assert not at.exception, at.exception
    text = texts(at)
    assert "Se surestiment peut-être" in text and "Se sous-estiment peut-être" in text
    table = at.dataframe[0].value
    alice = table[table["Stagiaire"] == "Alice"].set_index("Compétence")
    assert alice.loc["Communiquer", "Écart"] == "+55"  # French text, signed: not 55.0
    assert alice.loc["Communiquer", "Exercices"] == "20"
    assert alice.loc["Communiquer", "Lecture"] == "Se surestime peut-être"
    assert alice.loc["Comprendre l’anglais", "Lecture"] == "Se sous-estime peut-être"
    assert at.get("plotly_chart")


def test_progress_history_shows_two_attempts_of_one_day_apart_labelled_in_paris_time(people):
    """Two attempts on one day were two dots on one vertical line of an axis spanning 24 h:
    each attempt now has its own place, in order, named by its Paris date and time."""
    from datetime import UTC, datetime

    from training_modules.assessment_models import AssessmentAttempt

    moments = [datetime(2026, 12, 7, 8, 5, tzinfo=UTC), datetime(2026, 12, 7, 15, 40, tzinfo=UTC)]
    for level, when in zip((2, 4), moments, strict=True):
        attempt_id = complete_attempt(people.alice, level, best=level == 4)
        with session_scope() as s:
            s.get(AssessmentAttempt, attempt_id).completed_at = when
    at = page(PROGRESS, people.alice)
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    labels = ["07/12/2026<br>09:05", "07/12/2026<br>16:40"]  # Paris: UTC+1 in December
    for trace in fig["data"]:
        assert trace["x"] == [1, 2]
        assert trace["customdata"] == ["07/12/2026 09:05", "07/12/2026 16:40"]
        assert "\u00a0:" in trace["hovertemplate"] and "%{customdata}" in trace["hovertemplate"]
    axis = fig["layout"]["xaxis"]
    assert axis.get("type") != "date"
    assert (axis["tickvals"], axis["ticktext"]) == ([1, 2], labels)
    assert axis["title"]["text"] == "Auto-évaluations terminées, dans l’ordre"
