"""Bulk ingest paths: multi-row statements (SQLite), COPY and its fallback (PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from storage_records import T0, author, cursor, record

import storage._bulk
import storage._bulk_sqlite
from engagement.models import InteractionRecord, Platform, PostRef
from storage import Database
from storage._tables import AuthorRow, InteractionRow


def _varied(n: int) -> InteractionRecord:
    """Records whose optional fields are set or not, on both platforms."""
    base = record(n, who=author(n % 5, followers=None if n % 5 == 0 else 10 + n % 5))
    if n % 3 == 0:
        return replace(
            base,
            kind="like",
            text="",
            language=None,
            root=None,
            parent=None,
            subject=PostRef("at://brand/app.bsky.feed.post/1", None),
            subject_text="le billet d'origine",
        )
    if n % 3 == 1:
        return replace(
            base,
            platform=Platform.X,
            external_id=str(10**18 + n),
            author=author(n % 5, platform=Platform.X),
            cid=None,
            url=None,
            raw={"id": str(10**18 + n), "emoji": "👏", "none": None, "list": [1, 2.5]},
        )
    return base


async def _count(db: Database, table: type[Any]) -> int:
    async with db.engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar() or 0)


@pytest.fixture
def small_statements(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every bulk path with a small batch: COPY on PostgreSQL; on SQLite, three rows per
    multi-row statement and chunks of seven."""
    monkeypatch.setattr(storage._bulk, "COPY_MIN_ROWS", 1)
    monkeypatch.setattr(storage._bulk_sqlite, "ROWS_PER_STATEMENT", 3)
    storage._bulk_sqlite.sqlite_insert.cache_clear()
    monkeypatch.setattr(storage._bulk, "CHUNK", 7)
    yield
    storage._bulk_sqlite.sqlite_insert.cache_clear()


@pytest.mark.usefixtures("small_statements")
async def test_chunked_multi_row_ingest_reads_back_equal(database: Database) -> None:
    batch = [_varied(n) for n in range(23)]
    result = await database.ingest(batch, cursor("c1"))
    assert result.inserted == 23
    assert [r.key for r in result.new_records] == sorted(r.key for r in batch)

    async with database.unit_of_work() as uow:
        for original in batch:
            stored = await uow.interactions.get(original.platform, original.external_id)
            assert stored == original
            assert stored is not None
            assert dict(stored.raw) == dict(original.raw)
    async with database.engine.connect() as conn:
        nulls = (
            await conn.execute(
                text(
                    "SELECT count(*) FROM interactions WHERE language IS NULL AND cid IS NULL"
                    " AND url IS NULL"
                )
            )
        ).scalar()
    assert nulls == sum(r.language is None and r.cid is None and r.url is None for r in batch)
    assert await _count(database, AuthorRow) == len({r.author.key for r in batch})

    again = await database.ingest(batch[5:] + [_varied(n) for n in range(23, 30)], None)
    assert [r.key for r in again.new_records] == sorted(_varied(n).key for n in range(23, 30))
    assert await _count(database, InteractionRow) == 30


@pytest.mark.usefixtures("small_statements")
async def test_refused_row_in_a_multi_row_statement_writes_nothing(database: Database) -> None:
    batch = [record(n, who=author(n)) for n in range(20)]
    batch[9] = record(9, who=author(9), kind="")  # the database refuses an empty kind
    with pytest.raises(IntegrityError, match="kind_not_empty"):
        await database.ingest(batch, cursor("c1"))
    assert await _count(database, InteractionRow) == 0
    assert await _count(database, AuthorRow) == 0


async def test_keys_stored_meanwhile_fall_back_to_on_conflict(
    pg_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = pg_database  # COPY is PostgreSQL's path
    first = [record(n, who=author(n)) for n in range(5)]
    await database.ingest(first, cursor("a"))

    # As if another transaction stored those keys between the lookup and the COPY: the lookup
    # finds nothing, the COPY hits the stored keys and the ON CONFLICT statements take over.
    async def nothing_stored(
        conn: Any, table: Any, keys: Any, items: Any, key_of: Any
    ) -> tuple[list[Any], list[Any]]:
        return list(items), []

    copies: list[bool] = []
    real_copy_rows = storage._bulk.copy_rows

    async def spy_copy_rows(*args: Any) -> bool:
        copies.append(await real_copy_rows(*args))
        return copies[-1]

    monkeypatch.setattr(storage._bulk, "COPY_MIN_ROWS", 1)
    monkeypatch.setattr(storage._bulk, "split_stored", nothing_stored)
    monkeypatch.setattr(storage._bulk, "copy_rows", spy_copy_rows)
    later = T0 + timedelta(days=1)
    second = [
        record(n, who=author(n, followers=1000 + n), at=later + timedelta(minutes=n))
        for n in range(3, 9)
    ]
    result = await database.ingest(second, cursor("b"))

    assert copies == [False, False]  # authors, then interactions
    assert [r.external_id for r in result.new_records] == [r.external_id for r in second[2:]]
    assert (result.inserted, result.duplicates) == (4, 2)
    assert await _count(database, InteractionRow) == 9
    async with database.unit_of_work() as uow:
        stored = await uow.interactions.get(Platform.BLUESKY, first[3].external_id)
    assert stored is not None
    assert replace(stored, author=first[3].author) == first[3]  # stored as it was
    async with database.engine.connect() as conn:
        followers = (
            await conn.execute(
                text("SELECT followers_count FROM authors WHERE platform_id = :id"),
                {"id": author(3).platform_id},
            )
        ).scalar()
    assert followers == 1003  # …and its author got the later sighting


async def test_key_lookup_leaves_the_plan_cache_setting_as_it_was(
    pg_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = pg_database  # plan_cache_mode is PostgreSQL's
    monkeypatch.setattr(storage._bulk, "COPY_MIN_ROWS", 1)
    async with database.unit_of_work() as uow:
        session = uow._session
        await session.execute(text("SET LOCAL plan_cache_mode = force_generic_plan"))
        result = await uow.ingest([record(n) for n in range(12)], cursor("c"))
        setting = (
            await session.execute(text("SELECT current_setting('plan_cache_mode')"))
        ).scalar()
        await uow.commit()
    assert result.inserted == 12
    assert setting == "force_generic_plan"
