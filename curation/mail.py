"""Sending one e-mail through the configured SMTP server (alerts, the daily digest).

The one mail-sending function of the project: ``send_mail(settings.smtp, to, subject, text, html)``.
STARTTLS, implicit TLS or plain (a local relay, the test server) per ``SmtpSettings.security``.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from workbench.errors import UserError
from workbench.settings import SmtpSettings


class MailError(UserError):
    """The message could not be handed to the SMTP server (French message)."""


def build_message(
    smtp: SmtpSettings, to: str, subject: str, text: str, html: str | None = None
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = smtp.sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=smtp.sender.rpartition("@")[2].strip(">") or "localhost")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def send_mail(smtp: SmtpSettings, to: str, subject: str, text: str, html: str | None = None) -> None:
    """Send one message or raise ``MailError`` saying what went wrong, in French."""
    if not smtp.configured:
        raise MailError(
            "Aucun serveur d’envoi (SMTP) n’est configuré\u00a0: renseignez la section [smtp] des réglages."
        )
    message = build_message(smtp, to, subject, text, html)
    try:
        if smtp.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                smtp.host, smtp.port, timeout=smtp.timeout_s, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_s)
        with client:
            if smtp.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if smtp.username:
                client.login(smtp.username, smtp.password)
            client.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(
            "Le serveur d’envoi a refusé l’identifiant ou le mot de passe SMTP\u00a0: vérifiez-les."
        ) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailError(f"Le serveur d’envoi refuse l’adresse « {to} »\u00a0: vérifiez-la.") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(
            f"Envoi impossible par {smtp.host}:{smtp.port} ({exc.__class__.__name__})\u00a0: "
            "vérifiez les réglages SMTP et que le serveur est joignable."
        ) from exc
