"""Reading stored interactions back as domain records (writing is :func:`storage.ingest`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Select, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from engagement.models import InteractionRecord, Platform
from storage._convert import interactions_from_rows
from storage._tables import AuthorRow, InteractionRow


def _with_authors() -> Select[InteractionRow, AuthorRow]:
    return (
        select(InteractionRow, AuthorRow)
        .join(
            AuthorRow,
            and_(
                AuthorRow.platform == InteractionRow.platform,
                AuthorRow.platform_id == InteractionRow.author_id,
            ),
        )
        .execution_options(populate_existing=True)
    )


class InteractionRepository:
    """Stored interactions, with their authors as last seen."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, platform: Platform, external_id: str) -> InteractionRecord | None:
        """The interaction with this id on this platform, or ``None``."""
        result = await self._session.execute(
            _with_authors().where(
                InteractionRow.platform == platform.value,
                InteractionRow.external_id == external_id,
            )
        )
        found = interactions_from_rows((row[0], row[1]) for row in result)
        return found[0] if found else None

    async def external_ids(self, platform: Platform) -> set[str]:
        """Every stored external id of the platform."""
        ids = await self._session.scalars(
            select(InteractionRow.external_id).where(InteractionRow.platform == platform.value)
        )
        return set(ids)

    async def list_between(
        self,
        start: datetime,
        end: datetime,
        *,
        platforms: Iterable[Platform] | None = None,
        account_ids: Iterable[str] | None = None,
    ) -> list[InteractionRecord]:
        """Interactions created in ``[start, end)``, oldest first.

        Args:
            start: Inclusive lower bound (aware).
            end: Exclusive upper bound (aware).
            platforms: Only these platforms (default: all).
            account_ids: Only those addressed to these brand accounts (default: all).
        """
        stmt = _with_authors().where(
            InteractionRow.created_at >= start, InteractionRow.created_at < end
        )
        if platforms is not None:
            stmt = stmt.where(InteractionRow.platform.in_([p.value for p in platforms]))
        if account_ids is not None:
            stmt = stmt.where(InteractionRow.account_id.in_(list(account_ids)))
        stmt = stmt.order_by(InteractionRow.created_at, InteractionRow.id)
        result = await self._session.execute(stmt)
        return interactions_from_rows((row[0], row[1]) for row in result)
