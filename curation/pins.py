"""Pins: made from a wall entry or any pasted URL, edited, moved, copied, reordered, deleted with undo,
tagged, searched; and the trainer's comments on them.

Access goes through ``curation.boards`` (only the owner writes; readers per the board's visibility).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from curation.board_models import Board, Pin, PinComment, PinDraft, PinTag
from curation.boards import (
    board_for_read,
    board_for_review,
    board_for_token,
    board_for_write,
    default_board,
    section_of,
)
from curation.bundled_images import stored_image
from curation.models import Entry
from curation.page_preview import PagePreview, preview_page, shorten, site_of
from curation.sanitize import to_text
from curation.search import Term, parse_query
from curation.textnorm import fold
from curation.urls import canonical_url, web_url
from curation.visibility import visible_subscriptions
from workbench.access import Actor
from workbench.db import utcnow
from workbench.errors import AccessDenied, NotFound, UserError
from workbench.localtime import day_start
from workbench.models import TRAINER, User
from workbench.wording import quoted

ANGLES: dict[str, str] = {
    "actu": "Actu",
    "tuto": "Tuto",
    "chiffre": "Chiffre clé",
    "inspiration": "Inspiration",
    "etude_de_cas": "Étude de cas",
    "interview": "Interview",
    "tribune": "Tribune / opinion",
    "evenement": "Événement",
    "outil": "Outil",
    "humour": "Humour",
}
RELIABILITY: dict[int, str] = {
    1: "Douteuse",
    2: "Faible",
    3: "Correcte",
    4: "Bonne",
    5: "Excellente",
}
MAX_TAGS = 12
MAX_TAG_LENGTH = 40
UNDO_DAYS = 30  # a deleted pin can be restored this long


@dataclass(frozen=True)
class CommentView:
    """A comment on a pin; who wrote it is the author's account (id and role), never the name shown."""

    id: int
    author_id: int
    author_name: str
    author_role: str
    body: str
    created_at: datetime

    @property
    def author_is_trainer(self) -> bool:
        return self.author_role == TRAINER


@dataclass(frozen=True)
class PinView:
    """A pin as pages, the masonry and exports see it; every text here is plain (escape to show)."""

    id: int
    board_id: int
    section_id: int | None
    position: int
    url: str
    title: str
    image_url: str
    description: str
    site_name: str
    published_at: datetime | None
    note: str
    tags: tuple[str, ...]
    reliability: int | None
    angle: str
    credit: str
    fetch_note: str
    created_at: datetime
    entry_id: int | None = None
    comments: tuple[CommentView, ...] = ()
    draft_count: int = 0
    already_pinned: bool = False  # set by a pinning call that found the article already on the board

    @property
    def angle_label(self) -> str:
        return ANGLES.get(self.angle, "")

    @property
    def shown_credit(self) -> str:
        """The credit for a card or an export, where the site's name is already shown: empty when it
        only repeats it (« Source : <site> »); kept when it says more (an author, a hand-written credit)."""
        return "" if self.credit == credit_line(self.site_name) else self.credit


@dataclass
class PinData:
    """What a person types or a page/entry provides for a pin (create and edit)."""

    title: str = ""
    url: str = ""
    image_url: str = ""
    description: str = ""
    site_name: str = ""
    published_at: datetime | None = None
    note: str = ""
    tags: list[str] | str = field(default_factory=list)  # a list, or « a, b, c » as typed
    reliability: int | None = None
    angle: str = ""
    credit: str = ""


@dataclass(frozen=True)
class PinFilter:
    """Search and filters over pins; ``None``/empty means « no filter »."""

    text: str = ""
    tag: str = ""
    board_id: int | None = None
    section_id: int | None = None
    angle: str = ""
    date_from: date | None = None  # by the day it was pinned
    date_to: date | None = None


@dataclass(frozen=True)
class PinOutcome:
    """A new pin and what could not be done (French), e.g. the page could not be fetched."""

    pin: PinView
    messages: tuple[str, ...] = ()


# --- cleaning -------------------------------------------------------------------------------


def clean_tag(raw: str) -> str:
    tag = " ".join(raw.strip().lstrip("#＃").split()).lower()
    return tag[:MAX_TAG_LENGTH]


