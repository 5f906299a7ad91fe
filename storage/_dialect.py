"""Dialect-specific ``INSERT … ON CONFLICT`` for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["Insert", "dialect_name", "insert_ignore", "insert_stmt", "upsert"]

Insert = sqlite.Insert | postgresql.Insert


def dialect_name(session: AsyncSession) -> str:
    """The name of the dialect the session is bound to (``sqlite`` or ``postgresql``)."""
    bind = session.get_bind()
    return bind.dialect.name


def insert_stmt(dialect: str, table: Table) -> Insert:
    """A plain dialect-specific ``INSERT`` (which has ``on_conflict_…`` and ``excluded``)."""
    if dialect == "sqlite":
        return sqlite.insert(table)
    if dialect == "postgresql":
        return postgresql.insert(table)
    raise ValueError(f"unsupported database dialect {dialect!r}")


def insert_ignore(dialect: str, table: Table, keys: Sequence[str]) -> Insert:
    """``INSERT … ON CONFLICT (keys) DO NOTHING``."""
    return insert_stmt(dialect, table).on_conflict_do_nothing(index_elements=list(keys))


def upsert(
    dialect: str,
    table: Table,
    keys: Sequence[str],
    update: Mapping[str, Any] | None = None,
) -> Insert:
    """``INSERT … ON CONFLICT (keys) DO UPDATE``.

    Args:
        dialect: ``sqlite`` or ``postgresql``.
        table: The table.
        keys: The conflict target (a primary key or unique constraint's columns).
        update: Column -> new value expressions; by default every non-key column takes the
            incoming (``excluded``) value.
    """
    stmt = insert_stmt(dialect, table)
    if update is None:
        update = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys}
    return stmt.on_conflict_do_update(index_elements=list(keys), set_=dict(update))
