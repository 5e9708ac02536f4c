"""Calibration: providers registered by the exercises area, access, and the comparison rows."""

from __future__ import annotations

import pytest

from training_modules import calibration
from workbench.db import session_scope
from workbench.errors import AccessDenied


@pytest.fixture
def provider():
    calls = []

    def measured(session, user_id):
        calls.append(user_id)
        return {"communication": 40.0, "anglais": 130.0, "not-a-competence": 50.0}

    calibration.register_provider(measured)
    yield calls
    calibration.unregister_provider(measured)


def test_measured_performance_merges_providers_and_clamps(people, provider):
    with session_scope() as s:
        assert calibration.measured_performance(s, people.alice, people.alice.id) == {
            "communication": 40.0,
            "anglais": 100.0,
        }
    assert provider == [people.alice.id]


def test_measured_performance_follows_the_access_rules(people, provider):
    with session_scope() as s:
        assert calibration.measured_performance(s, people.trainer, people.alice.id)
        with pytest.raises(AccessDenied):
            calibration.measured_performance(s, people.bob, people.alice.id)
        with pytest.raises(AccessDenied):
            calibration.measured_performance(s, people.other_trainer, people.alice.id)


def test_calibration_rows_read_the_gap(people, provider):
    with session_scope() as s:
        rows = calibration.calibration(
            s, people.alice, people.alice.id, {"communication": 80.0, "anglais": 90.0, "empathie": 50.0}
        )
    by_id = {r.competence_id: r for r in rows}
    assert len(rows) == 7
    assert by_id["communication"].gap == 40.0 and "surestimez" in by_id["communication"].reading
    assert by_id["anglais"].gap == -10.0 and by_id["anglais"].reading == "Cohérent"
    assert by_id["empathie"].measured is None and by_id["empathie"].gap is None


def test_registering_twice_keeps_one_provider():
    def fn(session, user_id):
        return {}

    calibration.register_provider(fn)
    calibration.register_provider(fn)
    try:
        assert calibration.providers().count(fn) == 1
    finally:
        calibration.unregister_provider(fn)


def named_provider(session, user_id):
    return {"collaboration": 55.0}


def test_named_providers_are_loaded_when_installed(people, monkeypatch):
    monkeypatch.setattr(
        calibration,
        "PROVIDERS",
        ("tests.test_assessment_calibration:named_provider", "no_such_package.calibration:measured"),
    )
    try:
        with session_scope() as s:
            assert calibration.measured_performance(s, people.alice, people.alice.id) == {
                "collaboration": 55.0
            }
    finally:
        calibration.unregister_provider(named_provider)
