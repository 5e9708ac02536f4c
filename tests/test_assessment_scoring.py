"""Scoring of the self-assessment: keyed ratings, reverse items, incomplete answers, levels, advice."""

from __future__ import annotations

import itertools

import pytest

from training_modules.competences import framework
from training_modules.recommendations import exercises_for, judgement_feedback, recommend
from training_modules.scoring import (
    NOT_SCORED,
    keyed_rating,
    level_for,
    score_answers,
    score_competence,
    strengths_and_priorities,
)

FW = framework()
COMM = FW.competence("communication")


def answers_for(comp, rating_direct: int, best: bool):
    """Ratings meaning the same thing on every statement (reverse items mirrored)."""
    ratings = {s.id: (6 - rating_direct if s.reverse else rating_direct) for s in comp.statements}
    choices = {
        j.id: (j.best.id if best else min(j.options, key=lambda o: o.score).id) for j in comp.situational
    }
    return ratings, choices


def test_reverse_items_are_mirrored():
    assert keyed_rating(5, reverse=False) == 5
    assert keyed_rating(5, reverse=True) == 1
    assert keyed_rating(2, reverse=True) == 4
    with pytest.raises(ValueError):
        keyed_rating(6, reverse=False)


def test_the_best_possible_answers_score_100_and_the_worst_0():
    ratings, choices = answers_for(COMM, 5, best=True)
    top = score_competence(COMM, ratings, choices)
    assert top.score == 100 and top.self_score == 100 and top.judgement_score == 100
    assert not top.partial and top.level_label == "Expert"
    ratings, choices = answers_for(COMM, 1, best=False)
    bottom = score_competence(COMM, ratings, choices)
    assert bottom.score == 0 and bottom.level_label == "À découvrir"


def test_answering_5_everywhere_is_not_a_top_score_because_of_reverse_items():
    ratings = {s.id: 5 for s in COMM.statements}
    reverse = sum(s.reverse for s in COMM.statements)
    direct = len(COMM.statements) - reverse
    expected = ((direct * 5 + reverse * 1) / len(COMM.statements) - 1) / 4 * 100
    assert score_competence(COMM, ratings, {}).self_score == pytest.approx(expected, abs=0.1)
    assert expected < 100


def test_self_rating_and_judgement_are_weighted_60_40():
    ratings, _ = answers_for(COMM, 1, best=True)  # self 0
    _, best = answers_for(COMM, 1, best=True)  # judgement 100
    assert score_competence(COMM, ratings, best).score == 40.0
    middle = {s.id: 3 for s in COMM.statements}  # self 50 whatever the keying
    _, best = answers_for(COMM, 3, best=True)
    assert score_competence(COMM, middle, best).score == pytest.approx(0.6 * 50 + 0.4 * 100)


def test_an_option_scored_2_counts_two_thirds():
    item = COMM.situational[2]
    option = next(o for o in item.options if o.score == 2)
    ratings = {s.id: 3 for s in COMM.statements}
    result = score_competence(COMM, ratings, {item.id: option.id})
    assert result.judgement_score == pytest.approx(66.7, abs=0.05)


