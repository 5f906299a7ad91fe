"""Clocks that drive scenario time: a manual one for tests, a scaled real-time one for the CLI."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

__all__ = ["Clock", "ManualClock", "ScaledClock"]

#: A whole scenario day in about two minutes.
DEFAULT_SPEED = 720.0


class Clock(Protocol):
    """What the sandbox needs from a clock: the current scenario time and a way to jump."""

    def now(self) -> datetime:
        """Return the current scenario time (aware UTC)."""
        ...

    def advance(self, delta: timedelta) -> None:
        """Move scenario time forward by ``delta``."""
        ...


def _as_delta(delta: timedelta | float) -> timedelta:
    return delta if isinstance(delta, timedelta) else timedelta(seconds=float(delta))


class ManualClock:
    """A clock that only moves when told to (tests).

    Args:
        start: The initial time; naive values are taken as UTC.
    """

    def __init__(self, start: datetime) -> None:
        self._now = start if start.tzinfo else start.replace(tzinfo=UTC)
        self._now = self._now.astimezone(UTC)

    def now(self) -> datetime:
        """Return the current time."""
        return self._now

    def advance(self, delta: timedelta | float) -> None:
        """Move forward by ``delta`` (a timedelta or seconds); negative values are refused."""
        step = _as_delta(delta)
        if step < timedelta(0):
            raise ValueError("a clock only moves forward")
        self._now += step

    def set(self, at: datetime) -> None:
        """Jump to ``at`` (must not be in the past)."""
        self.advance(at.astimezone(UTC) - self._now)


class ScaledClock:
    """Real time, sped up: ``speed`` scenario seconds pass per wall-clock second.

    Args:
        start: Scenario time at construction (default: the current UTC time).
        speed: Scenario seconds per real second (720 plays a day in two minutes).
        monotonic: The wall-clock source (injectable for tests).
    """

    def __init__(
        self,
        start: datetime | None = None,
        speed: float = DEFAULT_SPEED,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self._start = (start or datetime.now(UTC)).astimezone(UTC)
        self._speed = speed
        self._monotonic = monotonic
        self._origin = monotonic()
        self._skipped = timedelta(0)

    @property
    def speed(self) -> float:
        """Scenario seconds per real second."""
        return self._speed

    def now(self) -> datetime:
        """Return the current scenario time."""
        elapsed = (self._monotonic() - self._origin) * self._speed
        return self._start + self._skipped + timedelta(seconds=elapsed)

    def advance(self, delta: timedelta | float) -> None:
        """Jump forward by ``delta`` on top of the running time."""
        step = _as_delta(delta)
        if step < timedelta(0):
            raise ValueError("a clock only moves forward")
        self._skipped += step
