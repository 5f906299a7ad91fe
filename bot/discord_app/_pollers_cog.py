"""Runs the platform pollers as the bot's background tasks (started in ``cog_load``)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence

from discord.ext import commands

from bot.polling import Poller, run_poller
from engagement.ports import PollOutcome

log = logging.getLogger(__name__)


class PollersCog(commands.Cog, name="PollersCog"):
    """One task per poller; stopped and awaited in ``cog_unload``."""

    def __init__(
        self, pollers: Sequence[Poller], on_outcome: Callable[[PollOutcome], Awaitable[None]]
    ) -> None:
        self.pollers = list(pollers)
        self.on_outcome = on_outcome
        self.stop = asyncio.Event()
        self.tasks: list[asyncio.Task[None]] = []

    async def cog_load(self) -> None:
        """Start polling."""
        self.stop.clear()
        self.tasks = [
            asyncio.create_task(
                run_poller(p, self.stop, on_outcome=self._outcome), name=f"poll:{p.name}"
            )
            for p in self.pollers
        ]

    async def _outcome(self, outcome: PollOutcome) -> None:
        try:
            await self.on_outcome(outcome)
        except Exception:
            log.exception("after-poll hook failed for %s", outcome.platform.value)

    async def cog_unload(self) -> None:
        """Ask every poller to stop, then wait (cancelling those that do not)."""
        self.stop.set()
        if not self.tasks:
            return
        _, pending = await asyncio.wait(self.tasks, timeout=10)
        for task in pending:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self.tasks = []
