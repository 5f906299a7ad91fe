"""Repositories return domain objects; a unit of work writes nothing unless committed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from storage_records import BRAND, T0, cursor, record

from engagement.models import (
    Account,
    ActionKind,
    ActionRecord,
    ActionStatus,
    Platform,
)
from storage import Database


def _action(key: str = "answer:1", **changes: object) -> ActionRecord:
    values: dict[str, object] = {
        "idempotency_key": key,
        "kind": ActionKind.ANSWERED,
        "status": ActionStatus.PENDING,
        "actor_id": "4242",
        "actor_name": "Camille",
        "created_at": T0,
        "platform": Platform.BLUESKY,
        "interaction_id": record(1).external_id,
        "text": "Merci pour votre message !",
    }
    values.update(changes)
    return ActionRecord(**values)  # type: ignore[arg-type]


async def test_begin_twice_keeps_one_action(database: Database) -> None:
    async with database.unit_of_work() as uow:
        first, created = await uow.actions.begin(_action())
        again, created_again = await uow.actions.begin(_action(text="a different click"))
        await uow.commit()
    assert (created, created_again) == (True, False)
    assert again == first
    assert again.text == "Merci pour votre message !"
    assert first.id is not None
    async with database.unit_of_work() as uow:
        actions = await uow.actions.for_interaction(Platform.BLUESKY, record(1).external_id)
    assert actions == [first]


async def test_confirm_and_fail(database: Database) -> None:
    async with database.unit_of_work() as uow:
        await uow.actions.begin(_action("a"))
        await uow.actions.begin(_action("b", created_at=T0 + timedelta(seconds=1)))
        done = await uow.actions.confirm(
            "a", "at://brand/app.bsky.feed.post/9", T0 + timedelta(seconds=3)
        )
        failed = await uow.actions.fail("b", "503 from the platform", T0 + timedelta(seconds=4))
        await uow.commit()
    assert (done.status, done.result_id) == (
        ActionStatus.CONFIRMED,
        "at://brand/app.bsky.feed.post/9",
    )
    assert done.completed_at == T0 + timedelta(seconds=3)
    assert (failed.status, failed.error) == (ActionStatus.FAILED, "503 from the platform")
    async with database.unit_of_work() as uow:
        assert await uow.actions.get("a") == done
        assert await uow.actions.get("missing") is None
        listed = await uow.actions.list_between(T0, T0 + timedelta(seconds=1))
        assert [a.idempotency_key for a in listed] == ["a"]
        with pytest.raises(LookupError):
            await uow.actions.confirm("missing", None, T0)
        with pytest.raises(LookupError):
            await uow.actions.fail("missing", "x", T0)


async def test_uncommitted_work_is_rolled_back(database: Database) -> None:
    async with database.unit_of_work() as uow:
        await uow.actions.begin(_action())
        await uow.cursors.set(cursor("never"))
    async with database.unit_of_work() as uow:
        assert await uow.actions.get("answer:1") is None
        assert await uow.cursors.get(Platform.BLUESKY, BRAND, "notifications") is None


async def test_digest_is_claimed_once_per_period_and_destination(database: Database) -> None:
    async with database.unit_of_work() as uow:
        assert await uow.digests.claim("2026-11-20", "channel:1", T0) is True
        assert await uow.digests.claim("2026-11-20", "channel:1", T0) is False
        assert await uow.digests.claim("2026-11-20", "channel:2", T0) is True
        assert await uow.digests.claim("2026-11-21", "channel:1", T0) is True
        assert await uow.digests.posted_at("2026-11-20", "channel:1") is None
        await uow.digests.mark_posted("2026-11-20", "channel:1", ["m1", "m2"], {"items": 3})
        await uow.commit()
    async with database.unit_of_work() as uow:
        assert await uow.digests.claim("2026-11-20", "channel:1", T0 + timedelta(hours=1)) is False
        assert await uow.digests.posted_at("2026-11-20", "channel:1") == T0
        with pytest.raises(LookupError):
            await uow.digests.mark_posted("2026-11-22", "channel:1", [], {})


async def test_cursors_credentials_accounts_usage(database: Database) -> None:
    async with database.unit_of_work() as uow:
        await uow.cursors.set(cursor("one"))
        await uow.cursors.set(cursor("two", at=T0 + timedelta(minutes=1)))
        await uow.credentials.set(Platform.X, "42", "refresh_token", "r1")
        await uow.credentials.set(Platform.X, "42", "refresh_token", "r2")
        brand = Account(Platform.BLUESKY, BRAND, "brand.bsky.social", "Brand")
        await uow.accounts.upsert(brand)
        await uow.accounts.upsert(Account(Platform.X, "42", "brand"))
        await uow.accounts.set_status(Platform.X, "42", False, "refresh token revoked")
        await uow.api_usage.record(Platform.X, "GET /2/users/:id/mentions", 10, 0.01, T0)
        await uow.api_usage.record(Platform.X, "POST /2/tweets", 1, 0.015, T0 + timedelta(days=2))
        await uow.api_usage.record(Platform.BLUESKY, "listNotifications", 50, 0.0, T0)
        await uow.commit()
    async with database.unit_of_work() as uow:
        stored = await uow.cursors.get(Platform.BLUESKY, BRAND, "notifications")
        assert stored == cursor("two", at=T0 + timedelta(minutes=1))
        assert await uow.cursors.list(Platform.X) == []
        assert await uow.credentials.get(Platform.X, "42", "refresh_token") == "r2"
        assert await uow.credentials.get(Platform.X, "42", "other") is None
        assert await uow.accounts.list() == [
            brand,
            Account(
                Platform.X, "42", "brand", active=False, status_message="refresh token revoked"
            ),
        ]
        with pytest.raises(LookupError):
            await uow.accounts.set_status(Platform.X, "nope", True, "")
        assert await uow.api_usage.total_since(Platform.X, T0) == pytest.approx(0.025)
        assert await uow.api_usage.total_since(Platform.X, T0 + timedelta(days=1)) == pytest.approx(
            0.015
        )
        assert await uow.api_usage.total_since(Platform.BLUESKY, T0 + timedelta(days=1)) == 0.0


async def test_list_between_filters_by_time_platform_and_account(database: Database) -> None:
    batch = [
        record(1, at=T0),
        record(2, at=T0 + timedelta(hours=1)),
        record(3, at=T0 + timedelta(hours=2), account_id="did:plc:other"),
        record(4, at=T0 + timedelta(hours=1), platform=tuple(Platform)[1], external_id="777"),
    ]
    await database.ingest(batch, None)
    end = T0 + timedelta(hours=2)
    async with database.unit_of_work() as uow:
        everything = await uow.interactions.list_between(T0, end + timedelta(seconds=1))
        window = await uow.interactions.list_between(T0, end)
        bluesky = await uow.interactions.list_between(T0, end, platforms=[Platform.BLUESKY])
        other = await uow.interactions.list_between(
            T0, end + timedelta(hours=1), account_ids=["did:plc:other"]
        )
    assert [r.external_id for r in everything] == [
        batch[0].external_id,
        batch[1].external_id,
        "777",
        batch[2].external_id,
    ]
    assert len(window) == 3  # end is exclusive
    assert [r.external_id for r in bluesky] == [batch[0].external_id, batch[1].external_id]
    assert [r.external_id for r in other] == [batch[2].external_id]
