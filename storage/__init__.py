"""The only place with SQL: engine, tables, migrations, repositories, unit of work.

Usage::

    db = Database("sqlite+aiosqlite:///./data/engagebot.db")
    await db.upgrade()
    async with db.unit_of_work() as uow:
        result = await uow.ingest(records, cursor)
        await uow.commit()
    await db.dispose()
"""

from storage._database import Database
from storage._ingest import IngestResult
from storage._uow import UnitOfWork

__all__ = ["Database", "IngestResult", "UnitOfWork"]
