"""The light row triage works on, and the team's state of each item.

:class:`Item` is a ``NamedTuple`` holding only what triage reads, so the storage query can
build 100,000 of them in a fraction of a second; :func:`item_from_record` makes one from a
full :class:`~engagement.models.InteractionRecord` for callers that hold records.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from engagement.models import ActionKind, ActionRecord, ActionStatus, InteractionRecord
from engagement.signals.text import TextSignals

__all__ = ["HandledState", "Item", "handled_state", "item_from_record"]


class Item(NamedTuple):
    """One stored interaction as triage sees it.

    Attributes:
        platform: ``bluesky`` or ``x``.
        external_id: Unique on the platform.
        kind: Interaction kind (may be a kind not known yet).
        account_id: The brand account it is addressed to.
        author_id: The author's platform id.
        handle: The author's handle.
        display_name: The author's display name.
        followers: Followers, when known.
        follows: Accounts followed, when known.
        posts: Posts written, when known.
        author_created_at: When the author's account was created, when known.
        has_avatar: Whether the profile has an avatar.
        bio: The author's profile bio.
        verified: Platform verification.
        first_followers: Followers when the bot first saw the author (growth), when known.
        first_seen_at: When the bot first saw the author.
        text: The text (empty for likes, reposts, follows).
        created_at: When it was made (UTC).
        parent_id: Direct parent of a reply.
        root_id: Thread root of a reply.
        url: A link to open it.
        signals: Its text signals, when computed.
    """

    platform: str
    external_id: str
    kind: str
    account_id: str
    author_id: str
    handle: str
    display_name: str
    followers: int | None
    follows: int | None
    posts: int | None
    author_created_at: datetime | None
    has_avatar: bool
    bio: str
    verified: bool
    first_followers: int | None
    first_seen_at: datetime | None
    text: str
    created_at: datetime
    parent_id: str | None
    root_id: str | None
    url: str | None
    signals: TextSignals | None

    @property
    def key(self) -> tuple[str, str]:
        """``(platform, external_id)``."""
        return (self.platform, self.external_id)

    @property
    def author_key(self) -> tuple[str, str]:
        """``(platform, author_id)``."""
        return (self.platform, self.author_id)


def item_from_record(
    record: InteractionRecord,
    signals: TextSignals | None = None,
    *,
    first_followers: int | None = None,
    first_seen_at: datetime | None = None,
) -> Item:
    """Build an :class:`Item` from a full record (and its signals, if computed)."""
    author = record.author
    return Item(
        platform=str(record.platform),
        external_id=record.external_id,
        kind=record.kind,
        account_id=record.account_id,
        author_id=author.platform_id,
        handle=author.handle,
        display_name=author.display_name,
        followers=author.followers_count,
        follows=author.follows_count,
        posts=author.posts_count,
        author_created_at=author.account_created_at,
        has_avatar=author.avatar_url is not None,
        bio=author.description,
        verified=author.verified,
        first_followers=first_followers,
        first_seen_at=first_seen_at,
        text=record.text,
        created_at=record.created_at,
        parent_id=record.parent.id if record.parent else None,
        root_id=record.root.id if record.root else None,
        url=record.url,
        signals=signals,
    )


class HandledState(NamedTuple):
    """What the team did about the items, as triage needs it.

    Attributes:
        closed: Items answered, thanked, done or dismissed (``(platform, external_id)``).
        snoozed: Items snoozed until a later time.
        acted_on: Every item the team acted on at all (for "never engaged" creators).
        thanked_at: When each item was thanked (to thank each person once per period).
    """

    closed: frozenset[tuple[str, str]]
    snoozed: dict[tuple[str, str], datetime]
    acted_on: frozenset[tuple[str, str]]
    thanked_at: dict[tuple[str, str], datetime]


def handled_state(actions: Iterable[ActionRecord], now: datetime) -> HandledState:
    """Fold recorded actions into the team's state of each item.

    Failed actions count for nothing; the latest action of an item decides whether it is
    closed (an ``undone`` or ``unclaimed`` after a ``done`` reopens it), and a snooze hides
    the item until ``snooze_until``.
    """
    latest: dict[tuple[str, str], ActionRecord] = {}
    acted: set[tuple[str, str]] = set()
    thanked: dict[tuple[str, str], datetime] = {}
    for action in actions:
        if action.status is ActionStatus.FAILED or not action.interaction_id:
            continue
        if action.platform is None:
            continue
        key = (str(action.platform), action.interaction_id)
        acted.add(key)
        if action.kind is ActionKind.THANKED:
            thanked[key] = max(thanked.get(key, action.created_at), action.created_at)
        if action.kind in {ActionKind.LIKED, ActionKind.REPOSTED, ActionKind.FOLLOWED}:
            continue  # a like does not answer anything
        current = latest.get(key)
        if current is None or action.created_at >= current.created_at:
            latest[key] = action
    closed: set[tuple[str, str]] = set()
    snoozed: dict[tuple[str, str], datetime] = {}
    for key, action in latest.items():
        if action.kind.closes_item:
            closed.add(key)
        elif (
            action.kind is ActionKind.SNOOZED and action.snooze_until and action.snooze_until > now
        ):
            snoozed[key] = action.snooze_until
    return HandledState(frozenset(closed), snoozed, frozenset(acted), thanked)
