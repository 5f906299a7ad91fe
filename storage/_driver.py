"""Direct driver calls (asyncpg ``COPY``, aiosqlite statements) that fail like SQLAlchemy's.

The bulk paths talk to the driver under SQLAlchemy's connection, on its transaction, for
what SQLAlchemy cannot express (``COPY``) or only slowly (one thread hop per statement).
Their errors must still reach callers as SQLAlchemy's exceptions (``IntegrityError``…),
exactly as if SQLAlchemy had run the statement.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.ext.asyncio import AsyncConnection

__all__ = ["driver_of", "translated"]


async def driver_of(conn: AsyncConnection) -> Any:
    """The driver's own connection (``asyncpg.Connection``, ``aiosqlite.Connection``)."""
    return (await conn.get_raw_connection()).driver_connection


async def translated(
    conn: AsyncConnection, statement: str, error: Exception
) -> StatementError | None:
    """``error`` from a direct driver call as SQLAlchemy raises it, or ``None`` to keep it.

    The driver's exception goes through the SQLAlchemy adapter's own translation (which also
    forgets the transaction if the connection died) and is wrapped in the matching
    :class:`sqlalchemy.exc.DBAPIError` subclass (``IntegrityError``…); raise the result
    ``from`` its ``orig``. ``None`` means ``error`` is not a database error (a ``ValueError``
    from converting a row…) and is to be raised unchanged.
    """
    raw = await conn.get_raw_connection()
    dbapi = conn.dialect.loaded_dbapi
    try:
        raw.dbapi_connection._handle_exception(error)  # type: ignore[union-attr]
    except Exception as adapted:  # noqa: BLE001 - that is the point: it always raises
        if not isinstance(adapted, dbapi.Error):
            return None
        return DBAPIError.instance(statement, None, adapted, dbapi.Error, dialect=conn.dialect)
    return None  # pragma: no cover - _handle_exception always raises
