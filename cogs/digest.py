"""The daily digest: scheduled at the team's local time, posted once per period, and on demand."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands, tasks

from cogs import _limits
from cogs._common import Clock, refuse_without_role
from cogs.board import CardBoard
from cogs.buttons import card_view
from cogs.ports import DigestPage, InboxService, TeamConfig
from cogs.render import digest_messages

log = logging.getLogger(__name__)

Location = tuple[int, int]
OnSent = Callable[[Location], Awaitable[None]]


def _location(recorded: str) -> Location:
    channel_id, _, message_id = recorded.partition(":")
    return int(channel_id), int(message_id)


@dataclass(frozen=True, slots=True)
class PostedDigest:
    """Where a digest went.

    Attributes:
        channel_id: The channel of the summary.
        summary_id: The summary message.
        thread_id: The thread holding the cards (the channel itself if no thread could be made).
        card_ids: One message per card, in order.
    """

    channel_id: int
    summary_id: int
    thread_id: int
    card_ids: tuple[int, ...]

    @property
    def message_ids(self) -> list[str]:
        """Every message id, summary first."""
        return [str(self.summary_id), *(str(i) for i in self.card_ids)]


def scheduled_time(config: TeamConfig) -> time:
    """The configured local digest time, as an aware ``time`` for ``tasks.loop``."""
    hour, minute = (int(p) for p in config.digest_time.split(":"))
    return time(hour, minute, tzinfo=ZoneInfo(config.timezone))


def period_key(now: datetime, config: TeamConfig) -> str:
    """The period a digest posted at ``now`` belongs to: the local date."""
    return now.astimezone(ZoneInfo(config.timezone)).date().isoformat()


def is_due(now: datetime, config: TeamConfig) -> bool:
    """Whether today's local digest time has passed (used to catch up after a restart)."""
    local = now.astimezone(ZoneInfo(config.timezone))
    at = scheduled_time(config)
    return (local.hour, local.minute) >= (at.hour, at.minute)


class DigestCog(commands.Cog, name="DigestCog"):
    """Posts the digest: a summary in the channel and one card per item in a thread under it."""

    digest = app_commands.Group(
        name="digest", description="The engagement digest.", guild_only=True
    )

    def __init__(
        self, client: discord.Client, service: InboxService, board: CardBoard, clock: Clock
    ) -> None:
        self.client = client
        self.service = service
        self.board = board
        self.clock = clock
        self._catch_up: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        """Schedule the daily loop at the configured time and catch up a missed digest."""
        await self.reschedule()
        self.daily.start()
        self._catch_up = asyncio.create_task(self._catch_up_once())

    async def cog_unload(self) -> None:
        """Stop the loop and the catch-up task."""
        self.daily.cancel()
        if self._catch_up is not None:
            self._catch_up.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._catch_up

    async def reschedule(self) -> None:
        """Follow a changed digest time or timezone."""
        self.daily.change_interval(time=scheduled_time(await self.service.get_config()))

    async def _catch_up_once(self) -> None:
        await self.client.wait_until_ready()
        await self.post_scheduled()

    @tasks.loop(time=time(9, 0))
    async def daily(self) -> None:
        """Post today's digest (once, whatever the number of processes or restarts)."""
        await self.post_scheduled()

    @daily.error
    async def _daily_error(self, error: BaseException) -> None:
        log.error("daily digest failed", exc_info=error)

    async def post_scheduled(self) -> PostedDigest | None:
        """Post the period's digest if it is due and nobody posted it yet.

        The claim is a lease. Each message is recorded as it is posted; if posting fails, the
        messages already posted are deleted and the claim released, so the next attempt (the
        catch-up after a restart, or the next ``/digest``) posts the whole digest once. After a
        crash nothing is cleaned up at once: the first run after the lease deletes the recorded
        messages of the unfinished run, then posts the digest.
        """
        config = await self.service.get_config()
        now = self.clock()
        if config.digest_channel_id is None or not is_due(now, config):
            return None
        key = period_key(now, config)
        destination = f"discord:{config.digest_channel_id}"
        if not await self.service.claim_digest(key, destination, now):
            return None
        stale = await self.service.partial_digest(key, destination)
        if stale:
            log.warning("removing %d message(s) of an unfinished digest %s", len(stale), key)
            await self._delete([_location(m) for m in stale])
        sent: list[Location] = []

        async def progress(location: Location) -> None:
            sent.append(location)
            await self.service.digest_progress(key, destination, [f"{c}:{m}" for c, m in sent])

        try:
            page = await self.service.digest(now)
            posted = await self.post(config.digest_channel_id, page, on_sent=progress)
        except Exception:
            if await self._delete(sent) == len(sent):
                await self.service.release_digest(key, destination)
            raise
        await self.service.digest_posted(key, destination, posted.message_ids, self.clock())
        return posted

    async def _delete(self, locations: list[Location]) -> int:
        """Delete messages of a half-posted digest, cards first; return how many are gone."""
        gone = 0
        for channel_id, message_id in reversed(locations):
            try:
                await self.client.http.delete_message(channel_id, message_id)
                gone += 1
            except discord.NotFound:
                gone += 1
            except discord.HTTPException as exc:
                log.warning("could not delete digest message %s: %s", message_id, exc)
        return gone

    async def post(
        self, channel_id: int, page: DigestPage, *, on_sent: OnSent | None = None
    ) -> PostedDigest:
        """Post ``page``: the summary, a thread under it, then a card (with buttons) per item.

        Args:
            channel_id: The digest channel.
            page: The digest.
            on_sent: Called with ``(channel_id, message_id)`` after each message is posted.
        """
        messages = digest_messages(page)
        channel = self.client.get_partial_messageable(channel_id)
        summary = await channel.send(embeds=list(messages[0].embeds))
        if on_sent is not None:
            await on_sent((channel_id, summary.id))
        target: discord.PartialMessageable = channel
        if len(messages) > 1:
            try:
                data = await self.client.http.start_thread_with_message(
                    channel_id,
                    summary.id,
                    name=_limits.truncate(page.title, _limits.THREAD_NAME),
                    auto_archive_duration=1440,
                    reason="engagement digest",
                )
                target = self.client.get_partial_messageable(
                    int(data["id"]), type=discord.ChannelType.public_thread
                )
            except discord.HTTPException as exc:
                log.warning("no thread for the digest (%s); posting cards in the channel", exc)
        card_ids = []
        for message in messages[1:]:
            card = message.card
            if card is None:  # pragma: no cover - one card per message here
                continue
            sent = await target.send(embeds=list(message.embeds), view=card_view(card))
            if on_sent is not None:
                await on_sent((target.id, sent.id))
            self.board.track(card.key, target.id, sent.id, card.state)
            card_ids.append(sent.id)
        return PostedDigest(channel_id, summary.id, target.id, tuple(card_ids))

    @digest.command(name="now", description="Post a fresh digest in the digest channel now.")
    async def digest_now(self, interaction: discord.Interaction[Any]) -> None:
        """Post an on-demand digest (it does not replace the scheduled one)."""
        config = await self.service.get_config()
        if await refuse_without_role(interaction, config.brand_role):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        channel_id = config.digest_channel_id or interaction.channel_id
        if channel_id is None:
            await interaction.followup.send("No digest channel is configured.", ephemeral=True)
            return
        posted = await self.post(channel_id, await self.service.digest(self.clock()))
        await interaction.followup.send(
            f"Digest posted in <#{channel_id}> ({len(posted.card_ids)} card(s)).", ephemeral=True
        )
