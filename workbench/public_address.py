"""The install's public address, the start of every link it writes (shared boards, e-mails, Atom feeds).

The rule:

1. ``ATELIER_PUBLIC_BASE_URL`` (or ``public_base_url`` in the secrets file) when set;
2. else the address a trainer last opened the app at, which ``app.py`` records here so that the
   command line and cron (no browser, no request) write the same links. Only a trainer's visit
   counts (a trainee or a stranger could send any address), and a loopback address (``localhost``,
   an SSH tunnel) never replaces a public one;
3. else ``http://localhost:8501`` (a fresh local install).
"""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from workbench.access import Actor, require_trainer
from workbench.db import Base, UTCDateTime, utcnow
from workbench.settings import get_settings

LOCAL_ADDRESS = "http://localhost:8501"
_ROW_ID = 1  # one row: the install's address
_PATH = re.compile(r"[A-Za-z0-9._~!$&'()*+,;=:@%/-]*")


class PublicAddress(Base):
    """The address a trainer last opened the app at (used when no address is configured)."""

    __tablename__ = "public_address"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


def base_url_of(url: str) -> str | None:
    """``scheme://host[:port][/prefix]`` without query, fragment or trailing slash; None unless a plain
    http(s) address (no user or password, a valid port, a path of plain URL characters)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if "@" in parts.netloc or not _PATH.fullmatch(parts.path) or len(url) > 500:
        return None
    host = parts.hostname.lower()
    netloc = (f"[{host}]" if ":" in host else host) + (f":{port}" if port is not None else "")
    return urlunsplit((parts.scheme.lower(), netloc, parts.path.rstrip("/"), "", ""))


def is_public_base(base_url: str) -> bool:
    """Whether a base URL can be reached from elsewhere: not ``localhost``, a loopback or an
    unspecified address (a picture there would not show in a recipient's mailbox, for instance)."""
    host = urlsplit(base_url).hostname or ""
    if host in ("", "localhost") or host.endswith(".localhost"):
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True
    return not (address.is_loopback or address.is_unspecified)


def public_base_url(session: Session) -> str:
    """The address links start with (see the rule above), without a trailing slash."""
    configured = get_settings().public_base_url
    if configured:
        return configured.rstrip("/")
    row = session.get(PublicAddress, _ROW_ID)
    return row.url if row else LOCAL_ADDRESS


def remember_public_address(session: Session, actor: Actor, url: str) -> bool:
    """Record the address a trainer opened the app at; True when it is now the install's address."""
    require_trainer(actor)
    base = base_url_of(url)
    if base is None:
        return False
    row = session.get(PublicAddress, _ROW_ID)
    if row is None:
        session.add(PublicAddress(id=_ROW_ID, url=base))
        return True
    if row.url == base:
        return True
    if is_public_base(row.url) and not is_public_base(base):
        return False
    row.url = base
    return True


__all__ = [
    "LOCAL_ADDRESS",
    "PublicAddress",
    "base_url_of",
    "is_public_base",
    "public_base_url",
    "remember_public_address",
]
