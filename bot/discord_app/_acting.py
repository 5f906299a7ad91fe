"""The acting half of the team inbox: claim, release, close, snooze, reply and thank.

Every action is recorded (who, what, when, what was posted) with an idempotency key, so a
double press or a double-submitted modal has one effect.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from cogs.ports import Card, ItemKey, ItemState, ItemStatus, Outcome
from cogs.state import claim_generation, state_from_actions
from engagement.drafting import length, limit_for
from engagement.models import (
    ActionKind,
    ActionRecord,
    ActionStatus,
    InteractionKind,
    InteractionRecord,
)
from engagement.ports import URL_COSTS_MORE, Actor, Publisher, WriteKind, WriteRefusedError
from storage import Database


class Acting:
    """Claim, release, close, snooze, reply and thank; each answers with the new card."""

    db: Database
    publisher: Publisher | None
    _locks: dict[ItemKey, asyncio.Lock]

    if TYPE_CHECKING:  # provided by the reading half and the service

        async def card(self, key: ItemKey, now: datetime) -> Card | None: ...

        async def drafts_for(
            self, item: InteractionRecord, count: int, *, templates_only: bool = False
        ) -> list[str]: ...

    async def _record(self, action: ActionRecord) -> tuple[ActionRecord, bool]:
        async with self.db.unit_of_work() as uow:
            stored, created = await uow.actions.begin(action)
            await uow.commit()
        return stored, created

    async def _state(self, key: ItemKey, now: datetime) -> tuple[ItemState, list[ActionRecord]]:
        async with self.db.unit_of_work() as uow:
            actions = await uow.actions.for_interaction(*key)
        return state_from_actions(actions, now), actions

    async def _outcome(self, key: ItemKey, ok: bool, message: str, now: datetime) -> Outcome:
        return Outcome(ok, message, await self.card(key, now))

    async def claim(self, key: ItemKey, actor: Actor, now: datetime) -> Outcome:
        """Claim an item; concurrent claims race on one key, so one wins."""
        state, actions = await self._state(key, now)
        refusal = _busy(state, actor)
        if refusal is not None:
            return await self._outcome(key, state.by_id == actor.id, refusal, now)
        generation = claim_generation(actions)
        stored, _ = await self._record(
            _action(key, ActionKind.CLAIMED, actor, now, f"claim:{generation}")
        )
        if stored.actor_id != actor.id:
            return await self._outcome(key, False, f"{stored.actor_name} claimed it first.", now)
        return await self._outcome(key, True, "Claimed: it is yours.", now)

    async def unclaim(self, key: ItemKey, actor: Actor, now: datetime) -> Outcome:
        """Release the presser's claim."""
        state, actions = await self._state(key, now)
        if state.status is not ItemStatus.CLAIMED or state.by_id != actor.id:
            return await self._outcome(key, False, "You do not hold a claim on this item.", now)
        generation = claim_generation(actions)
        await self._record(_action(key, ActionKind.UNCLAIMED, actor, now, f"unclaim:{generation}"))
        return await self._outcome(key, True, "Released.", now)

    async def mark(self, key: ItemKey, status: ItemStatus, actor: Actor, now: datetime) -> Outcome:
        """Close the item as done or dismissed."""
        kinds = {ItemStatus.DONE: ActionKind.DONE, ItemStatus.DISMISSED: ActionKind.DISMISSED}
        if status not in kinds:
            raise ValueError(f"cannot mark an item {status.value}")
        state, _ = await self._state(key, now)
        refusal = _busy(state, actor, allow_own_claim=True)
        if refusal is not None:
            return await self._outcome(key, False, refusal, now)
        await self._record(_action(key, kinds[status], actor, now, "close"))
        return await self._outcome(key, True, f"Marked {status.value}.", now)

    async def snooze(self, key: ItemKey, until: datetime, actor: Actor, now: datetime) -> Outcome:
        """Hide the item until ``until``."""
        state, _ = await self._state(key, now)
        refusal = _busy(state, actor, allow_own_claim=True)
        if refusal is not None:
            return await self._outcome(key, False, refusal, now)
        action = _action(key, ActionKind.SNOOZED, actor, now, f"snooze:{until.isoformat()}")
        await self._record(replace(action, snooze_until=until))
        return await self._outcome(key, True, f"Snoozed until <t:{int(until.timestamp())}:f>.", now)

    async def reply(
        self,
        key: ItemKey,
        text: str,
        actor: Actor,
        now: datetime,
        *,
        allow_url_cost: bool = False,
    ) -> Outcome:
        """Post a reply as the brand, once (per-item lock, state check, publisher idempotency).

        A reply with a link on X (billed $0.20 instead of $0.01) is posted only with
        ``allow_url_cost``; without it nothing is sent and the outcome's ``confirm`` carries
        the publisher's warning, for the member to confirm.
        """
        async with self._locks[key]:
            state, _ = await self._state(key, now)
            if state.status is ItemStatus.ANSWERED:
                same = (state.text or "").strip() == text.strip()
                message = (
                    "Already posted (one reply only)."
                    if same
                    else f"Already answered by {state.by_name}; nothing posted."
                )
                return await self._outcome(key, same, message, now)
            refusal = _busy(state, actor, allow_own_claim=True)
            if refusal is not None:
                return await self._outcome(key, False, refusal, now)
            size, limit = length(text, key[0]), limit_for(key[0])
            if not text.strip() or size > limit:
                return await self._outcome(key, False, f"Not posted: {size}/{limit}.", now)
            publisher = self.publisher
            async with self.db.unit_of_work() as uow:
                item = await uow.interactions.get(*key)
            if item is None:
                return Outcome(False, "This item is no longer known to the bot.")
            if publisher is None:
                return await self._outcome(key, False, f"{key[0].value} is not connected.", now)
            try:
                record = await publisher.reply(item, text, actor, allow_url_cost=allow_url_cost)
            except WriteRefusedError as exc:
                if exc.reason == URL_COSTS_MORE and not allow_url_cost:
                    outcome = await self._outcome(key, False, f"Not posted yet: {exc}", now)
                    return replace(outcome, confirm=str(exc))
                hint = f" {exc.suggestion}" if exc.suggestion else ""
                return await self._outcome(key, False, f"Not posted: {exc}.{hint}", now)
            if record.status is ActionStatus.FAILED:
                return await self._outcome(key, False, f"Posting failed: {record.error}", now)
            if record.status is ActionStatus.PENDING:
                message = "A previous attempt may have posted this; check the thread."
                return await self._outcome(key, False, message, now)
            return await self._outcome(key, True, f"Posted on {key[0].value}.", now)

    async def thank(self, key: ItemKey, actor: Actor, now: datetime) -> Outcome:
        """Thank the author the way the item allows, then record it as thanked, saying how.

        A follow is followed back (once per person: the publisher's key is the person, so an
        earlier follow-back is not repeated); a comment is liked (a quote reposted); a like or
        a repost of the brand's post cannot be answered, so nothing is posted and the outcome
        carries thank-you drafts the member may use (a post of their own, a message).
        """
        state, _ = await self._state(key, now)
        refusal = _busy(state, actor, allow_own_claim=True)
        if refusal is not None:
            return await self._outcome(key, False, refusal, now)
        async with self.db.unit_of_work() as uow:
            item = await uow.interactions.get(*key)
        if item is None:
            return Outcome(False, "This item is no longer known to the bot.")
        kind = item.known_kind
        drafts: tuple[str, ...] = ()
        if kind is InteractionKind.FOLLOW or (kind is not None and kind.has_text):
            write = _THANK_WRITE.get(kind, WriteKind.LIKE)
            done = await self._thank_write(item, write, actor)
            if isinstance(done, str):
                return await self._outcome(key, False, done, now)
            how, message = _thank_words(item, write, done)
        else:
            what = kind.value if kind is not None else item.kind
            how = "nothing posted"
            drafts = tuple(await self.drafts_for(item, 3, templates_only=True))
            message = (
                f"Marked thanked. **Nothing was posted**: a {what} cannot be answered on "
                f"{key[0].value}."
            )
            if drafts:
                message += " Thank-you drafts to use yourself (a post, a message):"
        await self._record(replace(_action(key, ActionKind.THANKED, actor, now, "close"), text=how))
        outcome = await self._outcome(key, True, message, now)
        return replace(outcome, drafts=drafts)

    async def _thank_write(
        self, item: InteractionRecord, write: WriteKind, actor: Actor
    ) -> ActionRecord | str:
        """Like, repost or follow through the publisher: its record, or why it was not done."""
        if self.publisher is None:
            return f"Not done: {item.platform.value} is not connected."
        try:
            record = await self.publisher.act(item, write, actor)
        except WriteRefusedError as exc:
            hint = f" {exc.suggestion}" if exc.suggestion else ""
            return f"Not done: {exc}.{hint}"
        if record.status is ActionStatus.FAILED:
            return f"Failed: {record.error}"
        if record.status is not ActionStatus.CONFIRMED:
            return f"Not confirmed yet: {record.error or 'try again in a moment'}."
        return record


