"""Webhook posts go to the webhook URL with aiohttp; discord.py's Route.BASE stays untouched."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import aiohttp
import pytest
from discord.http import Route

from bot.discord_app import WebhookPostError, delete_webhook_messages, post_digest_via_webhook
from cogs.ports import DigestPage, Figure
from sandbox import ManualClock, SandboxServer
from sandbox import _credentials as creds
from sandbox._world import Fault

NOW = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
PAGE = DigestPage(
    title="Engagement digest · mardi",
    period_key="2026-03-10",
    generated_at=NOW,
    figures=(Figure("Interactions", "12", "+3"),),
)


@pytest.fixture
async def sb() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(scenario="launch-day", seed=7, clock=ManualClock(NOW)) as server:
        yield server


async def _state(http: aiohttp.ClientSession, sb: SandboxServer) -> dict[str, object]:
    async with http.get(f"{sb.url}/_sandbox/state", params={"log": "0"}) as r:
        return dict(await r.json())


async def test_route_base_is_never_swapped_while_a_webhook_posts(sb: SandboxServer) -> None:
    bot_base = "https://discord.com/api/v10"
    seen: list[str] = []

    async def watch() -> None:  # what any other REST call of the process would use meanwhile
        while True:
            seen.append(Route.BASE)
            await asyncio.sleep(0)

    watcher = asyncio.create_task(watch())
    previous, Route.BASE = Route.BASE, bot_base
    try:
        async with aiohttp.ClientSession() as http:
            ids = await post_digest_via_webhook(sb.discord_webhook_url, PAGE, http)
    finally:
        watcher.cancel()
        Route.BASE = previous
    assert len(ids) == 1
    assert seen
    assert set(seen) == {bot_base}


@pytest.mark.parametrize(
    "prefix", ["/api/webhooks", "/api/v10/webhooks", "/discord.com/api/webhooks"]
)
async def test_every_webhook_url_form_posts_and_deletes(sb: SandboxServer, prefix: str) -> None:
    url = f"{sb.url}{prefix}/{creds.DISCORD_WEBHOOK_ID}/{creds.DISCORD_WEBHOOK_TOKEN}"
    async with aiohttp.ClientSession() as http:
        ids = await post_digest_via_webhook(url, PAGE, http)
        state = await _state(http, sb)
        (message,) = state["discord"]["messages"]  # type: ignore[index]
        assert message["id"] == str(ids[0])
        assert message["via"] == "webhook"
        assert message["embeds"][0]["title"] == PAGE.title
        assert message["components"] == []
        assert await delete_webhook_messages(url, ids, http) == 1
        state = await _state(http, sb)
        assert state["discord"]["messages"][0]["deleted"] is True  # type: ignore[index]


async def test_a_refusal_is_an_error_naming_the_status(sb: SandboxServer) -> None:
    sb.world.queue_fault("POST /api/v10/webhooks/:webhook_id/:webhook_token", Fault(400), 1)
    async with aiohttp.ClientSession() as http:
        with pytest.raises(WebhookPostError) as info:
            await post_digest_via_webhook(sb.discord_webhook_url, PAGE, http)
        assert info.value.status == 400
        assert info.value.posted == []
        assert creds.DISCORD_WEBHOOK_TOKEN not in str(info.value)
