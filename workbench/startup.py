"""What an installation needs once per process after migrations (the app and CLIs call it)."""

from __future__ import annotations

import importlib

from sqlalchemy import text
from sqlalchemy.orm import Session

# Each feature area may add a ``(session) -> None`` step: dotted names, run in order, idempotent.
STARTUP_STEPS: list[str] = [
    "curation.demo:prepare_demo",
]


STARTUP_LOCK = 74210002  # PostgreSQL advisory lock (74210001 guards the migrations)


def _one_process_at_a_time(session: Session) -> None:
    """Hold the installation's start-up lock until this transaction ends. Replicas opening a new
    installation at once would otherwise both insert the same rows and one would fail; in turn,
    each step (idempotent) sees what the previous process stored."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": STARTUP_LOCK})
    else:  # SQLite: a first write takes the database's write lock for the whole transaction
        session.execute(text("UPDATE alembic_version SET version_num = version_num"))


def prepare_installation() -> None:
    from workbench.db import session_scope

    for dotted in STARTUP_STEPS:
        module, _, name = dotted.partition(":")
        step = getattr(importlib.import_module(module), name)
        with session_scope() as session:
            _one_process_at_a_time(session)
            step(session)
