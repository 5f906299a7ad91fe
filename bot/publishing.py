"""Record-before-send / confirm-after: the platform-neutral half of every Publisher.

An action is stored (``pending``, committed) *before* anything is sent, and confirmed (or
failed) after. The idempotency key makes the same request twice map to one row: a double click
waits for the first click and gets its result; a request whose action is already confirmed
returns it without sending anything. A ``pending`` action found at start (the process died
between sending and confirming) is sent again only when the platform can tell a repeat from a
new write (``resend_pending=True``: Bluesky's deterministic record keys); otherwise it is
returned as is, for a person to check.

Usage::

    ledger = ActionLedger(db)
    action = ActionRecord(key, ActionKind.ANSWERED, ActionStatus.PENDING, actor.id, ...)
    record = await ledger.run(action, send, resend_pending=True)

where ``send(stored_action) -> result_id`` performs the network call.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime

from engagement.models import ActionRecord, ActionStatus, InteractionRecord, Platform
from engagement.ports import Actor, Publisher, WriteKind, WriteRefusedError
from storage import Database

log = logging.getLogger(__name__)

Send = Callable[[ActionRecord], Awaitable[str | None]]
"""Performs the write for the stored action; returns the id of what it created."""

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time, aware UTC."""
    return datetime.now(UTC)


def text_digest(text: str) -> str:
    """A short stable digest of a text, for idempotency keys (the text itself may be long)."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:20]


class ActionLedger:
    """Runs writes under the record-before-send / confirm-after discipline.

    Args:
        db: Where actions are recorded.
        clock: The current time (UTC).
    """

    def __init__(self, db: Database, *, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock
        self._locks: dict[str, asyncio.Lock] = {}

    async def get(self, key: str) -> ActionRecord | None:
        """The recorded action with this idempotency key, or ``None``."""
        async with self._db.unit_of_work() as uow:
            return await uow.actions.get(key)

    async def run(self, action: ActionRecord, send: Send, *, resend_pending: bool) -> ActionRecord:
        """Record ``action``, send it once, confirm or fail it; return the stored record.

        Args:
            action: The action to record (status ``pending``).
            send: The network call; gets the *stored* action (whose ``created_at`` is stable
                across retries) and returns the created object's id.
            resend_pending: Whether a ``pending`` action left by an earlier attempt may be
                sent again (safe only when the platform deduplicates the write).

        Returns:
            The confirmed action, the earlier one for a repeated request, or a ``failed`` one
            (``error`` says why) when the platform refused or could not be reached.

        Raises:
            WriteRefusedError: ``send`` refused before any network call (nothing is sent; the
                action is marked failed with the reason).
        """
        key = action.idempotency_key
        lock = self._locks.setdefault(key, asyncio.Lock())
        try:
            async with lock:
                return await self._run_locked(action, send, resend_pending=resend_pending)
        finally:
            if not lock.locked() and self._locks.get(key) is lock:
                del self._locks[key]

    async def _run_locked(
        self, action: ActionRecord, send: Send, *, resend_pending: bool
    ) -> ActionRecord:
        key = action.idempotency_key
        async with self._db.unit_of_work() as uow:
            stored, created = await uow.actions.begin(action)
            await uow.commit()
        if stored.status is ActionStatus.CONFIRMED:
            log.info("action %s already confirmed; not sent again", key)
            return stored
        if not created and stored.status is ActionStatus.PENDING and not resend_pending:
            log.warning("action %s was left pending by an earlier attempt; not resent", key)
            return stored
        try:
            result_id = await send(stored)
        except WriteRefusedError as exc:
            await self._finish(key, error=f"refused: {exc}")
            raise
        except Exception as exc:  # noqa: BLE001 - every platform failure becomes a failed action
            log.warning("action %s failed: %s: %s", key, type(exc).__name__, exc)
            return await self._finish(key, error=f"{type(exc).__name__}: {exc}")
        return await self._finish(key, result_id=result_id)

    async def _finish(
        self, key: str, *, result_id: str | None = None, error: str | None = None
    ) -> ActionRecord:
        async with self._db.unit_of_work() as uow:
            if error is None:
                done = await uow.actions.confirm(key, result_id, self._clock())
            else:
                done = await uow.actions.fail(key, error, self._clock())
            await uow.commit()
        return done


class PlatformPublisher:
    """One :class:`engagement.ports.Publisher` over several platforms, by ``item.platform``.

    Args:
        publishers: The publisher of each connected platform.
    """

    def __init__(self, publishers: Mapping[Platform, Publisher]) -> None:
        self.publishers = dict(publishers)

    def for_platform(self, platform: Platform) -> Publisher:
        """The publisher of ``platform`` (for platform-specific options).

        Raises:
            WriteRefusedError: The platform is not connected.
        """
        publisher = self.publishers.get(platform)
        if publisher is None:
            raise WriteRefusedError(
                f"{platform.value} is not connected: nothing can be posted there.",
                reason="not_connected",
            )
        return publisher

    async def reply(self, item: InteractionRecord, text: str, actor: Actor) -> ActionRecord:
        """Reply through the item's platform."""
        return await self.for_platform(item.platform).reply(item, text, actor)

    async def act(self, item: InteractionRecord, kind: WriteKind, actor: Actor) -> ActionRecord:
        """Like, repost, follow or undo through the item's platform."""
        return await self.for_platform(item.platform).act(item, kind, actor)
