"""AppTest for the « Bibliothèque »'s situational items: listed by competence, previewed as the
trainee answers them, duplicated and adapted, edited (a version once answered), errors beside
their field in French."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.apptest import run_app
from tests.test_library_authoring_pages import click, errors, shown
from training_modules import assessment, items_library
from training_modules.competences import framework
from workbench.db import session_scope

PAGE = "screens/library.py"
ITEM = "emp-j2"


def open_items(actor) -> AppTest:
    at = run_app(actor, page=PAGE)
    assert not at.exception, at.exception
    return at


def form_key(at: AppTest) -> str:
    return at.session_state["library_item"]["form"]


def save(at: AppTest) -> AppTest:
    return click(at, form_key(at) + "#save")


def test_items_are_listed_by_competence_and_previewed_as_the_trainee_answers_them(people):
    at = open_items(people.trainer)
    at.multiselect(key="f-item-comps").set_value(["empathie"]).run()
    listed = {
        b.key.removeprefix("item-preview:") for b in at.button if (b.key or "").startswith("item-preview:")
    }
    assert listed == {j.id for j in framework().competence("empathie").situational}
    click(at, f"item-preview:{ITEM}")
    item = next(j for j in framework().competence("empathie").situational if j.id == ITEM)
    radio = at.radio(key=f"item-try:{ITEM}")
    assert [shown(o) for o in radio.options] == [
        o.text for o in item.options_for(0)
    ]  # shuffled, as in an attempt
    radio.set_value(item.best.id).run()
    assert "vaut 3\u00a0points sur 3" in " ".join(s.value for s in at.success)
    assert shown(at.caption[-1].value) == item.explanation


def test_a_bundled_item_is_duplicated_adapted_and_shared_errors_beside_their_field(people):
    at = click(open_items(people.trainer), f"item-copy:{ITEM}")
    key = form_key(at)
    item = next(j for j in framework().competence("empathie").situational if j.id == ITEM)
    n, other = next((n, o) for n, o in enumerate(item.options) if o is not item.best)
    assert at.text_input(key=f"{key}.title").value.endswith("(copie)")
    at.text_input(key=f"{key}.title").input("Le client pressé du samedi")
    at.text_input(key=f"{key}.options.{n}.score").input("5")
    save(at.run())
    assert any("au plus 3" in e for e in errors(at))
    score_index = next(
        i for i, w in enumerate(at.main) if getattr(w, "key", None) == f"{key}.options.{n}.score"
    )
    assert "au plus 3" in shown(list(at.main)[score_index + 1].value)  # right under the field
    with session_scope() as s:
        assert not [e for e in items_library.visible_items(s, people.trainer) if e.origin == "trainer"]
    at.text_input(key=f"{key}.options.{n}.score").input(str(other.score))
    at.radio(key=f"{key}#sharing").set_value("cohort").run()
    save(at)
    assert not errors(at)
    assert at.session_state["library_item"]["view"] == "saved"
    with session_scope() as s:
        (entry,) = [e for e in items_library.visible_items(s, people.trainer) if e.origin == "trainer"]
    assert entry.item.title == "Le client pressé du samedi" and entry.sharing == "cohort"
    assert entry.competence_id == "empathie" and entry.author_id == people.trainer.id
    # It enters the assessment of the trainer's trainees.
    with session_scope() as s:
        view = assessment.start_attempt(s, people.alice)
    assert entry.item.id in {j.id for j in view.content.competence("empathie").situational}


def test_an_answered_item_edited_in_the_page_makes_a_version(people):
    with session_scope() as s:
        competence, data = items_library.duplicate_item(s, people.trainer, ITEM)
        entry = items_library.save_item(s, people.trainer, data, competence=competence, sharing="cohort")
    with session_scope() as s:
        attempt = assessment.start_attempt(s, people.alice)
        assessment.save_answers(s, people.alice, attempt.id, choices={entry.item.id: entry.item.best.id})
    at = open_items(people.other_trainer)
    assert not [b for b in at.button if b.key == f"item-edit:{entry.item.id}"]  # not shared with them
    at = click(open_items(people.trainer), f"item-edit:{entry.item.id}")
    assert "crée la version 2" in " ".join(i.value for i in at.info)
    at.text_input(key=f"{form_key(at)}.title").input("Titre revu")
    save(at.run())
    assert not errors(at)
    with session_scope() as s:
        latest = items_library.item_entry(s, people.trainer, entry.item.id)
        kept = assessment.in_progress(s, people.alice)
    assert (latest.version, latest.item.title) == (2, "Titre revu")
    assert kept.content.competence("empathie").situational[-1].title == entry.item.title
