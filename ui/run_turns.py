"""Script runs take turns: a few at once in a server process, first come, first served.

A Streamlit server runs each browser session's script in its own thread, and Python runs one
thread at a time. When a whole class clicks in the same instant (logging in, « Terminer »), the
threads share the processor evenly: every run ends at about the time the last one does (25 logins
ended within 10 ms of each other, 1.3–1.9 s after the click). Taking turns, the first runs end
first, and the median wait is about half of that.

A run that has had its place for ``HOLD_LIMIT`` seconds no longer counts: it waits for something
outside the process (a feed, a translation service, a mail server, a refresh of many sources), and
the next run in line goes. No run waits more than ``MAX_WAIT`` seconds for its turn.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

RUNS_AT_ONCE = 2  # one running Python, one in the database, a password hash or the network
HOLD_LIMIT = 0.5  # seconds: longer than a page's own work under load, shorter than a slow service
MAX_WAIT = 2.0  # seconds

P = ParamSpec("P")
T = TypeVar("T")

_changed = threading.Condition()
_line: deque[object] = deque()  # runs waiting, first in line first
_running: dict[object, float] = {}  # run → when it got its place (time.monotonic)


def _counted(now: float) -> int:
    return sum(now - since < HOLD_LIMIT for since in _running.values())


def _next_release(now: float) -> float:
    """Seconds until a run now counted stops counting."""
    return min(
        (since + HOLD_LIMIT - now for since in _running.values() if now - since < HOLD_LIMIT), default=0.05
    )


@contextmanager
def script_turn() -> Iterator[None]:
    """This run's turn: first in line and fewer than ``RUNS_AT_ONCE`` runs counted (``MAX_WAIT`` at most)."""
    run = object()
    with _changed:
        _line.append(run)
        deadline = time.monotonic() + MAX_WAIT
        while True:
            now = time.monotonic()
            if now >= deadline or (_line[0] is run and _counted(now) < RUNS_AT_ONCE):
                break
            _changed.wait(max(0.001, min(deadline - now, _next_release(now))))
        _line.remove(run)
        _running[run] = time.monotonic()
        _changed.notify_all()  # the next in line may go too
    try:
        yield
    finally:
        with _changed:
            del _running[run]
            _changed.notify_all()


def in_turn(callback: Callable[P, T]) -> Callable[P, T]:
    """A widget's callback that takes its own turn: Streamlit runs callbacks before the script, so
    outside its turn (a class's « Terminer » clicked at once: 24 transactions together, each holding
    SQLite's write lock while waiting for Python)."""

    @functools.wraps(callback)
    def in_its_turn(*args: P.args, **kwargs: P.kwargs) -> T:
        with script_turn():
            return callback(*args, **kwargs)

    return in_its_turn
