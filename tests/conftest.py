"""Fixtures shared by the whole suite: databases on a real SQLite file and a real PostgreSQL.

PostgreSQL tests use ``ENGAGEBOT_TEST_POSTGRES_URL`` (``postgresql+asyncpg://…``). Locally
they are skipped when it is unset or unreachable; in CI (``CI=true``) that is a failure, so a
broken database can never pass silently. Each PostgreSQL test gets its own schema.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import text

from storage import Database

POSTGRES_VARIABLE = "ENGAGEBOT_TEST_POSTGRES_URL"


def in_ci() -> bool:
    """Whether the suite runs in CI (where nothing may be skipped for lack of a service)."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _unavailable(reason: str) -> None:
    if in_ci():
        pytest.fail(f"PostgreSQL is required in CI: {reason}", pytrace=False)
    pytest.skip(reason)


async def _probe(url: str) -> None:
    dsn = url.replace("postgresql+asyncpg://", "postgresql://", 1)
    conn = await asyncpg.connect(dsn, timeout=5)
    await conn.close()


@pytest.fixture(scope="session")
def _postgres_checked() -> str | None:
    """``None`` when PostgreSQL is usable, else why not (checked once per session)."""
    url = os.environ.get(POSTGRES_VARIABLE)
    if not url:
        return f"{POSTGRES_VARIABLE} is not set"
    if not url.startswith("postgresql+asyncpg://"):
        return f"{POSTGRES_VARIABLE} must start with postgresql+asyncpg://"
    try:
        # In a thread: this fixture may be first requested from inside a running loop.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, _probe(url)).result()
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        return f"cannot connect to {POSTGRES_VARIABLE}: {type(exc).__name__}: {exc}"
    return None


@pytest.fixture
def postgres_url(_postgres_checked: str | None) -> str:
    """The test PostgreSQL URL (skip locally, fail in CI, when it is unusable)."""
    if _postgres_checked is not None:
        _unavailable(_postgres_checked)
    return os.environ[POSTGRES_VARIABLE]


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite file URL in a directory that does not exist yet (storage must create it)."""
    return f"sqlite+aiosqlite:///{tmp_path / 'data' / 'engagebot.db'}"


@asynccontextmanager
async def fresh_schema(postgres_url: str) -> AsyncIterator[str]:
    """Create a new, empty PostgreSQL schema; drop it (and all in it) afterwards."""
    name = f"test_{uuid.uuid4().hex[:16]}"
    admin = Database(postgres_url)
    try:
        async with admin.engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{name}"'))
        yield name
    finally:
        async with admin.engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        await admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
async def empty_database(request: pytest.FixtureRequest) -> AsyncIterator[Database]:
    """A database with no schema at all, on SQLite and on PostgreSQL (own schema)."""
    if request.param == "sqlite":
        db = Database(request.getfixturevalue("sqlite_url"))
        try:
            yield db
        finally:
            await db.dispose()
        return
    url: str = request.getfixturevalue("postgres_url")
    async with fresh_schema(url) as schema:
        db = Database(url, schema=schema)
        try:
            yield db
        finally:
            await db.dispose()


@pytest.fixture
async def database(empty_database: Database) -> Database:
    """A migrated database (Alembic head), on SQLite and on PostgreSQL."""
    await empty_database.upgrade()
    return empty_database


@pytest.fixture
async def pg_database(postgres_url: str) -> AsyncIterator[Database]:
    """A migrated PostgreSQL database (own schema), for PostgreSQL-only paths."""
    async with fresh_schema(postgres_url) as schema:
        db = Database(postgres_url, schema=schema)
        try:
            await db.upgrade()
            yield db
        finally:
            await db.dispose()
