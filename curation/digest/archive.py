"""Publishing a draft (archived exactly as sent, one delivery row per recipient) and reading the
history back. Idempotent per list and day: a second publication the same day is refused unless
forced, which adds a new revision of that day's digest."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from curation.digest.atom import refresh_feed_file
from curation.digest.draft import DigestDraft
from curation.digest.lists import owned_list, recipients
from curation.digest.models import ABANDONED, FAILED, PENDING, SENT, SKIPPED, Delivery, Digest, DigestList
from curation.digest.render import french_date, render_digest
from workbench.access import Actor, member_cohort_ids
from workbench.errors import AccessDenied, NotFound, UserError

STATUS_LABELS = {
    PENDING: "en attente",
    SENT: "envoyée",
    FAILED: "échec (nouvel essai au prochain passage)",
    ABANDONED: "abandonnée après plusieurs échecs",
    SKIPPED: "non envoyée (désinscription)",
}


class AlreadySent(UserError):
    """Today's digest of this list exists already."""


@dataclass(frozen=True)
class DeliveryView:
    email: str
    status: str
    status_label: str
    attempts: int
    error: str
    sent_at: datetime | None


@dataclass(frozen=True)
class DigestSummary:
    id: int
    list_id: int
    list_name: str
    day: date
    revision: int
    subject: str
    item_count: int
    created_at: datetime
    counts: dict[str, int]  # delivery status → number

    @property
    def label(self) -> str:
        again = f" (renvoi n°{self.revision})" if self.revision else ""
        return f"{french_date(self.day).capitalize()}{again} — {self.list_name}"


@dataclass(frozen=True)
class DigestView:
    summary: DigestSummary
    html: str
    text: str
    markdown: str
    deliveries: list[DeliveryView]


def digest_exists(session: Session, list_id: int, day: date) -> bool:
    return (
        session.scalar(select(Digest.id).where(Digest.list_id == list_id, Digest.day == day).limit(1))
        is not None
    )


def publish(session: Session, actor: Actor, draft: DigestDraft, *, force: bool = False) -> DigestSummary:
    """Archive ``draft`` as the list's digest of its day and queue one delivery per recipient."""
    row = owned_list(session, actor, draft.list_id)
    last = session.scalar(
        select(func.max(Digest.revision)).where(Digest.list_id == row.id, Digest.day == draft.day)
    )
    if last is not None and not force:
        raise AlreadySent(
            f"La revue du {french_date(draft.day)} a déjà été envoyée à la liste « {row.name} ». "
            "Pour l’envoyer de nouveau, choisissez « Renvoyer quand même » (option --force en ligne de commande)."
        )
    rendered = render_digest(draft)
    digest = Digest(
        list_id=row.id,
        day=draft.day,
        revision=0 if last is None else last + 1,
        window_start=draft.window_start,
        window_end=draft.window_end,
        subject=rendered.subject,
        html=rendered.html,
        text=rendered.text,
        markdown=rendered.markdown,
        item_count=len(draft.items),
        entry_ids=[i.entry_id for i in draft.items if i.entry_id is not None],
        created_by=actor.id,
    )
    digest.deliveries = [
        Delivery(email=r.email, user_id=r.user_id, status=PENDING) for r in recipients(session, row)
    ]
    try:
        with session.begin_nested():
            session.add(digest)
            session.flush()
    except IntegrityError as exc:  # another run published the same day at the same moment
        raise AlreadySent(
            f"La revue du {french_date(draft.day)} vient d’être envoyée par un autre passage."
        ) from exc
    refresh_feed_file(session, row)
    return _summary(digest, row.name)


def _summary(digest: Digest, list_name: str) -> DigestSummary:
    return DigestSummary(
        id=digest.id,
        list_id=digest.list_id,
        list_name=list_name,
        day=digest.day,
        revision=digest.revision,
        subject=digest.subject,
        item_count=digest.item_count,
        created_at=digest.created_at,
        counts=dict(Counter(d.status for d in digest.deliveries)),
    )


def _readable_list_ids(session: Session, actor: Actor) -> list[int]:
    """Lists whose digests ``actor`` may read: their own, and their cohorts' (as a member)."""
    cohorts = member_cohort_ids(session, actor.id)
    condition = DigestList.owner_id == actor.id
    if cohorts:
        condition = condition | DigestList.cohort_id.in_(cohorts)
    return list(session.scalars(select(DigestList.id).where(condition)))


def history(
    session: Session, actor: Actor, list_id: int | None = None, limit: int = 100
) -> list[DigestSummary]:
    """Past digests ``actor`` may read (one list, or all), newest first."""
    ids = _readable_list_ids(session, actor)
    if list_id is not None:
        if list_id not in ids:
            raise AccessDenied("Vous ne pouvez consulter que les revues de vos listes ou de vos sessions.")
        ids = [list_id]
    if not ids:
        return []
    rows = session.execute(
        select(Digest, DigestList.name)
        .join(DigestList, DigestList.id == Digest.list_id)
        .where(Digest.list_id.in_(ids))
        .order_by(Digest.created_at.desc(), Digest.id.desc())
        .limit(limit)
    ).all()
    return [_summary(d, name) for d, name in rows]


def get_digest(session: Session, actor: Actor, digest_id: int) -> DigestView:
    digest = session.get(Digest, digest_id)
    if digest is None:
        raise NotFound("Revue introuvable : elle a peut-être été supprimée avec sa liste.")
    if digest.list_id not in _readable_list_ids(session, actor):
        raise AccessDenied("Vous ne pouvez consulter que les revues de vos listes ou de vos sessions.")
    name = session.scalar(select(DigestList.name).where(DigestList.id == digest.list_id)) or ""
    owner = session.scalar(select(DigestList.owner_id).where(DigestList.id == digest.list_id))
    deliveries = (
        [
            DeliveryView(
                d.email, d.status, STATUS_LABELS.get(d.status, d.status), d.attempts, d.error, d.sent_at
            )
            for d in digest.deliveries
        ]
        if owner == actor.id  # members see the digest, not who else received it
        else []
    )
    return DigestView(_summary(digest, name), digest.html, digest.text, digest.markdown, deliveries)
