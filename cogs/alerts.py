"""Urgent items and platform troubles, batched so that a burst is one message, never a flood."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

import discord
from discord.ext import commands

from cogs import _limits
from cogs.board import CardBoard
from cogs.buttons import card_view
from cogs.ports import Card, InboxService, ItemKey
from cogs.render import DigestMessage, card_embed
from engagement.models import InteractionRecord, Platform

log = logging.getLogger(__name__)

Sender = Callable[[list[Card], list[str]], Awaitable[None]]


def alert_message(cards: Sequence[Card], notes: Sequence[str]) -> DigestMessage:
    """One alert message: a headline, the notes, and as many cards as fit one message."""
    groups = _limits.pack_embeds(card_embed(c) for c in cards)
    shown = groups[0] if groups else []
    lines = []
    if cards:
        lines.append(f"🚨 **{len(cards)} urgent item(s)** need an answer.")
    lines.extend(f"⚠️ {n}" for n in notes)
    if len(cards) > len(shown):
        lines.append(f"…and {len(cards) - len(shown)} more: see `/inbox`.")
    content = _limits.truncate("\n".join(lines), _limits.CONTENT)
    return DigestMessage(
        embeds=tuple(shown), content=content, card=cards[0] if len(cards) == 1 else None
    )


class AlertBatcher:
    """Collects alerts; the first one opens a window, everything in the window is sent once.

    What arrives while a batch is being sent waits for the next window, which opens as soon
    as that send is over (not at the next alert). A batch whose send fails stays queued, in
    front of what came since, and is tried again after ``retry_s`` (doubling up to
    ``max_retry_s`` while it keeps failing).

    Args:
        send: Sends one batch (cards, notes); raising means nothing was sent.
        window_s: Seconds a batch stays open after its first alert.
        retry_s: Seconds before the first retry of a failed batch.
        max_retry_s: Longest wait between retries.
    """

    def __init__(
        self,
        send: Sender,
        window_s: float,
        *,
        retry_s: float = 30.0,
        max_retry_s: float = 600.0,
    ) -> None:
        self._send = send
        self._window = window_s
        self.retry_s = retry_s
        self.max_retry_s = max_retry_s
        self._cards: dict[ItemKey, Card] = {}
        self._notes: list[str] = []
        self._timer: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._failures = 0
        self._closing = False

    @property
    def pending(self) -> int:
        """Alerts waiting to be sent (in the open window, or after a failed send)."""
        return len(self._cards) + len(self._notes)

    def add(self, cards: Sequence[Card] = (), notes: Sequence[str] = ()) -> None:
        """Queue alerts (an item already queued is not repeated); opens a window if none."""
        for card in cards:
            self._cards.setdefault(card.key, card)
        self._notes.extend(n for n in dict.fromkeys(notes) if n not in self._notes)
        if self.pending and (self._timer is None or self._timer.done()):
            self._timer = asyncio.create_task(self._run(), name="engagebot-alerts")

    async def _run(self) -> None:
        delay = self._window
        while True:
            await asyncio.sleep(delay)
            sent = await self.flush()
            if not self.pending or self._closing:
                return
            # Items that came during the send get their own window; a failure waits longer.
            delay = self._window if sent else self._retry_delay()

    def _retry_delay(self) -> float:
        return float(min(self.max_retry_s, self.retry_s * 2 ** max(0, self._failures - 1)))

    async def flush(self) -> bool:
        """Send what is queued now, as one batch.

        Returns:
            ``False`` when the send failed (the batch stays queued for a retry).
        """
        async with self._lock:
            cards, notes = list(self._cards.values()), list(self._notes)
            if not cards and not notes:
                return True
            self._cards.clear()
            self._notes.clear()
            try:
                await self._send(cards, notes)
            except BaseException as exc:
                self._requeue(cards, notes)
                if not isinstance(exc, Exception):
                    raise  # cancelled: kept for the next flush
                self._failures += 1
                log.exception(
                    "could not send %d alert(s) (attempt %d); kept for a retry",
                    len(cards) + len(notes),
                    self._failures,
                )
                return False
            self._failures = 0
            return True

    def _requeue(self, cards: list[Card], notes: list[str]) -> None:
        """Put a failed batch back in front of what arrived meanwhile (newer cards win)."""
        merged = {card.key: card for card in cards}
        merged.update(self._cards)
        self._cards = merged
        self._notes = [*notes, *(n for n in self._notes if n not in notes)]

    async def aclose(self) -> None:
        """Stop the timer (letting a send in progress finish) and try once to send the rest."""
        self._closing = True
        timer = self._timer
        if timer is not None and not timer.done():
            if self._lock.locked():  # sending right now: let it finish, it stops after
                await asyncio.wait([timer])
            else:
                timer.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await timer
        if not await self.flush():
            log.warning("%d alert(s) could not be sent before shutdown", self.pending)
        self._closing = False


class AlertsCog(commands.Cog, name="AlertsCog"):
    """Sends alerts to the alerts channel; also the watchers' :class:`Alerts` port."""

    def __init__(
        self,
        client: discord.Client,
        service: InboxService,
        board: CardBoard,
        clock: Callable[[], datetime],
        window_s: float,
    ) -> None:
        self.client = client
        self.service = service
        self.board = board
        self.clock = clock
        self.batcher = AlertBatcher(self._send, window_s)

    async def cog_unload(self) -> None:
        """Flush what is pending."""
        await self.batcher.aclose()

    async def new_items(self, items: Sequence[InteractionRecord]) -> None:
        """Queue the urgent ones among freshly stored items."""
        if items:
            self.batcher.add(cards=await self.service.urgent(items, self.clock()))

    async def platform_alert(self, platform: Platform, account_id: str, message: str) -> None:
        """Queue a lasting platform state (credentials revoked, budget reached…)."""
        self.batcher.add(notes=[f"{platform.value} ({account_id}): {message}"])

    async def _send(self, cards: list[Card], notes: list[str]) -> None:
        config = await self.service.get_config()
        channel_id = config.alerts_channel_id or config.digest_channel_id
        if channel_id is None:
            log.warning("alerts dropped: no alerts channel configured (%d)", len(cards))
            return
        message = alert_message(cards, notes)
        channel = self.client.get_partial_messageable(channel_id)
        if message.card is not None:
            sent = await channel.send(
                content=message.content,
                embeds=list(message.embeds),
                view=card_view(message.card),
            )
            self.board.track(message.card.key, channel_id, sent.id, message.card.state)
        else:
            await channel.send(content=message.content, embeds=list(message.embeds))
