"""Watcher stream positions."""

from __future__ import annotations

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from engagement.models import Cursor, Platform
from storage._convert import cursor_from_row, cursor_values
from storage._dialect import dialect_name, upsert
from storage._tables import CursorRow

_CURSORS: Table = CursorRow.__table__  # type: ignore[assignment]


class CursorRepository:
    """Where each watcher's stream stands, per account."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, platform: Platform, account_id: str, stream: str) -> Cursor | None:
        """The stored cursor, or ``None`` when the stream was never polled."""
        row = await self._session.scalar(
            select(CursorRow)
            .where(
                CursorRow.platform == platform.value,
                CursorRow.account_id == account_id,
                CursorRow.stream == stream,
            )
            .execution_options(populate_existing=True)
        )
        return None if row is None else cursor_from_row(row)

    async def set(self, cursor: Cursor) -> None:
        """Store ``cursor``, replacing the stream's previous position."""
        stmt = upsert(dialect_name(self._session), _CURSORS, ["platform", "account_id", "stream"])
        await self._session.execute(stmt, cursor_values(cursor))

    async def list(self, platform: Platform | None = None) -> list[Cursor]:
        """Every stored cursor, optionally for one platform."""
        stmt = (
            select(CursorRow)
            .order_by(CursorRow.platform, CursorRow.account_id, CursorRow.stream)
            .execution_options(populate_existing=True)
        )
        if platform is not None:
            stmt = stmt.where(CursorRow.platform == platform.value)
        return [cursor_from_row(row) for row in await self._session.scalars(stmt)]
