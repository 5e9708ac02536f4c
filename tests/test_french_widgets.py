"""Streamlit widgets without their avoidable English: dates typed and shown day first, no « Select
all », charts with French month names and date order, upload limits set per uploader.

What Streamlit 1.67 gives no way to translate (« Upload », « per file », « Press Enter to apply »,
the « dd/mm/yyyy » hint, « Help for… ») is listed in docs/ARCHITECTURE.md, known limitations.
"""

from __future__ import annotations

import ast
import json
from datetime import datetime
from pathlib import Path

import plotly.graph_objects as go
from streamlit.testing.v1 import AppTest

from tests.apptest import ROOT, TIMEOUT
from ui.charts import PLOTLY_CONFIG, french_dates

SOURCES = sorted([*ROOT.glob("screens/*.py"), *ROOT.glob("ui/*.py"), ROOT / "app.py"])
REQUIRED = {  # widget → keyword that must be passed, and the value it must have (None: any value)
    "date_input": ("format", "DD/MM/YYYY"),
    "multiselect": ("select_all", False),
    "file_uploader": ("max_upload_size", None),
}


def _calls(path: Path, name: str) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and name in (getattr(n.func, "attr", None), getattr(n.func, "id", None))
    ]


def _problems(path: Path) -> list[str]:
    out = []
    for widget, (keyword, wanted) in REQUIRED.items():
        for call in _calls(path, widget):
            given = next((k.value for k in call.keywords if k.arg == keyword), None)
            if given is None or (
                wanted is not None and not (isinstance(given, ast.Constant) and given.value == wanted)
            ):
                out.append(f"{path.name}:{call.lineno} {widget} without {keyword}={wanted!r}")
    if path.name != "charts.py":
        out += [
            f"{path.name}:{c.lineno} plotly_chart: use ui.charts.chart" for c in _calls(path, "plotly_chart")
        ]
    return out


def test_the_scan_sees_the_widgets() -> None:
    counts = {w: sum(len(_calls(p, w)) for p in SOURCES) for w in [*REQUIRED, "chart"]}
    assert counts["date_input"] >= 6 and counts["multiselect"] >= 10 and counts["chart"] >= 10, counts


def test_the_scan_catches_an_english_widget(tmp_path) -> None:
    page = tmp_path / "page.py"
    page.write_text(
        'st.date_input("Début")\nst.multiselect("Sources", [], placeholder="Toutes")\nst.plotly_chart(fig)\n'
    )
    assert len(_problems(page)) == 3


def test_every_widget_is_set_up_in_french() -> None:
    assert [p for path in SOURCES for p in _problems(path)] == []


def test_date_axes_are_french() -> None:
    fig = french_dates(go.Figure(go.Scatter(x=[datetime(2026, 12, 5), datetime(2026, 12, 9)], y=[1, 2])))
    axis = fig.layout.xaxis
    assert axis.type == "date" and axis.hoverformat == "%-d %b %Y"
    assert "%-d %b" in [stop.value for stop in axis.tickformatstops]  # « 5 déc. », not « Dec 5 »
    fr = PLOTLY_CONFIG["locales"]["fr"]["format"]
    assert fr["shortMonths"][11] == "déc." and fr["decimal"] == ","


def _chart_page() -> None:
    import plotly.graph_objects as go

    from ui.charts import chart

    chart(go.Figure(go.Bar(x=["a"], y=[1])), key="c")


def test_charts_carry_the_french_locale() -> None:
    at = AppTest.from_function(_chart_page, default_timeout=TIMEOUT).run()
    [element] = at.get("plotly_chart")
    config = json.loads(element.proto.config)
    assert config["locale"] == "fr" and config["locales"]["fr"]["format"]["months"][0] == "janvier"
