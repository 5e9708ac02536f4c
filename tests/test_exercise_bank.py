"""The bundled exercise bank as content: every file loads, model answers pass, datasets hold together."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from training_modules.exercises import kpi as kpi_lib
from training_modules.exercises.answers import answer_rows
from training_modules.exercises.graders import grade
from training_modules.exercises.loader import (
    CONTENT_DIR,
    DATASETS_DIR,
    ContentError,
    load_exercise_file,
    load_exercises,
    parse_exercise,
)

FILES = sorted(CONTENT_DIR.glob("*.yaml"))
POST_COLUMNS = "post_id,date,network,format,impressions,reach,reactions,comments,shares,clicks,conversions"
MESSAGE_COLUMNS = "message_id,received_at,channel,answered,response_minutes"


def _of_kind(*kinds: str):
    return [e for e in load_exercises().values() if e.kind in kinds]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_exercise_file_validates_and_loads(path: Path):
    exercise = load_exercise_file(path)
    assert exercise.id == path.stem
    assert exercise.title.strip() and exercise.feedback.failure.strip()


def test_no_brief_line_turns_into_a_heading():
    """A bundled brief is Markdown: the SEO brief's line « ## pour les intertitres) ou en HTML. »
    showed as a big heading in the middle of the instructions."""
    headings = [
        (e.id, line)
        for e in load_exercises().values()
        for line in e.brief.splitlines()
        if re.match(r" {0,3}#{1,6}(\s|$)", line)
    ]
    assert headings == []


@pytest.mark.parametrize("exercise", _of_kind("reply", "post"), ids=lambda e: e.id)
def test_model_answer_passes_its_own_automatic_checks(exercise):
    result = grade(exercise, {"text": exercise.model_answer})
    assert result.score == 100, [(c.label, c.detail) for c in result.checks if not c.passed]


@pytest.mark.parametrize("exercise", _of_kind("quiz"), ids=lambda e: e.id)
def test_quiz_key_is_given_away_by_neither_place_nor_length(exercise):
    # Options are shown in file order: a key always first (or always last) gives the answer away,
    # and so does a key that is, most of the time, the one long and careful option.
    singles = [q for q in exercise.questions if q.type == "single"]
    positions = [[o.id for o in q.options].index(q.answer[0]) for q in singles]
    if len(positions) >= 3:
        assert len(set(positions)) >= 2, exercise.id
    longest = 0
    for q in singles:
        lengths = {o.id: len(o.text) for o in q.options}
        key = lengths.pop(q.answer[0])
        longest += key > max(lengths.values())
    assert longest <= len(singles) // 2, exercise.id


@pytest.mark.parametrize("exercise", _of_kind("kpi"), ids=lambda e: e.id)
def test_kpi_dataset_is_coherent(exercise):
    posts_file, messages_file = DATASETS_DIR / exercise.posts_csv, DATASETS_DIR / exercise.messages_csv
    assert posts_file.read_text(encoding="utf-8").splitlines()[0] == POST_COLUMNS
    assert messages_file.read_text(encoding="utf-8").splitlines()[0] == MESSAGE_COLUMNS
    posts, messages = pd.read_csv(posts_file), pd.read_csv(messages_file)
    assert posts["post_id"].is_unique and messages["message_id"].is_unique
    assert (posts["reach"] <= posts["impressions"]).all()
    assert (posts["clicks"] <= posts["impressions"]).all()
    assert (posts["conversions"] <= posts["clicks"]).all()
    assert set(messages["answered"]) <= {0, 1}
    # a delay exactly when the message was answered
    assert (messages["response_minutes"].notna() == (messages["answered"] == 1)).all()
    pd.to_datetime(posts["date"], format="%Y-%m-%d")
    pd.to_datetime(messages["received_at"], format="%Y-%m-%d %H:%M")


# Base answers (no per-trainee variation), computed with pandas from the CSV files when they were written.
BASE_ANSWERS = {
    "kpi-maille-campagne-sponsorisee": {
        "ctr": 1.44,
        "conversion_rate": 4.06,
        "engagement_rate": 1.29,
        "audience_growth": 8.57,
        "response_rate": 95.83,
        "avg_response_time": 134.09,
    },
    "kpi-musee-tiktok-youtube": {
        "engagement_rate": 6.59,
        "reach_rate": 53.76,
        "audience_growth": 20.65,
        "share_of_voice": 36.49,
        "conversion_rate": 9.46,
        "response_rate": 80.0,
    },
    "kpi-ardoise-messages": {
        "response_rate": 83.33,
        "avg_response_time": 741.4,
        "engagement_rate": 2.75,
        "audience_growth": 3.2,
        "ctr": 1.4,
    },
    "kpi-kerlann-planification": {
        "engagement_rate": 5.28,
        "reach_rate": 27.62,
        "ctr": 1.81,
        "conversion_rate": 8.71,
        "share_of_voice": 29.78,
        "response_rate": 92.31,
        "avg_response_time": 158.62,
    },
}


@pytest.mark.parametrize("exercise_id", sorted(BASE_ANSWERS))
def test_kpi_base_answers_match_the_dataset(exercise_id):
    exercise = load_exercises()[exercise_id].model_copy(update={"variation": 0.0})
    data = kpi_lib.dataset_for(exercise, user_id=1)
    assert kpi_lib.expected_values(exercise, data) == BASE_ANSWERS[exercise_id]


def test_a_private_message_reply_does_not_also_ask_to_go_private():
    data = load_exercises()["reply-dm-instagram-echange"].model_dump(mode="json", exclude={"id"})
    assert data["private"] is True
    data["rules"]["private_message"] = True
    with pytest.raises(ContentError, match="private_message"):
        parse_exercise(data, name="reply-dm-test")


def test_a_private_message_reply_is_labelled_as_such_for_the_trainer():
    exercises = load_exercises()
    dm = answer_rows(exercises["reply-dm-instagram-echange"], {"text": "Bonsoir Aurélie"})
    public = answer_rows(exercises["reply-client-colis-perdu"], {"text": "Bonjour Camille"})
    assert dm[0].label == "Réponse en message privé" and public[0].label == "Réponse publique"


def test_the_whole_bank_fills_a_five_day_course() -> None:
    """Issue 21: at least 6 exercises per kind, every mission trained by 2 or more, every
    competence by 8 or more, and the networks of today all present."""
    from collections import Counter

    from training_modules.competences import framework
    from training_modules.exercises.loader import load_exercises
    from training_modules.exercises.schema import KIND_LABELS

    bank = list(load_exercises().values())
    kinds = Counter(e.kind for e in bank)
    assert {k: kinds[k] for k in KIND_LABELS if kinds[k] < 6} == {}
    missions = Counter(m for e in bank for m in e.missions)
    assert {m.id: missions[m.id] for m in framework().missions if missions[m.id] < 2} == {}
    competences = Counter(c for e in bank for c in e.competences)
    assert {c.id: competences[c.id] for c in framework().competences if competences[c.id] < 8} == {}
    assert sum(e.duration_minutes for e in bank) >= 5 * 3 * 60  # five days of three hours of practice


def test_reach_and_impressions_option_agrees_in_number():
    """The quiz option read « les impressions compte chaque affichage »."""
    (question,) = [q for q in load_exercises()["quiz-indicateurs"].questions if q.id == "q1"]
    texts = {o.id: o.text for o in question.options}
    assert texts["b"] == "La portée compte des personnes uniques, les impressions comptent chaque affichage"
