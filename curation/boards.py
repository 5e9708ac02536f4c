"""Boards and their sections, who may read or write them, sharing, and the trainer's review.

Rules (enforced here, whatever the page shows):

* only the owner writes a board, its sections and its pins;
* a ``private`` board is read by its owner only;
* a ``cohort`` board is read by the members of its cohort and the cohort's trainer; that trainer
  comments on its pins and marks it reviewed (a trainer's own cohort board is a reference board);
* a ``link`` board is read by anyone holding its secret token, read-only (see ``board_for_token``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from curation.board_models import COHORT, LINK, PRIVATE, VISIBILITIES, Board, BoardSection, Pin
from curation.bundled_images import stored_image
from workbench.access import Actor, member_cohort_ids, trainer_cohort_ids, visible_cohort_ids
from workbench.db import utcnow
from workbench.errors import AccessDenied, NotFound, UserError
from workbench.models import TRAINER, Cohort, User
from workbench.numbers import fr_int

DEFAULT_BOARD_TITLE = "Mes épingles"
VISIBILITY_LABELS = {
    PRIVATE: "Privé (moi seul·e)",
    COHORT: "Partagé avec ma session",
    LINK: "Lien secret, en lecture seule",
}
MAX_TITLE = 200
MAX_DESCRIPTION = 3000


@dataclass(frozen=True)
class SectionView:
    id: int
    title: str
    position: int


@dataclass(frozen=True)
class BoardView:
    """A board as pages and exports see it (no ORM session attached)."""

    id: int
    owner_id: int
    owner_name: str
    title: str
    description: str
    cover_image_url: str
    visibility: str
    cohort_id: int | None
    share_token: str | None
    is_default: bool
    reviewed_at: datetime | None
    reviewer_name: str
    pin_count: int
    sections: tuple[SectionView, ...]
    can_write: bool

    owner_is_trainer: bool = False

    @property
    def is_reference(self) -> bool:
        """A trainer's board shared with a whole cohort."""
        return self.visibility == COHORT and self.owner_is_trainer

    def section_title(self, section_id: int | None) -> str:
        return next((s.title for s in self.sections if s.id == section_id), "")


# --- access ---------------------------------------------------------------------------------


def _get(session: Session, board_id: int) -> Board:
    board = session.get(Board, board_id)
    if board is None:
        raise NotFound("Tableau introuvable\u00a0: il a peut-être été supprimé.")
    return board


def can_read(session: Session, actor: Actor, board: Board) -> bool:
    if board.owner_id == actor.id:
        return True
    if board.visibility != COHORT or board.cohort_id is None:
        return False
    return board.cohort_id in visible_cohort_ids(session, actor)


def board_for_read(session: Session, actor: Actor, board_id: int) -> Board:
    board = _get(session, board_id)
    if not can_read(session, actor, board):
        raise AccessDenied("Ce tableau est privé\u00a0: seule la personne qui l’a créé peut le voir.")
    return board


def board_for_write(session: Session, actor: Actor, board_id: int) -> Board:
    board = _get(session, board_id)
    if board.owner_id != actor.id:
        raise AccessDenied("Seule la personne qui a créé ce tableau peut le modifier.")
    return board


def board_for_review(session: Session, actor: Actor, board_id: int) -> Board:
    """A cohort board of someone else, in a cohort ``actor`` runs."""
    board = _get(session, board_id)
    if (
        not actor.is_trainer
        or board.owner_id == actor.id
        or board.visibility != COHORT
        or board.cohort_id not in trainer_cohort_ids(session, actor)
    ):
        raise AccessDenied("Seul le formateur de la session peut commenter ou valider ce tableau.")
    return board


def section_of(session: Session, board: Board, section_id: int | None) -> BoardSection | None:
    if section_id is None:
        return None
    section = session.get(BoardSection, section_id)
    if section is None or section.board_id != board.id:
        raise NotFound("Section introuvable dans ce tableau\u00a0: elle a peut-être été supprimée.")
    return section


