"""The unit of work: one session, its repositories and ingest; rolls back unless committed."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from engagement.models import Cursor, InteractionRecord
from storage._ingest import IngestResult, ingest
from storage.repositories import (
    AccountRepository,
    ActionRepository,
    ApiUsageRepository,
    CredentialRepository,
    CursorRepository,
    DigestRepository,
    InteractionRepository,
)


class UnitOfWork:
    """One transaction's worth of work (a poll cycle, a command, a digest).

    Get one from :meth:`storage.Database.unit_of_work`; nothing is written until
    :meth:`commit`, and leaving the ``async with`` block without committing rolls back.

    Attributes:
        accounts: Brand accounts.
        actions: The audit trail of actions.
        api_usage: The API spending ledger.
        credentials: Stored session strings and tokens.
        cursors: Watcher stream positions.
        digests: Digests posted once per period and destination.
        interactions: Stored interactions.
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self.accounts = AccountRepository(session)
        self.actions = ActionRepository(session)
        self.api_usage = ApiUsageRepository(session)
        self.credentials = CredentialRepository(session)
        self.cursors = CursorRepository(session)
        self.digests = DigestRepository(session)
        self.interactions = InteractionRepository(session)

    async def ingest(
        self, records: Sequence[InteractionRecord], cursor: Cursor | None
    ) -> IngestResult:
        """Write a batch of interactions, their authors and the stream's new cursor.

        Idempotent: the same batch twice stores nothing new. If anything fails, the whole
        unit of work is rolled back at once (so nothing of the batch, and not the cursor,
        can be committed later by mistake) and the error is raised again.

        Args:
            records: The batch.
            cursor: The stream's new position, or ``None``.

        Returns:
            How many records were new and which.
        """
        try:
            return await ingest(self._session, records, cursor)
        except BaseException:
            await self._session.rollback()
            raise

    async def commit(self) -> None:
        """Commit everything done so far in this unit of work."""
        await self._session.commit()

    async def rollback(self) -> None:
        """Drop everything done since the last commit."""
        await self._session.rollback()
