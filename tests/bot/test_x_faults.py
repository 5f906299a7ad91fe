"""The X poller under faults: outage scenario, 429 resets, 402 pause/resume, 401 stop."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import aiohttp
import pytest
import x_sandbox
from x_sandbox import (
    MENTIONS,
    RecordingAlerts,
    advance,
    catch_up,
    control,
    open_x,
    sandbox_state,
    stored_ids,
)

from bot.polling import PollerStoppedError
from bot.x import XMentionsPoller
from engagement.models import Platform
from sandbox import ManualClock, SandboxServer
from storage import Database
from watchers.x import XTransientError

WINDOW = 900


# Fixtures shared by the X tests.
clock = x_sandbox.clock
db = x_sandbox.db
launch_day = x_sandbox.launch_day


@pytest.fixture
async def outage(clock: ManualClock) -> AsyncIterator[SandboxServer]:
    async with SandboxServer(scenario="outage", seed=7, clock=clock) as sb:
        yield sb


async def _drive(poller: XMentionsPoller, clock: ManualClock) -> dict[str, int]:
    """What the run loop does, with the clock as the only time: retry faults, honour resets."""
    seen = {"faults": 0, "rate_limited": 0, "credits": 0}
    for _ in range(300):
        try:
            outcome = await poller.poll_once()
        except XTransientError:
            seen["faults"] += 1
            continue
        note = outcome.note or ""
        if note.startswith("rate limited"):
            seen["rate_limited"] += outcome.api_calls  # 1 after a 429, 0 when foreseen
            # Asked again before the reset, the poller sends nothing.
            again = await poller.poll_once()
            assert again.api_calls == 0
            assert again.note == note
            reset = poller.watcher.client.blocked_until(MENTIONS)
            assert reset is not None
            clock.set(reset)
            continue
        if note == "credits depleted":
            seen["credits"] += 1
            return seen
        if outcome.fetched == 0 and poller.next_delay(outcome) > 0:
            return seen
    raise AssertionError("the poller never caught up")


async def _use_up_window(sb: SandboxServer, user_id: str) -> None:
    """Another client of the same user spends the rest of the window (without a 429 itself)."""
    token = (await control(sb, "/_sandbox/x/token", {}))["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    url = f"{sb.x_api_base}/2/users/{user_id}/mentions"
    timeout = aiohttp.ClientTimeout(total=0.5)
    async with aiohttp.ClientSession(timeout=timeout) as http:
        for _ in range(10):
            try:
                async with http.get(url, headers=headers, params={"max_results": "5"}) as r:
                    assert r.status != 429
                    if r.headers.get("x-rate-limit-remaining") == "0":
                        return
            except (aiohttp.ClientError, TimeoutError):
                continue  # it met one of the scheduled faults
    raise AssertionError("window never ran out")


def _requests_after_429_respect_the_reset(state: dict[str, Any]) -> int:
    log = [e for e in state["request_log"] if e["endpoint"] == MENTIONS]
    checked = 0
    for i, entry in enumerate(log):
        if entry["status"] != 429:
            continue
        at = datetime.fromisoformat(entry["at"].replace("Z", "+00:00"))
        reset = (int(at.timestamp()) // WINDOW + 1) * WINDOW
        for later in log[i + 1 :]:
            later_at = datetime.fromisoformat(later["at"].replace("Z", "+00:00"))
            assert later_at.timestamp() >= reset, (entry, later)
        checked += 1
    return checked


async def test_outage_exact_set_and_no_request_before_reset(
    outage: SandboxServer, db: Database, clock: ManualClock
) -> None:
    # A tight window (4 calls per 15 min) that another client sometimes uses up: real 429s.
    await control(outage, "/_sandbox/x/limits", {"endpoint": MENTIONS, "user": 4})
    x = await open_x(outage, db, clock)
    x.client._timeout = aiohttp.ClientTimeout(total=1.0)  # the 15 s delay faults
    totals = {"faults": 0, "rate_limited": 0, "credits": 0}
    try:
        poller = x.poller(RecordingAlerts())
        for step in range(26 * 2):  # the whole day, half an hour at a time
            advance(clock, 0.5)
            if step % 6 == 5:
                await _use_up_window(outage, x.user_id)
            for key, value in (await _drive(poller, clock)).items():
                totals[key] += value
    finally:
        await x.close()
    state = await sandbox_state(outage)
    generated = {e["id"] for e in state["generated"]["x"]}
    assert generated
    assert await stored_ids(db) == generated
    # 503 twice, malformed, dropped, 15 s delay: every scheduled X fault was met and survived.
    assert MENTIONS not in state["faults_pending"]
    statuses = Counter(e["status"] for e in state["request_log"] if e["endpoint"] == MENTIONS)
    assert statuses[503] >= 2
    assert statuses[0] >= 1
    assert totals["faults"] >= 4
    assert totals["rate_limited"] >= 1
    assert state["rate_limited"][MENTIONS] == totals["rate_limited"]
    assert _requests_after_429_respect_the_reset(state) == totals["rate_limited"]


async def test_rate_limit_reset_survives_a_restart(
    launch_day: SandboxServer, db: Database, clock: ManualClock
) -> None:
    await control(launch_day, "/_sandbox/x/limits", {"endpoint": MENTIONS, "user": 1})
    advance(clock, 10)
    x = await open_x(launch_day, db, clock)
    try:
        poller = x.poller(RecordingAlerts())
        assert (await poller.poll_once()).api_calls == 1
        limited = await poller.poll_once()
        assert limited.note is not None
        assert limited.note.startswith("rate limited")
    finally:
        await x.close()
    before = (await sandbox_state(launch_day))["requests"][MENTIONS]
    # A new process (new connection, same database) still waits for the reset.
    x = await open_x(launch_day, db, clock)
    try:
        poller = x.poller(RecordingAlerts())
        again = await poller.poll_once()
        assert again.api_calls == 0
        assert again.note == limited.note
        assert poller.next_delay(again) > 1
        assert (await sandbox_state(launch_day))["requests"][MENTIONS] == before
        advance(clock, 0.25)
        assert (await poller.poll_once()).api_calls == 1
    finally:
        await x.close()


async def test_credits_depleted_pauses_alerts_once_and_resumes(
    launch_day: SandboxServer, db: Database, clock: ManualClock
) -> None:
    alerts = RecordingAlerts()
    x = await open_x(launch_day, db, clock)
    try:
        poller = x.poller(alerts)
        advance(clock, 6)
        await catch_up(poller)
        spent = (await sandbox_state(launch_day))["x_cost_usd"]
        await control(launch_day, "/_sandbox/x/credits", {"set_usd": spent})
        advance(clock, 6)
        paused = await poller.poll_once()
        assert paused.note == "credits depleted"
        assert poller.next_delay(paused) == pytest.approx(900.0 + 1.0)
        for _ in range(3):  # slow probes: still depleted, no new alert
            clock.advance(timedelta(minutes=15))
            assert (await poller.poll_once()).note == "credits depleted"
        assert len(alerts.messages) == 1
        assert "depleted" in alerts.messages[0]
    finally:
        await x.close()
    # Restarted while paused: still depleted, still no second alert.
    x = await open_x(launch_day, db, clock)
    try:
        poller = x.poller(alerts)
        assert (await poller.poll_once()).note == "credits depleted"
        assert len(alerts.messages) == 1
        await control(launch_day, "/_sandbox/x/credits", {"add_usd": 50})
        clock.advance(timedelta(minutes=15))
        outcomes, faults = await catch_up(poller)
        assert faults == []
        assert outcomes[0].inserted > 0
    finally:
        await x.close()
    assert len(alerts.messages) == 2
    assert "resumed" in alerts.messages[1]
    state = await sandbox_state(launch_day)
    assert await stored_ids(db) == {e["id"] for e in state["generated"]["x"]}


async def test_revoked_credentials_stop_x_with_one_clear_alert(
    launch_day: SandboxServer, db: Database, clock: ManualClock
) -> None:
    alerts = RecordingAlerts()
    x = await open_x(launch_day, db, clock)
    try:
        poller = x.poller(alerts)
        advance(clock, 1)
        await poller.poll_once()
        await control(launch_day, "/_sandbox/x/revoke", {})
        with pytest.raises(PollerStoppedError):
            await poller.poll_once()
    finally:
        await x.close()
    assert len(alerts.messages) == 1
    assert "engagebot x login" in alerts.messages[0]
    async with db.unit_of_work() as uow:
        accounts = {a.platform_id: a for a in await uow.accounts.list()}
    account = accounts[x.user_id]
    assert account.platform is Platform.X
    assert not account.active
    # One refresh was tried after the 401, then nothing more.
    state = await sandbox_state(launch_day)
    assert state["requests"]["POST /2/oauth2/token"] == 2


@pytest.mark.parametrize(
    "fault",
    [
        {"status": 503, "count": 2},
        {"status": 500},
        {"malformed": True},
        {"drop": True, "count": 2},
        {"delay_s": 2.0},
    ],
    ids=["503", "500", "malformed", "drop", "timeout"],
)
async def test_transient_faults_lose_nothing(
    launch_day: SandboxServer, db: Database, clock: ManualClock, fault: dict[str, Any]
) -> None:
    x = await open_x(launch_day, db, clock)
    x.client._timeout = aiohttp.ClientTimeout(total=0.5)
    try:
        poller = x.poller(RecordingAlerts())
        advance(clock, 8)
        await poller.poll_once()  # first page stored, a sweep is under way
        await control(launch_day, "/_sandbox/faults", {"endpoint": MENTIONS, **fault})
        with pytest.raises(XTransientError):
            await poller.poll_once()
        outcomes, faults = await catch_up(poller)
    finally:
        await x.close()
    state = await sandbox_state(launch_day)
    assert await stored_ids(db) == {e["id"] for e in state["generated"]["x"]}
    assert sum(o.inserted for o in outcomes) + 100 == len(state["generated"]["x"])
    assert len(faults) <= 1  # a 2-request fault fails at most the one cycle after it
