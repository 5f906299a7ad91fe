"""``engagebot run [--sync]``: the Discord bot, the watchers and the digest scheduler together.

With ``ENGAGEBOT_DISCORD_TOKEN`` the full bot runs (buttons, modals, slash commands). With only
``ENGAGEBOT_DISCORD_WEBHOOK_URL`` the watchers run and the daily digest goes through the
webhook (no buttons). Stops cleanly on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys

import discord
from discord.http import Route

from bot.discord_app import EngageBot, ForwardingAlerts
from bot.discord_app._runtime import open_runtime
from bot.discord_app._webhook_mode import run_webhook_only
from bot.errors import UserError
from bot.publishing import utc_now
from bot.settings import Settings, load_settings

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``run`` sub-command."""
    parser = subparsers.add_parser(
        "run",
        help="run the Discord bot with the watchers and the daily digest",
        description=(
            "Run the Discord bot (digest, alerts, buttons, slash commands), the Bluesky/X "
            "watchers and the digest scheduler in one process. With only a webhook URL, post "
            "the daily digest through the webhook instead."
        ),
    )
    parser.add_argument(
        "--sync",
        action="store_true",
        help="publish the slash commands before starting (after installing or upgrading)",
    )
    parser.set_defaults(handler=run)


def _configure_logging(level: str) -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    logging.getLogger("discord").setLevel(max(logging.INFO, logging.getLevelName(level)))


def _on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)


async def run(args: argparse.Namespace) -> int:
    """Run until interrupted; exit code 0 on a clean stop."""
    settings = load_settings(Settings)
    _configure_logging(settings.log_level)
    stop = asyncio.Event()
    _on_signals(stop)
    if settings.discord_token is None:
        if settings.discord_webhook_url is None:
            raise UserError(
                "set ENGAGEBOT_DISCORD_TOKEN (the bot) or ENGAGEBOT_DISCORD_WEBHOOK_URL "
                "(digest only)"
            )
        await run_webhook_only(settings, stop, clock=utc_now)
        return 0
    return await run_bot(settings, stop, sync=bool(args.sync))


async def run_bot(settings: Settings, stop: asyncio.Event, *, sync: bool) -> int:
    """Run the bot until ``stop`` is set or the connection ends."""
    token = settings.discord_token
    if token is None:  # pragma: no cover - checked by the caller
        raise UserError("ENGAGEBOT_DISCORD_TOKEN is required but not set")
    alerts = ForwardingAlerts()
    # discord.py builds every bot REST route from the class-wide Route.BASE; this process is
    # the bot, so point it at the configured API (the sandbox's recorder in tests) for the run
    # and put it back afterwards. Webhook posts never use it (bot/discord_app/_webhook.py).
    previous_base = Route.BASE
    Route.BASE = settings.discord_api_base.rstrip("/")
    try:
        return await _run(settings, token.get_secret_value(), alerts, stop, sync=sync)
    finally:
        Route.BASE = previous_base


async def _run(
    settings: Settings, token: str, alerts: ForwardingAlerts, stop: asyncio.Event, *, sync: bool
) -> int:
    bot = EngageBot(
        lambda: open_runtime(settings, alerts, clock=utc_now),
        clock=utc_now,
        alert_window_s=settings.alert_batch_seconds,
        sync_guild_id=settings.discord_guild_id,
        sync_on_start=sync,
        alerts=alerts,
    )
    async with bot:
        runner = asyncio.create_task(bot.start(token), name="discord")
        waiter = asyncio.create_task(stop.wait(), name="stop")
        done, _ = await asyncio.wait({runner, waiter}, return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
        if runner in done:
            exc = runner.exception()
            if isinstance(exc, discord.LoginFailure):
                raise UserError("Discord refused ENGAGEBOT_DISCORD_TOKEN (invalid token)")
            if exc is not None:
                raise UserError(f"Discord connection ended: {type(exc).__name__}: {exc}")
        else:
            log.info("stopping")
            await bot.close()
            with contextlib.suppress(asyncio.CancelledError):
                await runner
    return 0
