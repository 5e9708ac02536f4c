"""Calibration: how a trainee rates themself next to how they perform in exercises.

A provider is ``fn(session, user_id) -> {competence_id: 0–100}`` returning only the competences
that have results. Providers are registered with ``register_provider(fn)``, or named in
``PROVIDERS`` as ``"module:function"`` (the exercises area's ``measured_performance``), loaded
when their package is installed — this module does not otherwise depend on the exercises code.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from training_modules.competences import framework
from workbench.access import Actor, require_read_user

Provider = Callable[[Session, int], dict[str, float]]

PROVIDERS = ("training_modules.exercises.calibration:measured_performance",)
WELL_CALIBRATED = 15.0  # points of difference still read as « cohérent »
OVER, UNDER, CONSISTENT = "over", "under", "consistent"

_providers: list[Provider] = []


def register_provider(fn: Provider) -> Provider:
    """Add a source of measured performance (usable as a decorator; registering twice is a no-op)."""
    if fn not in _providers:
        _providers.append(fn)
    return fn


def unregister_provider(fn: Provider) -> None:
    if fn in _providers:
        _providers.remove(fn)


def _installed(module: str) -> bool:
    """Whether ``module`` and every parent package exist (without importing the module itself)."""
    parts = module.split(".")
    for depth in range(1, len(parts) + 1):
        if importlib.util.find_spec(".".join(parts[:depth])) is None:
            return False
    return True


def _load_named_providers() -> None:
    for dotted in PROVIDERS:
        module, _, name = dotted.partition(":")
        if _installed(module):
            register_provider(getattr(importlib.import_module(module), name))


def providers() -> list[Provider]:
    _load_named_providers()
    return list(_providers)


def measured_performance(session: Session, actor: Actor, user_id: int) -> dict[str, float]:
    """Measured performance per competence (0–100), only competences with results.

    Several providers measuring one competence are averaged.
    """
    require_read_user(session, actor, user_id)
    known = set(framework().names)
    collected: dict[str, list[float]] = {}
    for provider in providers():
        for cid, value in provider(session, user_id).items():
            if cid in known and value is not None:
                collected.setdefault(cid, []).append(max(0.0, min(100.0, float(value))))
    return {cid: round(sum(v) / len(v), 1) for cid, v in collected.items()}


@dataclass(frozen=True)
class CalibrationRow:
    competence_id: str
    name: str
    self_rating: float | None  # the self-rating part of the latest completed attempt
    measured: float | None

    @property
    def gap(self) -> float | None:
        if self.self_rating is None or self.measured is None:
            return None
        return round(self.self_rating - self.measured, 1)

    @property
    def tendency(self) -> str | None:
        """OVER, UNDER or CONSISTENT; None when there is nothing to compare yet."""
        gap = self.gap
        if gap is None:
            return None
        if gap > WELL_CALIBRATED:
            return OVER
        if gap < -WELL_CALIBRATED:
            return UNDER
        return CONSISTENT

    @property
    def reading(self) -> str:
        """The tendency as the trainee reads it."""
        return _READINGS[self.tendency][0]

    @property
    def trainer_reading(self) -> str:
        """The tendency as the trainer reads it about a trainee."""
        return _READINGS[self.tendency][1]


_READINGS = {
    None: ("Pas encore de comparaison possible", "Pas encore de comparaison possible"),
    OVER: ("Vous vous surestimez peut-être", "Se surestime peut-être"),
    UNDER: ("Vous vous sous-estimez peut-être", "Se sous-estime peut-être"),
    CONSISTENT: ("Cohérent", "Cohérent"),
}


def calibration(
    session: Session, actor: Actor, user_id: int, self_ratings: dict[str, float | None]
) -> list[CalibrationRow]:
    """Self-rating (from the caller's latest attempt) next to measured performance, per competence."""
    measured = measured_performance(session, actor, user_id)
    return [
        CalibrationRow(c.id, c.name, self_ratings.get(c.id), measured.get(c.id))
        for c in framework().competences
    ]
