"""Script runs take turns: at most a few at once in a server process, first come first served.

A Streamlit server runs each browser session's script in its own thread, and Python runs one
thread at a time. When a whole class clicks in the same instant (logging in, « Terminer »), the
threads share the processor evenly: every run ends at about the time the last one does (25 logins
ended within 10 ms of each other, 1.3–1.9 s after the click). Taking turns, the first runs end
first, and the median wait is about half of that. A run waits at most ``MAX_WAIT`` seconds for its
turn, then goes anyway: a run held by a slow outside service (a feed, a translation, mail) delays
the others by that much at most.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

RUNS_AT_ONCE = 2  # one running Python, one in the database, a password hash or the network
MAX_WAIT = 2.0  # seconds

_turns = threading.BoundedSemaphore(RUNS_AT_ONCE)


@contextmanager
def script_turn() -> Iterator[None]:
    """This run's turn: waits for one of the ``RUNS_AT_ONCE`` places (``MAX_WAIT`` at most)."""
    taken = _turns.acquire(timeout=MAX_WAIT)
    try:
        yield
    finally:
        if taken:
            _turns.release()
