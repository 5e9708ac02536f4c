"""Post-store plugins: work that follows new entries (duplicate stories, monitoring rules…).

A plugin is a callable ``(session, new_entry_ids: list[int]) -> None`` named by its dotted path
("package.module.function") in ``POST_STORE_PLUGINS``. The refresh calls every plugin inside the
transaction that stored the feed, each in its own savepoint: a failing plugin is logged, its own
writes are undone, and the feed is stored all the same. A plugin's module may define
``start_of_run()`` and ``end_of_run()``: the refresh calls them around a run (``run_scope``), so a
plugin can keep work between the feeds of one run.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache

from sqlalchemy.orm import Session

log = logging.getLogger("atelier.plugins")

PostStore = Callable[[Session, list[int]], None]

# Areas append their plugin's dotted name here (one line each).
POST_STORE_PLUGINS: list[str] = [
    "curation.stories.group_new_entries",
    "curation.monitoring.plugin.apply_to_new_entries",
]


@cache
def _load(name: str) -> PostStore:
    module_name, _, attribute = name.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute)


def register(name: str) -> None:
    """Add a plugin by dotted name (idempotent)."""
    if name not in POST_STORE_PLUGINS:
        POST_STORE_PLUGINS.append(name)


def run_post_store(session: Session, new_entry_ids: list[int]) -> list[str]:
    """Run every plugin on the new entries; returns the names of those that failed."""
    failed: list[str] = []
    if not new_entry_ids:
        return failed
    for name in list(POST_STORE_PLUGINS):
        try:
            with session.begin_nested():
                _load(name)(session, list(new_entry_ids))
        except Exception:
            log.exception("post-store plugin %s failed", name)
            failed.append(name)
    return failed


@contextmanager
def run_scope() -> Iterator[None]:
    """One refresh run: each plugin module's ``start_of_run``/``end_of_run`` hooks around it."""
    modules = [importlib.import_module(name.rpartition(".")[0]) for name in POST_STORE_PLUGINS]
    started = []
    try:
        for module in modules:
            if hasattr(module, "start_of_run"):
                module.start_of_run()
                started.append(module)
        yield
    finally:
        for module in started:
            if hasattr(module, "end_of_run"):
                module.end_of_run()
