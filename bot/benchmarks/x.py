"""``engagebot bench x``: what watching X mentions costs, per 1,000 mentions ingested.

Runs the real X poller against the in-process sandbox (a seeded scenario, a temporary SQLite
database), polling every ``--interval-min`` of scenario time through the day, then compares the
poller's own cost estimate with the sandbox's ledger. "No wasted reads" means every post billed
was a mention ingested once: post reads per mention = 1.00, i.e. the owned-read part of the cost
equals the owned-read price per mention. Expanded authors and referenced posts are billed on
top (user and post reads), shown separately.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

from bot.benchmarks._common import emit
from bot.errors import UserError
from bot.settings import Settings, load_settings
from bot.x import XConnection
from engagement.models import Platform
from engagement.ports import PollOutcome
from sandbox import ManualClock, SandboxServer
from storage import Database
from watchers.x import XError, month_start

START = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
TARGET_RATIO = 1.10
MENTIONS = "GET /2/users/:id/mentions"


class _QuietAlerts:
    def __init__(self) -> None:
        self.count = 0

    async def platform_alert(self, platform: Platform, account_id: str, message: str) -> None:
        self.count += 1


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``x`` benchmark."""
    parser = subparsers.add_parser(
        "x",
        help="estimated X API cost per 1,000 mentions ingested (sandbox), and calls made",
        description=__doc__,
    )
    parser.add_argument("--scenario", default="launch-day", help="sandbox scenario")
    parser.add_argument("--seed", type=int, default=7, help="scenario seed")
    parser.add_argument("--hours", type=float, default=26.0, help="scenario hours to watch")
    parser.add_argument(
        "--interval-min", type=float, default=5.0, help="scenario minutes between polls"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


async def _poll_day(x: XConnection, clock: ManualClock, args: argparse.Namespace) -> list[Any]:
    poller = x.poller(_QuietAlerts())
    outcomes: list[PollOutcome] = []
    steps = int(args.hours * 60 / args.interval_min)
    for _ in range(steps):
        clock.advance(timedelta(minutes=args.interval_min))
        for _ in range(1000):  # a sweep continues at once; otherwise wait for the next tick
            outcome = await poller.poll_once()
            outcomes.append(outcome)
            if poller.next_delay(outcome) > 0:
                break
    return outcomes


async def _state(sb: SandboxServer) -> dict[str, Any]:
    async with aiohttp.ClientSession() as http, http.get(f"{sb.url}/_sandbox/state?log=0") as r:
        state: dict[str, Any] = await r.json()
        return state


async def run(args: argparse.Namespace) -> int:
    """Run the benchmark and print one result."""
    if args.hours <= 0 or args.interval_min <= 0:
        raise UserError("--hours and --interval-min must be positive")
    clock = ManualClock(START)
    began = time.perf_counter()
    try:
        sandbox = SandboxServer(scenario=args.scenario, seed=args.seed, clock=clock)
    except KeyError:
        raise UserError(f"unknown scenario {args.scenario!r}") from None
    with tempfile.TemporaryDirectory(prefix="engagebot-bench-x-") as directory:
        url = f"sqlite+aiosqlite:///{Path(directory) / 'x.db'}"
        db = Database(url)
        try:
            await db.upgrade()
            async with sandbox as sb:
                fields = {k.removeprefix("ENGAGEBOT_").lower(): v for k, v in sb.env().items()}
                settings = load_settings(Settings, _env_file=None, **fields, database_url=url)
                async with XConnection(settings, db, clock=clock.now) as x:
                    try:
                        outcomes = await _poll_day(x, clock, args)
                    except XError as exc:
                        raise UserError(f"X benchmark failed: {exc}") from None
                state = await _state(sb)
            async with db.unit_of_work() as uow:
                estimated = await uow.api_usage.total_since(Platform.X, month_start(START))
                ingested = len(await uow.interactions.external_ids(Platform.X))
        finally:
            await db.dispose()
    result = _result(args, state, outcomes, estimated, ingested, time.perf_counter() - began)
    emit(result, as_json=args.json, title="X cost")
    return 0 if result["no_wasted_reads"] else 1


def _result(
    args: argparse.Namespace,
    state: dict[str, Any],
    outcomes: list[PollOutcome],
    estimated: float,
    ingested: int,
    elapsed: float,
) -> dict[str, Any]:
    units: Counter[str] = Counter()
    costs: Counter[str] = Counter()
    for entry in state["x"]["entries"]:
        if entry["endpoint"] == MENTIONS:
            units[entry["item"]] += entry["units"]
            costs[entry["item"]] += entry["cost_usd"]
    ledger = float(state["x_cost_usd"])
    per_k = 1000 / ingested if ingested else 0.0
    owned_price_per_k = 1.0  # $0.001 per owned read x 1,000
    owned_per_k = costs["owned_read"] * per_k
    generated = len(state["generated"]["x"])
    return {
        "benchmark": "x",
        "scenario": args.scenario,
        "seed": args.seed,
        "interval_min": args.interval_min,
        "mentions_generated": generated,
        "mentions_ingested": ingested,
        "exact_set": ingested == generated,
        "api_calls": sum(o.api_calls for o in outcomes),
        "requests_by_endpoint": state["requests"],
        "post_reads_per_mention": round(units["owned_read"] / ingested, 4) if ingested else None,
        "owned_read_cost_per_1000_usd": round(owned_per_k, 4),
        "owned_read_price_per_1000_usd": owned_price_per_k,
        "no_wasted_reads": ingested > 0 and owned_per_k <= owned_price_per_k * TARGET_RATIO,
        "user_read_cost_per_1000_usd": round(costs["user_read"] * per_k, 4),
        "expanded_post_cost_per_1000_usd": round(costs["post_read"] * per_k, 4),
        "estimated_cost_usd": round(estimated, 6),
        "ledger_cost_usd": round(ledger, 6),
        "estimated_cost_per_1000_usd": round(estimated * per_k, 4),
        "estimate_error_pct": round(100 * (estimated - ledger) / ledger, 3) if ledger else None,
        "elapsed_s": round(elapsed, 2),
    }
