"""The Bluesky layer's small exception tree: transient, rate-limited, session dead."""

from __future__ import annotations

from datetime import datetime


class BlueskyError(Exception):
    """Base of every error raised by :mod:`watchers.bluesky` on purpose."""


class RateLimitedError(BlueskyError):
    """The service answered 429; nothing should be sent before ``retry_at``.

    Attributes:
        retry_at: When the rate-limit window resets (UTC), as the server said.
        endpoint: The XRPC method that was refused.
    """

    def __init__(self, endpoint: str, retry_at: datetime) -> None:
        super().__init__(f"{endpoint} rate limited until {retry_at.isoformat()}")
        self.endpoint = endpoint
        self.retry_at = retry_at


class SessionDeadError(BlueskyError):
    """Neither the stored session, its refresh token nor the app password work any more.

    Attributes:
        handle: The account whose credentials are dead.
    """

    def __init__(self, handle: str, detail: str) -> None:
        super().__init__(
            f"Bluesky account {handle}: cannot log in ({detail}); check "
            "ENGAGEBOT_BLUESKY_HANDLE / ENGAGEBOT_BLUESKY_APP_PASSWORD or create a new app password"
        )
        self.handle = handle


class MalformedResponseError(BlueskyError):
    """A response as a whole could not be read (not JSON, missing its list…); transient."""
