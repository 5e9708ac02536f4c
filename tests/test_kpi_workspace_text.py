"""The KPI exercise's figures as the trainee reads them: French numbers, and competitor names (a
trainer types them in « Bibliothèque ») shown as plain text, never as Markdown."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
from streamlit.testing.v1 import AppTest

from training_modules.exercises import get_exercise
from training_modules.exercises.kpi import check_dataset, dataset_for, read_dataset, spreadsheet_csv


def _kpi_screen() -> None:
    from types import SimpleNamespace

    import streamlit as st

    from training_modules.exercises import get_exercise
    from ui.exercises import kpi_workspace

    ex = get_exercise("kpi-fournil-mars")
    context = ex.context.model_copy(
        update={"competitor_mentions": {"**Gros** [site](https://x.example)": 1072}}
    )
    kpi_workspace(ex.model_copy(update={"context": context}), {}, SimpleNamespace(id=7), {})
    st.session_state["drawn"] = True


def test_kpi_figures_are_french_and_competitor_names_plain_text():
    at = AppTest.from_function(_kpi_screen, default_timeout=60).run()
    assert not at.exception
    figures = next(m.value for m in at.markdown if "Abonnés au début" in m.value)
    followers = figures.split("Abonnés au début de la période\u00a0: **")[1].split("**")[0]
    assert "\u202f" in followers and followers.replace("\u202f", "").isdigit()  # 37 546, not 37546
    assert re.search(r"\u00a0: \d\u202f\d{3}$", figures)  # the competitor's mentions, about 1 000
    assert "[site](https://x.example)" not in figures and "**Gros**" not in figures


def test_the_kpi_data_downloads_open_in_a_french_spreadsheet():
    """The trainee computes the KPIs in a spreadsheet: the downloads were comma-separated without a
    BOM, so French Excel showed one column and « vidÃ©o ». Now: BOM, semicolons, numbers intact."""
    data = dataset_for(get_exercise("kpi-veloce-mars"), 7)
    for frame in (data.posts, data.messages):
        text = spreadsheet_csv(frame).decode("utf-8")
        assert text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
        assert rows[0] == list(frame.columns) and len(rows) == len(frame) + 1
        assert rows[1] == ["" if pd.isna(v) else str(v) for v in frame.iloc[0]]
    assert "vidéo" in spreadsheet_csv(data.posts).decode("utf-8")


def test_a_dataset_saved_by_french_excel_is_read_back_the_same():
    """The file a trainee downloads (or a trainer saves from French Excel: semicolons, decimal
    commas, BOM) was refused on upload as « not a readable CSV »."""
    data = dataset_for(get_exercise("kpi-veloce-mars"), 7)
    for field, frame in (("posts_csv", data.posts), ("messages_csv", data.messages)):
        saved = spreadsheet_csv(frame)
        check_dataset(field, "export-excel.csv", saved)
        pd.testing.assert_frame_equal(read_dataset(saved), read_dataset(frame.to_csv(index=False).encode()))
    decimals = "\ufeffpost_id;impressions\nP1;1,5\n".encode()
    assert read_dataset(decimals)["impressions"].tolist() == [1.5]


def test_the_kpi_data_shown_in_the_page_reads_french():
    """« Voir les données » showed the raw frames: « None » for an unanswered message, 15548
    impressions, 2026-03-02 and the CSV's English headers (reach, shares, response_minutes)."""
    at = AppTest.from_function(_kpi_screen, default_timeout=60).run()
    assert not at.exception
    posts, messages = (d.value for d in at.dataframe)
    assert {"Portée", "Partages", "Clics"} <= set(posts.columns) and "reach" not in posts.columns
    assert {"Reçu le", "Délai de réponse (min)"} <= set(messages.columns)
    cells = [str(v) for frame in (posts, messages) for v in frame.to_numpy().ravel()]
    assert "None" not in cells and "<NA>" not in cells and "—" in messages["Délai de réponse (min)"].tolist()
    assert any(re.fullmatch(r"\d{1,3}\u202f\d{3}", c) for c in posts["Impressions"])  # 15 548
    assert all(re.fullmatch(r"\d\d/\d\d/2026", c) for c in posts["Date"])
    assert all(re.fullmatch(r"\d\d/\d\d/2026 \d\d:\d\d", c) for c in messages["Reçu le"])
