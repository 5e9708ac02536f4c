"""What an installation needs once per process after migrations (the app and CLIs call it)."""

from __future__ import annotations

import importlib

# Each feature area may add a ``(session) -> None`` step: dotted names, run in order, idempotent.
STARTUP_STEPS: list[str] = [
    "curation.demo:prepare_demo",
]


def prepare_installation() -> None:
    from workbench.db import session_scope

    for dotted in STARTUP_STEPS:
        module, _, name = dotted.partition(":")
        step = getattr(importlib.import_module(module), name)
        with session_scope() as session:
            step(session)
