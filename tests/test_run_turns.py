"""Script runs take turns (ui/run_turns.py): a class clicking at once is served first come, first served."""

from __future__ import annotations

import threading
import time

import pytest

from tests.apptest import run_app
from ui import run_turns


def _all_places_free() -> bool:
    taken = [run_turns._turns.acquire(blocking=False) for _ in range(run_turns.RUNS_AT_ONCE)]
    for t in taken:
        if t:
            run_turns._turns.release()
    return all(taken)


def _run_together(count: int, work: float) -> list[float]:
    """``count`` runs started in the same instant, each holding its turn ``work`` seconds; when each ended."""
    start = time.monotonic()
    ended: list[float] = []
    lock = threading.Lock()

    def run() -> None:
        with run_turns.script_turn():
            time.sleep(work)
        with lock:
            ended.append(time.monotonic() - start)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(ended)


def test_runs_beyond_the_places_wait_their_turn_and_the_first_end_first():
    ended = _run_together(6, 0.2)
    places = run_turns.RUNS_AT_ONCE
    assert places < 6
    assert ended[0] < 0.35  # the first turns did not wait for the others
    assert ended[-1] >= 0.2 * (6 / places) - 0.05  # the others waited for a place
    assert ended[2] - ended[0] >= 0.15  # ended by rounds, not all together at the end


def test_a_run_waits_at_most_the_limit_then_goes(monkeypatch):
    monkeypatch.setattr(run_turns, "MAX_WAIT", 0.2)
    held = [run_turns._turns.acquire() for _ in range(run_turns.RUNS_AT_ONCE)]
    try:
        started = time.monotonic()
        with run_turns.script_turn():
            waited = time.monotonic() - started
        assert 0.15 <= waited < 1.0
    finally:
        for _ in held:
            run_turns._turns.release()
    assert _all_places_free()  # and it gave back no place it had not taken (BoundedSemaphore)


@pytest.mark.parametrize("page", [None, "screens/wall.py", "screens/assessment_take.py"])
def test_the_app_gives_its_turn_back_after_every_run(people, page):
    """Runs that end normally, stop (st.stop) or rerun (st.rerun) all give their place back."""
    at = run_app(people.alice, page)
    assert not at.exception
    assert _all_places_free()


def test_the_login_page_gives_its_turn_back(people):
    at = run_app(None)
    assert not at.exception and at.title[0].value == "Atelier CM"
    assert _all_places_free()
