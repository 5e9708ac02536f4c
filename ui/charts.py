"""Plotly charts in French: month and day names, day-first dates, decimal comma, people's time.

plotly.js ships English only and Streamlit bundles no other locale, but a chart's config may carry
its own locale definition (``locales``): every chart of the app goes through ``chart`` with it.
Date axes also need French order (« 5 déc. », not « déc. 5 »): ``french_dates`` sets their formats.
"""

from __future__ import annotations

import html
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from workbench.numbers import fr_number

FRENCH = {
    "dictionary": {},
    "format": {
        "days": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
        "shortDays": ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
        "months": [
            "janvier", "février", "mars", "avril", "mai", "juin",
            "juillet", "août", "septembre", "octobre", "novembre", "décembre",
        ],
        "shortMonths": [
            "janv.", "févr.", "mars", "avr.", "mai", "juin",
            "juil.", "août", "sept.", "oct.", "nov.", "déc.",
        ],
        "periods": ["", ""],
        "date": "%d/%m/%Y",
        "time": "%H:%M:%S",
        "dateTime": "%A %-d %B %Y, %H:%M:%S",
        "decimal": ",",
        "thousands": "\u202f",
        "grouping": [3],
        "currency": ["", "\u00a0€"],
    },
}  # fmt: skip
PLOTLY_CONFIG: dict[str, Any] = {"locale": "fr", "locales": {"fr": FRENCH}, "displaylogo": False}
SEPARATORS = ",\u202f"  # decimal comma, narrow no-break space between thousands (layout.separators)
DAY_MS, MONTH_MS = 86_400_000, 28 * 86_400_000
DATE_TICKS = [  # tick labels by the spacing between ticks, day before month as in French
    {
        "dtickrange": [None, DAY_MS - 1],
        "value": "%-d %b %H:%M",
    },  # both ends count: a day a tick, no « 00:00 »
    {"dtickrange": [DAY_MS, MONTH_MS], "value": "%-d %b"},
    {"dtickrange": [MONTH_MS, "M12"], "value": "%b %Y"},
    {"dtickrange": ["M12", None], "value": "%Y"},
]


def french_dates(fig: go.Figure, *, hours: bool = False) -> go.Figure:
    """The figure's x axis read as dates, labelled and hovered the French way."""
    fig.update_xaxes(
        type="date", tickformatstops=DATE_TICKS, hoverformat="%-d %b %Y" + (" %H:%M" if hours else "")
    )
    return fig


def chart_text(text: str) -> str:
    """A person's or a source's words as a chart label: plotly reads tags in labels (``<a href>``,
    ``<b>``, ``<span style>``) and shows entities as characters, so escaped text shows as typed."""
    return html.escape(text, quote=False)


def french_pie_shares(fig: go.Figure) -> None:
    """Pies' shares as French writes them, « 33,3 % » (plotly writes « 33.3% » whatever the
    locale): written as each slice's text, on the slice and in its hover."""
    for trace in fig.data:
        if trace.type != "pie" or trace.values is None:
            continue
        values = [float(v) for v in trace.values]
        total = sum(values) or 1.0
        shares = [round(100 * v / total, 1) for v in values]
        trace.update(
            text=[f"{fr_number(s, 0 if s.is_integer() else 1)}\u202f%" for s in shares],
            textinfo="text",
            hovertemplate="%{label}\u00a0: %{value} (%{text})<extra></extra>",
        )


def chart(fig: go.Figure, **kwargs: Any) -> None:
    """``st.plotly_chart`` with the French locale and separators (``kwargs``: key, width…)."""
    fig.update_layout(separators=SEPARATORS)
    french_pie_shares(fig)
    st.plotly_chart(fig, config=PLOTLY_CONFIG, **kwargs)
