"""OAuth 2.0 authorization code + PKCE, token expiry and refresh-token rotation."""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp

from sandbox import ManualClock, SandboxServer
from sandbox import _credentials as creds

REDIRECT = "http://127.0.0.1:8765/callback?from=test"
BASIC = aiohttp.encode_basic_auth(creds.X_CLIENT_ID, creds.X_CLIENT_SECRET)


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")


async def _authorize(http: aiohttp.ClientSession, sb: SandboxServer, challenge: str) -> str:
    params = {
        "response_type": "code",
        "client_id": creds.X_CLIENT_ID,
        "redirect_uri": REDIRECT,
        "scope": "tweet.read tweet.write users.read offline.access",
        "state": "xyz123",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    async with http.get(
        f"{sb.url}/i/oauth2/authorize", params=params, allow_redirects=False
    ) as resp:
        assert resp.status == 302
        location = urlsplit(resp.headers["Location"])
    query = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT.split("?")[0]
    assert query["state"] == ["xyz123"]
    assert query["from"] == ["test"]
    return query["code"][0]


async def _token(
    http: aiohttp.ClientSession, sb: SandboxServer, form: dict[str, str], auth: str | None = BASIC
) -> tuple[int, dict[str, Any]]:
    headers = {"Authorization": auth} if auth else {}
    async with http.post(f"{sb.x_api_base}/2/oauth2/token", data=form, headers=headers) as resp:
        assert resp.headers["Content-Type"] == "application/json"
        return resp.status, await resp.json()


async def _me(http: aiohttp.ClientSession, sb: SandboxServer, token: str) -> int:
    async with http.get(
        f"{sb.x_api_base}/2/users/me", headers={"Authorization": f"Bearer {token}"}
    ) as resp:
        return resp.status


async def test_pkce_code_exchange_then_rotation_and_expiry(
    sandbox: SandboxServer, clock: ManualClock, http: aiohttp.ClientSession
) -> None:
    verifier = secrets.token_urlsafe(48)
    code = await _authorize(http, sandbox, _challenge(verifier))
    status, tokens = await _token(
        http,
        sandbox,
        {
            "grant_type": "authorization_code",
            "code": code,
            "code_verifier": verifier,
            "redirect_uri": REDIRECT,
        },
    )
    assert status == 200, tokens
    assert tokens["token_type"] == "bearer"
    assert tokens["expires_in"] == 7200
    assert await _me(http, sandbox, tokens["access_token"]) == 200

    # The code is single-use.
    status, body = await _token(
        http,
        sandbox,
        {
            "grant_type": "authorization_code",
            "code": code,
            "code_verifier": verifier,
            "redirect_uri": REDIRECT,
        },
    )
    assert status == 400
    assert body["error"] == "invalid_request"

    # Refresh rotates: the new refresh token works, the old one is dead.
    old = tokens["refresh_token"]
    status, fresh = await _token(
        http, sandbox, {"grant_type": "refresh_token", "refresh_token": old}
    )
    assert status == 200
    assert fresh["refresh_token"] != old
    status, body = await _token(
        http, sandbox, {"grant_type": "refresh_token", "refresh_token": old}
    )
    assert status == 400
    assert body == {
        "error": "invalid_request",
        "error_description": "Value passed for the token was invalid.",
    }

    # Access tokens live two hours on the sandbox clock.
    clock.advance(timedelta(hours=1, minutes=59))
    assert await _me(http, sandbox, fresh["access_token"]) == 200
    clock.advance(timedelta(minutes=1))
    assert await _me(http, sandbox, fresh["access_token"]) == 401


async def test_wrong_verifier_stale_code_and_bad_client_are_refused(
    sandbox: SandboxServer, clock: ManualClock, http: aiohttp.ClientSession
) -> None:
    verifier = secrets.token_urlsafe(48)
    code = await _authorize(http, sandbox, _challenge(verifier))
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "code_verifier": "wrong" * 10,
        "redirect_uri": REDIRECT,
    }
    assert (await _token(http, sandbox, form))[0] == 400
    code = await _authorize(http, sandbox, _challenge(verifier))
    clock.advance(timedelta(seconds=31))  # codes live about 30 s
    form = {**form, "code": code, "code_verifier": verifier}
    assert (await _token(http, sandbox, form))[0] == 400
    status, body = await _token(
        http,
        sandbox,
        {"grant_type": "refresh_token", "refresh_token": creds.X_REFRESH_TOKEN},
        auth=aiohttp.encode_basic_auth(creds.X_CLIENT_ID, "not-the-secret"),
    )
    assert status == 401
    assert body["error"] == "unauthorized_client"
    status, body = await _token(http, sandbox, {"grant_type": "password"})
    assert (status, body["error"]) == (400, "unsupported_grant_type")


async def test_env_refresh_token_works_once_for_a_public_client(
    sandbox: SandboxServer, http: aiohttp.ClientSession
) -> None:
    form = {
        "grant_type": "refresh_token",
        "refresh_token": sandbox.env()["ENGAGEBOT_X_REFRESH_TOKEN"],
        "client_id": creds.X_CLIENT_ID,
    }
    status, tokens = await _token(http, sandbox, form, auth=None)
    assert status == 200
    assert await _me(http, sandbox, tokens["access_token"]) == 200
    assert (await _token(http, sandbox, form, auth=None))[0] == 400


async def test_authorize_refuses_unknown_client_and_missing_pkce(
    sandbox: SandboxServer, http: aiohttp.ClientSession
) -> None:
    base = {
        "response_type": "code",
        "client_id": creds.X_CLIENT_ID,
        "redirect_uri": REDIRECT,
        "code_challenge": "abc",
        "code_challenge_method": "S256",
    }
    for params in (
        {**base, "client_id": "nope"},
        {**base, "code_challenge": ""},
        {**base, "response_type": "token"},
    ):
        async with http.get(
            f"{sandbox.url}/2/oauth2/authorize", params=params, allow_redirects=False
        ) as resp:
            assert resp.status == 400
