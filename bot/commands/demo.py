"""``engagebot demo``: the whole pipeline on the sandbox, no credentials, exits by itself."""

from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``demo``."""
    parser = subparsers.add_parser(
        "demo",
        help="the whole pipeline on the built-in sandbox (no credentials, no network)",
        description=(
            "Starts the sandbox in-process with the launch-day scenario, polls it for a few "
            "simulated hours, builds the digest, prints it, writes it as HTML under --data-dir "
            "and posts it to ENGAGEBOT_DISCORD_WEBHOOK_URL if set (else to the sandbox's own "
            "Discord recorder)."
        ),
    )
    parser.add_argument("--data-dir", type=Path, default=Path("data"), help="default ./data")
    parser.add_argument("--seed", type=int, default=7, help="scenario seed (default 7)")
    parser.add_argument("--cycles", type=int, default=6, help="poll cycles, 1 h apart (default 6)")
    parser.set_defaults(handler=_handle)


async def _handle(args: argparse.Namespace) -> int:
    from rich.console import Console

    from bot.demo import run_demo
    from bot.demo._terminal import print_demo
    from bot.errors import UserError

    if args.cycles < 1:
        raise UserError("--cycles must be at least 1")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    console = Console()
    webhook = os.environ.get("ENGAGEBOT_DISCORD_WEBHOOK_URL") or None
    with console.status("Running the launch-day scenario…") as status:
        result = await run_demo(
            args.data_dir,
            seed=args.seed,
            cycles=args.cycles,
            webhook_url=webhook,
            progress=lambda line: status.update(line),
        )
    print_demo(result, console)
    return 0
