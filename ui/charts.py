"""Plotly charts in French: month and day names, day-first dates, decimal comma.

plotly.js ships English only and Streamlit bundles no other locale, but a chart's config may carry
its own locale definition (``locales``): every chart of the app goes through ``chart`` with it.
Date axes also need French order (« 5 déc. », not « déc. 5 »): ``french_dates`` sets their formats.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

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
DAY_MS, MONTH_MS = 86_400_000, 28 * 86_400_000
DATE_TICKS = [  # tick labels by the spacing between ticks, day before month as in French
    {"dtickrange": [None, DAY_MS], "value": "%-d %b %H:%M"},
    {"dtickrange": [DAY_MS, MONTH_MS], "value": "%-d %b"},
    {"dtickrange": [MONTH_MS, "M12"], "value": "%b %Y"},
    {"dtickrange": ["M12", None], "value": "%Y"},
]


def french_dates(fig: go.Figure, *, hours: bool = False) -> go.Figure:
    """The figure's x axis read as dates, labelled and hovered the French way."""
    return fig.update_xaxes(
        type="date", tickformatstops=DATE_TICKS, hoverformat="%-d %b %Y" + (" %H:%M" if hours else "")
    )


def chart(fig: go.Figure, **kwargs: Any) -> None:
    """``st.plotly_chart`` with the French locale (``kwargs``: key, width…)."""
    st.plotly_chart(fig, config=PLOTLY_CONFIG, **kwargs)
