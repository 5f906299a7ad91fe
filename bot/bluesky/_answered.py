"""Answers the brand made outside the bot (the Bluesky app) become ``answered`` actions.

The brand's author feed is read on a slow timer (and after cycles that brought new items);
each brand reply whose parent is a stored interaction is recorded as an ``answered`` action by
the actor ``platform``, so triage drops the item. Replies the bot itself sent are already
recorded (their ``result_id`` is the reply's URI) and are not recorded twice.
"""

from __future__ import annotations

from datetime import datetime

from engagement.models import ActionKind, ActionRecord, ActionStatus, Cursor, Platform
from storage import UnitOfWork
from watchers.bluesky import BrandReply, Mark

STREAM = "own-replies"
PLATFORM_ACTOR = "platform"


def decode_mark(cursor: Cursor | None) -> Mark | None:
    """The newest brand post already examined, from the stored cursor."""
    if cursor is None or not cursor.value:
        return None
    head, sep, uri = cursor.value.partition(" ")
    if not sep:
        return None
    return Mark.decode([head, uri])


def encode_mark(mark: Mark) -> str:
    """The cursor value for ``mark``."""
    return f"{mark.indexed_at.isoformat()} {mark.uri}"


async def record_answers(uow: UnitOfWork, replies: list[BrandReply], now: datetime) -> int:
    """Record an ``answered`` action for each brand reply to a stored interaction.

    Returns:
        How many actions were newly recorded.
    """
    if not replies:
        return 0
    recorded = 0
    stored = await uow.interactions.external_ids(Platform.BLUESKY)
    for reply in replies:
        if reply.parent.id not in stored:
            continue
        existing = await uow.actions.for_interaction(Platform.BLUESKY, reply.parent.id)
        if any(a.result_id == reply.post.id for a in existing):
            continue  # sent through the bot, already recorded
        action = ActionRecord(
            idempotency_key=f"bluesky:platform-answer:{reply.post.id}",
            kind=ActionKind.ANSWERED,
            status=ActionStatus.CONFIRMED,
            actor_id=PLATFORM_ACTOR,
            actor_name="Bluesky app",
            created_at=reply.created_at,
            platform=Platform.BLUESKY,
            interaction_id=reply.parent.id,
            text=reply.text,
            result_id=reply.post.id,
            completed_at=now,
        )
        _, created = await uow.actions.begin(action)
        recorded += created
    return recorded
