"""Small builders for interactions, authors and actions used by the engine tests."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from engagement.classifiers import default_classifier
from engagement.models import (
    ActionKind,
    ActionRecord,
    ActionStatus,
    Author,
    InteractionRecord,
    Platform,
    PostRef,
)
from engagement.signals import text_signals
from engagement.triage import Item, item_from_record

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
BRAND = "did:plc:brand"
_ids = itertools.count(1)


def author(
    handle: str,
    followers: int | None = 100,
    *,
    follows: int | None = 80,
    posts: int | None = 500,
    age_days: float | None = 900,
    bio: str = "Je parle de tech",
    avatar: str | None = "https://cdn.example/a.jpg",
    verified: bool = False,
    platform: Platform = Platform.BLUESKY,
) -> Author:
    return Author(
        platform=platform,
        platform_id=f"did:plc:{handle}",
        handle=handle,
        display_name=handle.title(),
        followers_count=followers,
        follows_count=follows,
        posts_count=posts,
        account_created_at=None if age_days is None else NOW - timedelta(days=age_days),
        description=bio,
        verified=verified,
        avatar_url=avatar,
    )


def record(
    who: Author,
    kind: str = "mention",
    text: str = "",
    *,
    ago: timedelta = timedelta(hours=2),
    lang: str | None = None,
    parent: str | None = None,
    account: str = BRAND,
) -> InteractionRecord:
    n = next(_ids)
    created = NOW - ago
    return InteractionRecord(
        platform=who.platform,
        external_id=f"at://{who.platform_id}/app.bsky.feed.post/{n}",
        kind=kind,
        author=who,
        account_id=account,
        created_at=created,
        indexed_at=created,
        text=text,
        language=lang,
        parent=PostRef(parent) if parent else None,
        root=PostRef(parent) if parent else None,
    )


def items(*records: InteractionRecord) -> list[Item]:
    """Items with their text signals computed by the shipped classifier."""
    sigs = text_signals([(r.text, r.language) for r in records], default_classifier())
    out = []
    for r, s in zip(records, sigs, strict=True):
        has_text = r.kind in {"mention", "reply", "quote"}
        out.append(item_from_record(r, s if has_text else None))
    return out


def action(
    target: InteractionRecord,
    kind: ActionKind,
    *,
    ago: timedelta = timedelta(minutes=10),
    status: ActionStatus = ActionStatus.CONFIRMED,
    snooze_until: datetime | None = None,
) -> ActionRecord:
    return ActionRecord(
        idempotency_key=f"k{next(_ids)}",
        kind=kind,
        status=status,
        actor_id="42",
        actor_name="Camille",
        created_at=NOW - ago,
        platform=target.platform,
        interaction_id=target.external_id,
        snooze_until=snooze_until,
    )
