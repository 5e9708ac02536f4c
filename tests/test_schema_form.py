"""The form drawn from the exercise schema: every bundled exercise comes back unchanged, edits and
errors land on their field, in French."""

from __future__ import annotations

import typing

import pytest
from pydantic import BaseModel
from streamlit.testing.v1 import AppTest

from training_modules.exercises import load_exercises
from training_modules.exercises.schema import Exercise, KpiExercise
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


def errors_under(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.error]


MODELS = {typing.get_args(m.model_fields["kind"].annotation)[0]: m for m in typing.get_args(typing.get_args(Exercise)[0])}
BUNDLED = sorted(load_exercises().values(), key=lambda e: e.id)


@pytest.mark.parametrize("exercise", BUNDLED, ids=[e.id for e in BUNDLED])
def test_every_bundled_exercise_comes_back_unchanged(exercise):
    at = run(MODELS[exercise.kind], exercise.model_dump())
    assert not at.exception
    assert not at.error
    assert at.session_state["out"] == exercise.model_dump()
