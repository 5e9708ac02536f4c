"""The exercise library: bundled exercises (files) and those trainers write in the app (stored).

Trainer-made exercises belong to their author, who alone edits them, and are shared by choice
(``training_modules.sharing``, the same meaning for situational items):

- ``private``: only the author sees and assigns it;
- ``cohort``: the author assigns it to their cohorts, and the trainers of the author's trainees
  (a trainee may follow several cohorts) see and duplicate it;
- ``trainers``: every trainer of the install sees, duplicates and assigns it.

Trainees see a trainer-made exercise only once it is assigned to one of their cohorts. A bundled
exercise is never changed: adapting it is duplicating it, then editing the copy. Editing an
exercise someone already started makes a new version; work keeps the version it was done on
(``Submission.version``, looked up by ``loader.get_exercise(id, version, session=…)``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from training_modules.exercises import loader
from training_modules.exercises.kpi import check_datasets
from training_modules.exercises.loader import (
    TRAINER_PREFIX,
    ContentError,
    dataset_contents,
    find_exercises,
    get_exercise,
    load_exercises,
    parse_exercise,
    version_of,
)
from training_modules.exercises.models import (
    Assignment,
    CrisisLiveSession,
    EditorDraft,
    ExerciseDataset,
    Submission,
    TrainerExercise,
    TrainerExerciseVersion,
)
from training_modules.exercises.schema import Exercise
from training_modules.sharing import SHARINGS, visible_to_trainer
from training_modules.sharing import new_id as sharing_new_id
from workbench.access import Actor, member_cohort_ids, require_trainer
from workbench.db import utcnow
from workbench.errors import AccessDenied, NotFound, UserError
from workbench.models import User

__all__ = [
    "MAX_DATASET_BYTES",
    "LibraryEntry",
    "assignable",
    "assignable_exercises",
    "dataset_bytes",
    "drop_editor_draft",
    "duplicate_data",
    "editable_data",
    "editor_draft",
    "exercise_entry",
    "require_usable",
    "save_editor_draft",
    "save_exercise",
    "visible_exercises",
]

MAX_DATASET_BYTES = 1_000_000  # a KPI CSV of a few hundred rows weighs a few tens of kilobytes
DATASET_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,78}\.csv$")


@dataclass(frozen=True)
class LibraryEntry:
    """One exercise as the library lists it: bundled or trainer-made (latest version)."""

    exercise: Exercise
    origin: Literal["bundled", "trainer"]
    version: int
    author_id: int | None
    author_name: str | None
    sharing: Literal["private", "cohort", "trainers"] | None
    submissions: int
    updated_at: datetime | None


# --- who may see what ---------------------------------------------------------------------------


def _assigned_to_me(session: Session, actor: Actor) -> set[str]:
    """Exercises given to the trainee's cohorts: assigned, or played there as a live crisis."""
    cohorts = member_cohort_ids(session, actor.id)
    if not cohorts:
        return set()
    assigned = select(Assignment.exercise_id).where(Assignment.cohort_id.in_(cohorts))
    played = select(CrisisLiveSession.exercise_id).where(CrisisLiveSession.cohort_id.in_(cohorts))
    return set(session.scalars(assigned.union(played)))


def _visible_rows(session: Session, actor: Actor, ids: set[str] | None = None) -> list[TrainerExercise]:
    """The trainer-made exercises ``actor`` may see (among ``ids`` when given)."""
    stmt = select(TrainerExercise).order_by(TrainerExercise.id)
    if ids is not None:
        stmt = stmt.where(TrainerExercise.id.in_(ids))
    if actor.is_trainer:
        stmt = stmt.where(visible_to_trainer(session, actor, TrainerExercise))
    else:
        assigned = _assigned_to_me(session, actor)
        ids = assigned if ids is None else ids & assigned
        stmt = stmt.where(TrainerExercise.id.in_(ids))
    return list(session.scalars(stmt))


def assignable(author_id: int | None, sharing: str | None, actor: Actor) -> bool:
    """Whether ``actor`` may give a trainer-made exercise to the cohorts they run."""
    return author_id == actor.id or sharing == "trainers"


def require_usable(session: Session, actor: Actor, exercise_id: str, *, to_assign: bool = False) -> None:
    """Refuse a trainer-made exercise the actor may not see (or, ``to_assign``, not give to a cohort).

    Bundled exercises are open to everyone, as before."""
    if not exercise_id.startswith(TRAINER_PREFIX):
        return
    row = session.get(TrainerExercise, exercise_id)
    if row is None:
        raise NotFound(
            f"Exercice introuvable\u00a0: «\u00a0{exercise_id}\u00a0». Il a peut-être été supprimé."
        )
    if not _visible_rows(session, actor, {exercise_id}):
        raise AccessDenied("Cet exercice n’est pas partagé avec vous.")
    if to_assign and not assignable(row.author_id, row.sharing, actor):
        raise AccessDenied(
            "Cet exercice est partagé avec vos sessions par son auteur, mais seul lui peut l’assigner\u00a0: "
            "dupliquez-le pour l’assigner vous-même."
        )


