"""What the Discord surface needs from the rest of the bot, as small data types and protocols.

The cogs render and route; the composition root (``bot/``) implements :class:`InboxService`
over storage, the engine, drafting and the publishers. Everything here is plain data, so the
cogs can be tested with real ``discord.Interaction`` objects and a real service alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from engagement.models import InteractionRecord, Platform
from engagement.ports import Actor

__all__ = [
    "Card",
    "DigestPage",
    "Figure",
    "InboxPage",
    "InboxQuery",
    "InboxService",
    "ItemKey",
    "ItemState",
    "ItemStatus",
    "Outcome",
    "Section",
    "TeamConfig",
]

ItemKey = tuple[Platform, str]
"""``(platform, external_id)``: the identity of an item everywhere on the Discord side."""


class Section(StrEnum):
    """The three parts of a digest."""

    ANSWER = "answer"
    THANK = "thank"
    CREATORS = "creators"

    @property
    def heading(self) -> str:
        """Human heading of the section."""
        return _SECTION_TITLES[self]


_SECTION_TITLES = {
    Section.ANSWER: "Comments to answer",
    Section.THANK: "People to thank",
    Section.CREATORS: "Creators to engage",
}


class ItemStatus(StrEnum):
    """Where an item stands for the team."""

    OPEN = "open"
    CLAIMED = "claimed"
    ANSWERED = "answered"
    THANKED = "thanked"
    DONE = "done"
    SNOOZED = "snoozed"
    DISMISSED = "dismissed"

    @property
    def is_closed(self) -> bool:
        """Whether the item left the to-do list (snoozed items come back later)."""
        return self in {
            ItemStatus.ANSWERED,
            ItemStatus.THANKED,
            ItemStatus.DONE,
            ItemStatus.DISMISSED,
        }


@dataclass(frozen=True, slots=True)
class ItemState:
    """The team's state of one item, derived from its recorded actions.

    Attributes:
        status: Where it stands.
        by_id: Who put it there (Discord user id), if anyone.
        by_name: Their display name at the time.
        at: When (UTC).
        text: What was posted, for answered items.
        until: For snoozed items, when they come back (UTC).
        note: For thanked items, how (``liked``, ``followed back``, ``nothing posted``…).
    """

    status: ItemStatus = ItemStatus.OPEN
    by_id: str | None = None
    by_name: str | None = None
    at: datetime | None = None
    text: str | None = None
    until: datetime | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Card:
    """One item as shown on Discord.

    Attributes:
        item: The interaction.
        section: The digest section it belongs to.
        reasons: Why it is there, most important first (from triage).
        waiting: How long it has waited for the team.
        state: The team's state of it.
        score: Triage priority, when known.
        draft: The best reply draft, when one was made.
        breach: The service-level target it breaches, if any (``>1h``, ``>24h``…).
    """

    item: InteractionRecord
    section: Section
    reasons: tuple[str, ...] = ()
    waiting: timedelta = timedelta(0)
    state: ItemState = ItemState()
    score: float | None = None
    draft: str | None = None
    breach: str | None = None

    @property
    def key(self) -> ItemKey:
        """The item's identity."""
        return self.item.key


@dataclass(frozen=True, slots=True)
class Figure:
    """One headline figure of a digest or of ``/stats``.

    Attributes:
        label: What it measures (``Replies needed``…).
        value: Rendered value.
        delta: Change against the previous period, rendered (``+3``, ``-12 %``), if known.
    """

    label: str
    value: str
    delta: str | None = None


@dataclass(frozen=True, slots=True)
class DigestPage:
    """A digest, ready to render: a summary and a card per item.

    Attributes:
        title: Heading of the summary.
        period_key: Identity of the period (``2026-11-25``), used to post once per period.
        generated_at: When it was built (UTC).
        figures: Headline figures versus the previous period.
        breaches: Service-level breaches, one line each.
        budget: The X budget state, one line, if X is connected.
        cards: Every item, section by section, most important first.
        section_totals: How many items each section held before any cap.
    """

    title: str
    period_key: str
    generated_at: datetime
    figures: tuple[Figure, ...] = ()
    breaches: tuple[str, ...] = ()
    budget: str | None = None
    cards: tuple[Card, ...] = ()
    section_totals: dict[Section, int] = field(default_factory=dict)

    def section(self, section: Section) -> tuple[Card, ...]:
        """The cards of one section, in order."""
        return tuple(c for c in self.cards if c.section is section)


@dataclass(frozen=True, slots=True)
class InboxQuery:
    """Filters and page of ``/inbox``.

    Attributes:
        platform: Only this platform, or all.
        kind: Only this interaction kind, or all.
        status: Only this status; ``None`` means every status that is not closed.
        page: Zero-based page number.
        page_size: Cards per page.
    """

    platform: Platform | None = None
    kind: str | None = None
    status: ItemStatus | None = None
    page: int = 0
    page_size: int = 5


