"""Plumbing shared by the X handlers: auth, rate limits, credits, query parsing, JSON out.

Every X route is wrapped by :func:`x_route`, which in order: authenticates the caller (401 for
a missing/unknown/expired token, 403 for an app token on a user-context endpoint), counts the
request against its 15-minute window (429 code 88, counted in the world's ``rate_limited``),
refuses billable calls once credits are spent (402 ``CreditsDepleted``), runs the handler and
stamps ``x-rate-limit-*`` headers on whatever goes out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiohttp import web

from sandbox._control import WORLD
from sandbox.x._errors import (
    XError,
    credits_depleted,
    forbidden,
    invalid_request,
    rate_limited,
    unauthorized,
    unsupported_auth,
)
from sandbox.x._oauth import AccessToken
from sandbox.x._state import XState

__all__ = ["X_STATE", "Call", "Caller", "id_param", "int_param", "json_out", "x_route"]

#: App key of the X simulator's state.
X_STATE = web.AppKey("x_state", XState)

_ID = re.compile(r"^[0-9]{1,19}$")


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is calling: the app (bearer token) or a user (OAuth 2.0 access token)."""

    token: AccessToken | None

    @property
    def is_user(self) -> bool:
        """Whether this is user context."""
        return self.token is not None

    @property
    def key(self) -> str:
        """Rate-limit bucket owner."""
        return self.token.user_id if self.token is not None else "app"


@dataclass(frozen=True, slots=True)
class Call:
    """What a handler gets: the request, the X state, the caller and the time."""

    request: web.Request
    state: XState
    caller: Caller
    now: datetime
    endpoint: str


Handler = Callable[[Call], Awaitable[tuple[int, dict[str, Any]]]]


def json_out(status: int, body: Any, headers: dict[str, str]) -> web.Response:
    """A JSON response with ``Content-Type: application/json``."""
    response = web.Response(status=status, body=json.dumps(body).encode(), headers=headers)
    response.headers["Content-Type"] = "application/json"
    return response


def _authenticate(request: web.Request, state: XState, now: datetime) -> Caller:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized()
    token = token.strip()
    if token == state.bearer_token:
        return Caller(None)
    found = state.oauth.lookup(token, now)
    if found is None:
        raise unauthorized()
    return Caller(found)


def x_route(
    endpoint: str,
    *,
    user_only: bool = False,
    scopes: tuple[str, ...] = ("tweet.read",),
    billable: bool = True,
) -> Callable[[Handler], Callable[[web.Request], Awaitable[web.StreamResponse]]]:
    """Wrap a handler returning ``(status, body)`` with auth, limits, credits and headers.

    Args:
        endpoint: The endpoint name (``GET /2/users/:id/mentions``), as the rate-limit table
            and ``/_sandbox/faults`` spell it.
        user_only: Refuse app-only bearer tokens (403 Unsupported Authentication).
        scopes: OAuth 2.0 scopes a user token must carry.
        billable: Whether a depleted credit balance blocks the call (402).
    """

    def wrap(handler: Handler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def run(request: web.Request) -> web.StreamResponse:
            state = request.app[X_STATE]
            now = state.now()
            headers = state.limits.peek(endpoint, "app", False, now).headers()
            try:
                caller = _authenticate(request, state, now)
                status = state.limits.hit(endpoint, caller.key, caller.is_user, now)
                headers = status.headers()
                if caller.token is None and user_only:
                    raise unsupported_auth()
                if not status.allowed:
                    request.app[WORLD].note_rate_limited(endpoint)
                    raise rate_limited()
                if caller.token is not None:
                    missing = [s for s in scopes if s not in caller.token.scopes]
                    if missing:
                        raise forbidden(f"Missing required OAuth 2.0 scopes: {' '.join(missing)}")
                if billable and state.ledger.depleted:
                    raise credits_depleted(state.brand.id)
                state.sync()
                code, body = await handler(Call(request, state, caller, now, endpoint))
            except XError as err:
                return err.response(headers)
            return json_out(code, body, headers)

        return run

    return wrap


def id_param(value: str | None, name: str, *, required: bool = True) -> str | None:
    """Validate a numeric X id parameter (``^[0-9]{1,19}$``)."""
    if value is None or value == "":
        if required:
            raise invalid_request(name, "", f"The `{name}` query parameter can not be empty")
        return None
    if not _ID.match(value):
        raise invalid_request(
            name,
            value,
            f"The `{name}` query parameter value [{value}] does not match ^[0-9]{{1,19}}$",
        )
    return value


def int_param(request: web.Request, name: str, default: int, low: int, high: int) -> int:
    """An integer query parameter within ``[low, high]`` (X's wording on failure)."""
    raw = request.query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise invalid_request(
            name, raw, f"The `{name}` query parameter value [{raw}] is not between {low} and {high}"
        )
    return value


async def json_body(request: web.Request) -> dict[str, Any]:
    """The JSON object body of a write, or 400 as X answers malformed bodies."""
    try:
        body = await request.json(loads=json.loads)
    except (ValueError, UnicodeDecodeError) as exc:
        raise invalid_request("body", "", "Request body is not valid JSON.") from exc
    if not isinstance(body, dict):
        raise invalid_request("body", "", "Request body must be a JSON object.")
    return body
