"""Trainer-made exercises stored in the database: create, edit, versions, sharing and access rules,
uploaded datasets, and work done on them (both backends)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.exercise_samples import SAMPLES
from training_modules import library, programme
from training_modules.exercises import assignments, calibration, kpi, live, reviews, submissions
from training_modules.exercises.loader import (
    DATASETS_DIR,
    ContentError,
    get_exercise,
    load_exercises,
    reload_exercises,
    version_of,
)
from training_modules.exercises.models import (
    ExerciseDataset,
    Submission,
    TrainerExercise,
    TrainerExerciseVersion,
)
from workbench.cohorts import join_with_code
from workbench.db import run_transaction, session_scope
from workbench.errors import AccessDenied, NotFound

QUIZ = "quiz-indicateurs"
REPLY = "reply-client-colis-perdu"
KPI = "kpi-veloce-mars"
CRISIS = "crisis-fournil-rumeur"
DUE = date.today() + timedelta(days=7)


def _copy(actor, source: str, *, sharing: str = "private", datasets=None, **changes) -> library.LibraryEntry:
    with session_scope() as s:
        data = {**library.duplicate_data(s, actor, source), **changes}
        return library.save_exercise(s, actor, data, sharing=sharing, datasets=datasets)


def _assign(trainer, cohort_id: int, exercise_id: str) -> None:
    with session_scope() as s:
        assignments.assign(s, trainer, cohort_id=cohort_id, exercise_id=exercise_id, due_on=DUE)


def _count(model) -> int:
    with session_scope() as s:
        return s.scalar(select(func.count()).select_from(model))


def _right_quiz(exercise) -> dict:
    return {q.id: q.answer for q in exercise.questions}


# --- create, edit, versions ---------------------------------------------------------------------


def test_a_copy_of_a_bundled_exercise_is_a_new_trainer_made_one(people):
    entry = _copy(people.trainer, QUIZ)
    assert entry.origin == "trainer" and entry.version == 1
    assert entry.exercise.id.startswith("f-") and entry.exercise.id not in load_exercises()
    assert entry.exercise.title == f"{get_exercise(QUIZ).title} (copie)"
    assert (entry.author_id, entry.author_name, entry.sharing) == (
        people.trainer.id,
        "Claire Formatrice",
        "private",
    )
    again = _copy(people.trainer, QUIZ)
    assert again.exercise.id == f"{entry.exercise.id}-2"  # same title, another id
    with session_scope() as s:
        assert get_exercise(entry.exercise.id, session=s) == entry.exercise
        assert (
            library.editable_data(entry.exercise)["questions"]
            == library.editable_data(get_exercise(QUIZ))["questions"]
        )


def test_a_bundled_exercise_is_never_overwritten(people):
    with session_scope() as s:
        data = library.editable_data(get_exercise(QUIZ))
        with pytest.raises(AccessDenied, match="dupliquez"):
            library.save_exercise(s, people.trainer, data, sharing="trainers", exercise_id=QUIZ)
    assert get_exercise(QUIZ).title == "Le vocabulaire des indicateurs"


def test_bundled_files_may_not_use_the_trainer_prefix(tmp_path):
    source = (load_exercises()[QUIZ]).model_dump(mode="json", exclude={"id"})
    import yaml

    (tmp_path / "f-mon-quiz.yaml").write_text(yaml.safe_dump(source, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError, match="réservés aux exercices créés dans l’application"):
        load_exercises(tmp_path)
    reload_exercises()


def test_editing_before_anyone_started_changes_the_version_in_place(people):
    entry = _copy(people.trainer, QUIZ)
    with session_scope() as s:
        data = {**library.editable_data(entry.exercise), "title": "Indicateurs, version de la promo"}
        edited = library.save_exercise(
            s, people.trainer, data, sharing="cohort", exercise_id=entry.exercise.id
        )
    assert (edited.version, edited.exercise.title, edited.sharing) == (
        1,
        "Indicateurs, version de la promo",
        "cohort",
    )
    assert _count(TrainerExerciseVersion) == 1


def test_work_keeps_the_version_it_was_done_on(people):
    """Alice hands in on version 1; the trainer then changes the answers: that makes version 2,
    Alice's copy stays graded, shown, corrected and exported against version 1."""
    entry = _copy(people.trainer, QUIZ, title="Quiz des indicateurs v1")
    ex_id = entry.exercise.id
    _assign(people.trainer, people.cohort_id, ex_id)
    right_v1 = _right_quiz(entry.exercise)
    with session_scope() as s:
        done = submissions.submit(s, people.alice, ex_id, right_v1)
        submissions.save_draft(s, people.bob, ex_id, {})  # Bob started on version 1 too
    assert done.auto_score == 100 and version_of(done.exercise) == 1

    first = entry.exercise.questions[0]
    other = next(o.id for o in first.options if o.id not in first.answer)
    data = library.editable_data(entry.exercise)
    data["title"] = "Quiz des indicateurs v2"
    data["questions"][0]["answer"] = [other]
    with session_scope() as s:
        v2 = library.save_exercise(s, people.trainer, data, sharing="private", exercise_id=ex_id)
    assert v2.version == 2 and v2.submissions == 2

    with session_scope() as s:
        row = s.get(Submission, done.id)
        assert row.version == 1
        view = submissions.get_submission(s, people.trainer, done.id)
        assert view.title == "Quiz des indicateurs v1" and view.exercise.questions[0].answer == first.answer
        # Bob's draft goes on with version 1, and is graded against it.
        bob = submissions.submit(s, people.bob, ex_id, right_v1)
        assert version_of(bob.exercise) == 1 and bob.auto_score == 100
        # A new attempt starts on the latest version, and is graded against its answers.
        again = submissions.submit(s, people.alice, ex_id, {**right_v1, first.id: [other]})
    assert version_of(again.exercise) == 2 and again.auto_score == 100
    with session_scope() as s:
        history = submissions.attempts(s, people.alice, people.alice.id, ex_id)
        assert [version_of(h.exercise) for h in history] == [2, 1]
        assert [m.title for m in submissions.my_exercises(s, people.alice)] == ["Quiz des indicateurs v2"]
        exported = list(
            csv.reader(
                io.StringIO(reviews.export_results_csv(s, people.trainer, people.cohort_id)), delimiter=";"
            )
        )
    titles = {(r[1], r[6]): r[4] for r in exported[1:]}
    assert titles[("Alice", "1")] == "Quiz des indicateurs v1"
    assert titles[("Alice", "2")] == "Quiz des indicateurs v2"


