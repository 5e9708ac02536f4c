"""The one way to talk to the mail server: SMTP sessions, their failures in French, one-off mails.

``connect``/``close`` open and end a session (STARTTLS, SSL or plain, login, timeouts) with a
French message for each failure; the digest (``curation.digest.send``) sends its deliveries over
them, and ``send_mail`` sends a single message (monitoring alerts; with ``retried=False``, a
message sent while a person waits, which nothing sends again: an invitation). Settings come from
``get_settings().smtp`` (``ATELIER_SMTP_*`` variables or the ``[smtp]`` secret).
"""

from __future__ import annotations

import errno
import smtplib
import socket
import ssl
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, make_msgid, parseaddr

from curation.sanitize import squeeze
from workbench.db import utcnow
from workbench.errors import UserError
from workbench.settings import SmtpSettings, get_settings


class SmtpNotConfigured(UserError):
    """No SMTP server is configured, or its security setting is unknown (French message)."""


class ConnectionFailed(Exception):
    """The server could not be reached or refused the session (French message)."""


# Each SMTP setting as the server names it (a variable: the command line, cron) and as the
# Réglages page does (a field: a person in the app).
_SETTINGS = {
    "host": ("ATELIER_SMTP_HOST", "Serveur"),
    "port": ("ATELIER_SMTP_PORT", "Port"),
    "security": ("ATELIER_SMTP_SECURITY", "Sécurité"),
    "username": ("ATELIER_SMTP_USERNAME", "Identifiant"),
    "password": ("ATELIER_SMTP_PASSWORD", "Mot de passe"),
    "sender": ("ATELIER_SMTP_SENDER", "Expéditeur"),
}


def _settings(*names: str, in_app: bool) -> str:
    """« ATELIER_SMTP_HOST et ATELIER_SMTP_PORT », or in the app « « Serveur » et « Port » de la page
    « Réglages » (menu Formateur) »: where the person reading the message sets them."""
    words = [f"«\u00a0{_SETTINGS[n][1]}\u00a0»" if in_app else _SETTINGS[n][0] for n in names]
    listed = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} et {words[-1]}"
    return listed + (" de la page «\u00a0Réglages\u00a0» (menu Formateur)" if in_app else "")


def require_smtp(settings: SmtpSettings | None = None, *, in_app: bool = False) -> SmtpSettings:
    """The SMTP settings to use (``get_settings().smtp`` by default), or ``SmtpNotConfigured``
    naming the settings to give (``in_app``: the Réglages page's fields, else the variables)."""
    cfg = settings or get_settings().smtp
    secrets = "" if in_app else " (ou la section [smtp] des secrets)"
    if not cfg.configured:
        raise SmtpNotConfigured(
            "Aucun serveur d’envoi d’e-mails n’est configuré\u00a0: renseignez "
            f"{_settings('host', 'port', 'username', 'password', in_app=in_app)}{secrets}, puis réessayez."
        )
    domain = parseaddr(cfg.sender)[1].rpartition("@")[2].lower()
    if not domain or domain == "localhost" or domain.endswith(".localhost"):
        raise SmtpNotConfigured(
            "Aucune adresse d’expéditeur n’est configurée"
            + (
                f" («\u00a0{cfg.sender}\u00a0» n’est pas une adresse qui peut écrire à vos destinataires)"
                if cfg.sender
                else ""
            )
            + f"\u00a0: renseignez {_settings('sender', in_app=in_app)}, par exemple "
            "«\u00a0Atelier CM <veille@mondomaine.fr>\u00a0»"
            + ("" if in_app else " (ou sender dans la section [smtp] des secrets)")
            + ", puis réessayez."
        )
    if cfg.security not in {"starttls", "ssl", "none"}:
        raise SmtpNotConfigured(
            f"Sécurité SMTP inconnue\u00a0: «\u00a0{cfg.security}\u00a0». Choisissez starttls, ssl ou none "
            f"dans {_settings('security', in_app=in_app)}."
        )
    return cfg


