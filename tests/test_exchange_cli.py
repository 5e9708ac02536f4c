"""The exchange commands: Moodle XML and content packs from the command line, and Moodle quizzes
and situational items into the library and the bank."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from lxml import etree
from sqlalchemy import func, select

from tests.moodle_files import MOODLE_BANK, WRITTEN_HERE, real
from training_modules.__main__ import main
from training_modules.competences import CONTENT_DIR, framework, load_framework
from training_modules.exchange.moodle import (
    MoodleError,
    add_items_to_bank,
    export_quizzes,
    import_quizzes,
    items_from_moodle,
    items_to_moodle,
    items_yaml,
)
from training_modules.exercises.loader import get_exercise
from training_modules.exercises.models import TrainerExercise
from training_modules.library import visible_exercises
from workbench.db import session_scope
from workbench.errors import UserError


def count_trainer_exercises() -> int:
    with session_scope() as s:
        return s.scalar(select(func.count()).select_from(TrainerExercise))


def test_moodle_quizzes_are_imported_into_the_library_as_the_trainers_own(people):
    data = real(MOODLE_BANK).read_bytes()
    with session_scope() as s:
        entries, report = import_quizzes(
            s, people.trainer, data, competences=["communication"], missions=["kpi"], sharing="cohort"
        )
        assert [e.exercise.title for e in entries] == ["moodle2amc", "num", "alternative-format"]
        assert {(e.author_id, e.sharing) for e in entries} == {(people.trainer.id, "cohort")}
        assert dict(report.skipped) == {"calculatedmulti": 2, "description": 1, "essay": 1}
        mine = [e.exercise.id for e in visible_exercises(s, people.trainer) if e.origin == "trainer"]
        assert sorted(mine) == sorted(e.exercise.id for e in entries)
        xml = export_quizzes(s, people.trainer, [entries[0].exercise.id, "quiz-indicateurs"])
        assert b"$course$/top/moodle2amc</text>" in xml and b"Le vocabulaire des indicateurs" in xml
        with pytest.raises(UserError, match="Seuls les quiz s’exportent en Moodle XML"):
            export_quizzes(s, people.trainer, ["kpi-fournil-mars"])
        with pytest.raises(UserError, match="réservée aux formateurs"):
            import_quizzes(s, people.alice, data, competences=["communication"], missions=["kpi"])


def test_a_moodle_import_that_fails_saves_no_quiz(people):
    data = (WRITTEN_HERE / "truefalse.xml").read_bytes()
    with session_scope() as s, pytest.raises(UserError, match="compétence inconnue"):
        import_quizzes(s, people.trainer, data, competences=["jonglage"], missions=["kpi"])
    assert count_trainer_exercises() == 0


@pytest.fixture
def bank(tmp_path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy, ignore=shutil.ignore_patterns("exercises"))
    return copy


def test_imported_items_join_the_bank_files_and_the_bank_still_loads(bank: Path):
    item = framework().competence("empathie").situational[0]
    before = (bank / "competences" / "empathie.yaml").read_text(encoding="utf-8")
    found = items_from_moodle(items_to_moodle([("empathie", item)]))
    [path] = add_items_to_bank(found.items, bank)
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before[: before.index("resources:")])  # the file's lines kept as they were
    loaded = load_framework(bank).competence("empathie").situational
    assert loaded[-1].id == f"{item.id}-2" and loaded[-1].model_dump(exclude={"id"}) == item.model_dump(
        exclude={"id"}
    )
    assert yaml.safe_load(items_yaml(found.items))["empathie"]["situational"][0]["id"] == f"{item.id}-2"


def test_items_that_would_break_the_bank_write_nothing(bank: Path, monkeypatch):
    item = framework().competence("empathie").situational[0]
    found = items_from_moodle(items_to_moodle([("empathie", item), ("anglais", item)]))
    # the same id given to two competences: loading the bank refuses it, no file is changed
    found.items["anglais"] = [found.items["empathie"][0]]
    before = {p.name: p.read_text(encoding="utf-8") for p in (bank / "competences").glob("*.yaml")}
    with pytest.raises(UserError, match="Identifiants d’items en double"):
        add_items_to_bank(found.items, bank)
    assert {p.name: p.read_text(encoding="utf-8") for p in (bank / "competences").glob("*.yaml")} == before


def test_cli_moodle_and_pack_round_trip(people, tmp_path, capsys):
    xml, zipped = tmp_path / "quiz.xml", tmp_path / "pack.zip"
    trainer = ["--trainer", "formatrice@example.fr"]
    assert main(["moodle", "export", "--quiz", "quiz-indicateurs", "-o", str(xml), *trainer]) == 0
    assert (
        main(
            [
                "moodle",
                "import",
                str(xml),
                "--quiz",
                "--competence",
                "communication",
                "--mission",
                "kpi",
                "--trainer",
                "autre@example.fr",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "5\u00a0questions importées («\u00a0Le vocabulaire des indicateurs\u00a0»" in out
    assert main(["pack", "export", "quiz-indicateurs", "kpi-fournil-mars", "-o", str(zipped), *trainer]) == 0
    assert main(["pack", "import", str(zipped), *trainer, "--sharing", "trainers"]) == 0
    assert "2\u00a0exercices importés" in capsys.readouterr().out
    assert main(["pack", "import", str(zipped), *trainer, "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out.splitlines()[-1])["exercises"]) == 2
    with session_scope() as s:
        made = [e for e in visible_exercises(s, people.trainer) if e.origin == "trainer"]
        assert sorted(e.exercise.title for e in made) == sorted(
            [get_exercise("quiz-indicateurs").title, get_exercise("kpi-fournil-mars").title] * 2
        )


def test_cli_items_import_prints_yaml_and_refuses_what_it_cannot_read(tmp_path, capsys, sqlite_url):
    xml = tmp_path / "items.xml"
    assert main(["moodle", "export", "--items", "empathie", "-o", str(xml)]) == 0
    assert main(["moodle", "import", str(xml), "--items"]) == 0
    out = capsys.readouterr().out
    count = len(framework().competence("empathie").situational)
    assert f"{count}\u00a0questions importées (empathie)." in out
    assert "empathie:\n  situational:\n" in out
    assert main(["moodle", "import", str(WRITTEN_HERE / "truefalse.xml"), "--items"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Erreur\u00a0: Aucune mise en situation importable") and "Traceback" not in err
    assert main(["moodle", "import", str(tmp_path / "absent.xml"), "--items"]) == 1
    assert "Impossible de lire" in capsys.readouterr().err
    with pytest.raises(MoodleError):
        items_from_moodle(b"<quiz/>")


def test_a_trainee_answers_a_quiz_imported_from_moodle(people):
    """A short-answer question and a numerical one from a Moodle bank, imported, assigned, answered
    and graded."""
    from datetime import timedelta

    from tests.test_pages_exercises import button, page
    from training_modules.exercises import assignments, submissions
    from workbench.localtime import today

    both = etree.Element("quiz")  # no category: one quiz
    both.append(etree.parse(WRITTEN_HERE / "shortanswer.xml").find("question[@type='shortanswer']"))
    [pi] = etree.parse(real(MOODLE_BANK)).xpath("question[name/text='num:float']")  # π ± 0.001
    both.append(pi)
    with session_scope() as s:
        [entry], _ = import_quizzes(
            s, people.trainer, etree.tostring(both), competences=["communication"], missions=["kpi"]
        )
        ex_id = entry.exercise.id
        assert [q.type for q in entry.exercise.questions] == ["short", "numerical"]
        assignments.assign(
            s,
            people.trainer,
            cohort_id=people.cohort_id,
            exercise_id=ex_id,
            due_on=today() + timedelta(days=3),
        )
    at = page("screens/my_exercises.py", people.alice, open_exercise=ex_id)
    assert not at.exception
    at.text_input(key=f"ex:{ex_id}:q1").input("Stories")
    at.text_input(key=f"ex:{ex_id}:q2").input("3,142").run()
    button(at, "Rendre").click().run()
    assert not at.exception
    with session_scope() as s:
        [sub] = submissions.attempts(s, people.alice, people.alice.id, ex_id)
        assert sub.answer == {"q1": ["Stories"], "q2": ["3,142"]}
        assert sub.auto_score == 90  # stories: 80 % of its point; 3,142 is π give or take 0.001
