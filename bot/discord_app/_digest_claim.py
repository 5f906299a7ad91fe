"""The digest-claim part of the team inbox: post a period's digest once per destination."""

from __future__ import annotations

from datetime import datetime

from storage import Database


class DigestClaims:
    """Leases on a period's digest, its posting progress and its completion."""

    db: Database

    async def claim_digest(self, period_key: str, destination: str, now: datetime) -> bool:
        """Reserve a period's digest for a destination (true only once)."""
        async with self.db.unit_of_work() as uow:
            claimed = await uow.digests.claim(period_key, destination, now)
            await uow.commit()
        return claimed

    async def digest_progress(
        self, period_key: str, destination: str, message_ids: list[str]
    ) -> None:
        """Record the messages of a digest being posted (so a crash can be cleaned up)."""
        async with self.db.unit_of_work() as uow:
            await uow.digests.record_progress(period_key, destination, message_ids)
            await uow.commit()

    async def partial_digest(self, period_key: str, destination: str) -> list[str]:
        """Messages an unfinished earlier run of a claimed, unposted digest recorded."""
        async with self.db.unit_of_work() as uow:
            return await uow.digests.partial_messages(period_key, destination)

    async def release_digest(self, period_key: str, destination: str) -> None:
        """Give up an unposted claim so the next attempt posts the digest."""
        async with self.db.unit_of_work() as uow:
            await uow.digests.release(period_key, destination)
            await uow.commit()

    async def digest_posted(
        self, period_key: str, destination: str, message_ids: list[str], now: datetime
    ) -> None:
        """Record the posted digest's messages."""
        async with self.db.unit_of_work() as uow:
            await uow.digests.mark_posted(period_key, destination, message_ids, {}, now)
            await uow.commit()