def connect(cfg: SmtpSettings, *, retried: bool = True, in_app: bool = False) -> smtplib.SMTP:
    """An open, logged-in SMTP session, or ``ConnectionFailed`` saying in French what to check
    (``in_app``: the Réglages page's fields, else the variables) and that the job tries again at
    its next run, when ``retried``."""
    where = f"{cfg.host}:{cfg.port}"
    context = ssl.create_default_context(cafile=cfg.ca_file or None)
    smtp: smtplib.SMTP | None = None
    try:
        if cfg.security == "ssl":
            smtp = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout_s, context=context)
        else:
            smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout_s)
            smtp.ehlo()
            if cfg.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
        if cfg.username:
            smtp.login(cfg.username, cfg.password)
        return smtp
    except smtplib.SMTPAuthenticationError as exc:
        close(smtp)
        raise ConnectionFailed(
            f"Envoi impossible via {where}\u00a0: identifiants refusés par le serveur d’envoi\u00a0; "
            f"vérifiez {_settings('username', 'password', in_app=in_app)}."
        ) from exc
    except smtplib.SMTPNotSupportedError as exc:
        close(smtp)
        raise ConnectionFailed(
            f"Envoi impossible via {where}\u00a0: le serveur ne propose pas "
            + (
                "STARTTLS\u00a0; choisissez ssl ou un autre port dans "
                f"{_settings('security', 'port', in_app=in_app)}."
                if cfg.security == "starttls"
                else "l’authentification sur cette connexion\u00a0; choisissez starttls ou ssl dans "
                f"{_settings('security', in_app=in_app)}."
            )
        ) from exc
    except ssl.SSLError as exc:
        close(smtp)
        reason = (
            "certificat du serveur non reconnu"
            if isinstance(exc, ssl.SSLCertVerificationError)
            else "le serveur ne chiffre pas ainsi sur ce port"
        )
        raise ConnectionFailed(
            f"Connexion chiffrée impossible avec {where} ({reason})\u00a0: starttls se fait sur le port 587, "
            f"ssl sur le port 465\u00a0; vérifiez {_settings('security', 'port', in_app=in_app)}, et le "
            "certificat du serveur."
        ) from exc
    except TimeoutError as exc:
        close(smtp)
        raise ConnectionFailed(
            f"Le serveur d’envoi {where} n’a pas répondu à temps\u00a0: "
            + ("nouvel essai au prochain passage." if retried else "réessayez dans quelques minutes.")
        ) from exc
    except (OSError, smtplib.SMTPException) as exc:
        close(smtp)
        raise ConnectionFailed(
            f"Serveur d’envoi injoignable ({where}\u00a0: {_reason(exc)})\u00a0: vérifiez "
            f"{_settings('host', 'port', in_app=in_app)}"
            + ("\u00a0; l’envoi sera retenté au prochain passage." if retried else ".")
        ) from exc


# The system's reasons for a failed connection, which it gives in English.
_REASONS = {
    errno.ECONNREFUSED: "connexion refusée, aucun serveur n’écoute sur ce port",
    errno.ECONNRESET: "connexion coupée par le serveur",
    errno.EHOSTUNREACH: "machine inaccessible",
    errno.ENETUNREACH: "réseau inaccessible",
}


def _reason(exc: OSError | smtplib.SMTPException) -> str:
    if isinstance(exc, socket.gaierror):
        return "nom de serveur inconnu"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "connexion coupée par le serveur"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"réponse {exc.smtp_code} du serveur"
    return _REASONS.get(getattr(exc, "errno", None), "connexion impossible")


def close(smtp: smtplib.SMTP | None) -> None:
    """End the session politely, or drop it if the server is already gone."""
    if smtp is None:
        return
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


_LATER = "réessayez plus tard (une revue de veille est retentée d’elle-même au prochain passage)"
_LATER_BY_HAND = "réessayez plus tard"


def _server_reply(code: int, text: bytes | str) -> str:
    """The server's own words (often English), quoted after the French sentence and named as its."""
    words = text.decode(errors="replace") if isinstance(text, bytes) else text
    return f" Réponse du serveur d’envoi\u00a0: «\u00a0{squeeze(f'{code} {words}')}\u00a0»."