def test_the_trainer_grades_with_the_grid_of_the_version_handed_in(people):
    entry = _copy(people.trainer, REPLY)
    ex_id = entry.exercise.id
    _assign(people.trainer, people.cohort_id, ex_id)
    answer, _phrase = SAMPLES[REPLY]
    with session_scope() as s:
        done = submissions.submit(s, people.alice, ex_id, answer)
    data = library.editable_data(entry.exercise)
    data["rubric"] = data["rubric"][:1]  # version 2 has a one-criterion grid
    with session_scope() as s:
        assert (
            library.save_exercise(s, people.trainer, data, sharing="private", exercise_id=ex_id).version == 2
        )
    full = [c.max_points for c in entry.exercise.rubric]
    assert len(full) > 1
    with session_scope() as s:
        graded = reviews.grade_submission(
            s, people.trainer, done.id, rubric_points=full, comment="Très bien."
        )
        assert graded.final_score == 100
        queue = reviews.review_queue(s, people.trainer, include_all=True)
        assert [version_of(q.exercise) for q in queue] == [1]


def test_a_live_crisis_plays_the_version_it_started_with(people):
    entry = _copy(people.trainer, CRISIS)
    ex_id = entry.exercise.id
    with session_scope() as s:
        state = live.start_live(s, people.trainer, cohort_id=people.cohort_id, exercise_id=ex_id)
        live.release_next(s, people.trainer, state.id)
    data = library.editable_data(entry.exercise)
    data["title"] = "Rumeur, version 2"
    with session_scope() as s:
        # Nobody has handed anything in yet: the live session alone does not make a new version.
        library.save_exercise(s, people.trainer, data, sharing="private", exercise_id=ex_id)
        turn = live.my_turn(s, people.alice, state.id)
        assert turn.live.title == "Rumeur, version 2" and turn.live.version == 1
    path = SAMPLES[CRISIS][0]["choices"]
    for n, choice in enumerate(path):
        with session_scope() as s:
            if n:
                live.release_next(s, people.trainer, state.id)
            handed = live.answer_live(s, people.alice, state.id, choice)
    assert handed is not None and version_of(handed.exercise) == 1
    with session_scope() as s:
        data["title"] = "Rumeur, version 3"
        assert (
            library.save_exercise(s, people.trainer, data, sharing="private", exercise_id=ex_id).version == 2
        )
        assert live.live_state(s, people.trainer, state.id).title == "Rumeur, version 2"