def clean_tags(raw: list[str] | str) -> list[str]:
    """Tags from a list or a comma-separated string: lower-case, no ``#``, no duplicates."""
    items = raw.split(",") if isinstance(raw, str) else raw
    out: list[str] = []
    for item in items:
        tag = clean_tag(item)
        if tag and tag not in out:
            out.append(tag)
    if len(out) > MAX_TAGS:
        raise UserError(
            f"{len(out)} étiquettes\u00a0: {MAX_TAGS} au plus par épingle, retirez-en quelques-unes.",
            field="tags",
        )
    return out


def credit_line(site_name: str, author: str = "", url: str = "") -> str:
    """« Source : Site (Autrice) » — what a CM writes under a shared article."""
    name = site_name.strip() or site_of(url)
    if not name:
        return ""
    return f"Source\u00a0: {name}" + (f" ({author.strip()})" if author.strip() else "")


def _check(data: PinData) -> PinData:
    url = canonical_url(data.url.strip()) if data.url.strip() else ""
    if url and not web_url(url):
        raise UserError("Le lien d’une épingle doit être une adresse web en http:// ou https://.")
    image = stored_image(data.image_url)
    if data.image_url.strip() and not image:
        raise UserError("L’image doit être une adresse web en http:// ou https:// (ou laissez vide).")
    title = " ".join(data.title.split())
    if not title and not url:
        raise UserError(
            "Une épingle a besoin d’un titre ou d’un lien\u00a0: saisissez au moins l’un des deux."
        )
    if data.reliability is not None and data.reliability not in RELIABILITY:
        raise UserError("La fiabilité se note de 1 (douteuse) à 5 (excellente).")
    if data.angle and data.angle not in ANGLES:
        raise UserError("Angle inconnu\u00a0: choisissez-en un dans la liste.")
    return replace(
        data,
        url=url,
        image_url=image,
        title=title or site_of(url),
        description=data.description.strip(),
        site_name=data.site_name.strip(),
        note=data.note.strip(),
        tags=clean_tags(data.tags),
        credit=data.credit.strip(),
    )


# --- views ----------------------------------------------------------------------------------


def _load(session: Session, stmt: Select, *, with_comments: bool = True) -> list[PinView]:
    """Views of the pins ``stmt`` selects (``select(Pin.id)`` with filters and order), read with
    plain column queries: tags, comments and draft counts in one query each, whatever the count."""
    ids = stmt.subquery()
    rows = session.execute(select(Pin.__table__).join(ids, ids.c.id == Pin.id)).mappings()
    by_id = {row["id"]: row for row in rows}
    order = list(session.scalars(stmt))
    tags: dict[int, list[str]] = defaultdict(list)
    for pin_id, tag in session.execute(
        select(PinTag.pin_id, PinTag.tag).join(ids, ids.c.id == PinTag.pin_id).order_by(PinTag.tag)
    ):
        tags[pin_id].append(tag)
    drafts = dict(
        session.execute(
            select(PinDraft.pin_id, func.count(PinDraft.id))
            .join(ids, ids.c.id == PinDraft.pin_id)
            .group_by(PinDraft.pin_id)
        ).all()
    )
    comments: dict[int, list[CommentView]] = defaultdict(list)
    if with_comments:
        for pin_id, *view in session.execute(
            select(
                PinComment.pin_id,
                PinComment.id,
                User.id,
                User.display_name,
                User.role,
                PinComment.body,
                PinComment.created_at,
            )
            .join(ids, ids.c.id == PinComment.pin_id)
            .join(User, User.id == PinComment.author_id)
            .order_by(PinComment.created_at, PinComment.id)
        ):
            comments[pin_id].append(CommentView(*view))
    views = []
    for pin_id in order:
        row = by_id[pin_id]
        views.append(
            PinView(
                id=pin_id,
                board_id=row["board_id"],
                section_id=row["section_id"],
                position=row["position"],
                url=row["url"],
                title=row["title"],
                image_url=row["image_url"],
                description=row["description"],
                site_name=row["site_name"],
                published_at=row["published_at"],
                note=row["note"],
                tags=tuple(tags.get(pin_id, ())),
                reliability=row["reliability"],
                angle=row["angle"],
                credit=row["credit"],
                fetch_note=row["fetch_note"],
                created_at=row["created_at"],
                entry_id=row["entry_id"],
                comments=tuple(comments.get(pin_id, ())),
                draft_count=drafts.get(pin_id, 0),
            )
        )
    return views


