"""``engagebot poll`` as a real process against the sandbox: --once, SIGKILL mid-poll, SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bsky_sandbox import (
    LIST,
    advance,
    control,
    generated,
    launch_day_fixture,  # noqa: F401 - fixture
    sandbox_state,
    stored,
)

from sandbox import ManualClock, SandboxServer
from storage import Database

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(name="clock")
def clock_fixture() -> ManualClock:
    # A child process checks token expiry against the real clock: start the scenario now.
    return ManualClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture(name="db_url")
async def db_url_fixture(tmp_path: Path) -> AsyncIterator[str]:
    return f"sqlite+aiosqlite:///{tmp_path / 'poll.db'}"


def _env(sb: SandboxServer, db_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENGAGEBOT_")}
    env.update({k: v for k, v in sb.env().items() if "BLUESKY" in k})  # Bluesky only
    env.update(
        ENGAGEBOT_DATABASE_URL=db_url,
        ENGAGEBOT_BLUESKY_POLL_INTERVAL_S="1",
        ENGAGEBOT_LOG_LEVEL="INFO",
        PYTHONPATH=str(REPO),
    )
    return env


async def _start(env: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "poll",
        *args,
        cwd=REPO,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _once(env: dict[str, str]) -> str:
    process = await _start(env, "--once")
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    return out.decode()


async def _stored(db_url: str) -> object:
    database = Database(db_url)
    try:
        return await stored(database)
    finally:
        await database.dispose()


async def test_poll_once_stores_the_exact_set(
    launch_day: SandboxServer, clock: ManualClock, db_url: str
) -> None:
    advance(clock, 3)
    out = await _once(_env(launch_day, db_url))
    expected = generated(await sandbox_state(launch_day))
    assert (
        f"bluesky:{launch_day.bluesky_handle}: fetched {len(expected)}, new {len(expected)}" in out
    )
    assert await _stored(db_url) == expected


async def test_killed_mid_poll_then_restarted_ends_with_the_exact_set(
    launch_day: SandboxServer, clock: ManualClock, db_url: str
) -> None:
    env = _env(launch_day, db_url)
    advance(clock, 3)
    await _once(env)
    committed = await _stored(db_url)
    advance(clock, 4)  # new traffic arrives
    before = (await sandbox_state(launch_day))["requests"]
    # Hold the hydration of the next cycle open, so the process is killed in the middle of it.
    await control(
        launch_day,
        "/_sandbox/faults",
        {"endpoint": "app.bsky.actor.getProfiles", "delay_s": 6.0},
    )
    process = await _start(env)
    try:
        for _ in range(200):
            requests = (await sandbox_state(launch_day))["requests"]
            listed = requests.get(LIST, 0) > before.get(LIST, 0)
            if listed and requests.get("app.bsky.feed.getPosts", 0) > before.get(
                "app.bsky.feed.getPosts", 0
            ):
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the poller never reached hydration")
        await asyncio.sleep(0.3)  # now waiting on the held getProfiles
        process.send_signal(signal.SIGKILL)
        await asyncio.wait_for(process.wait(), 10)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == -signal.SIGKILL
    assert await _stored(db_url) == committed  # nothing of the killed cycle was committed
    await _once(env)
    state = await sandbox_state(launch_day)
    assert await _stored(db_url) == generated(state)
    assert len(generated(state)) > len(committed)  # type: ignore[arg-type]
    assert state["sessions_created"] == 1  # three processes, one login


async def test_sigterm_stops_the_loop_cleanly(
    launch_day: SandboxServer, clock: ManualClock, db_url: str
) -> None:
    advance(clock, 2)
    process = await _start(_env(launch_day, db_url))
    try:
        for _ in range(200):
            if (await sandbox_state(launch_day))["requests"].get(LIST, 0) >= 2:
                break  # at least one full cycle and the next one started
            await asyncio.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, err.decode()
    assert "stopped" in err.decode()
    assert "Traceback" not in err.decode()
    assert await _stored(db_url) == generated(await sandbox_state(launch_day))


async def test_poll_without_accounts_is_a_user_error(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENGAGEBOT_")}
    env.update(
        ENGAGEBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'none.db'}",
        PYTHONPATH=str(REPO),
    )
    process = await _start(env, "--once")
    _out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2
    assert "no account to watch" in err.decode()
    assert "Traceback" not in err.decode()
