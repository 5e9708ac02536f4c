"""Install settings a trainer saves in the app (« Réglages »): translation provider, SMTP, demo,
time zone.

A layer under the environment and the secrets file (``workbench.settings`` reads it through
``stored_values``): a name set by an ``ATELIER_*`` variable or in ``secrets.toml`` wins and the page
shows it as set by the server. API keys and passwords are stored encrypted with Fernet, under a
key derived from the install's secret key (``ATELIER_SECRET_KEY``, else ``data/.secret_key``), and
are never given back to a page: only whether one is saved.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import String, Text, event, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, Session, mapped_column

from workbench.access import Actor, require_trainer
from workbench.db import Base, UTCDateTime, get_engine, utcnow
from workbench.errors import UserError
from workbench.localtime import check_zone
from workbench.settings import INSTALL_NAMES, Settings, get_settings

if TYPE_CHECKING:
    from cryptography.fernet import Fernet

log = logging.getLogger("atelier.settings")

# Encrypted at rest, never given back to a page.
SECRET_NAMES = frozenset({"translation.api_key", "smtp.password"})


class InstallSetting(Base):
    __tablename__ = "install_settings"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")  # Fernet token for the secret names
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


def _fernet(secret_key: str) -> Fernet:
    # cryptography (about 7 MB resident) is loaded where a secret is read or written only: every
    # process reads the settings, a refresh process (without saved secrets) never needs it.
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"atelier-cm install settings").derive(
        secret_key.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(key))


def stored_values(settings: Settings) -> dict[str, str]:
    """The saved values, secrets decrypted (for ``get_settings`` only). Empty when the database is
    not reachable or not migrated yet; a secret saved under another secret key is skipped."""
    try:
        with get_engine(settings.database_url).connect() as conn:
            rows = conn.execute(select(InstallSetting.name, InstallSetting.value)).all()
    except SQLAlchemyError:
        return {}
    values = {name: value for name, value in rows if name not in SECRET_NAMES}
    secrets = [(name, value) for name, value in rows if name in SECRET_NAMES]
    if secrets:
        from cryptography.fernet import InvalidToken

        fernet = _fernet(settings.secret_key)
        for name, value in secrets:
            try:
                values[name] = fernet.decrypt(value.encode("ascii")).decode("utf-8")
            except (InvalidToken, ValueError):
                log.warning("install setting %s cannot be decrypted (the secret key changed?)", name)
    return values


@dataclass(frozen=True)
class SavedSettings:
    """What the Réglages page may show: plain values, and for secrets only whether one is saved."""

    values: dict[str, str]
    secrets_saved: frozenset[str]
    fixed: frozenset[str]  # set by the environment or the secrets file: shown, not editable


def saved_settings(session: Session, actor: Actor) -> SavedSettings:
    require_trainer(actor)
    rows = session.execute(select(InstallSetting.name, InstallSetting.value)).all()
    return SavedSettings(
        values={name: value for name, value in rows if name not in SECRET_NAMES},
        secrets_saved=frozenset(name for name, value in rows if name in SECRET_NAMES and value),
        fixed=get_settings().fixed,
    )


def save_settings(session: Session, actor: Actor, values: dict[str, str | None]) -> list[str]:
    """Save these names (a trainer only); returns them. For a secret name, ``""`` keeps the saved
    one and ``None`` forgets it; a plain name set to ``None`` goes back to the default."""
    require_trainer(actor)
    unknown = set(values) - INSTALL_NAMES
    if unknown:
        raise UserError(f"Réglage inconnu\u00a0: {', '.join(sorted(unknown))}.")
    fernet = _fernet(get_settings().secret_key)
    for name, value in values.items():
        row = session.get(InstallSetting, name)
        if value is None:
            if row is not None:
                session.delete(row)
            continue
        if name == "time_zone":
            check_zone(value)
        if name in SECRET_NAMES:
            if not value:
                continue
            value = fernet.encrypt(value.encode("utf-8")).decode("ascii")
        if row is None:
            session.add(InstallSetting(name=name, value=value))
        else:
            row.value = value
    session.flush()
    # This process reads the new values once they are committed (others within the cache's TTL).
    event.listen(session, "after_commit", lambda _session: get_settings.cache_clear(), once=True)
    return sorted(values)