# --- views ----------------------------------------------------------------------------------


def _pin_counts(session: Session, board_ids: list[int]) -> dict[int, int]:
    if not board_ids:
        return {}
    rows = session.execute(
        select(Pin.board_id, func.count(Pin.id))
        .where(Pin.board_id.in_(board_ids), Pin.deleted_at.is_(None))
        .group_by(Pin.board_id)
    )
    return {board_id: n for board_id, n in rows}


def _views(session: Session, actor: Actor | None, boards: list[Board]) -> list[BoardView]:
    counts = _pin_counts(session, [b.id for b in boards])
    user_ids = {b.owner_id for b in boards} | {b.reviewed_by_id for b in boards if b.reviewed_by_id}
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(user_ids)))} if user_ids else {}
    names = {uid: u.display_name for uid, u in users.items()}
    return [
        BoardView(
            id=b.id,
            owner_id=b.owner_id,
            owner_name=names.get(b.owner_id, ""),
            title=b.title,
            description=b.description,
            cover_image_url=b.cover_image_url,
            visibility=b.visibility,
            cohort_id=b.cohort_id,
            share_token=b.share_token if actor is not None and b.owner_id == actor.id else None,
            is_default=b.is_default,
            reviewed_at=b.reviewed_at,
            reviewer_name=names.get(b.reviewed_by_id, "") if b.reviewed_by_id else "",
            pin_count=counts.get(b.id, 0),
            sections=tuple(SectionView(s.id, s.title, s.position) for s in b.sections),
            can_write=actor is not None and b.owner_id == actor.id,
            owner_is_trainer=users[b.owner_id].role == TRAINER if b.owner_id in users else False,
        )
        for b in boards
    ]


def view(session: Session, actor: Actor | None, board: Board) -> BoardView:
    return _views(session, actor, [board])[0]


def list_my_boards(session: Session, actor: Actor) -> list[BoardView]:
    """The actor's boards, the default one first, then by title."""
    boards = list(
        session.scalars(
            select(Board).where(Board.owner_id == actor.id).order_by(Board.is_default.desc(), Board.title)
        )
    )
    return _views(session, actor, boards)


def list_shared_boards(session: Session, actor: Actor, cohort_id: int | None = None) -> list[BoardView]:
    """Boards others share with a cohort the actor belongs to or runs (reference boards included)."""
    cohorts = visible_cohort_ids(session, actor)
    if cohort_id is not None:
        cohorts = [c for c in cohorts if c == cohort_id]
    if not cohorts:
        return []
    boards = list(
        session.scalars(
            select(Board)
            .where(Board.visibility == COHORT, Board.cohort_id.in_(cohorts), Board.owner_id != actor.id)
            .order_by(Board.updated_at.desc())
        )
    )
    return _views(session, actor, boards)


def get_board(session: Session, actor: Actor, board_id: int) -> BoardView:
    return view(session, actor, board_for_read(session, actor, board_id))


def board_for_token(session: Session, token: str) -> Board:
    """The board a secret link opens (read-only); refused once the link is revoked."""
    token = (token or "").strip()
    board = session.scalar(select(Board).where(Board.share_token == token)) if len(token) >= 16 else None
    if board is None or board.visibility != LINK:
        raise NotFound(
            "Ce lien de partage n’est pas valide ou a été désactivé\u00a0: demandez-en un nouveau."
        )
    return board


def shared_board(session: Session, token: str) -> BoardView:
    return view(session, None, board_for_token(session, token))


def share_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/?{urlencode({'board': token})}"


# --- writes ---------------------------------------------------------------------------------