def test_incomplete_answers_are_scored_and_flagged_from_half_of_the_items():
    total = len(COMM.statements) + len(COMM.situational)
    ratings, _ = answers_for(COMM, 4, best=True)
    needed = -(-total // 2)  # at least half
    partial_ratings = dict(list(ratings.items())[:needed])
    result = score_competence(COMM, partial_ratings, {})
    assert result.partial and result.answered == needed and result.total == total
    assert result.self_score == 75.0
    assert result.score == 59.0 and result.capped  # nothing but self-rating: at most « En progression »
    assert result.judgement_score is None
    too_few = dict(list(ratings.items())[: needed - 1])
    unscored = score_competence(COMM, too_few, {})
    assert unscored.score is None and unscored.level is None and unscored.level_label == NOT_SCORED


def test_unknown_option_and_statement_ids_are_ignored():
    result = score_competence(COMM, {"nope": 5}, {COMM.situational[0].id: "z"})
    assert result.answered == 0 and result.score is None


def test_level_thresholds():
    assert level_for(0).label == "À découvrir"
    assert level_for(34.9).label == "À découvrir"
    assert level_for(35).label == "En progression"
    assert level_for(59.9).label == "En progression"
    assert level_for(60).label == "Maîtrisé"
    assert level_for(85).label == "Expert"
    assert level_for(100).label == "Expert"
    with pytest.raises(ValueError):
        level_for(101)


def test_strengths_and_up_to_three_priorities():
    order = [c.id for c in FW.competences]
    scores = dict(zip(order, [90, 20, 40, 70, 55, 65, 80], strict=True))
    strengths, priorities = strengths_and_priorities(scores, order)
    assert priorities == ["empathie", "assertivite", "anglais"]
    assert strengths == ["communication", "collaboration", "creativite"]
    high = dict.fromkeys(order, 90.0) | {"anglais": 86.0, "creativite": 88.0}
    strengths, priorities = strengths_and_priorities(high, order)
    assert priorities == []  # every competence mastered: nothing to list as a priority
    assert len(strengths) == 3
    low = dict.fromkeys(order, 10.0)
    strengths, priorities = strengths_and_priorities(low, order)
    assert strengths == [] and priorities == order[:3]


def test_report_of_a_partial_attempt_lists_unscored_competences():
    ratings, choices = answers_for(COMM, 4, best=True)
    report = score_answers(FW, ratings, choices)
    assert not report.complete
    assert report.unscored == [c.id for c in FW.competences if c.id != "communication"]
    assert report.score_map() == {"communication": report.scores["communication"].score}


def test_judgement_feedback_names_the_best_option_and_the_choice():
    item = COMM.situational[0]
    worst = min(item.options, key=lambda o: o.score)
    feedback = judgement_feedback(FW, {item.id: worst.id})
    assert len(feedback) == sum(len(c.situational) for c in FW.competences)
    first = feedback[0]
    assert first.item.id == item.id and first.chosen == worst and first.best.score == 3
    assert not first.is_best
    assert feedback[1].chosen is None


CATALOG = [
    {"id": "quiz-1", "kind": "quiz", "competences": ["empathie"], "missions": [], "title": "Quiz"},
    {"id": "reply-1", "kind": "reply", "competences": ["empathie", "communication"], "missions": []},
    {"id": "crisis-1", "kind": "crisis", "competences": ["empathie"], "missions": []},
    {"id": "kpi-1", "kind": "kpi", "competences": ["anglais"], "missions": ["kpi"]},
]


def test_exercises_for_a_competence_prefer_its_kinds():
    kinds = FW.competence("empathie").exercise_kinds
    assert [e["id"] for e in exercises_for("empathie", kinds, CATALOG, 3)] == [
        "reply-1",
        "crisis-1",
        "quiz-1",
    ]
    assert exercises_for("creativite", kinds, CATALOG, 3) == []


def test_recommendations_follow_the_priorities():
    order = [c.id for c in FW.competences]
    ratings: dict[str, int] = {}
    choices: dict[str, str] = {}
    for comp in FW.competences:
        level = 1 if comp.id in ("empathie", "anglais") else 5
        r, c = answers_for(comp, level, best=level == 5)
        ratings |= r
        choices |= c
    report = score_answers(FW, ratings, choices)
    assert report.priorities == ["empathie", "anglais"]
    recs = recommend(FW, report, CATALOG)
    assert [r.competence_id for r in recs] == ["empathie", "anglais"]
    assert recs[0].resources == FW.competence("empathie").resources
    assert [e["id"] for e in recs[1].exercises] == ["kpi-1"]
    assert order[0] in report.strengths


def test_levels_sentence_names_every_threshold_with_french_typography():
    from training_modules.scoring import levels_sentence

    text = levels_sentence()
    assert text.startswith("Niveaux\u00a0:")
    assert "«\u00a0À découvrir\u00a0» en dessous de 35" in text
    assert "«\u00a0Expert\u00a0» à partir de 85" in text


def poor_choice_sets(comp):
    """Every way of answering the competence's situations with options scored 0 or 1."""
    poor = [[o.id for o in item.options if o.score <= 1] for item in comp.situational]
    for combo in itertools.product(*poor):
        yield {item.id: oid for item, oid in zip(comp.situational, combo, strict=True)}


@pytest.mark.parametrize("comp", FW.competences, ids=lambda c: c.id)
def test_rating_oneself_5_everywhere_with_poor_situational_answers_is_never_mastered(comp):
    raw_fives = {s.id: 5 for s in comp.statements}
    keyed_fives, _ = answers_for(comp, 5, best=True)
    for ratings in (raw_fives, keyed_fives):
        for choices in poor_choice_sets(comp):
            result = score_competence(comp, ratings, choices)
            assert result.level_label in ("À découvrir", "En progression"), (choices, result)
    assert score_competence(comp, keyed_fives, {}).level_label == "En progression"  # no situation answered


def test_self_rating_cannot_lift_the_level_above_the_evidence_but_can_lower_it():
    fives, _ = answers_for(COMM, 5, best=True)
    ones, best = answers_for(COMM, 1, best=True)
    _, worst = answers_for(COMM, 5, best=False)
    capped = score_competence(COMM, fives, worst)  # judgement 0: « À découvrir »
    assert capped.score == 34.0 and capped.capped and capped.level_label == "À découvrir"
    modest = score_competence(COMM, ones, best)  # judgement 100, self 0: the blend stands
    assert modest.score == 40.0 and not modest.capped
    top = score_competence(COMM, fives, best)
    assert top.score == 100 and not top.capped


def test_exercise_results_are_evidence_too():
    fives, _ = answers_for(COMM, 5, best=True)
    _, worst = answers_for(COMM, 5, best=False)
    # judgement 0 and exercises 90: evidence 45, « En progression »
    assert score_competence(COMM, fives, worst, measured=90.0).score == 59.0
    # no situation answered, exercises 80: « Maîtrisé » is supported, the blend (self alone) is capped at 84
    result = score_competence(COMM, fives, {}, measured=80.0)
    assert result.score == 84.0 and result.level_label == "Maîtrisé"
    report = score_answers(FW, fives, worst, measured={"communication": 90.0})
    assert report.scores["communication"].score == 59.0


def test_a_competence_at_100_or_mastered_is_never_a_priority():
    order = [c.id for c in FW.competences]
    everything = dict.fromkeys(order, 100.0)
    assert strengths_and_priorities(everything, order)[1] == []
    mixed = dict.fromkeys(order, 100.0) | {"anglais": 40.0}
    assert strengths_and_priorities(mixed, order)[1] == ["anglais"]
    all_best: dict[str, str] = {}
    all_ratings: dict[str, int] = {}
    for comp in FW.competences:
        r, c = answers_for(comp, 5, best=True)
        all_ratings |= r
        all_best |= c
    report = score_answers(FW, all_ratings, all_best)
    assert report.priorities == [] and recommend(FW, report, CATALOG) == []


def test_the_scoring_rule_is_stated_in_french():
    from training_modules.scoring import scoring_rule

    text = scoring_rule()
    assert "60\u202f%" in text and "40\u202f%" in text
    assert "ne peut pas" in text and "mises en situation" in text and "exercices" in text
    assert "«\u00a0En progression\u00a0»" in text
