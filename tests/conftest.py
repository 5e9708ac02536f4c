"""Shared fixtures: a fresh database per test on SQLite, and on PostgreSQL when configured.

``ATELIER_TEST_POSTGRES_URL`` (set by ``.ci/run``) names a server where the suite may create
databases; each PostgreSQL test gets a copy of a migrated template database.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from tests.feedserver import feed_server  # noqa: F401 - the local feed server fixture
from workbench import db as wdb
from workbench.settings import get_settings

PG_URL = os.environ.get("ATELIER_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]
_template_ready = False


def pytest_collection_modifyitems(config, items) -> None:
    """Browser journeys last: Playwright's sync API keeps an event loop on the main thread."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def _pg_admin_url() -> str:
    return wdb.normalise_url(PG_URL)


def _pg_database(name: str) -> str:
    base = _pg_admin_url().rsplit("/", 1)[0]
    return f"{base}/{name}"


def _pg_create(name: str, template: str | None = None) -> None:
    engine = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        suffix = f" TEMPLATE {template}" if template else ""
        conn.execute(text(f'CREATE DATABASE "{name}"{suffix}'))
    engine.dispose()


def _pg_drop(name: str) -> None:
    engine = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def _pg_template() -> str:
    global _template_ready
    name = f"atelier_tpl_{os.getpid()}"
    if not _template_ready:
        _pg_drop(name)
        _pg_create(name)
        wdb.upgrade_database(_pg_database(name))
        wdb.dispose_engines()
        wdb._ready.clear()
        _template_ready = True
    return name


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch) -> None:
    """argon2id still, with the smallest cost: the suite hashes hundreds of passwords."""
    from argon2 import PasswordHasher

    from workbench import accounts

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, monkeypatch) -> Iterator[None]:
    """Every test has its own data folder and secret key; nothing leaks between tests."""
    monkeypatch.setenv("ATELIER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ATELIER_SECRET_KEY", "test-secret-key")
    monkeypatch.setenv("ATELIER_DATABASE_URL", f"sqlite:///{tmp_path / 'data' / 'atelier.db'}")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def make_database(backend: str, tmp_path) -> tuple[str, str | None]:
    """A migrated, empty database: (url, postgres database name to drop or None)."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'data' / 'atelier.db'}"
        wdb.upgrade_database(url)
        return url, None
    name = f"atelier_t_{uuid.uuid4().hex[:12]}"
    _pg_create(name, template=_pg_template())
    return wdb.normalise_url(_pg_database(name)), name


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path, monkeypatch) -> Iterator[str]:
    """A fresh migrated database on each backend; the settings point at it."""
    url, pg_name = make_database(request.param, tmp_path)
    monkeypatch.setenv("ATELIER_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    wdb.dispose_engines()
    wdb._factories.clear()
    wdb._ready.discard(url)
    if pg_name:
        _pg_drop(pg_name)


@pytest.fixture
def sqlite_url(tmp_path, monkeypatch) -> Iterator[str]:
    """A fresh migrated SQLite database only (for tests of non-storage logic)."""
    url, _ = make_database("sqlite", tmp_path)
    monkeypatch.setenv("ATELIER_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    wdb.dispose_engines()
    wdb._factories.clear()


class People:
    """A small world: two trainers, each with a cohort and trainees, as Actors."""

    def __init__(self, url: str) -> None:
        from workbench.access import Actor
        from workbench.accounts import create_first_trainer, create_user
        from workbench.cohorts import create_cohort, sign_up_with_code
        from workbench.models import TRAINER

        with wdb.session_scope(url) as s:
            t1 = create_first_trainer(
                s, email="formatrice@example.fr", display_name="Claire Formatrice", password="motdepasse-1"
            )
            t2 = create_user(
                s, email="autre@example.fr", display_name="Paul Autre", password="motdepasse-2", role=TRAINER
            )
            self.trainer, self.other_trainer = Actor.of(t1), Actor.of(t2)
            c1 = create_cohort(s, self.trainer, name="Promo CM 2026")
            c2 = create_cohort(s, self.other_trainer, name="Promo B")
            self.cohort_id, self.other_cohort_id = c1.id, c2.id
            self.code, self.other_code = c1.join_code, c2.join_code
            a = sign_up_with_code(
                s, code=c1.join_code, email="alice@example.fr", display_name="Alice", password="motdepasse-a1"
            )
            b = sign_up_with_code(
                s, code=c1.join_code, email="bob@example.fr", display_name="Bob", password="motdepasse-b1"
            )
            z = sign_up_with_code(
                s, code=c2.join_code, email="zoe@example.fr", display_name="Zoé", password="motdepasse-z1"
            )
            self.alice, self.bob, self.zoe = Actor.of(a), Actor.of(b), Actor.of(z)


@pytest.fixture
def people(db_url) -> People:
    return People(db_url)
