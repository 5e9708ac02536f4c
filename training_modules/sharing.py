"""Who sees what a trainer writes in the app (exercises, situational items): one meaning of sharing.

Trainer-made content belongs to its author, who alone edits it, and is shared by choice:

- ``private``: only the author sees it;
- ``cohort``: the author's cohorts get it, and the trainers of the author's trainees (a trainee
  may follow several cohorts) see and duplicate it;
- ``trainers``: every trainer of the install sees and duplicates it.

Each kind of content says what trainees get of it (an assigned exercise, an item in the
assessment); ids come from the title, with a prefix no bundled file uses.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from workbench.access import Actor
from workbench.models import Cohort, Membership

SHARINGS = ("private", "cohort", "trainers")


def co_trainer_authors(session: Session, actor: Actor) -> set[int]:
    """Trainers whose cohorts share a trainee with one of the actor's cohorts (the actor included)."""
    mine, theirs = aliased(Membership), aliased(Membership)
    other = aliased(Cohort)
    rows = session.scalars(
        select(other.trainer_id)
        .join(theirs, theirs.cohort_id == other.id)
        .join(mine, (mine.user_id == theirs.user_id) & mine.active & theirs.active)
        .join(Cohort, Cohort.id == mine.cohort_id)
        .where(Cohort.trainer_id == actor.id)
        .distinct()
    )
    return {actor.id, *rows}


def visible_to_trainer(session: Session, actor: Actor, model: Any) -> ColumnElement[bool]:
    """The rows of ``model`` (with ``author_id`` and ``sharing``) a trainer may see."""
    return (
        (model.author_id == actor.id)
        | (model.sharing == "trainers")
        | ((model.sharing == "cohort") & model.author_id.in_(co_trainer_authors(session, actor)))
    )


def slug(title: str, *, limit: int = 60, fallback: str = "exercice") -> str:
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:limit].strip("-") or fallback


def new_id(
    session: Session,
    column: InstrumentedAttribute[str],
    prefix: str,
    title: str,
    *,
    limit: int = 60,
    fallback: str = "exercice",
) -> str:
    """An unused id from the title: ``prefix`` + slug, numbered when taken (never a bundled id)."""
    base = f"{prefix}{slug(title, limit=limit, fallback=fallback)}"
    taken = set(session.scalars(select(column).where(column.like(f"{base}%"))))
    n, candidate = 1, base
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate
