"""PostgreSQL fast path for new rows: find the stored keys, then ``COPY`` the others in.

``INSERT … ON CONFLICT`` makes the server try every row against the unique index before it
writes it, and sending the rows as arrays costs the client a type check per value. Instead:

1. One query finds which keys of the batch are stored already (an index probe per key).
2. The other rows are streamed with asyncpg's binary ``COPY`` straight into the table: the
   client converts rows while the server writes the previous ones.
3. If another transaction stored one of those keys in between, the ``COPY`` fails with a
   unique violation; it is undone to a savepoint and the caller sends those rows through its
   ``INSERT … ON CONFLICT`` statement instead, so the result is the same either way.

Everything runs on the unit of work's connection, inside its transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import Table
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection

from storage._driver import driver_of, translated

__all__ = ["copy_rows", "split_stored"]

T = TypeVar("T")

_SAVEPOINT = "engagebot_bulk_copy"
_UNIQUE_VIOLATION = "23505"  # SQLSTATE


@lru_cache(maxsize=64)
def _stored_sql(table: Table, dialect: Dialect, keys: tuple[str, ...]) -> str:
    """The batch positions (1-based) whose key is already in ``table``."""
    arrays = ", ".join(
        f"${n}::{table.c[key].type.dialect_impl(dialect).compile(dialect)}[]"
        for n, key in enumerate(keys, start=1)
    )
    names = ", ".join(f'"{key}"' for key in keys)
    matches = " AND ".join(f't."{key}" = k."{key}"' for key in keys)
    return (
        f"SELECT k.position FROM unnest({arrays}) WITH ORDINALITY AS k({names}, position) "
        f"WHERE EXISTS (SELECT 1 FROM {table.name} AS t WHERE {matches})"
    )


async def split_stored(
    conn: AsyncConnection,
    table: Table,
    keys: tuple[str, ...],
    items: Sequence[T],
    key_of: Callable[[T], tuple[Any, ...]],
) -> tuple[list[T], list[T]]:
    """The items whose key is not in ``table`` yet, and the others (each in item order)."""
    columns = tuple(map(list, zip(*map(key_of, items), strict=True)))
    # The statement is prepared and cached per connection: a generic plan made while the
    # table was nearly empty (a seq scan per key) would stay and grow with the table. Plan it
    # for the batch at hand each time, for this statement only.
    previous = (
        await conn.exec_driver_sql(
            "SELECT current_setting('plan_cache_mode'),"
            " set_config('plan_cache_mode', 'force_custom_plan', true)"
        )
    ).scalar()
    result = await conn.exec_driver_sql(_stored_sql(table, conn.dialect, keys), columns)
    stored = set(result.scalars())
    await conn.exec_driver_sql("SELECT set_config('plan_cache_mode', $1, true)", (previous,))
    if not stored:
        return list(items), []
    fresh: list[T] = []
    known: list[T] = []
    for position, item in enumerate(items, start=1):
        (known if position in stored else fresh).append(item)
    return fresh, known


async def copy_rows(
    conn: AsyncConnection,
    table: Table,
    names: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> bool:
    """``COPY`` driver-ready rows into ``table``; ``False`` if one of their keys was taken.

    A unique violation (another transaction stored one of the keys since they were looked
    up) leaves nothing of the ``COPY`` behind: the transaction goes on as before it. Any
    other error is raised as SQLAlchemy raises it.
    """
    driver = await driver_of(conn)
    await conn.exec_driver_sql(f"SAVEPOINT {_SAVEPOINT}")
    try:
        await driver.copy_records_to_table(table.name, records=rows, columns=list(names))
    except Exception as error:
        if getattr(error, "sqlstate", None) != _UNIQUE_VIOLATION:
            statement = f"COPY {table.name} ({', '.join(names)}) FROM STDIN (FORMAT binary)"
            wrapped = await translated(conn, statement, error)
            if wrapped is None:
                raise
            raise wrapped from wrapped.orig
        await conn.exec_driver_sql(f"ROLLBACK TO SAVEPOINT {_SAVEPOINT}")
        await conn.exec_driver_sql(f"RELEASE SAVEPOINT {_SAVEPOINT}")
        return False
    await conn.exec_driver_sql(f"RELEASE SAVEPOINT {_SAVEPOINT}")
    return True
