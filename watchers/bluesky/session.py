"""One Bluesky account's authenticated client: log in once, reuse the session, recover it.

The session string is handed to a :class:`SessionStore` whenever it is created or refreshed
(the composition root stores it in the database); it never reaches the logs. On start the
stored string is imported (no ``createSession``); a password login happens only when there is
no stored session or its refresh token is dead.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, TypeVar

import httpx
from atproto_client import AsyncClient
from atproto_client.client.session import Session, SessionEvent
from atproto_client.exceptions import (
    BadRequestError,
    LoginRequiredError,
    RateLimitExceededError,
    UnauthorizedError,
)
from atproto_client.models.base import ParamsModelBase
from atproto_client.models.common import XrpcError
from pydantic import SecretStr

from watchers.bluesky._errors import RateLimitedError, SessionDeadError
from watchers.bluesky._request import CountingRequest
from watchers.bluesky._xrpc import query_json

log = logging.getLogger(__name__)

T = TypeVar("T")

_AUTH_ERRORS = frozenset(
    {"ExpiredToken", "InvalidToken", "AuthMissing", "AuthenticationRequired", "AuthRequired"}
)
_DEFAULT_RATE_LIMIT_WAIT = timedelta(seconds=60)


class SessionStore(Protocol):
    """Where a session string is kept between runs (a database row in production)."""

    async def load(self) -> str | None:
        """The stored session string, or ``None``."""
        ...

    async def save(self, session_string: str) -> None:
        """Keep ``session_string`` (it changed: created or refreshed)."""
        ...


class MemorySessionStore:
    """A :class:`SessionStore` in memory (tests, one-shot tools)."""

    def __init__(self, value: str | None = None) -> None:
        self.value = value
        self.saves = 0

    async def load(self) -> str | None:
        """Return the kept string."""
        return self.value

    async def save(self, session_string: str) -> None:
        """Keep the string."""
        self.value = session_string
        self.saves += 1


def _xrpc_error(exc: Exception) -> str | None:
    response = getattr(exc, "response", None)
    content = getattr(response, "content", None)
    return content.error if isinstance(content, XrpcError) else None


def is_auth_failure(exc: BaseException) -> bool:
    """Whether ``exc`` says the session (access or refresh token) is not valid any more."""
    if isinstance(exc, UnauthorizedError | LoginRequiredError):
        return True
    return isinstance(exc, BadRequestError) and _xrpc_error(exc) in _AUTH_ERRORS


def rate_limit_from(exc: RateLimitExceededError, endpoint: str, now: datetime) -> RateLimitedError:
    """Turn the SDK's 429 into a :class:`RateLimitedError` with an absolute ``retry_at``."""
    retry_at = exc.reset_at
    if retry_at is None and exc.retry_after is not None:
        retry_at = now + timedelta(seconds=exc.retry_after)
    return RateLimitedError(endpoint, retry_at or now + _DEFAULT_RATE_LIMIT_WAIT)


