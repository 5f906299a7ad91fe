"""Shared set-up of the X tests: a sandbox on loopback, a real SQLite (or PostgreSQL) database."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.settings import Settings
from bot.x import XConnection, XMentionsPoller
from engagement.models import Platform
from engagement.ports import PollOutcome
from sandbox import ManualClock, SandboxServer
from storage import Database

START = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
MENTIONS = "GET /2/users/:id/mentions"


class RecordingAlerts:
    """A real Alerts implementation that keeps what it was told."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    async def platform_alert(self, platform: Platform, account_id: str, message: str) -> None:
        assert platform is Platform.X
        self.messages.append(message)


def settings_for(sb: SandboxServer, database_url: str, **extra: Any) -> Settings:
    fields: dict[str, Any] = {k.removeprefix("ENGAGEBOT_").lower(): v for k, v in sb.env().items()}
    fields.update(database_url=database_url, **extra)
    return Settings(_env_file=None, **fields)  # type: ignore[call-arg]


async def sandbox_state(sb: SandboxServer) -> dict[str, Any]:
    async with aiohttp.ClientSession() as http, http.get(f"{sb.url}/_sandbox/state") as r:
        assert r.status == 200
        state: dict[str, Any] = await r.json()
        return state


async def control(sb: SandboxServer, path: str, body: dict[str, Any]) -> dict[str, Any]:
    async with aiohttp.ClientSession() as http, http.post(f"{sb.url}{path}", json=body) as r:
        assert r.status == 200, await r.text()
        result: dict[str, Any] = await r.json()
        return result


async def stored_ids(db: Database) -> set[str]:
    async with db.unit_of_work() as uow:
        return await uow.interactions.external_ids(Platform.X)


async def catch_up(
    poller: XMentionsPoller, *, max_cycles: int = 200
) -> tuple[list[PollOutcome], list[Exception]]:
    """Poll until a cycle fetched nothing and no sweep is pending; faults are collected."""
    outcomes: list[PollOutcome] = []
    faults: list[Exception] = []
    for _ in range(max_cycles):
        try:
            outcome = await poller.poll_once()
        except Exception as exc:  # noqa: BLE001 - the loop under test would back off and retry
            faults.append(exc)

            continue
        outcomes.append(outcome)

        if poller.next_delay(outcome) > 0 and outcome.fetched == 0 and outcome.note is None:
            return outcomes, faults
        if outcome.note and outcome.note.startswith(("budget", "credits")):
            return outcomes, faults
    raise AssertionError("did not catch up")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
async def launch_day(clock: ManualClock) -> AsyncIterator[SandboxServer]:
    async with SandboxServer(scenario="launch-day", seed=7, clock=clock) as sb:
        yield sb


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    await database.upgrade()
    yield database
    await database.dispose()


@pytest.fixture
async def pg_db() -> AsyncIterator[Database]:
    url = os.environ.get("ENGAGEBOT_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("ENGAGEBOT_TEST_POSTGRES_URL is not set")
    import asyncpg

    schema = f"x_{uuid.uuid4().hex[:12]}"
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(dsn)
    await conn.execute(f'CREATE SCHEMA "{schema}"')
    database = Database(url, schema=schema)
    try:
        await database.upgrade()
        yield database
    finally:
        await database.dispose()
        await conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await conn.close()


async def open_x(sb: SandboxServer, db: Database, clock: ManualClock, **extra: Any) -> XConnection:
    settings = settings_for(sb, "sqlite+aiosqlite:///unused.db", **extra)
    return await XConnection(settings, db, clock=clock.now, timeout_s=3.0).open()


def advance(clock: ManualClock, hours: float) -> None:
    clock.advance(timedelta(hours=hours))
