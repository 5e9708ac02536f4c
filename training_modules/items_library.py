"""Situational items of the self-assessment: bundled (competence files) and written by trainers in
the app (stored, versioned), checked by the same ``SituationalItem`` model as the files.

Trainer-made items belong to their author, who alone edits them, and are shared as exercises are
(``training_modules.sharing``): ``private`` (the author alone), ``cohort`` (the author's cohorts;
the trainers of the author's trainees see and duplicate it), ``trainers`` (every trainer sees and
duplicates it). Only trainers read the library.

Which items a trainee's assessment holds: the bundled ones, plus the trainer-made items whose
author runs one of the trainee's cohorts and shares them (``cohort`` or ``trainers``). A trainer
who wants another trainer's item for their cohort duplicates it: the copy is theirs to share. An
attempt keeps the items it answered at the version answered (``AssessmentAnswer.version``), even
if the item is later edited or unshared; editing a version an attempt answered makes the next one.

Options are shown shuffled per attempt (``SituationalItem.options_for``), so their stored order
gives nothing away; their length might, so the best option may not be much longer than the others
(``check_giveaway``: refused above the bundled bank's bound, a warning when merely the longest).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from training_modules.assessment_models import AssessmentAnswer, TrainerItem, TrainerItemVersion
from training_modules.competences import COMPETENCE_IDS, Framework, SituationalItem, framework
from training_modules.exercises.loader import ContentError, field_errors
from training_modules.sharing import SHARINGS, visible_to_trainer
from training_modules.sharing import new_id as sharing_new_id
from workbench.access import Actor, member_cohort_ids, require_trainer
from workbench.db import utcnow
from workbench.errors import AccessDenied, NotFound, UserError
from workbench.models import Cohort, User

__all__ = [
    "ITEM_PREFIX",
    "ItemEntry",
    "attempt_content",
    "check_giveaway",
    "duplicate_item",
    "editable_item",
    "item_entry",
    "parse_item",
    "save_item",
    "visible_items",
]

# Ids of items made in the app start with this; no bundled item id does (a content test checks it).
ITEM_PREFIX = "f-"
ID_LENGTH = 30  # slug length: with the prefix and a number it fits AssessmentAnswer.item_id (40)
# The bundled bank keeps the best option's length within 1.25 × the others' mean (content test).
MAX_BEST_RATIO = 1.25


@dataclass(frozen=True)
class ItemEntry:
    """One situational item as the library lists it: bundled or trainer-made (latest version)."""

    item: SituationalItem
    competence_id: str
    origin: Literal["bundled", "trainer"]
    version: int
    author_id: int | None
    author_name: str | None
    sharing: Literal["private", "cohort", "trainers"] | None
    answers: int
    updated_at: datetime | None


# --- checking -------------------------------------------------------------------------------------


def parse_item(data: Mapping[str, Any], *, item_id: str) -> SituationalItem:
    """Validate a trainer's item (a file's fields but the id) with the files' model; refused with a
    French ``ContentError`` naming the field path (``options.2.text``)."""
    try:
        return SituationalItem.model_validate({**{k: v for k, v in data.items() if k != "id"}, "id": item_id})
    except ValidationError as exc:
        field, why = next(iter(field_errors(exc).items()))
        raise ContentError(
            f"Mise en situation refusée, champ «\u00a0{field}\u00a0»\u00a0: {why}. Corrigez ce champ puis "
            "enregistrez.",
            field=field,
        ) from exc


def check_giveaway(item: SituationalItem) -> list[str]:
    """Refuse an item whose best option's length gives it away; the warnings left to show (French)."""
    best = item.best
    index = item.options.index(best)
    others = [len(o.text) for o in item.options if o is not best]
    if len(best.text) > MAX_BEST_RATIO * sum(others) / len(others):
        raise ContentError(
            "La meilleure réponse est nettement plus longue que les autres\u00a0: un stagiaire la devinerait "
            "à sa longueur. Raccourcissez-la ou étoffez les autres réponses.",
            field=f"options.{index}.text",
        )
    if len(best.text) > max(others):
        return [
            "La meilleure réponse est la plus longue des quatre\u00a0: si c’est souvent le cas, les stagiaires "
            "apprennent à choisir la plus longue. Pensez à étoffer une autre réponse."
        ]
    return []


# --- reading --------------------------------------------------------------------------------------


def _latest_versions(session: Session, ids: list[str]) -> dict[str, TrainerItemVersion]:
    latest: dict[str, TrainerItemVersion] = {}
    if ids:
        rows = session.scalars(
            select(TrainerItemVersion)
            .where(TrainerItemVersion.item_id.in_(ids))
            .order_by(TrainerItemVersion.version)
        )
        latest = {v.item_id: v for v in rows}
    return latest


