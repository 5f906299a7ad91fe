"""Build the pollers (and the publisher sharing their sessions) for every configured account.

Usage::

    pollers = await build_pollers(settings, db, alerts)
    publisher = build_publisher(db, pollers)      # engagement.ports.Publisher, all platforms
    try:
        await run_pollers(pollers, stop)
    finally:
        await close_pollers(pollers)
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.bluesky import BlueskyConnection, BlueskyPoller, BlueskyPublisher, bluesky_configured
from bot.errors import UserError
from bot.polling import Poller
from bot.publishing import ActionLedger, Clock, PlatformPublisher, utc_now
from bot.settings import Settings
from bot.x import XConnection, XMentionsPoller, x_configured
from engagement.models import Platform
from engagement.ports import Alerts, Publisher
from storage import Database
from watchers.bluesky import BlueskyWriter

log = logging.getLogger(__name__)


class LoggingAlerts:
    """The default :class:`engagement.ports.Alerts`: one error line in the log per alert."""

    def __init__(self) -> None:
        self.sent: list[tuple[Platform, str, str]] = []

    async def platform_alert(self, platform: Platform, account_id: str, message: str) -> None:
        """Log the alert (and keep it, for whoever wants to show it later)."""
        self.sent.append((platform, account_id, message))
        log.error("ALERT %s %s: %s", platform.value, account_id, message)


async def build_pollers(
    settings: Settings, db: Database, alerts: Alerts, *, clock: Clock = utc_now
) -> list[Poller]:
    """One poller per configured account and stream, Bluesky first.

    Nothing is sent over the network here. Close them with :func:`close_pollers`.
    """
    pollers: list[Poller] = []
    if bluesky_configured(settings):
        pollers.extend(BlueskyConnection(settings, db, alerts, clock=clock).pollers)
    if x_configured(settings):
        try:
            x = await XConnection(settings, db, clock=clock).open()
        except UserError as exc:
            await alerts.platform_alert(Platform.X, settings.x_user_id or "", str(exc))
        else:
            pollers.append(x.poller(alerts))
    return pollers


def build_publisher(
    db: Database, pollers: Sequence[Poller], *, clock: Clock = utc_now
) -> Publisher:
    """A publisher for every platform with a poller, sharing the pollers' sessions."""
    publishers: dict[Platform, Publisher] = {}
    bluesky = [p for p in pollers if isinstance(p, BlueskyPoller)]
    if bluesky:
        writers = [BlueskyWriter(p.session, p.watcher.hydrator) for p in bluesky]
        publishers[Platform.BLUESKY] = BlueskyPublisher(
            ActionLedger(db, clock=clock), writers, clock=clock
        )
    x = [p for p in pollers if isinstance(p, XMentionsPoller) and p.publisher_factory]
    if x and x[0].publisher_factory is not None:
        publishers[Platform.X] = x[0].publisher_factory()
    return PlatformPublisher(publishers)


async def close_pollers(pollers: Sequence[Poller]) -> None:
    """Close the connections the pollers hold."""
    for poller in pollers:
        close = getattr(poller, "aclose", None)
        if close is not None:
            await close()
