"""``engagebot sandbox``: run the local Bluesky, X, LLM and Discord simulators."""

from __future__ import annotations

import argparse
import asyncio
import shlex
import sys

from bot.errors import UserError
from sandbox import DEFAULT_SPEED, SCENARIOS, SandboxServer

DEFAULT_PORT = 8787


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``sandbox`` sub-command."""
    parser = subparsers.add_parser(
        "sandbox",
        help="run local simulators of Bluesky, X, an LLM and Discord (no credentials needed)",
        description=(
            "Serve seeded, deterministic traffic on loopback. Scenarios: "
            + "; ".join(f"{name}: {text}" for name, text in SCENARIOS.items())
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="TCP port (0: any)")
    parser.add_argument("--scenario", default="launch-day", help="quiet-day, launch-day, outage")
    parser.add_argument("--seed", type=int, default=7, help="scenario seed (default 7)")
    parser.add_argument(
        "--speed",
        type=float,
        default=DEFAULT_SPEED,
        help=f"scenario seconds per real second (default {DEFAULT_SPEED:g}: a day in 2 minutes)",
    )
    parser.add_argument(
        "--x-credits",
        type=float,
        default=None,
        metavar="USD",
        help="X API credits before calls get 402 CreditsDepleted (default: unlimited)",
    )
    parser.add_argument(
        "--print-env",
        action="store_true",
        help="print the export ENGAGEBOT_...=... lines for this host/port and exit",
    )
    parser.set_defaults(handler=run)


def _server(args: argparse.Namespace) -> SandboxServer:
    if args.scenario not in SCENARIOS:
        raise UserError(f"unknown scenario {args.scenario!r}; choose from {', '.join(SCENARIOS)}")
    if not 0 <= args.port <= 65535:
        raise UserError(f"--port must be between 0 and 65535, not {args.port}")
    if args.speed <= 0:
        raise UserError("--speed must be positive")
    return SandboxServer(
        scenario=args.scenario,
        seed=args.seed,
        host=args.host,
        port=args.port,
        speed=args.speed,
        x_credits_usd=args.x_credits,
    )


def _exports(server: SandboxServer) -> str:
    return "\n".join(f"export {k}={shlex.quote(v)}" for k, v in server.env().items())


async def run(args: argparse.Namespace) -> int:
    """Print the environment, or serve until interrupted."""
    server = _server(args)
    if args.print_env:
        if args.port == 0:
            raise UserError("--print-env needs a fixed --port (the URL must be known)")
        print(_exports(server))
        return 0
    try:
        await server.start()
    except OSError as exc:
        raise UserError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    try:
        print(
            f"sandbox: {args.scenario} (seed {args.seed}) at {server.url}, "
            f"{args.speed:g}x real time; Ctrl-C to stop. Point the bot at it with:",
            file=sys.stderr,
        )
        print(_exports(server), flush=True)
        await asyncio.Event().wait()
    finally:
        await server.stop()
    return 0
