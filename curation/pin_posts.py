"""Pin to post: social-post drafts written from a pin, counted by the network's own rule
(``curation.networks``, the one counter shared with the post exercises), saved on the pin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from curation.board_models import Pin, PinDraft
from curation.boards import board_for_read, board_for_write
from curation.networks import load_networks
from curation.pins import PinView
from workbench.access import Actor
from workbench.errors import NotFound, UserError

MAX_DRAFT_CHARS = 20_000


@dataclass(frozen=True)
class DraftView:
    id: int
    pin_id: int
    network: str
    text: str
    link: str
    updated_at: datetime

    @property
    def network_name(self) -> str:
        net = load_networks().get(self.network)
        return net.name if net else self.network


def starter_text(pin: PinView, link: str) -> str:
    """A first version to rework: the pin's title, the CM's note, the link and the credit."""
    parts = [pin.title.strip(), pin.note.strip(), link.strip(), pin.credit.strip()]
    return "\n\n".join(p for p in parts if p)


def _view(draft: PinDraft) -> DraftView:
    return DraftView(draft.id, draft.pin_id, draft.network, draft.text, draft.link, draft.updated_at)


def _live_pin(session: Session, pin_id: int) -> Pin:
    pin = session.get(Pin, pin_id)
    if pin is None or pin.deleted_at is not None:
        raise NotFound("Épingle introuvable : elle a peut-être été supprimée.")
    return pin


def list_drafts(session: Session, actor: Actor, pin_id: int) -> list[DraftView]:
    """The drafts of a pin, newest first (read by whoever may read the board, e.g. the trainer)."""
    pin = _live_pin(session, pin_id)
    board_for_read(session, actor, pin.board_id)
    drafts = session.scalars(
        select(PinDraft)
        .where(PinDraft.pin_id == pin.id)
        .order_by(PinDraft.updated_at.desc(), PinDraft.id.desc())
    )
    return [_view(d) for d in drafts]


def save_draft(
    session: Session,
    actor: Actor,
    pin_id: int,
    network: str,
    text: str,
    link: str = "",
    *,
    draft_id: int | None = None,
) -> DraftView:
    """Create a draft, or update ``draft_id``; a text over the network's limit is kept (it is a
    draft) — the counter flags it."""
    pin = _live_pin(session, pin_id)
    board_for_write(session, actor, pin.board_id)
    if network not in load_networks():
        raise UserError("Réseau inconnu : choisissez-en un dans la liste.")
    if not text.strip():
        raise UserError("Le brouillon est vide : écrivez le texte du post avant de l’enregistrer.")
    if len(text) > MAX_DRAFT_CHARS:
        raise UserError(f"Brouillon trop long : {MAX_DRAFT_CHARS} caractères au plus.")
    if draft_id is None:
        draft = PinDraft(pin_id=pin.id, network=network, text=text, link=link.strip())
        session.add(draft)
    else:
        draft = session.get(PinDraft, draft_id)
        if draft is None or draft.pin_id != pin.id:
            raise NotFound("Brouillon introuvable : il a peut-être été supprimé.")
        draft.network, draft.text, draft.link = network, text, link.strip()
    session.flush()
    return _view(draft)


def delete_draft(session: Session, actor: Actor, draft_id: int) -> int:
    draft = session.get(PinDraft, draft_id)
    if draft is None:
        raise NotFound("Brouillon introuvable : il a peut-être été supprimé.")
    board_for_write(session, actor, _live_pin(session, draft.pin_id).board_id)
    session.delete(draft)
    session.flush()
    return draft_id
