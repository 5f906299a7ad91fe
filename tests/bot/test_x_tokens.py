"""OAuth 2.0 tokens: rotation persisted across restarts, refresh before expiry, x login."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
import x_sandbox
from x_sandbox import MENTIONS, RecordingAlerts, advance, open_x, sandbox_state

from bot.x import TokenStore
from engagement.models import Platform
from sandbox import ManualClock, SandboxServer
from sandbox._credentials import X_CLIENT_ID, X_CLIENT_SECRET, X_REFRESH_TOKEN
from storage import Database
from watchers.x import TokenSet

# Fixtures shared by the X tests.
clock = x_sandbox.clock
db = x_sandbox.db
launch_day = x_sandbox.launch_day

REPO = Path(__file__).resolve().parents[2]
TOKEN = "POST /2/oauth2/token"


async def _refresh_status(sb: SandboxServer, refresh_token: str) -> int:
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    auth = aiohttp.encode_basic_auth(X_CLIENT_ID, X_CLIENT_SECRET)
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{sb.url}/2/oauth2/token", data=form, headers={"Authorization": auth}) as r,
    ):
        return r.status


async def _stored_refresh(db: Database) -> str:
    async with db.unit_of_work() as uow:
        value = await uow.credentials.get(Platform.X, "oauth2-user", "refresh_token")
    assert value is not None
    return value


async def test_rotated_refresh_token_survives_a_restart(
    launch_day: SandboxServer, db: Database, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    caplog.set_level(logging.DEBUG, logger="watchers")
    advance(clock, 1)
    first = await open_x(launch_day, db, clock)
    try:
        assert (await first.poller(RecordingAlerts()).poll_once()).api_calls == 1
    finally:
        await first.close()
    rotated = await _stored_refresh(db)
    assert rotated != X_REFRESH_TOKEN
    # Second start, three hours later: the stored access token has expired, the configured
    # (spent) seed is ignored, the rotated token from the database is used.
    advance(clock, 3)
    second = await open_x(launch_day, db, clock)
    try:
        outcome = await second.poller(RecordingAlerts()).poll_once()
        assert outcome.api_calls == 1
        assert outcome.note is None
    finally:
        await second.close()
    newest = await _stored_refresh(db)
    assert newest not in {rotated, X_REFRESH_TOKEN}
    state = await sandbox_state(launch_day)
    assert state["requests"][TOKEN] == 2
    assert state["requests"][MENTIONS] == 2
    # Old tokens are refused, the newest is accepted.
    assert await _refresh_status(launch_day, X_REFRESH_TOKEN) == 400
    assert await _refresh_status(launch_day, rotated) == 400
    assert await _refresh_status(launch_day, newest) == 200
    logged = caplog.text
    assert rotated not in logged
    assert newest not in logged


async def test_access_token_is_refreshed_before_it_expires(
    launch_day: SandboxServer, db: Database, clock: ManualClock
) -> None:
    x = await open_x(launch_day, db, clock)
    try:
        poller = x.poller(RecordingAlerts())
        await poller.poll_once()
        # 1 h 56 min later the 2 h token is still valid but within the 5 min margin.
        clock.advance(timedelta(hours=1, minutes=56))
        await poller.poll_once()
    finally:
        await x.close()
    state = await sandbox_state(launch_day)
    assert state["requests"][TOKEN] == 2
    assert all(e["status"] == 200 for e in state["request_log"] if e["endpoint"] == MENTIONS)


async def test_a_new_configured_seed_wins_over_the_stored_token(db: Database) -> None:
    store = TokenStore(db)
    at = datetime(2026, 3, 1, tzinfo=UTC)
    assert await store.load(None) is None
    assert await store.load("seed-a") is not None
    tokens = TokenSet("access-1", "rotated-1", at + timedelta(hours=2))
    await store.save(tokens, at, seed="seed-a")
    kept = await store.load("seed-a")
    assert kept is not None
    assert kept.refresh_token == "rotated-1"
    assert kept.tokens == tokens
    assert not kept.from_seed
    fresh = await store.load("seed-b")
    assert fresh is not None
    assert fresh.refresh_token == "seed-b"
    assert fresh.from_seed
    async with db.unit_of_work() as uow:
        seed = await uow.credentials.get(Platform.X, "oauth2-user", "refresh_token_seed_sha256")
    assert seed is not None
    assert "seed-a" not in seed


async def _login(
    sb: SandboxServer, tmp_path: Path, *, tamper: bool = False
) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENGAGEBOT_")}
    env.update(sb.env())
    env.pop("ENGAGEBOT_X_USER_ID")
    env.update(
        ENGAGEBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'login.db'}",
        ENGAGEBOT_X_AUTHORIZE_URL=f"{sb.url}/i/oauth2/authorize",
        PYTHONPATH=str(REPO),
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "x",
        "login",
        cwd=tmp_path,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None
    assert proc.stdin is not None
    printed: list[str] = []
    while True:
        line = (await asyncio.wait_for(proc.stdout.readline(), 20)).decode()
        assert line, "login ended before printing the authorize URL"
        printed.append(line)
        if line.startswith("http"):
            break
    async with (
        aiohttp.ClientSession() as http,
        http.get(line.strip(), allow_redirects=False) as r,
    ):
        assert r.status == 302
        redirect = r.headers["Location"]
    if tamper:
        redirect = redirect.replace("state=", "state=forged")
    proc.stdin.write(redirect.encode() + b"\n")
    await proc.stdin.drain()
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    return proc.returncode or 0, "".join(printed) + out.decode(), err.decode()


@pytest.mark.slow
async def test_x_login_walks_through_pkce_and_stores_tokens(
    launch_day: SandboxServer, tmp_path: Path
) -> None:
    code, out, err = await _login(launch_day, tmp_path)
    assert code == 0, err
    assert "Connected X account @PlumeNotes (id 1456789012345678901)" in out
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'login.db'}")
    try:
        async with db.unit_of_work() as uow:
            get = uow.credentials.get
            refresh = await get(Platform.X, "oauth2-user", "refresh_token")
            access = await get(Platform.X, "oauth2-user", "access_token")
            user = await get(Platform.X, "oauth2-user", "user_id")
    finally:
        await db.dispose()
    assert refresh
    assert access
    assert user == "1456789012345678901"
    assert refresh not in out + err
    assert access not in out + err
    assert await _refresh_status(launch_day, refresh) == 200


@pytest.mark.slow
async def test_x_login_refuses_a_forged_state(launch_day: SandboxServer, tmp_path: Path) -> None:
    code, _, err = await _login(launch_day, tmp_path, tamper=True)
    assert code == 2
    assert err.strip().splitlines() == [
        "engagebot: the redirect URL's state does not match this login attempt"
    ]
    assert "POST /2/oauth2/token" not in (await sandbox_state(launch_day))["requests"]