def test_the_programme_takes_trainer_made_exercises_the_trainer_may_assign(people):
    mine = _copy(people.trainer, QUIZ, title="Quiz maison").exercise.id
    theirs = _copy(people.other_trainer, REPLY, sharing="private").exercise.id
    first = date.today() + timedelta(days=14)
    plan = {**programme.default_plan(), mine: 0}
    with pytest.raises(AccessDenied):
        run_transaction(
            programme.assign_programme,
            people.trainer,
            cohort_id=people.cohort_id,
            first_day=first,
            plan={**plan, theirs: 1},
        )
    with session_scope() as s:
        assert assignments.cohort_assignments(s, people.trainer, people.cohort_id) == []  # nothing half-done
    done = run_transaction(
        programme.assign_programme, people.trainer, cohort_id=people.cohort_id, first_day=first, plan=plan
    )
    assert ("Quiz maison", done.days[0]) in {(a.title, a.due_on) for a in done.assignments}


def test_trainer_made_work_counts_in_the_measured_competences(people):
    entry = _copy(people.trainer, QUIZ, competences=["anglais"])
    _assign(people.trainer, people.cohort_id, entry.exercise.id)
    with session_scope() as s:
        submissions.submit(s, people.alice, entry.exercise.id, _right_quiz(entry.exercise))
        assert calibration.measured_performance(s, people.alice.id) == {"anglais": 100.0}


# --- validation: the field is named, nothing is half-saved ---------------------------------------


def test_a_refused_exercise_names_the_field_and_saves_nothing(people):
    with session_scope() as s:
        data = library.duplicate_data(s, people.trainer, REPLY)
    data["rules"] = {**data.get("rules", {}), "max_length": "beaucoup"}
    with session_scope() as s, pytest.raises(ContentError) as refused:
        library.save_exercise(s, people.trainer, data, sharing="private")
    assert refused.value.field == "rules.max_length"
    assert "champ «\u00a0rules.max_length\u00a0»" in str(refused.value)
    assert "Corrigez ce champ puis enregistrez" in str(refused.value)
    del data["rules"]["max_length"]
    data["brief"] = "court"
    with session_scope() as s, pytest.raises(ContentError) as refused:
        library.save_exercise(s, people.trainer, data, sharing="private")
    assert refused.value.field == "brief"
    with session_scope() as s, pytest.raises(ContentError) as refused:
        library.save_exercise(s, people.trainer, {**data, "kind": "podcast"}, sharing="private")
    assert refused.value.field == "kind" and "type d’exercice inconnu" in str(refused.value)
    assert (_count(TrainerExercise), _count(TrainerExerciseVersion)) == (0, 0)


def test_a_refused_edit_leaves_the_exercise_and_datasets_as_they_were(people):
    posts = (DATASETS_DIR / "veloce_posts.csv").read_bytes()
    entry = _copy(people.trainer, KPI, datasets={"mes-posts.csv": posts}, posts_csv="mes-posts.csv")
    before = library.editable_data(entry.exercise)
    with session_scope() as s:
        # A readable new dataset, but the body is wrong further on: neither is kept.
        data = {**before, "title": "Nouveau titre", "metrics": []}
        with pytest.raises(ContentError) as refused:
            library.save_exercise(
                s,
                people.trainer,
                data,
                sharing="trainers",
                datasets={"mes-posts.csv": posts.replace(b"P01", b"P99")},
                exercise_id=entry.exercise.id,
            )
    assert refused.value.field == "metrics"
    with session_scope() as s:
        again = library.exercise_entry(s, people.trainer, entry.exercise.id)
    assert library.editable_data(again.exercise) == before and again.sharing == "private"
    assert _count(ExerciseDataset) == 1


