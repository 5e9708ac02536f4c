"""Boards in the digest: the new pins of a list's boards, « le choix du formateur », and a digest
composed from one board.

Pins of the bundled demo content (``curation.demo.is_demo_link``) are left out: a digest goes
to real people. Every board is read through ``curation.boards`` / ``curation.pins`` as the list's owner, so the
boards' access rules hold here too: a board that became private to someone else, or was deleted,
gives a French notice in the draft, never its pins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from curation.boards import get_board, list_my_boards, list_shared_boards
from curation.bundled_images import shareable_image
from curation.demo import is_demo_link
from curation.digest.draft import DigestItem, SourceLink
from curation.digest.ranking import Candidate
from curation.models import Entry
from curation.pins import PinView, board_pins
from curation.sanitize import squeeze
from curation.urls import web_url
from workbench.access import Actor
from workbench.errors import AccessDenied, NotFound, UserError

MAX_BOARD_ITEMS = 50
NO_SECTION = "Sélection"


@dataclass(frozen=True)
class BoardChoice:
    """A board a person may take pins from, as the settings form and the composer list it."""

    id: int
    label: str
    pin_count: int
    trainer_board: bool


def readable_boards(session: Session, actor: Actor) -> list[BoardChoice]:
    """The actor's boards, then the boards shared with their cohorts (reference boards included)."""
    choices = []
    for board in list_my_boards(session, actor):
        choices.append(BoardChoice(board.id, board.title, board.pin_count, actor.is_trainer))
    for board in list_shared_boards(session, actor):
        label = f"{board.title} ({board.owner_name})"
        choices.append(BoardChoice(board.id, label, board.pin_count, board.owner_is_trainer))
    return choices


def check_boards(session: Session, actor: Actor, board_ids: list[int]) -> None:
    """Refuse a board the actor may not read (when a list is saved)."""
    for board_id in board_ids:
        try:
            get_board(session, actor, board_id)
        except (AccessDenied, NotFound) as exc:
            raise UserError(f"Tableau n°{board_id} : {exc}") from exc


@dataclass(frozen=True)
class _EntryFacts:
    feed_id: int
    language: str
    story_id: int | None


def _entry_facts(session: Session, pins: list[PinView]) -> dict[int, _EntryFacts]:
    ids = [p.entry_id for p in pins if p.entry_id is not None]
    if not ids:
        return {}
    rows = session.execute(
        select(Entry.id, Entry.feed_id, Entry.language, Entry.story_id).where(Entry.id.in_(ids))
    )
    return {i: _EntryFacts(feed_id, language or "", story) for i, feed_id, language, story in rows}


def _candidate(pin: PinView, facts: _EntryFacts | None, section: str, pick: bool, end: datetime) -> Candidate:
    published = pin.published_at or pin.created_at
    return Candidate(
        entry_id=pin.entry_id,
        feed_id=facts.feed_id if facts else 0,
        title=squeeze(pin.title),
        summary=pin.description,
        link=pin.url,
        image_url=pin.image_url,
        language=facts.language if facts else "",
        published_at=min(published, end),
        story_id=facts.story_id if facts else None,
        pin_id=pin.id,
        note=pin.note,
        board_section=section,
        pick=pick,
        site_name=pin.site_name,
    )


def board_candidates(
    session: Session, owner: Actor, board_ids: list[int], start: datetime, end: datetime
) -> tuple[list[Candidate], list[str]]:
    """Pins added to these boards in (start, end], as candidates; French notices for the boards
    the owner can no longer read. Pins of a trainer's board are the trainer's picks."""
    candidates: list[Candidate] = []
    notices: list[str] = []
    for board_id in board_ids:
        try:
            board = get_board(session, owner, board_id)
            pins = [
                p
                for p in board_pins(session, owner, board_id)
                if start < p.created_at <= end and not is_demo_link(p.url)
            ]
        except (AccessDenied, NotFound):
            notices.append(
                f"Le tableau n°{board_id} n’est plus accessible (supprimé ou devenu privé) : "
                "retirez-le des réglages de la liste."
            )
            continue
        facts = _entry_facts(session, pins)
        for pin in pins:
            section = board.section_title(pin.section_id) or board.title
            candidates.append(_candidate(pin, facts.get(pin.entry_id), section, board.owner_is_trainer, end))
    return candidates, notices


def pin_source(pin: Candidate) -> SourceLink:
    return SourceLink(pin.site_name or "Source", web_url(pin.link))


def board_items(session: Session, actor: Actor, board_id: int, end: datetime) -> tuple[str, list[DigestItem]]:
    """A board's pins in board order, each in its section, with its note: the items of a digest
    composed from that board (the board's title is returned too). At most ``MAX_BOARD_ITEMS``."""
    board = get_board(session, actor, board_id)
    pins = [p for p in board_pins(session, actor, board_id) if not is_demo_link(p.url)]
    if not pins:
        raise UserError(
            f"Le tableau « {board.title} » n’a aucune épingle : épinglez des articles depuis le mur, "
            "puis composez la revue (les épingles de démonstration ne partent jamais dans une revue)."
        )
    pins = pins[:MAX_BOARD_ITEMS]
    facts = _entry_facts(session, pins)
    order = {s.id: s.position for s in board.sections}
    pins.sort(key=lambda p: (p.section_id is not None, order.get(p.section_id, 0)))  # stable: board order
    items = []
    for pin in pins:
        fact = facts.get(pin.entry_id) if pin.entry_id is not None else None
        candidate = _candidate(pin, fact, board.section_title(pin.section_id) or NO_SECTION, False, end)
        items.append(
            DigestItem(
                entry_id=pin.entry_id,
                title=candidate.title or "Sans titre",
                summary=pin.description,
                link=web_url(pin.url),
                section=candidate.board_section,
                sources=[pin_source(candidate)],
                image_url=shareable_image(pin.image_url),
                language=candidate.language,
                published_at=candidate.published_at,
                note=pin.note,
            )
        )
    return board.title, items
