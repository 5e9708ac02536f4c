"""AppTest for the « Bibliothèque »'s exchange: exercises exported as a content pack and as Moodle
XML from the page and imported on the page by another trainer; situational items out to Moodle
XML and in as the trainer's own items in the database; broken files refused whole, in French."""

from __future__ import annotations

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from tests.moodle_files import MOODLE_BANK, real
from tests.test_library_authoring_pages import click, errors, open_library, shown
from training_modules import items_library
from training_modules.competences import framework
from training_modules.exchange.moodle import import_items, items_to_moodle
from training_modules.exercises import load_exercises
from training_modules.library import visible_exercises
from workbench.db import session_scope
from workbench.errors import UserError

QUIZ, KPI = "quiz-indicateurs", "kpi-fournil-mars"
EXERCISES = "exchange-exercises-0"  # the import form's key (ui.forms.form_key)
ITEMS = "exchange-items-0"


@pytest.fixture
def downloads(monkeypatch) -> dict[str, bytes]:
    """The files the page offers for download, by their file name."""
    offered: dict[str, bytes] = {}
    keep = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):
        if filename is not None and isinstance(path_or_data, bytes):
            offered[filename] = path_or_data
        return keep(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return offered


def mine(actor) -> list:
    with session_scope() as s:
        return [e for e in visible_exercises(s, actor) if e.author_id == actor.id]


def my_items(actor) -> list:
    with session_scope() as s:
        return [e for e in items_library.visible_items(s, actor) if e.author_id == actor.id]


def upload(at: AppTest, form: str, name: str, data: bytes, mime: str) -> AppTest:
    at.file_uploader(key=f"{form}#file").set_value((name, data, mime))
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    return " ".join(shown(x.value) for x in [*at.success, *at.info, *at.caption])


def test_exercises_go_out_as_a_pack_and_moodle_xml_and_come_back_on_the_page(people, downloads):
    at = open_library(people.trainer)
    at.multiselect(key="x-chosen").set_value([QUIZ, KPI]).run()
    kpi = load_exercises()[KPI]
    assert f"ne sont pas des quiz\u00a0: «\u00a0{kpi.title}\u00a0»" in texts(at)
    labels = {b.key: b.label for b in at.get("download_button") if b.key in ("x-pack", "x-moodle")}
    assert labels == {"x-pack": "Exporter en pack (.zip)", "x-moodle": "Exporter en Moodle XML"}
    pack, xml = downloads["pack-exercices-atelier-cm.zip"], downloads["quiz-moodle-atelier-cm.xml"]
    assert pack.startswith(b"PK") and b"<quiz>" in xml and kpi.title.encode() not in xml

    other = open_library(people.other_trainer)
    upload(other, EXERCISES, "pack.zip", pack, "application/zip")
    other.radio(key=f"{EXERCISES}#sharing").set_value("cohort").run()
    click(other, f"{EXERCISES}#import")
    assert "2\u00a0exercices importés" in texts(other), texts(other)
    got = mine(people.other_trainer)
    assert sorted(e.exercise.kind for e in got) == ["kpi", "quiz"]
    assert {e.sharing for e in got} == {"cohort"}
    assert not [b for b in other.button if b.key == "exchange-exercises-1#import"]  # the form emptied

    upload(other, "exchange-exercises-1", "quiz.xml", xml, "application/xml")
    other.multiselect(key="exchange-exercises-1#competences").set_value(["communication"]).run()
    other.multiselect(key="exchange-exercises-1#missions").set_value([framework().missions[0].id]).run()
    click(other, "exchange-exercises-1#import")
    quiz = load_exercises()[QUIZ]
    assert f"{len(quiz.questions)}\u00a0questions importées (1\u00a0quiz" in texts(other), errors(other)
    (back,) = [e for e in mine(people.other_trainer) if e.exercise.kind == "quiz" and e.sharing == "private"]
    assert [q.prompt for q in back.exercise.questions] == [q.prompt for q in quiz.questions]
    assert back.exercise.competences == ["communication"]


@pytest.mark.parametrize(
    ("name", "data", "mime", "said"),
    [
        ("pack.zip", b"PK\x03\x04 not a zip at all", "application/zip", "archive zip illisible"),
        ("quiz.xml", b"<quiz><question type='multichoice'>", "application/xml", "pas du XML lisible"),
    ],
)
def test_a_broken_file_is_refused_in_french_and_saves_nothing(people, name, data, mime, said):
    at = upload(open_library(people.trainer), EXERCISES, name, data, mime)
    if name.endswith(".xml"):
        at.multiselect(key=f"{EXERCISES}#competences").set_value(["communication"]).run()
        at.multiselect(key=f"{EXERCISES}#missions").set_value([framework().missions[0].id]).run()
    click(at, f"{EXERCISES}#import")
    assert any(said in e and "rien n’a été importé" in e for e in errors(at)), errors(at)
    assert not mine(people.trainer)


def test_items_go_out_to_moodle_and_come_back_as_the_other_trainers_own_items(people, downloads):
    with session_scope() as s:
        competence, data = items_library.duplicate_item(s, people.trainer, "emp-j2")
        own = items_library.save_item(s, people.trainer, data, competence=competence, sharing="private")
    at = open_library(people.trainer)
    at.multiselect(key="x-item-comps").set_value(["empathie"]).run()
    xml = downloads["mises-en-situation-moodle-atelier-cm.xml"]
    bundled = framework().competence("empathie").situational
    assert own.item.title.encode() in xml and xml.count(b'type="multichoice"') == len(bundled) + 1

    other = open_library(people.other_trainer)
    upload(other, ITEMS, "banque.xml", xml, "application/xml")
    other.radio(key=f"{ITEMS}#sharing").set_value("trainers").run()
    click(other, f"{ITEMS}#import")
    assert f"{len(bundled) + 1}\u00a0questions importées" in texts(other), texts(other)
    got = my_items(people.other_trainer)
    assert sorted(e.item.title for e in got) == sorted([*(j.title for j in bundled), own.item.title])
    assert {(e.competence_id, e.sharing, e.origin) for e in got} == {("empathie", "trainers", "trainer")}


def test_the_real_moodle_bank_has_no_situational_item_it_is_refused_with_its_report(people):
    at = open_library(people.trainer)
    upload(at, ITEMS, "banque.xml", real(MOODLE_BANK).read_bytes(), "application/xml")
    at.selectbox(key=f"{ITEMS}#competence").set_value("empathie").run()
    click(at, f"{ITEMS}#import")
    said = " ".join(errors(at))
    assert "Aucune mise en situation importable" in said and "«\u00a0essay\u00a0»" in said
    assert not my_items(people.trainer)


def test_one_item_that_gives_its_best_answer_away_refuses_the_whole_file(people):
    fair, unfair = framework().competence("empathie").situational[:2]
    best = unfair.best
    longer = unfair.model_copy(
        update={
            "options": [o.model_copy(update={"text": o.text * 4}) if o is best else o for o in unfair.options]
        }
    )
    xml = items_to_moodle([("empathie", fair), ("empathie", longer)])
    # The refusal is caught inside the caller's transaction, which then commits: the savepoint alone undid it.
    with session_scope() as s, pytest.raises(UserError) as refused:
        import_items(s, people.trainer, xml)
    assert f"«\u00a0{unfair.title}\u00a0»" in str(refused.value) and "Rien n’a été importé" in str(
        refused.value
    )
    assert not my_items(people.trainer)
