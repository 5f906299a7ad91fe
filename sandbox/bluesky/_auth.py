"""Sessions: JWT-shaped tokens, refresh rotation, and the createSession rate limit.

Errors follow the reference PDS (bluesky-social/atproto ``packages/pds/src/auth-verifier.ts``
and ``refreshSession.ts``): no bearer -> 401 ``AuthMissing``; an expired token -> 400
``ExpiredToken`` "Token has expired"; a bad signature or shape -> 400 ``InvalidToken``; a
refresh token already rotated -> 400 ``ExpiredToken`` "Token has been revoked".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from sandbox.bluesky._xrpc import XrpcError

__all__ = ["ACCESS_TTL", "REFRESH_TTL", "Auth", "Claims", "RateLimiter"]

ACCESS_TTL = timedelta(hours=2)
REFRESH_TTL = timedelta(days=60)
ACCESS_SCOPE = "com.atproto.appPass"
REFRESH_SCOPE = "com.atproto.refresh"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True, slots=True)
class Claims:
    """The verified claims of a token."""

    did: str
    scope: str
    jti: str | None
    exp: int


class RateLimiter:
    """Fixed-window limits (``[(points, window)]``) per key, with ``ratelimit-*`` headers."""

    def __init__(self, limits: list[tuple[int, timedelta]]) -> None:
        self._limits = limits
        self._hits: dict[str, deque[datetime]] = {}

    def _window(self, key: str, now: datetime) -> deque[datetime]:
        hits = self._hits.setdefault(key, deque())
        longest = max(window for _, window in self._limits)
        while hits and hits[0] <= now - longest:
            hits.popleft()
        return hits

    def check(self, key: str, now: datetime, points: int = 1) -> dict[str, str]:
        """Consume ``points`` for ``key``; return headers, or raise a 429 XRPC error."""
        hits = self._window(key, now)
        tightest: tuple[int, int, datetime, str] | None = None
        for limit, window in self._limits:
            in_window = [t for t in hits if t > now - window]
            remaining = limit - len(in_window)
            reset = (in_window[0] + window) if in_window else now + window
            policy = f"{limit};w={int(window.total_seconds())}"
            if tightest is None or remaining < tightest[1]:
                tightest = (limit, remaining, reset, policy)
        assert tightest is not None
        limit, remaining, reset, policy = tightest
        headers = {
            "ratelimit-limit": str(limit),
            "ratelimit-remaining": str(max(remaining - points, 0)),
            "ratelimit-reset": str(int(reset.timestamp()) + 1),
            "ratelimit-policy": policy,
        }
        if remaining < points:
            headers["ratelimit-remaining"] = "0"
            raise XrpcError(429, "RateLimitExceeded", "Rate Limit Exceeded", headers)
        hits.extend([now] * points)
        return headers


class Auth:
    """Issues and verifies tokens for the simulated PDS."""

    def __init__(self, seed: int) -> None:
        self._secret = hashlib.sha256(f"sandbox-jwt:{seed}".encode()).digest()
        self._live_refresh: set[str] = set()
        self.session_limit = RateLimiter([(30, timedelta(minutes=5)), (300, timedelta(days=1))])
        self.write_limit = RateLimiter([(5000, timedelta(hours=1)), (35000, timedelta(days=1))])

    def _sign(self, payload: dict[str, Any]) -> str:
        header = _b64(json.dumps({"typ": "at+jwt", "alg": "HS256"}).encode())
        body = _b64(json.dumps(payload, separators=(",", ":")).encode())
        sig = hmac.new(self._secret, f"{header}.{body}".encode(), hashlib.sha256).digest()
        return f"{header}.{body}.{_b64(sig)}"

    def issue(self, did: str, now: datetime) -> tuple[str, str]:
        """Return a fresh ``(accessJwt, refreshJwt)`` pair for ``did``."""
        iat = int(now.timestamp())
        access = self._sign(
            {
                "scope": ACCESS_SCOPE,
                "sub": did,
                "aud": "did:web:sandbox.local",
                "iat": iat,
                "exp": int((now + ACCESS_TTL).timestamp()),
            }
        )
        jti = secrets.token_urlsafe(24)
        refresh = self._sign(
            {
                "scope": REFRESH_SCOPE,
                "sub": did,
                "aud": "did:web:sandbox.local",
                "jti": jti,
                "iat": iat,
                "exp": int((now + REFRESH_TTL).timestamp()),
            }
        )
        self._live_refresh.add(jti)
        return access, refresh

    def verify(self, request: web.Request, scope: str, now: datetime) -> Claims:
        """Verify the bearer token of ``request`` for ``scope`` (access or refresh)."""
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            raise XrpcError(401, "AuthMissing", "Authentication Required")
        token = header[len("Bearer ") :]
        try:
            head, body, sig = token.split(".")
            expected = hmac.new(self._secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
            if not hmac.compare_digest(expected, _unb64(sig)):
                raise ValueError("bad signature")
            payload = json.loads(_unb64(body))
            claims = Claims(
                payload["sub"], payload["scope"], payload.get("jti"), int(payload["exp"])
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise XrpcError(400, "InvalidToken", "Token could not be verified") from exc
        if claims.exp <= now.timestamp():
            raise XrpcError(400, "ExpiredToken", "Token has expired")
        if claims.scope != scope:
            raise XrpcError(400, "InvalidToken", "Bad token scope")
        return claims

    def access(self, request: web.Request, now: datetime) -> Claims:
        """Verify an access token."""
        return self.verify(request, ACCESS_SCOPE, now)

    def rotate(self, request: web.Request, now: datetime) -> Claims:
        """Verify a refresh token and revoke it (each refresh token works once)."""
        claims = self.verify(request, REFRESH_SCOPE, now)
        if claims.jti not in self._live_refresh:
            raise XrpcError(400, "ExpiredToken", "Token has been revoked")
        self._live_refresh.discard(claims.jti)
        return claims

    def revoke(self, request: web.Request, now: datetime) -> None:
        """Revoke the refresh token of ``request`` (deleteSession)."""
        claims = self.verify(request, REFRESH_SCOPE, now)
        self._live_refresh.discard(claims.jti or "")
