"""Drive a real EngageBot with real ``discord.Interaction`` objects, REST caught by the sandbox.

Gateway events are fed through discord.py's own connection state (``parse_guild_create``,
``parse_interaction_create``), exactly where the websocket would hand them over; every REST
call (login, messages, threads, interaction callbacks, follow-ups) goes to the sandbox's
Discord recorder because ``discord.http.Route.BASE`` points at it.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import aiohttp
import discord
from _discord_env import ALERTS_CHANNEL_ID, DIGEST_CHANNEL_ID, GUILD_ID, ROLE_ID
from discord.http import Route

from bot.discord_app import EngageBot, Runtime
from cogs import _ids as custom_ids
from sandbox import SandboxServer
from sandbox import _credentials as creds

_ids = itertools.count(800000000000000001)
ADMIN_PERMISSIONS = str(1 << 5)  # MANAGE_GUILD
ALL_TEXT_PERMISSIONS = str((1 << 11) | (1 << 10) | (1 << 14) | (1 << 38))


# The tasks discord.py creates to run a command, a component callback or a modal submit.
_DISPATCH_TASKS = (
    "CommandTree-invoker",
    "discord-ui-dynamic-item",
    "discord-ui-view-dispatch",
    "discord-ui-modal-dispatch",
)


def card_button(message: dict[str, Any], action: str) -> str:
    """The ``custom_id`` of the ``action`` button on a recorded card message."""
    for row in message["components"]:
        for component in row["components"]:
            parsed = custom_ids.parse(component["custom_id"])
            if parsed and parsed[0] == action:
                return str(component["custom_id"])
    raise AssertionError(f"no {action} button")


def snowflake() -> str:
    return str(next(_ids))


def _role(role_id: int, name: str, position: int) -> dict[str, Any]:
    return {
        "id": str(role_id),
        "name": name,
        "permissions": "0",
        "position": position,
        "color": 0,
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }


def guild_payload() -> dict[str, Any]:
    channels = [
        {"id": str(c), "type": 0, "name": n, "position": i, "permission_overwrites": []}
        for i, (c, n) in enumerate(
            [(DIGEST_CHANNEL_ID, "engagement"), (ALERTS_CHANNEL_ID, "alerts")]
        )
    ]
    return {
        "id": str(GUILD_ID),
        "name": "Plume team",
        "owner_id": "1",
        "roles": [_role(GUILD_ID, "@everyone", 0), _role(ROLE_ID, "Community", 1)],
        "channels": channels,
        "threads": [],
        "members": [],
        "member_count": 3,
        "emojis": [],
        "stickers": [],
        "features": [],
        "unavailable": False,
        "large": False,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "preferred_locale": "fr",
        "system_channel_flags": 0,
        "joined_at": "2026-01-01T00:00:00+00:00",
    }


class Member:
    """A Discord member pressing buttons."""

    def __init__(self, user_id: int, name: str, *, brand: bool, admin: bool = False) -> None:
        self.id = user_id
        self.name = name
        self.roles = [str(ROLE_ID)] if brand else []
        self.permissions = ADMIN_PERMISSIONS if admin else "0"

    def payload(self) -> dict[str, Any]:
        return {
            "user": {
                "id": str(self.id),
                "username": self.name.lower(),
                "discriminator": "0",
                "global_name": self.name,
                "avatar": None,
            },
            "roles": self.roles,
            "joined_at": "2026-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "permissions": self.permissions,
        }


class DiscordHarness:
    """A logged-in EngageBot talking to the sandbox's Discord recorder."""

    def __init__(
        self,
        sb: SandboxServer,
        open_runtime: Callable[[], Awaitable[Runtime]],
        clock: Callable[[], datetime],
    ) -> None:
        self.sb = sb
        self.bot = EngageBot(open_runtime, clock=clock, alert_window_s=0.05, sync_guild_id=GUILD_ID)
        self._previous_base = Route.BASE
        self._http: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> DiscordHarness:
        Route.BASE = self.sb.discord_api_base
        self._http = aiohttp.ClientSession()
        await self.bot.login(creds.DISCORD_BOT_TOKEN)
        self.bot._connection.parse_guild_create(guild_payload())
        return self

    async def __aexit__(self, *exc: object) -> None:
        try:
            await self.bot.close()
        finally:
            Route.BASE = self._previous_base
            if self._http is not None:
                await self._http.close()

    async def quiesce(self, limit_s: float = 20.0) -> None:
        """Wait for a first cycle of every poller, then stop the pollers, await them, flush alerts.

        One outcome per poller does not mean the pollers are done (the X poller sweeps further
        pages with no delay), so they are stopped and awaited: the cycle in flight finishes,
        with its after-poll hook, and nothing in the bot moves on its own afterwards.
        """
        from bot.discord_app._pollers_cog import PollersCog
        from cogs.alerts import AlertsCog

        runtime = self.bot.runtime
        assert runtime is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit_s
        while len(self.bot.last_outcomes) < len(runtime.pollers):
            if loop.time() > deadline:
                raise TimeoutError(f"pollers did not finish a cycle: {self.bot.last_outcomes}")
            await asyncio.sleep(0.02)
        pollers = self.bot.get_cog("PollersCog")
        assert isinstance(pollers, PollersCog)
        await pollers.cog_unload()
        assert all(t.done() for t in pollers.tasks) or not pollers.tasks
        alerts = self.bot.get_cog("AlertsCog")
        assert isinstance(alerts, AlertsCog)
        await alerts.batcher.aclose()

    # -- the recorder --------------------------------------------------------------------

    async def state(self) -> dict[str, Any]:
        assert self._http is not None
        async with self._http.get(f"{self.sb.url}/_sandbox/state", params={"log": "0"}) as r:
            data: dict[str, Any] = await r.json()
        return data

    # -- gateway events through discord.py's own state -------------------------------------

    def _interaction(
        self,
        type_: int,
        data: dict[str, Any],
        member: Member,
        channel_id: int,
        message: dict[str, Any] | None,
    ) -> dict[str, Any]:
        interaction_id = snowflake()
        payload: dict[str, Any] = {
            "id": interaction_id,
            "application_id": str(self.bot.application_id),
            "type": type_,
            "data": data,
            "guild_id": str(GUILD_ID),
            "channel_id": str(channel_id),
            "channel": {
                "id": str(channel_id),
                "type": 0,
                "guild_id": str(GUILD_ID),
                "name": "engagement",
                "position": 0,
                "permission_overwrites": [],
            },
            "member": member.payload(),
            "token": f"itoken-{interaction_id}",
            "version": 1,
            "app_permissions": ALL_TEXT_PERMISSIONS,
            "locale": "fr",
            "guild_locale": "fr",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(GUILD_ID)},
            "context": 0,
            "attachment_size_limit": 26214400,
        }
        if message is not None:
            payload["message"] = message
        return payload

    def interaction_of(self, member: Member, type_: int = 4) -> discord.Interaction[Any]:
        """A real ``discord.Interaction`` from ``member`` (an autocomplete one by default)."""
        data = {"id": snowflake(), "name": "reply", "type": 1, "options": []}
        payload = self._interaction(type_, data, member, DIGEST_CHANNEL_ID, None)
        return discord.Interaction(data=payload, state=self.bot._connection)  # type: ignore[arg-type]

    async def dispatch(self, payload: dict[str, Any]) -> None:
        """Hand an INTERACTION_CREATE to discord.py and wait until the bot has answered."""
        before = asyncio.all_tasks()
        self.bot._connection.parse_interaction_create(payload)
        await self.settle(before)

    async def settle(self, before: set[asyncio.Task[Any]], limit_s: float = 10.0) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit_s
        current = asyncio.current_task()
        while True:
            pending = [
                t
                for t in asyncio.all_tasks()
                if t not in before
                and t is not current
                and not t.done()
                and t.get_name().startswith(_DISPATCH_TASKS)
            ]
            if not pending:
                return
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"bot still busy: {[t.get_name() for t in pending]}")
            await asyncio.wait(pending, timeout=remaining)

    async def press(
        self, member: Member, message: dict[str, Any], custom_id: str
    ) -> dict[str, Any]:
        payload = self._interaction(
            3,
            {"custom_id": custom_id, "component_type": 2},
            member,
            int(message["channel_id"]),
            message,
        )
        await self.dispatch(payload)
        return payload

    async def submit_modal(
        self,
        member: Member,
        modal: dict[str, Any],
        values: dict[str, str],
        message: dict[str, Any] | None,
    ) -> dict[str, Any]:
        rows = []
        for row in modal["components"]:
            for component in row.get("components", [row.get("component", row)]):
                cid = component.get("custom_id")
                if cid is not None:
                    rows.append(
                        {
                            "type": 1,
                            "components": [
                                {
                                    "type": 4,
                                    "custom_id": cid,
                                    "value": values.get(
                                        component.get("label", ""), values.get("*", "")
                                    ),
                                }
                            ],
                        }
                    )
        channel = int(message["channel_id"]) if message else DIGEST_CHANNEL_ID
        payload = self._interaction(
            5, {"custom_id": modal["custom_id"], "components": rows}, member, channel, message
        )
        await self.dispatch(payload)
        return payload

    async def command(
        self,
        member: Member,
        name: str,
        options: list[dict[str, Any]] | None = None,
        *,
        sub: str | None = None,
    ) -> dict[str, Any]:
        command = self.bot.tree.get_command(name)
        assert command is not None, name
        opts = options or []
        if sub is not None:
            opts = [{"type": 1, "name": sub, "options": opts}]
        data = {
            "id": snowflake(),
            "name": name,
            "type": 1,
            "options": opts,
            "guild_id": str(GUILD_ID),
        }
        payload = self._interaction(2, data, member, DIGEST_CHANNEL_ID, None)
        await self.dispatch(payload)
        return payload
