"""The scheduled job (``python -m curation digest --send``): for each list, retry what failed,
then build, archive and send today's digest unless it was already sent today.

Without ``--list``, the lists whose sending hour (Europe/Paris) has come and that have no digest
today are due, and so are the lists with a failed delivery to retry: running the job every hour
from cron sends each list once a day at its hour and retries a failure at the next run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from curation.digest.archive import AlreadySent, DigestSummary, digest_exists, publish
from curation.digest.compose import build_draft, paris_day
from curation.digest.draft import DigestDraft
from curation.digest.lists import Recipient, find_list, recipients
from curation.digest.models import FAILED, PENDING, Delivery, Digest, DigestList
from curation.digest.render import french_date
from curation.digest.send import DeliveryReport, deliver_pending, require_smtp
from curation.translation.providers import ProviderConfig
from workbench.db import session_scope, utcnow
from workbench.localtime import local
from workbench.numbers import quantity


@dataclass
class ListOutcome:
    """What the job did for one list, in French for the CLI and the logs."""

    list_name: str
    status: str  # "sent", "already_sent", "dry_run", "retried"
    message: str
    digest: DigestSummary | None = None
    draft: DigestDraft | None = None
    recipients: list[Recipient] = field(default_factory=list)
    report: DeliveryReport | None = None


def due_lists(now: datetime, db_url: str | None = None, *, force: bool = False) -> list[str]:
    """Names of the lists whose hour has come today and that have no digest yet today (``force``:
    even if they have one), or that have deliveries waiting for a retry."""
    here = local(now)
    with session_scope(db_url) as session:
        rows = session.scalars(select(DigestList).order_by(DigestList.name)).all()
        waiting = set(
            session.scalars(
                select(Digest.list_id)
                .join(Delivery, Delivery.digest_id == Digest.id)
                .where(Delivery.status.in_((PENDING, FAILED)))
            )
        )
        return [
            r.name
            for r in rows
            if r.id in waiting
            or (r.schedule_hour <= here.hour and (force or not digest_exists(session, r.id, here.date())))
        ]


def all_list_names(db_url: str | None = None) -> list[str]:
    with session_scope(db_url) as session:
        return list(session.scalars(select(DigestList.name).order_by(DigestList.name)))


def run_list(
    name: str,
    *,
    since: timedelta | None = None,
    dry_run: bool = False,
    force: bool = False,
    now: datetime | None = None,
    translation: ProviderConfig | None = None,
    db_url: str | None = None,
) -> ListOutcome:
    """Retry the list's failed deliveries, then publish and send today's digest (once a day)."""
    now = now or utcnow()
    day = paris_day(now)
    if not dry_run:
        require_smtp()
    with session_scope(db_url) as session:
        row, owner = find_list(session, name)
        list_id, list_name = row.id, row.name
        already = digest_exists(session, row.id, day)
        people = recipients(session, row)
    if dry_run:
        with session_scope(db_url) as session:
            draft = build_draft(session, owner, list_id, since=since, now=now, translation=translation)
            session.rollback()  # a dry run stores nothing (not even translations)
        note = " (déjà envoyée aujourd’hui : il faudrait --force)" if already and not force else ""
        return ListOutcome(
            list_name,
            "dry_run",
            f"Essai à blanc : {quantity(len(draft.items), 'article')} pour {quantity(len(people), 'destinataire')}{note}.",
            draft=draft,
            recipients=people,
        )
    summary = None
    if not already or force:
        with session_scope(db_url) as session:
            draft = build_draft(session, owner, list_id, since=since, now=now, translation=translation)
            try:
                summary = publish(session, owner, draft, force=force)
            except AlreadySent:
                summary = None
    report = deliver_pending(list_id, db_url=db_url)
    if summary is None:
        if report.sent or report.failed or report.abandoned:
            return ListOutcome(
                list_name,
                "retried",
                f"Nouvel essai des envois en échec\u00a0: {report.message}",
                report=report,
            )
        return ListOutcome(
            list_name,
            "already_sent",
            f"La revue du {french_date(day)} a déjà été envoyée (--force pour l’envoyer de nouveau).",
            report=report,
        )
    return ListOutcome(
        list_name,
        "sent",
        f"Revue « {summary.subject} » : {quantity(summary.item_count, 'article')}. {report.message}",
        digest=summary,
        draft=draft,
        report=report,
    )
