"""The domain model every other package speaks: platforms, kinds, authors and interactions.

Pure standard library: frozen dataclasses and enums, no I/O and no clock. Every datetime held
here is timezone-aware UTC.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

__all__ = [
    "Account",
    "ActionKind",
    "ActionRecord",
    "ActionStatus",
    "Author",
    "Cursor",
    "InteractionKind",
    "InteractionRecord",
    "Platform",
    "PostRef",
    "ensure_utc",
]


class Platform(StrEnum):
    """A social platform the bot watches."""

    BLUESKY = "bluesky"
    X = "x"


class InteractionKind(StrEnum):
    """What somebody did to or about the brand.

    Platforms add kinds over time (Bluesky's ``like-via-repost``, ``starterpack-joined``…).
    Records therefore carry ``kind`` as a plain string: a known value is one of these members
    (a ``StrEnum`` member *is* a ``str``), an unknown one is stored verbatim. Use
    :meth:`parse` to get the member or ``None``.
    """

    MENTION = "mention"
    REPLY = "reply"
    QUOTE = "quote"
    LIKE = "like"
    REPOST = "repost"
    FOLLOW = "follow"

    @classmethod
    def parse(cls, value: str) -> InteractionKind | None:
        """Return the member for ``value``, or ``None`` when the kind is not known yet."""
        try:
            return cls(value)
        except ValueError:
            return None

    @property
    def has_text(self) -> bool:
        """Whether interactions of this kind carry a text someone might answer."""
        return self in _TEXT_KINDS


_TEXT_KINDS = frozenset({InteractionKind.MENTION, InteractionKind.REPLY, InteractionKind.QUOTE})


def ensure_utc(value: datetime) -> datetime:
    """Return ``value`` as an aware UTC datetime; naive values are taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class PostRef:
    """A reference to a post: its id (AT-URI on Bluesky, post id on X) and, on Bluesky, its CID."""

    id: str
    cid: str | None = None


@dataclass(frozen=True, slots=True)
class Author:
    """Somebody who interacted with the brand, as seen on one platform.

    Attributes:
        platform: Where this identity lives.
        platform_id: Stable id (a DID on Bluesky, a numeric user id on X).
        handle: The @handle without the ``@``.
        display_name: Human name, may be empty.
        followers_count: Audience size, when known.
        follows_count: Accounts followed, when known (bot-likelihood signal).
        posts_count: Posts written, when known.
        account_created_at: When the account was created, when known.
        description: Profile bio, when known.
        verified: Platform verification flag.
        avatar_url: Avatar image URL, when known.
    """

    platform: Platform
    platform_id: str
    handle: str
    display_name: str = ""
    followers_count: int | None = None
    follows_count: int | None = None
    posts_count: int | None = None
    account_created_at: datetime | None = None
    description: str = ""
    verified: bool = False
    avatar_url: str | None = None

    @property
    def key(self) -> tuple[Platform, str]:
        """The identity key of this author."""
        return (self.platform, self.platform_id)


@dataclass(frozen=True, slots=True)
class InteractionRecord:
    """One interaction with the brand, normalized across platforms.

    Attributes:
        platform: Where it happened.
        external_id: Unique on the platform: the notification's AT-URI on Bluesky, the post id
            on X. ``(platform, external_id)`` is the identity used for idempotent ingest.
        kind: An :class:`InteractionKind` value, or the platform's own word for a kind not
            known yet.
        author: Who did it.
        account_id: The brand account it is addressed to (DID or X user id).
        text: The text of the post, empty for likes, reposts and follows.
        language: BCP-47 primary language tag (``fr``, ``en``…), from the platform when it
            says so, else ``None``.
        created_at: When the author made it (UTC).
        indexed_at: When the platform indexed it (UTC).
        cid: The CID of the record at ``external_id`` (Bluesky only).
        subject: The brand's post it refers to (liked, reposted, quoted, replied to).
        subject_text: The text of that post, when hydrated.
        root: Thread root of a reply.
        parent: Direct parent of a reply.
        url: A link a person can open in a browser.
        raw: The platform payload it was built from (JSON-compatible).
    """

    platform: Platform
    external_id: str
    kind: str
    author: Author
    account_id: str
    created_at: datetime
    indexed_at: datetime
    text: str = ""
    language: str | None = None
    cid: str | None = None
    subject: PostRef | None = None
    subject_text: str | None = None
    root: PostRef | None = None
    parent: PostRef | None = None
    url: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def known_kind(self) -> InteractionKind | None:
        """The kind as an enum member, or ``None`` for a kind not known yet."""
        return InteractionKind.parse(self.kind)

    @property
    def key(self) -> tuple[Platform, str]:
        """The identity key of this interaction."""
        return (self.platform, self.external_id)

    @property
    def post(self) -> PostRef:
        """The interacting post itself, as a reference one can reply to or like."""
        return PostRef(self.external_id, self.cid)


@dataclass(frozen=True, slots=True)
class Account:
    """A brand account the bot is connected to.

    Attributes:
        platform: Where it lives.
        platform_id: DID on Bluesky, numeric id on X.
        handle: The @handle without ``@``.
        display_name: Human name.
        active: False once the bot stopped watching it (revoked credentials…).
        status_message: Why it is not active, or the last notable state.
    """

    platform: Platform
    platform_id: str
    handle: str
    display_name: str = ""
    active: bool = True
    status_message: str = ""


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a watcher's stream stands for one account.

    Attributes:
        platform: The platform.
        account_id: The brand account (DID or X user id).
        stream: The stream's name (``notifications``, ``mentions``…).
        value: The opaque position (a Bluesky cursor, an X ``since_id``…), ``None`` at the start.
        updated_at: When it last moved (UTC).
    """

    platform: Platform
    account_id: str
    stream: str
    value: str | None
    updated_at: datetime


class ActionKind(StrEnum):
    """What the team did about an interaction."""

    ANSWERED = "answered"
    THANKED = "thanked"
    LIKED = "liked"
    REPOSTED = "reposted"
    FOLLOWED = "followed"
    UNDONE = "undone"
    CLAIMED = "claimed"
    UNCLAIMED = "unclaimed"
    DONE = "done"
    SNOOZED = "snoozed"
    DISMISSED = "dismissed"

    @property
    def closes_item(self) -> bool:
        """Whether this action takes the interaction out of the to-answer list."""
        return self in _CLOSING_ACTIONS


_CLOSING_ACTIONS = frozenset(
    {ActionKind.ANSWERED, ActionKind.DONE, ActionKind.DISMISSED, ActionKind.THANKED}
)


class ActionStatus(StrEnum):
    """Lifecycle of a recorded action (recorded before it is sent, confirmed after)."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class ActionRecord:
    """One thing the team did, recorded for audit and idempotency.

    Attributes:
        idempotency_key: Unique per intended effect; the same request twice maps to one row.
        kind: What was done.
        status: Pending until the platform confirmed it.
        actor_id: Who did it (Discord user id, or ``system``).
        actor_name: Their display name at the time.
        created_at: When it was requested (UTC).
        platform: Platform of the interaction acted on, if any.
        interaction_id: ``external_id`` of the interaction acted on, if any.
        text: What was posted, if anything.
        result_id: Id of what was created on the platform (post URI / id, like URI…).
        error: Why it failed, if it did.
        completed_at: When it was confirmed or failed (UTC).
        snooze_until: For snoozes, when the item comes back (UTC).
        id: Storage id, ``None`` before it is stored.
    """

    idempotency_key: str
    kind: ActionKind
    status: ActionStatus
    actor_id: str
    actor_name: str
    created_at: datetime
    platform: Platform | None = None
    interaction_id: str | None = None
    text: str | None = None
    result_id: str | None = None
    error: str | None = None
    completed_at: datetime | None = None
    snooze_until: datetime | None = None
    id: int | None = None
