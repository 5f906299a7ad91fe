"""Per-endpoint, per-token-kind rate limits in 15-minute windows that follow the sandbox clock.

Limits come from X's rate-limit table (``API-NOTES.md`` B2): ``(per app, per user)`` requests
per 15 minutes; ``None`` means the token kind cannot call the endpoint at all (the auth layer
refuses it before the limiter is asked).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["DEFAULT_LIMITS", "WINDOW_S", "RateLimiter", "RateStatus"]

WINDOW_S = 15 * 60

#: endpoint -> (per-app limit, per-user limit) per 15-minute window.
DEFAULT_LIMITS: dict[str, tuple[int | None, int | None]] = {
    "GET /2/users/me": (None, 75),
    "GET /2/users/:id/mentions": (450, 300),
    "GET /2/tweets": (3500, 5000),
    "GET /2/tweets/:id": (450, 900),
    "GET /2/tweets/search/recent": (450, 300),
    "POST /2/tweets": (None, 100),
    "DELETE /2/tweets/:id": (None, 50),
    "POST /2/users/:id/likes": (None, 50),
    "DELETE /2/users/:id/likes/:tweet_id": (None, 50),
    "POST /2/users/:id/retweets": (None, 50),
    "DELETE /2/users/:id/retweets/:source_tweet_id": (None, 50),
    "GET /2/usage/tweets": (50, None),
}


@dataclass(frozen=True, slots=True)
class RateStatus:
    """The answer for one request: allowed or not, and the ``x-rate-limit-*`` header values."""

    allowed: bool
    limit: int
    remaining: int
    reset: int

    def headers(self) -> dict[str, str]:
        """Return the ``x-rate-limit-*`` headers."""
        return {
            "x-rate-limit-limit": str(self.limit),
            "x-rate-limit-remaining": str(self.remaining),
            "x-rate-limit-reset": str(self.reset),
        }


@dataclass(slots=True)
class RateLimiter:
    """Fixed 15-minute windows aligned on the clock (a window starts at a multiple of 900 s).

    Args:
        limits: endpoint -> (per-app, per-user) limits; tests may lower them.
    """

    limits: dict[str, tuple[int | None, int | None]] = field(
        default_factory=lambda: dict(DEFAULT_LIMITS)
    )
    _used: dict[tuple[str, str, int], int] = field(default_factory=dict)

    def limit_for(self, endpoint: str, user: bool) -> int:
        """The window limit of ``endpoint`` for a user token (``user``) or the app token."""
        per_app, per_user = self.limits.get(endpoint, (None, None))
        value = per_user if user else per_app
        return value if value is not None else 0

    def hit(self, endpoint: str, key: str, user: bool, now: datetime) -> RateStatus:
        """Count one request by ``key`` (a token owner) and say whether it may proceed."""
        start = int(now.timestamp()) // WINDOW_S * WINDOW_S
        reset = start + WINDOW_S
        limit = self.limit_for(endpoint, user)
        slot = (endpoint, key, start)
        if len(self._used) > 4096:  # forget finished windows
            self._used = {k: v for k, v in self._used.items() if k[2] >= start}
        used = self._used.get(slot, 0)
        if used >= limit:
            return RateStatus(False, limit, 0, reset)
        self._used[slot] = used + 1
        return RateStatus(True, limit, limit - used - 1, reset)

    def peek(self, endpoint: str, key: str, user: bool, now: datetime) -> RateStatus:
        """The current status without counting a request (for responses refused earlier)."""
        start = int(now.timestamp()) // WINDOW_S * WINDOW_S
        limit = self.limit_for(endpoint, user)
        used = self._used.get((endpoint, key, start), 0)
        return RateStatus(used < limit, limit, max(limit - used, 0), start + WINDOW_S)