def test_uploaded_datasets_are_checked(people):
    with session_scope() as s:
        data = {**library.duplicate_data(s, people.trainer, KPI), "posts_csv": "mes-posts.csv"}
    cases = {
        "nothing": ({}, "posts_csv", "introuvable"),
        "not a csv": ({"mes-posts.csv": b"\x00\xff\xfe garbage"}, "posts_csv", "CSV lisible"),
        "columns": ({"mes-posts.csv": b"post_id,reach\nP1,3\n"}, "posts_csv", "il manque"),
        "too big": ({"mes-posts.csv": b"x" * (library.MAX_DATASET_BYTES + 1)}, "datasets", "trop lourd"),
        "name": ({"../../etc/passwd.csv": b"a"}, "datasets", "Nom de fichier refusé"),
    }
    for label, (datasets, field, words) in cases.items():
        with session_scope() as s, pytest.raises(ContentError, match=words) as refused:
            library.save_exercise(s, people.trainer, data, sharing="private", datasets=datasets)
        assert refused.value.field == field, label
    assert (_count(TrainerExercise), _count(ExerciseDataset)) == (0, 0)


# --- access rules ---------------------------------------------------------------------------------


def _ids(session, actor) -> set[str]:
    return {e.exercise.id for e in library.visible_exercises(session, actor) if e.origin == "trainer"}


def test_only_trainers_write_and_only_the_author_edits(people):
    entry = _copy(people.trainer, QUIZ, sharing="trainers")
    data = library.editable_data(entry.exercise)
    with session_scope() as s:
        with pytest.raises(AccessDenied):
            library.save_exercise(s, people.alice, data, sharing="private")
        with pytest.raises(AccessDenied):
            library.duplicate_data(s, people.alice, QUIZ)
        with pytest.raises(AccessDenied, match="auteur"):
            library.save_exercise(
                s, people.other_trainer, data, sharing="trainers", exercise_id=entry.exercise.id
            )
        with pytest.raises(NotFound):
            library.save_exercise(s, people.trainer, data, sharing="private", exercise_id="f-nexiste-pas")


def test_private_is_the_authors_alone(people):
    ex_id = _copy(people.trainer, QUIZ, sharing="private").exercise.id
    with session_scope() as s:
        assert ex_id in _ids(s, people.trainer)
        assert ex_id not in _ids(s, people.other_trainer)
        with pytest.raises(AccessDenied):
            library.exercise_entry(s, people.other_trainer, ex_id)
        with pytest.raises(AccessDenied):
            library.duplicate_data(s, people.other_trainer, ex_id)
        with pytest.raises(AccessDenied):
            assignments.assign(
                s, people.other_trainer, cohort_id=people.other_cohort_id, exercise_id=ex_id, due_on=DUE
            )
        # Not assigned yet: the author's own trainees do not see it either.
        assert _ids(s, people.alice) == set()
        with pytest.raises(AccessDenied):
            submissions.save_draft(s, people.alice, ex_id, {})
    _assign(people.trainer, people.cohort_id, ex_id)
    with session_scope() as s:
        assert _ids(s, people.alice) == {ex_id}
        assert [m.exercise_id for m in submissions.my_exercises(s, people.alice)] == [ex_id]
        assert _ids(s, people.zoe) == set()
        with pytest.raises(AccessDenied):
            submissions.submit(s, people.zoe, ex_id, _right_quiz(get_exercise(ex_id, session=s)))


def test_cohort_sharing_reaches_the_trainers_of_the_authors_trainees(people):
    ex_id = _copy(people.trainer, QUIZ, sharing="cohort").exercise.id
    with session_scope() as s:
        assert ex_id not in _ids(s, people.other_trainer)
        # Zoé (Paul's trainee) joins Claire's cohort too: Paul now teaches one of Claire's trainees.
        join_with_code(s, people.zoe, people.code)
    with session_scope() as s:
        assert ex_id in _ids(s, people.other_trainer)
        assert library.duplicate_data(s, people.other_trainer, ex_id)["title"].endswith("(copie)")
        with pytest.raises(AccessDenied, match="seul lui peut l’assigner"):
            assignments.assign(
                s, people.other_trainer, cohort_id=people.other_cohort_id, exercise_id=ex_id, due_on=DUE
            )
        assert ex_id not in {e.exercise.id for e in library.assignable_exercises(s, people.other_trainer)}
        assert ex_id in {e.exercise.id for e in library.assignable_exercises(s, people.trainer)}
    _assign(people.trainer, people.cohort_id, ex_id)
    with session_scope() as s:
        assert _ids(s, people.zoe) == {ex_id} and _ids(s, people.bob) == {ex_id}


