"""SMTP delivery of archived digests: one message per recipient, every outcome recorded.

Deliveries are sent outside any long transaction: each row is updated in its own short one, so a
crash mid-run leaves the rest ``pending`` for the next run. A failure is stored with a French
error and retried at the next run; after ``MAX_ATTEMPTS`` failures it is marked abandoned (still
shown in the history, never dropped silently). Connection settings come from ``get_settings().smtp``
(``ATELIER_SMTP_*`` variables or the ``[smtp]`` secret), never from the repository.

A bundled demo picture that the archived HTML gives by its app URL (the app has no public
address) is attached to the message as an inline part and referenced by ``cid:``: a relative
address leads nowhere in a mailbox, and many clients block ``data:`` images.
"""

from __future__ import annotations

import re
import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, make_msgid, parseaddr

from sqlalchemy import select

from curation.bundled_images import DEMO_IMAGE_DIR, DEMO_IMAGE_URL, bundled_name
from curation.digest.lists import owned_list
from curation.digest.models import ABANDONED, FAILED, PENDING, SENT, SKIPPED, Delivery, Digest, DigestList
from curation.digest.render import for_outside_recipient
from curation.digest.unsubscribe import UnsubscribeLinks, unsubscribe_links
from curation.mail import ConnectionFailed as _ConnectionFailed
from curation.mail import SmtpNotConfigured as SmtpNotConfigured
from curation.mail import close as _close
from curation.mail import connect as _connect
from curation.mail import require_smtp
from curation.mail import send_error as _send_error
from workbench.access import Actor
from workbench.db import session_scope, utcnow
from workbench.models import User
from workbench.numbers import fr_int, quantity
from workbench.public_address import public_base_url
from workbench.settings import SmtpSettings

MAX_ATTEMPTS = 5
_BUNDLED_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")(' + re.escape(DEMO_IMAGE_URL) + r'[^"]*)"')


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    abandoned: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)  # French, one per distinct problem

    @property
    def message(self) -> str:
        parts = [quantity(self.sent, "envoi réussi", "envois réussis")]
        if self.failed:
            parts.append(
                f"{fr_int(self.failed)}\u00a0en échec, {'retenté' if self.failed < 2 else 'retentés'} au prochain passage"
            )
        if self.abandoned:
            parts.append(f"{quantity(self.abandoned, 'abandonné')} après {MAX_ATTEMPTS} essais")
        if self.skipped:
            parts.append(
                f"{fr_int(self.skipped)}\u00a0{'non envoyé' if self.skipped < 2 else 'non envoyés'} (désinscription)"
            )
        text = ", ".join(parts) + "."
        return text + (" " + " ".join(self.errors) if self.errors else "")


def build_message(
    digest: Digest, to: str, cfg: SmtpSettings, outside: UnsubscribeLinks | None = None
) -> EmailMessage:
    """multipart/alternative: the plain text first, the HTML last (what clients prefer). A
    recipient ``outside`` the session (an address on the list) gets their own footer and a
    ``List-Unsubscribe`` header."""
    html, text = digest.html, digest.text
    if outside is not None:
        html, text = for_outside_recipient(html, text, outside.list_name, outside.url)
    msg = EmailMessage(policy=SMTP_POLICY)
    msg["Subject"] = digest.subject
    msg["From"] = cfg.sender
    msg["To"] = to
    msg["Date"] = format_datetime(utcnow())
    domain = parseaddr(cfg.sender)[1].rpartition("@")[2] or "localhost"
    msg["Message-ID"] = make_msgid(idstring=f"digest{digest.id}", domain=domain)
    msg["List-Id"] = f"<list-{digest.list_id}.digest.{domain}>"
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Atelier-Digest"] = str(digest.id)
    if outside is not None and outside.header:
        msg["List-Unsubscribe"] = outside.header
    msg.set_content(text, charset="utf-8")
    html, pictures = _inline_bundled(html, domain)
    msg.add_alternative(html, subtype="html", charset="utf-8")
    html_part = msg.get_payload()[1]
    for name, cid in pictures.items():
        data = (DEMO_IMAGE_DIR / name).read_bytes()
        html_part.add_related(data, "image", "svg+xml", cid=f"<{cid}>", filename=name, disposition="inline")
    return msg


