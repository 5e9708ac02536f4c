"""Start-up of a process on a database: migrated when needed, Alembic left unloaded when not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

import workbench.db as wdb

ROOT = Path(__file__).resolve().parent.parent


def test_code_heads_are_what_alembic_stores(db_url) -> None:
    with wdb.get_engine(db_url).connect() as conn:
        stored = set(conn.scalars(text("SELECT version_num FROM alembic_version")))
    assert wdb.code_heads() == stored
    assert "wb0001" not in stored  # a root other branches depend on is not a head


def test_a_database_behind_the_code_goes_through_alembic(db_url, monkeypatch) -> None:
    """One branch's newest migration missing from the version table: Alembic is asked to migrate."""
    head = sorted(wdb.code_heads() or ())[0]
    with wdb.get_engine(db_url).begin() as conn:
        conn.execute(
            text("UPDATE alembic_version SET version_num = 'older' WHERE version_num = :v"), {"v": head}
        )
    upgrades: list[str] = []
    monkeypatch.setattr(wdb, "upgrade_database", upgrades.append)
    wdb._ready.discard(db_url)
    wdb.ensure_database(db_url)
    assert upgrades == [db_url]
    with wdb.get_engine(db_url).begin() as conn:
        conn.execute(
            text("UPDATE alembic_version SET version_num = :v WHERE version_num = 'older'"), {"v": head}
        )
    wdb._ready.discard(db_url)
    wdb.ensure_database(db_url)  # at its heads again: nothing to do
    assert upgrades == [db_url]


def test_a_process_on_an_up_to_date_database_does_not_load_alembic(sqlite_url, tmp_path) -> None:
    check = (
        "import sys, workbench.db as w; w.ensure_database(); "
        "print('alembic' in sys.modules, w._at_heads(w.normalise_url(sys.argv[1])))"
    )
    env = {**os.environ, "ATELIER_DATABASE_URL": sqlite_url, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", check, sqlite_url], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["False", "True"], out.stderr
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    env["ATELIER_DATABASE_URL"] = fresh
    out = subprocess.run([sys.executable, "-c", check, fresh], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["True", "True"], out.stderr  # a new database: Alembic creates it