def _one(session: Session, pin: Pin) -> PinView:
    session.flush()
    return _load(session, select(Pin.id).where(Pin.id == pin.id))[0]


def _live_pins(board_id: int) -> Select:
    return (
        select(Pin.id)
        .where(Pin.board_id == board_id, Pin.deleted_at.is_(None))
        .order_by(Pin.position, Pin.id)
    )


def board_pins(session: Session, actor: Actor, board_id: int, section_id: int | None = None) -> list[PinView]:
    """The pins of a board the actor may read, in board order (optionally one section)."""
    board = board_for_read(session, actor, board_id)
    stmt = _live_pins(board.id)
    if section_id is not None:
        stmt = stmt.where(Pin.section_id == section_id)
    return _load(session, stmt)


def shared_board_pins(session: Session, token: str) -> list[PinView]:
    """The pins a secret link shows (trainer comments stay private to the owner and trainer)."""
    board = board_for_token(session, token)
    return _load(session, _live_pins(board.id), with_comments=False)


def get_pin(session: Session, actor: Actor, pin_id: int) -> PinView:
    pin = _pin(session, pin_id)
    board_for_read(session, actor, pin.board_id)
    return _one(session, pin)


def _pin(session: Session, pin_id: int, *, deleted: bool = False) -> Pin:
    pin = session.get(Pin, pin_id)
    if pin is None or (pin.deleted_at is not None) != deleted:
        raise NotFound("Épingle introuvable\u00a0: elle a peut-être été supprimée.")
    return pin


def _writable_pin(session: Session, actor: Actor, pin_id: int, *, deleted: bool = False) -> Pin:
    pin = _pin(session, pin_id, deleted=deleted)
    board_for_write(session, actor, pin.board_id)
    return pin


# --- creating -------------------------------------------------------------------------------


def _top_position(session: Session, board_id: int) -> int:
    """New pins go first, as on Pinterest."""
    lowest = session.scalar(select(func.min(Pin.position)).where(Pin.board_id == board_id))
    return 0 if lowest is None else lowest - 1


def _target(session: Session, actor: Actor, board_id: int | None, section_id: int | None) -> Board:
    board = default_board(session, actor) if board_id is None else board_for_write(session, actor, board_id)
    section_of(session, board, section_id)
    return board


def _set_tags(pin: Pin, tags: list[str]) -> None:
    keep = {t.tag for t in pin.tags if t.tag in tags}
    pin.tags = [t for t in pin.tags if t.tag in keep] + [PinTag(tag=t) for t in tags if t not in keep]


def _search_text(data: PinData | Pin, tags: Sequence[str]) -> str:
    """What text search looks in, folded once when the pin is written (accents, case, elisions)."""
    parts = [data.title, data.note, data.description, data.site_name, data.credit, *tags]
    return fold(" ".join(parts))


def _existing(session: Session, board: Board, data: PinData, entry_id: int | None) -> Pin | None:
    """The live pin of the same article on ``board`` (same wall entry or same address), if any."""
    same = [Pin.entry_id == entry_id] if entry_id is not None else []
    if data.url:
        same.append(Pin.url == data.url)
    if not same:
        return None
    return session.scalar(
        select(Pin)
        .where(Pin.board_id == board.id, Pin.deleted_at.is_(None), or_(*same))
        .order_by(Pin.id)
        .limit(1)
    )


def _merge(pin: Pin, data: PinData) -> None:
    """The article pinned again: its new note and tags join the pin instead of making a second one."""
    note = data.note.strip()
    if note and note not in pin.note:
        pin.note = f"{pin.note}\n\n{note}" if pin.note else note
    tags = [t.tag for t in pin.tags]
    _set_tags(pin, [*tags, *(t for t in data.tags if t not in tags)][:MAX_TAGS])
    pin.search_text = _search_text(pin, [t.tag for t in pin.tags])


