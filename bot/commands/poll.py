"""``engagebot poll [--once]``: the watchers only, no Discord, until SIGINT/SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys

from bot.errors import UserError
from bot.pollers import LoggingAlerts, build_pollers, close_pollers
from bot.polling import Poller, PollerStoppedError, run_pollers
from bot.settings import Settings, load_settings
from engagement.ports import PollOutcome
from storage import Database

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``poll`` sub-command."""
    parser = subparsers.add_parser(
        "poll",
        help="run the watchers only (no Discord) until interrupted",
        description=(
            "Poll every configured Bluesky and X account and store what is new, without "
            "Discord. Stops cleanly on Ctrl-C or SIGTERM."
        ),
    )
    parser.add_argument("--once", action="store_true", help="run one cycle per account, then exit")
    parser.set_defaults(handler=run)


def _configure_logging(level: str) -> None:
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(
            level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    logging.getLogger("httpx").setLevel(max(logging.WARNING, root.level))  # one line per request


def _summary(name: str, outcome: PollOutcome) -> str:
    note = f" ({outcome.note})" if outcome.note else ""
    return (
        f"{name}: fetched {outcome.fetched}, new {outcome.inserted}, "
        f"{outcome.api_calls} API call(s){note}"
    )


async def _once(pollers: list[Poller]) -> int:
    async def one(poller: Poller) -> bool:
        try:
            outcome = await poller.poll_once()
        except PollerStoppedError as exc:
            print(f"{poller.name}: stopped: {exc}", file=sys.stderr)
            return False
        except Exception as exc:  # noqa: BLE001 - report any fault of the one cycle and go on
            print(f"{poller.name}: cycle failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            return False
        print(_summary(poller.name, outcome))
        return True

    results = await asyncio.gather(*(one(p) for p in pollers))
    return 0 if all(results) else 1


async def _log_outcome(outcome: PollOutcome) -> None:
    if outcome.inserted or outcome.note:
        log.info(
            "%s %s: %d new of %d fetched, %d call(s)%s",
            outcome.platform.value,
            outcome.account_id,
            outcome.inserted,
            outcome.fetched,
            outcome.api_calls,
            f" ({outcome.note})" if outcome.note else "",
        )


async def run(args: argparse.Namespace) -> int:
    """Poll until stopped (or once with ``--once``); exit code 1 if a ``--once`` cycle failed."""
    settings = load_settings(Settings)
    _configure_logging(settings.log_level)
    db = Database(settings.database_url)
    try:
        await db.upgrade()
        pollers = await build_pollers(settings, db, LoggingAlerts())
        if not pollers:
            raise UserError(
                "no account to watch: set ENGAGEBOT_BLUESKY_HANDLE and "
                "ENGAGEBOT_BLUESKY_APP_PASSWORD (or the X credentials)"
            )
        try:
            if args.once:
                return await _once(pollers)
            await _until_signalled(pollers)
            return 0
        finally:
            await close_pollers(pollers)
    finally:
        await db.dispose()


async def _until_signalled(pollers: list[Poller]) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
            installed.append(sig)
    log.info("polling %s; Ctrl-C to stop", ", ".join(p.name for p in pollers))
    try:
        await run_pollers(pollers, stop, on_outcome=_log_outcome)
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)
    log.info("stopped")
