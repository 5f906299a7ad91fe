"""The X mentions poller against the sandbox: exact set, no duplicates, cost, budget cap."""

from __future__ import annotations

from collections import Counter

import pytest
import x_sandbox
from x_sandbox import (
    MENTIONS,
    RecordingAlerts,
    advance,
    catch_up,
    open_x,
    sandbox_state,
    stored_ids,
)

from bot.x import x_budget_state
from engagement.models import Platform
from sandbox import ManualClock, SandboxServer
from storage import Database
from watchers.x import BudgetStatus

# storage's interaction reader still calls Result.tuples() (deprecated in SQLAlchemy 2.1);
# reported to the storage owner. Only that warning is ignored.
pytestmark = pytest.mark.filterwarnings("ignore:The Result.tuples:DeprecationWarning")

# Fixtures shared by the X tests.
clock = x_sandbox.clock
db = x_sandbox.db
launch_day = x_sandbox.launch_day
pg_db = x_sandbox.pg_db


async def _exact_set(sb: SandboxServer, database: Database, clock: ManualClock) -> None:
    x = await open_x(sb, database, clock)
    try:
        poller = x.poller(RecordingAlerts())
        inserted = 0
        for _ in range(6):  # the launch day, four hours at a time, plus the night after
            advance(clock, 5)
            outcomes, faults = await catch_up(poller)
            assert faults == []
            inserted += sum(o.inserted for o in outcomes)
        state = await sandbox_state(sb)
    finally:
        await x.close()
    generated = {e["id"]: e["kind"] for e in state["generated"]["x"]}
    assert len(generated) > 150
    assert await stored_ids(database) == set(generated)
    assert inserted == len(generated)  # every row inserted exactly once
    async with database.unit_of_work() as uow:
        for external_id, kind in list(generated.items())[:: max(1, len(generated) // 40)]:
            record = await uow.interactions.get(Platform.X, external_id)
            assert record is not None
            assert record.kind == kind
        spent = await uow.api_usage.total_since(Platform.X, clock.now().replace(day=1, hour=0))
    # The estimate (X's prices, per-day dedup) matches the sandbox's ledger to the cent.
    assert spent == pytest.approx(state["x_cost_usd"], abs=1e-6)
    assert state["rate_limited"] == {}


async def test_launch_day_exact_set_sqlite(
    launch_day: SandboxServer, db: Database, clock: ManualClock
) -> None:
    await _exact_set(launch_day, db, clock)


@pytest.mark.postgres
async def test_launch_day_exact_set_postgres(
    launch_day: SandboxServer, pg_db: Database, clock: ManualClock
) -> None:
    await _exact_set(launch_day, pg_db, clock)


async def test_records_carry_authors_and_references(
    launch_day: SandboxServer, db: Database, clock: ManualClock
) -> None:
    x = await open_x(launch_day, db, clock)
    try:
        advance(clock, 12)
        await catch_up(x.poller(RecordingAlerts()))
    finally:
        await x.close()
    state = await sandbox_state(launch_day)
    kinds = Counter(e["kind"] for e in state["generated"]["x"])
    assert set(kinds) == {"mention", "reply", "quote"}
    async with db.unit_of_work() as uow:
        records = [await uow.interactions.get(Platform.X, e["id"]) for e in state["generated"]["x"]]
    for record, entry in zip(records, state["generated"]["x"], strict=True):
        assert record is not None
        assert record.author.platform_id == entry["author_id"]
        assert record.author.handle == entry["author"]
        assert record.author.followers_count is not None
        assert record.text == entry["text"]
        if record.kind == "reply":
            assert record.parent is not None
            assert record.root is not None
            assert record.subject is not None
            assert record.subject_text
        if record.kind == "quote":
            assert record.subject is not None
            assert record.subject_text


async def test_budget_cap_stops_under_the_cap_and_alerts_once(
    launch_day: SandboxServer, db: Database, clock: ManualClock
) -> None:
    cap = 0.6  # the whole launch day costs about three times that
    x = await open_x(launch_day, db, clock, x_monthly_budget_usd=cap)
    alerts = RecordingAlerts()
    try:
        poller = x.poller(alerts)
        advance(clock, 30)
        outcomes, faults = await catch_up(poller)
        assert faults == []
        assert outcomes[-1].note == "budget reached"
        requests_at_cap = (await sandbox_state(launch_day))["requests"][MENTIONS]
        # Later cycles neither call X nor alert again.
        for _ in range(3):
            advance(clock, 1)
            outcome = await poller.poll_once()
            assert outcome.note == "budget reached"
            assert outcome.api_calls == 0
        budget = await x_budget_state(x.settings, db, clock.now())
    finally:
        await x.close()
    restarted = await open_x(launch_day, db, clock, x_monthly_budget_usd=cap)
    try:  # a restart neither calls X nor repeats the alert
        assert (await restarted.poller(alerts).poll_once()).note == "budget reached"
    finally:
        await restarted.close()
    state = await sandbox_state(launch_day)
    assert state["requests"][MENTIONS] == requests_at_cap
    assert 0 < state["x_cost_usd"] <= cap
    assert len(alerts.messages) == 1
    assert "budget reached" in alerts.messages[0]
    assert budget.status is BudgetStatus.REACHED
    assert budget.cap_usd == cap
    assert budget.spent_usd == pytest.approx(state["x_cost_usd"], abs=1e-6)
    assert len(await stored_ids(db)) < len(state["generated"]["x"])


async def test_interval_adapts_to_activity_and_budget(
    launch_day: SandboxServer, db: Database, clock: ManualClock
) -> None:
    x = await open_x(launch_day, db, clock, x_poll_interval_s=60.0, x_monthly_budget_usd=100.0)
    try:
        poller = x.poller(RecordingAlerts())
        advance(clock, 3)
        busy = await poller.poll_once()
        busy_delay = poller.next_delay(busy)
        while poller.next_delay(quiet := await poller.poll_once()) == 0:
            pass
        quiet_delays = [poller.next_delay(await poller.poll_once()) for _ in range(6)]
    finally:
        await x.close()
    assert busy.inserted > 0
    assert busy_delay in (0.0, 30.0)  # mid-sweep: at once; else twice as often as the base
    assert quiet_delays == sorted(quiet_delays)
    assert quiet_delays[-1] > 60.0
    # Near the cap the same quiet stream is polled more slowly still.
    from watchers.x import BudgetPolicy

    policy = BudgetPolicy(cap_usd=1.0)
    assert policy.interval_factor(policy.state(0.95, clock.now())) > 1.0
    del quiet
