"""The ledger's guards against a double send: per-key lock in process, atomic retry in the DB."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bsky_sandbox import open_db

from bot.publishing import MAY_HAVE_POSTED, ActionLedger, pending_action
from engagement.models import (
    ActionKind,
    ActionRecord,
    ActionStatus,
    Author,
    InteractionKind,
    InteractionRecord,
    Platform,
)
from engagement.ports import Actor
from storage import Database

AT = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
ALICE = Actor("1", "Alice")
ITEM = InteractionRecord(
    platform=Platform.X,
    kind=InteractionKind.MENTION,
    external_id="2031283218594005165",
    account_id="1456789012345678901",
    author=Author(Platform.X, "42", "someone"),
    created_at=AT,
    indexed_at=AT,
    text="@PlumeNotes hello",
)


class RefusedError(Exception):
    """A clean refusal: nothing was written."""


class Sends:
    """A send that records how many run at once; refuses the first ``refuse`` calls."""

    def __init__(self, refuse: int = 0) -> None:
        self.calls = 0
        self.running = 0
        self.max_running = 0
        self.refuse = refuse

    async def __call__(self, action: ActionRecord) -> str:
        self.calls += 1
        self.running += 1
        self.max_running = max(self.max_running, self.running)
        try:
            await asyncio.sleep(0.05)
            if self.calls <= self.refuse:
                raise RefusedError("HTTP 400")
            return f"post-{self.calls}"
        finally:
            self.running -= 1


def _action(key: str = "x:reply:1:abc") -> ActionRecord:
    return pending_action(key, ActionKind.ANSWERED, ITEM, ALICE, "hello", at=AT)


@pytest.fixture(params=["sqlite", "postgres"])
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> object:
    async with open_db(request.param, tmp_path) as database:
        yield database


def _refused(exc: Exception) -> bool:
    return isinstance(exc, RefusedError)


async def test_a_waiter_and_a_late_caller_never_send_at_once(db: Database) -> None:
    ledger = ActionLedger(db, clock=lambda: AT)
    send = Sends(refuse=2)
    first = asyncio.create_task(ledger.run(_action(), send, resend_pending=True))
    await asyncio.sleep(0.01)
    waiter = asyncio.create_task(ledger.run(_action(), send, resend_pending=True))
    await asyncio.sleep(0.01)
    assert (await first).status is ActionStatus.FAILED
    # The first caller released the lock; the waiter has been woken but may not hold it yet.
    late = asyncio.create_task(ledger.run(_action(), send, resend_pending=True))
    results = await asyncio.gather(waiter, late)
    assert send.max_running == 1
    assert send.calls == 3
    assert {r.status for r in results} == {ActionStatus.FAILED, ActionStatus.CONFIRMED}
    assert ledger._locks == {}  # nothing left behind once every caller is gone


async def test_a_failed_action_is_resent_by_one_process_only(db: Database) -> None:
    # Two processes (two ledgers, separate locks) retry the same failed action at once.
    async with db.unit_of_work() as uow:
        await uow.actions.begin(_action())
        await uow.actions.fail("x:reply:1:abc", "RefusedError: HTTP 400", AT)
        await uow.commit()
    send = Sends()
    one, two = ActionLedger(db, clock=lambda: AT), ActionLedger(db, clock=lambda: AT)
    results = await asyncio.gather(
        one.run(_action(), send, resend_pending=False, not_sent=_refused),
        two.run(_action(), send, resend_pending=False, not_sent=_refused),
    )
    assert send.calls == 1
    assert ActionStatus.CONFIRMED in {r.status for r in results}
    stored = await one.get("x:reply:1:abc")
    assert stored is not None
    assert stored.status is ActionStatus.CONFIRMED
    assert stored.error is None


async def test_retry_moves_only_failed_actions(db: Database) -> None:
    async with db.unit_of_work() as uow:
        await uow.actions.begin(_action("a"))
        await uow.actions.begin(_action("b"))
        await uow.actions.fail("a", "boom", AT)
        assert await uow.actions.retry("a") is True
        assert await uow.actions.retry("a") is False  # already pending again
        assert await uow.actions.retry("b") is False  # pending, never failed
        assert await uow.actions.retry("missing") is False
        await uow.actions.confirm("b", "r", AT)
        assert (await uow.actions.unclear("b", "late")).status is ActionStatus.CONFIRMED
        noted = await uow.actions.unclear("a", "lost")
        await uow.commit()
    assert noted.status is ActionStatus.PENDING
    assert noted.error == "lost"
    assert noted.completed_at is None


async def test_an_unclear_outcome_stays_pending_and_is_never_resent(db: Database) -> None:
    ledger = ActionLedger(db, clock=lambda: AT)
    calls = 0

    async def lost(_: ActionRecord) -> str:
        nonlocal calls
        calls += 1
        raise TimeoutError("no answer")

    looked: list[str] = []

    async def lookup(action: ActionRecord) -> str | None:
        looked.append(action.idempotency_key)
        return None if len(looked) == 1 else "found-it"

    first = await ledger.run(_action(), lost, resend_pending=False, not_sent=_refused)
    assert first.status is ActionStatus.PENDING
    assert first.error is not None
    assert MAY_HAVE_POSTED in first.error
    second = await ledger.run(_action(), lost, resend_pending=False, lookup=lookup)
    assert second.status is ActionStatus.PENDING  # not found: still never resent
    third = await ledger.run(_action(), lost, resend_pending=False, lookup=lookup)
    assert third.status is ActionStatus.CONFIRMED
    assert third.result_id == "found-it"
    assert calls == 1
