"""The discord.py bot: cogs, persistent buttons, pollers and the scheduler in one process."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import discord
from discord.ext import commands

from bot.discord_app._pollers_cog import PollersCog
from bot.polling import Poller
from cogs import errors
from cogs.alerts import AlertsCog
from cogs.board import CardBoard, LocationStore
from cogs.buttons import ItemButton
from cogs.config import ConfigCog
from cogs.digest import DigestCog
from cogs.inbox import InboxCog
from cogs.items import ItemsCog
from cogs.ports import InboxService, TeamConfig
from engagement.models import Platform
from engagement.ports import PollOutcome

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


@dataclass
class Runtime:
    """What the bot runs on, opened in ``setup_hook`` and closed in ``close()``.

    Attributes:
        service: The team inbox.
        pollers: The platform pollers to run (may be empty).
        locations: Where card locations are persisted (``None``: memory only).
        close: Closes everything opened for the runtime (database, HTTP sessions).
    """

    service: InboxService
    pollers: Sequence[Poller] = ()
    locations: LocationStore | None = None
    close: Callable[[], Awaitable[None]] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class ForwardingAlerts:
    """The watchers' :class:`~engagement.ports.Alerts`, forwarded to the alerts cog once loaded."""

    def __init__(self) -> None:
        self.target: AlertsCog | None = None

    async def platform_alert(self, platform: Platform, account_id: str, message: str) -> None:
        """Forward to the alerts channel (or the log before the bot is ready)."""
        log.warning("%s (%s): %s", platform.value, account_id, message)
        if self.target is not None:
            await self.target.platform_alert(platform, account_id, message)


class EngageBot(commands.Bot):
    """engagebot's Discord client (guilds intent only: no message content, no members).

    Args:
        open_runtime: Opens the runtime (called once, in ``setup_hook``).
        clock: The current time (UTC).
        alert_window_s: Seconds an alert batch stays open.
        sync_guild_id: Guild to sync commands to with ``sync`` (``None``: global).
        sync_on_start: Sync the command tree in ``setup_hook`` (``engagebot run --sync``).
        alerts: The forwarding alerts object given to the pollers, if any.
    """

    def __init__(
        self,
        open_runtime: Callable[[], Awaitable[Runtime]],
        *,
        clock: Clock,
        alert_window_s: float = 60.0,
        sync_guild_id: int | None = None,
        sync_on_start: bool = False,
        alerts: ForwardingAlerts | None = None,
    ) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            help_command=None,
            allowed_mentions=discord.AllowedMentions(everyone=False, roles=False, users=True),
        )
        self._open_runtime = open_runtime
        self.clock = clock
        self.alert_window_s = alert_window_s
        self.sync_guild_id = sync_guild_id
        self.sync_on_start = sync_on_start
        self.forwarding_alerts = alerts
        self.runtime: Runtime | None = None
        self.board: CardBoard | None = None
        self.last_outcomes: dict[str, PollOutcome] = {}

    async def setup_hook(self) -> None:
        """Open the runtime, add the cogs and the persistent buttons, sync if asked."""
        self.runtime = runtime = await self._open_runtime()
        service = runtime.service
        self.board = board = CardBoard(self, service, runtime.locations)
        items = ItemsCog(service, board, self.clock)
        digest = DigestCog(self, service, board, self.clock)
        alerts = AlertsCog(self, service, board, self.clock, self.alert_window_s)
        if self.forwarding_alerts is not None:
            self.forwarding_alerts.target = alerts

        async def on_config(_: TeamConfig) -> None:
            await digest.reschedule()

        for cog in (
            items,
            InboxCog(service, items, self.clock),
            digest,
            alerts,
            ConfigCog(self, service, self.clock, on_change=on_config),
            PollersCog(runtime.pollers, self.on_poll_outcome),
        ):
            await self.add_cog(cog)
        self.add_dynamic_items(ItemButton)
        errors.install(self.tree)
        if self.sync_on_start:
            await self.sync_commands()

    async def sync_commands(self) -> int:
        """Publish the slash commands (to the configured guild at once, else globally)."""
        if self.sync_guild_id is not None:
            guild = discord.Object(id=self.sync_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
        else:
            synced = await self.tree.sync()
        log.info("synced %d command(s)", len(synced))
        return len(synced)

    async def on_poll_outcome(self, outcome: PollOutcome) -> None:
        """After a poll cycle: alert on urgent new items, refresh cards that changed."""
        self.last_outcomes[f"{outcome.platform.value}:{outcome.account_id}"] = outcome
        alerts = self.get_cog("AlertsCog")
        if isinstance(alerts, AlertsCog) and outcome.new_items:
            await alerts.new_items(outcome.new_items)
        if self.board is not None:
            keys = self.board.tracked_keys(outcome.platform)
            await self.board.refresh(keys, self.clock(), only_changed=True)

    async def close(self) -> None:
        """Unload the cogs (stopping loops and pollers), then close the runtime."""
        try:
            await super().close()
        finally:
            runtime, self.runtime = self.runtime, None
            if runtime is not None and runtime.close is not None:
                await runtime.close()
