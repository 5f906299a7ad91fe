"""The database handle: one async engine, one session factory, migrations, units of work."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from engagement.models import Cursor, InteractionRecord
from storage._ingest import IngestResult
from storage._uow import UnitOfWork

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SUPPORTED_DRIVERS = ("sqlite+aiosqlite", "postgresql+asyncpg")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        # Only takes effect on a new, empty file; larger pages make bulk index inserts and
        # checkpoints cheaper (measured with `engagebot bench ingest`).
        cursor.execute("PRAGMA page_size=16384")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA cache_size=-65536")  # KiB: 64 MiB, keeps bulk index inserts fast
    finally:
        cursor.close()


class Database:
    """An async database: SQLite (file, WAL, foreign keys on) or PostgreSQL (asyncpg).

    Args:
        url: ``sqlite+aiosqlite:///path/to.db`` or ``postgresql+asyncpg://user@host/db``.
        schema: PostgreSQL only: the schema to use (``search_path``), e.g. for isolated tests.
        echo: Log every SQL statement.

    Raises:
        ValueError: The URL is not one of the supported async drivers.
    """

    def __init__(self, url: str, *, schema: str | None = None, echo: bool = False) -> None:
        parsed = make_url(url)
        if parsed.drivername not in SUPPORTED_DRIVERS:
            raise ValueError(
                f"unsupported database URL driver {parsed.drivername!r}: "
                f"use one of {', '.join(SUPPORTED_DRIVERS)}"
            )
        connect_args: dict[str, Any] = {}
        if parsed.drivername.startswith("sqlite"):
            if schema is not None:
                raise ValueError("schema= is only supported on PostgreSQL")
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        elif schema is not None:
            connect_args["server_settings"] = {"search_path": schema}
        self._url = parsed
        self.engine: AsyncEngine = create_async_engine(
            parsed, echo=echo, connect_args=connect_args, pool_pre_ping=True
        )
        if self.backend == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._url.get_backend_name()

    @property
    def url(self) -> str:
        """The URL with any password hidden (safe to log)."""
        return self._url.render_as_string(hide_password=True)

    async def upgrade(self, revision: str = "head") -> None:
        """Apply the Alembic migrations up to ``revision`` (the only way the schema is made)."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))

        def run(connection: Connection) -> None:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

        async with self.engine.begin() as conn:
            await conn.run_sync(run)

    @staticmethod
    def head_revision() -> str:
        """The newest migration's revision (what :meth:`upgrade` brings a database to)."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        head = ScriptDirectory.from_config(config).get_current_head()
        if head is None:  # pragma: no cover - the package always ships migrations
            raise RuntimeError("no migrations found")
        return head

    async def current_revision(self) -> str | None:
        """The Alembic revision the schema is at, or ``None`` for an empty database."""

        def read(connection: Connection) -> str | None:
            return MigrationContext.configure(connection).get_current_revision()

        async with self.engine.connect() as conn:
            return await conn.run_sync(read)

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[UnitOfWork]:
        """A unit of work; everything not committed when the block ends is rolled back."""
        async with self._sessions() as session:
            yield UnitOfWork(session)

    async def ingest(
        self, records: Sequence[InteractionRecord], cursor: Cursor | None
    ) -> IngestResult:
        """Ingest one batch in its own unit of work and commit it."""
        async with self.unit_of_work() as uow:
            result = await uow.ingest(records, cursor)
            await uow.commit()
            return result

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()
