"""The API spending ledger (X is pay-per-use)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from engagement.models import Platform
from storage._tables import ApiUsageRow


class ApiUsageRepository:
    """Records billable calls and sums what they cost."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(
        self, platform: Platform, endpoint: str, resources: int, cost_usd: float, at: datetime
    ) -> None:
        """Record one call that read or wrote ``resources`` items for ``cost_usd``."""
        self._session.add(
            ApiUsageRow(
                platform=platform.value,
                endpoint=endpoint,
                resources=resources,
                cost_usd=cost_usd,
                at=at,
            )
        )
        await self._session.flush()

    async def total_since(self, platform: Platform, since: datetime) -> float:
        """What the platform's calls at or after ``since`` cost, in USD."""
        total = await self._session.scalar(
            select(func.coalesce(func.sum(ApiUsageRow.cost_usd), 0.0)).where(
                ApiUsageRow.platform == platform.value, ApiUsageRow.at >= since
            )
        )
        return float(total or 0.0)
