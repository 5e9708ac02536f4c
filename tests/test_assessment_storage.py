"""Attempts saved step by step, campaigns, cohort views and access rules, on every backend."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.assessment_helpers import complete_attempt, open_campaign, uniform_answers
from training_modules import assessment
from training_modules.competences import framework
from workbench.cohorts import set_member_active, set_show_average
from workbench.db import session_scope
from workbench.errors import AccessDenied, NotFound, UserError
from workbench.localtime import today as people_today

FW = framework()


def test_answers_are_saved_step_by_step_and_resumed(people):
    alice = people.alice
    comm = FW.competence("communication")
    with session_scope() as s:
        attempt = assessment.start_attempt(s, alice)
        assessment.save_answers(s, alice, attempt.id, ratings={comm.statements[0].id: 4}, step=1)
    with session_scope() as s:
        resumed = assessment.in_progress(s, alice)
        assert resumed is not None and resumed.id == attempt.id and resumed.step == 1
        assert resumed.ratings == {comm.statements[0].id: 4}
        # answering again replaces; starting again resumes the same attempt
        assessment.save_answers(
            s, alice, attempt.id, ratings={comm.statements[0].id: 2}, choices={comm.situational[0].id: "b"}
        )
        assert assessment.start_attempt(s, alice).id == attempt.id
    with session_scope() as s:
        view = assessment.get_attempt(s, alice, attempt.id)
        assert view.ratings == {comm.statements[0].id: 2}
        assert view.choices == {comm.situational[0].id: "b"}
        assert not view.completed and view.report is not None and not view.report.complete


def test_invalid_answers_are_refused(people):
    alice = people.alice
    with session_scope() as s:
        attempt = assessment.start_attempt(s, alice)
        with pytest.raises(UserError, match="1 à 5"):
            assessment.save_answers(s, alice, attempt.id, ratings={"com-s1": 7})
        with pytest.raises(UserError, match="1 à 5"):
            assessment.save_answers(s, alice, attempt.id, ratings={"unknown": 3})
        with pytest.raises(UserError, match="quatre réponses"):
            assessment.save_answers(s, alice, attempt.id, choices={"com-j1": "z"})
        with pytest.raises(UserError, match="niveaux"):
            assessment.save_answers(s, alice, attempt.id, missions={"kpi": "gourou"})


def test_completing_needs_half_of_each_competence_then_stores_scores(people):
    alice = people.alice
    ratings, choices = uniform_answers(4, best=True)
    empathy = {s.id for s in FW.competence("empathie").statements} | {
        j.id for j in FW.competence("empathie").situational
    }
    with session_scope() as s:
        attempt = assessment.start_attempt(s, alice)
        assessment.save_answers(
            s,
            alice,
            attempt.id,
            ratings={k: v for k, v in ratings.items() if k not in empathy},
            choices={k: v for k, v in choices.items() if k not in empathy},
        )
        with pytest.raises(UserError, match="Empathie"):
            assessment.complete_attempt(s, alice, attempt.id)
        # half of empathy's items, statements only: scored from what was answered, flagged partial
        empathie = FW.competence("empathie")
        half = [st.id for st in empathie.statements][
            : -(-(len(empathie.statements) + len(empathie.situational)) // 2)
        ]
        assessment.save_answers(s, alice, attempt.id, ratings={k: ratings[k] for k in half})
        done = assessment.complete_attempt(s, alice, attempt.id)
    assert done.completed and done.report is not None and done.report.complete
    assert done.report.scores["empathie"].partial
    assert done.report.scores["empathie"].score == 59.0  # self-rating alone: at most « En progression »
    assert done.report.scores["communication"].score == 85.0  # 0.6 × 75 + 0.4 × 100
    with session_scope() as s:
        stored = assessment.get_attempt(s, alice, attempt.id)
        assert stored.report == done.report
        with pytest.raises(UserError, match="déjà terminée"):
            assessment.save_answers(s, alice, attempt.id, ratings={"com-s1": 1})
        assert assessment.in_progress(s, alice) is None


def test_history_previous_attempt_and_discard(people):
    first = complete_attempt(people.alice, 2, best=False)
    second = complete_attempt(people.alice, 4, best=True)
    with session_scope() as s:
        history = assessment.list_attempts(s, people.alice)
        assert [a.id for a in history] == [first, second]
        assert assessment.previous_of(history, second).id == first
        assert assessment.previous_of(history, first) is None
        draft = assessment.start_attempt(s, people.alice)
        assert draft.id not in (first, second)
        assessment.discard_attempt(s, people.alice, draft.id)
    with session_scope() as s:
        assert assessment.in_progress(s, people.alice) is None
        with pytest.raises(UserError):
            assessment.discard_attempt(s, people.alice, first)


def test_a_trainee_cannot_read_or_write_another_trainees_attempt(people):
    attempt_id = complete_attempt(people.alice, 3)
    with session_scope() as s:
        with pytest.raises(AccessDenied):
            assessment.get_attempt(s, people.bob, attempt_id)
        with pytest.raises(AccessDenied):
            assessment.list_attempts(s, people.bob, people.alice.id)
        draft = assessment.start_attempt(s, people.alice)
        with pytest.raises(AccessDenied):
            assessment.save_answers(s, people.bob, draft.id, ratings={"com-s1": 3})
        with pytest.raises(AccessDenied):
            assessment.complete_attempt(s, people.zoe, draft.id)
        with pytest.raises(NotFound):
            assessment.get_attempt(s, people.bob, 999_999)


def test_trainers_read_only_their_cohorts_trainees(people):
    attempt_id = complete_attempt(people.alice, 3)
    with session_scope() as s:
        assert assessment.get_attempt(s, people.trainer, attempt_id).user_name == "Alice"
        assert len(assessment.list_attempts(s, people.trainer, people.alice.id)) == 1
        with pytest.raises(AccessDenied):
            assessment.get_attempt(s, people.other_trainer, attempt_id)
        with pytest.raises(AccessDenied):
            assessment.cohort_scores(s, people.other_trainer, people.cohort_id)
        with pytest.raises(AccessDenied):
            assessment.save_answers(s, people.trainer, attempt_id, ratings={"com-s1": 3})


def test_campaigns_are_opened_by_the_cohorts_trainer_only(people):
    today = people_today()  # the app's today: Paris, not the machine's
    with session_scope() as s:
        with pytest.raises(AccessDenied):
            assessment.open_campaign(
                s, people.other_trainer, people.cohort_id, name="X", starts_on=today, ends_on=today
            )
        with pytest.raises(AccessDenied):
            assessment.open_campaign(
                s, people.alice, people.cohort_id, name="X", starts_on=today, ends_on=today
            )
        with pytest.raises(UserError, match="postérieure"):
            assessment.open_campaign(
                s,
                people.trainer,
                people.cohort_id,
                name="X",
                starts_on=today,
                ends_on=today - timedelta(days=1),
            )
        with pytest.raises(UserError, match="nom"):
            assessment.open_campaign(
                s, people.trainer, people.cohort_id, name="  ", starts_on=today, ends_on=today
            )
    campaign_id = open_campaign(people.trainer, people.cohort_id)
    with session_scope() as s:
        assert [c.id for c in assessment.open_campaigns_for(s, people.alice)] == [campaign_id]
        assert assessment.open_campaigns_for(s, people.zoe) == []
        with pytest.raises(AccessDenied):
            assessment.start_attempt(s, people.zoe, campaign_id)
        assert [c.id for c in assessment.list_campaigns(s, people.bob, people.cohort_id)] == [campaign_id]
        closed = assessment.close_campaign(s, people.trainer, campaign_id)
        assert closed.ends_on == today
        with pytest.raises(AccessDenied):
            assessment.close_campaign(s, people.other_trainer, campaign_id)


def test_respondents_heatmap_rows_and_progress_between_campaigns(people):
    start = open_campaign(people.trainer, people.cohort_id, "Début de formation")
    complete_attempt(people.alice, 2, best=False, campaign_id=start)
    with session_scope() as s:
        assessment.start_attempt(s, people.bob, start)
        status = {r.display_name: r.status for r in assessment.respondents(s, people.trainer, start)}
        assert status == {"Alice": assessment.DONE, "Bob": assessment.IN_PROGRESS}
        with pytest.raises(AccessDenied):
            assessment.respondents(s, people.alice, start)
    with session_scope() as s:
        bob_draft = assessment.in_progress(s, people.bob)
        assessment.discard_attempt(s, people.bob, bob_draft.id)
    complete_attempt(people.bob, 3, best=True, campaign_id=start)
    end = open_campaign(people.trainer, people.cohort_id, "Fin de formation")
    complete_attempt(people.alice, 5, best=True, campaign_id=end)
    with session_scope() as s:
        rows = assessment.cohort_scores(s, people.trainer, people.cohort_id, start)
        assert [r.display_name for r in rows] == ["Alice", "Bob"]
        assert rows[0].scores["communication"] == 15.0  # 0.6 × 25 + 0.4 × 0
        latest = assessment.cohort_scores(s, people.trainer, people.cohort_id)
        assert latest[0].scores["communication"] == 100.0
        progress = assessment.campaign_progress(s, people.trainer, people.cohort_id)
        assert [p.campaign.name for p in progress] == ["Début de formation", "Fin de formation"]
        assert [p.respondents for p in progress] == [2, 1]
        assert progress[0].means["communication"] == pytest.approx(
            (15.0 + 70.0) / 2
        )  # Bob: 0.6 × 50 + 0.4 × 100
        assert progress[1].means["communication"] == 100.0
        with pytest.raises(UserError, match="autre session"):
            assessment.cohort_scores(s, people.other_trainer, people.other_cohort_id, start)
        set_member_active(s, people.trainer, people.cohort_id, people.bob.id, False)
    with session_scope() as s:
        assert [r.display_name for r in assessment.cohort_scores(s, people.trainer, people.cohort_id)] == [
            "Alice"
        ]


def test_cohort_average_only_when_allowed_and_anonymous(people):
    with session_scope() as s:
        with pytest.raises(AccessDenied, match="moyenne"):
            assessment.cohort_average(s, people.alice, people.cohort_id)
        assert assessment.visible_averages(s, people.alice) == []
        set_show_average(s, people.trainer, people.cohort_id, True)
    complete_attempt(people.alice, 4)
    complete_attempt(people.bob, 2)
    with session_scope() as s:
        for_trainer = assessment.cohort_average(s, people.trainer, people.cohort_id)
        assert for_trainer.respondents == 2 and for_trainer.means["communication"] == pytest.approx(
            (85 + 55) / 2
        )
        # two respondents: a mean would reveal the other trainee's score
        for_alice = assessment.visible_averages(s, people.alice)
        assert len(for_alice) == 1 and for_alice[0].respondents == 2 and for_alice[0].means == {}
        with pytest.raises(AccessDenied):
            assessment.cohort_average(s, people.zoe, people.cohort_id)
        with pytest.raises(AccessDenied):
            assessment.cohort_average(s, people.other_trainer, people.cohort_id)


def test_exercise_results_at_completion_are_evidence_for_the_cap(people):
    from training_modules import calibration

    def measured(session, user_id):
        return {"communication": 90.0} if user_id == people.alice.id else {}

    calibration.register_provider(measured)
    try:
        alice = complete_attempt(people.alice, 5, best=False)
        bob = complete_attempt(people.bob, 5, best=False)
    finally:
        calibration.unregister_provider(measured)
    with session_scope() as s:
        alice_scores = assessment.get_attempt(s, people.alice, alice).report.scores
        bob_scores = assessment.get_attempt(s, people.bob, bob).report.scores
    # judgement 0: « À découvrir » (34 at most); Alice's exercises (90) lift the evidence to 45
    assert bob_scores["communication"].score == 34.0 and bob_scores["communication"].capped
    assert alice_scores["communication"].score == 59.0
    assert alice_scores["empathie"].score == 34.0


def test_cohort_calibration_per_trainee_and_competence_for_the_trainer_only(people):
    from training_modules import calibration

    def measured(session, user_id):
        return {"communication": 20.0, "anglais": 100.0} if user_id == people.alice.id else {}

    calibration.register_provider(measured)
    try:
        complete_attempt(people.alice, 4, best=True)  # self-rating part 75 everywhere
        complete_attempt(people.bob, 2, best=False)
        with session_scope() as s:
            rows = assessment.cohort_calibration(s, people.trainer, people.cohort_id)
            with pytest.raises(AccessDenied):
                assessment.cohort_calibration(s, people.alice, people.cohort_id)
            with pytest.raises(AccessDenied):
                assessment.cohort_calibration(s, people.other_trainer, people.cohort_id)
    finally:
        calibration.unregister_provider(measured)
    assert [r.display_name for r in rows] == ["Alice", "Bob"]
    alice = {r.competence_id: r for r in rows[0].rows}
    assert alice["communication"].self_rating == 75.0 and alice["communication"].measured == 20.0
    assert alice["communication"].gap == 55.0 and alice["communication"].tendency == calibration.OVER
    assert alice["anglais"].tendency == calibration.UNDER
    assert alice["empathie"].tendency is None
    assert [r.competence_id for r in rows[0].over] == ["communication"]
    assert [r.competence_id for r in rows[0].under] == ["anglais"]
    assert rows[1].over == [] and rows[1].under == [] and not rows[1].measured


def test_completing_returns_the_attempt_as_stored(people):
    """complete_attempt builds its answer from what it wrote (no reading after its write, which
    held SQLite's write lock longer while a class finished at once): the same as reading it back."""
    ratings, choices = uniform_answers(3, best=False)
    with session_scope() as s:
        draft = assessment.start_attempt(s, people.alice)
        assessment.save_answers(s, people.alice, draft.id, ratings=ratings, choices=choices)
        assessment.save_answers(s, people.alice, draft.id, missions={"veille": "autonome"})
        done = assessment.complete_attempt(s, people.alice, draft.id)
    with session_scope() as s:
        stored = assessment.get_attempt(s, people.alice, draft.id)
    assert done.completed_at is not None
    assert done == stored