@dataclass(frozen=True, slots=True)
class InboxPage:
    """One page of ``/inbox``.

    Attributes:
        cards: The cards on this page.
        total: How many items match the filters.
        query: The query that produced it.
    """

    cards: tuple[Card, ...]
    total: int
    query: InboxQuery

    @property
    def pages(self) -> int:
        """How many pages the filters give (at least one)."""
        return max(1, -(-self.total // self.query.page_size))


@dataclass(frozen=True, slots=True)
class Outcome:
    """The answer to an action on an item.

    Attributes:
        ok: Whether it happened (or had already happened, idempotently).
        message: One line for the person who asked.
        card: The card after the action, to update the message in place.
        drafts: Texts the person may use themselves (e.g. thank-you drafts for a like,
            which cannot be answered on the platform); nothing of them was posted.
        confirm: Set when nothing was done because the action needs the person's explicit
            go-ahead: the warning to show them (a reply with a link on X costs $0.20
            instead of $0.01). Asking again with the confirmation
            (``reply(..., allow_url_cost=True)``) does it; ``ok`` is ``False``.
    """

    ok: bool
    message: str
    card: Card | None = None
    drafts: tuple[str, ...] = ()
    confirm: str | None = None


@dataclass(frozen=True, slots=True)
class TeamConfig:
    """What admins set with ``/config`` (persisted by the service).

    Attributes:
        digest_channel_id: Where the digest goes.
        alerts_channel_id: Where alerts go.
        digest_time: Local time of the digest, ``HH:MM``.
        timezone: IANA timezone name.
        brand_role: Role (name or id) needed to post as the brand.
        large_account_followers: Followers from which an author is urgent.
        voice_tone: Drafting tone preset.
        topics: Topics the brand cares about.
    """

    digest_channel_id: int | None
    alerts_channel_id: int | None
    digest_time: str
    timezone: str
    brand_role: str
    large_account_followers: int
    voice_tone: str
    topics: tuple[str, ...]


class InboxService(Protocol):
    """Everything the cogs ask of the bot; every call is one unit of work."""

    async def digest(self, now: datetime) -> DigestPage:
        """Build the digest of the period ending ``now`` (closed items excluded)."""
        ...

    async def card(self, key: ItemKey, now: datetime) -> Card | None:
        """The current card of one item, or ``None`` if it is unknown."""
        ...

    async def inbox(self, query: InboxQuery, now: datetime) -> InboxPage:
        """One page of items matching ``query``."""
        ...

    async def resolve(self, reference: str) -> ItemKey | None:
        """Find an item from what a person typed: a post URL, an AT-URI or a post id."""
        ...

    async def claim(self, key: ItemKey, actor: Actor, now: datetime) -> Outcome:
        """Claim an item; when two claim at once one wins and the other is told who has it."""
        ...

    async def unclaim(self, key: ItemKey, actor: Actor, now: datetime) -> Outcome:
        """Release a claim held by ``actor``."""
        ...

    async def mark(self, key: ItemKey, status: ItemStatus, actor: Actor, now: datetime) -> Outcome:
        """Close an item as done or dismissed."""
        ...

    async def snooze(self, key: ItemKey, until: datetime, actor: Actor, now: datetime) -> Outcome:
        """Hide an item until ``until``."""
        ...

    async def reply(
        self,
        key: ItemKey,
        text: str,
        actor: Actor,
        now: datetime,
        *,
        allow_url_cost: bool = False,
    ) -> Outcome:
        """Post ``text`` as the brand in reply to the item, once.

        A reply the platform bills extra (a link on X) is not posted unless
        ``allow_url_cost``: the outcome then carries ``confirm``, the warning to show.
        """
        ...

    async def thank(self, key: ItemKey, actor: Actor, now: datetime) -> Outcome:
        """Thank the author the way the item allows, recorded as thanked with how.

        A follow is followed back (once); a comment is liked (a quote reposted); a like or a
        repost cannot be answered on the platform, so nothing is posted and the outcome
        carries thank-you drafts the person may use themselves.
        """
        ...

    async def drafts(
        self, key: ItemKey, count: int, *, templates_only: bool = False
    ) -> Sequence[str]:
        """Up to ``count`` reply drafts for the item, best first, each within the limit.

        ``templates_only`` never calls a model (fast: the reply modal's prefill, which must
        open within Discord's 3 seconds).
        """
        ...

    async def stats(self, now: datetime) -> tuple[Figure, ...]:
        """Headline figures of the current period."""
        ...

    def text_limit(self, platform: Platform) -> int:
        """Longest reply on ``platform`` in its own unit (graphemes, weighted characters)."""
        ...

    def measure(self, platform: Platform, text: str) -> int:
        """Length of ``text`` in ``platform``'s unit."""
        ...

    async def urgent(self, items: Sequence[InteractionRecord], now: datetime) -> tuple[Card, ...]:
        """The cards of those new items that cannot wait for the digest (alerts)."""
        ...

    async def claim_digest(self, period_key: str, destination: str, now: datetime) -> bool:
        """Reserve the digest of a period for a destination (a lease).

        ``True`` the first time, or when an earlier claim was never marked posted and its lease
        expired (that run crashed mid-post: clean up :meth:`partial_digest` first).
        """
        ...

    async def digest_posted(
        self, period_key: str, destination: str, message_ids: list[str], now: datetime
    ) -> None:
        """Record that the claimed digest was posted."""
        ...

    async def digest_progress(
        self, period_key: str, destination: str, message_ids: list[str]
    ) -> None:
        """Record the messages posted so far for a claimed digest."""
        ...

    async def partial_digest(self, period_key: str, destination: str) -> list[str]:
        """What an unfinished earlier run recorded for a claimed, unposted digest."""
        ...

    async def release_digest(self, period_key: str, destination: str) -> None:
        """Give up a claimed, unposted digest (it failed) so the next attempt posts it."""
        ...

    async def get_config(self) -> TeamConfig:
        """The team configuration in force."""
        ...

    async def set_config(self, changes: dict[str, str], actor: Actor, now: datetime) -> TeamConfig:
        """Validate and persist configuration changes; raise ``ValueError`` with a reason."""
        ...