_THANK_WRITE = {
    InteractionKind.FOLLOW: WriteKind.FOLLOW,
    InteractionKind.QUOTE: WriteKind.REPOST,
}


def _thank_words(
    item: InteractionRecord, write: WriteKind, record: ActionRecord
) -> tuple[str, str]:
    """How the item was thanked (for the record and the card), and the member's answer."""
    who = f"@{item.author.handle}"
    if write is WriteKind.FOLLOW:
        if record.interaction_id not in (None, item.external_id):
            # The publisher's follow is per person: an earlier follow-back answered this one.
            return "already followed back", f"Already following {who}: not followed again."
        return "followed back", f"Followed {who} back on {item.platform.value}."
    verb = {WriteKind.LIKE: "liked", WriteKind.REPOST: "reposted"}[write]
    return verb, f"Thanked with a {write.value} on {item.platform.value}."


def _busy(state: ItemState, actor: Actor, *, allow_own_claim: bool = False) -> str | None:
    if state.status.is_closed:
        return f"Already {state.status.value} by {state.by_name}."
    if state.status is ItemStatus.CLAIMED:
        if state.by_id == actor.id:
            return None if allow_own_claim else "You already claimed it."
        return f"{state.by_name} is handling this one."
    return None


def _action(key: ItemKey, kind: ActionKind, actor: Actor, now: datetime, tag: str) -> ActionRecord:
    platform, external_id = key
    digest = hashlib.sha256(f"{platform.value}:{external_id}".encode()).hexdigest()[:24]
    return ActionRecord(
        idempotency_key=f"discord:{kind.value}:{digest}:{tag}"[:255],
        kind=kind,
        status=ActionStatus.CONFIRMED,
        actor_id=actor.id,
        actor_name=actor.name,
        created_at=now,
        platform=platform,
        interaction_id=external_id,
        completed_at=now,
    )
