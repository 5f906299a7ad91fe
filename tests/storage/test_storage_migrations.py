"""The schema is made by Alembic only, the same on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

import storage._triage_queries  # noqa: F401 - registers interaction_signals on Base.metadata
from storage import Database
from storage._tables import Base

TABLES = {
    "accounts",
    "authors",
    "interactions",
    "cursors",
    "actions",
    "digests",
    "credentials",
    "api_usage",
}


async def test_upgrade_from_empty_builds_every_table(empty_database: Database) -> None:
    assert await empty_database.current_revision() is None
    await empty_database.upgrade()
    assert await empty_database.current_revision() == Database.head_revision()
    async with empty_database.engine.connect() as conn:
        tables = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
        columns = await conn.run_sync(
            lambda c: {col["name"] for col in inspect(c).get_columns("interactions")}
        )
        uniques = await conn.run_sync(lambda c: inspect(c).get_unique_constraints("interactions"))
    assert tables >= TABLES | {"alembic_version"}
    assert {"platform", "kind", "external_id"} <= columns
    assert {"platform", "external_id"} in [set(u["column_names"]) for u in uniques]


async def test_upgrade_twice_is_a_no_op(database: Database) -> None:
    await database.upgrade()
    assert await database.current_revision() == Database.head_revision()


async def test_migrations_match_the_table_definitions(database: Database) -> None:
    def diff(conn: Connection) -> list[object]:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    async with database.engine.connect() as conn:
        assert await conn.run_sync(diff) == []


async def test_plain_sql_can_read_the_tables(database: Database) -> None:
    async with database.engine.connect() as conn:
        result = await conn.execute(
            text("SELECT platform, kind, external_id FROM interactions WHERE platform = 'x'")
        )
        assert result.all() == []


async def test_sqlite_file_is_created_with_wal_foreign_keys_and_large_pages(
    sqlite_url: str,
) -> None:
    path = Path(sqlite_url.removeprefix("sqlite+aiosqlite:///"))
    assert not path.parent.exists()
    db = Database(sqlite_url)
    try:
        await db.upgrade()
        async with db.engine.connect() as conn:
            journal = (await conn.execute(text("PRAGMA journal_mode"))).scalar()
            foreign_keys = (await conn.execute(text("PRAGMA foreign_keys"))).scalar()
            page_size = (await conn.execute(text("PRAGMA page_size"))).scalar()
    finally:
        await db.dispose()
    assert path.is_file()  # noqa: ASYNC240
    assert journal == "wal"
    assert foreign_keys == 1
    assert page_size == 16384


@pytest.mark.parametrize(
    "url", ["sqlite:///x.db", "postgresql://u@h/db", "mysql+aiomysql://u@h/db"]
)
def test_unsupported_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match="unsupported database URL driver"):
        Database(url)
