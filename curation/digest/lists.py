"""Recipient lists ("listes de diffusion"): who receives a digest and what goes in it.

A list belongs to one person. A trainer's list may target a cohort they run (its active members,
minus those who opted out in their account); any list may also name addresses (a freelance CM's
client, a trainee's own list). Only the owner reads or changes a list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from curation.digest.board_sources import check_boards
from curation.digest.models import SECTION_BY_BOARD, SECTION_BY_FOLDER, SECTION_BY_TOPIC, DigestList
from curation.page_preview import shorten
from workbench.access import Actor, require_cohort_trainer
from workbench.accounts import normalise_email
from workbench.errors import AccessDenied, NotFound, UserError
from workbench.models import Cohort, Membership, User
from workbench.numbers import fr_int

MAX_ITEMS_LIMIT = 50
MAX_INTRO = 4000  # characters of a list's usual introduction
SECTION_LABELS = {
    SECTION_BY_FOLDER: "par dossier de sources",
    SECTION_BY_TOPIC: "par sujet d’intérêt",
    SECTION_BY_BOARD: "par section de tableau",
}
_SPLIT = re.compile(r"[,;\n]+")


def parse_terms(text: str) -> list[str]:
    """Keywords, tags or addresses typed one per line or separated by commas; duplicates dropped."""
    seen: dict[str, str] = {}
    for raw in _SPLIT.split(text or ""):
        term = " ".join(raw.split()).lstrip("#").strip()
        if term and term.casefold() not in seen:
            seen[term.casefold()] = term
    return list(seen.values())


@dataclass
class ListSettings:
    """What a person sets on a list (the page's form, the CLI)."""

    name: str
    cohort_id: int | None = None
    addresses: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    feed_ids: list[int] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)
    board_ids: list[int] = field(default_factory=list)
    source_weights: dict[int, float] = field(default_factory=dict)
    max_items: int = 10
    schedule_hour: int = 7
    section_by: str = SECTION_BY_FOLDER
    intro: str = ""
    translate: bool = True


@dataclass(frozen=True)
class DigestListView:
    id: int
    name: str
    owner_id: int
    cohort_id: int | None
    cohort_name: str
    settings: ListSettings
    created_at: datetime

    @classmethod
    def of(cls, row: DigestList, cohort_name: str = "") -> DigestListView:
        return cls(
            id=row.id,
            name=row.name,
            owner_id=row.owner_id,
            cohort_id=row.cohort_id,
            cohort_name=cohort_name,
            settings=settings_of(row),
            created_at=row.created_at,
        )


@dataclass(frozen=True)
class Recipient:
    email: str
    user_id: int | None = None
    name: str = ""


def settings_of(row: DigestList) -> ListSettings:
    return ListSettings(
        name=row.name,
        cohort_id=row.cohort_id,
        addresses=list(row.addresses or []),
        keywords=list(row.keywords or []),
        tags=list(row.tags or []),
        feed_ids=[int(i) for i in row.feed_ids or []],
        folders=list(row.folders or []),
        board_ids=[int(i) for i in row.board_ids or []],
        source_weights={int(k): float(v) for k, v in (row.source_weights or {}).items()},
        max_items=row.max_items,
        schedule_hour=row.schedule_hour,
        section_by=row.section_by,
        intro=row.intro,
        translate=row.translate,
    )


def _address(typed: str) -> str:
    """A recipient as ``normalise_email`` keeps it; a refusal names the line that is wrong."""
    try:
        return normalise_email(typed)
    except UserError:
        raise UserError(
            f"Adresse e-mail invalide\u00a0: «\u00a0{shorten(typed, 80)}\u00a0». "
            "Écrivez-la sous la forme nom@domaine.fr, une par ligne.",
            field="addresses",
        ) from None


def _validated(session: Session, actor: Actor, s: ListSettings) -> ListSettings:
    name = " ".join((s.name or "").split())
    if not name:
        raise UserError(
            "Donnez un nom à la liste (par exemple « Promo CM 2026 » ou « Client Boulangerie »).",
            field="name",
        )
    if len(name) > 120:
        raise UserError("Le nom de la liste est trop long (120 caractères au plus).", field="name")
    if s.cohort_id is not None:
        require_cohort_trainer(session, actor, s.cohort_id)
    addresses = list(dict.fromkeys(_address(a) for a in s.addresses if a.strip()))
    if s.cohort_id is None and not addresses:
        raise UserError(
            "Indiquez à qui envoyer la revue : une session de formation que vous animez, "
            "ou au moins une adresse e-mail.",
            field="addresses",
        )
    if not 1 <= s.max_items <= MAX_ITEMS_LIMIT:
        raise UserError(f"Le nombre d’articles doit être compris entre 1 et {MAX_ITEMS_LIMIT}.")
    if not 0 <= s.schedule_hour <= 23:
        raise UserError("L’heure d’envoi doit être comprise entre 0 et 23.")
    intro = (s.intro or "").strip()
    if len(intro) > MAX_INTRO:
        raise UserError(
            f"L’introduction est trop longue ({fr_int(len(intro))} caractères, {fr_int(MAX_INTRO)} au plus)\u00a0: "
            "raccourcissez-la.",
            field="intro",
        )
    if s.section_by not in SECTION_LABELS:
        raise UserError("Regroupement inconnu : choisissez par dossier, par sujet ou par tableau.")
    check_boards(session, actor, [int(i) for i in s.board_ids])
    weights = {int(k): float(v) for k, v in s.source_weights.items()}
    if any(not 0 <= w <= 5 for w in weights.values()):
        raise UserError("Le poids d’une source doit être compris entre 0 et 5 (1 = normal).")
    return ListSettings(
        name=name,
        cohort_id=s.cohort_id,
        addresses=addresses,
        keywords=parse_terms("\n".join(s.keywords)),
        tags=parse_terms("\n".join(s.tags)),
        feed_ids=sorted({int(i) for i in s.feed_ids}),
        folders=sorted({f.strip() for f in s.folders if f.strip()}, key=str.casefold),
        board_ids=sorted({int(i) for i in s.board_ids}),
        source_weights={k: w for k, w in weights.items() if w != 1.0},
        max_items=int(s.max_items),
        schedule_hour=int(s.schedule_hour),
        section_by=s.section_by,
        intro=intro,
        translate=bool(s.translate),
    )