def _clean_title(title: str, what: str = "Le tableau") -> str:
    title = " ".join((title or "").split())
    if not title:
        raise UserError(f"{what} doit avoir un titre\u00a0: saisissez-en un.", field="title")
    if len(title) > MAX_TITLE:
        raise UserError(
            f"Titre trop long ({fr_int(len(title))} caractères)\u00a0: {MAX_TITLE} au plus.", field="title"
        )
    return title


def _clean_description(description: str) -> str:
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise UserError(
            f"Description trop longue ({fr_int(len(description))} caractères)\u00a0: "
            f"{fr_int(MAX_DESCRIPTION)} au plus, raccourcissez-la.",
            field="description",
        )
    return description


def _clean_image_url(url: str) -> str:
    image = stored_image(url)
    if (url or "").strip() and not image:
        raise UserError(
            "L’image de couverture doit être une adresse web en http:// ou https://.", field="cover"
        )
    return image


def _share_cohort(session: Session, actor: Actor, cohort_id: int | None) -> int:
    """The cohort a board is shared with: one the trainer runs, or the trainee's own."""
    cohorts = trainer_cohort_ids(session, actor) if actor.is_trainer else member_cohort_ids(session, actor.id)
    if cohort_id is None:
        if not cohorts:
            raise UserError(
                "Vous ne faites partie d’aucune session de formation\u00a0: le tableau ne peut pas être partagé "
                "avec une session. Choisissez «\u00a0privé\u00a0» ou «\u00a0lien secret\u00a0»."
            )
        open_ones = list(
            session.scalars(select(Cohort.id).where(Cohort.id.in_(cohorts), Cohort.closed.is_(False)))
        )
        return (open_ones or cohorts)[-1]
    if cohort_id not in cohorts:
        raise AccessDenied("Vous ne pouvez partager un tableau qu’avec votre propre session de formation.")
    return cohort_id


def create_board(
    session: Session,
    actor: Actor,
    title: str,
    description: str = "",
    *,
    cover_image_url: str = "",
    visibility: str = PRIVATE,
    cohort_id: int | None = None,
) -> BoardView:
    board = Board(
        owner_id=actor.id,
        title=_clean_title(title),
        description=_clean_description(description),
        cover_image_url=_clean_image_url(cover_image_url),
        visibility=PRIVATE,
    )
    session.add(board)
    session.flush()
    if visibility != PRIVATE:
        _apply_visibility(session, actor, board, visibility, cohort_id)
    return view(session, actor, board)


def update_board(
    session: Session,
    actor: Actor,
    board_id: int,
    *,
    title: str | None = None,
    description: str | None = None,
    cover_image_url: str | None = None,
) -> BoardView:
    board = board_for_write(session, actor, board_id)
    if title is not None:
        board.title = _clean_title(title)
    if description is not None:
        board.description = _clean_description(description)
    if cover_image_url is not None:
        board.cover_image_url = _clean_image_url(cover_image_url)
    board.updated_at = utcnow()
    session.flush()
    return view(session, actor, board)


def _apply_visibility(
    session: Session, actor: Actor, board: Board, visibility: str, cohort_id: int | None
) -> None:
    if visibility not in VISIBILITIES:
        raise UserError("Visibilité inconnue\u00a0: choisissez privé, session ou lien secret.")
    board.cohort_id = _share_cohort(session, actor, cohort_id) if visibility == COHORT else None
    if visibility == LINK:
        board.share_token = board.share_token or secrets.token_urlsafe(24)
    else:
        board.share_token = None  # leaving « lien secret » revokes the old link for good
    board.visibility = visibility
    board.updated_at = utcnow()


def set_visibility(
    session: Session, actor: Actor, board_id: int, visibility: str, cohort_id: int | None = None
) -> BoardView:
    board = board_for_write(session, actor, board_id)
    _apply_visibility(session, actor, board, visibility, cohort_id)
    session.flush()
    return view(session, actor, board)


