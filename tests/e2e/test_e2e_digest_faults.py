"""A digest that fails or crashes mid-post is posted whole, once, by the next attempt."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest
from _discord_env import ALERTS_CHANNEL_ID, DIGEST_CHANNEL_ID, settings_for
from _discord_harness import DiscordHarness

from bot.discord_app import ForwardingAlerts, TeamInbox, WebhookPostError
from bot.discord_app._runtime import open_runtime
from bot.discord_app._webhook_mode import webhook_digest_once
from bot.pollers import LoggingAlerts
from cogs.digest import DigestCog
from sandbox import ManualClock, SandboxServer
from sandbox._world import Fault

START = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)  # 09:00 in Paris: the digest is due
CHANNEL_MESSAGES = "POST /api/v10/channels/:channel_id/messages"
WEBHOOK_MESSAGES = "POST /api/v10/webhooks/:webhook_id/:webhook_token"


class Crash(BaseException):
    """The process dies: no ``except Exception`` runs."""


@pytest.fixture
async def sb() -> AsyncIterator[tuple[SandboxServer, ManualClock]]:
    clock = ManualClock(START)
    async with SandboxServer(scenario="launch-day", seed=7, clock=clock) as server:
        clock.advance(timedelta(hours=3))
        yield server, clock


def harness(sb: SandboxServer, clock: ManualClock, tmp_path: Path) -> DiscordHarness:
    settings = settings_for(sb, tmp_path)
    alerts = ForwardingAlerts()
    return DiscordHarness(sb, lambda: open_runtime(settings, alerts, clock=clock.now), clock.now)


def service_of(h: DiscordHarness) -> TeamInbox:
    assert h.bot.runtime is not None
    assert isinstance(h.bot.runtime.service, TeamInbox)
    return h.bot.runtime.service


def after_messages(service: TeamInbox, count: int, then: Callable[[], None]) -> None:
    """Run ``then`` (once) when ``count`` digest messages were recorded as posted."""
    recorded: Callable[[str, str, list[str]], Awaitable[None]] = service.digest_progress
    fired: list[bool] = []

    async def progress(period: str, destination: str, ids: list[str]) -> None:
        await recorded(period, destination, ids)
        if len(ids) == count and not fired:
            fired.append(True)
            then()

    service.digest_progress = progress  # type: ignore[method-assign]


def live(state: dict[str, Any], via: str) -> list[dict[str, Any]]:
    """Messages still shown (alerts aside)."""
    return [
        m
        for m in state["discord"]["messages"]
        if m["via"] == via and not m["deleted"] and m["channel_id"] != str(ALERTS_CHANNEL_ID)
    ]


async def polled(h: DiscordHarness) -> None:
    await h.quiesce()


async def test_a_refused_third_card_leaves_nothing_and_a_restart_posts_it_whole(
    sb: tuple[SandboxServer, ManualClock], tmp_path: Path
) -> None:
    server, clock = sb
    async with harness(server, clock, tmp_path) as h:
        await polled(h)
        cog = h.bot.get_cog("DigestCog")
        assert isinstance(cog, DigestCog)
        # Summary and two cards go through, the third card is refused.
        after_messages(
            service_of(h), 3, lambda: server.world.queue_fault(CHANNEL_MESSAGES, Fault(403), 1)
        )
        with pytest.raises(discord.Forbidden):
            await cog.post_scheduled()
        state = await h.state()
        digest = [m for m in state["discord"]["messages"] if m["via"] == "channel"]
        digest = [m for m in digest if m["channel_id"] != str(ALERTS_CHANNEL_ID)]
        assert len(digest) == 3
        assert not any(m["deleted"] is False for m in digest)  # the half-post was removed
    async with harness(server, clock, tmp_path) as h2:
        cog2 = h2.bot.get_cog("DigestCog")
        assert isinstance(cog2, DigestCog)
        posted = await cog2.post_scheduled()
        assert posted is not None
        assert await cog2.post_scheduled() is None  # and only once
        page = await service_of(h2).digest(clock.now())
        messages = live(await h2.state(), "channel")
        summaries = [m for m in messages if m["channel_id"] == str(DIGEST_CHANNEL_ID)]
        assert [m["id"] for m in summaries] == [str(posted.summary_id)]
        cards = [m for m in messages if m["channel_id"] == str(posted.thread_id)]
        assert [m["id"] for m in cards] == [str(i) for i in posted.card_ids]
        assert len(cards) == len(page.cards) >= 3


async def test_a_crash_mid_post_is_cleaned_up_after_the_lease(
    sb: tuple[SandboxServer, ManualClock], tmp_path: Path
) -> None:
    server, clock = sb

    def crash() -> None:
        raise Crash

    async with harness(server, clock, tmp_path) as h:
        await polled(h)
        cog = h.bot.get_cog("DigestCog")
        assert isinstance(cog, DigestCog)
        after_messages(service_of(h), 3, crash)
        with pytest.raises(Crash):
            await cog.post_scheduled()
        assert len(live(await h.state(), "channel")) == 3  # nothing cleaned up
    async with harness(server, clock, tmp_path) as h2:
        cog2 = h2.bot.get_cog("DigestCog")
        assert isinstance(cog2, DigestCog)
        assert await cog2.post_scheduled() is None  # the lease still holds
        clock.advance(timedelta(minutes=16))
        posted = await cog2.post_scheduled()
        assert posted is not None
        messages = live(await h2.state(), "channel")
        assert {m["id"] for m in messages} == {
            str(i) for i in [posted.summary_id, *posted.card_ids]
        }


async def test_webhook_digest_refused_midway_is_removed_and_reposted_whole(
    sb: tuple[SandboxServer, ManualClock], tmp_path: Path
) -> None:
    server, clock = sb
    settings = settings_for(server, tmp_path)
    runtime = await open_runtime(settings, LoggingAlerts(), clock=clock.now)
    try:
        for poller in runtime.pollers:
            await poller.poll_once()
        service = runtime.service
        assert isinstance(service, TeamInbox)
        after_messages(
            service, 2, lambda: server.world.queue_fault(WEBHOOK_MESSAGES, Fault(500), 1)
        )
        url = server.discord_webhook_url
        async with aiohttp.ClientSession() as session:
            with pytest.raises(WebhookPostError) as info:
                await webhook_digest_once(service, url, session, clock.now())
            assert info.value.status == 500
            assert len(info.value.posted) == 2
            async with session.get(f"{server.url}/_sandbox/state", params={"log": "0"}) as r:
                state = await r.json()
            assert live(state, "webhook") == []
            ids = await webhook_digest_once(service, url, session, clock.now())
            assert ids is not None
            assert len(ids) >= 3
            assert await webhook_digest_once(service, url, session, clock.now()) is None
            async with session.get(f"{server.url}/_sandbox/state", params={"log": "0"}) as r:
                state = await r.json()
        assert [m["id"] for m in live(state, "webhook")] == [str(i) for i in ids]
    finally:
        assert runtime.close is not None
        await runtime.close()
