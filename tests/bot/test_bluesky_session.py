"""Session discipline against the sandbox: log in once, reuse, refresh, fall back, give up."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from bsky_sandbox import (
    advance,
    clock_fixture,  # noqa: F401 - fixture
    launch_day_fixture,  # noqa: F401 - fixture
    sandbox_state,
)
from pydantic import SecretStr

from sandbox import ManualClock, SandboxServer
from sandbox._credentials import BLUESKY_APP_PASSWORD
from watchers.bluesky import (
    BlueskySession,
    MemorySessionStore,
    RateLimitedError,
    SessionDeadError,
)
from watchers.bluesky.feed import brand_replies

PASSWORD = SecretStr(BLUESKY_APP_PASSWORD)


def _session(
    sb: SandboxServer, store: MemorySessionStore, clock: ManualClock, **kw: object
) -> BlueskySession:
    password = kw.pop("password", PASSWORD)
    now = kw.pop("now", clock.now)
    return BlueskySession(
        sb.bluesky_service,
        sb.bluesky_handle,
        password,  # type: ignore[arg-type]
        store,
        clock=now,  # type: ignore[arg-type]
    )


async def _use(session: BlueskySession, clock: ManualClock) -> None:
    await brand_replies(session, None, clock.now())


async def test_one_login_then_the_stored_session_is_reused(
    launch_day: SandboxServer, clock: ManualClock
) -> None:
    store = MemorySessionStore()
    first = _session(launch_day, store, clock)
    await _use(first, clock)
    await first.close()
    assert store.saves == 1
    assert store.value is not None
    assert BLUESKY_APP_PASSWORD not in store.value
    for _ in range(3):
        again = _session(launch_day, store, clock)
        await _use(again, clock)
        assert again.did == first.did
        await again.close()
    state = await sandbox_state(launch_day)
    assert state["sessions_created"] == 1
    assert "com.atproto.server.refreshSession" not in state["requests"]


async def test_an_expiring_access_token_is_refreshed_and_the_new_session_stored(
    launch_day: SandboxServer, clock: ManualClock
) -> None:
    store = MemorySessionStore()
    session = _session(launch_day, store, clock)
    await _use(session, clock)
    before = store.value
    advance(clock, 3)  # access tokens live two hours
    await _use(session, clock)
    await session.close()
    state = await sandbox_state(launch_day)
    assert state["requests"]["com.atproto.server.refreshSession"] == 1
    assert state["sessions_created"] == 1
    assert store.saves == 2
    assert store.value != before


async def test_a_token_the_server_rejects_is_recovered_after_the_fact(
    launch_day: SandboxServer, clock: ManualClock
) -> None:
    # The client's clock lags: it believes its token is fresh, the server says it expired.
    store = MemorySessionStore()
    start = clock.now()
    session = _session(launch_day, store, clock, now=lambda: start)
    await _use(session, clock)
    advance(clock, 3)
    await _use(session, clock)
    await session.close()
    state = await sandbox_state(launch_day)
    assert state["requests"]["com.atproto.server.refreshSession"] == 1
    assert state["sessions_created"] == 1


async def test_a_dead_refresh_token_falls_back_to_one_password_login(
    launch_day: SandboxServer, clock: ManualClock
) -> None:
    store = MemorySessionStore()
    session = _session(launch_day, store, clock)
    await _use(session, clock)
    stale = store.value
    advance(clock, 3)
    await _use(session, clock)  # refresh: the stale string's refresh token is now revoked
    await session.close()
    old = MemorySessionStore(stale)
    revived = _session(launch_day, old, clock)
    await _use(revived, clock)
    await revived.close()
    state = await sandbox_state(launch_day)
    assert state["sessions_created"] == 2
    assert old.value != stale


async def test_revoked_session_and_wrong_password_give_up_clearly(
    launch_day: SandboxServer, clock: ManualClock
) -> None:
    store = MemorySessionStore()
    session = _session(launch_day, store, clock)
    await _use(session, clock)
    stale = store.value
    advance(clock, 3)
    await _use(session, clock)
    await session.close()
    dead = _session(launch_day, MemorySessionStore(stale), clock, password=SecretStr("nope-nope"))
    with pytest.raises(SessionDeadError, match="cannot log in") as info:
        await _use(dead, clock)
    await dead.close()
    assert "nope-nope" not in str(info.value)


async def test_create_session_rate_limit_gives_the_reset_time(
    launch_day: SandboxServer, clock: ManualClock
) -> None:
    for _ in range(30):  # 30 createSession per 5 minutes
        session = _session(launch_day, MemorySessionStore(), clock)
        await session.start()
        await session.close()
    limited = _session(launch_day, MemorySessionStore(), clock)
    with pytest.raises(RateLimitedError) as info:
        await limited.start()
    await limited.close()
    wait = info.value.retry_at - clock.now()
    assert timedelta(0) < wait <= timedelta(minutes=5, seconds=1)
    state = await sandbox_state(launch_day)
    assert state["rate_limited"] == {"com.atproto.server.createSession": 1}
    assert state["sessions_created"] == 30


async def test_concurrent_starts_log_in_once(launch_day: SandboxServer, clock: ManualClock) -> None:
    # The poller and the publisher share one session and may both start it at once.
    store = MemorySessionStore()
    session = _session(launch_day, store, clock)
    await asyncio.gather(*(session.start() for _ in range(4)))
    await asyncio.gather(*(_use(session, clock) for _ in range(3)))
    await session.close()
    state = await sandbox_state(launch_day)
    assert state["sessions_created"] == 1
    assert store.saves == 1


async def test_concurrent_recoveries_refresh_once(
    launch_day: SandboxServer, clock: ManualClock
) -> None:
    # Three calls meet the same server-side expiry: one refresh, no password login (a second
    # refresh would present the rotated-away refresh token and fall back to a login).
    store = MemorySessionStore()
    start = clock.now()
    session = _session(launch_day, store, clock, now=lambda: start)
    await _use(session, clock)
    advance(clock, 3)
    await asyncio.gather(*(_use(session, clock) for _ in range(3)))
    await session.close()
    state = await sandbox_state(launch_day)
    assert state["requests"]["com.atproto.server.refreshSession"] == 1
    assert state["sessions_created"] == 1
