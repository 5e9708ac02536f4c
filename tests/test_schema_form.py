"""The form drawn from the exercise schema: every bundled exercise comes back unchanged, edits and
errors land on their field, in French."""

from __future__ import annotations

import re
import typing

import pytest
from pydantic import BaseModel
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from training_modules.competences import SituationalItem, framework
from training_modules.exercises import load_exercises
from training_modules.exercises.schema import KIND_MODELS, KINDS, Exercise, Question
from ui import schema_form

TIMEOUT = 60


def form_screen() -> None:
    import streamlit as st

    from ui.schema_form import draw

    model = st.session_state["model"]
    form = draw(model, st.session_state["initial"], key="f")
    st.session_state["out"] = form.data
    st.session_state["files"] = form.files
    if st.button("Vérifier", key="check"):
        st.session_state["valid"] = form.validated(model)


def run(model: type[BaseModel], initial: dict) -> AppTest:
    at = AppTest.from_function(form_screen, default_timeout=TIMEOUT)
    at.session_state["model"] = model
    at.session_state["initial"] = initial
    return at.run()


def leaves(node):
    """The page's elements in the order they are drawn, containers opened."""
    if isinstance(node, Block):
        for child in node.children.values():
            yield from leaves(child)
    else:
        yield node


def element_after(at: AppTest, key: str):
    """What is drawn right after the widget ``key`` (where its error goes)."""
    drawn = list(leaves(at._tree))
    return drawn[next(i for i, w in enumerate(drawn) if getattr(w, "key", None) == key) + 1]


def shown(text: object) -> str:
    """Text as the person reads it (Markdown escapes removed)."""
    return re.sub(r"\\(.)", r"\1", str(text))


def errors_under(at: AppTest) -> list[str]:
    return [shown(e.value) for e in at.error]


MODELS = KIND_MODELS
BUNDLED = sorted(load_exercises().values(), key=lambda e: e.id)


def test_every_kind_has_its_model():
    in_the_union = {
        typing.get_args(m.model_fields["kind"].annotation)[0]: m
        for m in typing.get_args(typing.get_args(Exercise)[0])
    }
    assert in_the_union == KIND_MODELS and list(KIND_MODELS) == list(KINDS)


@pytest.mark.parametrize("exercise", BUNDLED, ids=[e.id for e in BUNDLED])
def test_every_bundled_exercise_comes_back_unchanged(exercise):
    at = run(MODELS[exercise.kind], exercise.model_dump())
    assert not at.exception
    assert not at.error
    assert at.session_state["out"] == exercise.model_dump()


def models_in(model: type[BaseModel]) -> list[type[BaseModel]]:
    """``model`` and every model its fields hold, however deep (lists, unions, optionals)."""
    found: list[type[BaseModel]] = []

    def walk(tp) -> None:
        if isinstance(tp, type) and issubclass(tp, BaseModel) and tp not in found:
            found.append(tp)
            for info in tp.model_fields.values():
                walk(info.annotation)
        for arg in typing.get_args(tp):
            walk(arg)

    walk(model)
    return found


def test_every_field_and_value_a_trainer_meets_has_a_french_label():
    for model in {m for kind in MODELS.values() for m in models_in(kind)}:
        for name, info in model.model_fields.items():
            if (
                typing.get_origin(info.annotation) is typing.Literal
                and len(typing.get_args(info.annotation)) == 1
            ):
                continue  # the kind, a constraint's type: fixed by the form's choice, never typed
            if name == "id" and "kind" in model.model_fields:
                continue  # an exercise's id is given by the library
            assert schema_form.label(model, name)  # KeyError: a field shown under its English name
            for tp in [info.annotation, *typing.get_args(info.annotation)]:
                tp = typing.get_args(tp)[0] if typing.get_origin(tp) is list else tp
                if typing.get_origin(tp) is typing.Literal and len(typing.get_args(tp)) > 1:
                    for value in typing.get_args(tp):
                        assert value in schema_form.VALUES, (model.__name__, name, value)


def test_an_edit_comes_back_and_an_invalid_value_is_refused_beside_its_field_in_french():
    ex = load_exercises()["crisis-fournil-rumeur"]
    at = run(MODELS["crisis"], ex.model_dump())
    at.text_input(key="f.steps.0.choices.1.points").input("12")
    at.text_input(key="f.brand").input("Le Fournil de Lyon")
    at.button(key="check").click().run()
    assert at.session_state["out"]["brand"] == "Le Fournil de Lyon"
    assert at.session_state["out"]["steps"][0]["choices"][1]["points"] == 12
    assert at.session_state["valid"] is None
    assert errors_under(at) == ["valeur trop grande (au plus 10)"]
    assert shown(element_after(at, "f.steps.0.choices.1.points").value) == "valeur trop grande (au plus 10)"


def test_french_numbers_are_read_and_an_unreadable_one_is_refused_where_it_is_typed():
    ex = load_exercises()["kpi-fournil-mars"]
    at = run(MODELS["kpi"], ex.model_dump())
    at.text_input(key="f.variation").input("0,35")
    at.text_input(key="f.context.followers_start").input("2 500")
    at.run()
    assert at.session_state["out"]["variation"] == 0.35
    assert at.session_state["out"]["context"]["followers_start"] == 2500
    at.text_input(key="f.tolerance_points").input("0.1.2")
    at.button(key="check").click().run()
    assert at.session_state["valid"] is None
    assert len(at.error) == 1 and "n’est pas un nombre lisible" in at.error[0].value


