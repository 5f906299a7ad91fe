"""``engagebot bench NAME``: benchmarks, each a module under ``bot.benchmarks``."""

from __future__ import annotations

import argparse
import importlib
from typing import Protocol

# Each module in bot/benchmarks registers one benchmark. Order is the --help order.
BENCHMARKS: tuple[str, ...] = ("ingest", "drafts", "sandbox", "x", "bluesky", "triage", "classify")


class _BenchmarkModule(Protocol):
    def register(self, subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
        """Add the benchmark's parser, with ``handler`` set as a default."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``bench`` sub-command with every registered benchmark under it."""
    parser = subparsers.add_parser(
        "bench",
        help="run a benchmark (--json prints one JSON object)",
        description="Measure a part of engagebot. With --json, stdout is one JSON object.",
    )
    benchmarks = parser.add_subparsers(dest="benchmark", metavar="NAME", required=True)
    for name in BENCHMARKS:
        module: _BenchmarkModule = importlib.import_module(f"bot.benchmarks.{name}")
        module.register(benchmarks)
