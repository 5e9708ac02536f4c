"""Plotly figures of the self-assessment: radar, progress, cohort heatmap and distributions.

Figures take plain data (competence id → score) so pages stay thin and figures are testable.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import plotly.graph_objects as go

from training_modules.assessment import CampaignSummary, TraineeCalibration, TraineeScores
from training_modules.calibration import CalibrationRow
from training_modules.competences import Framework
from ui.charts import chart_text
from workbench.localtime import fr_datetime
from workbench.numbers import signed_number

PALETTE = ["#2E5EAA", "#E07A1F", "#6C9A3B", "#8E44AD", "#C0392B", "#16A085", "#7F8C8D"]
RADAR_MARGIN = 90  # least room for the competence names around the radar
LABEL_EM = 0.62  # width of a letter of a radar label, in em (« Communiquer »: 88 px at 13 px)
LABEL_GAP = 12  # px between the radar's circle and its labels
FONT = {"family": "Source Sans Pro, DejaVu Sans, sans-serif", "size": 13}


def _layout_of(height: int = 420) -> dict:
    """The layout every figure here shares."""
    return {
        "height": height,
        "margin": {"l": 40, "r": 40, "t": 40, "b": 40},
        "font": FONT,
        # above the plot: below it, the legend covered the x axis's title and names
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
    }


def _layout(fig: go.Figure, height: int = 420) -> go.Figure:
    return fig.update_layout(_layout_of(height))


def radar(fw: Framework, series: Sequence[tuple[str, dict[str, float | None]]]) -> go.Figure:
    """One closed polygon per series (label, scores); the first series is drawn filled and on top.

    Built with its whole layout at once: updating a figure's layout afterwards cost four times the
    figure (plotly checks every key's path), on every results page."""
    names = [_wrapped(c.name) for c in fw.competences]
    traces = []
    for index, (label, scores) in reversed(list(enumerate(series))):
        values = [scores.get(c.id) for c in fw.competences]
        values = [0 if v is None else v for v in values]
        traces.append(
            go.Scatterpolar(
                r=[*values, values[0]],
                theta=[*names, names[0]],
                name=label,
                fill="toself" if index == 0 else "none",
                opacity=1 if index == 0 else 0.85,
                line={
                    "color": PALETTE[index % len(PALETTE)],
                    "width": 3 if index == 0 else 2,
                    "dash": "solid" if index == 0 else "dot",
                },
                hovertemplate="%{theta} : %{r:.0f}/100<extra>" + label + "</extra>",
            )
        )
    longest = max(len(line) for name in names for line in name.split("<br>"))
    side = max(RADAR_MARGIN, round(longest * LABEL_EM * FONT["size"]) + LABEL_GAP)
    layout = _layout_of(460)
    layout["margin"] |= {"l": side, "r": side}
    polar = {"radialaxis": {"range": [0, 100], "tickvals": [25, 50, 75, 100]}}
    return go.Figure(traces, layout | {"polar": polar, "showlegend": True})


def _wrapped(name: str, width: int = 12) -> str:
    """A competence name on lines of about ``width`` characters: the radar's labels stay inside."""
    lines: list[str] = []
    for word in name.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def progress(fw: Framework, points: Sequence[tuple[datetime, dict[str, float | None]]]) -> go.Figure:
    """Each competence's score over the completed attempts: one place per attempt, in order, named by
    its date and time where people are (a time axis put two attempts of one day on one line)."""
    places = list(range(1, len(points) + 1))
    moments = [fr_datetime(when) for when, _ in points]
    fig = go.Figure()
    for index, comp in enumerate(fw.competences):
        shown = [i for i, (_, scores) in enumerate(points) if scores.get(comp.id) is not None]
        name = chart_text(comp.name)
        fig.add_trace(
            go.Scatter(
                x=[places[i] for i in shown],
                y=[points[i][1][comp.id] for i in shown],
                customdata=[moments[i] for i in shown],
                mode="lines+markers",
                name=name,
                line={"color": PALETTE[index % 7]},
                hovertemplate=f"%{{customdata}}<br>{name}\u00a0: %{{y:.0f}}/100<extra></extra>",
            )
        )
    fig.update_yaxes(range=[0, 100], title="Score")
    fig.update_xaxes(
        title="Auto-évaluations terminées, dans l’ordre",
        tickvals=places,
        ticktext=[m.replace(" ", "<br>", 1) for m in moments],
        range=[0.5, len(points) + 0.5],
    )
    return _layout(fig)


def people_labels(names: Sequence[str]) -> list[str]:
    """Trainees' names as a chart's rows: escaped, and two « Léa Martin » numbered apart (plotly
    would draw both on one row)."""
    seen: dict[str, int] = {}
    labels = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        labels.append(chart_text(name if seen[name] == 1 else f"{name} ({seen[name]})"))
    return labels


def heatmap(fw: Framework, rows: Sequence[TraineeScores]) -> go.Figure:
    """Trainees × competences, scores written in the cells."""
    z = [[r.scores.get(c.id) for c in fw.competences] for r in rows]
    text = [["–" if v is None else f"{v:.0f}" for v in line] for line in z]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[c.name for c in fw.competences],
            y=people_labels([r.display_name for r in rows]),
            zmin=0,
            zmax=100,
            colorscale="RdYlGn",
            text=text,
            texttemplate="%{text}",
            customdata=[["non évalué" if v is None else f"{v:.0f}/100" for v in line] for line in z],
            hovertemplate="%{y} — %{x} : %{customdata}<extra></extra>",
            colorbar={"title": "Score"},
        )
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, max(260, 60 + 36 * len(rows)))


