"""One settings object for the app, the CLI, notebooks and tests.

Precedence: environment variables ``ATELIER_*`` > ``.streamlit/secrets.toml`` > the install
settings a trainer saves in the app (« Réglages », ``workbench.install_settings``: translation
provider, SMTP, demo content) > defaults. Secrets never live in the repository;
``.streamlit/secrets.toml.example`` documents them.

``get_settings()`` builds the environment and secrets layers once per process and re-reads the
install settings at most every ``INSTALL_SETTINGS_TTL_S`` seconds (saving them clears the cache
of the process that saved; other processes see the change within that time).
"""

from __future__ import annotations

import math
import os
import secrets
import threading
import time
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TIME_ZONE = "Europe/Paris"
INSTALL_SETTINGS_TTL_S = 30.0


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes", "on", "oui"}


@dataclass(frozen=True)
class SmtpSettings:
    host: str = ""
    port: int = 587
    username: str = ""
    password: str = ""
    security: str = "starttls"  # "starttls", "ssl" or "none"
    sender: str = ""  # required to send: "Atelier CM <veille@mondomaine.fr>"
    timeout_s: float = 20.0
    ca_file: str = ""  # extra certificate authority to trust (a self-hosted server's own certificate)

    @property
    def configured(self) -> bool:
        return bool(self.host)


@dataclass(frozen=True)
class TranslationSettings:
    """Machine translation (``[translation]`` secret, ``ATELIER_TRANSLATION_*`` variables)."""

    provider: str = "google"  # google, deepl, microsoft, mymemory, libre, argos
    provider_url: str = ""  # LibreTranslate: the self-hosted server's URL
    api_key: str = ""
    region: str = ""  # Microsoft Translator: the Azure resource's region
    timeout_s: float = 15.0  # one request
    deadline_s: float = 60.0  # a whole run (a page, a wall, a digest)
    max_chars: int = 0  # characters per request; 0 = the provider's own limit
    concurrency: int = 4  # requests in flight at once
    retries: int = 2  # extra attempts on transient errors (timeouts, 429, 5xx)
    # A self-hosted server on a private network (set by the administrator, never by a page user),
    # without opening feed fetching to private addresses as allow_private_networks would.
    allow_private_url: bool = False


@dataclass(frozen=True)
class FetchSettings:
    connect_timeout_s: float = 5.0
    total_timeout_s: float = 20.0
    # Minimum rate (as curl's --speed-limit/--speed-time): a body arriving slower than this many
    # bytes per second over a whole window is cut then, long before the total deadline.
    min_rate_bytes_s: int = 1024
    min_rate_window_s: float = 5.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    per_host_concurrency: int = 2
    global_concurrency: int = 32
    user_agent: str = "AtelierCM/0.1 (+veille; community-manager training)"
    refresh_interval_minutes: int = 30  # a feed's usual refresh interval (its <ttl>/max-age may lengthen it)


