"""``cache_once``: ``functools.cache`` that computes each value once even when threads ask together.

Streamlit runs every session's script in its own thread. ``functools.cache`` lets each thread that
asks before the first computation has finished compute the value again: after a restart, a class of
25 arriving together read and parsed every bundled exercise file 25 times. Here the first caller of
an argument computes while the others wait for its value (a failure is not kept: the next caller
tries again).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


def cache_once(func: Callable[..., T]) -> Callable[..., T]:
    values: dict[Hashable, Any] = {}
    locks: dict[Hashable, threading.Lock] = {}
    guard = threading.Lock()  # held only to find an argument's lock, never while computing

    @functools.wraps(func)
    def cached(*args: Hashable, **kwargs: Hashable) -> T:
        key = (args, tuple(sorted(kwargs.items())))
        try:
            return values[key]
        except KeyError:
            pass
        with guard:
            lock = locks.setdefault(key, threading.Lock())
        with lock:
            if key not in values:
                values[key] = func(*args, **kwargs)
            return values[key]

    def cache_clear() -> None:
        with guard:
            values.clear()
            locks.clear()

    cached.cache_clear = cache_clear  # type: ignore[attr-defined]
    return cached