def _apply(row: DigestList, s: ListSettings) -> None:
    row.name, row.cohort_id, row.addresses = s.name, s.cohort_id, s.addresses
    row.keywords, row.tags, row.feed_ids, row.folders = s.keywords, s.tags, s.feed_ids, s.folders
    row.board_ids = s.board_ids
    row.source_weights = {str(k): v for k, v in s.source_weights.items()}
    row.max_items, row.schedule_hour, row.section_by = s.max_items, s.schedule_hour, s.section_by
    row.intro, row.translate = s.intro, s.translate


def _check_name_free(session: Session, name: str, list_id: int | None = None) -> None:
    other = session.scalar(select(DigestList.id).where(DigestList.name == name))
    if other is not None and other != list_id:
        raise UserError(f"Une liste s’appelle déjà « {name} » : choisissez un autre nom.")


def _cohort_name(session: Session, cohort_id: int | None) -> str:
    return session.scalar(select(Cohort.name).where(Cohort.id == cohort_id)) or "" if cohort_id else ""


def create_list(session: Session, actor: Actor, settings: ListSettings) -> DigestListView:
    s = _validated(session, actor, settings)
    _check_name_free(session, s.name)
    row = DigestList(owner_id=actor.id)
    _apply(row, s)
    session.add(row)
    session.flush()
    return DigestListView.of(row, _cohort_name(session, row.cohort_id))


def owned_list(session: Session, actor: Actor, list_id: int) -> DigestList:
    """The list, if ``actor`` owns it."""
    row = session.get(DigestList, list_id)
    if row is None:
        raise NotFound("Liste de diffusion introuvable : elle a peut-être été supprimée.")
    if row.owner_id != actor.id:
        raise AccessDenied("Seule la personne qui a créé cette liste de diffusion peut l’utiliser.")
    return row


def update_list(session: Session, actor: Actor, list_id: int, settings: ListSettings) -> DigestListView:
    row = owned_list(session, actor, list_id)
    s = _validated(session, actor, settings)
    _check_name_free(session, s.name, row.id)
    _apply(row, s)
    session.flush()
    return DigestListView.of(row, _cohort_name(session, row.cohort_id))


def delete_list(session: Session, actor: Actor, list_id: int) -> str:
    """Delete the list and its archived digests; returns its name."""
    row = owned_list(session, actor, list_id)
    session.delete(row)
    return row.name


def get_list(session: Session, actor: Actor, list_id: int) -> DigestListView:
    row = owned_list(session, actor, list_id)
    return DigestListView.of(row, _cohort_name(session, row.cohort_id))


def my_lists(session: Session, actor: Actor) -> list[DigestListView]:
    rows = session.scalars(
        select(DigestList).where(DigestList.owner_id == actor.id).order_by(DigestList.name)
    ).all()
    return [DigestListView.of(r, _cohort_name(session, r.cohort_id)) for r in rows]


EVERY_SOURCE_NAME = "Toutes les sources"


def every_source_list(actor: Actor) -> DigestList:
    """An unsaved list with the default settings and no recipient, drawing from every source of
    ``actor``: what ``python -m curation digest`` writes when no list is defined yet."""
    s = ListSettings(name=EVERY_SOURCE_NAME)
    row = DigestList(owner_id=actor.id, cohort_id=None, feed_token=None)
    _apply(row, s)
    return row


def find_list(session: Session, name: str) -> tuple[DigestList, Actor]:
    """A list by name and its owner, for the CLI (which acts as the list's owner)."""
    row = session.scalar(select(DigestList).where(DigestList.name == " ".join(name.split())))
    if row is None:
        names = ", ".join(
            f"« {n} »" for n in session.scalars(select(DigestList.name).order_by(DigestList.name))
        )
        raise UserError(
            f"Aucune liste de diffusion ne s’appelle « {name} »."
            + (
                f" Listes existantes : {names}."
                if names
                else " Créez-en une dans la page « Revue de veille »."
            )
        )
    owner = session.get(User, row.owner_id)
    if owner is None or not owner.is_active:
        raise UserError(
            f"Le compte propriétaire de la liste « {row.name} » est désactivé : rien n’est envoyé."
        )
    return row, Actor.of(owner)


def recipients(session: Session, row: DigestList) -> list[Recipient]:
    """The cohort's active members who did not opt out, then the list's addresses (each once)."""
    found: dict[str, Recipient] = {}
    if row.cohort_id is not None:
        members = session.execute(
            select(User.id, User.email, User.display_name)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.cohort_id == row.cohort_id,
                Membership.active.is_(True),
                User.is_active.is_(True),
                User.digest_opt_out.is_(False),
            )
            .order_by(User.display_name)
        ).all()
        for user_id, email, name in members:
            found.setdefault(email.lower(), Recipient(email, user_id, name))
    for address in row.addresses or []:
        found.setdefault(address.lower(), Recipient(address))
    return list(found.values())