def _inline_bundled(html: str, domain: str) -> tuple[str, dict[str, str]]:
    """The HTML with each known bundled picture's app URL replaced by ``cid:``, and the pictures
    to attach (file name → content id). Any other address is left as it is."""
    pictures: dict[str, str] = {}

    def replace(match: re.Match[str]) -> str:
        name = bundled_name(match.group(2))
        if name is None:
            return match.group(0)
        cid = pictures.setdefault(name, make_msgid(idstring=name.removesuffix(".svg"), domain=domain)[1:-1])
        return f'{match.group(1)}cid:{cid}"'

    return _BUNDLED_SRC.sub(replace, html), pictures


def _record(
    delivery_id: int, status: str, error: str = "", message_id: str = "", db_url: str | None = None
) -> str:
    with session_scope(db_url) as session:
        row = session.get(Delivery, delivery_id)
        row.attempts += 1 if status in (SENT, FAILED) else 0
        if status == FAILED and row.attempts >= MAX_ATTEMPTS:
            status = ABANDONED
        row.status, row.error = status, error
        if status == SENT:
            row.sent_at, row.message_id = utcnow(), message_id
        return status


def _due(list_id: int | None, db_url: str | None) -> list[tuple[int, int, str, int | None]]:
    with session_scope(db_url) as session:
        stmt = (
            select(Delivery.id, Delivery.digest_id, Delivery.email, Delivery.user_id)
            .join(Digest, Digest.id == Delivery.digest_id)
            .where(Delivery.status.in_((PENDING, FAILED)))
            .order_by(Delivery.digest_id, Delivery.id)
        )
        if list_id is not None:
            stmt = stmt.where(Digest.list_id == list_id)
        return [tuple(r) for r in session.execute(stmt)]


def deliver_pending(
    list_id: int | None = None,
    *,
    actor: Actor | None = None,
    settings: SmtpSettings | None = None,
    db_url: str | None = None,
    in_app: bool = False,
) -> DeliveryReport:
    """Send every pending or failed delivery (of one list, or all), over one SMTP connection
    (``in_app``: its errors name the Réglages page's fields rather than the server's variables)."""
    if actor is not None and list_id is not None:
        with session_scope(db_url) as session:
            owned_list(session, actor, list_id)
    cfg = require_smtp(settings, in_app=in_app)
    report = DeliveryReport()
    due = _due(list_id, db_url)
    if not due:
        return report
    with session_scope(db_url) as session:
        base_url = public_base_url(session)  # for outside recipients' unsubscribe links
    try:
        smtp = _connect(cfg, in_app=in_app)
    except _ConnectionFailed as exc:
        for delivery_id, *_ in due:
            status = _record(delivery_id, FAILED, str(exc), db_url=db_url)
            report.abandoned += status == ABANDONED
            report.failed += status == FAILED
        report.errors.append(str(exc))
        return report
    done: set[int] = set()
    try:
        cache: dict[int, Digest] = {}
        list_names: dict[int, str] = {}
        for delivery_id, digest_id, email, user_id in due:
            done.add(delivery_id)
            with session_scope(db_url) as session:
                if user_id is not None and session.scalar(
                    select(User.digest_opt_out).where(User.id == user_id)
                ):
                    _record(delivery_id, SKIPPED, db_url=db_url)
                    report.skipped += 1
                    continue
                if digest_id not in cache:
                    digest = session.get(Digest, digest_id)
                    session.expunge(digest)
                    cache[digest_id] = digest
                    list_names[digest.list_id] = session.scalar(
                        select(DigestList.name).where(DigestList.id == digest.list_id)
                    )
            digest = cache[digest_id]
            outside = (
                None
                if user_id is not None
                else unsubscribe_links(
                    base_url, digest.list_id, list_names[digest.list_id], email, cfg.sender
                )
            )
            msg = build_message(digest, email, cfg, outside)
            try:
                smtp.send_message(msg)
            except (smtplib.SMTPException, OSError) as exc:
                error = _send_error(exc, email)
                status = _record(delivery_id, FAILED, error, db_url=db_url)
                report.abandoned += status == ABANDONED
                report.failed += status == FAILED
                if error not in report.errors:
                    report.errors.append(error)
                if isinstance(exc, smtplib.SMTPServerDisconnected | OSError):
                    smtp = _connect(cfg, in_app=in_app)  # a dropped connection: reconnect once for the rest
                continue
            _record(delivery_id, SENT, message_id=msg["Message-ID"], db_url=db_url)
            report.sent += 1
    except _ConnectionFailed as exc:
        report.errors.append(str(exc))
        for delivery_id, *_ in due:
            if delivery_id in done:
                continue
            if _record(delivery_id, FAILED, str(exc), db_url=db_url) == ABANDONED:
                report.abandoned += 1
            else:
                report.failed += 1
    finally:
        _close(smtp)
    return report
