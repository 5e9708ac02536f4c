"""Mentions as safe HTML and as tables for charts (pure functions: pages, notebooks and tests use them).

A mention's context is outside plain text: it is escaped first, then the names are wrapped in
``<mark>`` at their stored offsets, then the whole passes through the one sanitiser.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime

import pandas as pd

from curation.monitoring.tone import ESTIMATE_NOTE, TONE_LABELS
from curation.monitoring.watches import MentionView
from curation.sanitize import sanitize_html
from workbench.languages import language_name
from workbench.localtime import fr_datetime, people_zone

TONE_COLOURS = {"positif": "#1b7f3b", "négatif": "#b3261e", "neutre": "#8a8f98"}  # charts, by French label


def highlight_html(snippet: str, spans: Sequence[Sequence[int]]) -> str:
    """``snippet`` escaped, with each ``[start, end)`` span in ``<mark>``; overlapping or bad spans skipped."""
    parts: list[str] = []
    cursor = 0
    for start, end in sorted((int(a), int(b)) for a, b in spans):
        if start < cursor or end <= start or end > len(snippet):
            continue
        parts.append(html.escape(snippet[cursor:start]))
        parts.append(f"<mark>{html.escape(snippet[start:end])}</mark>")
        cursor = end
    parts.append(html.escape(snippet[cursor:]))
    return sanitize_html("".join(parts))


def mention_card_html(m: MentionView) -> str:
    """One mention: title (linked), source, date, tone hint and the highlighted context."""
    title = html.escape(m.title)
    if m.link.startswith(("http://", "https://")):
        title = f'<a href="{html.escape(m.link, quote=True)}">{title}</a>'
    tone = TONE_LABELS.get(m.tone, m.tone)
    when = fr_datetime(m.mentioned_at)
    body = (
        f"<p><strong>{title}</strong><br>"
        f"<small>{html.escape(m.source)} · {when} · {html.escape(language_name(m.language))} · "
        f"<em>ton {tone}</em> ({ESTIMATE_NOTE})</small></p>"
        f"<blockquote>{highlight_html(m.snippet, m.spans)}</blockquote>"
    )
    return sanitize_html(body)


def mentions_frame(rows: Sequence[MentionView]) -> pd.DataFrame:
    """One line per mention: watch, when, source, language, tone."""
    return pd.DataFrame(
        {
            "veille": [r.watch_name for r in rows],
            "date": pd.to_datetime([r.mentioned_at for r in rows], utc=True).tz_convert(people_zone().key),
            "source": [r.source for r in rows],
            "langue": [language_name(r.language) for r in rows],
            "ton": [TONE_LABELS.get(r.tone, r.tone) for r in rows],
        },
        columns=["veille", "date", "source", "langue", "ton"],
    )


def timeline(frame: pd.DataFrame, *, since: datetime, until: datetime, hourly: bool) -> pd.DataFrame:
    """Mentions per day (or hour) and watch, with the empty periods at zero; days and hours are the
    people's (``workbench.localtime``), as ``mentions_frame`` gives them."""
    freq = "h" if hourly else "D"
    zone = people_zone().key

    def start(moment: datetime) -> pd.Timestamp:
        stamp = pd.Timestamp(moment)
        stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
        return stamp.tz_convert(zone).floor(freq, ambiguous=False, nonexistent="shift_forward")

    periods = pd.date_range(start(since), start(until), freq=freq, name="période")
    names = sorted(frame["veille"].unique()) if not frame.empty else []
    counts = (
        frame.assign(période=frame["date"].dt.floor(freq, ambiguous=False, nonexistent="shift_forward"))
        .groupby(["période", "veille"])
        .size()
        if not frame.empty
        else pd.Series(dtype=int)
    )
    full = pd.MultiIndex.from_product([periods, names], names=["période", "veille"])
    return counts.reindex(full, fill_value=0).rename("mentions").reset_index()


def counts_by(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Mentions per value of ``column`` (source, langue, ton), largest first."""
    if frame.empty:
        return pd.DataFrame({column: [], "mentions": []})
    return frame.groupby(column).size().rename("mentions").sort_values(ascending=False).reset_index()