# --- reading --------------------------------------------------------------------------------------


def _submission_counts(session: Session, ids: list[str]) -> dict[str, int]:
    if not ids:
        return {}
    rows = session.execute(
        select(Submission.exercise_id, func.count())
        .where(Submission.exercise_id.in_(ids))
        .group_by(Submission.exercise_id)
    ).tuples()
    return dict(rows.all())


def _entries(session: Session, rows: list[TrainerExercise], counts: dict[str, int]) -> list[LibraryEntry]:
    authors = {
        u.id: u.display_name
        for u in session.scalars(select(User).where(User.id.in_({r.author_id for r in rows})))
    }
    exercises = {k[0]: e for k, e in find_exercises(session, [(r.id, None) for r in rows]).items()}
    return [
        LibraryEntry(
            exercise=exercises[r.id],
            origin="trainer",
            version=version_of(exercises[r.id]) or 1,
            author_id=r.author_id,
            author_name=authors.get(r.author_id),
            sharing=r.sharing,  # type: ignore[arg-type]
            submissions=counts.get(r.id, 0),
            updated_at=r.updated_at,
        )
        for r in rows
        if r.id in exercises
    ]


def _bundled_entry(exercise: Exercise, submissions: int) -> LibraryEntry:
    return LibraryEntry(exercise, "bundled", 1, None, None, None, submissions, None)


def visible_exercises(session: Session, actor: Actor) -> list[LibraryEntry]:
    """Bundled exercises, then the trainer-made ones ``actor`` may see, at their latest version."""
    rows = _visible_rows(session, actor)
    bundled = load_exercises()
    counts = _submission_counts(session, [*bundled, *(r.id for r in rows)])
    return [
        *(_bundled_entry(e, counts.get(e.id, 0)) for e in bundled.values()),
        *_entries(session, rows, counts),
    ]


def assignable_exercises(session: Session, actor: Actor) -> list[LibraryEntry]:
    """What a trainer may give their cohorts: bundled exercises, their own, those shared with every
    trainer (the assign page, the programme, the live crisis)."""
    require_trainer(actor)
    return [
        e
        for e in visible_exercises(session, actor)
        if e.origin == "bundled" or assignable(e.author_id, e.sharing, actor)
    ]


def exercise_entry(session: Session, actor: Actor, exercise_id: str) -> LibraryEntry:
    """One exercise of the library, if ``actor`` may see it."""
    counts = _submission_counts(session, [exercise_id])
    if not exercise_id.startswith(TRAINER_PREFIX):
        return _bundled_entry(get_exercise(exercise_id), counts.get(exercise_id, 0))
    require_usable(session, actor, exercise_id)
    row = session.get(TrainerExercise, exercise_id)
    entries = _entries(session, [row], counts)  # type: ignore[list-item]
    if not entries:
        raise NotFound(f"Exercice introuvable\u00a0: «\u00a0{exercise_id}\u00a0».")
    return entries[0]


def dataset_bytes(session: Session, exercise: Exercise, name: str) -> bytes:
    """A dataset the exercise uses, for exports and forms: uploaded with its version (the exercise
    looked up carries it; one built elsewhere is looked up again), or bundled with the application."""
    try:
        return loader.dataset_bytes(exercise, name)
    except NotFound:
        if not exercise.id.startswith(TRAINER_PREFIX):
            raise
    return loader.dataset_bytes(get_exercise(exercise.id, version_of(exercise), session=session), name)


def editable_data(exercise: Exercise) -> dict[str, Any]:
    """What a file would hold for this exercise (no id: it is not edited), for forms and exports."""
    return exercise.model_dump(mode="json", exclude_defaults=True, exclude={"id"})


def duplicate_data(session: Session, actor: Actor, exercise_id: str) -> dict[str, Any]:
    """The data of a new exercise adapted from this one: its title ends in « (copie) ».

    Datasets it uses that were uploaded come with it only if given again to ``save_exercise``
    (``dataset_bytes(entry.exercise, name)``); bundled datasets are found by name."""
    require_trainer(actor)
    data = editable_data(exercise_entry(session, actor, exercise_id).exercise)
    data["title"] = f"{data['title']} (copie)"
    return data


# --- writing --------------------------------------------------------------------------------------


def _check_upload(name: str, content: bytes) -> None:
    if not DATASET_NAME_RE.match(name):
        raise ContentError(
            f"Nom de fichier refusé\u00a0: «\u00a0{name}\u00a0». Envoyez un fichier .csv dont le nom "
            "n’a que des lettres sans accents, des chiffres, des tirets ou des points.",
            field="datasets",
        )
    if len(content) > MAX_DATASET_BYTES:
        raise ContentError(
            f"Le fichier «\u00a0{name}\u00a0» est trop lourd ({len(content) // 1000} ko)\u00a0: "
            f"{MAX_DATASET_BYTES // 1000} ko au plus. Gardez les lignes utiles à l’exercice.",
            field="datasets",
        )


def _latest(session: Session, exercise_id: str) -> TrainerExerciseVersion | None:
    return session.scalar(
        select(TrainerExerciseVersion)
        .where(TrainerExerciseVersion.exercise_id == exercise_id)
        .order_by(TrainerExerciseVersion.version.desc())
        .limit(1)
    )


