"""Alembic environment: one metadata for every package, one version folder per feature area."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import workbench.models  # noqa: F401  (registers tables for autogenerate)
from workbench.db import Base
from workbench.schema import import_all_models, include_object

import_all_models()
config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.attributes.get("url") or config.get_main_option("sqlalchemy.url"))
    with engine.connect() as conn:
        context.configure(
            connection=conn,
            target_metadata=target_metadata,
            render_as_batch=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()


run()
