"""Shared set-up of the Bluesky tests: the sandbox on loopback and a real database."""

from __future__ import annotations

import os
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import text

from bot.bluesky import BlueskyConnection, BlueskyPoller
from bot.settings import Settings
from engagement.models import Platform
from engagement.ports import PollOutcome
from sandbox import ManualClock, SandboxServer
from storage import Database

START = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
LIST = "app.bsky.notification.listNotifications"
BLUESKY_PREFIXES = ("app.bsky.", "com.atproto.")


class RecordingAlerts:
    """A real Alerts implementation that keeps what it was told."""

    def __init__(self) -> None:
        self.messages: list[tuple[Platform, str, str]] = []

    async def platform_alert(self, platform: Platform, account_id: str, message: str) -> None:
        self.messages.append((platform, account_id, message))


def settings_for(sb: SandboxServer, **extra: Any) -> Settings:
    fields: dict[str, Any] = {k.removeprefix("ENGAGEBOT_").lower(): v for k, v in sb.env().items()}
    fields.update(database_url="sqlite+aiosqlite:///unused.db", **extra)
    return Settings(_env_file=None, **fields)  # type: ignore[call-arg]


async def sandbox_state(sb: SandboxServer, *, log: bool = False) -> dict[str, Any]:
    query = "" if log else "?log=0"
    async with aiohttp.ClientSession() as http, http.get(f"{sb.url}/_sandbox/state{query}") as r:
        assert r.status == 200
        state: dict[str, Any] = await r.json()
        return state


async def control(sb: SandboxServer, path: str, body: dict[str, Any]) -> dict[str, Any]:
    async with aiohttp.ClientSession() as http, http.post(f"{sb.url}{path}", json=body) as r:
        assert r.status == 200, await r.text()
        result: dict[str, Any] = await r.json()
        return result


def bluesky_calls(state: dict[str, Any]) -> int:
    return sum(n for k, n in state["requests"].items() if k.startswith(BLUESKY_PREFIXES))


async def stored(db: Database) -> Counter[tuple[str, str]]:
    """(external_id, kind) of every stored Bluesky row, read from the table (duplicates show)."""
    async with db.engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT external_id, kind FROM interactions WHERE platform = 'bluesky'")
        )
        return Counter((str(r[0]), str(r[1])) for r in rows)


def generated(state: dict[str, Any]) -> Counter[tuple[str, str]]:
    return Counter((e["id"], e["kind"]) for e in state["generated"]["bluesky"])


async def catch_up(
    poller: BlueskyPoller, *, max_cycles: int = 300
) -> tuple[list[PollOutcome], list[Exception]]:
    """Poll until a cycle brings nothing new and no catch-up is pending; faults are kept."""
    outcomes: list[PollOutcome] = []
    faults: list[Exception] = []
    for _ in range(max_cycles):
        try:
            outcome = await poller.poll_once()
        except Exception as exc:  # noqa: BLE001 - the loop under test would back off and retry
            faults.append(exc)
            continue
        outcomes.append(outcome)
        if outcome.note is None and outcome.inserted == 0 and poller.next_delay(outcome) > 0:
            return outcomes, faults
    raise AssertionError(f"did not catch up: {faults[-3:]}")


def open_bluesky(
    sb: SandboxServer, db: Database, clock: ManualClock, **extra: Any
) -> BlueskyConnection:
    answered = extra.pop("answered_check_s", 600.0)
    timeout = extra.pop("timeout_s", 20.0)
    alerts = extra.pop("alerts", None) or RecordingAlerts()
    transport = extra.pop("transport", None)
    return BlueskyConnection(
        settings_for(sb, **extra),
        db,
        alerts,
        answered_check_s=answered,
        timeout_s=timeout,
        clock=clock.now,
        transport=transport,
    )


def advance(clock: ManualClock, hours: float) -> None:
    clock.advance(timedelta(hours=hours))


@pytest.fixture(name="clock")
def clock_fixture() -> ManualClock:
    return ManualClock(START)


@pytest.fixture(name="launch_day")
async def launch_day_fixture(clock: ManualClock) -> AsyncIterator[SandboxServer]:
    async with SandboxServer(scenario="launch-day", seed=7, clock=clock) as sb:
        yield sb


@pytest.fixture(name="outage")
async def outage_fixture(clock: ManualClock) -> AsyncIterator[SandboxServer]:
    async with SandboxServer(scenario="outage", seed=7, clock=clock) as sb:
        yield sb


@asynccontextmanager
async def open_db(kind: str, tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated database: SQLite in ``tmp_path``, or a fresh PostgreSQL schema (or skip)."""
    if kind == "sqlite":
        database = Database(f"sqlite+aiosqlite:///{tmp_path / 'bsky.db'}")
        await database.upgrade()
        try:
            yield database
        finally:
            await database.dispose()
        return
    url = os.environ.get("ENGAGEBOT_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("ENGAGEBOT_TEST_POSTGRES_URL is not set")
    import asyncpg

    schema = f"bsky_{uuid.uuid4().hex[:12]}"
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


@pytest.fixture(name="db")
async def db_fixture(tmp_path: Path) -> AsyncIterator[Database]:
    async with open_db("sqlite", tmp_path) as database:
        yield database


@pytest.fixture(name="pg_db")
async def pg_db_fixture(tmp_path: Path) -> AsyncIterator[Database]:
    async with open_db("postgres", tmp_path) as database:
        yield database
