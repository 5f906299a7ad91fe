"""OAuth 2.0 authorization code + PKCE for the X sandbox: codes, access and refresh tokens.

Behaviour copied from X (``API-NOTES.md`` B5): the authorization code lives 30 s, an access
token 2 h, and every refresh *rotates* the refresh token (the old one stops working). Times come
from the sandbox clock, so a test can age a token by advancing the clock.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

__all__ = [
    "CODE_TTL",
    "DEFAULT_SCOPES",
    "TOKEN_TTL",
    "AccessToken",
    "OAuthError",
    "OAuthServer",
    "s256",
]

CODE_TTL = timedelta(seconds=30)
TOKEN_TTL = timedelta(hours=2)
DEFAULT_SCOPES = "tweet.read tweet.write users.read like.write offline.access"


class OAuthError(Exception):
    """A token-endpoint refusal: ``error`` / ``error_description`` as X sends them."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status

    def body(self) -> dict[str, str]:
        """The JSON body of the refusal."""
        return {"error": self.error, "error_description": self.description}


@dataclass(frozen=True, slots=True)
class AccessToken:
    """A user access token: whose it is, what it may do and until when."""

    token: str
    user_id: str
    scopes: frozenset[str]
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class _Code:
    client_id: str
    redirect_uri: str
    challenge: str
    method: str
    scopes: str
    expires_at: datetime


def s256(verifier: str) -> str:
    """The PKCE ``S256`` challenge of ``verifier`` (base64url of SHA-256, no padding)."""
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


@dataclass(slots=True)
class OAuthServer:
    """Issues and checks tokens for one brand user.

    Args:
        user_id: The X user every user token belongs to (the brand).
        client_id: The registered OAuth 2.0 client id.
        client_secret: Its secret (confidential client: HTTP Basic on the token endpoint).
    """

    user_id: str
    client_id: str
    client_secret: str
    _codes: dict[str, _Code] = field(default_factory=dict)
    _access: dict[str, AccessToken] = field(default_factory=dict)
    _refresh: dict[str, str] = field(default_factory=dict)  # refresh token -> scopes

    def authorize(
        self,
        now: datetime,
        *,
        client_id: str,
        redirect_uri: str,
        scope: str,
        challenge: str,
        method: str,
    ) -> str:
        """Approve an authorize request (no consent page) and return the one-time code."""
        if client_id != self.client_id:
            raise OAuthError("invalid_request", "Value passed for client_id was invalid.")
        if not redirect_uri or not challenge or method not in {"S256", "plain"}:
            raise OAuthError("invalid_request", "Missing or invalid PKCE or redirect_uri.")
        code = secrets.token_urlsafe(32)
        self._codes[code] = _Code(client_id, redirect_uri, challenge, method, scope, now + CODE_TTL)
        return code

    def check_client(self, basic: tuple[str, str] | None, form_client_id: str | None) -> None:
        """Authenticate the client: Basic ``id:secret`` (confidential) or a public client id."""
        if basic is not None:
            ok_id = hmac.compare_digest(basic[0], self.client_id)
            ok_secret = hmac.compare_digest(basic[1], self.client_secret)
            if not (ok_id and ok_secret):
                raise OAuthError("unauthorized_client", "Missing valid authorization header", 401)
        elif form_client_id != self.client_id:
            raise OAuthError("invalid_request", "Missing required parameter [client_id].")

    def exchange_code(
        self, now: datetime, *, code: str, verifier: str, redirect_uri: str
    ) -> dict[str, object]:
        """Trade a code (once) and its PKCE verifier for tokens."""
        grant = self._codes.pop(code, None)
        if grant is None or now > grant.expires_at:
            raise OAuthError(
                "invalid_request", "Value passed for the authorization code was invalid."
            )
        expected = s256(verifier) if grant.method == "S256" else verifier
        if not verifier or not hmac.compare_digest(expected, grant.challenge):
            raise OAuthError("invalid_request", "Value passed for the code_verifier was invalid.")
        if redirect_uri != grant.redirect_uri:
            raise OAuthError("invalid_request", "Value passed for the redirect_uri was invalid.")
        return self._issue(now, grant.scopes)

    def refresh(self, now: datetime, refresh_token: str) -> dict[str, object]:
        """Trade a refresh token for new tokens; the old refresh token becomes invalid."""
        scopes = self._refresh.pop(refresh_token, None)
        if scopes is None:
            raise OAuthError("invalid_request", "Value passed for the token was invalid.")
        return self._issue(now, scopes)

    def issue_refresh_token(self, scopes: str = DEFAULT_SCOPES, token: str | None = None) -> str:
        """Mint a refresh token directly (``token`` chooses it: the one ``sb.env()`` gives)."""
        token = token or secrets.token_urlsafe(48)
        self._refresh[token] = scopes
        return token

    def issue_access_token(self, now: datetime, scopes: str = DEFAULT_SCOPES) -> str:
        """Mint an access token directly (tests that skip the OAuth dance)."""
        return str(self._issue(now, scopes)["access_token"])

    def lookup(self, token: str, now: datetime) -> AccessToken | None:
        """The live access token ``token``, or ``None`` when unknown or expired."""
        found = self._access.get(token)
        if found is None or now >= found.expires_at:
            return None
        return found

    def revoke_all(self) -> None:
        """Invalidate every access and refresh token (a user revoking the app)."""
        self._access.clear()
        self._refresh.clear()

    def _issue(self, now: datetime, scopes: str) -> dict[str, object]:
        access = secrets.token_urlsafe(64)
        self._access[access] = AccessToken(
            access, self.user_id, frozenset(scopes.split()), now + TOKEN_TTL
        )
        body: dict[str, object] = {
            "token_type": "bearer",
            "expires_in": int(TOKEN_TTL.total_seconds()),
            "access_token": access,
            "scope": scopes,
        }
        if "offline.access" in scopes.split():
            body["refresh_token"] = self.issue_refresh_token(scopes)
        return body
