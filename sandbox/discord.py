"""A recorder of Discord REST API v10 calls that answers with the shapes discord.py expects.

Point discord.py at it with ``discord.http.Route.BASE = sb.discord_api_base``; webhooks also
answer on the plain webhook URL. Every answer is ``Content-Type: application/json`` exactly.
Messages are validated against Discord's limits (:mod:`sandbox._discord_limits`) and refused
with ``400 {"message": "Invalid Form Body", "code": 50035, "errors": {...}}`` as Discord does.
Everything recorded is in ``GET /_sandbox/discord`` and under ``discord`` in
``/_sandbox/state``: ``messages`` (each with ``via``: ``webhook``, ``channel``, ``interaction``
or ``followup``, and ``deleted``), ``interaction_responses``, ``threads``, ``commands`` and
``rejected`` (refused payloads with their error).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from sandbox import _credentials as creds
from sandbox._control import json_response
from sandbox._discord_http import (
    DISCORD,
    DiscordError,
    answer,
    bot_auth,
    check,
    loads,
    payload_of,
)
from sandbox._discord_limits import form_error, modal_errors
from sandbox._discord_state import APPLICATION_ID, BOT_USER, WEBHOOK_CHANNEL_ID, DiscordState
from sandbox._world import World

__all__ = ["DISCORD", "DiscordState", "register"]

_WEBHOOK_PREFIXES = ("/api/v10", "/api", "/discord.com/api")
_RESPONSE_TYPES = frozenset({1, 4, 5, 6, 7, 9, 10, 12})
_WEBHOOK_AUTHOR = {
    "id": creds.DISCORD_WEBHOOK_ID,
    "username": "engagebot",
    "avatar": None,
    "discriminator": "0000",
    "bot": True,
}


def _webhook(state: DiscordState, request: web.Request) -> dict[str, Any]:
    """Who a webhook id/token pair is: the configured webhook or an interaction's follow-ups."""
    webhook_id, token = request.match_info["webhook_id"], request.match_info["webhook_token"]
    if token in state.interactions:
        return state.interactions[token]
    if webhook_id != creds.DISCORD_WEBHOOK_ID:
        raise DiscordError(404, "Unknown Webhook", 10015)
    if token != creds.DISCORD_WEBHOOK_TOKEN:
        raise DiscordError(401, "Invalid Webhook Token", 50027)
    return {"channel_id": WEBHOOK_CHANNEL_ID, "via": "webhook", "author": _WEBHOOK_AUTHOR}


def _message(state: DiscordState, message_id: str, hook: dict[str, Any] | None) -> dict[str, Any]:
    if message_id == "@original" and hook is not None:
        message_id = hook.get("original") or ""
    message = state.messages.get(message_id)
    if message is None or message.get("_deleted"):
        raise DiscordError(404, "Unknown Message", 10008)
    return message


async def _execute(request: web.Request, state: DiscordState) -> dict[str, Any] | None:
    hook = _webhook(state, request)
    payload, files = await payload_of(request)
    check(state, payload, len(files), new=True)
    channel = request.query.get("thread_id") or hook["channel_id"]
    via = "followup" if hook["via"] == "interaction" else "webhook"
    message = state.new_message(
        channel,
        payload,
        files,
        via=via,
        author=hook["author"],
        webhook_id=request.match_info["webhook_id"],
    )
    return state.public(message) if request.query.get("wait") in {"true", "1"} else None


async def _webhook_message(request: web.Request, state: DiscordState) -> dict[str, Any] | None:
    hook = _webhook(state, request)
    message = _message(state, request.match_info["message_id"], hook)
    if request.method == "DELETE":
        message["_deleted"] = True
        return None
    if request.method == "PATCH":
        payload, files = await payload_of(request)
        check(state, payload, len(files), new=False)
        state.edit(message, payload, files)
    return state.public(message)


