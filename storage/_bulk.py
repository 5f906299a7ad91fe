"""Fast paths for large batches: driver-level statements, no per-row ORM work.

SQLAlchemy's generic ``executemany`` spends most of its time building a parameter dict per
row. Here each column is converted once with the column type's own bind processor (so values
are stored exactly as the ORM would store them) and handed to the driver in bulk:

* SQLite: multi-row ``INSERT … VALUES`` statements on the aiosqlite connection (see
  :mod:`storage._bulk_sqlite`). New interaction rows are found by id, since SQLite has one
  writer and ids only grow.
* PostgreSQL: in large batches, rows whose key is not stored yet are streamed in with
  ``COPY`` (see :mod:`storage._bulk_copy`); the others, and small batches, go through one
  ``INSERT … SELECT FROM unnest($1::…[], …) ON CONFLICT …`` per chunk.

Large batches are cut in chunks and pipelined: a worker thread converts the next chunk while
the database writes the current one, all on the caller's one connection and transaction.
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

from storage._bulk_copy import copy_rows, split_stored
from storage._bulk_sqlite import SqliteInsert, sqlite_insert, write_all

__all__ = ["CHUNK", "driver_processor", "execute_many", "insert_new"]

CHUNK = 5_000
COPY_MIN_ROWS = 2_000
"""Smaller PostgreSQL batches skip the key lookup and ``COPY`` (fewer round trips)."""
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
) -> None:
    """``run(build(chunk))`` for each chunk, building chunk n+1 in a thread while n runs."""
    if not items:
        return
    if len(items) <= CHUNK:
        await run(build(items))
        return
    loop = asyncio.get_running_loop()
    parts = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
    upcoming = loop.run_in_executor(None, build, parts[0])
    for index in range(len(parts)):
        params = await upcoming
        if index + 1 < len(parts):
            upcoming = loop.run_in_executor(None, build, parts[index + 1])
        try:
            await run(params)
        except BaseException:
            if index + 1 < len(parts):
                await asyncio.wait([upcoming])
            raise


def _sqlite_chunk(insert: SqliteInsert) -> int:
    """Whole multi-row statements per chunk, about :data:`CHUNK` rows."""
    return insert.per * max(1, CHUNK // insert.per)


async def execute_many(
    conn: AsyncConnection,
    stmt: Insert,
    table: Table,
    items: Sequence[T],
    to_row: Callable[[T], Row],
    keys: tuple[str, ...] | None = None,
) -> None:
    """Run ``stmt`` (an INSERT without RETURNING) once per item, in bulk driver calls.

    Args:
        conn: The unit of work's connection (inside its transaction).
        stmt: The statement.
        table: Its table.
        items: One execution each.
        to_row: The statement's parameters for one item.
        keys: ``stmt``'s ``ON CONFLICT`` target, if it plainly inserts the row when its key
            is free: then, in large PostgreSQL batches, rows whose key is not stored yet are
            copied in and only the others run ``stmt``.
    """
    if not items:
        return
    dialect = conn.dialect
    names = tuple(to_row(items[0]).keys())
    sql = _compiled(stmt, dialect, names)

    def driver_columns(chunk: Sequence[T]) -> tuple[list[Any], ...]:
        return tuple(_columns(table, dialect, [to_row(item) for item in chunk], names))

    def driver_rows(chunk: Sequence[T]) -> list[tuple[Any, ...]]:
        return list(zip(*driver_columns(chunk), strict=True))

    if dialect.name == "postgresql":
        sql = _unnest_sql(table, dialect, names, _conflict_clause(sql))

        async def run(columns: tuple[list[Any], ...]) -> None:
            await conn.exec_driver_sql(sql, columns)

        if keys is not None and len(items) >= COPY_MIN_ROWS:
            fresh, known = await split_stored(conn, table, keys, items, _key_getter(to_row, keys))
            if fresh and await copy_rows(conn, table, names, driver_rows(fresh)):
                items = known
        await _pipelined(items, driver_columns, run)
        return

    insert = sqlite_insert(sql, len(names))
    await write_all(conn, insert, items, driver_rows, _sqlite_chunk(insert))


def _key_getter(
    to_row: Callable[[T], Row], keys: tuple[str, ...]
) -> Callable[[T], tuple[Any, ...]]:
    def key_of(item: T) -> tuple[Any, ...]:
        row = to_row(item)
        return tuple(row[key] for key in keys)

    return key_of


async def insert_new(
    conn: AsyncConnection,
    table: Table,
    names: tuple[str, ...],
    items: Sequence[T],
    to_tuple: Callable[[T], tuple[Any, ...]],
    keys: tuple[str, ...],
    key_of: Callable[[T], tuple[Any, ...]],
) -> list[T]:
    """Insert the items whose ``keys`` are not stored yet; return those, in item order.

    Args:
        conn: The unit of work's connection (inside its transaction).
        table: The table; it must have an integer ``id`` primary key (SQLite finds new rows
            by id).
        names: The columns ``to_tuple`` fills, in order.
        items: What to insert; their keys must be distinct.
        to_tuple: Converts one item to driver-ready values (see :func:`driver_processor`).
        keys: The unique key's columns.
        key_of: The values of ``keys`` for one item (as the database returns them).
    """
    if not items:
        return []
    dialect = conn.dialect

    if dialect.name == "postgresql":
        if len(items) >= COPY_MIN_ROWS:
            items, _ = await split_stored(conn, table, keys, items, key_of)
            if not items or await copy_rows(conn, table, names, map(to_tuple, items)):
                return list(items)
            # Another transaction stored some of these keys meanwhile: skip them as it does.
        sql = _unnest_sql(
            table,
            dialect,
            names,
            f"ON CONFLICT ({', '.join(keys)}) DO NOTHING RETURNING {', '.join(keys)}",
        )
        found: list[tuple[Any, ...]] = []

        def build(chunk: Sequence[T]) -> list[tuple[Any, ...]]:
            return [to_tuple(item) for item in chunk]

        async def run_pg(rows: list[tuple[Any, ...]]) -> None:
            result = await conn.exec_driver_sql(sql, _arrays(rows))
            found.extend(tuple(row) for row in result)

        await _pipelined(items, build, run_pg)
        return _with_keys(items, key_of, found)

    compiled = _compiled(_sqlite_insert_ignore(table, keys), dialect, names)
    insert = sqlite_insert(compiled, len(names))

    def driver_rows(chunk: Sequence[T]) -> list[tuple[Any, ...]]:
        return [to_tuple(item) for item in chunk]

    before = (await conn.exec_driver_sql(f"SELECT max(id) FROM {table.name}")).scalar()
    written = await write_all(conn, insert, items, driver_rows, _sqlite_chunk(insert))
    if written == 0:
        return []
    if written == len(items):
        return list(items)
    # Some were new: SQLite has one writer and ids only grow, so they are the rows past
    # the largest id seen before these statements.
    result = await conn.exec_driver_sql(
        f"SELECT {', '.join(keys)} FROM {table.name} WHERE id > ?", (before or 0,)
    )
    return _with_keys(items, key_of, [tuple(row) for row in result])


def _with_keys(
    items: Sequence[T], key_of: Callable[[T], tuple[Any, ...]], found: Sequence[tuple[Any, ...]]
) -> list[T]:
    """The items whose key is in ``found``, in item order."""
    wanted = set(found)
    return [item for item in items if key_of(item) in wanted]


def driver_processor(table: Table, column: str, dialect: Dialect) -> Callable[[Any], Any]:
    """How a value of ``table.column`` is converted for the driver (JSON as compact text)."""
    type_ = table.c[column].type.dialect_impl(dialect)
    if isinstance(type_, JSON):
        return _encode_json
    process = type_.bind_processor(dialect)
    return process if process is not None else _same


def _json_encoder() -> Callable[[Any], str]:
    """Compact UTF-8 JSON text, valid for the SQLite JSON column and PostgreSQL's jsonb.

    Payloads come from parsed JSON (no cycles to check). ``JSONEncoder.encode`` builds a new
    C encoder for every call; the same one is reused here (same output, a third faster).
    """
    encoder = json.JSONEncoder(check_circular=False, ensure_ascii=False, separators=(",", ":"))
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython always has the C accelerator
        return encoder.encode
    iterencode = make(
        None,  # no cycle markers
        encoder.default,
        json.encoder.encode_basestring,  # ensure_ascii=False
        None,  # no indent
        encoder.key_separator,
        encoder.item_separator,
        encoder.sort_keys,
        encoder.skipkeys,
        encoder.allow_nan,
    )

    def encode(value: Any) -> str:
        return "".join(iterencode(value, 0))

    return encode


_encode_json = _json_encoder()


def _same(value: Any) -> Any:
    return value