def test_trainers_sharing_lets_every_trainer_see_duplicate_and_assign(people):
    ex_id = _copy(people.trainer, QUIZ, sharing="trainers").exercise.id
    with session_scope() as s:
        entry = library.exercise_entry(s, people.other_trainer, ex_id)
        assert entry.author_name == "Claire Formatrice"
        copy = library.save_exercise(
            s, people.other_trainer, library.duplicate_data(s, people.other_trainer, ex_id), sharing="private"
        )
        assert copy.author_id == people.other_trainer.id
        assignments.assign(
            s, people.other_trainer, cohort_id=people.other_cohort_id, exercise_id=ex_id, due_on=DUE
        )
        assert _ids(s, people.zoe) == {ex_id}
        assert _ids(s, people.alice) == set()  # Claire has not assigned it to her own cohort
    with session_scope() as s:
        done = submissions.submit(s, people.zoe, ex_id, _right_quiz(entry.exercise))
        assert done.auto_score == 100
        assert copy.exercise.id not in _ids(s, people.trainer)  # Paul's copy is private


# --- a trainee hands in trainer-made exercises of several kinds -----------------------------------


def test_a_trainee_hands_in_trainer_made_exercises_of_three_kinds(people):
    # The KPI exercise uses its own uploaded figures: twice the clicks of the bundled dataset.
    rows = list(csv.DictReader(io.StringIO((DATASETS_DIR / "veloce_posts.csv").read_text(encoding="utf-8"))))
    for row in rows:
        row["clicks"] = str(2 * int(row["clicks"]))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    made = {
        "quiz": _copy(people.trainer, QUIZ),
        "reply": _copy(people.trainer, REPLY),
        "kpi": _copy(
            people.trainer,
            KPI,
            datasets={"clics-doubles.csv": out.getvalue().encode()},
            posts_csv="clics-doubles.csv",
            variation=0.0,
        ),
    }
    for entry in made.values():
        _assign(people.trainer, people.cohort_id, entry.exercise.id)
    kpi_ex = made["kpi"].exercise
    expected = kpi.expected_values(kpi_ex, kpi.dataset_for(kpi_ex, people.alice.id))
    bundled = get_exercise(KPI).model_copy(update={"variation": 0.0})
    assert expected["ctr"] != kpi.expected_values(bundled, kpi.dataset_for(bundled, people.alice.id))["ctr"]
    answers = {
        "quiz": _right_quiz(made["quiz"].exercise),
        "reply": SAMPLES[REPLY][0],
        "kpi": {metric: str(value).replace(".", ",") for metric, value in expected.items()},
    }
    with session_scope() as s:
        mine = {m.exercise_id for m in submissions.my_exercises(s, people.alice)}
        assert mine == {e.exercise.id for e in made.values()}
        for kind, entry in made.items():
            submissions.save_draft(s, people.alice, entry.exercise.id, answers[kind])
            done = submissions.submit(s, people.alice, entry.exercise.id, answers[kind])
            assert done.kind == kind and version_of(done.exercise) == 1
            if kind != "reply":
                assert done.auto_score == 100, kind
    with session_scope() as s:
        states = {m.kind: m.state for m in submissions.my_exercises(s, people.alice)}
        assert states == {"quiz": "submitted", "reply": "submitted", "kpi": "submitted"}
        assert library.exercise_entry(s, people.trainer, kpi_ex.id).submissions == 1
        uploaded = out.getvalue().encode()
        assert library.dataset_bytes(s, get_exercise(kpi_ex.id, session=s), "clics-doubles.csv") == uploaded
        # An exercise object built from its fields alone (an export, a form) finds it too.
        bare = type(kpi_ex).model_validate(kpi_ex.model_dump())
        assert library.dataset_bytes(s, bare, "clics-doubles.csv") == uploaded
        assert library.dataset_bytes(s, get_exercise(KPI), "veloce_posts.csv").startswith(b"post_id,")
        with pytest.raises(NotFound):
            library.dataset_bytes(s, get_exercise(KPI), "../../../etc/passwd")


def test_the_catalogue_cli_keeps_listing_bundled_exercises(people, capsys):
    import json

    from training_modules.__main__ import main

    _copy(people.trainer, QUIZ, sharing="trainers")
    assert main(["catalog", "--json"]) in (0, None)
    ids = {e["id"] for e in json.loads(capsys.readouterr().out)["exercises"]}
    assert ids == set(load_exercises())
