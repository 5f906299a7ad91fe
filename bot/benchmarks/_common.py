"""Helpers every benchmark shares: one JSON object on stdout, progress on stderr."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table


def emit(result: Mapping[str, Any], *, as_json: bool, title: str) -> None:
    """Print the result: one JSON object (``--json``) or a small table for people."""
    if as_json:
        sys.stdout.write(json.dumps(result, sort_keys=True) + "\n")
        return
    table = Table(title=title, show_header=False)
    for key, value in result.items():
        table.add_row(key, f"{value:,.1f}" if isinstance(value, float) else str(value))
    Console().print(table)


class LazyProgress:
    """A rich progress bar on stderr that only appears once the work has taken a while.

    Nothing is drawn for quick runs or when stderr is not a terminal, so ``--json`` output
    and logs stay clean.

    Args:
        description: What is being done.
        total: How many steps make the whole.
        delay_s: Seconds before the bar appears.
    """

    def __init__(self, description: str, total: int, *, delay_s: float = 2.0) -> None:
        self._console = Console(stderr=True)
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=self._console,
            transient=True,
        )
        self._task = self._progress.add_task(description, total=total)
        self._delay_s = delay_s
        self._started_at = time.monotonic()
        self._shown = False

    def __enter__(self) -> LazyProgress:
        self._started_at = time.monotonic()
        return self

    def advance(self, steps: int = 1) -> None:
        """Record progress; show the bar if the work has become slow enough."""
        self._progress.update(self._task, advance=steps)
        late = time.monotonic() - self._started_at >= self._delay_s
        if not self._shown and late and self._console.is_terminal:
            self._progress.start()
            self._shown = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._shown:
            self._progress.stop()
