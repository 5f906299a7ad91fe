"""Datetimes are aware UTC on the way in and on the way out, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import StatementError
from storage_records import record

from engagement.models import ActionKind, ActionRecord, ActionStatus, Platform
from storage import Database

PARIS_WINTER = timezone(timedelta(hours=1))


async def test_round_trip_returns_aware_utc(database: Database) -> None:
    local = datetime(2026, 11, 20, 10, 30, 15, 123456, tzinfo=PARIS_WINTER)
    item = record(1, at=local)
    await database.ingest([item], None)
    async with database.unit_of_work() as uow:
        stored = await uow.interactions.get(Platform.BLUESKY, item.external_id)
        await uow.actions.begin(
            ActionRecord(
                "k",
                ActionKind.SNOOZED,
                ActionStatus.CONFIRMED,
                "1",
                "A",
                local,
                snooze_until=local + timedelta(hours=3),
            )
        )
        action = await uow.actions.get("k")
    assert stored is not None
    assert action is not None
    for value in (stored.created_at, action.created_at):
        assert value.tzinfo is UTC
        assert value == local
        assert value.hour == 9  # 10:30 in UTC+1 is 09:30 UTC
    assert action.snooze_until == local + timedelta(hours=3)


async def test_repositories_refuse_naive_datetimes(database: Database) -> None:
    naive = datetime(2026, 11, 20, 10, 30)
    async with database.unit_of_work() as uow:
        with pytest.raises(StatementError, match="naive"):
            await uow.actions.begin(
                ActionRecord("k", ActionKind.DONE, ActionStatus.PENDING, "1", "A", naive)
            )
