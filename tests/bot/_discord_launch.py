"""A quiesced Discord harness over the sandbox's launch-day scenario, shared by the bot tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path

from _discord_env import settings_for
from _discord_harness import DiscordHarness

from bot.discord_app import ForwardingAlerts, TeamInbox
from bot.discord_app._runtime import open_runtime
from sandbox import ManualClock, SandboxServer


@asynccontextmanager
async def launch_day_harness(
    tmp_path: Path, start: datetime, *, hours: float = 3
) -> AsyncIterator[DiscordHarness]:
    """The bot over launch-day, ``hours`` in, after every poller finished a cycle and stopped.

    The bot starts the pollers in ``cog_load``; ``quiesce`` lets each finish a cycle, then
    stops and awaits them (the X poller sweeps further pages at once) and flushes their
    alerts, so nothing changes under the test.
    """
    clock = ManualClock(start)
    async with SandboxServer(scenario="launch-day", seed=7, clock=clock) as sb:
        clock.advance(timedelta(hours=hours))
        settings = settings_for(sb, tmp_path)
        alerts = ForwardingAlerts()
        harness = DiscordHarness(
            sb, lambda: open_runtime(settings, alerts, clock=clock.now), clock.now
        )
        async with harness:
            await harness.quiesce()
            yield harness


def service_of(h: DiscordHarness) -> TeamInbox:
    """The bot's team inbox."""
    assert h.bot.runtime is not None
    assert isinstance(h.bot.runtime.service, TeamInbox)
    return h.bot.runtime.service