def renew_share_link(session: Session, actor: Actor, board_id: int) -> BoardView:
    """A new secret token: whoever had the old link loses access."""
    board = board_for_write(session, actor, board_id)
    if board.visibility != LINK:
        raise UserError(
            "Ce tableau n’est pas partagé par lien\u00a0: choisissez d’abord «\u00a0lien secret\u00a0»."
        )
    board.share_token = secrets.token_urlsafe(24)
    session.flush()
    return view(session, actor, board)


def delete_board(session: Session, actor: Actor, board_id: int) -> str:
    """Delete a board and its pins (the page asks for confirmation first); returns its title."""
    board = board_for_write(session, actor, board_id)
    session.delete(board)
    session.flush()
    return board.title


def default_board(session: Session, actor: Actor) -> Board:
    """The board one-click pins go to; « Mes épingles » is created the first time."""
    board = session.scalar(select(Board).where(Board.owner_id == actor.id, Board.is_default.is_(True)))
    if board is None:
        board = Board(owner_id=actor.id, title=DEFAULT_BOARD_TITLE, is_default=True, visibility=PRIVATE)
        session.add(board)
        session.flush()
    return board


def set_default_board(session: Session, actor: Actor, board_id: int) -> BoardView:
    board = board_for_write(session, actor, board_id)
    for other in session.scalars(select(Board).where(Board.owner_id == actor.id, Board.is_default.is_(True))):
        other.is_default = False
    board.is_default = True
    session.flush()
    return view(session, actor, board)


def add_section(session: Session, actor: Actor, board_id: int, title: str) -> SectionView:
    board = board_for_write(session, actor, board_id)
    position = max((s.position for s in board.sections), default=-1) + 1
    section = BoardSection(board_id=board.id, title=_clean_title(title, "La section"), position=position)
    session.add(section)
    session.flush()
    return SectionView(section.id, section.title, section.position)


def rename_section(session: Session, actor: Actor, board_id: int, section_id: int, title: str) -> SectionView:
    board = board_for_write(session, actor, board_id)
    section = section_of(session, board, section_id)
    assert section is not None
    section.title = _clean_title(title, "La section")
    session.flush()
    return SectionView(section.id, section.title, section.position)


def delete_section(session: Session, actor: Actor, board_id: int, section_id: int) -> None:
    """Remove a section; its pins stay on the board, outside any section."""
    board = board_for_write(session, actor, board_id)
    section = section_of(session, board, section_id)
    for pin in session.scalars(select(Pin).where(Pin.section_id == section_id)):
        pin.section_id = None
    session.delete(section)
    session.flush()


# --- trainer --------------------------------------------------------------------------------


def mark_reviewed(session: Session, actor: Actor, board_id: int, reviewed: bool = True) -> BoardView:
    board = board_for_review(session, actor, board_id)
    board.reviewed_at = utcnow() if reviewed else None
    board.reviewed_by_id = actor.id if reviewed else None
    session.flush()
    return view(session, actor, board)


def cohort_boards_for_trainer(
    session: Session, actor: Actor, cohort_id: int | None = None
) -> list[BoardView]:
    """What the trainer reviews: the trainees' boards shared with the cohorts they run."""
    if not actor.is_trainer:
        raise AccessDenied("Cette page est réservée aux formateurs.")
    return list_shared_boards(session, actor, cohort_id)


def board_covers(session: Session, actor: Actor, boards: list[BoardView]) -> dict[int, str]:
    """The picture of each board: its cover, else the image of its first pin that has one."""
    covers = {b.id: b.cover_image_url for b in boards if b.cover_image_url}
    missing = [b.id for b in boards if b.id not in covers]
    if missing:
        rows = session.execute(
            select(Pin.board_id, Pin.image_url)
            .where(Pin.board_id.in_(missing), Pin.deleted_at.is_(None), Pin.image_url != "")
            .order_by(Pin.board_id, Pin.position, Pin.id)
        )
        for board_id, image in rows:
            covers.setdefault(board_id, image)
    return covers