def _store(
    session: Session,
    board: Board,
    data: PinData,
    *,
    section_id: int | None,
    entry_id: int | None = None,
    fetch_note: str = "",
) -> tuple[Pin, bool]:
    """A new pin on ``board``, or the one already there for the same article (``True``), merged."""
    if (pin := _existing(session, board, data, entry_id)) is not None:
        _merge(pin, data)
        session.flush()
        return pin, True
    pin = Pin(
        board_id=board.id,
        section_id=section_id,
        position=_top_position(session, board.id),
        entry_id=entry_id,
        url=data.url,
        title=data.title,
        image_url=data.image_url,
        description=data.description,
        site_name=data.site_name,
        published_at=data.published_at,
        note=data.note,
        reliability=data.reliability,
        angle=data.angle,
        credit=data.credit,
        fetch_note=fetch_note,
        search_text=_search_text(data, data.tags),
        tags=[PinTag(tag=t) for t in data.tags],
    )
    session.add(pin)
    board.updated_at = utcnow()
    session.flush()
    return pin, False


def _stored_view(session: Session, pin: Pin, already: bool) -> PinView:
    return replace(_one(session, pin), already_pinned=already)


def add_pin(
    session: Session,
    actor: Actor,
    data: PinData,
    *,
    board_id: int | None = None,
    section_id: int | None = None,
) -> PinView:
    """A pin typed by hand (no fetching)."""
    board = _target(session, actor, board_id, section_id)
    return _stored_view(session, *_store(session, board, _check(data), section_id=section_id))


def last_pinned_board_id(session: Session, actor: Actor) -> int | None:
    """The board of the actor's newest pin: the one a new pin most likely goes to."""
    return session.scalar(
        select(Pin.board_id)
        .join(Board, Board.id == Pin.board_id)
        .where(Board.owner_id == actor.id, Pin.deleted_at.is_(None))
        .order_by(Pin.created_at.desc(), Pin.id.desc())
        .limit(1)
    )


def _visible_entry(session: Session, actor: Actor, entry_id: int) -> Entry:
    """An entry of a feed the actor (or their cohort) follows: the wall's own rule."""
    entry = session.get(Entry, entry_id)
    if entry is None:
        raise NotFound("Article introuvable\u00a0: il a peut-être été retiré du mur.")
    subscriptions = visible_subscriptions(session, actor).subquery()
    if (
        session.scalar(select(subscriptions.c.id).where(subscriptions.c.feed_id == entry.feed_id).limit(1))
        is None
    ):
        raise AccessDenied("Cet article vient d’une source que vous ne suivez pas.")
    return entry


def pin_entry(
    session: Session,
    actor: Actor,
    entry_id: int,
    *,
    board_id: int | None = None,
    section_id: int | None = None,
    note: str = "",
    tags: list[str] | None = None,
) -> PinView:
    """One click on the wall: the entry becomes a pin (default board unless one is chosen)."""
    entry = _visible_entry(session, actor, entry_id)
    board = _target(session, actor, board_id, section_id)
    site = entry.feed.title if entry.feed else ""
    description = shorten(to_text(entry.summary or entry.content))
    data = PinData(
        title=to_text(entry.title) or entry.link,
        url=entry.link,
        image_url=stored_image(entry.image_url),
        description=description,
        site_name=site,
        published_at=entry.published_at,
        note=note,
        tags=tags or [],
        credit=credit_line(site, entry.author, entry.link),
    )
    return _stored_view(
        session, *_store(session, board, _check(data), section_id=section_id, entry_id=entry.id)
    )


def pin_url(
    session: Session,
    actor: Actor,
    url: str,
    *,
    board_id: int | None = None,
    section_id: int | None = None,
    note: str = "",
    tags: list[str] | str | None = None,
    preview: PagePreview | None = None,
) -> PinOutcome:
    """A pin from any pasted URL: fetched through the one safe client and extracted; what cannot be
    fetched still gives a pin with what is known, and the outcome says why in French."""
    _target(session, actor, board_id, section_id)  # refuse before any network use
    page = preview or preview_page(url)
    board = _target(session, actor, board_id, section_id)
    data = PinData(
        title=page.title,
        url=page.url,
        image_url=page.image_url,
        description=page.description,
        site_name=page.site_name,
        published_at=page.published_at,
        note=note,
        tags=tags or [],
        credit=credit_line(page.site_name, url=page.url),
    )
    pin, already = _store(
        session, board, _check(data), section_id=section_id, fetch_note=" ".join(page.messages)
    )
    if already:
        added = (
            "votre note et vos étiquettes y sont ajoutées" if note.strip() or tags else "rien n’a été ajouté"
        )
        message = f"Cette page est déjà épinglée dans {quoted(board.title)}\u00a0: {added}."
        return PinOutcome(_stored_view(session, pin, True), (message,))
    return PinOutcome(_one(session, pin), tuple(page.messages))


