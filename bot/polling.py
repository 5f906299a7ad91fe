"""The poll loop shared by every platform: one unit of work per cycle, backoff, stop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from engagement.ports import PollOutcome

log = logging.getLogger(__name__)


class Poller(Protocol):
    """One watched stream (one account on one platform), polled cycle by cycle."""

    @property
    def name(self) -> str:
        """Short name for logs, e.g. ``bluesky:brand.bsky.social``."""
        ...

    async def poll_once(self) -> PollOutcome:
        """Fetch what is new, store it with the new cursor in one transaction, return what happened.

        Raises:
            PollerStoppedError: The stream cannot go on (credentials dead…); already alerted.
            Exception: Any transient fault; the loop backs off and the next cycle resumes from
                the last committed cursor.
        """
        ...

    def next_delay(self, outcome: PollOutcome) -> float:
        """Seconds to wait before the next cycle (adapts to activity, budget, rate limits)."""
        ...


class PollerStoppedError(Exception):
    """A poller gave up for good (after telling the team why)."""


@dataclass(frozen=True, slots=True)
class Backoff:
    """Exponential backoff with full jitter.

    Attributes:
        base: First delay in seconds.
        cap: Longest delay in seconds.
    """

    base: float = 1.0
    cap: float = 300.0

    def delay(self, failures: int, rng: random.Random | None = None) -> float:
        """Delay before retry number ``failures`` (1-based)."""
        ceiling = min(self.cap, self.base * 2 ** max(0, failures - 1))
        return (rng or random).uniform(ceiling / 2, ceiling)


OutcomeHook = Callable[[PollOutcome], Awaitable[None]]


async def run_poller(
    poller: Poller,
    stop: asyncio.Event,
    *,
    on_outcome: OutcomeHook | None = None,
    backoff: Backoff = Backoff(),
    max_cycles: int | None = None,
) -> None:
    """Poll until ``stop`` is set (or ``max_cycles`` ran), surviving transient faults."""
    failures = 0
    cycles = 0
    while not stop.is_set() and (max_cycles is None or cycles < max_cycles):
        cycles += 1
        try:
            outcome = await poller.poll_once()
        except PollerStoppedError:
            log.error("%s stopped", poller.name)
            return
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - any fault of one cycle must not end the loop
            failures += 1
            delay = backoff.delay(failures)
            log.warning(
                "%s: cycle failed (%s: %s); retry in %.1fs",
                poller.name,
                type(exc).__name__,
                exc,
                delay,
            )
        else:
            failures = 0
            delay = poller.next_delay(outcome)
            if on_outcome is not None:
                await on_outcome(outcome)
        if max_cycles is not None and cycles >= max_cycles:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=delay)


async def run_pollers(
    pollers: Sequence[Poller],
    stop: asyncio.Event,
    *,
    on_outcome: OutcomeHook | None = None,
) -> None:
    """Run every poller concurrently until ``stop`` is set; one stopping leaves others running."""
    async with asyncio.TaskGroup() as group:
        for poller in pollers:
            group.create_task(run_poller(poller, stop, on_outcome=on_outcome), name=poller.name)
