"""OAuth 2.0 authorization code with PKCE: the authorize URL and the redirect it comes back on."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit

from watchers.x._errors import XAuthError

SCOPES: tuple[str, ...] = (
    "tweet.read",
    "tweet.write",
    "users.read",
    "like.write",
    "offline.access",
)


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    """One login attempt: the URL to open and the secrets needed to finish it.

    Attributes:
        url: The authorize URL the person opens in a browser.
        state: Anti-CSRF value the redirect must carry back.
        code_verifier: PKCE verifier sent with the code exchange (never shown).
        redirect_uri: Where X sends the browser back.
    """

    url: str
    state: str
    code_verifier: str = field(repr=False)
    redirect_uri: str


def code_challenge(verifier: str) -> str:
    """The S256 PKCE challenge of ``verifier`` (RFC 7636 §4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def start_authorization(
    *,
    authorize_url: str,
    client_id: str,
    redirect_uri: str,
    scopes: tuple[str, ...] = SCOPES,
) -> AuthorizationRequest:
    """Create a fresh verifier and state, and the authorize URL carrying the S256 challenge."""
    verifier = secrets.token_urlsafe(64)[:128]
    state = secrets.token_urlsafe(24)
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": " ".join(scopes),
            "state": state,
            "code_challenge": code_challenge(verifier),
            "code_challenge_method": "S256",
        }
    )
    separator = "&" if "?" in authorize_url else "?"
    return AuthorizationRequest(
        url=f"{authorize_url}{separator}{query}",
        state=state,
        code_verifier=verifier,
        redirect_uri=redirect_uri,
    )


def code_from_redirect(redirect_url: str, expected_state: str) -> str:
    """Extract the authorization code from the URL the browser was sent back to.

    Raises:
        XAuthError: The redirect carries an error, no code, or a state that is not ours.
    """
    query = parse_qs(urlsplit(redirect_url.strip()).query)
    if "error" in query:
        description = query.get("error_description", [""])[0]
        raise XAuthError(f"X refused the authorization: {query['error'][0]} {description}".strip())
    state = query.get("state", [""])[0]
    if not secrets.compare_digest(state, expected_state):
        raise XAuthError("the redirect URL's state does not match this login attempt")
    code = query.get("code", [""])[0]
    if not code:
        raise XAuthError("the redirect URL carries no authorization code")
    return code
