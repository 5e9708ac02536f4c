"""Exercises for trainees: content files, graders, attempts, reviews and the crisis live mode."""

from __future__ import annotations

from training_modules.exercises.loader import get_exercise, load_exercises
from training_modules.exercises.schema import KIND_LABELS


def catalog_entries() -> list[dict[str, object]]:
    """Every exercise for the training catalog: id, kind, title, competences, missions."""
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