def distributions(fw: Framework, rows: Sequence[TraineeScores]) -> go.Figure:
    """One box per competence: spread of the cohort's scores, every trainee as a point."""
    fig = go.Figure()
    for index, comp in enumerate(fw.competences):
        values = [r.scores.get(comp.id) for r in rows if r.scores.get(comp.id) is not None]
        fig.add_trace(go.Box(y=values, name=comp.name, boxpoints="all", marker_color=PALETTE[index % 7]))
    fig.update_yaxes(range=[0, 100], title="Score")
    fig.update_layout(showlegend=False)
    return _layout(fig)


def campaign_progress(fw: Framework, summaries: Sequence[CampaignSummary]) -> go.Figure:
    """The cohort's mean per competence, one group of bars per campaign."""
    fig = go.Figure()
    for index, summary in enumerate(summaries):
        fig.add_trace(
            go.Bar(
                x=[c.name for c in fw.competences],
                y=[summary.means.get(c.id) for c in fw.competences],
                name=chart_text(f"{summary.campaign.name} ({summary.respondents} rép.)"),
                marker_color=PALETTE[index % 7],
            )
        )
    fig.update_yaxes(range=[0, 100], title="Moyenne de la session")
    fig.update_layout(barmode="group")
    return _layout(fig)


def calibration_bars(rows: Sequence[CalibrationRow]) -> go.Figure:
    """Self-rating next to measured performance, per competence."""
    names = [r.name for r in rows]
    fig = go.Figure(
        [
            go.Bar(x=names, y=[r.self_rating for r in rows], name="Auto-évaluation", marker_color=PALETTE[0]),
            go.Bar(
                x=names, y=[r.measured for r in rows], name="Résultats aux exercices", marker_color=PALETTE[1]
            ),
        ]
    )
    fig.update_yaxes(range=[0, 100])
    fig.update_layout(barmode="group")
    return _layout(fig)


def calibration_gaps(fw: Framework, trainees: Sequence[TraineeCalibration]) -> go.Figure:
    """Trainees × competences, self-rating minus exercise results: red over-, blue underestimates."""
    gaps = [{r.competence_id: r.gap for r in t.rows} for t in trainees]
    z = [[g.get(c.id) for c in fw.competences] for g in gaps]
    text = [["–" if v is None else signed_number(v) for v in line] for line in z]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[c.name for c in fw.competences],
            y=people_labels([t.display_name for t in trainees]),
            zmin=-100,
            zmax=100,
            zmid=0,
            colorscale="RdBu_r",
            text=text,
            texttemplate="%{text}",
            hovertemplate="%{y} — %{x}\u00a0: écart %{text} points<extra></extra>",
            colorbar={"title": "Écart"},
        )
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, max(260, 60 + 36 * len(trainees)))
