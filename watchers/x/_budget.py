"""Monthly budget policy (pure): how much is left, how fast to poll, how much one call may read."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

MIN_MAX_RESULTS = 5
MAX_MAX_RESULTS = 100


class BudgetStatus(StrEnum):
    """Where the month's spending stands against the cap."""

    UNLIMITED = "unlimited"
    OK = "ok"
    SLOWING = "slowing"
    REACHED = "reached"


@dataclass(frozen=True, slots=True)
class BudgetState:
    """The month's X spending, for the watcher and the digest.

    Attributes:
        spent_usd: Estimated spend since the start of the UTC month.
        cap_usd: The cap (``ENGAGEBOT_X_MONTHLY_BUDGET_USD``), ``None`` when there is none.
        status: ``unlimited``, ``ok``, ``slowing`` (nearing the cap) or ``reached``.
        month_start: First instant of the UTC calendar month the figures cover.
    """

    spent_usd: float
    cap_usd: float | None
    status: BudgetStatus
    month_start: datetime

    @property
    def remaining_usd(self) -> float | None:
        """What is left to spend this month, ``None`` without a cap."""
        return None if self.cap_usd is None else max(0.0, self.cap_usd - self.spent_usd)

    @property
    def used_fraction(self) -> float | None:
        """Share of the cap spent (0..1+), ``None`` without a cap; a zero cap counts as 1."""
        if self.cap_usd is None:
            return None
        return 1.0 if self.cap_usd <= 0 else self.spent_usd / self.cap_usd


def month_start(now: datetime) -> datetime:
    """First instant (UTC) of the calendar month containing ``now``."""
    now = now.astimezone(UTC)
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def next_month_start(now: datetime) -> datetime:
    """First instant (UTC) of the month after the one containing ``now``."""
    start = month_start(now)
    if start.month == 12:
        return start.replace(year=start.year + 1, month=1)
    return start.replace(month=start.month + 1)


@dataclass(frozen=True, slots=True)
class BudgetPolicy:
    """How the watcher spends a monthly cap.

    Attributes:
        cap_usd: The monthly cap, ``None`` for no cap.
        slow_from: Share of the cap from which polling slows down.
        max_slowdown: Interval multiplier reached just before the cap.
    """

    cap_usd: float | None
    slow_from: float = 0.8
    max_slowdown: float = 8.0

    def state(self, spent_usd: float, now: datetime, *, min_call_usd: float = 0.0) -> BudgetState:
        """Classify ``spent_usd`` for the month of ``now``.

        ``min_call_usd`` is the worst-case cost of the smallest useful call: when even that
        would cross the cap, the budget counts as reached.
        """
        start = month_start(now)
        if self.cap_usd is None:
            return BudgetState(spent_usd, None, BudgetStatus.UNLIMITED, start)
        if spent_usd + min_call_usd > self.cap_usd + 1e-9 or spent_usd >= self.cap_usd:
            status = BudgetStatus.REACHED
        elif spent_usd >= self.slow_from * self.cap_usd:
            status = BudgetStatus.SLOWING
        else:
            status = BudgetStatus.OK
        return BudgetState(spent_usd, self.cap_usd, status, start)

    def interval_factor(self, state: BudgetState) -> float:
        """Multiplier of the base poll interval: 1 until ``slow_from``, rising to the maximum."""
        fraction = state.used_fraction
        if fraction is None or fraction < self.slow_from:
            return 1.0
        if fraction >= 1.0:
            return self.max_slowdown
        progress = (fraction - self.slow_from) / (1.0 - self.slow_from)
        return 1.0 + (self.max_slowdown - 1.0) * progress

    def affordable_max_results(self, state: BudgetState, worst_per_item_usd: float) -> int | None:
        """The largest ``max_results`` whose worst-case cost still fits under the cap.

        Returns:
            A value in 5..100, or ``None`` when not even 5 items fit (no request may be made).
        """
        remaining = state.remaining_usd
        if remaining is None or worst_per_item_usd <= 0:
            return MAX_MAX_RESULTS
        fits = math.floor(remaining / worst_per_item_usd + 1e-9)
        if fits < MIN_MAX_RESULTS:
            return None
        return min(MAX_MAX_RESULTS, fits)
