"""Request accounting and fault-injection middleware, plus the ``/_sandbox/*`` control routes."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from sandbox._ids import format_datetime
from sandbox._world import Fault, World

__all__ = ["WORLD", "control_middleware", "endpoint_key", "json_response", "setup_control"]

#: App key under which the :class:`World` lives (``request.app[WORLD]``).
WORLD = web.AppKey("world", World)

_PARAM = re.compile(r"\{(\w+)(?::[^}]*)?\}")


def json_response(
    payload: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """A JSON response with ``Content-Type: application/json`` exactly (no charset)."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    response = web.Response(body=body, status=status, headers=headers)
    response.headers["Content-Type"] = "application/json"
    return response


def endpoint_key(request: web.Request) -> str | None:
    """The name requests and faults are counted under, ``None`` for control routes.

    XRPC calls are named by their NSID (``app.bsky.notification.listNotifications``); every
    other route is ``METHOD /path/with/:params`` (``GET /2/users/:id/mentions``).
    """
    path = request.path
    if path.startswith("/_sandbox/"):
        return None
    if path.startswith("/xrpc/"):
        return path[len("/xrpc/") :]
    resource = request.match_info.route.resource
    canonical = resource.canonical if resource is not None else path
    return request.method + " " + _PARAM.sub(r":\1", canonical)


def _fault_body(endpoint: str, status: int) -> dict[str, Any]:
    if "." in endpoint and " " not in endpoint:
        return {
            "error": "InternalServerError" if status >= 500 else "InvalidRequest",
            "message": f"sandbox fault: {status}",
        }
    return {
        "title": "Service Unavailable",
        "detail": f"sandbox fault: {status}",
        "type": "about:blank",
        "status": status,
    }


async def _apply(request: web.Request, handler: Handler, fault: Fault) -> web.StreamResponse:
    done: web.StreamResponse | None = None
    if fault.after:
        # The request is processed first (a write lands); its answer is then late, lost,
        # replaced by an error or garbled.
        try:
            done = await handler(request)
        except web.HTTPException as exc:
            done = exc
    if fault.delay_s:
        await asyncio.sleep(fault.delay_s)
    if fault.drop:
        transport = request.transport
        if transport is not None:
            transport.abort()
        raise asyncio.CancelledError
    if fault.status is not None:
        return json_response(_fault_body(endpoint_key(request) or "", fault.status), fault.status)
    if fault.malformed:
        response = web.Response(status=200, body=b'{"data": [{"id": "1", "text": "trunc')
        response.headers["Content-Type"] = "application/json"
        return response
    if isinstance(done, web.HTTPException):
        raise done
    return done if done is not None else await handler(request)


@web.middleware
async def control_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Count every request per endpoint, log it, and apply a queued fault if one is due."""
    endpoint = endpoint_key(request)
    if endpoint is None:
        return await handler(request)
    world = request.app[WORLD]
    status = 0
    try:
        fault = world.take_fault(endpoint)
        response = await (_apply(request, handler, fault) if fault else handler(request))
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    finally:
        world.note_request(endpoint, request.method, request.path_qs, status)


async def _state(request: web.Request) -> web.Response:
    state = request.app[WORLD].state()
    if request.query.get("log") == "0":
        state.pop("request_log")
    return json_response(state)


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError as exc:
        raise web.HTTPBadRequest(text="body must be JSON") from exc
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="body must be a JSON object")
    return body


async def _faults(request: web.Request) -> web.Response:
    body = await _body(request)
    endpoint = body.get("endpoint")
    count = body.get("count", 1)
    status = body.get("status")
    delay = body.get("delay_s")
    if not isinstance(endpoint, str) or not endpoint:
        raise web.HTTPBadRequest(text="endpoint (string) is required")
    if not isinstance(count, int) or count < 1:
        raise web.HTTPBadRequest(text="count must be a positive integer")
    if status is not None and (not isinstance(status, int) or not 400 <= status <= 599):
        raise web.HTTPBadRequest(text="status must be an HTTP error code or null")
    if delay is not None and (not isinstance(delay, int | float) or delay < 0):
        raise web.HTTPBadRequest(text="delay_s must be a non-negative number or null")
    fault = Fault(
        status,
        None if delay is None else float(delay),
        bool(body.get("malformed")),
        bool(body.get("drop")),
        bool(body.get("after")),
    )
    world = request.app[WORLD]
    world.queue_fault(endpoint, fault, count)
    return json_response({"endpoint": endpoint, "queued": len(world.faults[endpoint])})


async def _advance(request: web.Request) -> web.Response:
    body = await _body(request)
    seconds = body.get("seconds")
    if not isinstance(seconds, int | float) or seconds < 0:
        raise web.HTTPBadRequest(text="seconds must be a non-negative number")
    world = request.app[WORLD]
    world.advance(float(seconds))
    return json_response({"now": format_datetime(world.now())})


def setup_control(app: web.Application) -> None:
    """Add the ``/_sandbox/state``, ``/_sandbox/faults`` and ``/_sandbox/advance`` routes."""
    app.router.add_get("/_sandbox/state", _state)
    app.router.add_post("/_sandbox/faults", _faults)
    app.router.add_post("/_sandbox/advance", _advance)
