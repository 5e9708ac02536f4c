"""Issue 18: one time zone for people (Europe/Paris by default, the ``time_zone`` setting), the
same on every page, export and e-mail; storage keeps UTC."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.apptest import run_page
from training_modules.exercises import get_exercise, live, reviews, submissions
from workbench.db import session_scope
from workbench.errors import UserError
from workbench.install_settings import save_settings
from workbench.localtime import check_zone, fr_date, fr_datetime, fr_time, zone_label
from workbench.settings import get_settings

PARIS = ZoneInfo("Europe/Paris")


def paris(moment: datetime) -> str:
    return moment.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%d/%m/%Y %H:%M")


def shown(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    return re.sub(r"\\(.)", r"\1", "\n".join(parts))


def test_moments_are_shown_in_paris_time_summer_and_winter():
    summer, winter = datetime(2026, 7, 1, 12, 5, tzinfo=UTC), datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert fr_datetime(summer) == "01/07/2026 14:05"
    assert fr_datetime(winter, at=True) == "01/01/2027 à 00:30"  # the next day in Paris
    assert fr_date(winter) == "01/01/2027"
    assert fr_time(summer, seconds=True) == "14:05:00"
    assert fr_datetime(datetime(2026, 7, 1, 12, 5)) == "01/07/2026 14:05"  # naive = UTC (SQLite)
    assert fr_datetime(None) == "—" and fr_datetime(None, empty="") == ""
    assert zone_label() == "heure de Paris"


def test_the_time_zone_is_a_setting(monkeypatch):
    monkeypatch.setenv("ATELIER_TIME_ZONE", "America/Montreal")
    get_settings.cache_clear()
    try:
        assert fr_datetime(datetime(2026, 7, 1, 12, 5, tzinfo=UTC)) == "01/07/2026 08:05"
        assert zone_label() == "heure de Montreal"
    finally:
        monkeypatch.delenv("ATELIER_TIME_ZONE")
        get_settings.cache_clear()
    with pytest.raises(UserError, match="Fuseau horaire inconnu"):
        check_zone("Mars/Olympus")


def test_a_trainer_saves_the_time_zone(people):
    with session_scope() as s, pytest.raises(UserError, match="Fuseau horaire inconnu"):
        save_settings(s, people.trainer, {"time_zone": "Paris"})
    at = run_page("screens/settings.py", people.trainer)
    zone = next(s for s in at.selectbox if s.label == "Fuseau horaire")
    assert zone.value == "Europe/Paris"
    zone.set_value("America/Montreal")
    at.button(key="FormSubmitter:time_zone_settings-Enregistrer").click().run()
    assert not at.exception
    assert get_settings().time_zone == "America/Montreal"


def test_attempts_corrections_and_export_agree_on_paris_time(people):
    """The trainee's attempts, the trainer's Corrections and the CSV export showed UTC."""
    ex = get_exercise("reply-client-colis-perdu")
    with session_scope() as s:
        sub = submissions.submit(s, people.alice, ex.id, {"text": ex.model_answer})
    when = sub.submitted_at
    at = run_page("screens/my_exercises.py", people.alice, open_exercise=ex.id)
    assert paris(when) in shown(at) and utc(when) not in shown(at)
    at = run_page("screens/exercise_reviews.py", people.trainer)
    assert paris(when).replace(" ", " à ") in shown(at) and "UTC" not in shown(at)
    with session_scope() as s:
        text = reviews.export_results_csv(s, people.trainer, people.cohort_id)
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert paris(when) in rows[1] and not any(utc(when) in cell for cell in rows[1])


def test_the_live_crisis_shows_paris_time(people):
    with session_scope() as s:
        live_id = live.start_live(
            s, people.trainer, cohort_id=people.cohort_id, exercise_id="crisis-lumen-lampe"
        ).id
        live.release_next(s, people.trainer, live_id)
        released = live.live_state(s, people.trainer, live_id).releases[0]
    at = run_page("screens/crisis_live.py", people.trainer)
    assert not at.exception
    caption = shown(at)
    assert f"n° 1 à {released.astimezone(PARIS):%H:%M:%S}" in caption and "UTC" not in caption
