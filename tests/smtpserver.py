"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the digest tests: plain, STARTTLS or SSL, with
or without authentication; it keeps every message received and can refuse chosen recipients, the
sender or the message (with the reply given), or hang up when the message comes."""

from __future__ import annotations

import subprocess
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.ports import free_port

USERNAME, PASSWORD = "veille@example.org", "mot-de-passe-smtp"


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (the client trusts it through ``ca_file``)."""
    cert, key = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    if not cert.exists():
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
             "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
            check=True, capture_output=True,
        )  # fmt: skip
    return cert, key


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)  # type: ignore[return-value]


@dataclass
class _Handler:
    refuse: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)
    sender_reply: str = ""  # the answer to MAIL FROM instead of 250
    data_reply: str = ""  # the answer to the message instead of 250; "hang up": the connection is cut

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.sender_reply:
            return self.sender_reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply == "hang up":
            server.transport.abort()
            return "421 closing"
        if self.data_reply:
            return self.data_reply
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted"


def _authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (
        auth_data.login.decode() == USERNAME and auth_data.password.decode() == PASSWORD
    )
    return AuthResult(success=ok, handled=False)  # a failure answers 535


@dataclass
class SmtpServer:
    host: str
    port: int
    security: str
    auth: bool
    ca_file: str
    handler: _Handler

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def env(self) -> dict[str, str]:
        """``ATELIER_SMTP_*`` variables pointing the app at this server."""
        values = {
            "ATELIER_SMTP_HOST": self.host,
            "ATELIER_SMTP_PORT": str(self.port),
            "ATELIER_SMTP_SECURITY": self.security,
            "ATELIER_SMTP_SENDER": "Atelier CM <veille@example.org>",
            "ATELIER_SMTP_TIMEOUT_S": "5",
            "ATELIER_SMTP_CA_FILE": self.ca_file,
        }
        if self.auth:
            values |= {"ATELIER_SMTP_USERNAME": USERNAME, "ATELIER_SMTP_PASSWORD": PASSWORD}
        return values


@contextmanager
def smtp_server(
    folder: Path,
    *,
    security: str = "none",
    auth: bool = False,
    refuse: set[str] | None = None,
    sender_reply: str = "",
    data_reply: str = "",
    smtputf8: bool = True,
) -> Iterator[SmtpServer]:
    import ssl

    handler = _Handler(
        refuse={a.lower() for a in refuse or ()}, sender_reply=sender_reply, data_reply=data_reply
    )
    port = free_port()
    kwargs: dict[str, object] = {"enable_SMTPUTF8": smtputf8}  # off: accented addresses are refused
    ca_file = ""
    if security in {"starttls", "ssl"}:
        cert, key = make_certificate(folder)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        ca_file = str(cert)
        if security == "starttls":
            kwargs |= {"tls_context": context, "require_starttls": True}
        else:
            kwargs["ssl_context"] = context
    if auth:
        # Implicit TLS (ssl) is TLS for the whole session, but aiosmtpd only counts STARTTLS as such.
        kwargs |= {
            "authenticator": _authenticator,
            "auth_required": True,
            "auth_require_tls": security == "starttls",
        }
    with warnings.catch_warnings():  # "AUTH without TLS" on the plain test server: intended
        warnings.simplefilter("ignore")
        controller = Controller(
            handler, hostname="127.0.0.1", port=port, server_hostname="localhost", **kwargs
        )
        controller.start()
    try:
        yield SmtpServer("127.0.0.1", port, security, auth, ca_file, handler)
    finally:
        controller.stop()
