"""A real `engagebot poll` process killed mid-poll (SIGKILL) and restarted loses nothing."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
import x_sandbox
from x_sandbox import MENTIONS, RecordingAlerts, advance, control, open_x, sandbox_state

from bot.x import MENTIONS_STREAM
from engagement.models import Platform
from sandbox import ManualClock, SandboxServer
from storage import Database
from watchers.x import MentionsCursor

# Fixtures shared by the X tests.
clock = x_sandbox.clock
db = x_sandbox.db
launch_day = x_sandbox.launch_day

REPO = Path(__file__).resolve().parents[2]


async def _start_poll(
    sb: SandboxServer, db_path: Path, workdir: Path
) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENGAGEBOT_")}
    env.update({k: v for k, v in sb.env().items() if "BLUESKY" not in k})
    env.update(
        ENGAGEBOT_DATABASE_URL=f"sqlite+aiosqlite:///{db_path}",
        ENGAGEBOT_X_POLL_INTERVAL_S="0.2",
        PYTHONPATH=str(REPO),
    )
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "poll",
        cwd=workdir,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


async def _wait_for(predicate: Callable[[], Awaitable[bool]], limit_s: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit_s
    while not await predicate():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.1)


async def _cursor(db: Database, user_id: str) -> MentionsCursor:
    async with db.unit_of_work() as uow:
        stored = await uow.cursors.get(Platform.X, user_id, MENTIONS_STREAM)
    return MentionsCursor.decode(stored.value if stored else None)


@pytest.mark.slow
async def test_killed_mid_poll_and_restarted_keeps_the_exact_set(
    launch_day: SandboxServer, db: Database, clock: ManualClock, tmp_path: Path
) -> None:
    advance(clock, 12)
    # One page stored in-process: the database now holds a sweep under way.
    x = await open_x(launch_day, db, clock)
    try:
        first = await x.poller(RecordingAlerts()).poll_once()
        user_id = x.user_id
    finally:
        await x.close()
    assert first.inserted == 100
    assert (await _cursor(db, user_id)).sweeping
    db_path = tmp_path / "x.db"

    # The next request is held open by the sandbox; the process is killed while it waits.
    await control(launch_day, "/_sandbox/faults", {"endpoint": MENTIONS, "delay_s": 5.0})
    proc = await _start_poll(launch_day, db_path, tmp_path)

    async def held() -> bool:
        return MENTIONS not in (await sandbox_state(launch_day))["faults_pending"]

    await _wait_for(held)
    proc.send_signal(signal.SIGKILL)
    assert await proc.wait() == -signal.SIGKILL
    assert (await _cursor(db, user_id)).sweeping  # nothing committed by the killed process

    # Restarted, it resumes the sweep below the stored page and catches up.
    proc = await _start_poll(launch_day, db_path, tmp_path)
    generated = {e["id"] for e in (await sandbox_state(launch_day))["generated"]["x"]}

    async def caught_up() -> bool:
        async with db.unit_of_work() as uow:
            return await uow.interactions.external_ids(Platform.X) == generated

    try:
        await _wait_for(caught_up)
        await _wait_for(lambda: _not_sweeping(db, user_id))
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()[-2000:]
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT count(*) FROM interactions WHERE platform = 'x'").fetchone()
    assert rows[0] == len(generated)
    cursor = await _cursor(db, user_id)
    assert cursor.since_id == max(generated, key=int)


async def _not_sweeping(db: Database, user_id: str) -> bool:
    return not (await _cursor(db, user_id)).sweeping
