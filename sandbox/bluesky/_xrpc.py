"""XRPC plumbing: errors in the ``{"error", "message"}`` shape and query-parameter parsing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from sandbox._control import json_response

__all__ = ["XrpcError", "int_param", "list_param", "str_param", "xrpc_handler"]

XrpcHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class XrpcError(Exception):
    """An XRPC error answer (status, ``error`` name, ``message``, extra headers)."""

    def __init__(
        self,
        status: int,
        error: str,
        message: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.headers = headers or {}

    def response(self) -> web.Response:
        """The JSON response for this error."""
        body = {"error": self.error, "message": self.message}
        return json_response(body, self.status, self.headers)


def invalid(message: str) -> XrpcError:
    """A 400 ``InvalidRequest``."""
    return XrpcError(400, "InvalidRequest", message)


def xrpc_handler(handler: XrpcHandler) -> XrpcHandler:
    """Wrap a handler so :class:`XrpcError` becomes its JSON answer."""

    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except XrpcError as exc:
            return exc.response()

    return wrapped


def str_param(request: web.Request, name: str, *, required: bool = False) -> str | None:
    """A single string query parameter."""
    value = request.query.get(name)
    if value is None and required:
        raise invalid(f'Error: Params must have the property "{name}"')
    return value


def int_param(request: web.Request, name: str, default: int, low: int, high: int) -> int:
    """An integer query parameter within ``[low, high]``."""
    raw = request.query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise invalid(f"Error: {name} must be an integer") from exc
    if value < low:
        raise invalid(f"Error: {name} can not be less than {low}")
    if value > high:
        raise invalid(f"Error: {name} can not be greater than {high}")
    return value


def list_param(request: web.Request, name: str, max_items: int | None = None) -> list[str]:
    """A repeated query parameter (``name=a&name=b``)."""
    values = request.query.getall(name, [])
    if max_items is not None and len(values) > max_items:
        raise invalid(f"Error: {name} must not have more than {max_items} elements")
    return list(values)


def datetime_param(request: web.Request, name: str) -> datetime | None:
    """An ISO datetime (or ``YYYY-MM-DD``) query parameter."""
    raw = request.query.get(name)
    if raw is None:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as exc:
        raise invalid(f"Error: {name} must be a valid datetime") from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


async def json_body(request: web.Request) -> dict[str, Any]:
    """The JSON object body of a procedure call."""
    try:
        body = await request.json()
    except ValueError as exc:
        raise invalid("Request body is not valid JSON") from exc
    if not isinstance(body, dict):
        raise invalid("Input must be an object")
    return body
