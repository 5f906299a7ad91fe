"""Ingest: idempotent, atomic with its cursor, batched."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from storage_records import BRAND, T0, author, cursor, record

import storage._bulk
import storage._ingest
from engagement.models import Platform
from storage import Database
from storage._tables import AuthorRow, CursorRow, InteractionRow


async def _counts(db: Database) -> tuple[int, int, int]:
    async with db.engine.connect() as conn:
        interactions = (
            await conn.execute(select(func.count()).select_from(InteractionRow))
        ).scalar()
        authors = (await conn.execute(select(func.count()).select_from(AuthorRow))).scalar()
        cursors = (await conn.execute(select(func.count()).select_from(CursorRow))).scalar()
    return int(interactions or 0), int(authors or 0), int(cursors or 0)


async def _dump(db: Database) -> list[Sequence[Any]]:
    async with db.engine.connect() as conn:
        rows: list[Sequence[Any]] = []
        for table in ("interactions", "authors", "cursors"):
            result = await conn.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2"))
            rows.extend(tuple(row) for row in result)
    return rows


async def test_same_batch_twice_changes_nothing(database: Database) -> None:
    batch = [record(n) for n in range(30)]
    first = await database.ingest(batch, cursor("c1"))
    assert (first.inserted, first.duplicates) == (30, 0)
    assert [r.external_id for r in first.new_records] == sorted(r.external_id for r in batch)
    before = await _dump(database)

    again = await database.ingest(batch, cursor("c1"))

    assert (again.inserted, again.duplicates, again.new_records) == (0, 30, ())
    assert await _dump(database) == before
    assert await _counts(database) == (30, 7, 1)


async def test_stored_records_read_back_equal(database: Database) -> None:
    batch = [record(n) for n in range(5)]
    await database.ingest(batch, None)
    async with database.unit_of_work() as uow:
        for original in batch:
            stored = await uow.interactions.get(Platform.BLUESKY, original.external_id)
            assert stored == original
            assert stored is not None
            assert dict(stored.raw) == dict(original.raw)
        assert await uow.interactions.external_ids(Platform.BLUESKY) == {
            r.external_id for r in batch
        }
        assert await uow.interactions.get(Platform.X, batch[0].external_id) is None


async def test_overlapping_batches_report_only_new_records(database: Database) -> None:
    await database.ingest([record(n) for n in range(10)], cursor("a"))
    result = await database.ingest([record(n) for n in range(5, 15)], cursor("b"))
    assert result.inserted == 5
    assert {r.external_id for r in result.new_records} == {
        record(n).external_id for n in range(10, 15)
    }
    async with database.unit_of_work() as uow:
        stored = await uow.cursors.get(Platform.BLUESKY, BRAND, "notifications")
    assert stored is not None
    assert stored.value == "b"


async def test_repeated_keys_in_one_batch_keep_the_first(database: Database) -> None:
    first = record(1)
    clash = record(2, external_id=first.external_id)
    result = await database.ingest([first, clash, first], None)
    assert (result.inserted, result.duplicates) == (1, 2)
    async with database.unit_of_work() as uow:
        stored = await uow.interactions.get(Platform.BLUESKY, first.external_id)
    assert stored is not None
    assert stored.text == first.text


async def test_same_id_on_two_platforms_is_two_interactions(database: Database) -> None:
    x_record = record(1, platform=Platform.X, external_id="12345")
    bsky_record = record(1, platform=Platform.BLUESKY, external_id="12345")
    result = await database.ingest([x_record, bsky_record], None)
    assert result.inserted == 2


async def test_empty_batch_still_moves_the_cursor(database: Database) -> None:
    result = await database.ingest([], cursor("empty-page"))
    assert (result.inserted, result.duplicates) == (0, 0)
    assert await _counts(database) == (0, 0, 1)


async def test_constraint_violation_late_in_batch_writes_nothing(database: Database) -> None:
    await database.ingest([record(0)], cursor("before"))
    before = await _dump(database)
    # The last record is invalid (empty id): the database refuses it after the others and the
    # authors were already written in the same transaction.
    batch = [record(n, who=author(100 + n)) for n in range(1, 20)] + [record(99, external_id="")]
    async with database.unit_of_work() as uow:
        with pytest.raises(IntegrityError):
            await uow.ingest(batch, cursor("after"))
        await uow.commit()  # even a careless commit after the failure must write nothing
    assert await _dump(database) == before


async def test_cursor_failure_after_the_rows_writes_nothing(database: Database) -> None:
    before = await _dump(database)
    async with database.unit_of_work() as uow:
        with pytest.raises(IntegrityError):
            await uow.ingest([record(n) for n in range(10)], cursor("x", stream=""))
    assert await _dump(database) == before == []


async def test_fault_between_statements_rolls_everything_back(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real_insert_new = storage._ingest.insert_new

    async def insert_then_crash(*args: Any, **kwargs: Any) -> Any:
        found = await real_insert_new(*args, **kwargs)
        calls.append(len(found))
        raise ConnectionResetError("connection lost between two statements")

    monkeypatch.setattr(storage._ingest, "insert_new", insert_then_crash)
    with pytest.raises(ConnectionResetError):
        await database.ingest([record(n) for n in range(10)], cursor("c"))
    assert calls == [10]  # the rows were written inside the transaction…
    assert await _counts(database) == (0, 0, 0)  # …and are gone with it


async def test_chunked_batches_are_atomic_too(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage._bulk, "CHUNK", 7)
    batch = [record(n, who=author(n)) for n in range(40)]
    result = await database.ingest(batch, cursor("c1"))
    assert result.inserted == 40
    assert await _counts(database) == (40, 40, 1)
    assert (await database.ingest(batch, cursor("c1"))).inserted == 0

    # A record the database refuses (empty kind) in the middle chunk: batches are written in
    # key order, so "c010" is the 11th of 20 rows, in the second chunk of three.
    bad = [record(100 + n, external_id=f"c{n:03d}") for n in range(20)]
    bad[10] = record(110, external_id="c010", kind="")
    with pytest.raises(IntegrityError, match="kind_not_empty"):
        await database.ingest(bad, cursor("c2"))
    assert await _counts(database) == (40, 40, 1)


async def test_naive_datetimes_are_refused(database: Database) -> None:
    naive = record(1, at=T0.replace(tzinfo=None))
    with pytest.raises(ValueError, match="naive"):
        await database.ingest([naive], None)
    assert await _counts(database) == (0, 0, 0)
