from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import aiohttp
import pytest

from sandbox import ManualClock, SandboxServer

START = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
async def sandbox(clock: ManualClock) -> AsyncIterator[SandboxServer]:
    async with SandboxServer(scenario="launch-day", seed=7, clock=clock) as sb:
        yield sb


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session
