"""Who the client is: an app bearer token (read only) or an OAuth 2.0 user token that refreshes.

A user token is refreshed shortly before it expires (and once after a 401). X rotates the
refresh token on every refresh: the new one is handed to ``on_rotate`` at once, so the caller
can persist it before anything else happens.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import aiohttp

from watchers.x._errors import XAuthError, XTransientError

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
REFRESH_MARGIN = timedelta(minutes=5)


def utc_now() -> datetime:
    """The wall clock, in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class TokenSet:
    """An OAuth 2.0 user token pair. Secrets are left out of ``repr`` so they never get logged.

    Attributes:
        access_token: Bearer token for API calls.
        refresh_token: Token for the next refresh (rotates every time), if ``offline.access``.
        expires_at: When the access token stops working (UTC).
        scope: Scopes granted, space separated.
    """

    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_at: datetime
    scope: str = ""


@dataclass(frozen=True, slots=True)
class ClientCredentials:
    """The app's OAuth 2.0 client identity.

    Attributes:
        token_url: ``{api base}/2/oauth2/token``.
        client_id: The OAuth 2.0 client id.
        client_secret: Secret of a confidential client (HTTP Basic), ``None`` for public ones.
    """

    token_url: str
    client_id: str
    client_secret: str | None = field(default=None, repr=False)


async def _token_request(
    session: aiohttp.ClientSession, client: ClientCredentials, form: dict[str, str], now: datetime
) -> TokenSet:
    headers: dict[str, str] = {}
    if client.client_secret:
        headers["Authorization"] = aiohttp.encode_basic_auth(client.client_id, client.client_secret)
    else:
        form = {**form, "client_id": client.client_id}
    try:
        async with session.post(client.token_url, data=form, headers=headers) as response:
            body = await response.read()
            status = response.status
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise XTransientError(f"token endpoint unreachable: {type(exc).__name__}") from exc
    if status >= 500 or status == 429:
        raise XTransientError(f"token endpoint answered HTTP {status}")
    try:
        payload: Any = json.loads(body)
    except ValueError as exc:
        raise XTransientError("token endpoint sent a malformed body") from exc
    if status != 200 or not isinstance(payload, dict) or "access_token" not in payload:
        error = payload.get("error", "") if isinstance(payload, dict) else ""
        raise XAuthError(f"X refused the token request (HTTP {status} {error})".strip())
    expires_in = float(payload.get("expires_in", 7200))
    return TokenSet(
        access_token=str(payload["access_token"]),
        refresh_token=payload.get("refresh_token"),
        expires_at=now + timedelta(seconds=expires_in),
        scope=str(payload.get("scope", "")),
    )


async def exchange_code(
    session: aiohttp.ClientSession,
    client: ClientCredentials,
    *,
    code: str,
    redirect_uri: str,
    code_verifier: str,
    now: datetime,
) -> TokenSet:
    """Trade an authorization code for tokens (do it at once: codes live about 30 s)."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": code_verifier,
    }
    return await _token_request(session, client, form, now)


async def refresh_tokens(
    session: aiohttp.ClientSession, client: ClientCredentials, refresh_token: str, now: datetime
) -> TokenSet:
    """Get a new access token (and a new refresh token: persist it, the old one is spent)."""
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    tokens = await _token_request(session, client, form, now)
    if tokens.refresh_token is None:
        return TokenSet(tokens.access_token, refresh_token, tokens.expires_at, tokens.scope)
    return tokens


class XAuth(Protocol):
    """Supplies the ``Authorization`` header and recovers from a 401 when it can."""

    @property
    def can_write(self) -> bool:
        """Whether this identity may post, like and repost."""
        ...

    async def header(self, session: aiohttp.ClientSession) -> str:
        """The ``Authorization`` header value for the next request."""
        ...

    async def recover(self, session: aiohttp.ClientSession) -> bool:
        """After a 401: refresh the credentials; ``True`` when a retry is worth it."""
        ...


@dataclass(slots=True)
class BearerAuth:
    """App-only bearer token: reads only, nothing to refresh."""

    token: str = field(repr=False)

    @property
    def can_write(self) -> bool:
        """App-only tokens cannot post, like or repost."""
        return False

    async def header(self, session: aiohttp.ClientSession) -> str:
        """``Bearer <app token>``."""
        return f"Bearer {self.token}"

    async def recover(self, session: aiohttp.ClientSession) -> bool:
        """A refused app token cannot be refreshed."""
        return False


RotateHook = Callable[[TokenSet], Awaitable[None]]


class UserTokenAuth:
    """OAuth 2.0 user token, refreshed before expiry and after a 401, rotation reported."""

    def __init__(
        self,
        client: ClientCredentials,
        *,
        refresh_token: str,
        tokens: TokenSet | None = None,
        on_rotate: RotateHook | None = None,
        clock: Clock = utc_now,
        margin: timedelta = REFRESH_MARGIN,
    ) -> None:
        self._client = client
        self._refresh_token = refresh_token
        self._tokens = tokens
        self._on_rotate = on_rotate
        self._clock = clock
        self._margin = margin
        self._lock = asyncio.Lock()
        self._unsaved: TokenSet | None = None

    def __repr__(self) -> str:
        return f"UserTokenAuth(client_id={self._client.client_id!r})"

    @property
    def can_write(self) -> bool:
        """User tokens post, like and repost (within their scopes)."""
        return True

    async def header(self, session: aiohttp.ClientSession) -> str:
        """``Bearer <access token>``, refreshing first when it is missing or about to expire."""
        async with self._lock:
            tokens = self._tokens
            if tokens is None or tokens.expires_at - self._margin <= self._clock():
                tokens = await self._refresh(session)
            elif self._unsaved is not None:
                await self._save(self._unsaved)
        return f"Bearer {tokens.access_token}"

    async def recover(self, session: aiohttp.ClientSession) -> bool:
        """Refresh once after a 401; ``False`` (no retry) when the refresh itself is refused."""
        async with self._lock:
            try:
                await self._refresh(session)
            except XAuthError:
                log.warning("X refresh token refused; user login needed")
                return False
        return True

    async def _refresh(self, session: aiohttp.ClientSession) -> TokenSet:
        tokens = await refresh_tokens(session, self._client, self._refresh_token, self._clock())
        self._tokens = tokens
        if tokens.refresh_token:
            self._refresh_token = tokens.refresh_token
        log.info("X access token refreshed (expires %s)", tokens.expires_at.isoformat())
        await self._save(tokens)
        return tokens

    async def _save(self, tokens: TokenSet) -> None:
        # The rotated refresh token is the only one that still works: keep retrying to save it.
        self._unsaved = tokens
        if self._on_rotate is not None:
            await self._on_rotate(tokens)
        self._unsaved = None
