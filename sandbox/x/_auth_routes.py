"""OAuth 2.0 routes: the sandbox authorize page (auto-approves) and the token endpoint."""

from __future__ import annotations

import base64
import binascii
import json
from urllib.parse import urlencode, urlsplit, urlunsplit

from aiohttp import web

from sandbox.x._http import X_STATE
from sandbox.x._oauth import OAuthError

__all__ = ["add_auth_routes"]


def _json(status: int, body: object) -> web.Response:
    response = web.Response(status=status, body=json.dumps(body).encode())
    response.headers["Content-Type"] = "application/json"
    response.headers["Cache-Control"] = "no-store"
    return response


async def _authorize(request: web.Request) -> web.StreamResponse:
    """``GET /i/oauth2/authorize``: approve at once and redirect with ``code`` and ``state``."""
    state = request.app[X_STATE]
    q = request.query
    if q.get("response_type") != "code":
        return _json(
            400,
            {
                "error": "unsupported_response_type",
                "error_description": "response_type must be code",
            },
        )
    try:
        code = state.oauth.authorize(
            state.now(),
            client_id=q.get("client_id", ""),
            redirect_uri=q.get("redirect_uri", ""),
            scope=q.get("scope", "tweet.read users.read"),
            challenge=q.get("code_challenge", ""),
            method=q.get("code_challenge_method", "plain"),
        )
    except OAuthError as err:
        return _json(err.status, err.body())
    parts = urlsplit(q["redirect_uri"])
    params = {"state": q.get("state", ""), "code": code}
    query = f"{parts.query}&{urlencode(params)}" if parts.query else urlencode(params)
    raise web.HTTPFound(urlunsplit((parts.scheme, parts.netloc, parts.path, query, "")))


def _basic(request: web.Request) -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, _, password = base64.b64decode(value.strip()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return ("", "")
    return (user, password)


async def _token(request: web.Request) -> web.StreamResponse:
    """``POST /2/oauth2/token`` (form-encoded): authorization_code or refresh_token grants."""
    state = request.app[X_STATE]
    if request.content_type != "application/x-www-form-urlencoded":
        return _json(
            400,
            {
                "error": "invalid_request",
                "error_description": "Body must be application/x-www-form-urlencoded",
            },
        )
    form = await request.post()
    field = {k: str(v) for k, v in form.items()}
    try:
        state.oauth.check_client(_basic(request), field.get("client_id"))
        grant = field.get("grant_type")
        if grant == "authorization_code":
            body = state.oauth.exchange_code(
                state.now(),
                code=field.get("code", ""),
                verifier=field.get("code_verifier", ""),
                redirect_uri=field.get("redirect_uri", ""),
            )
        elif grant == "refresh_token":
            body = state.oauth.refresh(state.now(), field.get("refresh_token", ""))
        else:
            raise OAuthError("unsupported_grant_type", f"Grant type {grant!r} is not supported.")
    except OAuthError as err:
        return _json(err.status, err.body())
    return _json(200, body)


def add_auth_routes(app: web.Application) -> None:
    """Register the OAuth 2.0 routes (authorize at both X spellings)."""
    app.router.add_get("/i/oauth2/authorize", _authorize)
    app.router.add_get("/2/oauth2/authorize", _authorize)
    app.router.add_post("/2/oauth2/token", _token)
