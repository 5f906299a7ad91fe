"""``engagebot bench bluesky``: Bluesky API economy and new-mention latency (sandbox).

Three measurements against the in-process sandbox, through the real poller, SDK and a
temporary SQLite database:

* **economy**: the whole scenario day (one sandbox per seed) is caught up from scratch;
  every Bluesky request counts (login, pages, hydration, the brand's author feed). Target:
  at most 60 calls per 1,000 notifications ingested.
* **idle**: once nothing is new, requests per poll interval. Target: one (the notification
  list); the brand's author feed is read every ``--answered-check-s`` on top, shown apart.
* **steady**: for ``--steady-hours`` of the launch peak, one poll per ``--interval-s`` of
  scenario time, as in production; calls are split between cycles that brought something new
  and idle ones (reported, no target: at low traffic each new notification costs its poll).
* **latency**: the poll loop runs in real time with ``--latency-interval-s``; a mention is
  released at a random moment and the time until it is committed is measured. Target: within
  one interval plus one second.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

from bot.benchmarks._common import emit
from bot.bluesky import BlueskyConnection, BlueskyPoller
from bot.errors import UserError
from bot.polling import run_poller
from bot.settings import Settings, load_settings
from engagement.models import InteractionKind, Platform
from engagement.ports import PollOutcome
from sandbox import ManualClock, SandboxServer
from storage import Database

START = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
MAX_CALLS_PER_1000 = 60
_PREFIXES = ("app.bsky.", "com.atproto.")
_LIST = "app.bsky.notification.listNotifications"


class _QuietAlerts:
    async def platform_alert(self, platform: Platform, account_id: str, message: str) -> None:
        """Benchmarks have no one to alert."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``bluesky`` benchmark."""
    parser = subparsers.add_parser(
        "bluesky",
        help="Bluesky API calls per 1,000 notifications, idle cost, new-mention latency",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--scenario", default="launch-day", help="sandbox scenario")
    parser.add_argument("--seeds", default="7,8", help="comma-separated scenario seeds")
    parser.add_argument("--interval-s", type=float, default=30.0, help="poll interval (idle)")
    parser.add_argument("--idle-cycles", type=int, default=40, help="idle cycles measured")
    parser.add_argument(
        "--answered-check-s", type=float, default=600.0, help="author-feed check period"
    )
    parser.add_argument(
        "--steady-hours", type=float, default=4.0, help="scenario hours polled every interval"
    )
    parser.add_argument("--latency-samples", type=int, default=5, help="mentions released")
    parser.add_argument(
        "--latency-interval-s", type=float, default=2.0, help="real poll interval (latency)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


async def _requests(sb: SandboxServer) -> dict[str, int]:
    async with aiohttp.ClientSession() as http, http.get(f"{sb.url}/_sandbox/state?log=0") as r:
        state: dict[str, Any] = await r.json()
    return {k: int(v) for k, v in state["requests"].items() if k.startswith(_PREFIXES)}


def _delta(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {k: v - before.get(k, 0) for k, v in after.items() if v != before.get(k, 0)}


def _connect(
    sb: SandboxServer, db: Database, url: str, clock: ManualClock, args: argparse.Namespace
) -> BlueskyConnection:
    fields = {k.removeprefix("ENGAGEBOT_").lower(): v for k, v in sb.env().items()}
    fields.update(database_url=url, bluesky_poll_interval_s=args.interval_s)
    settings = load_settings(Settings, _env_file=None, **fields)
    return BlueskyConnection(
        settings, db, _QuietAlerts(), answered_check_s=args.answered_check_s, clock=clock.now
    )


async def _catch_up(poller: BlueskyPoller) -> list[PollOutcome]:
    outcomes: list[PollOutcome] = []
    for _ in range(1000):
        outcome = await poller.poll_once()
        outcomes.append(outcome)
        if poller.next_delay(outcome) > 0 and outcome.note is None:
            return outcomes
    raise UserError("the Bluesky poller did not catch up")


async def _one_seed(seed: int, args: argparse.Namespace, directory: Path) -> dict[str, Any]:
    clock = ManualClock(START)
    url = f"sqlite+aiosqlite:///{directory / f'bsky-{seed}.db'}"
    db = Database(url)
    try:
        await db.upgrade()
        async with SandboxServer(scenario=args.scenario, seed=seed, clock=clock) as sb:
            day = sb.scenario.events[-1].offset + timedelta(minutes=1)
            async with _connect(sb, db, url, clock, args) as bsky:
                poller = bsky.pollers[0]
                clock.advance(day)
                before = await _requests(sb)
                outcomes = await _catch_up(poller)
                economy = _delta(await _requests(sb), before)
                generated = sum(1 for e in sb.world.generated()["bluesky"])
                idle = await _idle(sb, poller, clock, args)
            async with db.unit_of_work() as uow:
                stored = len(await uow.interactions.external_ids(Platform.BLUESKY))
    finally:
        await db.dispose()
    return {
        "seed": seed,
        "generated": generated,
        "ingested": sum(o.inserted for o in outcomes),
        "stored": stored,
        "calls": economy,
        "idle": idle,
    }


async def _idle(
    sb: SandboxServer, poller: BlueskyPoller, clock: ManualClock, args: argparse.Namespace
) -> dict[str, int]:
    before = await _requests(sb)
    for _ in range(args.idle_cycles):
        clock.advance(timedelta(seconds=args.interval_s))
        outcome = await poller.poll_once()
        if outcome.inserted:
            raise UserError("traffic during the idle phase: the scenario did not end")
    return _delta(await _requests(sb), before)


async def _latency(args: argparse.Namespace, directory: Path) -> list[float]:
    seed = int(args.seeds.split(",")[0])
    clock = ManualClock(START)
    url = f"sqlite+aiosqlite:///{directory / 'latency.db'}"
    db = Database(url)
    rng = random.Random(seed)
    samples: list[float] = []
    try:
        await db.upgrade()
        async with SandboxServer(scenario=args.scenario, seed=seed, clock=clock) as sb:
            args_rt = argparse.Namespace(**{**vars(args), "interval_s": args.latency_interval_s})
            async with _connect(sb, db, url, clock, args_rt) as bsky:
                poller = bsky.pollers[0]
                clock.advance(timedelta(hours=2))
                await _catch_up(poller)
                arrived: dict[str, float] = {}

                async def seen(outcome: PollOutcome) -> None:
                    for item in outcome.new_items:
                        arrived.setdefault(item.external_id, time.monotonic())

                stop = asyncio.Event()
                loop = asyncio.create_task(run_poller(poller, stop, on_outcome=seen))
                try:
                    for _ in range(args.latency_samples):
                        samples.append(await _release_mention(sb, clock, rng, arrived, args))
                finally:
                    stop.set()
                    await loop
    finally:
        await db.dispose()
    return samples


async def _release_mention(
    sb: SandboxServer,
    clock: ManualClock,
    rng: random.Random,
    arrived: dict[str, float],
    args: argparse.Namespace,
) -> float:
    await asyncio.sleep(rng.uniform(0, args.latency_interval_s))
    now = clock.now()
    upcoming = [
        e
        for e in sb.scenario.events
        if e.platform is Platform.BLUESKY
        and e.kind == InteractionKind.MENTION
        and sb.world.time_of(e) > now
    ]
    if not upcoming:
        raise UserError("no mention left in the scenario for the latency phase")

    def mentions() -> set[str]:
        return {g["id"] for g in sb.world.generated()["bluesky"] if g["kind"] == "mention"}

    known = mentions()
    # The notification is indexed up to two seconds after the post is made.
    clock.set(sb.world.time_of(upcoming[0]) + timedelta(seconds=2.5))
    released = time.monotonic()
    ids = mentions() - known
    deadline = released + 10 * args.latency_interval_s + 10
    while time.monotonic() < deadline:
        if ids and ids <= arrived.keys():
            return max(arrived[i] for i in ids) - released
        await asyncio.sleep(0.01)
    raise UserError("a released mention never arrived")


def _seeds(raw: str) -> list[int]:
    try:
        seeds = [int(s) for s in raw.split(",") if s.strip()]
    except ValueError:
        raise UserError("--seeds must be comma-separated integers") from None
    if not seeds:
        raise UserError("--seeds must name at least one seed")
    return seeds


async def _steady(args: argparse.Namespace, directory: Path) -> dict[str, Any]:
    seed = _seeds(args.seeds)[0]
    clock = ManualClock(START)
    url = f"sqlite+aiosqlite:///{directory / 'steady.db'}"
    db = Database(url)
    busy = idle = busy_calls = idle_calls = new = 0
    try:
        await db.upgrade()
        sandbox = SandboxServer(scenario=args.scenario, seed=seed, clock=clock)
        async with sandbox as sb, _connect(sb, db, url, clock, args) as bsky:
            poller = bsky.pollers[0]
            for _ in range(int(args.steady_hours * 3600 / args.interval_s)):
                clock.advance(timedelta(seconds=args.interval_s))
                for outcome in await _catch_up(poller):
                    if outcome.inserted:
                        busy, busy_calls = busy + 1, busy_calls + outcome.api_calls
                        new += outcome.inserted
                    else:
                        idle, idle_calls = idle + 1, idle_calls + outcome.api_calls
    finally:
        await db.dispose()
    return {
        "steady_hours": args.steady_hours,
        "steady_notifications": new,
        "steady_busy_cycles": busy,
        "steady_calls_per_busy_cycle": round(busy_calls / busy, 3) if busy else None,
        "steady_calls_per_1000_notifications": round(1000 * busy_calls / new, 1) if new else None,
        "steady_idle_cycles": idle,
        "steady_calls_per_idle_cycle": round(idle_calls / idle, 3) if idle else None,
    }


async def run(args: argparse.Namespace) -> int:
    """Run the three measurements and print one result."""
    if args.interval_s <= 0 or args.latency_interval_s <= 0 or args.idle_cycles <= 0:
        raise UserError("intervals and --idle-cycles must be positive")
    seeds = _seeds(args.seeds)
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="engagebot-bench-bsky-") as tmp:
        try:
            runs = [await _one_seed(seed, args, Path(tmp)) for seed in seeds]
        except KeyError:
            raise UserError(f"unknown scenario {args.scenario!r}") from None
        steady = await _steady(args, Path(tmp)) if args.steady_hours > 0 else {}
        latencies = await _latency(args, Path(tmp)) if args.latency_samples > 0 else []
    result = {**_result(args, runs, latencies, time.perf_counter() - began), **steady}
    emit(result, as_json=args.json, title="Bluesky API economy and latency")
    return 0 if result["targets_met"] else 1


def _result(
    args: argparse.Namespace,
    runs: Sequence[dict[str, Any]],
    latencies: Sequence[float],
    elapsed: float,
) -> dict[str, Any]:
    ingested = sum(r["ingested"] for r in runs)
    calls = sum(sum(r["calls"].values()) for r in runs)
    by_endpoint: dict[str, int] = {}
    for r in runs:
        for k, v in r["calls"].items():
            by_endpoint[k] = by_endpoint.get(k, 0) + v
    idle_cycles = args.idle_cycles * len(runs)
    idle_total = sum(sum(r["idle"].values()) for r in runs)
    idle_list = sum(r["idle"].get(_LIST, 0) for r in runs)
    per_1000 = round(1000 * calls / ingested, 2) if ingested else None
    exact = all(r["stored"] == r["generated"] == r["ingested"] for r in runs)
    latency_target = args.latency_interval_s + 1.0
    latency_max = round(max(latencies), 3) if latencies else None
    targets = (
        exact
        and per_1000 is not None
        and per_1000 <= MAX_CALLS_PER_1000
        and idle_list == idle_cycles
        and (latency_max is None or latency_max <= latency_target)
    )
    return {
        "benchmark": "bluesky",
        "scenario": args.scenario,
        "seeds": [r["seed"] for r in runs],
        "notifications_ingested": ingested,
        "exact_set": exact,
        "api_calls": calls,
        "calls_by_endpoint": by_endpoint,
        "calls_per_1000_notifications": per_1000,
        "target_calls_per_1000": MAX_CALLS_PER_1000,
        "idle_cycles": idle_cycles,
        "idle_list_calls_per_interval": round(idle_list / idle_cycles, 3),
        "idle_calls_per_interval": round(idle_total / idle_cycles, 3),
        "answered_check_s": args.answered_check_s,
        "latency_interval_s": args.latency_interval_s,
        "latency_samples_s": [round(x, 3) for x in latencies],
        "latency_p50_s": round(statistics.median(latencies), 3) if latencies else None,
        "latency_max_s": latency_max,
        "latency_target_s": latency_target,
        "targets_met": bool(targets),
        "elapsed_s": round(elapsed, 2),
    }
