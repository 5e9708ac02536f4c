"""The bundled bank for the scenario kinds (calendar, crisis, live-tweet, watch summary, SEO): enough
exercises for a five-day course, each one solvable as written, and each one opening for a trainee."""

from __future__ import annotations

import itertools

import pytest

from curation.networks import count
from curation.sanitize import markdown_text
from tests.apptest import run_page
from training_modules.exercises.graders import crisis as crisis_grader
from training_modules.exercises.graders import grade
from training_modules.exercises.loader import load_exercises

KINDS = ("calendar", "crisis", "live_tweet", "watch_summary", "seo")
BANK = sorted((e for e in load_exercises().values() if e.kind in KINDS), key=lambda e: e.id)


def of_kind(kind: str) -> list:
    return [e for e in BANK if e.kind == kind]


@pytest.mark.parametrize("kind", KINDS)
def test_each_scenario_kind_has_six_exercises_across_sectors(kind):
    exercises = of_kind(kind)
    assert len(exercises) >= 6, kind
    assert len({e.title for e in exercises}) == len(exercises)
    assert all(5 <= e.duration_minutes <= 45 for e in exercises), kind


def test_the_scenario_kinds_train_the_missions_a_course_needs():
    trained = {m for e in BANK for m in e.missions}
    assert {"live_video", "publicite", "e_reputation", "relation_client", "strategie", "reseaux"} <= trained
    for mission in ("live_video", "publicite"):
        assert len([e for e in BANK if mission in e.missions]) >= 4, mission
    planning = [e for e in of_kind("calendar") if any(w in e.brief for w in ("Buffer", "heure de Paris"))]
    assert len(planning) >= 2  # scheduling-tool planning: queues, slots, time zones


@pytest.mark.parametrize("ex", of_kind("calendar"), ids=lambda e: e.id)
def test_every_model_plan_scores_full_marks(ex):
    result = grade(ex, {"posts": [p.model_dump(mode="json") for p in ex.model_plan]})
    assert result.score == 100, [(c.label, c.detail) for c in result.checks if not c.passed]


@pytest.mark.parametrize("ex", of_kind("crisis"), ids=lambda e: e.id)
def test_every_crisis_step_is_reached_and_every_path_ends_on_a_debrief(ex):
    steps = {s.id: s for s in ex.steps}
    reached, todo = set(), [ex.start]
    while todo:
        step = todo.pop()
        if step not in reached:
            reached.add(step)
            todo += [c.next for c in steps[step].choices if c.next]
    assert reached == set(steps), f"unreachable: {set(steps) - reached}"
    assert any(c.next is None for s in ex.steps for c in s.choices)
    for step in ex.steps:  # one best choice, and a poor one worth half of it at most
        points = sorted((c.points for c in step.choices), reverse=True)
        assert points[0] > points[1] and 2 * points[-1] <= points[0], (ex.id, step.id)
    assert crisis_grader.best_total(ex) > 0 and len(ex.debrief) > 200


@pytest.mark.parametrize("ex", of_kind("live_tweet"), ids=lambda e: e.id)
def test_every_live_script_fits_its_duration_and_cites_its_speakers(ex):
    times = [e.at for e in ex.script]
    assert times == sorted(times) and times[-1] < ex.duration_seconds
    assert sum(e.key for e in ex.script) >= 3
    assert ex.rules.max_gap_seconds >= max(b - a for a, b in itertools.pairwise(times))
    assert ex.speakers and ex.hashtag in ex.brief


@pytest.mark.parametrize("ex", of_kind("watch_summary"), ids=lambda e: e.id)
def test_every_watch_model_answer_passes_its_own_checks(ex):
    result = grade(ex, {"text": ex.model_answer})
    assert result.score == 100, [(c.label, c.detail) for c in result.checks if not c.passed]
    assert ex.article.url.startswith("https://") and ex.article.published
    assert count(ex.model_answer, ex.rules.network).ok


@pytest.mark.parametrize("ex", of_kind("seo"), ids=lambda e: e.id)
def test_every_seo_model_fits_its_limits_and_holds_the_keyword(ex):
    rules = ex.rules
    assert rules.title_min <= len(ex.model_title) <= rules.title_max, ex.model_title
    assert rules.meta_min <= len(ex.model_meta) <= rules.meta_max, ex.model_meta
    assert ex.keyword.casefold() in ex.model_title.casefold()
    assert ex.keyword.casefold() in ex.model_meta.casefold()


@pytest.mark.parametrize("ex", BANK, ids=lambda e: e.id)
def test_every_scenario_exercise_opens_for_a_trainee(people, ex):
    at = run_page("screens/my_exercises.py", people.alice, open_exercise=ex.id)
    assert not at.exception, ex.id
    assert at.header[0].value == markdown_text(ex.title)
