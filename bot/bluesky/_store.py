"""Session strings kept in the database (``credentials`` table), one per Bluesky handle."""

from __future__ import annotations

from engagement.models import Platform
from storage import Database

SESSION_NAME = "session"


class DatabaseSessionStore:
    """A :class:`watchers.bluesky.SessionStore` backed by ``uow.credentials``.

    The row is keyed by the configured handle (lower-case): it is all that is known before the
    first login, and the session string itself carries the DID.

    Args:
        db: The database.
        handle: The account's configured handle.
    """

    def __init__(self, db: Database, handle: str) -> None:
        self._db = db
        self.account_key = handle.strip().lower()

    async def load(self) -> str | None:
        """The stored session string, or ``None``."""
        async with self._db.unit_of_work() as uow:
            return await uow.credentials.get(Platform.BLUESKY, self.account_key, SESSION_NAME)

    async def save(self, session_string: str) -> None:
        """Store the new session string (committed at once)."""
        async with self._db.unit_of_work() as uow:
            await uow.credentials.set(
                Platform.BLUESKY, self.account_key, SESSION_NAME, session_string
            )
            await uow.commit()
