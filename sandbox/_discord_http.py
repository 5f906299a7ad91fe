"""HTTP plumbing of the Discord recorder: errors, payload parsing (JSON or multipart), checks."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import web

from sandbox import _credentials as creds
from sandbox._control import json_response
from sandbox._discord_limits import empty_message, form_error, message_errors
from sandbox._discord_state import DiscordState

__all__ = ["DISCORD", "DiscordError", "answer", "bot_auth", "check", "loads", "payload_of"]

DISCORD = web.AppKey("discord_state", DiscordState)
Handler = Callable[[web.Request, DiscordState], Awaitable[Any]]


class DiscordError(Exception):
    """A Discord API error answer."""

    def __init__(self, status: int, message: str, code: int, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.body = status, {"message": message, "code": code, **extra}


def answer(handler: Handler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Wrap a handler: its result as JSON (``None``: 204), :class:`DiscordError` as an error."""

    async def run(request: web.Request) -> web.StreamResponse:
        try:
            result = await handler(request, request.app[DISCORD])
        except DiscordError as err:
            return json_response(err.body, err.status)
        if result is None:
            return web.Response(status=204)
        return json_response(result)

    return run


async def payload_of(request: web.Request) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The JSON payload and uploaded files (``multipart/form-data`` with ``payload_json``)."""
    files: list[dict[str, Any]] = []
    if request.content_type == "multipart/form-data":
        payload: Any = {}
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, aiohttp.BodyPartReader):
                continue
            data = await part.read()
            if part.name == "payload_json":
                payload = loads(data)
            elif part.filename:
                files.append(
                    {
                        "filename": part.filename,
                        "size": len(data),
                        "content_type": part.headers.get("Content-Type"),
                        "sha256": hashlib.sha256(data).hexdigest(),
                    }
                )
    elif request.can_read_body:
        payload = loads(await request.read())
    else:
        payload = {}
    if not isinstance(payload, dict):
        raise DiscordError(400, "Invalid Form Body", 50035, errors={})
    return payload, files


def loads(data: bytes) -> Any:
    """Parse a JSON body or fail as Discord does (50109)."""
    try:
        return json.loads(data)
    except ValueError as exc:
        raise DiscordError(400, "The request body contains invalid JSON.", 50109) from exc


def check(state: DiscordState, payload: dict[str, Any], files: int, *, new: bool) -> None:
    """Refuse (and record) a message Discord would refuse."""
    errors = message_errors(payload)
    if errors:
        state.rejected.append({"payload": payload, "error": form_error(errors)})
        raise DiscordError(400, "Invalid Form Body", 50035, errors=errors)
    if new and empty_message(payload, files):
        raise DiscordError(400, "Cannot send an empty message", 50006)


def bot_auth(request: web.Request) -> None:
    """Require ``Authorization: Bot <token>``."""
    if request.headers.get("Authorization") != f"Bot {creds.DISCORD_BOT_TOKEN}":
        raise DiscordError(401, "401: Unauthorized", 0)