class _ClockedClient(AsyncClient):
    """``AsyncClient`` whose notion of "now" (token expiry checks) comes from a given clock."""

    def __init__(self, clock: Callable[[], datetime], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clock = clock

    def get_current_time(self) -> datetime:
        return self._clock()


def _utc_now() -> datetime:
    return datetime.now(UTC)


class BlueskySession:
    """The authenticated client of one Bluesky account.

    Args:
        service: PDS / entryway base URL (``https://bsky.social``; ``/xrpc`` is appended).
        handle: The account's handle.
        password: Its app password.
        store: Where the session string is kept.
        timeout_s: HTTP timeout of one request.
        calls: A shared request counter, if the caller wants one across sessions.
        clock: The current time (UTC), for token expiry checks.
        transport: An httpx transport (tests only).
    """

    def __init__(
        self,
        service: str,
        handle: str,
        password: SecretStr,
        store: SessionStore,
        *,
        timeout_s: float = 20.0,
        calls: Counter[str] | None = None,
        clock: Callable[[], datetime] = _utc_now,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.handle = handle
        self._password = password
        self._store = store
        extra: dict[str, object] = {"timeout": httpx.Timeout(timeout_s)}
        if transport is not None:
            extra["transport"] = transport
        self.request = CountingRequest(calls, **extra)
        self.client = _ClockedClient(clock, base_url=service, request=self.request)
        self.client.on_session_change(self._on_session_change)
        self._started = False
        # The poller and the publisher share a session: one login / one refresh at a time.
        self._lock = asyncio.Lock()

    @property
    def did(self) -> str:
        """The account's DID (after :meth:`start`)."""
        session = self._session()
        return str(session.did)

    @property
    def known_did(self) -> str | None:
        """The account's DID if a session exists, else ``None`` (never raises)."""
        session = self.client._session
        return str(session.did) if session is not None else None

    @property
    def session_handle(self) -> str:
        """The handle the service knows the account by (after :meth:`start`)."""
        return str(self._session().handle)

    def _session(self) -> Session:
        session = self.client._session
        if session is None:
            raise LoginRequiredError
        return session

    async def start(self) -> None:
        """Import the stored session, or log in with the app password when there is none."""
        if self._started:
            return
        async with self._lock:
            if self._is_started():  # another caller started it while this one waited
                return
            stored = await self._store.load()
            if stored:
                try:
                    await self.client.login(session_string=stored, fetch_bsky_profile=False)
                except (ValueError, IndexError, LoginRequiredError):
                    log.warning(
                        "bluesky %s: stored session unreadable; logging in again", self.handle
                    )
                    await self._password_login()
            else:
                await self._password_login()
            self._started = True

    async def call(self, endpoint: str, fn: Callable[[], Awaitable[T]], now: datetime) -> T:
        """Run one API call, recovering a dead session once and translating 429s.

        Args:
            endpoint: The XRPC method, for errors and logs.
            fn: The call itself (re-invoked after a session recovery).
            now: The current time (UTC), to turn ``retry-after`` into an instant.

        Raises:
            RateLimitedError: 429; wait until ``retry_at``.
            SessionDeadError: Refresh and password login both failed.
        """
        await self.start()
        used = self._access_token()
        try:
            return await self._rate_limited(endpoint, fn, now)
        except (UnauthorizedError, BadRequestError, LoginRequiredError) as exc:
            if not is_auth_failure(exc):
                raise
            log.info("bluesky %s: session rejected (%s); recovering", self.handle, exc)
        await self.recover(rejected=used)
        return await self._rate_limited(endpoint, fn, now)

    def _is_started(self) -> bool:
        return self._started

    def _access_token(self) -> str | None:
        session = self.client._session
        return None if session is None else str(session.access_jwt)

    async def query(self, nsid: str, params: ParamsModelBase, now: datetime) -> dict[str, Any]:
        """Run an XRPC query with :meth:`call`'s recovery and return the raw JSON object.

        Items are left raw so callers validate them one by one.
        """
        return await self.call(nsid, lambda: query_json(self.client, nsid, params), now)

    async def _rate_limited(
        self, endpoint: str, fn: Callable[[], Awaitable[T]], now: datetime
    ) -> T:
        try:
            return await fn()
        except RateLimitExceededError as exc:
            raise rate_limit_from(exc, endpoint, now) from exc

    async def recover(self, *, rejected: str | None = None) -> None:
        """Refresh the session; when the refresh token is dead, log in with the password.

        Concurrent callers recover once: a caller that waited for another's recovery finds
        the rejected access token replaced and returns (a second refresh would use the
        rotated-away refresh token and fall back to a needless password login).

        Args:
            rejected: The access token the service rejected; ``None`` always recovers.

        Raises:
            SessionDeadError: The password login failed too.
        """
        async with self._lock:
            if rejected is not None and self._access_token() != rejected:
                return  # recovered by another caller meanwhile
            try:
                # The SDK refreshes by itself before expiry; this forces it after a 401.
                await self.client._refresh_and_set_session()
                return
            except (UnauthorizedError, BadRequestError, LoginRequiredError) as exc:
                if not is_auth_failure(exc):
                    raise
                log.info("bluesky %s: refresh token rejected; password login", self.handle)
            await self._password_login()

    async def _password_login(self) -> None:
        try:
            await self.client.login(
                self.handle, self._password.get_secret_value(), fetch_bsky_profile=False
            )
        except (UnauthorizedError, BadRequestError) as exc:
            # 401 bad password / revoked app password, 400 takedown or deactivated account.
            raise SessionDeadError(self.handle, str(exc)) from exc
        except RateLimitExceededError as exc:
            raise rate_limit_from(
                exc, "com.atproto.server.createSession", self.client.get_current_time()
            ) from exc

    async def _on_session_change(self, event: SessionEvent, session: Session) -> None:
        if event in (SessionEvent.CREATE, SessionEvent.REFRESH):
            await self._store.save(session.export())
            log.info("bluesky %s: session %s and stored", self.handle, event.value + "d")

    async def close(self) -> None:
        """Close the HTTP connections."""
        await self.request.close()
