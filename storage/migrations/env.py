"""Alembic environment: migrations run on a connection handed over by ``Database.upgrade``."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from storage._tables import Base

target_metadata = Base.metadata


def run_migrations(connection: Connection) -> None:
    """Run the pending migrations on ``connection`` (inside the caller's transaction)."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "run migrations with `engagebot db upgrade` (storage.Database.upgrade), "
        "which hands Alembic an async engine's connection"
    )
run_migrations(connection)
