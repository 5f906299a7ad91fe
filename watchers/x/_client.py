"""A thin aiohttp client for X API v2 that turns every failure into the X exception tree.

It remembers, per endpoint, when a rate-limit window resets (from a 429 or from
``x-rate-limit-remaining: 0``) and refuses to send anything to that endpoint before then.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp

from watchers.x._auth import Clock, XAuth, utc_now
from watchers.x._errors import (
    XAuthError,
    XCreditsDepletedError,
    XRateLimitedError,
    XRequestError,
    XTransientError,
)

log = logging.getLogger(__name__)

DEFAULT_RATE_LIMIT_WAIT = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class RateLimit:
    """The ``x-rate-limit-*`` headers of a response (``None`` when absent)."""

    limit: int | None
    remaining: int | None
    reset_at: datetime | None


@dataclass(frozen=True, slots=True)
class XResponse:
    """A successful (2xx) answer.

    Attributes:
        status: HTTP status.
        payload: The decoded JSON object.
        rate_limit: Its rate-limit headers.
    """

    status: int
    payload: Mapping[str, Any]
    rate_limit: RateLimit = field(default_factory=lambda: RateLimit(None, None, None))


def _int_header(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def parse_rate_limit(headers: Mapping[str, str]) -> RateLimit:
    """Read ``x-rate-limit-limit``, ``-remaining`` and ``-reset`` (unix seconds)."""
    reset = _int_header(headers, "x-rate-limit-reset")
    return RateLimit(
        limit=_int_header(headers, "x-rate-limit-limit"),
        remaining=_int_header(headers, "x-rate-limit-remaining"),
        reset_at=datetime.fromtimestamp(reset, UTC) if reset is not None else None,
    )


def _problem(body: bytes) -> str:
    """The human part of an error body (RFC 7807 problem or v1-style ``errors[]``)."""
    try:
        payload = json.loads(body)
    except ValueError:
        return body[:200].decode("utf-8", "replace")
    items: list[Any] = [payload]
    if isinstance(payload, dict) and isinstance(payload.get("errors"), list):
        items = payload["errors"]
    texts: list[str] = []
    for err in items:
        if isinstance(err, dict):
            texts.extend(str(err[k]) for k in ("title", "detail", "message", "type") if err.get(k))
    return " ".join(texts)[:300] or str(payload)[:200]


class XClient:
    """Sends requests to X API v2 with the given identity.

    Args:
        session: The aiohttp session (owned by the caller).
        base_url: ``https://api.x.com`` or the sandbox's base.
        auth: Bearer or user-token identity.
        clock: Current UTC time (the sandbox's clock in tests).
        timeout_s: Total timeout of one request.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        auth: XAuth,
        *,
        clock: Clock = utc_now,
        timeout_s: float = 30.0,
    ) -> None:
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.auth = auth
        self.clock = clock
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._resets: dict[str, datetime] = {}
        self.calls = 0

    def blocked_until(self, endpoint: str) -> datetime | None:
        """When ``endpoint`` may be called again, or ``None`` when it may be called now."""
        reset = self._resets.get(endpoint)
        if reset is None or reset <= self.clock():
            return None
        return reset

    def remember_reset(self, endpoint: str, reset_at: datetime) -> None:
        """Send nothing to ``endpoint`` before ``reset_at`` (e.g. restored after a restart)."""
        self._resets[endpoint] = max(reset_at, self._resets.get(endpoint, reset_at))

    async def request(
        self,
        method: str,
        path: str,
        *,
        endpoint: str,
        params: Mapping[str, str] | None = None,
        json_body: Mapping[str, Any] | None = None,
    ) -> XResponse:
        """Send one request (and one retry after a successful token refresh on 401).

        Raises:
            XRateLimitedError: 429, or the endpoint's window has not reset yet (nothing sent).
            XCreditsDepletedError: 402.
            XAuthError: 401 that a refresh did not cure, or a refused refresh.
            XRequestError: Any other 4xx.
            XTransientError: 5xx, timeout, dropped connection, malformed JSON.
        """
        blocked = self.blocked_until(endpoint)
        if blocked is not None:
            raise XRateLimitedError(endpoint, blocked)
        for attempt in (1, 2):
            status, headers, body = await self._send(method, path, params, json_body)
            rate = parse_rate_limit(headers)
            if rate.remaining == 0 and rate.reset_at is not None and status != 429:
                self.remember_reset(endpoint, rate.reset_at)
            if status == 401 and attempt == 1 and await self.auth.recover(self.session):
                continue
            return self._decode(endpoint, status, rate, body)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send(
        self,
        method: str,
        path: str,
        params: Mapping[str, str] | None,
        json_body: Mapping[str, Any] | None,
    ) -> tuple[int, Mapping[str, str], bytes]:
        authorization = await self.auth.header(self.session)
        self.calls += 1
        try:
            async with self.session.request(
                method,
                f"{self.base_url}{path}",
                params=params,
                json=json_body,
                headers={"Authorization": authorization},
                timeout=self._timeout,
            ) as response:
                body = await response.read()
                return response.status, dict(response.headers), body
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise XTransientError(f"{method} {path}: {type(exc).__name__} {exc}") from exc

    def _decode(self, endpoint: str, status: int, rate: RateLimit, body: bytes) -> XResponse:
        if status == 429:
            reset = rate.reset_at or self.clock() + DEFAULT_RATE_LIMIT_WAIT
            self.remember_reset(endpoint, reset)
            raise XRateLimitedError(endpoint, reset)
        if status == 402:
            raise XCreditsDepletedError(f"{endpoint}: {_problem(body)}")
        if status == 401:
            raise XAuthError(f"{endpoint}: credentials refused ({_problem(body)})")
        if status >= 500:
            raise XTransientError(f"{endpoint}: HTTP {status}")
        if status >= 400:
            raise XRequestError(status, _problem(body))
        try:
            payload = json.loads(body) if body else {}
        except ValueError as exc:
            raise XTransientError(f"{endpoint}: malformed JSON body") from exc
        if not isinstance(payload, dict):
            raise XTransientError(f"{endpoint}: body is not a JSON object")
        return XResponse(status, payload, rate)
