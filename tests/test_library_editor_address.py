"""AppTest for the « Bibliothèque »'s address and editor drafts: the address names the open view, the
menu link (no address) shows the list, and a reload (a new session on the same address) finds the
form as typed until it is saved or abandoned."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.apptest import run_app
from tests.test_library_authoring_pages import BY_KIND, click, fill, form_key, new_form, open_library, save
from training_modules.exercises import load_exercises
from training_modules.library import editable_data, editor_draft, save_exercise
from workbench.db import session_scope

PAGE = "screens/library.py"
ITEM = "emp-j2"


def reload(actor, **address: str) -> AppTest:
    """F5: a new session opening the library at ``address``, nothing in memory."""
    at = run_app(actor)
    at.query_params.update(address)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def menu_link(at: AppTest) -> AppTest:
    """The menu's « Bibliothèque »: the same page, its address without query."""
    at.query_params.clear()
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    return " ".join(str(e.value) for e in [*at.info, *at.caption, *at.markdown])


def test_the_address_names_the_open_view_and_the_menu_link_shows_the_list(people):
    at = new_form(open_library(people.trainer), "seo")
    assert at.query_params == {"nouveau": "seo"}
    at = menu_link(at)
    assert at.title[0].value == "Bibliothèque" and "library" not in at.session_state
    click(at, "copy:post-fournil-nouveaute")
    assert at.query_params == {"copie": "post-fournil-nouveaute"}
    at = menu_link(at)
    click(at, "preview:quiz-indicateurs")
    assert at.query_params == {"apercu": "quiz-indicateurs"}
    at = menu_link(at)
    assert at.title[0].value == "Bibliothèque"
    # An item's views too.
    click(at, f"item-preview:{ITEM}")
    assert at.query_params == {"situation": ITEM}
    assert menu_link(at).title[0].value == "Bibliothèque"


def test_a_reload_opens_the_view_the_address_names(people):
    at = reload(people.trainer, apercu="quiz-indicateurs")
    assert at.session_state["library"]["view"] == "preview"
    assert at.header[0].value == load_exercises()["quiz-indicateurs"].title
    at = reload(people.trainer, situation=ITEM)
    assert at.session_state["library_item"] == {"view": "preview", "item_id": ITEM}


def test_a_reload_finds_a_new_exercise_as_typed_until_it_is_saved(people):
    at = new_form(open_library(people.trainer), "seo")
    key = form_key(at)
    at.text_input(key=f"{key}.title").input("Fiche produit de la librairie").run()
    at.radio(key=f"{key}#sharing").set_value("trainers").run()
    at = reload(people.trainer, nouveau="seo")  # F5: « Enregistrer » was not clicked
    key = form_key(at)
    assert at.text_input(key=f"{key}.title").value == "Fiche produit de la librairie"
    assert at.radio(key=f"{key}#sharing").value == "trainers"
    assert "Brouillon repris" in texts(at)
    other = reload(people.other_trainer, nouveau="seo")  # Paul's own page
    assert other.text_input(key=f"{form_key(other)}.title").value == ""
    with session_scope() as s:
        assert editor_draft(s, people.trainer, "new:seo") is not None
    source = BY_KIND["seo"]
    fill(at, {**source.model_dump(mode="json", exclude={"id"}), "title": "Fiche produit de la librairie"})
    save(at)
    assert "est enregistré" in at.success[0].value
    saved_id = at.session_state["library"]["exercise_id"]
    assert at.query_params == {"exercice": saved_id, "vue": "enregistre"}
    with session_scope() as s:
        assert editor_draft(s, people.trainer, "new:seo") is None  # saved: nothing left to resume
    at = reload(people.trainer, nouveau="seo")
    assert at.text_input(key=f"{form_key(at)}.title").value == ""


def test_a_reload_finds_an_edit_as_typed_and_abandon_forgets_it(people):
    with session_scope() as s:
        data = {**editable_data(BY_KIND["seo"]), "title": "Fiche produit de la librairie"}
        ex_id = save_exercise(s, people.trainer, data, sharing="private").exercise.id
    at = click(open_library(people.trainer), f"edit:{ex_id}")
    assert at.query_params == {"exercice": ex_id, "vue": "modifier"}
    at.text_input(key=f"{form_key(at)}.keyword").input("librairie indépendante").run()
    at = reload(people.trainer, exercice=ex_id, vue="modifier")
    assert at.text_input(key=f"{form_key(at)}.keyword").value == "librairie indépendante"
    next(b for b in at.button if b.label.startswith("← Bibliothèque")).click().run()
    assert at.query_params == {} and at.title[0].value == "Bibliothèque"
    at = reload(people.trainer, exercice=ex_id, vue="modifier")
    assert at.text_input(key=f"{form_key(at)}.keyword").value == BY_KIND["seo"].keyword


def test_a_reload_finds_an_item_copy_as_typed(people):
    at = click(open_library(people.trainer), f"item-copy:{ITEM}")
    assert at.query_params == {"copie-situation": ITEM}
    key = at.session_state["library_item"]["form"]
    at.text_input(key=f"{key}.title").input("Le client pressé du samedi").run()
    at = reload(people.trainer, **{"copie-situation": ITEM})
    key = at.session_state["library_item"]["form"]
    assert at.text_input(key=f"{key}.title").value == "Le client pressé du samedi"


def test_an_address_to_edit_someone_elses_exercise_shows_it_without_the_form(people):
    with session_scope() as s:
        data = {**editable_data(BY_KIND["seo"]), "title": "Fiche produit de Paul"}
        ex_id = save_exercise(s, people.other_trainer, data, sharing="trainers").exercise.id
    at = reload(people.trainer, exercice=ex_id, vue="modifier")
    assert at.session_state["library"]["view"] == "preview"
    assert at.query_params == {"apercu": ex_id}
    assert not [b for b in at.button if (b.key or "").endswith("#save")]