async def _callback(request: web.Request, state: DiscordState) -> dict[str, Any] | None:
    interaction_id, token = request.match_info["interaction_id"], request.match_info["token"]
    if token in state.interactions:
        raise DiscordError(400, "Interaction has already been acknowledged.", 40060)
    payload, files = await payload_of(request)
    kind, data = payload.get("type"), payload.get("data") or {}
    if kind not in _RESPONSE_TYPES:
        raise DiscordError(
            400,
            "Invalid Form Body",
            50035,
            errors={
                "type": {
                    "_errors": [
                        {
                            "code": "BASE_TYPE_CHOICES",
                            "message": f"Value must be one of {sorted(_RESPONSE_TYPES)}.",
                        }
                    ]
                }
            },
        )
    if kind in {4, 7}:
        check(state, data, len(files), new=kind == 4)
    if kind == 9:
        errors = modal_errors(data)
        if errors:
            state.rejected.append({"payload": payload, "error": form_error(errors)})
            raise DiscordError(400, "Invalid Form Body", 50035, errors=errors)
    hook: dict[str, Any] = {
        "channel_id": request.query.get("channel_id", "0"),
        "via": "interaction",
        "author": BOT_USER,
        "interaction_id": interaction_id,
    }
    state.interactions[token] = hook
    state.responses.append({"interaction_id": interaction_id, "type": kind, "data": data})
    interaction: dict[str, Any] = {"id": interaction_id, "type": 2}
    resource: dict[str, Any] = {"type": kind}
    if kind in {4, 5}:
        flags = int(data.get("flags") or 0) | (128 if kind == 5 else 0)
        message = state.new_message(
            hook["channel_id"], {**data, "flags": flags}, files, via="interaction", author=BOT_USER
        )
        hook["original"] = message["id"]
        interaction.update(
            response_message_id=message["id"],
            response_message_loading=kind == 5,
            response_message_ephemeral=bool(flags & 64),
        )
        if kind == 4:
            resource["message"] = state.public(message)
    if request.query.get("with_response") in {"1", "true"}:
        return {"interaction": interaction, "resource": resource}
    return None


async def _channel_messages(request: web.Request, state: DiscordState) -> dict[str, Any] | None:
    bot_auth(request)
    channel = request.match_info["channel_id"]
    if "message_id" not in request.match_info:
        payload, files = await payload_of(request)
        check(state, payload, len(files), new=True)
        return state.public(
            state.new_message(channel, payload, files, via="channel", author=BOT_USER)
        )
    message = _message(state, request.match_info["message_id"], None)
    if message["channel_id"] != channel:
        raise DiscordError(404, "Unknown Message", 10008)
    if request.method == "DELETE":
        message["_deleted"] = True
        return None
    if request.method == "PATCH":
        payload, files = await payload_of(request)
        check(state, payload, len(files), new=False)
        state.edit(message, payload, files)
    return state.public(message)


async def _thread(request: web.Request, state: DiscordState) -> dict[str, Any]:
    bot_auth(request)
    message = _message(state, request.match_info["message_id"], None)
    payload, _ = await payload_of(request)
    name = payload.get("name")
    if not isinstance(name, str) or not 1 <= len(name) <= 100:
        raise DiscordError(
            400,
            "Invalid Form Body",
            50035,
            errors={
                "name": {
                    "_errors": [
                        {
                            "code": "BASE_TYPE_BAD_LENGTH",
                            "message": "Must be between 1 and 100 in length.",
                        }
                    ]
                }
            },
        )
    archive = int(payload.get("auto_archive_duration") or 1440)
    thread = {
        "id": message["id"],
        "type": 11,
        "guild_id": None,
        "name": name,
        "parent_id": message["channel_id"],
        "owner_id": APPLICATION_ID,
        "last_message_id": None,
        "message_count": 0,
        "member_count": 1,
        "rate_limit_per_user": 0,
        "flags": 0,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": archive,
            "archive_timestamp": message["timestamp"],
            "locked": False,
        },
    }
    state.threads.append(thread)
    return thread


