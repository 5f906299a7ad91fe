"""Record-before-send / confirm-after: the platform-neutral half of every Publisher.

An action is stored (``pending``, committed) *before* anything is sent, and confirmed (or
failed) after. The idempotency key makes the same request twice map to one row: a double click
waits for the first click and gets its result; a request whose action is already confirmed
returns it without sending anything.

What a failed send leaves behind depends on whether the write may have happened:

* refused before sending, or a clean refusal by the platform (``not_sent(exc)``: a 4xx, a 429,
  no connection at all) → ``failed``; a later request moves it back to ``pending`` atomically
  (:meth:`storage.repositories.ActionRepository.retry`) and only that caller sends again;
* an unclear outcome (timeout, dropped connection, 5xx, malformed 2xx body) of a write that
  is **not** safe to repeat (``resend_pending=False``, an X reply) → stays ``pending`` with an
  error saying it may have been posted. It is never sent again automatically: a later request
  only asks ``lookup`` whether the write exists (and confirms it if so);
* for writes that are safe to repeat (``resend_pending=True``: Bluesky's deterministic record
  keys, likes) an unclear outcome is ``failed`` and a ``pending`` one left by a crash is resent.

Usage::

    ledger = ActionLedger(db)
    action = pending_action(key, ActionKind.ANSWERED, item, actor, text, at=ledger.now())
    record = await ledger.run(action, send, resend_pending=False, not_sent=..., lookup=...)

where ``send(stored_action) -> result_id`` performs the network call.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime

from engagement.models import (
    ActionKind,
    ActionRecord,
    ActionStatus,
    InteractionRecord,
    Platform,
)
from engagement.ports import Actor, Publisher, WriteKind, WriteRefusedError
from storage import Database

log = logging.getLogger(__name__)

Send = Callable[[ActionRecord], Awaitable[str | None]]
"""Performs the write for the stored action; returns the id of what it created."""

Lookup = Callable[[ActionRecord], Awaitable[str | None]]
"""Finds the result of an earlier write whose outcome was unclear (``None``: not found)."""

Clock = Callable[[], datetime]

MAY_HAVE_POSTED = "may have been posted — check the thread"
"""Error text of an action whose write may or may not have happened."""


def utc_now() -> datetime:
    """The current time, aware UTC."""
    return datetime.now(UTC)


def text_digest(text: str) -> str:
    """A short stable digest of a text, for idempotency keys (the text itself may be long)."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:20]


def pending_action(
    key: str,
    kind: ActionKind,
    item: InteractionRecord,
    actor: Actor,
    text: str | None,
    *,
    at: datetime,
) -> ActionRecord:
    """The ``pending`` action a publisher records before acting on ``item``."""
    return ActionRecord(
        idempotency_key=key,
        kind=kind,
        status=ActionStatus.PENDING,
        actor_id=actor.id,
        actor_name=actor.name,
        created_at=at,
        platform=item.platform,
        interaction_id=item.external_id,
        text=text,
    )


def _never(_: Exception) -> bool:
    return False


class _KeyLock:
    """A lock shared by the callers of one key, dropped when the last one leaves."""

    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


