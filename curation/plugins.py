"""Post-store plugins: work that follows new entries (duplicate stories, monitoring rules…).

A plugin is a callable ``(session, new_entry_ids: list[int]) -> None`` named by its dotted path
("package.module.function") in ``POST_STORE_PLUGINS``. Each runs in its own savepoint: a failing
plugin is logged, its own writes are undone, and the entries are stored all the same.

Two ways to run them:
- at once, in the transaction that stored the entries (adding a feed, the demo content);
- deferred (a refresh): the entries are marked pending in that transaction (``PendingEntry``) and
  ``drain`` runs the plugins over the entries of many feeds at once. Grouping stories or applying
  rules costs much the same for 10 entries as for 5,000, so a refresh of 500 feeds pays it a few
  times instead of 500. A crash between storing and draining loses nothing: the next drain, by any
  process, picks the pending entries up.
"""

from __future__ import annotations

import importlib
import itertools
import logging
import threading
from collections.abc import Callable
from functools import cache

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from curation.models import Entry, PendingEntry
from curation.visibility import entry_date
from workbench.db import session_scope
from workbench.memory import return_large_blocks, trim

log = logging.getLogger("atelier.plugins")

PostStore = Callable[[Session, list[int]], None]

# Areas append their plugin's dotted name here (one line each).
POST_STORE_PLUGINS: list[str] = [
    "curation.stories.group_new_entries",
    "curation.monitoring.plugin.apply_to_new_entries",
]
DRAIN_BATCH = 5000  # entries per drain transaction (a few seconds of writing)

_draining = threading.Lock()  # one drain at a time in a process (others wait, then find less to do)


@cache
def _load(name: str) -> PostStore:
    module_name, _, attribute = name.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute)


def preload() -> None:
    """Import every plugin now: a long refresh does it while it waits for the network, not in its
    first drain (a failure is logged; the drain will try again and contain it)."""
    for name in list(POST_STORE_PLUGINS):
        try:
            _load(name)
        except Exception:
            log.exception("post-store plugin %s could not be loaded", name)


def register(name: str) -> None:
    """Add a plugin by dotted name (idempotent)."""
    if name not in POST_STORE_PLUGINS:
        POST_STORE_PLUGINS.append(name)


def run_post_store(session: Session, new_entry_ids: list[int]) -> list[str]:
    """Run every plugin on the new entries now; returns the names of those that failed."""
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


def defer(session: Session, new_entry_ids: list[int]) -> None:
    """Mark new entries pending, in the transaction that stores them; ``drain`` will run the plugins."""
    if new_entry_ids:
        rows = [{"entry_id": entry_id} for entry_id in new_entry_ids]
        session.execute(insert(PendingEntry.__table__), rows)  # Core: no ORM bulk layer


def drain(db_url: str | None = None, *, batch: int | None = None, batches: int | None = None) -> int:
    """Run the plugins on every pending entry, ``batch`` entries per transaction, in date order
    (each batch is then one stretch of time: grouping stories reads one window around it);
    ``batch`` defaults to ``DRAIN_BATCH``; ``batches``: stop after that many transactions (the
    caller has other work between them).

    Returns how many entries were processed. Several processes may drain at once: on PostgreSQL each
    takes rows the others have not locked."""
    done, batch = 0, batch or DRAIN_BATCH
    return_large_blocks()  # the story index's arrays come and go by the megabyte
    with _draining:
        for _ in itertools.count() if batches is None else range(batches):
            with session_scope(db_url) as session:
                stmt = (
                    select(PendingEntry.entry_id)
                    .join(Entry, Entry.id == PendingEntry.entry_id)
                    .order_by(entry_date(), Entry.id)
                    .limit(batch)
                )
                if session.get_bind().dialect.name == "postgresql":
                    stmt = stmt.with_for_update(of=PendingEntry, skip_locked=True)
                ids = list(session.scalars(stmt))
                if not ids:
                    return done
                # Deleted first: on SQLite the delete opens the transaction the savepoints nest in.
                for start in range(0, len(ids), 500):
                    chunk = ids[start : start + 500]
                    session.execute(delete(PendingEntry).where(PendingEntry.entry_id.in_(chunk)))
                run_post_store(session, ids)
            trim()  # a batch's rows and fingerprints, freed between blocks still in use
            done += len(ids)
    return done
