"""Webhook-only mode: watchers plus a daily digest posted through a webhook (no buttons)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import aiohttp

from bot.discord_app._runtime import open_runtime
from bot.discord_app._webhook import delete_webhook_messages, post_digest_via_webhook
from bot.pollers import LoggingAlerts
from bot.polling import run_pollers
from bot.settings import Settings
from cogs.digest import is_due, period_key, scheduled_time
from cogs.ports import InboxService, TeamConfig

log = logging.getLogger(__name__)

DESTINATION = "webhook"
RETRY_S = 60.0
Clock = Callable[[], datetime]


def seconds_until_next(now: datetime, config: TeamConfig) -> float:
    """Seconds from ``now`` to the next local digest time."""
    tz = ZoneInfo(config.timezone)
    at = scheduled_time(config)
    local = now.astimezone(tz)
    target = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    if target <= local:
        target = (local + timedelta(days=1)).replace(
            hour=at.hour, minute=at.minute, second=0, microsecond=0
        )
    return max(1.0, (target.astimezone(ZoneInfo("UTC")) - now).total_seconds())


async def webhook_digest_once(
    service: InboxService, url: str, session: aiohttp.ClientSession, now: datetime
) -> list[int] | None:
    """Post today's digest through the webhook if it is due and not posted yet.

    The claim is a lease. Messages are recorded as they are posted; when posting fails the
    messages already posted are deleted and the claim released, so the next attempt posts the
    whole digest once. After a crash (nothing cleaned up), the next run past the lease deletes
    the recorded messages of the unfinished run before posting.

    Returns:
        The posted message ids, or ``None`` when nothing was due or it was already posted.
    """
    config = await service.get_config()
    if not is_due(now, config):
        return None
    key = period_key(now, config)
    if not await service.claim_digest(key, DESTINATION, now):
        return None
    stale = [int(i) for i in await service.partial_digest(key, DESTINATION) if i.isdigit()]
    if stale:
        log.warning("removing %d message(s) of an unfinished digest %s", len(stale), key)
        await delete_webhook_messages(url, stale, session)
    sent: list[int] = []

    async def progress(ids: list[int]) -> None:
        sent[:] = ids
        await service.digest_progress(key, DESTINATION, [str(i) for i in ids])

    try:
        ids = await post_digest_via_webhook(
            url, await service.digest(now), session, on_sent=progress
        )
    except Exception:
        await _give_up(service, key, url, sent, session)
        raise
    await service.digest_posted(key, DESTINATION, [str(i) for i in ids], now)
    return ids


async def _give_up(
    service: InboxService, key: str, url: str, sent: list[int], session: aiohttp.ClientSession
) -> None:
    """Delete a half-posted digest and release the claim (kept if the deletion failed)."""
    try:
        deleted = await delete_webhook_messages(url, sent, session) if sent else 0
    except Exception:
        log.exception("could not delete the half-posted digest %s", key)
        return  # the claim and its recorded messages stay; the next run after the lease cleans up
    if deleted == len(sent):
        await service.release_digest(key, DESTINATION)


async def run_webhook_only(settings: Settings, stop: asyncio.Event, *, clock: Clock) -> None:
    """Poll and post the daily digest through ``ENGAGEBOT_DISCORD_WEBHOOK_URL`` until ``stop``."""
    if settings.discord_webhook_url is None:  # pragma: no cover - checked by the caller
        raise ValueError("no webhook URL")
    url = settings.discord_webhook_url.get_secret_value()
    runtime = await open_runtime(settings, LoggingAlerts(), clock=clock)
    try:
        async with aiohttp.ClientSession() as session:
            polling = asyncio.create_task(run_pollers(runtime.pollers, stop), name="pollers")
            while not stop.is_set():
                delay: float | None = None
                try:
                    await webhook_digest_once(runtime.service, url, session, clock())
                except Exception:
                    log.exception("webhook digest failed; trying again in %.0f s", RETRY_S)
                    delay = RETRY_S
                if delay is None:
                    delay = seconds_until_next(clock(), await runtime.service.get_config())
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=delay)
            await polling
    finally:
        if runtime.close is not None:
            await runtime.close()
