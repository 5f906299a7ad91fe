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
from bot.discord_app._webhook import post_digest_via_webhook
from bot.pollers import LoggingAlerts
from bot.polling import run_pollers
from bot.settings import Settings
from cogs.digest import is_due, period_key, scheduled_time
from cogs.ports import InboxService, TeamConfig

log = logging.getLogger(__name__)

DESTINATION = "webhook"
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

    Returns:
        The posted message ids, or ``None`` when nothing was due or it was already posted.
    """
    config = await service.get_config()
    if not is_due(now, config):
        return None
    key = period_key(now, config)
    if not await service.claim_digest(key, DESTINATION, now):
        return None
    ids = await post_digest_via_webhook(url, await service.digest(now), session)
    await service.digest_posted(key, DESTINATION, [str(i) for i in ids], now)
    return ids


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
                try:
                    await webhook_digest_once(runtime.service, url, session, clock())
                except Exception:
                    log.exception("webhook digest failed; next try at the next period")
                delay = seconds_until_next(clock(), await runtime.service.get_config())
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=delay)
            await polling
    finally:
        if runtime.close is not None:
            await runtime.close()