def _started(session: Session, exercise_id: str, version: int) -> bool:
    found = session.scalar(
        select(Submission.id)
        .where(Submission.exercise_id == exercise_id, Submission.version == version)
        .limit(1)
    )
    return found is not None


def save_exercise(
    session: Session,
    actor: Actor,
    data: dict[str, Any],
    *,
    sharing: str,
    datasets: dict[str, bytes] | None = None,
    exercise_id: str | None = None,
) -> LibraryEntry:
    """Create (``exercise_id`` None) or edit a trainer-made exercise, checked by the files' schema.

    A refusal is a ``ContentError`` (a ``UserError``) naming the field (``error.field``, a dotted
    path such as ``rules.max_length``) and nothing is written. Editing a version someone started
    makes the next version; otherwise the latest version is changed in place. ``datasets``: files
    uploaded now, by name (the body names them in ``posts_csv``/``messages_csv``); those of the
    previous version are kept."""
    require_trainer(actor)
    if sharing not in SHARINGS:
        raise UserError("Choisissez avec qui partager l’exercice.", field="sharing")
    row: TrainerExercise | None = None
    latest: TrainerExerciseVersion | None = None
    if exercise_id is not None:
        if exercise_id in load_exercises():
            raise AccessDenied(
                "Les exercices fournis avec l’atelier ne se modifient pas\u00a0: dupliquez-le pour l’adapter."
            )
        row = session.get(TrainerExercise, exercise_id)
        if row is None:
            raise NotFound(
                f"Exercice introuvable\u00a0: «\u00a0{exercise_id}\u00a0». Il a peut-être été supprimé."
            )
        if row.author_id != actor.id:
            raise AccessDenied(
                "Seul l’auteur d’un exercice peut le modifier\u00a0: dupliquez-le pour l’adapter."
            )
        latest = _latest(session, exercise_id)
    new_id = exercise_id or sharing_new_id(
        session, TrainerExercise.id, TRAINER_PREFIX, str(data.get("title") or "")
    )

    uploads = dict(datasets or {})
    for name, content in uploads.items():
        _check_upload(name, content)
    digests = dict(latest.datasets) if latest is not None else {}
    kept = {name: d for name, d in digests.items() if name not in uploads}
    blobs = dataset_contents(session, set(kept.values()))
    uploads = {**{n: blobs[d] for n, d in kept.items() if d in blobs}, **uploads}
    exercise = parse_exercise(
        {k: v for k, v in data.items() if k != "id"}, name=new_id, uploads=uploads, in_app=True
    )
    body = editable_data(exercise)  # what a file would hold, JSON-ready
    used = {getattr(exercise, a, None) for a in ("posts_csv", "messages_csv")} & set(uploads)
    if exercise.kind == "kpi":
        check_datasets(exercise)  # type: ignore[arg-type]

    # Everything is checked: write it all (the caller's one transaction).
    stored: dict[str, str] = {}
    for name in sorted(used):
        digest = hashlib.sha256(uploads[name]).hexdigest()
        if session.get(ExerciseDataset, digest) is None:
            session.add(ExerciseDataset(digest=digest, content=uploads[name], size=len(uploads[name])))
        stored[name] = digest
    now = utcnow()
    if row is None:
        row = TrainerExercise(id=new_id, author_id=actor.id, sharing=sharing, created_at=now, updated_at=now)
        session.add(row)
        session.flush()
    row.sharing, row.updated_at = sharing, now
    if latest is None or _started(session, new_id, latest.version):
        number = latest.version + 1 if latest is not None else 1
        session.add(
            TrainerExerciseVersion(
                exercise_id=new_id, version=number, body=body, datasets=stored, author_id=actor.id
            )
        )
    else:
        latest.body, latest.datasets, latest.updated_at = body, stored, now
    session.flush()
    return exercise_entry(session, actor, new_id)


# --- the editor's drafts --------------------------------------------------------------------------
# What a trainer typed in the library's form (an exercise or an item, « new:<kind> » before its first
# save), kept as they type so that a reload finds it; the trainer's own, dropped on save or abandon.


def _editor_draft(session: Session, actor: Actor, target: str) -> EditorDraft | None:
    require_trainer(actor)
    return session.scalar(select(EditorDraft).filter_by(user_id=actor.id, target=target))


def editor_draft(session: Session, actor: Actor, target: str) -> dict[str, Any] | None:
    draft = _editor_draft(session, actor, target)
    return draft.content if draft is not None else None


def save_editor_draft(session: Session, actor: Actor, target: str, content: dict[str, Any]) -> dict[str, Any]:
    draft = _editor_draft(session, actor, target)
    if draft is None:
        session.add(EditorDraft(user_id=actor.id, target=target, content=content))
    else:
        draft.content = content
    session.flush()
    return content


def drop_editor_draft(session: Session, actor: Actor, target: str) -> None:
    draft = _editor_draft(session, actor, target)
    if draft is not None:
        session.delete(draft)
