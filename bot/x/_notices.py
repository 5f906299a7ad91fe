"""Lasting X states the team was already told about, kept so a restart does not repeat them."""

from __future__ import annotations

from datetime import datetime

from engagement.models import Platform
from storage import Database

CREDITS_PAUSED = "notice:credits_paused"
BUDGET_MONTH = "notice:budget_alerted_month"


class Notices:
    """Remembers, in the database, which one-time alerts were sent.

    Args:
        db: The database.
        account_id: The brand's X user id.
    """

    def __init__(self, db: Database, account_id: str) -> None:
        self.db = db
        self.account_id = account_id
        self.credits_paused = False
        self.budget_month: str | None = None

    async def load(self) -> None:
        """Read the remembered states."""
        async with self.db.unit_of_work() as uow:
            paused = await uow.credentials.get(Platform.X, self.account_id, CREDITS_PAUSED)
            self.budget_month = await uow.credentials.get(Platform.X, self.account_id, BUDGET_MONTH)
        self.credits_paused = paused == "1"

    async def set_credits_paused(self, paused: bool, at: datetime) -> None:
        """Remember whether the credits-depleted alert is standing."""
        await self._put(CREDITS_PAUSED, "1" if paused else "0", at)
        self.credits_paused = paused

    async def set_budget_month(self, month: str, at: datetime) -> None:
        """Remember that the budget alert of ``month`` (``YYYY-MM``) was sent."""
        await self._put(BUDGET_MONTH, month, at)
        self.budget_month = month

    async def _put(self, name: str, value: str, at: datetime) -> None:
        async with self.db.unit_of_work() as uow:
            await uow.credentials.set(Platform.X, self.account_id, name, value, at)
            await uow.commit()