@dataclass(frozen=True)
class Settings:
    database_url: str = ""
    data_dir: Path = PROJECT_ROOT / "data"
    secret_key: str = ""
    allow_private_networks: bool = False
    session_days: int = 14
    public_base_url: str = ""  # empty: see workbench.public_address for the address links use
    demo_content: bool = True
    time_zone: str = DEFAULT_TIME_ZONE  # the times people read (pages, exports, e-mails); storage keeps UTC
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    translation: TranslationSettings = field(default_factory=TranslationSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    oidc_configured: bool = False
    # Reverse proxies in front of the app that each append the caller to X-Forwarded-For: the login
    # throttle then counts per visitor instead of per proxy (0: the connection's own address).
    proxy_hops: int = 0
    # Where the digest's Atom feeds are written, and the address that serves that folder. The
    # default is inside the app's ``static/`` folder, which Streamlit serves at /app/static/
    # (``server.enableStaticServing``); the files are rebuilt from the database when missing.
    digest_feeds_dir: Path = PROJECT_ROOT / "static" / "digest"
    digest_feeds_url: str = ""  # empty: <the public address>/app/static/digest
    # Those of INSTALL_NAMES set by the environment or the secrets file: they win over the app.
    fixed: frozenset[str] = frozenset()

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _read_secrets(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh)


def _convert(default: Any, raw: Any) -> Any:
    """``raw`` (a variable's or a stored string, a TOML value) as the type of ``default``."""
    if isinstance(default, bool):
        return _truthy(raw)
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return str(raw)


def _section(cls: type, env_prefix: str, secret: dict[str, Any]) -> Any:
    """Build a nested settings section from secrets then ``ATELIER_<SECTION>_<FIELD>`` variables."""
    values: dict[str, Any] = {}
    for f in fields(cls):
        raw = os.environ.get(f"{env_prefix}{f.name.upper()}", secret.get(f.name))
        if raw is not None:
            values[f.name] = _convert(f.default, raw)
    return cls(**values)


# What a trainer may set in the app (Réglages, ``workbench.install_settings``): dotted names.
INSTALL_NAMES = frozenset(
    {
        "translation.provider",
        "translation.provider_url",
        "translation.api_key",
        "translation.region",
        "smtp.host",
        "smtp.port",
        "smtp.security",
        "smtp.username",
        "smtp.password",
        "smtp.sender",
        "demo_content",
        "time_zone",
    }
)


def env_name(name: str) -> str:
    """The variable that sets a dotted name: ``smtp.port`` → ``ATELIER_SMTP_PORT``."""
    return "ATELIER_" + name.replace(".", "_").upper()


def _fixed_names(secret: dict[str, Any]) -> frozenset[str]:
    """The install names that the environment or the secrets file set (they win over the app)."""
    fixed = set()
    for name in INSTALL_NAMES:
        section, _, key = name.rpartition(".")
        if env_name(name) in os.environ or key in (secret.get(section, {}) if section else secret):
            fixed.add(name)
    return frozenset(fixed)


def with_install_values(settings: Settings, values: Mapping[str, str]) -> Settings:
    """``settings`` with the values saved in the app, except those the environment or the secrets
    file set; unknown names and malformed values are skipped."""
    top: dict[str, Any] = {}
    sections: dict[str, dict[str, Any]] = {}
    for name, raw in values.items():
        if name not in INSTALL_NAMES or name in settings.fixed:
            continue
        section, _, key = name.rpartition(".")
        holder = getattr(settings, section) if section else settings
        try:
            value = _convert(getattr(holder, key), raw)
        except ValueError:
            continue
        (sections.setdefault(section, {}) if section else top)[key] = value
    for section, changes in sections.items():
        top[section] = replace(getattr(settings, section), **changes)
    return replace(settings, **top) if top else settings


def _secret_key(data_dir: Path, configured: str) -> str:
    """The configured key, else one generated once per installation and kept under data/."""
    if configured:
        return configured
    key_file = data_dir / ".secret_key"
    if key_file.is_file():
        return key_file.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # Written aside, then linked into place only if no other process (a replica starting at the
    # same moment) got there first: every process reads one whole key, the first one written.
    draft = data_dir / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
    draft.write_text(key)
    draft.chmod(0o600)
    try:
        os.link(draft, key_file)
    except FileExistsError:
        key = key_file.read_text().strip()
    finally:
        draft.unlink()
    return key


def load_settings(secrets_path: Path | None = None) -> Settings:
    secret = _read_secrets(secrets_path or PROJECT_ROOT / ".streamlit" / "secrets.toml")
    env = os.environ
    data_dir = Path(env.get("ATELIER_DATA_DIR", secret.get("data_dir", PROJECT_ROOT / "data")))
    db_secret = secret.get("database", {})
    database_url = (
        env.get("ATELIER_DATABASE_URL") or db_secret.get("url") or f"sqlite:///{data_dir / 'atelier.db'}"
    )
    return Settings(
        database_url=database_url,
        data_dir=data_dir,
        secret_key=_secret_key(data_dir, env.get("ATELIER_SECRET_KEY", secret.get("secret_key", ""))),
        allow_private_networks=_truthy(
            env.get("ATELIER_ALLOW_PRIVATE_NETWORKS", secret.get("allow_private_networks", False))
        ),
        session_days=int(env.get("ATELIER_SESSION_DAYS", secret.get("session_days", 14))),
        public_base_url=env.get(
            "ATELIER_PUBLIC_BASE_URL", secret.get("public_base_url", Settings.public_base_url)
        ),
        demo_content=_truthy(env.get("ATELIER_DEMO_CONTENT", secret.get("demo_content", True))),
        time_zone=env.get("ATELIER_TIME_ZONE", secret.get("time_zone", DEFAULT_TIME_ZONE)),
        smtp=_section(SmtpSettings, "ATELIER_SMTP_", secret.get("smtp", {})),
        translation=_section(TranslationSettings, "ATELIER_TRANSLATION_", secret.get("translation", {})),
        fetch=_section(FetchSettings, "ATELIER_FETCH_", secret.get("fetch", {})),
        oidc_configured=bool(
            secret.get("auth", {}).get("client_id") or secret.get("auth", {}).get("providers")
        ),
        proxy_hops=int(env.get("ATELIER_PROXY_HOPS", secret.get("proxy_hops", 0))),
        digest_feeds_dir=Path(
            env.get("ATELIER_DIGEST_FEEDS_DIR", secret.get("digest_feeds_dir", Settings.digest_feeds_dir))
        ),
        digest_feeds_url=env.get("ATELIER_DIGEST_FEEDS_URL", secret.get("digest_feeds_url", "")),
        fixed=_fixed_names(secret),
    )


class _SettingsCache:
    """``get_settings()``: the environment and secrets read once, the install settings (database)
    re-read at most every ``INSTALL_SETTINGS_TTL_S`` seconds; ``cache_clear()`` reads both again."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._base: Settings | None = None
        self._settings: Settings | None = None
        self._read_at = -math.inf

    def cache_clear(self) -> None:
        with self._lock:
            self._base, self._settings, self._read_at = None, None, -math.inf

    def _fresh(self) -> Settings | None:
        settings = self._settings
        return settings if time.monotonic() - self._read_at < INSTALL_SETTINGS_TTL_S else None

    def __call__(self) -> Settings:
        settings = self._fresh()
        if settings is not None:
            return settings
        with self._lock:
            settings = self._fresh()  # another thread may have read them while this one waited
            if settings is not None:
                return settings
            if self._base is None:
                self._base = load_settings()
            from workbench.install_settings import stored_values  # it needs the database module

            self._settings = with_install_values(self._base, stored_values(self._base))
            self._read_at = time.monotonic()
            return self._settings


get_settings = _SettingsCache()


__all__ = [
    "DEFAULT_TIME_ZONE",
    "INSTALL_NAMES",
    "FetchSettings",
    "Settings",
    "SmtpSettings",
    "TranslationSettings",
    "env_name",
    "get_settings",
    "load_settings",
    "replace",
    "with_install_values",
]