class ActionLedger:
    """Runs writes under the record-before-send / confirm-after discipline.

    Args:
        db: Where actions are recorded.
        clock: The current time (UTC).
    """

    def __init__(self, db: Database, *, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock
        self._locks: dict[str, _KeyLock] = {}

    def now(self) -> datetime:
        """The ledger's current time (UTC)."""
        return self._clock()

    async def get(self, key: str) -> ActionRecord | None:
        """The recorded action with this idempotency key, or ``None``."""
        async with self._db.unit_of_work() as uow:
            return await uow.actions.get(key)

    async def run(
        self,
        action: ActionRecord,
        send: Send,
        *,
        resend_pending: bool,
        not_sent: Callable[[Exception], bool] = _never,
        lookup: Lookup | None = None,
    ) -> ActionRecord:
        """Record ``action``, send it once, confirm or fail it; return the stored record.

        Args:
            action: The action to record (status ``pending``).
            send: The network call; gets the *stored* action (whose ``created_at`` is stable
                across retries) and returns the created object's id.
            resend_pending: Whether the write is safe to repeat (the platform deduplicates
                it): a ``pending`` action left by an earlier attempt is then sent again.
            not_sent: Whether an exception raised by ``send`` proves nothing was written
                (a clean refusal); anything else is an unclear outcome.
            lookup: For a write not safe to repeat, finds what an unclear earlier attempt
                created, so it is confirmed instead of being sent again.

        Returns:
            The confirmed action, the earlier one for a repeated request, a ``failed`` one
            (``error`` says why), or a ``pending`` one whose ``error`` says it may have been
            posted (never resent automatically).

        Raises:
            WriteRefusedError: ``send`` refused before any network call (nothing is sent; the
                action is marked failed with the reason).
        """
        key = action.idempotency_key
        entry = self._locks.get(key)
        if entry is None:
            entry = self._locks[key] = _KeyLock()
        entry.users += 1
        try:
            async with entry.lock:
                return await self._run_locked(
                    action, send, resend_pending=resend_pending, not_sent=not_sent, lookup=lookup
                )
        finally:
            entry.users -= 1
            if entry.users == 0 and self._locks.get(key) is entry:
                del self._locks[key]

    async def _run_locked(
        self,
        action: ActionRecord,
        send: Send,
        *,
        resend_pending: bool,
        not_sent: Callable[[Exception], bool],
        lookup: Lookup | None,
    ) -> ActionRecord:
        key = action.idempotency_key
        async with self._db.unit_of_work() as uow:
            stored, created = await uow.actions.begin(action)
            if not created and stored.status is ActionStatus.FAILED:
                # Only the caller whose update moved it back to pending sends it again.
                if await uow.actions.retry(key):
                    created = True
                stored = await uow.actions.get(key) or stored
            await uow.commit()
        if stored.status is not ActionStatus.PENDING:
            log.info("action %s already %s; not sent again", key, stored.status.value)
            return stored
        if not created and not resend_pending:
            return await self._unclear_earlier(stored, lookup)
        try:
            result_id = await send(stored)
        except WriteRefusedError as exc:
            await self._finish(key, error=f"refused: {exc}")
            raise
        except Exception as exc:  # noqa: BLE001 - every platform failure is recorded
            error = f"{type(exc).__name__}: {exc}"
            if resend_pending or not_sent(exc):
                log.warning("action %s failed: %s", key, error)
                return await self._finish(key, error=error)
            log.warning("action %s has an unclear outcome: %s", key, error)
            return await self._unclear(key, f"{error}; {MAY_HAVE_POSTED}")
        return await self._finish(key, result_id=result_id)

    async def _unclear_earlier(self, stored: ActionRecord, lookup: Lookup | None) -> ActionRecord:
        """A pending write an earlier attempt may have made: look for it, never resend it."""
        key = stored.idempotency_key
        if lookup is not None:
            try:
                found = await lookup(stored)
            except Exception as exc:  # noqa: BLE001 - the check is best effort
                log.warning("action %s: could not check for an earlier write: %s", key, exc)
                found = None
            if found is not None:
                log.info("action %s: the earlier attempt did post (%s); confirmed", key, found)
                return await self._finish(key, result_id=found)
        log.warning("action %s was left pending by an earlier attempt; not resent", key)
        if stored.error:
            return stored
        return await self._unclear(key, f"an earlier attempt did not finish; {MAY_HAVE_POSTED}")

    async def _unclear(self, key: str, error: str) -> ActionRecord:
        async with self._db.unit_of_work() as uow:
            done = await uow.actions.unclear(key, error)
            await uow.commit()
        return done

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

    async def generation(self, undo_key: Callable[[int], str]) -> int:
        """How many times an effect was made and undone (confirmed undos ``undo_key(0..)``)."""
        generation = 0
        while True:
            undo = await self.get(undo_key(generation))
            if undo is None or undo.status is not ActionStatus.CONFIRMED:
                return generation
            generation += 1

    async def last_reply_key(self, item: InteractionRecord) -> str | None:
        """The key of the brand's latest confirmed reply to ``item``, or ``None``.

        A reply already deleted still counts, so a repeated delete request gets the recorded
        deletion back (the ledger answers it) instead of a refusal.
        """
        async with self._db.unit_of_work() as uow:
            actions = await uow.actions.for_interaction(item.platform, item.external_id)
        for action in reversed(actions):
            if (
                action.kind is ActionKind.ANSWERED
                and action.status is ActionStatus.CONFIRMED
                and action.result_id
            ):
                return action.idempotency_key
        return None

    async def undo(
        self,
        do_key: str,
        undo_key: str,
        item: InteractionRecord,
        actor: Actor,
        kind: WriteKind,
        remove: Callable[[str], Awaitable[None]],
    ) -> ActionRecord:
        """Undo the confirmed action ``do_key`` by removing what it created.

        Args:
            do_key: The key of the action undone (its ``result_id`` is what gets removed).
            undo_key: The key of the undo itself.
            item: The interaction acted on.
            actor: Who asks.
            kind: The undo asked for (stored as the action's text).
            remove: Deletes the created object (given its ``result_id``); deleting what is
                already gone must succeed, so an undo is safe to repeat.

        Raises:
            WriteRefusedError: ``nothing_to_undo``: ``do_key`` is not a confirmed action.
        """
        done = await self.get(do_key)
        if done is None or done.status is not ActionStatus.CONFIRMED or not done.result_id:
            raise WriteRefusedError(
                "Nothing to undo: the brand has not done that here.", reason="nothing_to_undo"
            )
        made = done.result_id

        async def send(_: ActionRecord) -> str:
            await remove(made)
            return made

        action = pending_action(undo_key, ActionKind.UNDONE, item, actor, kind.value, at=self.now())
        return await self.run(action, send, resend_pending=True)


def undo_key_of(do_key: str) -> str:
    """The idempotency key of the deletion of the reply recorded under ``do_key``."""
    return f"{do_key}:deleted"


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

    async def reply(
        self, item: InteractionRecord, text: str, actor: Actor, *, allow_url_cost: bool = False
    ) -> ActionRecord:
        """Reply through the item's platform (``allow_url_cost`` is passed through)."""
        publisher = self.for_platform(item.platform)
        return await publisher.reply(item, text, actor, allow_url_cost=allow_url_cost)

    async def act(self, item: InteractionRecord, kind: WriteKind, actor: Actor) -> ActionRecord:
        """Like, repost, follow or undo through the item's platform."""
        return await self.for_platform(item.platform).act(item, kind, actor)
