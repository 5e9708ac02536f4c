"""Numbers as a French person reads them where a class at full size meets them: counts in the
thousands on the home page and the brand watch, percentages on the watch's pie charts, and the
hover text of the calibration chart (found by using the app with 25 trainees and 600 sources)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from curation.monitoring import watches as W
from tests.apptest import run_app, run_page
from tests.entry_factory import add_many_subscriptions
from tests.monitoring_factory import store, subscribe
from training_modules.assessment import TraineeCalibration
from training_modules.calibration import CalibrationRow
from training_modules.competences import framework
from ui import assessment_charts
from workbench.db import session_scope


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_home_counts_unread_stories_in_the_thousands_the_french_way(people):
    """« Sujets non lus : 2910 » for a trainee with 600 sources: French writes 2 910."""
    with session_scope() as s:
        add_many_subscriptions(s, people.alice.id, 600, errors=0, pending=0, entries_per_feed=2)
    at = run_app(people.alice, "screens/home.py")
    assert not at.exception
    assert metric(at, "Sujets non lus") == "1\u202f200"


def test_the_brand_watch_counts_and_pies_read_the_french_way(people):
    """A watch with 1 200 mentions showed « 1200 », and its pies « 100% » (French: « 100 % »)."""
    feed = subscribe(people.alice, "https://journal.example.fr/rss", title="Le Journal")
    now = datetime.now(UTC)
    store(feed, [{"title": f"Orange, épisode {i}", "text": ""} for i in range(1_000)], when=now)
    store(feed, [{"title": "Orange in English", "text": ""}], when=now - timedelta(minutes=5))
    with session_scope() as s:
        W.create_watch(s, people.alice, W.WatchInput(name="Orange"))
    at = run_page("screens/monitoring.py", people.alice)
    assert not at.exception
    assert metric(at, "Mentions") == "1\u202f001"
    pies = [
        trace
        for chart in at.get("plotly_chart")
        for trace in json.loads(chart.proto.spec)["data"]
        if trace["type"] == "pie"
    ]
    assert pies
    for pie in pies:
        assert pie["textinfo"] == "text" and all(t.endswith("\u202f%") for t in pie["text"]), pie
        assert "%{percent" not in pie.get("hovertemplate", "")
    assert "100\u202f%" in [t for pie in pies for t in pie["text"]]


def test_the_calibration_hover_keeps_its_colon_with_its_word():
    row = CalibrationRow("communication", "Communiquer", self_rating=40.0, measured=65.0)
    fig = assessment_charts.calibration_gaps(framework(), [TraineeCalibration(1, "Alice", [row])])
    assert " :" not in fig.data[0].hovertemplate and "\u00a0:" in fig.data[0].hovertemplate
