"""SQLite bulk statements: multi-row ``INSERT … VALUES`` run straight on aiosqlite.

sqlite3's ``executemany`` takes Python's GIL back after every row it writes, so any other
Python work (converting the next rows in a worker thread) stalls it. One statement of
thousands of rows holds the GIL only while its values are bound and lets it go while SQLite
writes them all, so the next rows are converted meanwhile. Statements are queued on the
aiosqlite connection as soon as they are built: SQLite runs them back to back, without a
round through the event loop or SQLAlchemy's per-statement work in between. Errors still
reach callers as SQLAlchemy's (see :mod:`storage._driver`).

Only whole statements of :data:`ROWS_PER_STATEMENT` rows are multi-row (the rest of a batch
goes through ``executemany``), so each connection compiles and caches one such statement
per table (a few MB for interactions) rather than one per batch size.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import chain
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from storage._driver import driver_of, translated

__all__ = ["SqliteInsert", "sqlite_insert", "write_all"]

ROWS_PER_STATEMENT = 5_000
"""Most rows in one statement (fewer if the library allows fewer ``?``)."""

Statement = tuple[str, Sequence[Any], bool]  # SQL, parameters, executemany?
T = TypeVar("T")

_AHEAD = 2
"""Statements queued on the connection beyond the one it runs."""


@cache
def _max_variables() -> int:
    """How many ``?`` one statement may hold (the library's compile-time limit)."""
    probe = sqlite3.connect(":memory:")
    try:
        return probe.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    finally:
        probe.close()


@dataclass(frozen=True, slots=True)
class SqliteInsert:
    """One ``INSERT … VALUES … [ON CONFLICT …]`` as a one-row and a multi-row statement.

    Attributes:
        one: The statement for one row (run with ``executemany`` for a few rows).
        many: The statement for ``per`` rows at once.
        per: Rows in ``many``.
    """

    one: str
    many: str
    per: int

    def statements(self, rows: Sequence[tuple[Any, ...]]) -> list[Statement]:
        """The statements that write ``rows``, in order: full multi-row ones, then the rest."""
        per = self.per
        full = len(rows) - len(rows) % per
        result: list[Statement] = [
            (self.many, list(chain.from_iterable(rows[start : start + per])), False)
            for start in range(0, full, per)
        ]
        if full < len(rows):
            result.append((self.one, rows[full:], True))
        return result


@lru_cache(maxsize=64)
def sqlite_insert(sql: str, columns: int) -> SqliteInsert:
    """The multi-row form of a compiled one-row ``INSERT … VALUES (?, …) …``.

    Args:
        sql: The compiled one-row statement.
        columns: Its number of ``?``.
    """
    position = sql.find(" VALUES (")
    end = sql.find(")", position) if position >= 0 else -1
    if end < 0 or sql[position + len(" VALUES ") : end + 1].count("?") != columns:
        raise ValueError(f"not a one-row INSERT … VALUES of {columns} values: {sql[:80]}")
    head, tail = sql[:position], sql[end + 1 :]
    row = "(" + ", ".join("?" * columns) + ")"
    per = max(1, min(ROWS_PER_STATEMENT, _max_variables() // columns))
    return SqliteInsert(
        one=f"{head} VALUES {row}{tail}",
        many=f"{head} VALUES {', '.join([row] * per)}{tail}",
        per=per,
    )


async def write_all(
    conn: AsyncConnection,
    insert: SqliteInsert,
    items: Sequence[T],
    to_rows: Callable[[Sequence[T]], Sequence[tuple[Any, ...]]],
    chunk: int,
) -> int:
    """Write ``items`` with ``insert``; return how many rows the statements changed.

    Chunks of ``chunk`` items are converted in a worker thread and each statement is queued on
    the aiosqlite connection as soon as it is ready (a few ahead at most), so SQLite goes from
    one statement to the next without waiting for the event loop. If a statement fails, the
    ones queued after it still run (the caller's transaction is rolled back anyway) and the
    first error is raised as SQLAlchemy raises it.
    """
    driver = await driver_of(conn)
    loop = asyncio.get_running_loop()
    queued: deque[tuple[str, asyncio.Future[Any]]] = deque()
    changed = 0
    failure: tuple[str, Exception] | None = None

    def build(part: Sequence[T]) -> list[Statement]:
        return insert.statements(to_rows(part))

    async def settle() -> None:
        nonlocal changed, failure
        sql, pending = queued.popleft()
        try:
            changed += (await pending).rowcount
        except Exception as error:  # noqa: BLE001 - kept, raised once all have settled
            failure = failure or (sql, error)

    try:
        for start in range(0, len(items), chunk):
            part = items[start : start + chunk]
            statements = (
                build(part)
                if len(items) <= chunk
                else await loop.run_in_executor(None, build, part)
            )
            for sql, params, many in statements:
                call = driver.executemany(sql, params) if many else driver.execute(sql, params)
                queued.append((sql, asyncio.ensure_future(call)))
            while len(queued) > _AHEAD or (queued and failure is not None):
                await settle()
            if failure is not None:
                break
    finally:
        while queued:
            await settle()
    if failure is not None:
        sql, error = failure
        wrapped = await translated(conn, sql, error)
        if wrapped is None:
            raise error
        raise wrapped from wrapped.orig
    return changed
