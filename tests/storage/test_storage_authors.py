"""Authors: one row per identity, counts follow the latest sighting, growth keeps the first."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select
from storage_records import T0, author, record

from storage import Database
from storage._tables import AuthorRow


async def _author_row(db: Database, platform_id: str) -> AuthorRow:
    async with db.engine.connect() as conn:
        row = (
            await conn.execute(
                select(AuthorRow.__table__).where(AuthorRow.platform_id == platform_id)
            )
        ).one()
    return AuthorRow(**row._mapping)


async def test_later_sighting_updates_counts_and_keeps_first_for_growth(database: Database) -> None:
    alice = author(1, followers=100)
    await database.ingest([record(1, who=alice, at=T0)], None)
    grown = replace(alice, followers_count=250, handle="alice.example", display_name="Alice")
    await database.ingest([record(2, who=grown, at=T0 + timedelta(days=1))], None)

    row = await _author_row(database, alice.platform_id)
    assert (row.followers_count, row.first_followers_count) == (250, 100)
    assert (row.handle, row.display_name) == ("alice.example", "Alice")
    assert row.first_seen_at == T0 + timedelta(seconds=2)
    assert row.last_seen_at == T0 + timedelta(days=1, seconds=2)


async def test_older_sighting_and_unknown_counts_do_not_overwrite(database: Database) -> None:
    alice = author(1, followers=500)
    await database.ingest([record(1, who=alice, at=T0 + timedelta(days=2))], None)
    stale = replace(alice, followers_count=10, handle="old.handle")
    await database.ingest([record(2, who=stale, at=T0)], None)  # a backfilled older page
    unknown = replace(alice, followers_count=None, display_name="")
    await database.ingest([record(3, who=unknown, at=T0 + timedelta(days=3))], None)

    row = await _author_row(database, alice.platform_id)
    assert row.followers_count == 500
    assert row.handle == alice.handle
    assert row.display_name == alice.display_name


async def test_one_batch_with_many_versions_of_an_author(database: Database) -> None:
    # PostgreSQL refuses to update one row twice in a statement: the batch is merged first.
    versions = [replace(author(1), followers_count=c) for c in (10, None, 30, 20)]
    batch = [
        record(n, who=who, at=T0 + timedelta(hours=h))
        for n, (who, h) in enumerate(zip(versions, (0, 3, 2, 1), strict=True))
    ]
    result = await database.ingest(batch, None)
    assert result.inserted == 4
    row = await _author_row(database, versions[0].platform_id)
    # Latest sighting (3 h) did not know the count; the latest known one (2 h) says 30.
    assert row.followers_count == 30
    assert row.first_followers_count == 10
    assert row.last_seen_at == T0 + timedelta(hours=3, seconds=2)


async def test_interaction_reads_back_with_its_author_as_last_seen(database: Database) -> None:
    first = record(1, who=author(1, followers=5))
    await database.ingest([first], None)
    await database.ingest([record(2, who=author(1, followers=9), at=T0 + timedelta(days=1))], None)
    async with database.unit_of_work() as uow:
        stored = await uow.interactions.get(first.platform, first.external_id)
    assert stored is not None
    assert stored.author.followers_count == 9
