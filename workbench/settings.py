"""One settings object for the app, the CLI, notebooks and tests.

Precedence: environment variables ``ATELIER_*`` > ``.streamlit/secrets.toml`` > defaults.
Secrets never live in the repository; ``.streamlit/secrets.toml.example`` documents them.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


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

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _read_secrets(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh)


def _section(cls: type, env_prefix: str, secret: dict[str, Any]) -> Any:
    """Build a nested settings section from secrets then ``ATELIER_<SECTION>_<FIELD>`` variables."""
    values: dict[str, Any] = {}
    for f in fields(cls):
        raw = os.environ.get(f"{env_prefix}{f.name.upper()}", secret.get(f.name))
        if raw is None:
            continue
        default = f.default
        if isinstance(default, bool):
            values[f.name] = _truthy(raw)
        elif isinstance(default, int):
            values[f.name] = int(raw)
        elif isinstance(default, float):
            values[f.name] = float(raw)
        else:
            values[f.name] = str(raw)
    return cls(**values)


def _secret_key(data_dir: Path, configured: str) -> str:
    """The configured key, else one generated once per installation and kept under data/."""
    if configured:
        return configured
    key_file = data_dir / ".secret_key"
    if key_file.is_file():
        return key_file.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
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
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached; tests call ``get_settings.cache_clear()``)."""
    return load_settings()


__all__ = [
    "FetchSettings",
    "Settings",
    "SmtpSettings",
    "TranslationSettings",
    "get_settings",
    "load_settings",
    "replace",
]
