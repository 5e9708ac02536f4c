"""Where every package's SQLAlchemy models are registered, for migrations, tests and the refresh."""

from __future__ import annotations

import importlib

from sqlalchemy.orm import configure_mappers

# Each feature area's model module; its migrations live in workbench/migrations/versions/<area>/.
MODEL_MODULES = [
    "workbench.models",
    "workbench.install_settings",
    "curation.models",
    "curation.translation.models",
    "curation.digest.models",
    "curation.digest.queue",
    "curation.story_models",
    "training_modules.assessment_models",
    "training_modules.exercises.models",
    "curation.board_models",
    "curation.monitoring.models",
    "workbench.public_address",
]


def import_all_models() -> None:
    for name in MODEL_MODULES:
        importlib.import_module(name)


def configure_all_models() -> None:
    """Every model imported whole and its mapper configured, now, in this thread. SQLAlchemy
    configures every mapper of the registry at a session's first use; a model module that another
    thread is still importing then (a refresh imports its plugins in the background while it
    stores) fails them all, for the life of the process."""
    import_all_models()
    configure_mappers()


# Objects created by hand-written migrations (FTS5 tables, generated columns) that have no model:
# autogenerate must neither drop them nor recreate them.
UNMANAGED_TABLE_PREFIXES = ("entry_fts",)
UNMANAGED_COLUMNS = {("entries", "search_vector")}


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Alembic ``include_object`` hook: leave the unmanaged objects above alone."""
    if type_ == "table" and name and name.startswith(UNMANAGED_TABLE_PREFIXES):
        return False
    if type_ == "column":
        table = getattr(getattr(obj, "table", None), "name", "")
        return (table, name) not in UNMANAGED_COLUMNS
    return True
