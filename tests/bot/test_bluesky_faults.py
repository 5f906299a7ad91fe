"""The Bluesky poller under faults: outage, 429, 5xx, timeouts, drops, bad items, dead logins."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import httpx
import pytest
from bsky_sandbox import (
    LIST,
    RecordingAlerts,
    advance,
    catch_up,
    clock_fixture,  # noqa: F401 - fixture
    control,
    db_fixture,  # noqa: F401 - fixture
    generated,
    launch_day_fixture,  # noqa: F401 - fixture
    open_bluesky,
    outage_fixture,  # noqa: F401 - fixture
    sandbox_state,
    stored,
)

from bot.polling import Backoff, PollerStoppedError, run_poller
from engagement.models import Platform
from sandbox import ManualClock, SandboxServer
from storage import Database


async def test_outage_scenario_survives_every_fault_with_the_exact_set(
    outage: SandboxServer, db: Database, clock: ManualClock
) -> None:
    bsky = open_bluesky(outage, db, clock, timeout_s=1.0)
    faults: list[Exception] = []
    try:
        for _ in range(24 * 2):  # the whole day, half an hour at a time
            advance(clock, 0.5)
            _, seen = await catch_up(bsky.pollers[0])
            faults += seen
    finally:
        await bsky.aclose()
    state = await sandbox_state(outage)
    kinds = {type(f).__name__ for f in faults}
    # 503s, a 502 on getProfiles, a timeout, a truncated body and a dropped connection
    assert {"RequestException", "NetworkError", "InvokeTimeoutError"} <= kinds, kinds
    assert {"MalformedResponseError", "RemoteProtocolError"} <= kinds, kinds
    assert LIST not in state["faults_pending"]
    assert "app.bsky.actor.getProfiles" not in state["faults_pending"]
    assert await stored(db) == generated(state)


async def test_a_failed_cycle_stores_nothing_and_the_next_resumes(
    launch_day: SandboxServer, db: Database, clock: ManualClock
) -> None:
    advance(clock, 4)
    bsky = open_bluesky(launch_day, db, clock)
    try:
        poller = bsky.pollers[0]
        # the second page fails: nothing of the first page may be committed
        await control(launch_day, "/_sandbox/faults", {"endpoint": LIST, "count": 1})
        await control(launch_day, "/_sandbox/faults", {"endpoint": LIST, "status": 500})
        with pytest.raises(Exception, match="500"):
            await poller.poll_once()
        assert await stored(db) == {}
        outcome = await poller.poll_once()
    finally:
        await bsky.aclose()
    state = await sandbox_state(launch_day)
    assert outcome.inserted == len(generated(state))
    assert await stored(db) == generated(state)


async def test_429_waits_until_the_reset_then_goes_on(
    launch_day: SandboxServer, db: Database, clock: ManualClock
) -> None:
    advance(clock, 2)
    bsky = open_bluesky(launch_day, db, clock)
    try:
        poller = bsky.pollers[0]
        await control(launch_day, "/_sandbox/faults", {"endpoint": LIST, "status": 429})
        limited = await poller.poll_once()
        assert limited.note is not None
        assert limited.note.startswith("rate limited until")
        assert limited.inserted == 0
        assert 1.0 <= poller.next_delay(limited) <= 60.0
        outcome = await poller.poll_once()
        assert poller.next_delay(outcome) == 30.0  # back to the interval
    finally:
        await bsky.aclose()
    assert await stored(db) == generated(await sandbox_state(launch_day))


class _CorruptOneItem(httpx.AsyncBaseTransport):
    """Forwards to the sandbox, and alters notifications of the first page it sees.

    Item 3 loses its author's DID (malformed); items 5 and 6 get a reason Bluesky might add
    one day.
    """

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.broken: str | None = None
        self.renamed: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        if self.broken is not None or not request.url.path.endswith(LIST):
            return response
        body: dict[str, Any] = json.loads(await response.aread())
        victim = body["notifications"][3]
        self.broken = victim["uri"]
        victim["author"] = {"handle": "no did here"}
        for item in body["notifications"][5:7]:
            item["reason"] = "test-future-reason"
            self.renamed.append(item["uri"])
        return httpx.Response(
            200, json=body, headers={"content-type": "application/json"}, request=request
        )

    async def aclose(self) -> None:
        await self._inner.aclose()


async def test_a_malformed_item_is_skipped_and_an_unknown_reason_kept(
    launch_day: SandboxServer,
    db: Database,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    advance(clock, 3)
    transport = _CorruptOneItem()
    bsky = open_bluesky(launch_day, db, clock, transport=transport)
    try:
        with caplog.at_level(logging.INFO):
            outcome = await bsky.pollers[0].poll_once()
    finally:
        await bsky.aclose()
        await transport.aclose()
    assert transport.broken is not None
    assert any(transport.broken in r.getMessage() for r in caplog.records)
    expected = {
        (i, "test-future-reason" if i in transport.renamed else kind)
        for i, kind in generated(await sandbox_state(launch_day))
        if i != transport.broken
    }
    found = await stored(db)
    assert outcome.inserted == len(expected)
    assert expected == set(found)
    # the unknown reason is stored as its own kind and logged once, not per item
    assert sum("test-future-reason" in r.getMessage() for r in caplog.records) == 1


async def test_dead_credentials_stop_one_account_with_one_alert_and_others_go_on(
    launch_day: SandboxServer, db: Database, clock: ManualClock
) -> None:
    advance(clock, 2)
    alerts = RecordingAlerts()
    bsky = open_bluesky(
        launch_day,
        db,
        clock,
        alerts=alerts,
        bluesky_extra_accounts="ghost-account.bsky.social:wrong-pass-word",
    )
    try:
        brand, ghost = bsky.pollers
        stop = asyncio.Event()
        # the ghost's loop ends by itself (PollerStoppedError), after one alert
        await asyncio.wait_for(run_poller(ghost, stop, backoff=Backoff(0.01, 0.01)), 10)
        with pytest.raises(PollerStoppedError):
            await ghost.poll_once()
        outcome = await brand.poll_once()
    finally:
        await bsky.aclose()
    assert outcome.inserted > 0
    assert len(alerts.messages) == 1  # once, however often it is polled again
    platform, account, message = alerts.messages[0]
    assert platform is Platform.BLUESKY
    assert account == "ghost-account.bsky.social"
    assert "cannot log in" in message
    assert "wrong-pass-word" not in message


class _HideOnce(httpx.AsyncBaseTransport):
    """Forwards to the sandbox, hiding one recent notification from the first page once.

    This is what a late-indexed notification looks like: it shows up later, *behind* the
    newest one already stored.
    """

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.hidden: str | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        if self.hidden is not None or not request.url.path.endswith(LIST):
            return response
        body: dict[str, Any] = json.loads(await response.aread())
        self.hidden = body["notifications"].pop(2)["uri"]
        return httpx.Response(
            200, json=body, headers={"content-type": "application/json"}, request=request
        )

    async def aclose(self) -> None:
        await self._inner.aclose()


async def test_a_late_indexed_notification_behind_the_watermark_is_picked_up(
    launch_day: SandboxServer, db: Database, clock: ManualClock
) -> None:
    advance(clock, 3)
    transport = _HideOnce()
    bsky = open_bluesky(launch_day, db, clock, transport=transport)
    try:
        poller = bsky.pollers[0]
        await poller.poll_once()
        assert transport.hidden is not None
        assert transport.hidden not in {i for i, _ in await stored(db)}
        late = await poller.poll_once()
    finally:
        await bsky.aclose()
        await transport.aclose()
    assert [r.external_id for r in late.new_items] == [transport.hidden]
    assert await stored(db) == generated(await sandbox_state(launch_day))
