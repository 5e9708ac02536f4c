"""Script runs take turns (ui/run_turns.py): a class clicking at once is served first come, first served."""

from __future__ import annotations

import threading
import time

import pytest

from tests.apptest import run_app
from ui import run_turns


def _together(works: list[float], stagger: float = 0.0) -> dict[int, tuple[float, float]]:
    """Runs started in order (``stagger`` seconds apart), run ``i`` holding its turn ``works[i]``
    seconds; when each got its turn and when it ended, from the first start."""
    start = time.monotonic()
    times: dict[int, tuple[float, float]] = {}

    def run(i: int) -> None:
        with run_turns.script_turn():
            began = time.monotonic() - start
            time.sleep(works[i])
        times[i] = (began, time.monotonic() - start)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(works))]
    for t in threads:
        t.start()
        time.sleep(stagger)
    for t in threads:
        t.join()
    return times


def _all_free() -> bool:
    return not run_turns._running and not run_turns._line


def test_runs_beyond_the_places_wait_their_turn_in_order_and_the_first_end_first():
    places = run_turns.RUNS_AT_ONCE
    times = _together([0.15] * 6, stagger=0.01)
    ends = sorted(end for _, end in times.values())
    assert ends[0] < 0.3  # the first did not wait for the others
    assert ends[-1] >= 0.15 * (6 / places) - 0.05  # the others waited for a place
    assert ends[places] - ends[0] >= 0.1  # ended by rounds, not all together at the end
    began = [times[i][0] for i in range(6)]
    assert began == sorted(began)  # first come, first served
    assert _all_free()


def test_a_run_that_holds_its_place_long_stops_counting(monkeypatch):
    """Waiting on a slow service or refreshing sources: after HOLD_LIMIT the next run in line goes."""
    monkeypatch.setattr(run_turns, "HOLD_LIMIT", 0.3)
    monkeypatch.setattr(run_turns, "MAX_WAIT", 5.0)
    times = _together([2.0] * run_turns.RUNS_AT_ONCE + [0.0], stagger=0.02)
    began = times[run_turns.RUNS_AT_ONCE][0]
    assert 0.25 <= began < 1.0  # neither at once nor after the slow runs
    assert _all_free()


def test_no_run_waits_more_than_the_limit(monkeypatch):
    monkeypatch.setattr(run_turns, "HOLD_LIMIT", 10.0)
    monkeypatch.setattr(run_turns, "MAX_WAIT", 0.3)
    times = _together([1.5] * run_turns.RUNS_AT_ONCE + [0.0], stagger=0.02)
    assert 0.25 <= times[run_turns.RUNS_AT_ONCE][0] < 1.0
    assert _all_free()


@pytest.mark.parametrize(
    ("actor", "page"),
    [("alice", None), ("alice", "screens/wall.py"), ("alice", "screens/assessment_take.py"), (None, None)],
)
def test_the_app_gives_its_turn_back_after_every_run(people, actor, page):
    """Runs that end, stop (st.stop: the login page) or rerun all give their place back."""
    at = run_app(getattr(people, actor) if actor else None, page)
    assert not at.exception
    assert _all_free()
