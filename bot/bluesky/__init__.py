"""Bluesky in the running bot: one poller per account, and the publisher.

Usage::

    async with BlueskyConnection(settings, db, alerts) as bsky:   # one client per account
        pollers = bsky.pollers            # bot.polling.Poller, one per configured account
        publisher = bsky.publisher        # engagement.ports.Publisher (shares the sessions)

Sessions are shared between polling and publishing (refresh tokens rotate: two clients per
account would log each other out).
"""

from bot.bluesky._connection import BlueskyConnection, bluesky_configured
from bot.bluesky._poller import STREAM, BlueskyPoller
from bot.bluesky._publisher import BlueskyPublisher
from bot.bluesky._store import DatabaseSessionStore

__all__ = [
    "STREAM",
    "BlueskyConnection",
    "BlueskyPoller",
    "BlueskyPublisher",
    "DatabaseSessionStore",
    "bluesky_configured",
]
