"""``/_sandbox/x/*`` control routes: the cost ledger, credits, rate limits and tokens."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from aiohttp import web

from sandbox._control import json_response
from sandbox.x._http import X_STATE

__all__ = ["add_control_routes", "summary"]


def summary(request_app: web.Application) -> dict[str, Any]:
    """The ``x`` key of ``/_sandbox/state``: ledger totals and entries, credits."""
    return request_app[X_STATE].ledger.as_json()


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError as exc:
        raise web.HTTPBadRequest(text="body must be JSON") from exc
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="body must be a JSON object")
    return body


def _usd(value: object, name: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise web.HTTPBadRequest(text=f"{name} must be a number") from exc
    if isinstance(value, bool) or not isinstance(value, int | float) or amount < 0:
        raise web.HTTPBadRequest(text=f"{name} must be a non-negative number")
    return amount


async def _ledger(request: web.Request) -> web.Response:
    return json_response(summary(request.app))


async def _credits(request: web.Request) -> web.Response:
    """Top up (``{"add_usd": n}``) or set (``{"set_usd": n | null}``) the credits bought.

    ``null`` removes the budget. Credits count against everything billed since the start.
    """
    body = await _body(request)
    ledger = request.app[X_STATE].ledger
    if "set_usd" in body:
        value = body["set_usd"]
        ledger.credits_usd = None if value is None else _usd(value, "set_usd")
    elif "add_usd" in body:
        ledger.top_up(_usd(body["add_usd"], "add_usd"))
    else:
        raise web.HTTPBadRequest(text="give add_usd or set_usd")
    return json_response(summary(request.app))


async def _limits(request: web.Request) -> web.Response:
    """``{"endpoint": "GET /2/users/:id/mentions", "app": n | null, "user": n | null}``."""
    body = await _body(request)
    endpoint = body.get("endpoint")
    limits = request.app[X_STATE].limits.limits
    if not isinstance(endpoint, str) or endpoint not in limits:
        raise web.HTTPBadRequest(text=f"endpoint must be one of {sorted(limits)}")
    per_app, per_user = limits[endpoint]
    for key in ("app", "user"):
        value = body.get(key, per_app if key == "app" else per_user)
        if value is not None and (not isinstance(value, int) or value < 0):
            raise web.HTTPBadRequest(text=f"{key} must be a non-negative integer or null")
    limits[endpoint] = (body.get("app", per_app), body.get("user", per_user))
    return json_response(
        {"endpoint": endpoint, "app": limits[endpoint][0], "user": limits[endpoint][1]}
    )


async def _token(request: web.Request) -> web.Response:
    """Mint a user access token (and a refresh token) without the browser dance."""
    state = request.app[X_STATE]
    body = await _body(request) if request.can_read_body else {}
    scopes = body.get("scope", "tweet.read tweet.write users.read like.write offline.access")
    if not isinstance(scopes, str):
        raise web.HTTPBadRequest(text="scope must be a string")
    access = state.oauth.issue_access_token(state.now(), scopes)
    return json_response({"access_token": access, "scope": scopes, "user_id": state.brand.id})


async def _revoke(request: web.Request) -> web.Response:
    request.app[X_STATE].oauth.revoke_all()
    return json_response({"revoked": True})


def add_control_routes(app: web.Application) -> None:
    """Register the X control routes."""
    app.router.add_get("/_sandbox/x/ledger", _ledger)
    app.router.add_post("/_sandbox/x/credits", _credits)
    app.router.add_post("/_sandbox/x/limits", _limits)
    app.router.add_post("/_sandbox/x/token", _token)
    app.router.add_post("/_sandbox/x/revoke", _revoke)
