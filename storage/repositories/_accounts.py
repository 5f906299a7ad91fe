"""Brand accounts and their stored credentials (session strings, rotated tokens)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Table, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from engagement.models import Account, Platform
from storage._convert import account_from_row
from storage._dialect import dialect_name, upsert
from storage._tables import AccountRow, CredentialRow

_ACCOUNTS: Table = AccountRow.__table__  # type: ignore[assignment]
_CREDENTIALS: Table = CredentialRow.__table__  # type: ignore[assignment]


class AccountRepository:
    """The brand accounts the bot is connected to."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def upsert(self, account: Account) -> None:
        """Store ``account``, replacing what was known about it."""
        stmt = upsert(dialect_name(self._session), _ACCOUNTS, ["platform", "platform_id"])
        await self._session.execute(
            stmt,
            {
                "platform": account.platform.value,
                "platform_id": account.platform_id,
                "handle": account.handle,
                "display_name": account.display_name,
                "active": account.active,
                "status_message": account.status_message,
            },
        )

    async def list(self) -> list[Account]:
        """Every account, by platform then handle."""
        rows = await self._session.scalars(
            select(AccountRow)
            .order_by(AccountRow.platform, AccountRow.handle)
            .execution_options(populate_existing=True)
        )
        return [account_from_row(row) for row in rows]

    async def set_status(
        self, platform: Platform, platform_id: str, active: bool, message: str
    ) -> None:
        """Mark an account active or not, with the reason.

        Raises:
            LookupError: No such account.
        """
        result = await self._session.execute(
            update(AccountRow)
            .where(AccountRow.platform == platform.value, AccountRow.platform_id == platform_id)
            .values(active=active, status_message=message)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 0:  # type: ignore[attr-defined]
            raise LookupError(f"no {platform.value} account {platform_id!r}")


class CredentialRepository:
    """Secrets the bot keeps between runs (never logged)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, platform: Platform, account_id: str, name: str) -> str | None:
        """The stored value, or ``None``."""
        value: str | None = await self._session.scalar(
            select(CredentialRow.value).where(
                CredentialRow.platform == platform.value,
                CredentialRow.account_id == account_id,
                CredentialRow.name == name,
            )
        )
        return value

    async def set(
        self,
        platform: Platform,
        account_id: str,
        name: str,
        value: str,
        at: datetime | None = None,
    ) -> None:
        """Store ``value`` under ``(platform, account_id, name)``, replacing any previous one."""
        stmt = upsert(dialect_name(self._session), _CREDENTIALS, ["platform", "account_id", "name"])
        await self._session.execute(
            stmt,
            {
                "platform": platform.value,
                "account_id": account_id,
                "name": name,
                "value": value,
                "updated_at": at or datetime.now(UTC),
            },
        )
