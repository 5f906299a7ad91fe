"""A real team environment for the Discord tests: sandbox, SQLite file, pollers, TeamInbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.discord_app import Runtime, TeamInbox
from bot.discord_app._runtime import open_runtime
from bot.pollers import LoggingAlerts
from bot.settings import Settings, load_settings
from engagement.models import InteractionRecord, Platform
from sandbox import ManualClock, SandboxServer

GUILD_ID = 700000000000000001
ROLE_ID = 700000000000000002
DIGEST_CHANNEL_ID = 700000000000000003
ALERTS_CHANNEL_ID = 700000000000000004


@dataclass
class TeamEnv:
    settings: Settings
    runtime: Runtime
    sandbox: SandboxServer
    clock: ManualClock

    @property
    def service(self) -> TeamInbox:
        assert isinstance(self.runtime.service, TeamInbox)
        return self.runtime.service

    async def poll(self, platform: Platform | None = None) -> list[InteractionRecord]:
        new: list[InteractionRecord] = []
        for poller in self.runtime.pollers:
            if platform is None or poller.name.startswith(platform.value):
                outcome = await poller.poll_once()
                new.extend(outcome.new_items)
        return new

    async def written(self) -> list[dict[str, Any]]:
        return list(self.sandbox.world.written)


def settings_for(sb: SandboxServer, tmp_path: Path, **extra: Any) -> Settings:
    overrides: dict[str, Any] = {
        k.removeprefix("ENGAGEBOT_").lower(): v
        for k, v in sb.env().items()
        if not k.startswith("ENGAGEBOT_LLM_")
    }
    overrides.update(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'engagebot.db'}",
        discord_state_dir=tmp_path / "state",
        discord_digest_channel_id=DIGEST_CHANNEL_ID,
        discord_alerts_channel_id=ALERTS_CHANNEL_ID,
        discord_brand_role=str(ROLE_ID),
        discord_guild_id=GUILD_ID,
        timezone="Europe/Paris",
    )
    overrides.update(extra)
    return load_settings(Settings, _env_file=None, **overrides)


@asynccontextmanager
async def team_env(
    sb: SandboxServer, clock: ManualClock, tmp_path: Path, **extra: Any
) -> AsyncIterator[TeamEnv]:
    settings = settings_for(sb, tmp_path, **extra)
    runtime = await open_runtime(settings, LoggingAlerts(), clock=clock.now)
    try:
        yield TeamEnv(settings, runtime, sb, clock)
    finally:
        assert runtime.close is not None
        await runtime.close()
