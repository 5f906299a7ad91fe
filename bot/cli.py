"""The ``engagebot`` command line: one small module per sub-command under ``bot.commands``."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, Protocol

from bot.errors import UserError
from bot.settings import SettingsError

# Each module in bot/commands registers one sub-command. Order is the --help order.
COMMAND_MODULES: tuple[str, ...] = (
    "demo",
    "db",
    "bench",
    "x",
    "poll",
    "run",
    "draft",
    "sandbox",
    "digest",
    "eval",
)

Handler = Callable[[argparse.Namespace], Coroutine[Any, Any, int]]


class _CommandModule(Protocol):
    def register(self, subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
        """Add the sub-command's parser, with ``handler`` set as a default."""


def build_parser() -> argparse.ArgumentParser:
    """Build the top-level parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="engagebot",
        description=(
            "Self-hosted engagement assistant: watches Bluesky and X, triages what deserves an "
            "answer, and brings it to your team's Discord."
        ),
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module: _CommandModule = importlib.import_module(f"bot.commands.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0
    try:
        return asyncio.run(handler(args))
    except (SettingsError, UserError) as exc:
        print(f"engagebot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        logging.getLogger(__name__).info("interrupted")
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
