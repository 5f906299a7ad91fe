"""The X client's small exception tree: transient, rate-limited, billing, auth, refused."""

from __future__ import annotations

from datetime import datetime


class XError(Exception):
    """Any failure talking to X API v2."""


class XTransientError(XError):
    """A fault worth retrying with backoff: 5xx, timeout, dropped connection, malformed body."""


class XRateLimitedError(XError):
    """HTTP 429 (or a remembered reset not reached yet): no request before ``retry_at``.

    Attributes:
        endpoint: The endpoint key (``GET /2/users/:id/mentions``…).
        retry_at: When the window resets (UTC), from ``x-rate-limit-reset``.
    """

    def __init__(self, endpoint: str, retry_at: datetime) -> None:
        super().__init__(f"{endpoint} rate limited until {retry_at.isoformat()}")
        self.endpoint = endpoint
        self.retry_at = retry_at


class XCreditsDepletedError(XError):
    """HTTP 402 ``CreditsDepleted``: the project's pay-per-use balance is empty."""


class XAuthError(XError):
    """Credentials refused (401 after one refresh, refresh token revoked, bad login)."""


class XRequestError(XError):
    """Any other 4xx: the request itself is wrong or forbidden; retrying will not help.

    Attributes:
        status: The HTTP status.
        detail: The problem's ``detail``/``title``, as X wrote it.
    """

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"HTTP {status}: {detail}")
        self.status = status
        self.detail = detail


class XBudgetExhaustedError(XError):
    """The monthly budget does not allow the next request (no request was made)."""
