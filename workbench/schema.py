"""Where every package's SQLAlchemy models are registered, for migrations and tests."""

from __future__ import annotations

import importlib

# Each feature area's model module; its migrations live in workbench/migrations/versions/<area>/.
MODEL_MODULES = [
    "workbench.models",
    "curation.models",
    "curation.translation.models",
    "curation.board_models",
]


def import_all_models() -> None:
    for name in MODEL_MODULES:
        importlib.import_module(name)
