"""Build every configured Bluesky account's session, watcher, poller and the publisher."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol

import httpx
from pydantic import SecretStr

from bot.bluesky._poller import BlueskyPoller
from bot.bluesky._publisher import BlueskyPublisher
from bot.bluesky._store import DatabaseSessionStore
from bot.publishing import ActionLedger, Clock, utc_now
from engagement.ports import Alerts
from storage import Database
from watchers.bluesky import BlueskySession, BlueskyWatcher, BlueskyWriter, Hydrator


class _BlueskySettings(Protocol):
    @property
    def bluesky_service(self) -> str: ...

    @property
    def bluesky_poll_interval_s(self) -> float: ...

    def bluesky_credentials(self) -> list[tuple[str, SecretStr]]: ...


def bluesky_configured(settings: _BlueskySettings) -> bool:
    """Whether at least one Bluesky account is configured."""
    return bool(settings.bluesky_credentials())


class BlueskyConnection:
    """Every configured Bluesky account, wired to the database.

    Nothing touches the network until the first poll or write (the stored session is
    imported then; a password login happens only without one).

    Args:
        settings: Bluesky settings (service, accounts, interval).
        db: The database (cursors, sessions, actions).
        alerts: Where a dead account is reported.
        answered_check_s: Seconds between two reads of the brand's own replies (0: never).
        timeout_s: HTTP timeout of one request.
        clock: The current time (UTC).
        transport: An httpx transport for every client (tests only).
    """

    def __init__(
        self,
        settings: _BlueskySettings,
        db: Database,
        alerts: Alerts,
        *,
        answered_check_s: float = 600.0,
        timeout_s: float = 20.0,
        clock: Clock = utc_now,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.hydrator = Hydrator()
        self.sessions: list[BlueskySession] = []
        self.pollers: list[BlueskyPoller] = []
        writers: list[BlueskyWriter] = []
        for handle, password in settings.bluesky_credentials():
            session = BlueskySession(
                settings.bluesky_service,
                handle,
                password,
                DatabaseSessionStore(db, handle),
                timeout_s=timeout_s,
                clock=clock,
                transport=transport,
            )
            self.sessions.append(session)
            watcher = BlueskyWatcher(session, self.hydrator)
            self.pollers.append(
                BlueskyPoller(
                    db,
                    watcher,
                    alerts,
                    interval_s=settings.bluesky_poll_interval_s,
                    answered_check_s=answered_check_s,
                    clock=clock,
                )
            )
            writers.append(BlueskyWriter(session, self.hydrator))
        self.publisher = BlueskyPublisher(ActionLedger(db, clock=clock), writers, clock=clock)

    async def aclose(self) -> None:
        """Close every account's HTTP connections."""
        for session in self.sessions:
            await session.close()

    async def __aenter__(self) -> BlueskyConnection:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
