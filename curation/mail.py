"""Sending one e-mail (monitoring alerts): ``send_mail(settings.smtp, to, subject, text, html)``.

The SMTP session itself — STARTTLS/SSL/plain, login, timeouts and the French messages for each
failure — is the digest's (``curation.digest.send``): one way to talk to the mail server.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, make_msgid, parseaddr

from curation.digest.send import _close, _connect, _ConnectionFailed, _send_error, require_smtp
from workbench.db import utcnow
from workbench.errors import UserError
from workbench.settings import SmtpSettings


class MailError(UserError):
    """The message could not be handed to the SMTP server (French message)."""


def build_message(
    smtp: SmtpSettings, to: str, subject: str, text: str, html: str | None = None
) -> EmailMessage:
    message = EmailMessage(policy=SMTP_POLICY)
    message["Subject"] = subject
    message["From"] = smtp.sender
    message["To"] = to
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain=parseaddr(smtp.sender)[1].rpartition("@")[2] or "localhost")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text, charset="utf-8")
    if html:
        message.add_alternative(html, subtype="html", charset="utf-8")
    return message


def send_mail(smtp: SmtpSettings, to: str, subject: str, text: str, html: str | None = None) -> None:
    """Send one message or raise ``MailError`` saying what went wrong and what to do, in French."""
    try:
        cfg = require_smtp(smtp)
        client = _connect(cfg)
    except (UserError, _ConnectionFailed) as exc:
        raise MailError(str(exc)) from exc
    try:
        client.send_message(build_message(cfg, to, subject, text, html))
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(_send_error(exc, to)) from exc
    finally:
        _close(client)
