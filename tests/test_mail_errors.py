"""What a person reads when the mail server does not take a message: a French sentence saying what
happened and what to do, the server's own reply (often English) only after it, marked as the
server's. Against the real SMTP server on 127.0.0.1, and the system's errors as Python raises them."""

from __future__ import annotations

import errno
import re
import smtplib
import ssl

import pytest

from curation.mail import MailError, check_connection, send_error, send_mail
from tests.smtpserver import smtp_server
from workbench.settings import SmtpSettings

SENDER = "Atelier CM <veille@example.org>"
# English a person must never read outside the server's quoted reply.
ENGLISH = re.compile(r"(?i)connection|reset|peer|closed|unexpectedly|error|mailbox|unavailable|exceeds|refused|"
                     r"rejected|support|address|server|protocol|violation|eof|errno|timed out|b'")  # fmt: skip


def french_part(message: str) -> str:
    """The message without the server's quoted reply."""
    return re.sub(r"Réponse du serveur d’envoi\u00a0: «\u00a0.*?\u00a0»", "", message)


def settle(tmp_path, to: str = "alice@example.fr", **server) -> str:
    with smtp_server(tmp_path, **server) as running:
        cfg = SmtpSettings(host=running.host, port=running.port, security="none", sender=SENDER, timeout_s=5)
        with pytest.raises(MailError) as caught:
            send_mail(cfg, to, "Essai", "Bonjour")
    return str(caught.value)


@pytest.mark.parametrize(
    ("server", "to", "says", "reply"),
    [
        ({"refuse": {"alice@example.fr"}}, "alice@example.fr", "vérifiez-la", "550 5.1.1 Mailbox unavailable"),
        ({"sender_reply": "553 5.7.1 Sender address rejected: not owned by user"}, "alice@example.fr",
         "ATELIER_SMTP_SENDER", "553 5.7.1 Sender address rejected: not owned by user"),
        ({"data_reply": "552 5.3.4 Message size exceeds fixed limit"}, "alice@example.fr",
         "a refusé le message", "552 5.3.4 Message size exceeds fixed limit"),
        ({"data_reply": "451 4.3.0 Temporary failure, try again later"}, "alice@example.fr",
         "réessayez plus tard", "451 4.3.0 Temporary failure, try again later"),
        ({"data_reply": "hang up"}, "alice@example.fr", "a coupé la connexion", None),
        ({"smtputf8": False}, "élodie@exemple.fr", "sans accent", None),
    ],
)  # fmt: skip
def test_a_refused_message_is_told_in_french_with_the_servers_reply_marked(tmp_path, server, to, says, reply):
    message = settle(tmp_path, to, **server)
    assert says in message, message
    assert not ENGLISH.search(french_part(message)), message
    if reply:
        assert message.endswith(f"Réponse du serveur d’envoi\u00a0: «\u00a0{reply}\u00a0»."), message
    else:
        assert "Réponse du serveur" not in message


@pytest.mark.parametrize(
    ("exc", "says"),
    [
        (
            ConnectionResetError(errno.ECONNRESET, "Connection reset by peer"),
            "connexion coupée par le serveur",
        ),
        (ssl.SSLEOFError(8, "EOF occurred in violation of protocol (_ssl.c:2427)"), "connexion chiffrée"),
        (TimeoutError("timed out"), "n’a pas répondu à temps"),
        (OSError(errno.EPIPE, "Broken pipe"), "connexion interrompue"),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), "a coupé la connexion"),
        (smtplib.SMTPException("No recipients accepted"), "réessayez plus tard"),
    ],
)
def test_the_systems_english_reasons_become_french(exc, says):
    message = send_error(exc, "alice@example.fr")
    assert says in message and "alice@example.fr" in message, message
    assert not ENGLISH.search(message), message


@pytest.mark.parametrize(
    ("security", "server_security", "says"),
    [("ssl", "ssl", "certificat"), ("starttls", "starttls", "certificat"), ("ssl", "none", "ne chiffre pas")],
)
def test_a_failed_encrypted_connection_is_told_in_french(tmp_path, security, server_security, says):
    """The TLS library's reason (« CERTIFICATE_VERIFY_FAILED », « WRONG_VERSION_NUMBER ») was shown as
    is; the server's own certificate is not trusted here (no ``ca_file``)."""
    with smtp_server(tmp_path, security=server_security) as running:
        cfg = SmtpSettings(
            host=running.host, port=running.port, security=security, sender=SENDER, timeout_s=5
        )
        with pytest.raises(MailError) as caught:
            check_connection(cfg)
    message = str(caught.value)
    assert "ATELIER_SMTP_SECURITY" in message and says in message, message
    assert not re.search(
        r"(?i)CERTIFICATE_VERIFY|WRONG_VERSION|certificate verify|wrong version|_ssl", message
    ), message
