"""The training content as one plain dictionary, so it can be checked, counted and diffed.

``python -m training_modules catalog --json`` prints it; the exercise list comes from the
exercises area (``training_modules.exercises.catalog_entries``).
"""

from __future__ import annotations

from typing import Any

from training_modules.competences import Framework, framework


def exercise_entries() -> list[dict[str, Any]]:
    """The exercise catalog: dicts with id, kind, competences, missions and title."""
    from training_modules.exercises import catalog_entries

    return list(catalog_entries())


def competence_entries(fw: Framework | None = None) -> list[dict[str, Any]]:
    fw = fw or framework()
    return [
        {
            "id": c.id,
            "name": c.name,
            "summary": c.summary,
            "definition": c.definition,
            "statements": [s.model_dump() for s in c.statements],
            "situational": [j.model_dump() for j in c.situational],
            "resources": [r.model_dump() for r in c.resources],
            "exercise_kinds": list(c.exercise_kinds),
        }
        for c in fw.competences
    ]


def mission_entries(fw: Framework | None = None) -> list[dict[str, Any]]:
    fw = fw or framework()
    return [
        {
            "id": m.id,
            "name": m.name,
            "description": m.description,
            "competences": list(m.competences),
            "levels": dict(m.levels),
        }
        for m in fw.missions
    ]


def catalog(fw: Framework | None = None) -> dict[str, Any]:
    """Competences, missions and exercises, as printed by the CLI."""
    return {
        "competences": competence_entries(fw),
        "missions": mission_entries(fw),
        "exercises": exercise_entries(),
    }
