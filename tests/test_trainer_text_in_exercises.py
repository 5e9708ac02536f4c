"""What a trainer types in « Bibliothèque » reaches trainees as plain text: a comment's context, a
crisis decision, a debrief and a model answer never become links, pictures or formatting."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _screen() -> None:
    import streamlit as st

    from training_modules.exercises import get_exercise
    from training_modules.exercises.result import GradeResult
    from ui.exercises import calendar_workspace, crisis_solo, moderation_workspace, render_result

    trap = "**Gras** [clic](https://x.example)"  # the function runs on its own: no module names

    moderation = get_exercise("moderation-fournil-concours")
    comments = [moderation.comments[0].model_copy(update={"context": trap}), *moderation.comments[1:]]
    moderation_workspace(moderation.model_copy(update={"comments": comments}), {})
    crisis = get_exercise("crisis-fournil-rumeur")
    first = next(s for s in crisis.steps if s.id == crisis.start)
    choices = [first.choices[0].model_copy(update={"text": trap}), *first.choices[1:]]
    steps = [s.model_copy(update={"choices": choices}) if s.id == first.id else s for s in crisis.steps]
    crisis_solo(crisis.model_copy(update={"steps": steps}), None, {}, {}, preview=True)
    render_result(
        GradeResult(
            score=50,
            passed=False,
            summary="—",
            checks=[],
            extra={"debrief": trap, "path_points": 3, "best_points": 9, "model_answer": trap},
        )
    )
    calendar = get_exercise("calendar-fournil-semaine")
    kinds = [calendar.content_types[0].model_copy(update={"label": trap}), *calendar.content_types[1:]]
    post = {
        "day": "lundi",
        "time": "09:00",
        "network": calendar.networks[0],
        "type": kinds[0].id,
        "topic": "Pain",
    }
    calendar_workspace(calendar.model_copy(update={"content_types": kinds}), {"posts": [post]}, {})
    st.session_state["drawn"] = True


def test_trainer_text_reaches_trainees_as_plain_text():
    at = AppTest.from_function(_screen, default_timeout=60).run()
    assert not at.exception, at.exception
    shown = [m.value for m in (*at.markdown, *at.caption)] + list(at.radio[0].options)
    with_trap = [v for v in shown if "Gras" in v]
    assert len(with_trap) == 5  # context, decision, debrief, model answer, a content type
    assert not [v for v in with_trap if "**Gras**" in v or "](https://" in v]


def _watch_screen() -> None:
    from types import SimpleNamespace

    from training_modules.exercises import get_exercise
    from ui.exercises import watch_workspace

    watch_workspace(get_exercise("watch-summary-live-shopping"), {}, SimpleNamespace(id=7), {})


def test_the_watch_article_date_reads_french():
    """The article to summarise was dated « 2026-10-21 » (as written in the exercise file)."""
    at = AppTest.from_function(_watch_screen, default_timeout=60).run()
    assert not at.exception
    line = next(c.value for c in at.caption if "Marco Bellini" in c.value)
    assert "21/10/2026" in line and "2026-10-21" not in line
