"""Issue 18: charts and tables as French people read them — locale and separators in every
chart, people's time on date axes (no millisecond ticks), radar labels kept inside, and no
« None » in a table or a chart."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from tests.apptest import run_page
from tests.assessment_helpers import complete_attempt
from training_modules import assessment
from training_modules.assessment import TraineeCalibration, TraineeScores
from training_modules.calibration import CalibrationRow
from training_modules.competences import framework
from ui import assessment_charts as charts
from ui.tables import people_table
from workbench.db import session_scope
from workbench.numbers import signed_number

FW = framework()


def specs(at) -> list[tuple[dict, dict]]:
    return [(json.loads(c.proto.spec), json.loads(c.proto.config)) for c in at.get("plotly_chart")]


def cells(at) -> list[object]:
    return [v for frame in at.dataframe for column in frame.value.columns for v in frame.value[column]]


def missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value) in {"None", "nan"}


def test_every_chart_is_french_with_people_time(people):
    complete_attempt(people.alice, 2, best=False)
    complete_attempt(people.alice, 4)
    at = run_page("screens/assessment_progress.py", people.alice)
    assert not at.exception
    figures = specs(at)
    assert figures
    for spec, config in figures:
        assert spec["layout"]["separators"] == ",\u202f"
        assert config["locale"] == "fr" and "fr" in config["locales"]
    progress = figures[0][0]
    with session_scope() as s:
        done = [a.completed_at for a in assessment.list_attempts(s, people.alice)]
    paris = {f"{m.astimezone(ZoneInfo('Europe/Paris')):%d/%m/%Y %H:%M}" for m in done}
    assert {x for trace in progress["data"] for x in trace["customdata"]} == paris  # not UTC


def test_radar_labels_are_wrapped_inside_the_margins():
    fig = charts.radar(FW, [("Moi", {c.id: 50.0 for c in FW.competences})])
    theta = fig.data[0].theta
    assert "Comprendre<br>l’anglais" in theta and "Relations<br>publiques" in theta
    assert fig.layout.margin.l >= 90 and fig.layout.margin.r >= 90


def test_the_radar_margins_hold_its_longest_label():
    """« Communiquer » (one word, no wrap) was cut to « Communique » at the right of the radar in
    Chromium: a 90 px margin is narrower than its 11 letters at 13 px plus the gap to the circle.
    Room per letter: 0,62 em (« Communiquer » measured 88 px at 13 px in Chromium)."""
    fig = charts.radar(FW, [("Moi", {c.id: 50.0 for c in FW.competences})])
    longest = max(len(line) for name in fig.data[0].theta for line in name.split("<br>"))
    needed = longest * 0.62 * charts.FONT["size"] + 12
    assert fig.layout.margin.l >= needed and fig.layout.margin.r >= needed


def test_heatmap_hover_never_says_none():
    rows = [TraineeScores(1, "Alice", 1, datetime(2026, 12, 7, tzinfo=UTC), {"communication": 80.0})]
    fig = charts.heatmap(FW, rows)
    hover = [v for line in fig.data[0].customdata for v in line]
    assert "80/100" in hover and "non évalué" in hover and not any("None" in v for v in hover)
    assert "%{z" not in fig.data[0].hovertemplate


def test_results_tables_show_a_dash_not_none(people):
    complete_attempt(people.alice, 3)
    at = run_page("screens/assessment_results.py", people.alice)
    assert not at.exception
    shown = cells(at)
    assert shown and not any(missing(v) for v in shown)
    assert "—" in list(at.dataframe[0].value["Évolution"])  # a first attempt has no evolution


def test_people_table_writes_french_numbers():
    table = people_table(
        [{"n": 1200, "part": 12.345, "écart": 3.0}, {"n": 3, "part": None, "écart": -2.0}],
        digits=1,
        signed={"écart"},
    )
    assert table.to_dict("list") == {
        "n": ["1\u202f200", "3"],
        "part": ["12,3", "—"],
        "écart": ["+3,0", "-2,0"],
    }


def test_a_calibration_gap_reads_the_same_in_the_chart_the_list_and_the_table():
    """A gap of 32,5 points was « +32 » on the chart and in the list (Python rounds half to even)
    but « +33 » in the table: the trainer read two numbers for one gap."""
    row = CalibrationRow("communication", "Communiquer", self_rating=71.4, measured=38.9)
    assert row.gap == 32.5
    fig = charts.calibration_gaps(FW, [TraineeCalibration(1, "Alice", [row])])
    chart_text = fig.data[0].text[0][[c.id for c in FW.competences].index("communication")]
    table_text = people_table([{"Écart": row.gap}], signed={"Écart"})["Écart"][0]
    assert chart_text == table_text == signed_number(row.gap) == "+33"
    assert "%{z" not in fig.data[0].hovertemplate  # the hover shows the same text


def test_legends_sit_above_the_plot_clear_of_the_axis_titles():
    """On « Ma progression » the legend (below the plot) was drawn over the axis title
    « Auto-évaluation terminée le »: horizontal legends go above the plot."""
    when = datetime(2026, 12, 7, 9, 1, tzinfo=UTC)
    figures = [
        charts.progress(FW, [(when, {c.id: 34.0 for c in FW.competences})]),
        charts.calibration_bars([CalibrationRow("communication", "Communiquer", 71.0, 39.0)]),
        charts.radar(FW, [("Moi", {c.id: 50.0 for c in FW.competences})]),
    ]
    for fig in figures:
        assert fig.layout.legend.orientation == "h"
        assert fig.layout.legend.y >= 1 and fig.layout.legend.yanchor == "bottom"