# --- editing --------------------------------------------------------------------------------


def update_pin(session: Session, actor: Actor, pin_id: int, data: PinData) -> PinView:
    pin = _writable_pin(session, actor, pin_id)
    data = _check(data)
    for name in (
        "url",
        "title",
        "image_url",
        "description",
        "site_name",
        "published_at",
        "note",
        "reliability",
        "angle",
        "credit",
    ):
        setattr(pin, name, getattr(data, name))
    _set_tags(pin, data.tags)
    pin.search_text = _search_text(data, data.tags)
    pin.updated_at = utcnow()
    session.flush()
    return _one(session, pin)


def pin_data(pin: PinView) -> PinData:
    """The editable fields of a pin (to prefill the edit form)."""
    return PinData(
        title=pin.title,
        url=pin.url,
        image_url=pin.image_url,
        description=pin.description,
        site_name=pin.site_name,
        published_at=pin.published_at,
        note=pin.note,
        tags=list(pin.tags),
        reliability=pin.reliability,
        angle=pin.angle,
        credit=pin.credit,
    )


def move_pin(
    session: Session, actor: Actor, pin_id: int, board_id: int, section_id: int | None = None
) -> PinView:
    """To another board (or section) of the owner's, at the top."""
    pin = _writable_pin(session, actor, pin_id)
    board = _target(session, actor, board_id, section_id)
    if board.id != pin.board_id:
        pin.position = _top_position(session, board.id)
        pin.board_id = board.id
    pin.section_id = section_id
    board.updated_at = utcnow()
    session.flush()
    return _one(session, pin)


def copy_pin(
    session: Session, actor: Actor, pin_id: int, board_id: int, section_id: int | None = None
) -> PinView:
    """A copy on a board of the actor's: the actor may copy any pin they can read (e.g. from a
    reference board); the trainer's comments and the drafts stay with the original."""
    source = _pin(session, pin_id)
    board_for_read(session, actor, source.board_id)
    board = _target(session, actor, board_id, section_id)
    data = _check(pin_data(_one(session, source)))
    copy, already = _store(session, board, data, section_id=section_id, entry_id=source.entry_id)
    if not already:
        copy.fetch_note = source.fetch_note
        session.flush()
    return _stored_view(session, copy, already)


def reorder_pin(session: Session, actor: Actor, pin_id: int, index: int) -> list[int]:
    """Put a pin at ``index`` (0 = first) in its board's order; returns the new order of pin ids."""
    pin = _writable_pin(session, actor, pin_id)
    order = [pid for pid in session.scalars(_live_pins(pin.board_id)) if pid != pin.id]
    index = max(0, min(index, len(order)))
    order.insert(index, pin.id)
    positions = {pid: i for i, pid in enumerate(order)}
    for other in session.scalars(select(Pin).where(Pin.board_id == pin.board_id, Pin.deleted_at.is_(None))):
        other.position = positions[other.id]
    session.flush()
    return order


def delete_pin(session: Session, actor: Actor, pin_id: int) -> int:
    """Soft delete: the pin disappears now and ``restore_pin`` brings it back (undo); deletions
    older than ``UNDO_DAYS`` are forgotten at the same time."""
    pin = _writable_pin(session, actor, pin_id)
    pin.deleted_at = utcnow()
    purge_deleted_pins(session, actor)
    return pin.id


def restore_pin(session: Session, actor: Actor, pin_id: int) -> PinView:
    pin = _writable_pin(session, actor, pin_id, deleted=True)
    pin.deleted_at = None
    session.flush()
    return _one(session, pin)


