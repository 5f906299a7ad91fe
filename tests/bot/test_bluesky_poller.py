"""The Bluesky poller against the sandbox, through the real SDK and a real database."""

from __future__ import annotations

import warnings
from collections import Counter

from bsky_sandbox import (
    LIST,
    advance,
    catch_up,
    clock_fixture,  # noqa: F401 - fixture
    db_fixture,  # noqa: F401 - fixture
    generated,
    launch_day_fixture,  # noqa: F401 - fixture
    open_bluesky,
    pg_db_fixture,  # noqa: F401 - fixture
    sandbox_state,
    stored,
)
from sqlalchemy.exc import SADeprecationWarning

from engagement.models import ActionKind, ActionStatus, Platform
from sandbox import ManualClock, SandboxServer
from storage import Database


async def _exact_set(sb: SandboxServer, database: Database, clock: ManualClock) -> None:
    bsky = open_bluesky(sb, database, clock)
    try:
        poller = bsky.pollers[0]
        inserted = 0
        for _ in range(5):  # the launch day, five hours at a time
            advance(clock, 5)
            outcomes, faults = await catch_up(poller)
            assert faults == []
            inserted += sum(o.inserted for o in outcomes)
        state = await sandbox_state(sb, log=True)
    finally:
        await bsky.aclose()
    expected = generated(state)
    assert len(expected) > 500
    assert max(expected.values()) == 1
    found = await stored(database)
    assert found == expected  # same ids, same kinds, each once
    assert inserted == len(expected)
    kinds = Counter(kind for _, kind in expected)
    assert set(kinds) == {"mention", "reply", "quote", "like", "repost", "follow"}
    assert state["sessions_created"] == 1
    listed = [e["path"] for e in state["request_log"] if e["endpoint"] == LIST]
    assert listed
    assert all("limit=100" in path and "seenAt" not in path for path in listed)


async def test_launch_day_exact_set_sqlite(
    launch_day: SandboxServer, db: Database, clock: ManualClock
) -> None:
    await _exact_set(launch_day, db, clock)


async def test_launch_day_exact_set_postgres(
    launch_day: SandboxServer, pg_db: Database, clock: ManualClock
) -> None:
    await _exact_set(launch_day, pg_db, clock)


async def test_records_carry_what_triage_needs(
    launch_day: SandboxServer, db: Database, clock: ManualClock
) -> None:
    advance(clock, 6)
    bsky = open_bluesky(launch_day, db, clock)
    try:
        await catch_up(bsky.pollers[0])
    finally:
        await bsky.aclose()
    state = await sandbox_state(launch_day)
    truth = {e["id"]: e for e in state["generated"]["bluesky"]}
    async with db.unit_of_work() as uow:
        for external_id, entry in truth.items():
            with warnings.catch_warnings():  # storage's reader still calls Result.tuples()
                warnings.simplefilter("ignore", SADeprecationWarning)
                record = await uow.interactions.get(Platform.BLUESKY, external_id)
            assert record is not None
            assert record.author.platform_id == entry["author_id"]
            assert record.author.handle == entry["author"]
            assert record.author.followers_count is not None  # hydrated with getProfiles
            assert record.cid == entry["cid"]
            if entry["kind"] in ("mention", "reply", "quote"):
                assert record.text == entry["text"]
                assert record.language == entry["lang"]
            if entry["kind"] == "reply":
                assert record.root is not None
                assert record.parent is not None
                assert record.root.cid
                assert record.parent.cid
            if entry["kind"] in ("like", "repost", "quote"):
                assert record.subject is not None
                assert record.subject.id == entry["subject"]
                assert record.subject_text  # the brand post, hydrated with getPosts


async def test_idle_cycle_costs_one_call_and_stores_nothing(
    launch_day: SandboxServer, db: Database, clock: ManualClock
) -> None:
    advance(clock, 3)
    bsky = open_bluesky(launch_day, db, clock)
    try:
        poller = bsky.pollers[0]
        await catch_up(poller)
        before = (await sandbox_state(launch_day))["requests"]
        outcomes = [await poller.poll_once() for _ in range(5)]
        after = (await sandbox_state(launch_day))["requests"]
    finally:
        await bsky.aclose()
    assert [o.inserted for o in outcomes] == [0] * 5
    assert [o.api_calls for o in outcomes] == [1] * 5
    assert {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)} == {
        LIST: 5
    }
    assert poller.next_delay(outcomes[-1]) == 30.0


async def test_ten_restarts_cost_one_create_session(
    launch_day: SandboxServer, db: Database, clock: ManualClock
) -> None:
    for hour in range(10):
        advance(clock, 0.5 if hour % 3 else 3)  # some restarts find an expired access token
        bsky = open_bluesky(launch_day, db, clock)
        try:
            await catch_up(bsky.pollers[0])
        finally:
            await bsky.aclose()
    state = await sandbox_state(launch_day)
    assert state["sessions_created"] == 1
    assert state["requests"]["com.atproto.server.refreshSession"] >= 1
    assert await stored(db) == generated(state)
    async with db.unit_of_work() as uow:
        saved = await uow.credentials.get(Platform.BLUESKY, launch_day.bluesky_handle, "session")
    assert saved is not None
    assert saved.count(":::") == 4


async def test_answers_made_in_the_bluesky_app_close_items(
    launch_day: SandboxServer, db: Database, clock: ManualClock
) -> None:
    bsky = open_bluesky(launch_day, db, clock, answered_check_s=1.0)
    try:
        for _ in range(4):
            advance(clock, 4)
            await catch_up(bsky.pollers[0])
    finally:
        await bsky.aclose()
    state = await sandbox_state(launch_day)
    answered = {e["id"] for e in state["generated"]["bluesky"] if e["answered"]}
    assert answered
    found = set()
    async with db.unit_of_work() as uow:
        for entry in state["generated"]["bluesky"]:
            actions = await uow.actions.for_interaction(Platform.BLUESKY, entry["id"])
            for action in actions:
                assert action.kind is ActionKind.ANSWERED
                assert action.actor_id == "platform"
                assert action.status is ActionStatus.CONFIRMED
                assert action.result_id
                assert action.result_id.startswith("at://")
                found.add(entry["id"])
    assert found == answered


async def test_a_long_catch_up_spans_cycles_and_loses_nothing_arriving_meanwhile(
    launch_day: SandboxServer, db: Database, clock: ManualClock
) -> None:
    advance(clock, 6)
    bsky = open_bluesky(launch_day, db, clock)
    try:
        poller = bsky.pollers[0]
        poller.watcher.page_size = 40
        poller.watcher.max_pages = 2  # 80 notifications per cycle at most
        first = await poller.poll_once()
        assert first.inserted == 80
        assert first.note == "catching up"
        assert poller.next_delay(first) == 0.0
        advance(clock, 2)  # more traffic lands on top while the catch-up goes on
        outcomes, faults = await catch_up(poller)
    finally:
        await bsky.aclose()
    assert faults == []
    assert sum(o.note == "catching up" for o in outcomes) >= 3
    assert await stored(db) == generated(await sandbox_state(launch_day))
