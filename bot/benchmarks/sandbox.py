"""``engagebot bench sandbox``: sandbox start time and requests per second over loopback."""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import time
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection

import aiohttp

from bot.benchmarks._common import emit
from bot.errors import UserError
from sandbox import SCENARIOS, ManualClock, SandboxServer
from sandbox._credentials import BLUESKY_APP_PASSWORD

START_TARGET_S = 2.0
RATE_TARGET = 1000.0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``sandbox`` benchmark."""
    parser = subparsers.add_parser(
        "sandbox",
        help="sandbox start time and XRPC requests/s on loopback",
        description=(
            "In a separate process, start the sandbox a few times (scenario build, records, "
            "routes, bind), then send it N authenticated getProfile/listNotifications requests "
            "from this process with aiohttp at a fixed concurrency. "
            f"Targets: start < {START_TARGET_S:g} s, >= {RATE_TARGET:g} requests/s."
        ),
    )
    parser.add_argument("--n", type=int, default=5000, help="requests (default 5000)")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight")
    parser.add_argument("--starts", type=int, default=3, help="cold starts to time (default 3)")
    parser.add_argument("--scenario", default="launch-day", help="scenario to serve")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


async def _serve(scenario: str, starts: int, conn: Connection) -> None:
    clock = ManualClock(datetime.now(UTC))
    timings: list[float] = []
    server: SandboxServer | None = None
    for _ in range(starts):
        if server is not None:
            await server.stop()
        began = time.perf_counter()
        server = SandboxServer(scenario=scenario, seed=7, clock=clock, preroll=timedelta(hours=2))
        await server.start()
        timings.append(time.perf_counter() - began)
    assert server is not None
    conn.send((server.url, server.bluesky_handle, timings))
    await asyncio.get_running_loop().run_in_executor(None, conn.recv)  # until told to stop
    await server.stop()


def _serve_process(scenario: str, starts: int, conn: Connection) -> None:
    """Child process: time cold starts, then serve until the parent says stop."""
    asyncio.run(_serve(scenario, starts, conn))


async def _hammer(url: str, handle: str, n: int, concurrency: int) -> dict[str, float]:
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as http:
        login = {"identifier": handle, "password": BLUESKY_APP_PASSWORD}
        async with http.post(f"{url}/xrpc/com.atproto.server.createSession", json=login) as resp:
            token = (await resp.json())["accessJwt"]
        headers = {"Authorization": f"Bearer {token}"}
        urls = [
            f"{url}/xrpc/app.bsky.actor.getProfile?actor={handle}",
            f"{url}/xrpc/app.bsky.notification.listNotifications?limit=25",
        ]
        latencies: list[float] = []
        errors = 0
        queue = iter(range(n))

        async def worker() -> None:
            nonlocal errors
            for i in queue:
                began = time.perf_counter()
                async with http.get(urls[i % 2], headers=headers) as resp:
                    await resp.read()
                    errors += resp.status != 200
                latencies.append(time.perf_counter() - began)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    quantiles = statistics.quantiles(latencies, n=20)
    return {
        "elapsed_s": round(elapsed, 3),
        "requests_per_s": round(n / elapsed, 1),
        "latency_ms_p50": round(statistics.median(latencies) * 1000, 2),
        "latency_ms_p95": round(quantiles[18] * 1000, 2),
        "errors": errors,
    }


async def run(args: argparse.Namespace) -> int:
    """Run the benchmark and print the result."""
    if args.scenario not in SCENARIOS:
        raise UserError(f"unknown scenario {args.scenario!r}; choose from {', '.join(SCENARIOS)}")
    if args.n < 20 or args.concurrency < 1 or args.starts < 1:
        raise UserError("--n must be >= 20, --concurrency and --starts >= 1")
    # The server runs in its own process (as `engagebot sandbox` does), the client here.
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(
        target=_serve_process, args=(args.scenario, args.starts, child), daemon=True
    )
    process.start()
    try:
        if not await asyncio.get_running_loop().run_in_executor(None, parent.poll, 60):
            raise UserError("the sandbox process did not start within 60 s")
        url, handle, starts = parent.recv()
        load = await _hammer(url, handle, args.n, args.concurrency)
    finally:
        parent.send("stop")
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
    result = {
        "benchmark": "sandbox",
        "scenario": args.scenario,
        "requests": args.n,
        "concurrency": args.concurrency,
        "start_s_first": round(starts[0], 4),
        "start_s_median": round(statistics.median(starts), 4),
        **load,
        "target_start_s": START_TARGET_S,
        "target_requests_per_s": RATE_TARGET,
        "meets_targets": max(starts) < START_TARGET_S
        and load["requests_per_s"] >= RATE_TARGET
        and load["errors"] == 0,
    }
    emit(result, as_json=args.json, title="sandbox")
    return 0 if result["meets_targets"] else 1