def purge_deleted_pins(
    session: Session, actor: Actor, older_than: timedelta = timedelta(days=UNDO_DAYS)
) -> int:
    """Forget the actor's pins deleted long enough ago that nobody will undo them."""
    cutoff = utcnow() - older_than
    pins = session.scalars(
        select(Pin).join(Board).where(Board.owner_id == actor.id, Pin.deleted_at < cutoff)
    ).all()
    for pin in pins:
        session.delete(pin)
    session.flush()
    return len(pins)


# --- tags and search ------------------------------------------------------------------------


def suggest_tags(session: Session, actor: Actor, prefix: str = "", limit: int = 30) -> list[str]:
    """The actor's tags already used, most used first (then alphabetical), starting with ``prefix``."""
    stmt = (
        select(PinTag.tag, func.count(PinTag.id))
        .join(Pin, Pin.id == PinTag.pin_id)
        .join(Board, Board.id == Pin.board_id)
        .where(Board.owner_id == actor.id, Pin.deleted_at.is_(None))
        .group_by(PinTag.tag)
    )
    prefix = clean_tag(prefix)
    if prefix:
        stmt = stmt.where(PinTag.tag.startswith(prefix, autoescape=True))
    counts = Counter(dict(session.execute(stmt).all()))
    return [tag for tag, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))][:limit]


def _pin_text_has(term: Term) -> ColumnElement[bool]:
    """The pin's folded text holds this word or phrase (accents, case and elisions ignored)."""
    return Pin.search_text.contains(" ".join(fold(term.raw).split()), autoescape=True)


def search_pins(session: Session, actor: Actor, filters: PinFilter | None = None) -> list[PinView]:
    """The actor's pins (all boards, or one) matching the filters; text search ignores case and
    accents and looks in title, note, description, site, tags and credit."""
    filters = filters or PinFilter()
    stmt = (
        select(Pin.id)
        .join(Board, Board.id == Pin.board_id)
        .where(Pin.deleted_at.is_(None))
        .order_by(Pin.board_id, Pin.position, Pin.id)
    )
    if filters.board_id is not None:
        board_for_read(session, actor, filters.board_id)
        stmt = stmt.where(Pin.board_id == filters.board_id)
    else:
        stmt = stmt.where(Board.owner_id == actor.id)
    if filters.section_id is not None:
        stmt = stmt.where(Pin.section_id == filters.section_id)
    if filters.angle:
        stmt = stmt.where(Pin.angle == filters.angle)
    if filters.tag:
        stmt = stmt.where(Pin.id.in_(select(PinTag.pin_id).where(PinTag.tag == clean_tag(filters.tag))))
    if filters.date_from:
        stmt = stmt.where(Pin.created_at >= day_start(filters.date_from))
    if filters.date_to:
        stmt = stmt.where(Pin.created_at < day_start(filters.date_to + timedelta(days=1)))
    query = parse_query(filters.text)  # as on the wall: « exact phrase », OR, -excluded
    for clause in query.clauses:
        stmt = stmt.where(or_(*(_pin_text_has(term) for term in clause)))
    for term in query.excluded:
        stmt = stmt.where(~_pin_text_has(term))
    return _load(session, stmt)


# --- trainer comments -----------------------------------------------------------------------


def add_comment(session: Session, actor: Actor, pin_id: int, body: str) -> CommentView:
    """The cohort's trainer comments a trainee's shared pin; the trainee reads it beside the pin."""
    pin = _pin(session, pin_id)
    board_for_review(session, actor, pin.board_id)
    body = (body or "").strip()
    if not body:
        raise UserError("Le commentaire est vide\u00a0: écrivez quelques mots pour la personne.")
    comment = PinComment(pin_id=pin.id, author_id=actor.id, body=body)
    session.add(comment)
    session.flush()
    return CommentView(comment.id, actor.id, actor.display_name, actor.role, comment.body, comment.created_at)


def delete_comment(session: Session, actor: Actor, comment_id: int) -> None:
    comment = session.get(PinComment, comment_id)
    if comment is None:
        raise NotFound("Commentaire introuvable.")
    if comment.author_id != actor.id:
        raise AccessDenied("Seul l’auteur d’un commentaire peut le supprimer.")
    session.delete(comment)
    session.flush()
