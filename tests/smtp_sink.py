"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives; settings point at it."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from tests.ports import free_port


class Sink:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"


@pytest.fixture(name="smtp_sink")
def smtp_sink_fixture(monkeypatch) -> Iterator[Sink]:
    from workbench.settings import get_settings

    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("ATELIER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ATELIER_SMTP_PORT", str(port))
    monkeypatch.setenv("ATELIER_SMTP_SECURITY", "none")
    monkeypatch.setenv("ATELIER_SMTP_SENDER", "Atelier CM <veille@atelier.test>")
    get_settings.cache_clear()
    yield sink
    controller.stop()
    get_settings.cache_clear()
