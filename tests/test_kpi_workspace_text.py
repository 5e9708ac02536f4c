"""The KPI exercise's figures as the trainee reads them: French numbers, and competitor names (a
trainer types them in « Bibliothèque ») shown as plain text, never as Markdown."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest


def _kpi_screen() -> None:
    from types import SimpleNamespace

    import streamlit as st

    from training_modules.exercises import get_exercise
    from ui.exercises import kpi_workspace

    ex = get_exercise("kpi-fournil-mars")
    context = ex.context.model_copy(
        update={"competitor_mentions": {"**Gros** [site](https://x.example)": 1072}}
    )
    kpi_workspace(ex.model_copy(update={"context": context}), {}, SimpleNamespace(id=7))
    st.session_state["drawn"] = True


def test_kpi_figures_are_french_and_competitor_names_plain_text():
    at = AppTest.from_function(_kpi_screen, default_timeout=60).run()
    assert not at.exception
    figures = next(m.value for m in at.markdown if "Abonnés au début" in m.value)
    followers = figures.split("Abonnés au début de la période\u00a0: **")[1].split("**")[0]
    assert "\u202f" in followers and followers.replace("\u202f", "").isdigit()  # 37 546, not 37546
    assert re.search(r"\u00a0: \d\u202f\d{3}$", figures)  # the competitor's mentions, about 1 000
    assert "[site](https://x.example)" not in figures and "**Gros**" not in figures
