"""Interfaces between layers, so that cogs and the runner depend on behaviour, not on clients.

The composition root (``bot/``) provides the implementations: writers wrapped with the
record-before-send / confirm-after discipline, pollers wrapped in units of work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from engagement.models import ActionRecord, InteractionRecord, Platform


@dataclass(frozen=True, slots=True)
class Actor:
    """Who asks for an action: a Discord member (or ``system``).

    Attributes:
        id: Stable id (Discord user id as a string, or ``system``).
        name: Display name at the time, for the audit trail.
    """

    id: str
    name: str


class WriteKind(StrEnum):
    """What a writer can do on a platform."""

    REPLY = "reply"
    LIKE = "like"
    REPOST = "repost"
    FOLLOW = "follow"
    UNLIKE = "unlike"
    UNREPOST = "unrepost"
    UNFOLLOW = "unfollow"
    DELETE_REPLY = "delete_reply"
    """Delete the brand's latest confirmed reply to the item (the undo of a reply)."""


URL_COSTS_MORE = "url_costs_more"
"""The :attr:`WriteRefusedError.reason` of a reply whose link costs more; one may confirm it."""


class WriteRefusedError(Exception):
    """A write refused before any network call (too long, not allowed…); the message says why.

    Attributes:
        reason: Short machine-readable reason (``too_long``, ``not_summoned``…).
        suggestion: What the person could do instead, if anything.
    """

    def __init__(self, message: str, *, reason: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.suggestion = suggestion


class Publisher(Protocol):
    """Acts on an interaction on its platform, idempotently, and records who did what.

    Every call records an :class:`ActionRecord` before sending and confirms it after, so the
    same request twice (a double click, a retry after a crash) acts once; the second call
    returns the first call's record.
    """

    async def reply(
        self, item: InteractionRecord, text: str, actor: Actor, *, allow_url_cost: bool = False
    ) -> ActionRecord:
        """Reply ``text`` to ``item``; raise :class:`WriteRefusedError` before sending.

        Args:
            item: The interaction answered.
            text: The reply.
            actor: Who asks.
            allow_url_cost: The person confirmed that a reply with a link may cost more. A
                platform that bills links extra (X: $0.20 instead of $0.01) refuses such a
                reply with reason :data:`URL_COSTS_MORE` unless this is ``True``; the others
                ignore it.
        """
        ...

    async def act(self, item: InteractionRecord, kind: WriteKind, actor: Actor) -> ActionRecord:
        """Like, repost, follow the author of, or undo one of those (or a reply) on ``item``."""
        ...


@dataclass(frozen=True, slots=True)
class PollOutcome:
    """What one poll cycle did, for logs, alerts and benchmarks.

    Attributes:
        platform: The platform polled.
        account_id: The brand account.
        fetched: Items received from the platform.
        inserted: New interactions stored.
        new_items: The newly stored interactions (for alerts).
        api_calls: Requests made in the cycle.
        finished_at: When the cycle committed (UTC).
        note: A notable state (``rate limited until …``, ``budget reached``…), if any.
    """

    platform: Platform
    account_id: str
    fetched: int
    inserted: int
    new_items: tuple[InteractionRecord, ...]
    api_calls: int
    finished_at: datetime
    note: str | None = None


class Alerts(Protocol):
    """Where watchers report states a person must know about (sent once, not per cycle)."""

    async def platform_alert(self, platform: Platform, account_id: str, message: str) -> None:
        """Report a lasting state (credentials revoked, budget reached, credits depleted…)."""
        ...
