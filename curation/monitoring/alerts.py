"""Alerts: in the app (a list and a badge), and by e-mail when SMTP is configured.

At most one alert per watch (or rule) and person per period: the period is a fixed time bucket
(``period_start``), and a unique constraint keeps it so even when two refreshes race. E-mails
leave only after the transaction that created the alert has committed, so a rolled-back refresh
never sends anything.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, event, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from curation.demo import demo_entry_ids
from curation.monitoring.models import Alert
from workbench.access import Actor
from workbench.db import utcnow
from workbench.errors import NotFound
from workbench.models import User
from workbench.public_address import public_base_url
from workbench.settings import get_settings

log = logging.getLogger("atelier.monitoring.alerts")
_EPOCH = datetime(2000, 1, 3, tzinfo=UTC)  # a Monday: week-long periods start on Mondays
_HOOKED = "monitoring_alert_mail_hook"


def period_start(moment: datetime, minutes: int) -> datetime:
    """The start of the fixed ``minutes``-long bucket holding ``moment`` (UTC)."""
    minutes = max(1, minutes)
    elapsed = (moment - _EPOCH) // timedelta(minutes=minutes)
    return _EPOCH + elapsed * timedelta(minutes=minutes)


@dataclass(frozen=True)
class AlertView:
    id: int
    kind: str
    title: str
    message: str
    watch_id: int | None
    rule_id: int | None
    entry_ids: list[int]
    created_at: datetime
    seen: bool
    email_status: str
    email_error: str


def record_alert(
    session: Session,
    *,
    user_id: int,
    subject: str,
    kind: str,
    title: str,
    message: str,
    entry_ids: list[int],
    period_minutes: int,
    watch_id: int | None = None,
    rule_id: int | None = None,
    email: bool = True,
    now: datetime | None = None,
) -> Alert | None:
    """A new alert, or ``None`` when this subject already alerted this person in this period, or
    when it would be about the bundled demo content only (never a reason to alert anyone)."""
    demo = demo_entry_ids(session, entry_ids)
    entry_ids = [i for i in entry_ids if i not in demo]
    if demo and not entry_ids:
        return None
    start = period_start(now or utcnow(), period_minutes)
    existing = session.scalar(
        select(Alert.id).where(
            Alert.user_id == user_id, Alert.subject == subject, Alert.period_start == start
        )
    )
    if existing is not None:
        return None
    smtp = get_settings().smtp
    alert = Alert(
        user_id=user_id,
        subject=subject[:40],
        watch_id=watch_id,
        rule_id=rule_id,
        kind=kind,
        period_start=start,
        title=title[:300],
        message=message,
        entry_ids=sorted(set(entry_ids))[:200],
        email_status="pending" if email and smtp.configured else "",
    )
    try:
        with session.begin_nested():
            session.add(alert)
    except IntegrityError:  # another refresh recorded it first
        return None
    if alert.email_status == "pending":
        _deliver_after_commit(session)
    return alert


def _deliver_after_commit(session: Session) -> None:
    """Send pending e-mails once the outermost transaction commits (savepoints commit earlier)."""
    if session.info.get(_HOOKED):
        return
    session.info[_HOOKED] = True
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine

    live = [True]  # listeners cannot be removed while they run: they go inert instead

    def after_commit(committed: Session) -> None:
        if not live[0] or committed.in_nested_transaction():
            return
        try:
            deliver_pending_emails(engine)
        except Exception:  # never let a mail problem surface as a failed refresh
            log.exception("alert e-mail delivery failed")

    def after_end(ended: Session, transaction: object) -> None:
        if live[0] and getattr(transaction, "parent", None) is None:
            live[0] = False
            ended.info.pop(_HOOKED, None)

    event.listen(session, "after_commit", after_commit)
    event.listen(session, "after_transaction_end", after_end)


def _email_text(alert: Alert, name: str, base: str) -> str:
    return (
        f"Bonjour {name},\n\n{alert.message}\n\n"
        f"Voir les mentions et les alertes\u00a0: {base}/e-reputation\n\n"
        "— Atelier CM (alerte automatique de veille)\n"
    )


def deliver_pending_emails(engine: Engine, *, limit: int = 50) -> int:
    """Send the alerts waiting for their e-mail; returns how many were sent."""
    from curation.mail import MailError, send_mail  # not loaded by a refresh, which only records alerts

    smtp = get_settings().smtp
    sent = 0
    with Session(engine) as session, session.begin():
        rows = session.execute(
            select(Alert, User)
            .join(User, User.id == Alert.user_id)
            .where(Alert.email_status == "pending")
            .order_by(Alert.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        for alert, user in rows:
            if not user.is_active:
                alert.email_status = ""
                continue
            try:
                send_mail(
                    smtp,
                    user.email,
                    f"Alerte veille\u00a0: {alert.title}",
                    _email_text(alert, user.display_name, public_base_url(session)),
                )
            except MailError as exc:
                alert.email_status, alert.email_error = "failed", str(exc)
                continue
            alert.email_status, alert.email_error = "sent", ""
            sent += 1
    return sent


def _view(alert: Alert) -> AlertView:
    return AlertView(
        id=alert.id,
        kind=alert.kind,
        title=alert.title,
        message=alert.message,
        watch_id=alert.watch_id,
        rule_id=alert.rule_id,
        entry_ids=list(alert.entry_ids or []),
        created_at=alert.created_at,
        seen=alert.seen_at is not None,
        email_status=alert.email_status,
        email_error=alert.email_error,
    )


def list_alerts(
    session: Session, actor: Actor, *, limit: int = 50, unseen_only: bool = False
) -> list[AlertView]:
    """My alerts, newest first."""
    stmt = select(Alert).where(Alert.user_id == actor.id)
    if unseen_only:
        stmt = stmt.where(Alert.seen_at.is_(None))
    return [
        _view(a)
        for a in session.scalars(stmt.order_by(Alert.created_at.desc(), Alert.id.desc()).limit(limit))
    ]


def unseen_count(session: Session, actor: Actor) -> int:
    return (
        session.scalar(select(func.count(Alert.id)).where(Alert.user_id == actor.id, Alert.seen_at.is_(None)))
        or 0
    )


def mark_seen(session: Session, actor: Actor, alert_ids: list[int] | None = None) -> int:
    """Mark my alerts (these, or all) as seen; returns how many changed."""
    stmt = update(Alert).where(Alert.user_id == actor.id, Alert.seen_at.is_(None))
    if alert_ids is not None:
        if not alert_ids:
            return 0
        stmt = stmt.where(Alert.id.in_(alert_ids))
        found = session.scalar(
            select(func.count(Alert.id)).where(Alert.id.in_(alert_ids), Alert.user_id == actor.id)
        )
        if found != len(set(alert_ids)):
            raise NotFound("Alerte introuvable\u00a0: elle a peut-être été supprimée.")
    return session.execute(stmt.values(seen_at=utcnow())).rowcount or 0
