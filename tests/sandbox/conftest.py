from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from atproto import AsyncClient

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


@pytest.fixture
def live_clock() -> ManualClock:
    """A manual clock starting now: the atproto SDK compares token ``exp`` with real time."""
    return ManualClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
async def live_sandbox(live_clock: ManualClock) -> AsyncIterator[SandboxServer]:
    """launch-day, seed 7, with the first two hours delivered."""
    async with SandboxServer(scenario="launch-day", seed=7, clock=live_clock) as sb:
        live_clock.advance(timedelta(hours=2))
        yield sb


@pytest.fixture
async def bsky() -> AsyncIterator[Callable[[SandboxServer], AsyncClient]]:
    """Make unmodified atproto clients (only ``base_url`` set); all closed at teardown."""
    clients: list[AsyncClient] = []

    def make(sb: SandboxServer) -> AsyncClient:
        client = AsyncClient(base_url=sb.bluesky_service)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.request.close()