def test_list_items_are_added_removed_and_moved_with_what_was_typed():
    ex = load_exercises()["quiz-indicateurs"]
    at = run(MODELS["quiz"], ex.model_dump())
    first = ex.questions[0].prompt
    at.text_area(key="f.questions.1.prompt").input("Question retouchée")
    at.button(key="f.questions.1#up").click().run()
    prompts = [q["prompt"] for q in at.session_state["out"]["questions"]]
    assert prompts[:2] == ["Question retouchée", first]
    at.button(key="f.questions.1#remove").click().run()  # keys follow the item, not its place
    assert at.session_state["out"]["questions"][0]["prompt"] == first
    at.button(key="f.questions#add").click().run()
    added = at.session_state["out"]["questions"][-1]
    assert added["id"] == f"q{len(ex.questions) + 1}"  # a fresh id of its own
    assert added == {**schema_form.empty(Question), "id": added["id"]}  # empty, its lists as the schema needs
    assert "Question retouchée" not in [q["prompt"] for q in at.session_state["out"]["questions"]]


def test_a_calendar_constraint_changes_type_and_shows_that_types_fields():
    ex = load_exercises()["calendar-fournil-semaine"]
    at = run(MODELS["calendar"], ex.model_dump())
    at.selectbox(key="f.rules.0#rule").set_value("no_post_days").run()
    rule = at.session_state["out"]["rules"][0]
    assert rule["rule"] == "no_post_days" and rule["days"] == []
    at.multiselect(key="f.rules.0.no_post_days.days").set_value(["dimanche"]).run()
    assert at.session_state["out"]["rules"][0]["days"] == ["dimanche"]
    at.button(key="check").click().run()
    assert at.session_state["valid"] is not None


def numerical(**value: float) -> dict:
    """A question with a number to type, accepting ``value`` (its value, tolerance, credit)."""
    return {
        "id": "q1",
        "prompt": "Taux de conversion (en\u00a0%)\u00a0?",
        "type": "numerical",
        "numbers": [value],
        "explanation": "12 conversions pour 100 000 visites.",
    }


def test_a_very_small_tolerance_comes_back_in_the_form():
    """0,00001 is kept by Python as 1e-05: the form shows it the French way, not an error."""
    at = run(Question, numerical(value=0.00012, tolerance=0.00001))
    assert not at.exception
    assert at.text_input(key="f.numbers.0.tolerance").value == "0,00001"
    assert at.text_input(key="f.numbers.0.value").value == "0,00012"
    assert at.session_state["out"]["numbers"][0]["tolerance"] == 0.00001


def test_an_option_added_to_a_situational_item_takes_a_free_letter():
    """Options are named a to d: one removed then added again comes back under the free letter, not
    as a second « a » the schema refuses."""
    item = framework().competences[0].situational[0]
    at = run(SituationalItem, item.model_dump())
    at.button(key="f.options.1#remove").click().run()
    at.button(key="f.options#add").click().run()
    ids = [o["id"] for o in at.session_state["out"]["options"]]
    assert sorted(ids) == ["a", "b", "c", "d"]


def test_a_question_changed_to_a_number_to_type_shows_and_keeps_only_that_types_fields():
    """A choice question turned into a numerical one: no options or key to empty by hand first, the
    form asks for the accepted values and the schema takes it."""
    question = load_exercises()["quiz-indicateurs"].questions[0].model_dump()
    at = run(Question, question)
    at.selectbox(key="f.type").set_value("numerical").run()
    assert not [b for b in at.button if b.key == "f.options#add"]
    at.button(key="f.numbers#add").click().run()
    at.text_input(key="f.numbers.0.value").input("6,88").run()
    at.button(key="check").click().run()
    assert errors_under(at) == []
    assert at.session_state["valid"].numbers[0].value == 6.88
    assert at.session_state["valid"].options == []


def test_a_message_about_a_field_names_it_as_the_form_does():
    """The schema's messages name fields as a file writes them (« numbers »); the form shows the
    name the trainer reads above the field."""
    at = run(Question, numerical(value=0.00012, credit=50))
    at.button(key="check").click().run()
    (message,) = errors_under(at)
    assert (
        "«\u00a0Valeurs acceptées, dans l’ordre\u00a0»" in message and "«\u00a0numbers\u00a0»" not in message
    )
    # The whole point is named by its label too, not by the file's « credit ».
    assert "«\u00a0Part du point (%)\u00a0»\u00a0: 100" in message and "credit" not in message


def test_a_message_about_the_review_names_its_fields_and_values_as_the_form_does():
    """An exercise corrected by a trainer needs a grid: the message names the review and the grid,
    and the review's values, as the form shows them, not as a file writes them."""
    ex = next(e for e in BUNDLED if e.kind == "seo")
    at = run(MODELS["seo"], {**ex.model_dump(), "review": "optional", "rubric": []})
    at.button(key="check").click().run()
    (message,) = errors_under(at)
    assert (
        "«\u00a0Correction par le formateur\u00a0»\u00a0: «\u00a0Facultative\u00a0» ou «\u00a0Obligatoire\u00a0»"
        in message
    )
    assert "«\u00a0Grille d’évaluation\u00a0»" in message
    assert not re.search(r"review|rubric|optional|required", message)


def test_a_private_reply_that_offers_private_messages_names_both_fields_as_the_form_does():
    """A reply received in private messages cannot invite to private messages: the message names
    both boxes by their labels, never the file's « rules.private_message »."""
    ex = next(e for e in BUNDLED if e.kind == "reply")
    data = ex.model_dump()
    data["private"] = True
    data["rules"]["private_message"] = True
    at = run(MODELS["reply"], data)
    at.button(key="check").click().run()
    (message,) = errors_under(at)
    assert "«\u00a0Message reçu en privé (la réponse aussi)\u00a0»" in message
    assert "«\u00a0Proposer de passer en message privé\u00a0»" in message
    assert "private" not in message and "rules" not in message