def _answer_counts(session: Session, ids: list[str]) -> dict[str, int]:
    if not ids:
        return {}
    rows = session.execute(
        select(AssessmentAnswer.item_id, func.count())
        .where(AssessmentAnswer.item_id.in_(ids))
        .group_by(AssessmentAnswer.item_id)
    ).tuples()
    return dict(rows.all())


def _entries(session: Session, rows: list[TrainerItem]) -> list[ItemEntry]:
    ids = [r.id for r in rows]
    latest = _latest_versions(session, ids)
    counts = _answer_counts(session, ids)
    authors = {
        u.id: u.display_name
        for u in session.scalars(select(User).where(User.id.in_({r.author_id for r in rows})))
    }
    return [
        ItemEntry(
            item=SituationalItem.model_validate({**latest[r.id].body, "id": r.id}),
            competence_id=r.competence_id,
            origin="trainer",
            version=latest[r.id].version,
            author_id=r.author_id,
            author_name=authors.get(r.author_id),
            sharing=r.sharing,  # type: ignore[arg-type]
            answers=counts.get(r.id, 0),
            updated_at=r.updated_at,
        )
        for r in rows
        if r.id in latest
    ]


def _bundled() -> dict[str, tuple[str, SituationalItem]]:
    return {j.id: (c.id, j) for c in framework().competences for j in c.situational}


def visible_items(session: Session, actor: Actor) -> list[ItemEntry]:
    """Bundled items, then the trainer-made ones the trainer ``actor`` may see, at their latest version."""
    require_trainer(actor)
    bundled = _bundled()
    counts = _answer_counts(session, list(bundled))
    rows = session.scalars(
        select(TrainerItem)
        .where(visible_to_trainer(session, actor, TrainerItem))
        .order_by(TrainerItem.updated_at.desc(), TrainerItem.id)
    )
    return [
        *(
            ItemEntry(item, cid, "bundled", 1, None, None, None, counts.get(iid, 0), None)
            for iid, (cid, item) in bundled.items()
        ),
        *_entries(session, list(rows)),
    ]


def item_entry(session: Session, actor: Actor, item_id: str) -> ItemEntry:
    """One item of the library, if the trainer ``actor`` may see it."""
    require_trainer(actor)
    bundled = _bundled()
    if item_id in bundled:
        cid, item = bundled[item_id]
        return ItemEntry(
            item,
            cid,
            "bundled",
            1,
            None,
            None,
            None,
            _answer_counts(session, [item_id]).get(item_id, 0),
            None,
        )
    row = session.get(TrainerItem, item_id)
    if row is None:
        raise NotFound(
            f"Mise en situation introuvable\u00a0: «\u00a0{item_id}\u00a0». Elle a peut-être été supprimée."
        )
    visible = session.scalar(
        select(TrainerItem.id).where(
            TrainerItem.id == item_id, visible_to_trainer(session, actor, TrainerItem)
        )
    )
    if visible is None:
        raise AccessDenied("Cette mise en situation n’est pas partagée avec vous.")
    return _entries(session, [row])[0]


def editable_item(item: SituationalItem) -> dict[str, Any]:
    """What a competence file holds for this item (no id: it is not edited), for forms."""
    return item.model_dump(mode="json", exclude={"id"})


def duplicate_item(session: Session, actor: Actor, item_id: str) -> tuple[str, dict[str, Any]]:
    """The competence and data of a new item adapted from this one: its title ends in « (copie) »."""
    entry = item_entry(session, actor, item_id)
    data = editable_item(entry.item)
    data["title"] = f"{data['title']} (copie)"
    return entry.competence_id, data


# --- the items of one attempt ---------------------------------------------------------------------


