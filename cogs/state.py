"""Derive an item's team state from its audit trail (pure; time is an argument)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from cogs.ports import ItemState, ItemStatus
from engagement.models import ActionKind, ActionRecord, ActionStatus

_CLOSING = {
    ActionKind.ANSWERED: ItemStatus.ANSWERED,
    ActionKind.THANKED: ItemStatus.THANKED,
    ActionKind.DONE: ItemStatus.DONE,
    ActionKind.DISMISSED: ItemStatus.DISMISSED,
}


def _by(
    action: ActionRecord,
    status: ItemStatus,
    *,
    text: str | None = None,
    until: datetime | None = None,
    note: str | None = None,
) -> ItemState:
    return ItemState(
        status=status,
        by_id=action.actor_id,
        by_name=action.actor_name,
        at=action.created_at,
        text=text,
        until=until,
        note=note,
    )


def state_from_actions(actions: Iterable[ActionRecord], now: datetime) -> ItemState:
    """The state of an item given every action recorded on it.

    Rules: a confirmed closing action (answered, thanked, done, dismissed) closes the item for
    good (a thanked record's text says how it was thanked: the state's ``note``); a pending
    answer counts as a claim by its author (somebody is posting right now); the latest claim
    holds until its holder unclaims; a snooze holds until its time.

    Args:
        actions: The item's actions, in any order.
        now: The current time (aware UTC).

    Returns:
        The item's state.
    """
    ordered = sorted(actions, key=lambda a: (a.created_at, a.id or 0))
    claim: ItemState | None = None
    snooze: ItemState | None = None
    for action in ordered:
        if action.status is ActionStatus.FAILED:
            continue
        closing = _CLOSING.get(action.kind)
        if closing is not None and action.status is ActionStatus.CONFIRMED:
            if closing is ItemStatus.THANKED:  # its text says how, nothing was posted
                return _by(action, closing, note=action.text)
            return _by(action, closing, text=action.text)
        if action.kind is ActionKind.ANSWERED or action.kind is ActionKind.CLAIMED:
            claim = _by(action, ItemStatus.CLAIMED)
        elif action.kind is ActionKind.UNCLAIMED:
            if claim is not None and claim.by_id == action.actor_id:
                claim = None
        elif action.kind is ActionKind.SNOOZED and action.snooze_until is not None:
            snooze = _by(action, ItemStatus.SNOOZED, until=action.snooze_until)
    if claim is not None:
        return claim
    if snooze is not None and snooze.until is not None and snooze.until > now:
        return snooze
    return ItemState()


def claim_generation(actions: Iterable[ActionRecord]) -> int:
    """How many times the item was unclaimed: claims of one generation share one key.

    Two members claiming the same generation race on the same idempotency key, so exactly one
    of them wins, whatever the number of processes.
    """
    return sum(1 for a in actions if a.kind is ActionKind.UNCLAIMED)
