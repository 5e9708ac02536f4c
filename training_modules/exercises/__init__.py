"""Exercises for trainees: content files, graders, attempts, reviews and the crisis live mode.

The content loader (pydantic, YAML: about 10 MB) is imported on first use, not with the package:
every process that migrates the database imports ``training_modules.exercises.models``, a refresh
included.
"""

from __future__ import annotations

from typing import Any

_LOADER_NAMES = ("get_exercise", "load_exercises")


def __getattr__(name: str) -> Any:
    if name in _LOADER_NAMES:
        from training_modules.exercises import loader

        return getattr(loader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def catalog_entries() -> list[dict[str, object]]:
    """Every exercise for the training catalog: id, kind, title, competences, missions."""
    from training_modules.exercises.loader import load_exercises
    from training_modules.exercises.schema import KIND_LABELS

    return [
        {
            "id": e.id,
            "kind": e.kind,
            "kind_label": KIND_LABELS[e.kind],
            "title": e.title,
            "competences": list(e.competences),
            "missions": list(e.missions),
        }
        for e in load_exercises().values()
    ]


__all__ = ["catalog_entries", "get_exercise", "load_exercises"]
