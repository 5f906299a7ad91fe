"""Platform-neutral scenario data: personas, timed events and scheduled faults."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from engagement.models import InteractionKind, Platform

__all__ = ["POST", "Event", "Persona", "Scenario", "ScheduledFault"]

#: Event kind of a plain post that is not an interaction (brand posts, brand replies, corpus).
POST = "post"


@dataclass(frozen=True, slots=True)
class Persona:
    """Somebody in the simulated world, with an identity on both platforms.

    Attributes:
        key: Stable slug, unique in the scenario.
        display_name: Human name.
        bsky_handle: Bluesky handle (no ``@``).
        bsky_did: Bluesky DID.
        x_handle: X username (no ``@``).
        x_id: X numeric user id.
        followers: Audience size (heavy-tailed across personas).
        follows: Accounts followed.
        posts: Posts written.
        created_days_ago: Account age in days before the scenario epoch.
        bio: Profile description.
        lang: Preferred language (``fr`` or ``en``).
        flavor: ``brand``, ``person``, ``creator``, ``press``, ``spam`` or ``bot``.
        verified: Platform verification flag.
    """

    key: str
    display_name: str
    bsky_handle: str
    bsky_did: str
    x_handle: str
    x_id: str
    followers: int
    follows: int
    posts: int
    created_days_ago: int
    bio: str
    lang: str
    flavor: str
    verified: bool = False


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happens at ``offset`` after the scenario epoch on one platform.

    Attributes:
        seq: Index in :attr:`Scenario.events` (events are sorted by offset, then seq).
        offset: Time after the epoch (negative for posts made before the scenario starts).
        platform: Where it happens.
        kind: An :class:`InteractionKind` value, or :data:`POST` for a plain post.
        author: Who does it.
        text: Post text, empty for likes, reposts and follows.
        lang: Language of ``text``.
        subject: ``seq`` of the brand post it refers to (thread root of a reply, the liked,
            reposted or quoted post), if any.
        parent: ``seq`` of the direct parent of a reply (a brand post, a brand reply or
            another reply), if any.
        intent: Ground-truth label: ``question``, ``complaint``, ``praise``, ``request``,
            ``thanks``, ``feedback``, ``spam``, ``share``, ``follow``, ``announcement``,
            ``answer`` (brand replies) or ``topic`` (corpus posts).
        mentions_brand: Whether the text @-mentions the brand account.
        tags: Topic words (corpus posts; used by search).
    """

    seq: int
    offset: timedelta
    platform: Platform
    kind: str
    author: Persona
    text: str = ""
    lang: str | None = None
    subject: int | None = None
    parent: int | None = None
    intent: str = "neutral"
    mentions_brand: bool = False
    tags: tuple[str, ...] = field(default=())

    @property
    def is_interaction(self) -> bool:
        """Whether the brand would be notified of this event (not a plain post)."""
        return self.kind != POST and InteractionKind.parse(self.kind) is not None


@dataclass(frozen=True, slots=True)
class ScheduledFault:
    """A fault armed once scenario time passes ``offset`` (as with ``/_sandbox/faults``)."""

    offset: timedelta
    endpoint: str
    count: int = 1
    status: int | None = None
    delay_s: float | None = None
    malformed: bool = False
    drop: bool = False


@dataclass(frozen=True, slots=True)
class Scenario:
    """A whole seeded scenario: the brand, everyone else, the timeline and its faults."""

    name: str
    seed: int
    brand: Persona
    personas: tuple[Persona, ...]
    events: tuple[Event, ...]
    faults: tuple[ScheduledFault, ...] = ()
    password: str = "sandbox-app-password"

    def persona(self, key: str) -> Persona:
        """Return the persona with ``key`` (the brand included)."""
        if key == self.brand.key:
            return self.brand
        for persona in self.personas:
            if persona.key == key:
                return persona
        raise KeyError(key)
