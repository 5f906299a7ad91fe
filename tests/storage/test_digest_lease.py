"""A digest claim is a lease: an unposted claim expires, can be released, and keeps progress."""

from __future__ import annotations

from datetime import timedelta

from storage_records import T0

from storage import Database

LEASE = timedelta(minutes=15)


async def test_an_unposted_claim_expires_and_a_posted_one_never_does(database: Database) -> None:
    async with database.unit_of_work() as uow:
        assert await uow.digests.claim("2026-11-20", "channel:1", T0) is True
        await uow.digests.record_progress("2026-11-20", "channel:1", ["1:10", "10:11"])
        await uow.commit()
    async with database.unit_of_work() as uow:
        soon = T0 + LEASE - timedelta(seconds=1)
        assert await uow.digests.claim("2026-11-20", "channel:1", soon) is False
        assert await uow.digests.partial_messages("2026-11-20", "channel:1") == ["1:10", "10:11"]
        later = T0 + LEASE + timedelta(seconds=1)
        assert await uow.digests.claim("2026-11-20", "channel:1", later) is True
        # The take-over renewed the lease: a third run must wait again.
        assert await uow.digests.claim("2026-11-20", "channel:1", later) is False
        await uow.digests.mark_posted("2026-11-20", "channel:1", ["m1"], {}, later)
        await uow.commit()
    async with database.unit_of_work() as uow:
        assert await uow.digests.claim("2026-11-20", "channel:1", T0 + timedelta(days=3)) is False
        assert await uow.digests.partial_messages("2026-11-20", "channel:1") == []
        await uow.digests.release("2026-11-20", "channel:1")  # a posted digest is kept
        assert await uow.digests.posted_at("2026-11-20", "channel:1") == later


async def test_a_released_claim_can_be_claimed_at_once(database: Database) -> None:
    async with database.unit_of_work() as uow:
        assert await uow.digests.claim("2026-11-21", "webhook", T0) is True
        await uow.digests.release("2026-11-21", "webhook")
        await uow.commit()
    async with database.unit_of_work() as uow:
        assert await uow.digests.claim("2026-11-21", "webhook", T0) is True
        assert await uow.digests.claim("2026-11-21", "webhook", T0, lease=timedelta(0)) is False