async def _commands(request: web.Request, state: DiscordState) -> list[dict[str, Any]]:
    bot_auth(request)
    scope = request.match_info.get("guild_id", "global")
    if request.method == "PUT":
        raw = loads(await request.read())
        if not isinstance(raw, list) or not all(isinstance(c, dict) for c in raw):
            raise DiscordError(400, "Invalid Form Body", 50035, errors={})
        state.commands[scope] = [
            {**cmd, "id": state.snowflake(), "application_id": APPLICATION_ID, "version": "1"}
            for cmd in raw
        ]
    return state.commands.get(scope, [])


async def _me(request: web.Request, state: DiscordState) -> dict[str, Any]:
    bot_auth(request)
    return BOT_USER


async def _application(request: web.Request, state: DiscordState) -> dict[str, Any]:
    bot_auth(request)
    return {
        "id": APPLICATION_ID,
        "name": "engagebot",
        "icon": None,
        "description": "",
        "rpc_origins": [],
        "bot_public": False,
        "bot_require_code_grant": False,
        "owner": BOT_USER,
        "summary": "",
        "verify_key": "0" * 64,
        "team": None,
        "flags": 0,
    }


async def _gateway(request: web.Request, state: DiscordState) -> dict[str, Any]:
    url = f"ws://{request.host}/gateway"
    if request.path.endswith("/bot"):
        bot_auth(request)
        return {
            "url": url,
            "shards": 1,
            "session_start_limit": {
                "total": 1000,
                "remaining": 1000,
                "reset_after": 0,
                "max_concurrency": 1,
            },
        }
    return {"url": url}


async def _webhook_info(request: web.Request, state: DiscordState) -> dict[str, Any]:
    hook = _webhook(state, request)
    return {
        "id": request.match_info["webhook_id"],
        "type": 1,
        "name": "engagebot",
        "avatar": None,
        "channel_id": hook["channel_id"],
        "guild_id": None,
        "application_id": None,
        "token": request.match_info["webhook_token"],
    }


async def _recorded(request: web.Request) -> web.Response:
    return json_response(request.app[DISCORD].summary())


def register(app: web.Application, world: World) -> None:
    """Add the Discord routes, ``GET /_sandbox/discord`` and the ``discord`` state key."""
    state = DiscordState(world)
    app[DISCORD] = state
    r = app.router
    for prefix in _WEBHOOK_PREFIXES:
        hook = f"{prefix}/webhooks/{{webhook_id}}/{{webhook_token}}"
        r.add_post(hook, answer(_execute))
        r.add_get(hook, answer(_webhook_info))
        for method in ("GET", "PATCH", "DELETE"):
            r.add_route(method, f"{hook}/messages/{{message_id}}", answer(_webhook_message))
    api = "/api/v10"
    r.add_post(f"{api}/interactions/{{interaction_id}}/{{token}}/callback", answer(_callback))
    r.add_post(f"{api}/channels/{{channel_id}}/messages", answer(_channel_messages))
    for method in ("GET", "PATCH", "DELETE"):
        r.add_route(
            method,
            f"{api}/channels/{{channel_id}}/messages/{{message_id}}",
            answer(_channel_messages),
        )
    r.add_post(f"{api}/channels/{{channel_id}}/messages/{{message_id}}/threads", answer(_thread))
    for path in (
        f"{api}/applications/{{application_id}}/commands",
        f"{api}/applications/{{application_id}}/guilds/{{guild_id}}/commands",
    ):
        r.add_get(path, answer(_commands))
        r.add_put(path, answer(_commands))
    r.add_get(f"{api}/users/@me", answer(_me))
    r.add_get(f"{api}/oauth2/applications/@me", answer(_application))
    r.add_get(f"{api}/gateway", answer(_gateway))
    r.add_get(f"{api}/gateway/bot", answer(_gateway))
    r.add_get("/_sandbox/discord", _recorded)
    world.extensions["discord"] = state.summary