def send_error(exc: Exception, email: str, *, retried: bool = True) -> str:
    """The French message for a message the server did not take: what happened, what to do, then
    the server's reply when it gave one (marked as its own: mail servers answer in English).
    ``retried=False``: a message nothing sends again, so no word of the digest's next run."""
    later = _LATER if retried else _LATER_BY_HAND
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()), (0, b""))
        if 400 <= code < 500:
            return (
                f"Le serveur d’envoi a refusé l’adresse {email} pour l’instant\u00a0: {later}."
                + _server_reply(code, text)
            )
        return f"Le serveur d’envoi a refusé l’adresse {email}\u00a0: vérifiez-la." + _server_reply(
            code, text
        )
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return (
            f"Le serveur d’envoi a refusé l’expéditeur {exc.sender}\u00a0: vérifiez l’expéditeur dans Réglages "
            "ou ATELIER_SMTP_SENDER (une adresse que ce compte a le droit d’utiliser)."
        ) + _server_reply(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPResponseException):
        if 400 <= exc.smtp_code < 500:
            said = f"Le serveur d’envoi a refusé le message pour {email} pour l’instant\u00a0: {later}."
        else:
            said = (
                f"Le serveur d’envoi a refusé le message pour {email}\u00a0: sa réponse ci-après dit "
                "pourquoi\u00a0; si elle ne suffit pas, demandez la raison à l’hébergeur du serveur."
            )
        return said + _server_reply(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return (
            f"Le serveur d’envoi n’accepte pas les adresses accentuées comme {email}\u00a0: donnez une "
            "adresse sans accent, ou choisissez un serveur d’envoi qui les accepte (SMTPUTF8)."
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"Le serveur d’envoi a coupé la connexion pendant l’envoi à {email}\u00a0: {later}."
    if isinstance(exc, ssl.SSLError):
        return (
            f"La connexion chiffrée avec le serveur d’envoi s’est interrompue pendant l’envoi à {email}\u00a0: "
            f"{later}\u00a0; si cela se répète, vérifiez la sécurité choisie (starttls ou ssl) dans Réglages."
        )
    if isinstance(exc, TimeoutError):
        return f"Le serveur d’envoi n’a pas répondu à temps pendant l’envoi à {email}\u00a0: {later}."
    if isinstance(exc, OSError):
        reason = _REASONS.get(exc.errno, "connexion interrompue")
        return f"L’envoi à {email} s’est arrêté ({reason})\u00a0: {later}."
    return f"L’envoi à {email} n’a pas abouti\u00a0: {later}."


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


def send_mail(
    smtp: SmtpSettings,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    *,
    retried: bool = True,
    in_app: bool = False,
) -> None:
    """Send one message or raise ``MailError`` saying what went wrong and what to do, in French
    (``retried=False``: without promising a new try at the next run, for a message nothing retries;
    ``in_app``: naming the Réglages page's fields rather than the server's variables)."""
    try:
        cfg = require_smtp(smtp, in_app=in_app)
        client = connect(cfg, retried=retried, in_app=in_app)
    except (UserError, ConnectionFailed) as exc:
        raise MailError(str(exc)) from exc
    try:
        client.send_message(build_message(cfg, to, subject, text, html))
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(send_error(exc, to, retried=retried)) from exc
    finally:
        close(client)


def check_connection(smtp: SmtpSettings, *, in_app: bool = False) -> str:
    """Open and close a session with ``smtp`` (the Réglages page's test): a French sentence saying
    it works, else ``MailError`` saying what to check (no new try follows a test)."""
    try:
        cfg = require_smtp(smtp, in_app=in_app)
        close(connect(cfg, retried=False, in_app=in_app))
    except (UserError, ConnectionFailed) as exc:
        raise MailError(str(exc)) from exc
    login = f", connecté·e en tant que {cfg.username}" if cfg.username else ""
    return f"Connexion réussie au serveur d’envoi {cfg.host}:{cfg.port} ({cfg.security}{login})."