def attempt_content(
    session: Session, user_id: int, answered: Mapping[str, int], *, still_open: bool
) -> tuple[Framework, dict[str, int]]:
    """The framework one attempt shows and scores, and the version of each trainer-made item in it.

    ``answered``: the trainer-made items the attempt answered, at the version answered (kept as
    they were). An open attempt also holds the items its trainee's cohort trainers share now, at
    their latest version; a completed one holds only what it answered."""
    fw = framework()
    wanted = dict(answered)
    rows: dict[str, TrainerItem] = {}
    if still_open:
        cohorts = member_cohort_ids(session, user_id)
        if cohorts:
            trainers = select(Cohort.trainer_id).where(Cohort.id.in_(cohorts))
            shared = session.scalars(
                select(TrainerItem).where(
                    TrainerItem.author_id.in_(trainers), TrainerItem.sharing.in_(("cohort", "trainers"))
                )
            )
            rows = {r.id: r for r in shared}
    if answered:
        rows |= {
            r.id: r for r in session.scalars(select(TrainerItem).where(TrainerItem.id.in_(list(answered))))
        }
    if not rows:
        return fw, {}
    latest = _latest_versions(session, [i for i in rows if i not in wanted])
    wanted |= {i: v.version for i, v in latest.items()}
    pinned = session.scalars(
        select(TrainerItemVersion).where(TrainerItemVersion.item_id.in_([i for i in answered if i in rows]))
    )
    bodies = {v.item_id: v.body for v in latest.values()}
    bodies |= {v.item_id: v.body for v in pinned if answered.get(v.item_id) == v.version}
    extra: dict[str, list[SituationalItem]] = {}
    for item_id in sorted(bodies, key=lambda i: (rows[i].created_at, i)):
        item = SituationalItem.model_validate({**bodies[item_id], "id": item_id})
        extra.setdefault(rows[item_id].competence_id, []).append(item)
    competences = [
        c.model_copy(update={"situational": [*c.situational, *extra.get(c.id, [])]}) for c in fw.competences
    ]
    return fw.model_copy(update={"competences": competences}), {i: wanted[i] for i in bodies}


# --- writing --------------------------------------------------------------------------------------


def _latest(session: Session, item_id: str) -> TrainerItemVersion | None:
    return _latest_versions(session, [item_id]).get(item_id)


def _answered(session: Session, item_id: str, version: int | None = None) -> bool:
    stmt = select(AssessmentAnswer.id).where(AssessmentAnswer.item_id == item_id)
    if version is not None:
        stmt = stmt.where(AssessmentAnswer.version == version)
    return session.scalar(stmt.limit(1)) is not None


def save_item(
    session: Session,
    actor: Actor,
    data: Mapping[str, Any],
    *,
    competence: str,
    sharing: str,
    item_id: str | None = None,
) -> ItemEntry:
    """Create (``item_id`` None) or edit a trainer-made item, checked by the files' model.

    A refusal is a ``UserError`` naming the field (``error.field``: ``options.1.score``,
    ``competence``, ``sharing``) and nothing is written. Editing a version an attempt answered
    makes the next version; otherwise the latest version is changed in place."""
    require_trainer(actor)
    if sharing not in SHARINGS:
        raise UserError("Choisissez avec qui partager la mise en situation.", field="sharing")
    if competence not in COMPETENCE_IDS:
        raise UserError("Choisissez la compétence que la mise en situation évalue.", field="competence")
    row: TrainerItem | None = None
    latest: TrainerItemVersion | None = None
    if item_id is not None:
        if item_id in _bundled():
            raise AccessDenied(
                "Les mises en situation fournies avec l’atelier ne se modifient pas\u00a0: dupliquez-la pour "
                "l’adapter."
            )
        row = session.get(TrainerItem, item_id)
        if row is None:
            raise NotFound(f"Mise en situation introuvable\u00a0: «\u00a0{item_id}\u00a0».")
        if row.author_id != actor.id:
            raise AccessDenied(
                "Seul l’auteur d’une mise en situation peut la modifier\u00a0: dupliquez-la pour l’adapter."
            )
        if competence != row.competence_id and _answered(session, item_id):
            raise UserError(
                "Des stagiaires ont déjà répondu à cette mise en situation\u00a0: sa compétence ne change plus. "
                "Dupliquez-la pour l’évaluer dans une autre compétence.",
                field="competence",
            )
        latest = _latest(session, item_id)
    new_id = item_id or sharing_new_id(
        session,
        TrainerItem.id,
        ITEM_PREFIX,
        str(data.get("title") or ""),
        limit=ID_LENGTH,
        fallback="situation",
    )
    item = parse_item(data, item_id=new_id)
    check_giveaway(item)
    body = editable_item(item)

    now = utcnow()
    if row is None:
        row = TrainerItem(
            id=new_id, competence_id=competence, author_id=actor.id, sharing=sharing, created_at=now
        )
        session.add(row)
        session.flush()
    row.competence_id, row.sharing, row.updated_at = competence, sharing, now
    if latest is None or _answered(session, new_id, latest.version):
        number = latest.version + 1 if latest is not None else 1
        session.add(TrainerItemVersion(item_id=new_id, version=number, body=body, author_id=actor.id))
    else:
        latest.body, latest.updated_at = body, now
    session.flush()
    return item_entry(session, actor, new_id)
