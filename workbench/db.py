"""The one database engine and session factory, and schema migrations (Alembic) at start.

SQLite (WAL mode, foreign keys on) is the embedded default; ``ATELIER_DATABASE_URL`` switches to
PostgreSQL. Every user action runs in one ``session_scope()``: committed whole or rolled back.
"""

from __future__ import annotations

import ast
import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from workbench.errors import DatabaseUnavailable
from workbench.settings import get_settings

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
log = logging.getLogger("atelier.db")
T = TypeVar("T")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes on every backend (SQLite stores naive values: read back as UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def normalise_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgresql://`` URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


# Prepared statements the SQLite driver keeps per connection (its default: 128). A statement's shape
# varies with its number of rows or ``IN`` values (a feed's multi-row insert, a drain's batch), so
# few are reused, while each large one holds tens of kilobytes: at 128 they held about 7 MB during
# the 500-feed refresh benchmark (docs/PERFORMANCE.md).
SQLITE_CACHED_STATEMENTS = 16

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def get_engine(url: str | None = None) -> Engine:
    """The engine for ``url`` (default: the settings' URL), created once per process."""
    url = normalise_url(url or get_settings().database_url)
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            if url.startswith("sqlite"):
                path = url.split("///", 1)[-1]
                if path and path != ":memory:":
                    Path(path).parent.mkdir(parents=True, exist_ok=True)
                engine = create_engine(
                    url,
                    connect_args={
                        "check_same_thread": False,
                        "timeout": 30,
                        "cached_statements": SQLITE_CACHED_STATEMENTS,
                    },
                )
                event.listen(engine, "connect", _sqlite_pragmas)
            else:
                engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
            _engines[url] = engine
        return engine


def dispose_engines() -> None:
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


_factories: dict[str, sessionmaker[Session]] = {}


def session_factory(url: str | None = None) -> sessionmaker[Session]:
    engine = get_engine(url)
    key = str(engine.url)
    if key not in _factories:
        _factories[key] = sessionmaker(engine, expire_on_commit=False)
    return _factories[key]


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error."""
    session = session_factory(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# SQLite has one writer at a time; a write that waited the whole busy timeout (10 s) for another
# writer's lock is refused with « database is locked », having changed nothing. Under a class's load
# that was 17 % of the self-assessment steps: the whole transaction is then run again.
SQLITE_LOCK_TRIES = 3


def run_transaction(fn: Callable[..., T], *args: Any, url: str | None = None, **kwargs: Any) -> T:
    """``fn(session, *args, **kwargs)`` in one ``session_scope``, run again whole (after its
    rollback) when SQLite refused it for a lock, up to ``SQLITE_LOCK_TRIES`` times in all."""
    tries = 1
    while True:
        try:
            with session_scope(url) as session:
                return fn(session, *args, **kwargs)
        except OperationalError as exc:
            if tries >= SQLITE_LOCK_TRIES or "database is locked" not in str(exc.orig):
                raise
            log.warning("SQLite busy in %s: run again (%d)", getattr(fn, "__name__", fn), tries)
            tries += 1


def alembic_config(url: str | None = None) -> Config:
    from alembic.config import Config  # Alembic is imported only where migrations run (11 MB)

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # One folder per feature area (its own Alembic branch), all upgraded together ("heads").
    areas = sorted(
        p for p in (MIGRATIONS_DIR / "versions").iterdir() if p.is_dir() and p.name != "__pycache__"
    )
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", os.pathsep.join(str(p) for p in areas))
    cfg.attributes["url"] = normalise_url(url or get_settings().database_url)
    return cfg


def upgrade_database(url: str | None = None) -> None:
    """Apply every pending migration (all branches). Safe when several processes start at once."""
    from alembic import command

    cfg = alembic_config(url)
    engine = get_engine(url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_lock(74210001)"))
            try:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "heads")
                conn.commit()
            finally:
                if engine.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_unlock(74210001)"))
                    conn.commit()
    except OperationalError as exc:
        raise DatabaseUnavailable(
            "La base de données est injoignable. Vérifiez l’adresse ATELIER_DATABASE_URL "
            "et que le serveur est démarré, puis rechargez la page."
        ) from exc


_ready: set[str] = set()
_migrating = threading.Lock()


def code_heads() -> set[str] | None:
    """The revisions no other revision builds on (``down_revision`` or ``depends_on``): what
    Alembic's version table holds once every migration is applied. Read from the revision files'
    literal assignments, without importing Alembic or the files; None if a file has another form."""
    revisions: set[str] = set()
    referenced: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*/*.py"):
        values: dict[str, object] = {}
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                target, value = node.target, node.value
            else:
                continue
            if isinstance(target, ast.Name) and target.id in ("revision", "down_revision", "depends_on"):
                try:
                    values[target.id] = ast.literal_eval(value)
                except ValueError:
                    return None
        revision = values.get("revision")
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        for key in ("down_revision", "depends_on"):
            value = values.get(key)
            referenced.update([value] if isinstance(value, str) else value or ())  # type: ignore[arg-type]
    return revisions - referenced


def _at_heads(url: str) -> bool:
    """Whether the database already holds every migration (then Alembic need not even be loaded).
    A wrong answer can only be "no": any revision not applied yet is among the code's heads."""
    heads = code_heads()
    if not heads:
        return False
    try:
        with get_engine(url).connect() as conn:
            stored = set(conn.scalars(text("SELECT version_num FROM alembic_version")))
    except SQLAlchemyError:  # no version table yet: a new database
        return False
    return stored == heads


def ensure_database(url: str | None = None) -> None:
    """Migrate once per process and URL (called by the app, the CLIs and notebooks at start)."""
    key = normalise_url(url or get_settings().database_url)
    if key in _ready:
        return
    with _migrating:  # the app's first run and the server's warm-up may both start it
        if key not in _ready:
            if not _at_heads(key):
                upgrade_database(key)
            _ready.add(key)
