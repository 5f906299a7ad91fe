"""Fast paths for large batches: driver-level statements, no per-row ORM work.

SQLAlchemy's generic ``executemany`` spends most of its time building a parameter dict per
row. Here each column is converted once with the column type's own bind processor (so values
are stored exactly as the ORM would store them) and handed to the driver in bulk:

* SQLite: ``executemany`` of the compiled statement (one C loop in the sqlite3 module). New
  interaction rows are found by id, since SQLite has one writer and ids only grow.
* PostgreSQL: one ``INSERT … SELECT FROM unnest($1::…[], …) ON CONFLICT …`` per chunk (with
  ``RETURNING`` to learn which interactions are new).

Large batches are cut in chunks. On PostgreSQL they are pipelined: a worker thread converts
the next chunk while the server writes the current one, all on the caller's one connection
and transaction.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import JSON, Table
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.dml import Insert

__all__ = ["CHUNK", "driver_processor", "execute_many", "insert_new"]

CHUNK = 10_000
T = TypeVar("T")
Row = Mapping[str, Any]


def _columns(
    table: Table, dialect: Dialect, rows: Sequence[Row], names: Sequence[str]
) -> list[list[Any]]:
    """The rows as one list per column, each value converted for the database."""
    columns: list[list[Any]] = []
    for name in names:
        values = [row[name] for row in rows]
        type_ = table.c[name].type.dialect_impl(dialect)
        if isinstance(type_, JSON):
            values = [None if v is None else _encode_json(v) for v in values]
        else:
            process = type_.bind_processor(dialect)
            if process is not None:
                values = [process(v) for v in values]
        columns.append(values)
    return columns


@lru_cache(maxsize=64)
def _compiled(stmt: Insert, dialect: Dialect, names: tuple[str, ...]) -> str:
    compiled = stmt.compile(dialect=dialect, column_keys=list(names))
    positions = tuple(compiled.positiontup or ())
    if positions != names:  # pragma: no cover - a bound literal crept into the statement
        raise RuntimeError(f"unexpected parameters {positions} for {names}")
    return str(compiled)


@lru_cache(maxsize=64)
def _sqlite_insert_ignore(table: Table, keys: tuple[str, ...]) -> Insert:
    return sqlite.insert(table).on_conflict_do_nothing(index_elements=list(keys))


@lru_cache(maxsize=64)
def _unnest_sql(table: Table, dialect: Dialect, names: tuple[str, ...], conflict: str) -> str:
    """``INSERT INTO table (names) SELECT … FROM unnest($1::…[], …) <conflict>``.

    One statement for a whole chunk: PostgreSQL receives one array per column instead of one
    protocol round per row.
    """
    arrays, selected = [], []
    for position, name in enumerate(names, start=1):
        type_ = table.c[name].type.dialect_impl(dialect)
        if isinstance(type_, JSON):
            arrays.append(f"${position}::text[]")
            selected.append(f'u."{name}"::{type_.compile(dialect)}')
        else:
            arrays.append(f"${position}::{type_.compile(dialect)}[]")
            selected.append(f'u."{name}"')
    column_list = ", ".join(f'"{n}"' for n in names)
    return (
        f"INSERT INTO {table.name} ({column_list}) "
        f"SELECT {', '.join(selected)} FROM unnest({', '.join(arrays)}) AS u({column_list}) "
        f"{conflict}"
    )


def _conflict_clause(sql: str) -> str:
    """The ``ON CONFLICT …`` tail of a compiled ``INSERT … VALUES … ON CONFLICT …``."""
    position = sql.find(" ON CONFLICT ")
    if position < 0:
        raise ValueError("the statement has no ON CONFLICT clause")
    return sql[position + 1 :]


def _arrays(rows: Sequence[tuple[Any, ...]]) -> tuple[list[Any], ...]:
    return tuple(map(list, zip(*rows, strict=True)))


async def _pipelined(
    items: Sequence[T],
    build: Callable[[Sequence[T]], Any],
    run: Callable[[Any], Awaitable[None]],
    *,
    overlap: bool = True,
) -> None:
    """``run(build(chunk))`` for each chunk, building chunk n+1 in a thread while n runs.

    With ``overlap=False`` (SQLite) chunks are built in the event loop's thread: sqlite3
    needs the GIL for every row it binds, so a busy builder thread only slows it down.
    """
    if len(items) <= CHUNK or not overlap:
        for start in range(0, len(items), CHUNK):
            await run(build(items[start : start + CHUNK]))
        return
    loop = asyncio.get_running_loop()
    chunks = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
    upcoming = loop.run_in_executor(None, build, chunks[0])
    for index in range(len(chunks)):
        params = await upcoming
        if index + 1 < len(chunks):
            upcoming = loop.run_in_executor(None, build, chunks[index + 1])
        try:
            await run(params)
        except BaseException:
            if index + 1 < len(chunks):
                await asyncio.wait([upcoming])
            raise


async def execute_many(
    conn: AsyncConnection,
    stmt: Insert,
    table: Table,
    items: Sequence[T],
    to_row: Callable[[T], Row],
) -> None:
    """Run ``stmt`` (an INSERT without RETURNING) once per item, in bulk driver calls."""
    if not items:
        return
    dialect = conn.dialect
    names = tuple(to_row(items[0]).keys())
    sql = _compiled(stmt, dialect, names)
    postgres = dialect.name == "postgresql"
    if postgres:
        sql = _unnest_sql(table, dialect, names, _conflict_clause(sql))

    def build(chunk: Sequence[T]) -> Any:
        columns = _columns(table, dialect, [to_row(item) for item in chunk], names)
        return tuple(columns) if postgres else list(zip(*columns, strict=True))

    async def run(params: Any) -> None:
        await conn.exec_driver_sql(sql, params)

    await _pipelined(items, build, run, overlap=postgres)


async def insert_new(
    conn: AsyncConnection,
    table: Table,
    names: tuple[str, ...],
    items: Sequence[T],
    to_tuple: Callable[[T], tuple[Any, ...]],
    keys: tuple[str, ...],
    key_of: Callable[[T], tuple[Any, ...]],
) -> list[tuple[Any, ...]]:
    """Insert the items whose ``keys`` are not stored yet; return the keys of those inserted.

    Args:
        conn: The unit of work's connection (inside its transaction).
        table: The table; it must have an integer ``id`` primary key (SQLite finds new rows
            by id).
        names: The columns ``to_tuple`` fills, in order.
        items: What to insert.
        to_tuple: Converts one item to driver-ready values (see :func:`driver_processor`).
        keys: The unique key's columns.
        key_of: The values of ``keys`` for one item (as the database returns them).
    """
    if not items:
        return []
    dialect = conn.dialect
    found: list[tuple[Any, ...]] = []

    def build(chunk: Sequence[T]) -> list[tuple[Any, ...]]:
        return [to_tuple(item) for item in chunk]

    if dialect.name == "postgresql":
        sql = _unnest_sql(
            table,
            dialect,
            names,
            f"ON CONFLICT ({', '.join(keys)}) DO NOTHING RETURNING {', '.join(keys)}",
        )

        async def run_pg(rows: list[tuple[Any, ...]]) -> None:
            result = await conn.exec_driver_sql(sql, _arrays(rows))
            found.extend(tuple(row) for row in result)

        await _pipelined(items, build, run_pg)
        return found

    sql = _compiled(_sqlite_insert_ignore(table, keys), dialect, names)

    written = 0

    async def run_sqlite(rows: list[tuple[Any, ...]]) -> None:
        nonlocal written
        result = await conn.exec_driver_sql(sql, rows)
        written += result.rowcount  # executemany: the sum of rows each execution inserted

    before = (await conn.exec_driver_sql(f"SELECT max(id) FROM {table.name}")).scalar()
    await _pipelined(items, build, run_sqlite, overlap=False)
    if written == 0:
        return []
    if written == len(items):
        return [key_of(item) for item in items]
    # Some were new: SQLite has one writer and ids only grow, so they are the rows past
    # the largest id seen before this statement.
    result = await conn.exec_driver_sql(
        f"SELECT {', '.join(keys)} FROM {table.name} WHERE id > ?", (before or 0,)
    )
    return [tuple(row) for row in result]


def driver_processor(table: Table, column: str, dialect: Dialect) -> Callable[[Any], Any]:
    """How a value of ``table.column`` is converted for the driver (JSON as compact text)."""
    type_ = table.c[column].type.dialect_impl(dialect)
    if isinstance(type_, JSON):
        return _encode_json
    process = type_.bind_processor(dialect)
    return process if process is not None else _same


# Payloads come from parsed JSON (no cycles to check); compact UTF-8 text, valid for both the
# SQLite JSON column and PostgreSQL's ``::jsonb`` cast.
_encode_json = json.JSONEncoder(
    check_circular=False, ensure_ascii=False, separators=(",", ":")
).encode


def _same(value: Any) -> Any:
    return value
